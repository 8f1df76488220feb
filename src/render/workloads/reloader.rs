//! The `init-config-reloader` and `config-reloader` containers: arguments in the operator's order,
//! environment, ports, resources, mounts and the optional probes.

use super::names::{clean_path, url_string};
use super::{Agent, CONF_DIR, CONF_OUT_DIR, CONFIG_ENVSUBST_FILENAME, CONFIG_FILENAME};
use crate::model::ReloadStrategyType;
use crate::render::options::OperatorOptions;
use k8s_openapi::api::core::v1::{
    Capabilities, Container, ContainerPort, EnvVar, EnvVarSource, ExecAction, HTTPGetAction,
    ObjectFieldSelector, Probe, ResourceRequirements, SecurityContext, VolumeMount,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

const RELOADER_PORT: i32 = 8080;
const INIT_RELOADER_PORT: i32 = 8081;

/// What differs between the reloader containers of one pod.
pub struct Reloader<'a> {
    pub init: bool,
    pub mounts: &'a [VolumeMount],
    /// `--web-config-file` (main container only, when the web config is mounted for it).
    pub web_config_file: Option<&'a str>,
    pub shard: i32,
    /// DaemonSet mode: adds `NODE_NAME`.
    pub daemon_set: bool,
    /// Topology sharding: the zone of this shard and its position within the zone.
    pub zone: Option<(&'a str, i32)>,
}

pub fn container(
    agent: &Agent<'_>,
    reloader: &Reloader<'_>,
    options: &OperatorOptions,
) -> Container {
    let spec = agent.spec;
    let signal = spec.reload_strategy == Some(ReloadStrategyType::ProcessSignal);
    // The init container never listens locally; the main one only with the HTTP reload strategy.
    let listen_local = !reloader.init && !signal && spec.listen_local == Some(true);

    let mut env = vec![field_env("POD_NAME", "metadata.name")];
    if reloader.daemon_set {
        env.push(field_env("NODE_NAME", "spec.nodeName"));
    }

    let mut args = Vec::new();
    let mut ports = Vec::new();
    if reloader.init {
        args.push("--watch-interval=0".to_string());
    }
    if listen_local {
        args.push(format!(
            "--listen-address={}:{RELOADER_PORT}",
            options.localhost
        ));
    } else {
        let (port, port_name) = if reloader.init {
            (INIT_RELOADER_PORT, "reloader-init")
        } else {
            (RELOADER_PORT, "reloader-web")
        };
        args.push(format!("--listen-address=:{port}"));
        ports.push(ContainerPort {
            name: Some(port_name.to_string()),
            container_port: port,
            protocol: Some("TCP".to_string()),
            ..ContainerPort::default()
        });
    }
    if let Some(file) = reloader.web_config_file.filter(|f| !f.is_empty()) {
        args.push(format!("--web-config-file={file}"));
    }
    if !reloader.init {
        let scheme = if agent.web_tls() { "https" } else { "http" };
        let host = format!("{}:9090", options.localhost);
        if signal {
            args.push("--reload-method=signal".to_string());
            let path = clean_path(&format!(
                "{}/api/v1/status/runtimeinfo",
                agent.route_prefix()
            ));
            args.push(format!(
                "--runtimeinfo-url={}",
                url_string(scheme, &host, &path)
            ));
        } else {
            let path = clean_path(&format!("{}/-/reload", agent.route_prefix()));
            args.push(format!("--reload-url={}", url_string(scheme, &host, &path)));
        }
    }
    args.push(format!("--config-file={CONF_DIR}/{CONFIG_FILENAME}"));
    args.push(format!(
        "--config-envsubst-file={CONF_OUT_DIR}/{CONFIG_ENVSUBST_FILENAME}"
    ));
    args.push(format!("--watched-dir={CONF_DIR}"));
    if let Some(level) = spec
        .log_level
        .as_deref()
        .filter(|l| !l.is_empty() && *l != "info")
    {
        args.push(format!("--log-level={level}"));
    }
    if let Some(format) = spec
        .log_format
        .as_deref()
        .filter(|f| !f.is_empty() && *f != "logfmt")
    {
        args.push(format!("--log-format={format}"));
    }

    env.push(value_env("SHARD", reloader.shard.to_string()));
    if let Some((zone, in_zone)) = reloader.zone {
        env.push(value_env("TOPOLOGY_ZONE", zone.to_string()));
        env.push(value_env("INZONE_SHARD", in_zone.to_string()));
    }

    let name = if reloader.init {
        "init-config-reloader"
    } else {
        "config-reloader"
    };
    let mut c = Container {
        name: name.to_string(),
        image: Some(options.config_reloader_image.clone()),
        image_pull_policy: spec.image_pull_policy.clone().filter(|p| !p.is_empty()),
        termination_message_policy: Some("FallbackToLogsOnError".to_string()),
        env: Some(env),
        command: Some(vec!["/bin/prometheus-config-reloader".to_string()]),
        args: Some(args),
        ports: (!ports.is_empty()).then_some(ports),
        volume_mounts: Some(reloader.mounts.to_vec()),
        resources: resources(options),
        security_context: Some(restricted_security_context()),
        ..Container::default()
    };
    if !reloader.init && options.enable_config_reloader_probes {
        let probe = Probe {
            exec: listen_local
                .then(|| exec_probe(&format!("http://localhost:{RELOADER_PORT}/healthz"))),
            http_get: (!listen_local).then(|| HTTPGetAction {
                path: Some("/healthz".to_string()),
                port: IntOrString::Int(RELOADER_PORT),
                ..HTTPGetAction::default()
            }),
            ..Probe::default()
        };
        c.liveness_probe = Some(probe.clone());
        c.readiness_probe = Some(probe.clone());
        c.startup_probe = Some(probe);
    }
    c
}

/// `readOnlyRootFilesystem`, no privilege escalation, every capability dropped.
pub fn restricted_security_context() -> SecurityContext {
    SecurityContext {
        allow_privilege_escalation: Some(false),
        read_only_root_filesystem: Some(true),
        capabilities: Some(Capabilities {
            drop: Some(vec!["ALL".to_string()]),
            ..Capabilities::default()
        }),
        ..SecurityContext::default()
    }
}

/// The shell probe used when Prometheus listens on localhost only.
pub fn exec_probe(url: &str) -> ExecAction {
    ExecAction {
        command: Some(vec![
            "sh".to_string(),
            "-c".to_string(),
            format!(
                "if [ -x \"$(command -v curl)\" ]; then exec curl --fail {url}; elif [ -x \"$(command -v wget)\" ]; \
                 then exec wget -q -O /dev/null {url}; else exit 1; fi"
            ),
        ]),
    }
}

fn field_env(name: &str, path: &str) -> EnvVar {
    EnvVar {
        name: name.to_string(),
        value_from: Some(EnvVarSource {
            field_ref: Some(ObjectFieldSelector {
                field_path: path.to_string(),
                ..ObjectFieldSelector::default()
            }),
            ..EnvVarSource::default()
        }),
        ..EnvVar::default()
    }
}

fn value_env(name: &str, value: String) -> EnvVar {
    EnvVar {
        name: name.to_string(),
        value: Some(value),
        ..EnvVar::default()
    }
}

/// The reloader's requests and limits from the operator's flags; a zero quantity leaves the entry out.
fn resources(options: &OperatorOptions) -> Option<ResourceRequirements> {
    let entry = |map: &mut BTreeMap<String, Quantity>, key: &str, value: &str| {
        if !is_zero_quantity(value) {
            map.insert(key.to_string(), Quantity(value.trim().to_string()));
        }
    };
    let mut requests = BTreeMap::new();
    let mut limits = BTreeMap::new();
    entry(&mut requests, "cpu", &options.config_reloader_cpu_request);
    entry(&mut limits, "cpu", &options.config_reloader_cpu_limit);
    entry(
        &mut requests,
        "memory",
        &options.config_reloader_memory_request,
    );
    entry(&mut limits, "memory", &options.config_reloader_memory_limit);
    if requests.is_empty() && limits.is_empty() {
        return None;
    }
    Some(ResourceRequirements {
        requests: (!requests.is_empty()).then_some(requests),
        limits: (!limits.is_empty()).then_some(limits),
        ..ResourceRequirements::default()
    })
}

/// `0`, `0m`, `0.0Mi`, `""`: quantities whose value is zero.
fn is_zero_quantity(value: &str) -> bool {
    let number: String = value
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '+' || *c == '-')
        .collect();
    value.trim().is_empty()
        || (!number.is_empty() && number.chars().all(|c| !c.is_ascii_digit() || c == '0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_quantities() {
        for z in ["0", "0m", "0Mi", "0.0", ""] {
            assert!(is_zero_quantity(z), "{z}");
        }
        for nz in ["10m", "50Mi", "1", "0.5"] {
            assert!(!is_zero_quantity(nz), "{nz}");
        }
    }
}
