//! Scrape jobs for PodMonitors (`podMonitor/<ns>/<name>/<i>`), ServiceMonitors
//! (`serviceMonitor/<ns>/<name>/<i>`) and Probes (`probe/<ns>/<name>`), key for key in the operator's order.

use super::Context;
use super::common::*;
use crate::model::{
    Endpoint, IntOrString, PodMetricsEndpoint, PodMonitor, Probe, RelabelConfig, ScrapeClass,
    ScrapeProtocol, SelectorMechanism, ServiceMonitor,
};
use crate::render::goyaml::Yaml;

fn int_or_string_text(p: &IntOrString) -> String {
    match p {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

fn params(p: &std::collections::BTreeMap<String, Vec<String>>) -> Yaml {
    Yaml::Map(
        p.iter()
            .map(|(k, v)| (k.clone().into(), Yaml::strs(v.iter().cloned())))
            .collect(),
    )
}

fn target_label_rule(source: String, target: String) -> Yaml {
    rule(vec![
        ("source_labels", Yaml::strs([source])),
        ("target_label", Yaml::Str(target)),
        ("regex", Yaml::str("(.+)")),
        ("replacement", Yaml::str("${1}")),
    ])
}

fn map_rule(source: &str, target: &str) -> Yaml {
    rule(vec![
        ("source_labels", Yaml::strs([source])),
        ("target_label", Yaml::str(target)),
    ])
}

/// Whether a monitor filters targets through relabelings (the default) rather than SD role selectors.
/// The rule that sets the `endpoint` label: the port name, else the target port.
fn endpoint_label_rule(port: &str, target_port: Option<&IntOrString>) -> Option<Yaml> {
    let value = if port.is_empty() {
        target_port
            .map(int_or_string_text)
            .filter(|t| !t.is_empty())?
    } else {
        port.to_string()
    };
    Some(rule(vec![
        ("target_label", Yaml::str("endpoint")),
        ("replacement", Yaml::Str(value)),
    ]))
}

fn uses_relabel_selector(m: Option<SelectorMechanism>) -> bool {
    m.unwrap_or(SelectorMechanism::RelabelConfig) == SelectorMechanism::RelabelConfig
}

/// The job of one PodMonitor endpoint.
/// The spec-level settings PodMonitors and ServiceMonitors share, for [`monitor_job_tail`].
struct MonitorScrapeSettings<'a> {
    limits: Limits,
    histograms: NativeHistograms<'a>,
    scrape_protocols: Option<&'a [ScrapeProtocol]>,
    fallback_scrape_protocol: Option<ScrapeProtocol>,
    body_size_limit: Option<&'a str>,
    metric_relabelings: &'a [RelabelConfig],
}

/// [`MonitorScrapeSettings`] from a PodMonitor or ServiceMonitor spec and endpoint: the two spec
/// types name these fields alike.
macro_rules! monitor_scrape_settings {
    ($spec:expr, $ep:expr) => {{
        let s = $spec;
        MonitorScrapeSettings {
            limits: Limits {
                sample: s.sample_limit,
                target: s.target_limit,
                label: s.label_limit,
                label_name_length: s.label_name_length_limit,
                label_value_length: s.label_value_length_limit,
                keep_dropped_targets: s.keep_dropped_targets,
            },
            histograms: NativeHistograms {
                scrape_native_histograms: s.scrape_native_histograms,
                native_histogram_bucket_limit: s.native_histogram_bucket_limit,
                native_histogram_min_bucket_factor: s.native_histogram_min_bucket_factor.as_ref(),
                scrape_classic_histograms: s.scrape_classic_histograms,
                convert_classic_histograms_to_nhcb: s.convert_classic_histograms_to_nhcb,
            },
            scrape_protocols: s.scrape_protocols.as_deref(),
            fallback_scrape_protocol: s.fallback_scrape_protocol,
            body_size_limit: s.body_size_limit.as_deref(),
            metric_relabelings: $ep.metric_relabelings.as_deref().unwrap_or(&[]),
        }
    }};
}

/// The keys that follow `relabel_configs` in a PodMonitor or ServiceMonitor job: limits, native
/// histograms, protocols, body size limit and metric relabelings, in the operator's order.
fn monitor_job_tail(
    ctx: &Context,
    class: &ScrapeClass,
    enforcer: &NamespaceEnforcer<'_>,
    (kind, ns, name): (&str, &str, &str),
    s: MonitorScrapeSettings<'_>,
    c: &mut Entries,
) {
    let vg = ctx.vg();
    limits(vg, c, s.limits, ctx.enforced_limits());
    native_histograms(vg, c, s.histograms);
    scrape_protocols(vg, c, s.scrape_protocols);
    fallback_scrape_protocol(
        vg,
        c,
        s.fallback_scrape_protocol
            .or(class.fallback_scrape_protocol),
    );
    if let Some(b) = lower_byte_size(
        s.body_size_limit,
        ctx.agent.spec.enforced_body_size_limit.as_deref(),
    ) {
        vg.min("2.28.0").push(c, "body_size_limit", Yaml::str(b));
    }
    let mut metric = class.metric_relabelings.clone().unwrap_or_default();
    metric.extend(enforcer.apply(kind, ns, name, s.metric_relabelings));
    if !metric.is_empty() {
        push(
            c,
            "metric_relabel_configs",
            Yaml::Seq(relabel_configs(&metric)),
        );
    }
}

pub fn pod_monitor_job(ctx: &Context, m: &PodMonitor, ep: &PodMetricsEndpoint, i: usize) -> Yaml {
    let vg = ctx.vg();
    let ns = crate::model::Named::namespace(m);
    let name = crate::model::Named::name(m);
    let spec = &ctx.agent.spec;
    let class = ctx.scrape_class(m.spec.scrape_class.as_deref());
    let store = ctx.store(ns);
    let mut c = Entries::new();
    push(&mut c, "job_name", format!("podMonitor/{ns}/{name}/{i}"));
    honor_labels(
        vg,
        &mut c,
        ep.honor_labels.unwrap_or(false),
        spec.override_honor_labels.unwrap_or(false),
    );
    honor_timestamps(
        vg,
        &mut c,
        ep.honor_timestamps,
        spec.override_honor_timestamps.unwrap_or(false),
    );
    track_timestamps_staleness(vg, &mut c, ep.track_timestamps_staleness);

    let attach = ctx.attach_metadata(m.spec.attach_metadata.as_ref(), &class, "2.35.0");
    let relabel_selector = uses_relabel_selector(m.spec.selector_mechanism);
    let sd = K8sSd {
        role: "pod",
        namespaces: sd_namespaces(
            m.spec.namespace_selector.as_ref(),
            ns,
            ctx.ignore_namespace_selectors(),
        ),
        apiserver: spec.apiserver_config.as_ref(),
        attach_metadata: attach,
        daemon_set: ctx.daemon_set,
        role_selector: (!relabel_selector).then(|| (vec!["pod"], &m.spec.selector)),
    };
    push(
        &mut c,
        "kubernetes_sd_configs",
        kubernetes_sd_configs(vg, store, &sd),
    );

    if let Some(v) = ep.interval.as_ref().filter(|v| !v.is_empty()) {
        push(&mut c, "scrape_interval", v.as_str());
    }
    if let Some(v) = ep.scrape_timeout.as_ref().filter(|v| !v.is_empty()) {
        push(&mut c, "scrape_timeout", v.as_str());
    }
    if let Some(v) = ep.path.as_ref().filter(|v| !v.is_empty()) {
        push(&mut c, "metrics_path", v.as_str());
    }
    if let Some(p) = &ep.params {
        push(&mut c, "params", params(p));
    }
    if let Some(s) = ep.scheme {
        push(&mut c, "scheme", s.as_str().to_lowercase());
    }
    let tls = merge_safe_tls(ep.tls_config.as_deref(), &class);
    http_config(
        vg,
        store,
        &mut c,
        ep.follow_redirects,
        ep.enable_http2,
        tls.as_ref(),
    );
    if let Some(b) = ep
        .bearer_token_secret
        .as_ref()
        .filter(|b| !b.name.is_empty())
        && let Ok(v) = store.secret(b)
    {
        push(&mut c, "bearer_token", v);
    }
    basic_auth(vg, store, &mut c, ep.basic_auth.as_deref());
    oauth2(vg, store, &mut c, ep.oauth2.as_deref());
    proxy(
        vg,
        store,
        &mut c,
        Proxy::new(
            &ep.proxy_url,
            &ep.no_proxy,
            ep.proxy_from_environment,
            &ep.proxy_connect_header,
        ),
    );
    authorization(
        vg,
        store,
        &mut c,
        merge_authorization(ep.authorization.as_ref(), &class).as_ref(),
    );

    let mut r = init_relabelings();
    if ep.filter_running.unwrap_or(true) {
        r.push(running_filter());
    }
    if relabel_selector {
        r.extend(selector_relabelings(
            "__meta_kubernetes_pod",
            &m.spec.selector,
        ));
    }
    let port = ep.port.as_deref().unwrap_or("");
    if !port.is_empty() {
        r.push(rule(vec![
            ("action", Yaml::str("keep")),
            (
                "source_labels",
                Yaml::strs(["__meta_kubernetes_pod_container_port_name"]),
            ),
            ("regex", Yaml::str(port)),
        ]));
    } else if let Some(n) = ep.port_number.filter(|n| *n != 0) {
        r.push(rule(vec![
            ("action", Yaml::str("keep")),
            (
                "source_labels",
                Yaml::strs(["__meta_kubernetes_pod_container_port_number"]),
            ),
            ("regex", Yaml::Int(n.into())),
        ]));
    } else if let Some(tp) = &ep.target_port {
        match tp {
            IntOrString::String(s) if !s.is_empty() => r.push(rule(vec![
                ("action", Yaml::str("keep")),
                (
                    "source_labels",
                    Yaml::strs(["__meta_kubernetes_pod_container_port_name"]),
                ),
                ("regex", Yaml::str(s.as_str())),
            ])),
            IntOrString::Int(n) if *n != 0 => r.push(rule(vec![
                ("action", Yaml::str("keep")),
                (
                    "source_labels",
                    Yaml::strs(["__meta_kubernetes_pod_container_port_number"]),
                ),
                ("regex", Yaml::Int((*n).into())),
            ])),
            _ => {}
        }
    }
    r.push(map_rule("__meta_kubernetes_namespace", "namespace"));
    r.push(map_rule(
        "__meta_kubernetes_pod_container_name",
        "container",
    ));
    r.push(map_rule("__meta_kubernetes_pod_name", "pod"));
    for l in m
        .spec
        .pod_target_labels
        .iter()
        .flatten()
        .chain(spec.pod_target_labels.iter().flatten())
    {
        let s = sanitize_label_name(l);
        r.push(target_label_rule(
            format!("__meta_kubernetes_pod_label_{s}"),
            s,
        ));
    }
    r.push(rule(vec![
        ("target_label", Yaml::str("job")),
        ("replacement", Yaml::Str(format!("{ns}/{name}"))),
    ]));
    if let Some(j) = m.spec.job_label.as_ref().filter(|j| !j.is_empty()) {
        r.push(target_label_rule(
            format!("__meta_kubernetes_pod_label_{}", sanitize_label_name(j)),
            "job".into(),
        ));
    }
    r.extend(endpoint_label_rule(port, ep.target_port.as_ref()));
    r.extend(relabel_configs(class.relabelings.as_deref().unwrap_or(&[])));
    let enforcer = ctx.enforcer();
    r.extend(relabel_configs(&enforcer.apply(
        "PodMonitor",
        ns,
        name,
        ep.relabelings.as_deref().unwrap_or(&[]),
    )));
    if !ctx.daemon_set {
        r.extend(sharding_relabelings(&ctx.sharding, "__address__"));
    }
    push(&mut c, "relabel_configs", Yaml::Seq(r));

    let settings = monitor_scrape_settings!(&m.spec, ep);
    monitor_job_tail(
        ctx,
        &class,
        &enforcer,
        ("PodMonitor", ns, name),
        settings,
        &mut c,
    );
    Yaml::Map(c)
}

/// The job of one ServiceMonitor endpoint.
pub fn service_monitor_job(ctx: &Context, m: &ServiceMonitor, ep: &Endpoint, i: usize) -> Yaml {
    let vg = ctx.vg();
    let ns = crate::model::Named::namespace(m);
    let name = crate::model::Named::name(m);
    let spec = &ctx.agent.spec;
    let class = ctx.scrape_class(m.spec.scrape_class.as_deref());
    let store = ctx.store(ns);
    let mut c = Entries::new();
    push(
        &mut c,
        "job_name",
        format!("serviceMonitor/{ns}/{name}/{i}"),
    );
    honor_labels(
        vg,
        &mut c,
        ep.honor_labels.unwrap_or(false),
        spec.override_honor_labels.unwrap_or(false),
    );
    honor_timestamps(
        vg,
        &mut c,
        ep.honor_timestamps,
        spec.override_honor_timestamps.unwrap_or(false),
    );
    track_timestamps_staleness(vg, &mut c, ep.track_timestamps_staleness);

    let attach = ctx.attach_metadata(m.spec.attach_metadata.as_ref(), &class, "2.37.0");
    let role = ctx.endpoint_role(
        m.spec
            .service_discovery_role
            .or(spec.service_discovery_role),
    );
    let slice = role == "endpointslice";
    let relabel_selector = uses_relabel_selector(m.spec.selector_mechanism);
    let sd = K8sSd {
        role,
        namespaces: sd_namespaces(
            m.spec.namespace_selector.as_ref(),
            ns,
            ctx.ignore_namespace_selectors(),
        ),
        apiserver: spec.apiserver_config.as_ref(),
        attach_metadata: attach,
        daemon_set: ctx.daemon_set,
        role_selector: (!relabel_selector).then(|| (vec![role, "service"], &m.spec.selector)),
    };
    push(
        &mut c,
        "kubernetes_sd_configs",
        kubernetes_sd_configs(vg, store, &sd),
    );

    if let Some(v) = ep.interval.as_ref().filter(|v| !v.is_empty()) {
        push(&mut c, "scrape_interval", v.as_str());
    }
    if let Some(v) = ep.scrape_timeout.as_ref().filter(|v| !v.is_empty()) {
        push(&mut c, "scrape_timeout", v.as_str());
    }
    if let Some(v) = ep.path.as_ref().filter(|v| !v.is_empty()) {
        push(&mut c, "metrics_path", v.as_str());
    }
    if let Some(p) = &ep.params {
        push(&mut c, "params", params(p));
    }
    if let Some(s) = ep.scheme {
        push(&mut c, "scheme", s.as_str().to_lowercase());
    }
    if let Some(f) = ep.follow_redirects {
        vg.min("2.26.0")
            .push(&mut c, "follow_redirects", Yaml::Bool(f));
    }
    if let Some(h) = ep.enable_http2 {
        vg.min("2.35.0").push(&mut c, "enable_http2", Yaml::Bool(h));
    }
    proxy(
        vg,
        store,
        &mut c,
        Proxy::new(
            &ep.proxy_url,
            &ep.no_proxy,
            ep.proxy_from_environment,
            &ep.proxy_connect_header,
        ),
    );
    oauth2(vg, store, &mut c, ep.oauth2.as_deref());
    tls_config(
        vg,
        store,
        &mut c,
        merge_tls(ep.tls_config.as_deref(), &class).as_ref(),
    );
    if let Some(f) = ep.bearer_token_file.as_ref().filter(|f| !f.is_empty()) {
        push(&mut c, "bearer_token_file", f.as_str());
    }
    if let Some(b) = ep
        .bearer_token_secret
        .as_ref()
        .filter(|b| !b.name.is_empty())
        && let Ok(v) = store.secret(b)
    {
        push(&mut c, "bearer_token", v);
    }
    basic_auth(vg, store, &mut c, ep.basic_auth.as_deref());
    authorization(
        vg,
        store,
        &mut c,
        merge_authorization(ep.authorization.as_ref(), &class).as_ref(),
    );

    let mut r = init_relabelings();
    if relabel_selector {
        r.extend(selector_relabelings(
            "__meta_kubernetes_service",
            &m.spec.selector,
        ));
    }
    let port = ep.port.as_deref().unwrap_or("");
    if !port.is_empty() {
        let source = if slice {
            "__meta_kubernetes_endpointslice_port_name"
        } else {
            "__meta_kubernetes_endpoint_port_name"
        };
        r.push(rule(vec![
            ("action", Yaml::str("keep")),
            ("source_labels", Yaml::strs([source])),
            ("regex", Yaml::str(port)),
        ]));
    } else if let Some(tp) = &ep.target_port {
        match tp {
            IntOrString::String(s) if !s.is_empty() => r.push(rule(vec![
                ("action", Yaml::str("keep")),
                (
                    "source_labels",
                    Yaml::strs(["__meta_kubernetes_pod_container_port_name"]),
                ),
                ("regex", Yaml::str(s.as_str())),
            ])),
            IntOrString::Int(n) if *n != 0 => r.push(rule(vec![
                ("action", Yaml::str("keep")),
                (
                    "source_labels",
                    Yaml::strs(["__meta_kubernetes_pod_container_port_number"]),
                ),
                ("regex", Yaml::Int((*n).into())),
            ])),
            _ => {}
        }
    }
    let prefix = if slice {
        "__meta_kubernetes_endpointslice"
    } else {
        "__meta_kubernetes_endpoint"
    };
    let kind_name = Yaml::strs([
        format!("{prefix}_address_target_kind"),
        format!("{prefix}_address_target_name"),
    ]);
    for (regex, target) in [("Node;(.*)", "node"), ("Pod;(.*)", "pod")] {
        r.push(rule(vec![
            ("source_labels", kind_name.clone()),
            ("separator", Yaml::str(";")),
            ("regex", Yaml::str(regex)),
            ("replacement", Yaml::str("${1}")),
            ("target_label", Yaml::str(target)),
        ]));
    }
    r.push(map_rule("__meta_kubernetes_namespace", "namespace"));
    r.push(map_rule("__meta_kubernetes_service_name", "service"));
    r.push(map_rule("__meta_kubernetes_pod_name", "pod"));
    r.push(map_rule(
        "__meta_kubernetes_pod_container_name",
        "container",
    ));
    if ep.filter_running.unwrap_or(true) {
        r.push(running_filter());
    }
    for l in m.spec.target_labels.iter().flatten() {
        let s = sanitize_label_name(l);
        r.push(target_label_rule(
            format!("__meta_kubernetes_service_label_{s}"),
            s,
        ));
    }
    for l in m
        .spec
        .pod_target_labels
        .iter()
        .flatten()
        .chain(spec.pod_target_labels.iter().flatten())
    {
        let s = sanitize_label_name(l);
        r.push(target_label_rule(
            format!("__meta_kubernetes_pod_label_{s}"),
            s,
        ));
    }
    r.push(rule(vec![
        (
            "source_labels",
            Yaml::strs(["__meta_kubernetes_service_name"]),
        ),
        ("target_label", Yaml::str("job")),
        ("replacement", Yaml::str("${1}")),
    ]));
    if let Some(j) = m.spec.job_label.as_ref().filter(|j| !j.is_empty()) {
        r.push(target_label_rule(
            format!("__meta_kubernetes_service_label_{}", sanitize_label_name(j)),
            "job".into(),
        ));
    }
    r.extend(endpoint_label_rule(port, ep.target_port.as_ref()));
    r.extend(relabel_configs(class.relabelings.as_deref().unwrap_or(&[])));
    let enforcer = ctx.enforcer();
    r.extend(relabel_configs(&enforcer.apply(
        "ServiceMonitor",
        ns,
        name,
        ep.relabelings.as_deref().unwrap_or(&[]),
    )));
    r.extend(sharding_relabelings(&ctx.sharding, "__address__"));
    push(&mut c, "relabel_configs", Yaml::Seq(r));

    let settings = monitor_scrape_settings!(&m.spec, ep);
    monitor_job_tail(
        ctx,
        &class,
        &enforcer,
        ("ServiceMonitor", ns, name),
        settings,
        &mut c,
    );
    Yaml::Map(c)
}

/// The job of one Probe.
pub fn probe_job(ctx: &Context, m: &Probe) -> Yaml {
    let vg = ctx.vg();
    let ns = crate::model::Named::namespace(m);
    let name = crate::model::Named::name(m);
    let spec = &ctx.agent.spec;
    let s = &m.spec;
    let class = ctx.scrape_class(s.scrape_class.as_deref());
    let store = ctx.store(ns);
    let prober = s.prober.clone().unwrap_or_default();
    let mut c = Entries::new();
    push(&mut c, "job_name", format!("probe/{ns}/{name}"));
    honor_timestamps(
        vg,
        &mut c,
        Some(true),
        spec.override_honor_timestamps.unwrap_or(false),
    );
    push(
        &mut c,
        "metrics_path",
        prober.path.clone().unwrap_or_default(),
    );
    if let Some(v) = s.interval.as_ref().filter(|v| !v.is_empty()) {
        push(&mut c, "scrape_interval", v.as_str());
    }
    if let Some(v) = s.scrape_timeout.as_ref().filter(|v| !v.is_empty()) {
        push(&mut c, "scrape_timeout", v.as_str());
    }
    if let Some(sc) = prober.scheme {
        push(&mut c, "scheme", sc.as_str().to_lowercase());
    }
    let module = s.module.as_deref().unwrap_or("");
    let mut p = Entries::new();
    if !module.is_empty() {
        push(&mut p, "module", Yaml::strs([module]));
    }
    for param in s.params.iter().flatten() {
        if !module.is_empty() && param.name == "module" {
            continue;
        }
        let values = match &param.values {
            Some(v) => Yaml::strs(v.iter().cloned()),
            None => Yaml::Seq(Vec::new()),
        };
        p.push((param.name.clone().into(), values));
    }
    if !p.is_empty() {
        push(&mut c, "params", Yaml::Map(p));
    }
    limits(
        vg,
        &mut c,
        Limits {
            sample: s.sample_limit,
            target: s.target_limit,
            label: s.label_limit,
            label_name_length: s.label_name_length_limit,
            label_value_length: s.label_value_length_limit,
            keep_dropped_targets: s.keep_dropped_targets,
        },
        ctx.enforced_limits(),
    );
    native_histograms(
        vg,
        &mut c,
        NativeHistograms {
            scrape_native_histograms: s.scrape_native_histograms,
            native_histogram_bucket_limit: s.native_histogram_bucket_limit,
            native_histogram_min_bucket_factor: s.native_histogram_min_bucket_factor.as_ref(),
            scrape_classic_histograms: s.scrape_classic_histograms,
            convert_classic_histograms_to_nhcb: s.convert_classic_histograms_to_nhcb,
        },
    );
    scrape_protocols(vg, &mut c, s.scrape_protocols.as_deref());
    fallback_scrape_protocol(
        vg,
        &mut c,
        s.fallback_scrape_protocol
            .or(class.fallback_scrape_protocol),
    );
    if let Some(b) = spec
        .enforced_body_size_limit
        .as_ref()
        .filter(|b| !b.is_empty())
    {
        vg.min("2.28.0")
            .push(&mut c, "body_size_limit", Yaml::str(b.as_str()));
    }

    let mut r = init_relabelings();
    if let Some(j) = s.job_name.as_ref().filter(|j| !j.is_empty()) {
        r.push(rule(vec![
            ("target_label", Yaml::str("job")),
            ("replacement", Yaml::str(j.as_str())),
        ]));
    }
    let enforcer = ctx.enforcer();
    proxy(
        vg,
        store,
        &mut c,
        Proxy::new(
            &prober.proxy_url,
            &prober.no_proxy,
            prober.proxy_from_environment,
            &prober.proxy_connect_header,
        ),
    );
    let tls = merge_safe_tls(s.tls_config.as_ref(), &class);
    http_config(
        vg,
        store,
        &mut c,
        s.follow_redirects,
        s.enable_http2,
        tls.as_ref(),
    );

    let targets = s.targets.clone().unwrap_or_default();
    if let Some(sc) = &targets.static_config {
        let mut labels = sc.labels.clone().unwrap_or_default();
        labels
            .entry("namespace".into())
            .or_insert_with(|| ns.to_string());
        let static_config = Yaml::Map(vec![
            (
                "targets".into(),
                match &sc.r#static {
                    Some(t) => Yaml::strs(t.iter().cloned()),
                    None => Yaml::Seq(Vec::new()),
                },
            ),
            (
                "labels".into(),
                Yaml::Map(
                    labels
                        .into_iter()
                        .map(|(k, v)| (k.into(), Yaml::Str(v)))
                        .collect(),
                ),
            ),
        ]);
        push(&mut c, "static_configs", Yaml::Seq(vec![static_config]));
        r.push(map_rule("__address__", "__param_target"));
        r.push(map_rule("__param_target", "instance"));
        r.push(rule(vec![
            ("target_label", Yaml::str("__address__")),
            ("replacement", Yaml::str(prober.url.as_str())),
        ]));
        r.extend(relabel_configs(class.relabelings.as_deref().unwrap_or(&[])));
        r.extend(relabel_configs(&enforcer.apply(
            "Probe",
            ns,
            name,
            sc.relabeling_configs.as_deref().unwrap_or(&[]),
        )));
    } else if let Some(ing) = &targets.ingress {
        let selector = ing.selector.clone().unwrap_or_default();
        r.extend(selector_relabelings("__meta_kubernetes_ingress", &selector));
        let sd = K8sSd {
            role: "ingress",
            namespaces: sd_namespaces(
                ing.namespace_selector.as_ref(),
                ns,
                ctx.ignore_namespace_selectors(),
            ),
            apiserver: spec.apiserver_config.as_ref(),
            attach_metadata: None,
            daemon_set: ctx.daemon_set,
            role_selector: None,
        };
        push(
            &mut c,
            "kubernetes_sd_configs",
            kubernetes_sd_configs(vg, store, &sd),
        );
        r.push(rule(vec![
            (
                "source_labels",
                Yaml::strs([
                    "__meta_kubernetes_ingress_scheme",
                    "__address__",
                    "__meta_kubernetes_ingress_path",
                ]),
            ),
            ("separator", Yaml::str(";")),
            ("regex", Yaml::str("(.+);(.+);(.+)")),
            ("target_label", Yaml::str("__param_target")),
            ("replacement", Yaml::str("${1}://${2}${3}")),
            ("action", Yaml::str("replace")),
        ]));
        r.push(map_rule("__meta_kubernetes_namespace", "namespace"));
        r.push(map_rule("__meta_kubernetes_ingress_name", "ingress"));
        r.push(rule(vec![
            ("source_labels", Yaml::strs(["__address__"])),
            ("separator", Yaml::str(";")),
            ("regex", Yaml::str("(.*)")),
            ("target_label", Yaml::str("__tmp_ingress_address")),
            ("replacement", Yaml::str("$1")),
            ("action", Yaml::str("replace")),
        ]));
        r.push(map_rule("__param_target", "instance"));
        r.push(rule(vec![
            ("target_label", Yaml::str("__address__")),
            ("replacement", Yaml::str(prober.url.as_str())),
        ]));
        r.extend(relabel_configs(class.relabelings.as_deref().unwrap_or(&[])));
        r.extend(relabel_configs(&enforcer.apply(
            "Probe",
            ns,
            name,
            ing.relabeling_configs.as_deref().unwrap_or(&[]),
        )));
    }
    r.extend(sharding_relabelings(&ctx.sharding, "__param_target"));
    push(&mut c, "relabel_configs", Yaml::Seq(r));

    if let Some(b) = &s.bearer_token_secret
        && let Ok(v) = store.secret(b)
    {
        push(&mut c, "bearer_token", v);
    }
    basic_auth(vg, store, &mut c, s.basic_auth.as_ref());
    oauth2(vg, store, &mut c, s.oauth2.as_ref());
    authorization(
        vg,
        store,
        &mut c,
        merge_authorization(s.authorization.as_ref(), &class).as_ref(),
    );
    let mut metric = class.metric_relabelings.clone().unwrap_or_default();
    metric.extend(enforcer.apply(
        "Probe",
        ns,
        name,
        s.metric_relabelings.as_deref().unwrap_or(&[]),
    ));
    if !metric.is_empty() {
        push(
            &mut c,
            "metric_relabel_configs",
            Yaml::Seq(relabel_configs(&metric)),
        );
    }
    Yaml::Map(c)
}
