//! The pod template shared by both modes: the `prometheus` container (image, arguments in the
//! operator's order, probes, mounts), the reloaders, the volumes in order, the pod-level fields, and the
//! user's containers merged in. StatefulSet-only parts (data volume, `spec.volumes`) are added by the caller.

use super::meta::{self, Labels};
use super::names::{clean_path, dns1123_label, unique_dns1123_label, url_string};
use super::reloader::{self, Reloader, exec_probe, restricted_security_context};
use super::{Agent, CONF_OUT_DIR, CONFIG_ENVSUBST_FILENAME, Mode, WEB_CONFIG_DIR};
use crate::model::{
    AdditionalLabelSelectors, ChunkEncodingFloats, ReloadStrategyType, RemoteWriteMessageVersion,
    SecretOrConfigMap, ShardingStrategyMode,
};
use crate::render::options::OperatorOptions;
use k8s_openapi::api::core::v1::{
    ConfigMapVolumeSource, Container, ContainerPort, EmptyDirVolumeSource, HTTPGetAction,
    HostAlias, PodDNSConfig, PodDNSConfigOption, PodSpec, PodTemplateSpec, Probe,
    ProjectedVolumeSource, SecretProjection, SecretVolumeSource, TopologySpreadConstraint, Volume,
    VolumeMount, VolumeProjection,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

const STORAGE_DIR: &str = "/prometheus";
const TLS_ASSETS_DIR: &str = "/etc/prometheus/certs";
const LOG_FILE_VOLUME: &str = "log-file";
const LOG_DIRECTORY: &str = "/var/log/prometheus";

/// The pod template and the selector labels the workload uses.
pub struct Pod {
    pub template: PodTemplateSpec,
    /// `--labels` merged with the selector labels (the workload's `spec.selector.matchLabels`).
    pub selector: Labels,
}

/// A command-line argument before it is printed as `--name=value` or `--name`.
struct Arg {
    name: String,
    value: String,
}

fn arg(name: &str, value: impl Into<String>) -> Arg {
    Arg {
        name: name.to_string(),
        value: value.into(),
    }
}

pub fn build(
    agent: &Agent<'_>,
    mode: Mode,
    tls_secret_count: usize,
    options: &OperatorOptions,
) -> Result<Pod, String> {
    let spec = agent.spec;
    let version = &agent.version;
    let stateful_set = matches!(mode, Mode::StatefulSet { .. });
    let shard = match mode {
        Mode::StatefulSet { shard } => shard,
        Mode::DaemonSet => 0,
    };

    let image = prometheus_image(agent, options)?;
    let mut args = agent_args(agent);
    let (mut volumes, mut mounts) = common_volumes(agent, tls_secret_count, stateful_set)?;

    let mut reloader_mounts = vec![
        plain_mount("config", super::CONF_DIR),
        plain_mount("config-out", CONF_OUT_DIR),
    ];
    let mut reloader_web_config = None;
    // StatefulSets mount the web config from Prometheus 2.24 on; DaemonSets always.
    let web_config_mounted = !stateful_set || version.at_least(2, 24, 0);
    if web_config_mounted {
        let (web_arg, web_volumes, web_mounts) = web_config_mounts(agent)?;
        let file = web_arg.value.clone();
        args.push(web_arg);
        volumes.extend(web_volumes);
        mounts.extend(web_mounts.clone());
        if !stateful_set || spec.web.is_some() {
            reloader_web_config = Some(file);
            reloader_mounts.extend(web_mounts);
        }
    }

    let (startup, readiness, liveness) = probes(agent);

    // Pod labels: the version, the user's pod labels, then the selector labels.
    let mut pod_labels = Labels::new();
    pod_labels.insert(meta::APP_VERSION_KEY.to_string(), version.to_string());
    let mut pod_annotations = Labels::new();
    pod_annotations.insert(
        meta::DEFAULT_CONTAINER_ANNOTATION.to_string(),
        "prometheus".to_string(),
    );
    if let Some(pm) = &spec.pod_metadata {
        meta::merge_into(&mut pod_labels, pm.labels.clone().unwrap_or_default());
        meta::merge_into(
            &mut pod_annotations,
            pm.annotations.clone().unwrap_or_default(),
        );
    }
    let mut selector = meta::selector_labels(agent.name);
    if stateful_set {
        selector.insert(meta::SHARD_LABEL.to_string(), shard.to_string());
    }
    meta::merge_into(&mut pod_labels, selector.clone());
    let final_selector = meta::with_operator_labels(&selector, options);
    let final_pod_labels = meta::with_operator_labels(&pod_labels, options);

    let zone = if stateful_set {
        topology_zone(agent, shard, options)
    } else {
        None
    };
    let zone_ref = zone.as_ref().map(|(z, i)| (z.as_str(), *i));

    let init = reloader::container(
        agent,
        &Reloader {
            init: true,
            mounts: &reloader_mounts,
            web_config_file: None,
            shard,
            daemon_set: !stateful_set,
            zone: zone_ref,
        },
        options,
    );
    let init_containers =
        super::merge::merge_containers(vec![init], spec.init_containers.as_deref().unwrap_or(&[]))
            .map_err(|e| format!("failed to merge init containers spec: {e}"))?;

    let container_args = build_args(args, spec.additional_args.as_deref().unwrap_or(&[]))?;
    let prometheus = Container {
        name: "prometheus".to_string(),
        image: Some(image),
        image_pull_policy: spec.image_pull_policy.clone().filter(|p| !p.is_empty()),
        ports: (spec.listen_local != Some(true)).then(|| {
            vec![ContainerPort {
                name: Some(agent.port_name().to_string()),
                container_port: 9090,
                protocol: Some("TCP".to_string()),
                ..ContainerPort::default()
            }]
        }),
        args: Some(container_args),
        volume_mounts: Some(mounts),
        startup_probe: Some(startup),
        liveness_probe: Some(liveness),
        readiness_probe: Some(readiness),
        resources: spec.resources.clone().filter(|r| r != &Default::default()),
        termination_message_policy: Some("FallbackToLogsOnError".to_string()),
        security_context: Some(restricted_security_context()),
        ..Container::default()
    };
    let main_reloader = reloader::container(
        agent,
        &Reloader {
            init: false,
            mounts: &reloader_mounts,
            web_config_file: reloader_web_config.as_deref(),
            shard,
            daemon_set: !stateful_set,
            zone: zone_ref,
        },
        options,
    );
    let containers = super::merge::merge_containers(
        vec![prometheus, main_reloader],
        spec.containers.as_deref().unwrap_or(&[]),
    )
    .map_err(|e| format!("failed to merge containers spec: {e}"))?;

    let mut node_selector = spec.node_selector.clone().unwrap_or_default();
    if let Some((zone, _)) = &zone {
        node_selector.insert("topology.kubernetes.io/zone".to_string(), zone.clone());
    }
    let node_selector = if zone.is_none() && spec.node_selector.is_none() {
        None
    } else {
        Some(node_selector).filter(|m| !m.is_empty())
    };

    let host_network = spec.host_network == Some(true);
    let mut dns_policy = host_network.then(|| "ClusterFirstWithHostNet".to_string());
    if let Some(policy) = spec.dns_policy {
        dns_policy = Some(policy.as_str().to_string());
    }
    let dns_config = spec.dns_config.as_ref().map(|c| PodDNSConfig {
        nameservers: c.nameservers.clone().filter(|v| !v.is_empty()),
        searches: c.searches.clone().filter(|v| !v.is_empty()),
        options: c.options.as_ref().filter(|o| !o.is_empty()).map(|opts| {
            opts.iter()
                .map(|o| PodDNSConfigOption {
                    name: Some(o.name.clone()).filter(|n| !n.is_empty()),
                    value: o.value.clone(),
                })
                .collect()
        }),
    });

    let pod_spec = PodSpec {
        share_process_namespace: Some(
            spec.reload_strategy == Some(ReloadStrategyType::ProcessSignal),
        ),
        containers,
        init_containers: Some(init_containers),
        security_context: spec.security_context.clone(),
        service_account_name: spec.service_account_name.clone().filter(|s| !s.is_empty()),
        automount_service_account_token: Some(spec.automount_service_account_token.unwrap_or(true)),
        node_selector,
        scheduler_name: spec.scheduler_name.clone().filter(|s| !s.is_empty()),
        priority_class_name: spec.priority_class_name.clone().filter(|s| !s.is_empty()),
        termination_grace_period_seconds: Some(
            spec.termination_grace_period_seconds.unwrap_or(600),
        ),
        volumes: Some(volumes),
        tolerations: spec.tolerations.clone().filter(|t| !t.is_empty()),
        affinity: spec.affinity.clone(),
        topology_spread_constraints: topology_spread_constraints(agent, &final_selector),
        host_aliases: spec
            .host_aliases
            .as_ref()
            .filter(|h| !h.is_empty())
            .map(|aliases| {
                aliases
                    .iter()
                    .map(|a| HostAlias {
                        ip: a.ip.clone(),
                        hostnames: Some(a.hostnames.clone()).filter(|h| !h.is_empty()),
                    })
                    .collect()
            }),
        host_network: host_network.then_some(true),
        dns_policy,
        dns_config,
        enable_service_links: spec.enable_service_links,
        host_users: spec.host_users,
        image_pull_secrets: spec.image_pull_secrets.clone().filter(|s| !s.is_empty()),
        ..PodSpec::default()
    };

    Ok(Pod {
        template: PodTemplateSpec {
            metadata: Some(ObjectMeta {
                labels: Some(final_pod_labels),
                annotations: Some(pod_annotations),
                ..ObjectMeta::default()
            }),
            spec: Some(pod_spec),
        },
        selector: final_selector,
    })
}

/// `spec.image` when set, else the base image (verbatim when it already has a tag or digest) with
/// `:v<version>`.
fn prometheus_image(agent: &Agent<'_>, options: &OperatorOptions) -> Result<String, String> {
    if let Some(image) = agent.spec.image.as_deref().filter(|i| !i.trim().is_empty()) {
        return Ok(image.to_string());
    }
    let base = options.default_base_image.as_str();
    let last = base.rsplit('/').next().unwrap_or(base);
    if base.trim().is_empty() || base.chars().any(char::is_whitespace) {
        return Err(format!(
            "couldn't parse image reference {base:?}: invalid reference format"
        ));
    }
    if last.contains(':') || base.contains('@') {
        return Ok(base.to_string());
    }
    Ok(format!("{base}:v{}", agent.version))
}

/// The `prometheus` container's own arguments, before the web config file and `additionalArgs`.
fn agent_args(agent: &Agent<'_>) -> Vec<Arg> {
    let spec = agent.spec;
    let v = &agent.version;
    let mut args = vec![arg(
        "config.file",
        format!("{CONF_OUT_DIR}/{CONFIG_ENVSUBST_FILENAME}"),
    )];
    if v.major == 2 {
        args.push(arg("web.console.templates", "/etc/prometheus/consoles"));
        args.push(arg(
            "web.console.libraries",
            "/etc/prometheus/console_libraries",
        ));
    }
    if spec.reload_strategy != Some(ReloadStrategyType::ProcessSignal) {
        args.push(arg("web.enable-lifecycle", ""));
    }
    if let Some(web) = &spec.web {
        if let Some(title) = &web.page_title
            && v.at_least(2, 6, 0)
        {
            args.push(arg("web.page-title", title.clone()));
        }
        if let Some(max) = web.max_connections {
            args.push(arg("web.max-connections", max.to_string()));
        }
    }
    if spec.enable_remote_write_receiver == Some(true) {
        if v.at_least(2, 33, 0) {
            args.push(arg("web.enable-remote-write-receiver", ""));
        }
        let versions = spec
            .remote_write_receiver_message_versions
            .as_deref()
            .unwrap_or(&[]);
        if !versions.is_empty() && v.at_least(2, 54, 0) {
            let names: Vec<&str> = versions
                .iter()
                .map(|m| match m {
                    RemoteWriteMessageVersion::V1 => "prometheus.WriteRequest",
                    RemoteWriteMessageVersion::V2 => "io.prometheus.write.v2.Request",
                })
                .collect();
            args.push(arg(
                "web.remote-write-receiver.accepted-protobuf-messages",
                names.join(","),
            ));
        }
    }
    // A remote write with message version 2.0 on a Prometheus older than 2.54 makes the operator drop
    // every later version-gated argument too.
    let mut compatible = true;
    for rw in spec.remote_write.as_deref().unwrap_or(&[]) {
        if rw.message_version == Some(RemoteWriteMessageVersion::V2) {
            if v.less_than(2, 54, 0) {
                compatible = false;
            }
            if v.less_than(3, 4, 0) {
                if compatible {
                    args.push(arg("enable-feature", "metadata-wal-records"));
                }
                break;
            }
        }
    }
    let otlp_receiver = spec.enable_otlp_receiver == Some(true)
        || (spec.enable_otlp_receiver.is_none() && spec.otlp.is_some());
    if otlp_receiver && compatible {
        if v.major >= 3 {
            args.push(arg("web.enable-otlp-receiver", ""));
        } else if v.at_least(2, 47, 0) {
            args.push(arg("enable-feature", "otlp-write-receiver"));
        }
    }
    let features = spec.enable_features.as_deref().unwrap_or(&[]);
    if !features.is_empty() && compatible && v.at_least(2, 25, 0) {
        args.push(arg("enable-feature", features.join(",")));
    }
    let xor2 = spec
        .tsdb
        .as_ref()
        .and_then(|t| t.chunk_encoding.as_ref())
        .and_then(|c| c.floats)
        == Some(ChunkEncodingFloats::Xor2);
    if xor2 && !features.iter().any(|f| f == "xor2-encoding") && compatible && v.at_least(3, 13, 0)
    {
        args.push(arg("enable-feature", "xor2-encoding"));
    }
    if let Some(url) = spec.external_url.as_deref().filter(|u| !u.is_empty()) {
        args.push(arg("web.external-url", url));
    }
    args.push(arg("web.route-prefix", agent.route_prefix()));
    if let Some(level) = spec
        .log_level
        .as_deref()
        .filter(|l| !l.is_empty() && *l != "info")
    {
        args.push(arg("log.level", level));
    }
    if let Some(format) = spec
        .log_format
        .as_deref()
        .filter(|f| !f.is_empty() && *f != "logfmt")
        && compatible
        && v.at_least(2, 6, 0)
    {
        args.push(arg("log.format", format));
    }
    if spec.listen_local == Some(true) {
        args.push(arg("web.listen-address", "127.0.0.1:9090"));
    }
    match v.major {
        2 => args.push(arg("enable-feature", "agent")),
        _ => args.push(arg("agent", "")),
    }
    args.push(arg("storage.agent.path", STORAGE_DIR));
    match spec.wal_compression {
        Some(true) => args.push(arg("storage.agent.wal-compression", "")),
        Some(false) => args.push(arg("no-storage.agent.wal-compression", "")),
        None => {}
    }
    args
}

/// The operator's arguments followed by `additionalArgs`, refusing additional arguments that the
/// operator already sets (also in their `no-` form).
fn build_args(
    args: Vec<Arg>,
    additional: &[crate::model::Argument],
) -> Result<Vec<String>, String> {
    let mut clashes = Vec::new();
    for extra in additional {
        let name = extra.name.as_str();
        if args.iter().any(|a| a.name == name) {
            clashes.push(name.to_string());
            continue;
        }
        let negated = match name.strip_prefix("no-") {
            Some(stripped) => stripped.to_string(),
            None => format!("no-{name}"),
        };
        if args.iter().any(|a| a.name == negated) {
            clashes.push(negated);
        }
    }
    if !clashes.is_empty() {
        return Err(format!(
            "can't set arguments which are already managed by the operator: {}",
            clashes.join(",")
        ));
    }
    let extra = additional
        .iter()
        .map(|a| arg(&a.name, a.value.clone().unwrap_or_default()));
    Ok(args
        .into_iter()
        .chain(extra)
        .map(|a| {
            if a.value.is_empty() {
                format!("--{}", a.name)
            } else {
                format!("--{}={}", a.name, a.value)
            }
        })
        .collect())
}

fn plain_mount(name: &str, path: &str) -> VolumeMount {
    VolumeMount {
        name: name.to_string(),
        mount_path: path.to_string(),
        ..VolumeMount::default()
    }
}

fn read_only_mount(name: &str, path: &str) -> VolumeMount {
    VolumeMount {
        read_only: Some(true),
        ..plain_mount(name, path)
    }
}

fn secret_volume(name: &str, secret: &str) -> Volume {
    Volume {
        name: name.to_string(),
        secret: Some(SecretVolumeSource {
            secret_name: Some(secret.to_string()),
            ..SecretVolumeSource::default()
        }),
        ..Volume::default()
    }
}

fn config_map_volume(name: &str, config_map: &str) -> Volume {
    Volume {
        name: name.to_string(),
        config_map: Some(ConfigMapVolumeSource {
            name: config_map.to_string(),
            ..ConfigMapVolumeSource::default()
        }),
        ..Volume::default()
    }
}

/// Config, TLS assets, expanded config, `spec.secrets`, `spec.configMaps` and the scrape failure log,
/// with the `prometheus` container's mounts (the data mount in StatefulSet mode, `spec.volumeMounts`).
fn common_volumes(
    agent: &Agent<'_>,
    tls_secret_count: usize,
    stateful_set: bool,
) -> Result<(Vec<Volume>, Vec<VolumeMount>), String> {
    let spec = agent.spec;
    let sources = (0..tls_secret_count.max(1))
        .map(|i| VolumeProjection {
            secret: Some(SecretProjection {
                name: format!("{}-{i}", agent.tls_assets_secret_base()),
                ..SecretProjection::default()
            }),
            ..VolumeProjection::default()
        })
        .collect();
    let mut volumes = vec![
        secret_volume("config", &agent.config_secret_name()),
        Volume {
            name: "tls-assets".to_string(),
            projected: Some(ProjectedVolumeSource {
                sources: Some(sources),
                ..ProjectedVolumeSource::default()
            }),
            ..Volume::default()
        },
        Volume {
            name: "config-out".to_string(),
            empty_dir: Some(EmptyDirVolumeSource {
                medium: Some("Memory".to_string()),
                ..EmptyDirVolumeSource::default()
            }),
            ..Volume::default()
        },
    ];
    let mut mounts = vec![
        read_only_mount("config-out", CONF_OUT_DIR),
        read_only_mount("tls-assets", TLS_ASSETS_DIR),
    ];
    if stateful_set {
        let sub_path = match &spec.storage {
            Some(storage) if storage.disable_mount_sub_path != Some(true) => {
                Some("prometheus-db".to_string())
            }
            _ => None,
        };
        mounts.push(VolumeMount {
            sub_path,
            ..plain_mount(&agent.volume_claim_name(), STORAGE_DIR)
        });
    }
    mounts.extend(spec.volume_mounts.clone().unwrap_or_default());
    for secret in spec.secrets.as_deref().unwrap_or(&[]) {
        let name = dns1123_label("secret", secret)?;
        volumes.push(secret_volume(&name, secret));
        mounts.push(read_only_mount(
            &name,
            &format!("/etc/prometheus/secrets/{secret}"),
        ));
    }
    for config_map in spec.config_maps.as_deref().unwrap_or(&[]) {
        let name = dns1123_label("configmap", config_map)?;
        volumes.push(config_map_volume(&name, config_map));
        mounts.push(read_only_mount(
            &name,
            &format!("/etc/prometheus/configmaps/{config_map}"),
        ));
    }
    if let Some(file) = spec.scrape_failure_log_file.as_deref()
        && uses_default_log_volume(file)
    {
        volumes.push(Volume {
            name: LOG_FILE_VOLUME.to_string(),
            empty_dir: Some(EmptyDirVolumeSource::default()),
            ..Volume::default()
        });
        mounts.push(plain_mount(LOG_FILE_VOLUME, LOG_DIRECTORY));
    }
    Ok((volumes, mounts))
}

/// A bare file name (Go: `filepath.Dir(file) == "."`) is written to the `log-file` volume.
pub fn uses_default_log_volume(file: &str) -> bool {
    if file.is_empty() {
        return false;
    }
    match file.rfind('/') {
        None => true,
        Some(i) => clean_path(&file[..i]) == "." && !file[..i].is_empty(),
    }
}

/// The `--web.config.file` argument, the `web-config` volume and the web TLS volumes, with their mounts.
fn web_config_mounts(agent: &Agent<'_>) -> Result<(Arg, Vec<Volume>, Vec<VolumeMount>), String> {
    let file = format!("{WEB_CONFIG_DIR}/web-config.yaml");
    let mut volumes = vec![secret_volume("web-config", &agent.web_config_secret_name())];
    let mut mounts = vec![VolumeMount {
        sub_path: Some("web-config.yaml".to_string()),
        ..read_only_mount("web-config", &file)
    }];
    if let Some(tls) = agent.spec.web.as_ref().and_then(|w| w.tls_config.as_ref()) {
        super::secrets::validate_web_tls(tls)?;
        let key_name = tls
            .key_secret
            .as_ref()
            .map(|k| k.name.as_str())
            .unwrap_or("");
        let volume = unique_dns1123_label("web-config-tls-secret-key-", key_name)?;
        volumes.push(secret_volume(&volume, key_name));
        mounts.push(read_only_mount(
            &volume,
            &format!("{WEB_CONFIG_DIR}/secret/{key_name}-key"),
        ));
        for (source, what, prefix) in [
            (&tls.cert, "cert", "cert-"),
            (&tls.client_ca, "ca", "client-ca-"),
        ] {
            let Some(source) = source else { continue };
            match source {
                SecretOrConfigMap {
                    secret: Some(s), ..
                } => {
                    let volume =
                        unique_dns1123_label(&format!("web-config-tls-secret-{prefix}"), &s.name)?;
                    volumes.push(secret_volume(&volume, &s.name));
                    mounts.push(read_only_mount(
                        &volume,
                        &format!("{WEB_CONFIG_DIR}/secret/{}-{what}", s.name),
                    ));
                }
                SecretOrConfigMap {
                    config_map: Some(c),
                    ..
                } => {
                    let volume = unique_dns1123_label(
                        &format!("web-config-tls-configmap-{prefix}"),
                        &c.name,
                    )?;
                    volumes.push(config_map_volume(&volume, &c.name));
                    mounts.push(read_only_mount(
                        &volume,
                        &format!("{WEB_CONFIG_DIR}/configmap/{}-{what}", c.name),
                    ));
                }
                _ => {}
            }
        }
    }
    Ok((arg("web.config.file", file), volumes, mounts))
}

/// Startup, readiness and liveness probes.
fn probes(agent: &Agent<'_>) -> (Probe, Probe, Probe) {
    let handler = |suffix: &str| -> Probe {
        let path = clean_path(&format!("{}{suffix}", agent.route_prefix()));
        if agent.spec.listen_local == Some(true) {
            let url = url_string("http", "localhost:9090", &path);
            return Probe {
                exec: Some(exec_probe(&url)),
                ..Probe::default()
            };
        }
        Probe {
            http_get: Some(HTTPGetAction {
                path: Some(path),
                port: IntOrString::String(agent.port_name().to_string()),
                scheme: agent.web_tls().then(|| "HTTPS".to_string()),
                ..HTTPGetAction::default()
            }),
            ..Probe::default()
        }
    };
    let (period, threshold) = startup_timing(agent.spec.maximum_startup_duration_seconds);
    let startup = Probe {
        timeout_seconds: Some(3),
        period_seconds: Some(period),
        failure_threshold: Some(threshold),
        ..handler("/-/ready")
    };
    let readiness = Probe {
        timeout_seconds: Some(3),
        period_seconds: Some(5),
        failure_threshold: Some(3),
        ..handler("/-/ready")
    };
    let liveness = Probe {
        timeout_seconds: Some(3),
        period_seconds: Some(5),
        failure_threshold: Some(6),
        ..handler("/-/healthy")
    };
    (startup, readiness, liveness)
}

/// (periodSeconds, failureThreshold) of the startup probe for `maximumStartupDurationSeconds`.
pub fn startup_timing(max_startup: Option<i32>) -> (i32, i32) {
    let d = f64::from(max_startup.unwrap_or(0));
    if d >= 60.0 {
        let threshold = (d / 60.0).ceil();
        let period = (d / threshold).ceil();
        (period as i32, threshold as i32)
    } else {
        (15, 60)
    }
}

/// The zone of a shard and its position within the zone, when topology sharding is active.
fn topology_zone(
    agent: &Agent<'_>,
    shard: i32,
    options: &OperatorOptions,
) -> Option<(String, i32)> {
    if !options.feature_gates.prometheus_topology_sharding {
        return None;
    }
    let strategy = agent.spec.sharding_strategy.as_ref()?;
    if strategy.mode != Some(ShardingStrategyMode::Topology) {
        return None;
    }
    let values = strategy.topology.as_ref()?.values.as_ref()?;
    if values.is_empty() {
        return None;
    }
    let zones = i32::try_from(values.len()).unwrap_or(i32::MAX);
    let zone = values.get(usize::try_from(shard.rem_euclid(zones)).unwrap_or(0))?;
    Some((zone.clone(), shard / zones))
}

/// `spec.topologySpreadConstraints`, with the selector labels added where `additionalLabelSelectors` asks.
fn topology_spread_constraints(
    agent: &Agent<'_>,
    selector: &Labels,
) -> Option<Vec<TopologySpreadConstraint>> {
    let constraints = agent
        .spec
        .topology_spread_constraints
        .as_deref()
        .unwrap_or(&[]);
    if constraints.is_empty() {
        return None;
    }
    let out = constraints
        .iter()
        .map(|c| {
            let mut core = c.topology_spread_constraint.clone();
            if let Some(extra) = c.additional_label_selectors {
                let label_selector = core
                    .label_selector
                    .get_or_insert_with(LabelSelector::default);
                let match_labels = label_selector
                    .match_labels
                    .get_or_insert_with(Default::default);
                for (k, v) in selector {
                    if extra == AdditionalLabelSelectors::OnResource && k == meta::SHARD_LABEL {
                        continue;
                    }
                    match_labels.insert(k.clone(), v.clone());
                }
            }
            core
        })
        .collect();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn startup_probe_timing() {
        assert_eq!(startup_timing(None), (15, 60));
        assert_eq!(startup_timing(Some(60)), (60, 1));
        assert_eq!(startup_timing(Some(120)), (60, 2));
        assert_eq!(startup_timing(Some(600)), (60, 10));
        assert_eq!(startup_timing(Some(90)), (45, 2));
    }

    #[test]
    fn log_file_volume_only_for_bare_names() {
        assert!(uses_default_log_volume("file.log"));
        assert!(uses_default_log_volume("./file.log"));
        assert!(!uses_default_log_volume("/tmp/file.log"));
        assert!(!uses_default_log_volume("logs/file.log"));
        assert!(!uses_default_log_volume(""));
    }
}
