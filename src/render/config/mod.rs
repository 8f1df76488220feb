//! The agent's `prometheus.yml`, as the operator writes it into the `prom-agent-<name>` Secret:
//! `global`, `runtime`, `scrape_configs` (PodMonitors, additional scrape configs, then in StatefulSet
//! mode ServiceMonitors, Probes and ScrapeConfigs), `storage`, `remote_write`, `otlp` and `tracing`.
//!
//! [`Context`] carries what every job renderer needs (the agent, its Prometheus version, operator
//! options, the asset store, sharding); the shared sub-renderers live in [`common`].
//! ScrapeConfig jobs come from [`scrapeconfig`], service-discovery sections from its `sd` helpers.

pub mod common;
pub mod monitors;
mod remote_write;
pub mod scrapeconfig;
mod sd;

use crate::diag::{Diagnostic, Layer};
use crate::fieldpath::FieldPath;
use crate::model::{
    AttachMetadata as ModelAttachMetadata, Inventory, Object, PodMetricsEndpoint, PodMonitor,
    PrometheusAgent, PrometheusAgentMode, ScrapeClass, ServiceDiscoveryRole, ShardingStrategyMode,
};
use crate::render::goyaml::{self, MapKey, Yaml};
use crate::render::options::OperatorOptions;
use crate::version::{Version, prometheus_version};
use common::*;

/// The rendered configuration of one agent.
#[derive(Clone, Debug)]
pub struct RenderedConfig {
    /// The configuration, printed as go-yaml v2 prints it.
    pub text: String,
    /// The tree `text` was written from, with where each node was written, for checking it
    /// without reading the text (see [`check_rendered`]); `None` when a reader would not give
    /// each node the span the writer knows.
    pub tree: Option<goyaml::WrittenTree>,
    /// Things the operator would log or that the input lacks (missing Secrets, rejected monitors…).
    pub warnings: Vec<Diagnostic>,
    /// Every Secret / ConfigMap key the config reads.
    pub secrets_used: Vec<SecretUse>,
}

/// What every job renderer of one agent needs.
pub struct Context<'a> {
    pub agent: &'a PrometheusAgent,
    pub version: Version,
    pub options: &'a OperatorOptions,
    pub assets: Assets<'a>,
    pub daemon_set: bool,
    pub sharding: Sharding,
}

impl<'a> Context<'a> {
    pub fn new(
        agent: &'a PrometheusAgent,
        inventory: &'a Inventory,
        options: &'a OperatorOptions,
    ) -> Result<Self, String> {
        let version = prometheus_version(agent.spec.version.as_deref())?;
        let daemon_set = agent.spec.mode == Some(PrometheusAgentMode::DaemonSet);
        let shards = agent.spec.shards.filter(|s| *s > 1).unwrap_or(1);
        let topology_zones = topology_zones(agent, options);
        let apart = Apart {
            agent,
            version,
            options,
            inventory,
            daemon_set,
            sharding: Sharding {
                shards,
                topology_zones,
                pod_topology_labels: options.pod_topology_labels_supported(),
            },
        };
        Ok(apart.context())
    }

    /// The same context with a record of assets of its own, to render on another core: its
    /// record is added back to this one's with [`Assets::absorb`].
    fn apart(&self) -> Apart<'a> {
        Apart {
            agent: self.agent,
            version: self.version.clone(),
            options: self.options,
            inventory: self.assets.inventory,
            daemon_set: self.daemon_set,
            sharding: self.sharding.clone(),
        }
    }

    pub fn vg(&self) -> Gen<'_> {
        Gen::new(&self.version)
    }

    pub fn store<'s>(&'s self, namespace: &'s str) -> Store<'s> {
        self.assets.for_namespace(namespace)
    }

    pub fn scrape_class(&self, name: Option<&str>) -> ScrapeClass {
        scrape_class(
            self.agent.spec.scrape_classes.as_deref().unwrap_or(&[]),
            name,
        )
    }

    pub fn enforcer(&self) -> NamespaceEnforcer<'_> {
        NamespaceEnforcer {
            label: self
                .agent
                .spec
                .enforced_namespace_label
                .as_deref()
                .unwrap_or(""),
            excluded: self
                .agent
                .spec
                .excluded_from_enforcement
                .as_deref()
                .unwrap_or(&[]),
        }
    }

    pub fn enforced_limits(&self) -> EnforcedLimits {
        let s = &self.agent.spec;
        EnforcedLimits {
            sample: s.enforced_sample_limit,
            target: s.enforced_target_limit,
            label: s.enforced_label_limit,
            label_name_length: s.enforced_label_name_length_limit,
            label_value_length: s.enforced_label_value_length_limit,
            keep_dropped_targets: s.enforced_keep_dropped_targets,
        }
    }

    pub fn ignore_namespace_selectors(&self) -> bool {
        self.agent.spec.ignore_namespace_selectors.unwrap_or(false)
    }

    /// `attach_metadata` for a monitor: its own setting, else its scrape class's; topology sharding
    /// forces node metadata unless pods carry zone labels.
    pub fn attach_metadata(
        &self,
        own: Option<&ModelAttachMetadata>,
        class: &ScrapeClass,
        min_version: &'static str,
    ) -> Option<AttachMetadata> {
        let merged = own
            .or(class.attach_metadata.as_ref())
            .map(|a| AttachMetadata {
                node: a.node.unwrap_or(false),
                min_version,
            });
        if self.sharding.topology_zones.is_none() || self.sharding.pod_topology_labels {
            return merged;
        }
        if merged.is_some_and(|m| m.node) {
            return merged;
        }
        Some(AttachMetadata {
            node: true,
            min_version,
        })
    }

    /// `endpoints` or `endpointslice` for ServiceMonitors.
    pub fn endpoint_role(&self, role: Option<ServiceDiscoveryRole>) -> &'static str {
        if !self.options.endpoint_slice_supported() || self.version.less_than(2, 21, 0) {
            return "endpoints";
        }
        if role == Some(ServiceDiscoveryRole::EndpointSlice) {
            "endpointslice"
        } else {
            "endpoints"
        }
    }
}

/// What a [`Context`] is made of, without its record of assets: shared by the cores that
/// render jobs.
struct Apart<'a> {
    agent: &'a PrometheusAgent,
    version: Version,
    options: &'a OperatorOptions,
    inventory: &'a Inventory,
    daemon_set: bool,
    sharding: Sharding,
}

impl<'a> Apart<'a> {
    fn context(&self) -> Context<'a> {
        Context {
            agent: self.agent,
            version: self.version.clone(),
            options: self.options,
            assets: Assets::new(self.inventory, self.options),
            daemon_set: self.daemon_set,
            sharding: self.sharding.clone(),
        }
    }
}

/// The jobs of the pod monitors' endpoints, in order: on every core when there are many, each
/// with its own record of assets, added back in order.
fn pod_monitor_jobs(
    ctx: &Context,
    monitors: &[&Object<PodMonitor>],
    min_parallel: usize,
) -> Vec<Yaml> {
    use rayon::prelude::*;
    let endpoints: Vec<(&PodMonitor, &PodMetricsEndpoint, usize)> = monitors
        .iter()
        .map(|o| &o.value)
        .flat_map(|m| {
            m.spec
                .pod_metrics_endpoints
                .iter()
                .flatten()
                .enumerate()
                .map(move |(i, ep)| (m, ep, i))
        })
        .collect();
    if endpoints.len() < min_parallel {
        return endpoints
            .into_iter()
            .map(|(m, ep, i)| monitors::pod_monitor_job(ctx, m, ep, i))
            .collect();
    }
    let apart = ctx.apart();
    let rendered: Vec<(Yaml, Assets)> = endpoints
        .into_par_iter()
        .map(|(m, ep, i)| {
            let cx = apart.context();
            (monitors::pod_monitor_job(&cx, m, ep, i), cx.assets)
        })
        .collect();
    rendered
        .into_iter()
        .map(|(job, assets)| {
            ctx.assets.absorb(assets);
            job
        })
        .collect()
}

/// Jobs rendered on every core from this many on.
const PARALLEL_JOBS: usize = 64;

fn topology_zones(agent: &PrometheusAgent, options: &OperatorOptions) -> Option<i32> {
    if !options.feature_gates.prometheus_topology_sharding {
        return None;
    }
    let ss = agent.spec.sharding_strategy.as_ref()?;
    if ss.mode != Some(ShardingStrategyMode::Topology) {
        return None;
    }
    let n = ss.topology.as_ref()?.values.as_ref()?.len();
    (n > 0).then_some(n as i32)
}

fn refused(agent: &Object<PrometheusAgent>, message: impl Into<String>, path: &str) -> Diagnostic {
    Diagnostic::error(Layer::Operator, "render/refused", message)
        .with_object(crate::diag::ObjectRef {
            kind: "PrometheusAgent".into(),
            namespace: agent.namespace().to_string(),
            name: agent.name().to_string(),
        })
        .with_path(FieldPath::parse(path))
}

/// Renders the `prometheus.yml` of one agent, or the error that makes the operator refuse it.
/// The monitors come from [`crate::select::select`]; the ones the operator rejects are reported as
/// warnings and, unless `opts.drop_rejected`, rendered as the operator's config generator renders
/// them.
#[allow(clippy::result_large_err)] // a refusal is one Diagnostic, returned once per agent
pub fn render_config(
    agent: &Object<PrometheusAgent>,
    inv: &Inventory,
    opts: &OperatorOptions,
) -> Result<RenderedConfig, Diagnostic> {
    let mut selection = crate::check::selection::select(agent, inv, opts);
    if !opts.drop_rejected {
        selection = selection.keeping_rejected(inv);
    }
    render_selected(agent, inv, opts, &selection)
}

/// Renders with a selection computed by the caller (e.g. with the loaded documents for locations).
#[allow(clippy::result_large_err)]
pub fn render_selected(
    agent: &Object<PrometheusAgent>,
    inv: &Inventory,
    opts: &OperatorOptions,
    selected: &crate::check::selection::Selection,
) -> Result<RenderedConfig, Diagnostic> {
    if let Some(e) = selected.selector_errors.first() {
        return Err(e.clone());
    }
    let ctx =
        Context::new(&agent.value, inv, opts).map_err(|e| refused(agent, e, "spec.version"))?;
    let spec = &agent.value.spec;
    let mut warnings: Vec<Diagnostic> = selected
        .rejected
        .iter()
        .map(|r| {
            let mut d = r.diagnostic.clone();
            d.severity = crate::diag::Severity::Warning;
            let fate = if opts.drop_rejected {
                "left out"
            } else {
                "rendered anyway; the operator leaves it out"
            };
            d.message = format!(
                "{:?} was rejected due to invalid configuration: {} ({fate})",
                format!("{}/{}", r.object.namespace, r.object.name),
                r.diagnostic.message
            );
            d
        })
        .collect();
    if ctx.daemon_set && !opts.feature_gates.prometheus_agent_daemon_set {
        warnings.push(
            Diagnostic::warning(
                Layer::Operator,
                "render/daemonset-gate",
                "feature gate for Prometheus Agent's DaemonSet mode is not enabled: the operator refuses this agent until PrometheusAgentDaemonSet=true",
            )
            .with_path(FieldPath::parse("spec.mode")),
        );
    }
    let scrape_interval = spec
        .scrape_interval
        .clone()
        .unwrap_or_else(|| "30s".to_string());
    if let Some(t) = spec.scrape_timeout.as_ref().filter(|t| !t.is_empty()) {
        compare_timeout(t, &scrape_interval)
            .map_err(|e| refused(agent, e, "spec.scrapeTimeout"))?;
    }

    let mut doc = Entries::new();
    push(&mut doc, "global", global(&ctx, agent, &scrape_interval));
    runtime(&ctx, &mut doc);

    let mut jobs = pod_monitor_jobs(&ctx, &selected.pod_monitors, PARALLEL_JOBS);
    jobs.extend(
        additional_scrape_configs(&ctx, agent)
            .map_err(|e| refused(agent, e, "spec.additionalScrapeConfigs"))?,
    );
    if !ctx.daemon_set {
        for m in selected.service_monitors.iter().map(|o| &o.value) {
            for (i, ep) in m.spec.endpoints.iter().enumerate() {
                jobs.push(monitors::service_monitor_job(&ctx, m, ep, i));
            }
        }
        for p in selected.probes.iter().map(|o| &o.value) {
            jobs.push(monitors::probe_job(&ctx, p));
        }
        let sc_cx = scrapeconfig::ScrapeConfigContext::new(&ctx);
        for sc in &selected.scrape_configs {
            jobs.extend(scrapeconfig::render(sc, &sc_cx)?);
        }
    }
    push(&mut doc, "scrape_configs", Yaml::Seq(jobs));

    storage(&ctx, &mut doc).map_err(|e| refused(agent, e, "spec.tsdb"))?;
    if let Some(rws) = spec.remote_write.as_ref().filter(|r| !r.is_empty()) {
        let rw = remote_write::remote_write(&ctx, agent.namespace(), rws).map_err(|(i, e)| {
            refused(
                agent,
                format!("remoteWrite[{i}]: {e}"),
                &format!("spec.remoteWrite[{i}]"),
            )
        })?;
        push(&mut doc, "remote_write", rw);
    }
    otlp(&ctx, &mut doc).map_err(|e| {
        refused(
            agent,
            format!("failed to generate OTLP configuration: {e}"),
            "spec.otlp",
        )
    })?;
    tracing(&ctx, agent.namespace(), &mut doc).map_err(|e| {
        refused(
            agent,
            format!("failed to generate tracing configuration: {e}"),
            "spec.tracingConfig",
        )
    })?;

    let mut yaml = Yaml::Map(doc);
    if !ctx.options.show_secrets {
        redact_url_passwords(&mut yaml);
    }
    let (text, written) = goyaml::to_string_with_spans(&yaml);
    let tree = written.map(|w| goyaml::WrittenTree::new(yaml, w));
    let (secrets_used, mut store_warnings) = ctx.assets.finish();
    let object = crate::diag::ObjectRef {
        kind: "PrometheusAgent".into(),
        namespace: agent.namespace().to_string(),
        name: agent.name().to_string(),
    };
    warnings.append(&mut store_warnings);
    let warnings = warnings
        .into_iter()
        .map(|w| {
            if w.object.is_none() {
                w.with_object(object.clone())
            } else {
                w
            }
        })
        .collect();
    Ok(RenderedConfig {
        text,
        tree,
        warnings,
        secrets_used,
    })
}

/// What Prometheus reports loading a configuration rendered here (`file`, written from `tree`):
/// checked from the tree, one scrape job at a time, when it reads back as written; otherwise
/// from the text.
pub fn check_rendered(
    file: &std::sync::Arc<crate::diag::SourceFile>,
    tree: Option<goyaml::WrittenTree>,
    options: &crate::promconfig::LoadOptions,
) -> Vec<Diagnostic> {
    let read = goyaml::WrittenTree::read_back;
    let from_tree = tree.and_then(|tree| {
        if tree.has_items("scrape_configs") {
            let (head, jobs) = tree.split("scrape_configs")?;
            crate::promconfig::check_parts(file, head, jobs, read, options)
        } else {
            let no_jobs: Vec<goyaml::WrittenTree> = Vec::new();
            crate::promconfig::check_parts(file, tree.read_back()?, no_jobs, read, options)
        }
    });
    from_tree.unwrap_or_else(|| crate::promconfig::check_text(file, options))
}

/// Prometheus duration (`1h30m`, `500ms`) in milliseconds.
pub fn parse_duration_ms(s: &str) -> Option<u128> {
    if s == "0" {
        return Some(0);
    }
    if s.is_empty() {
        return None;
    }
    let units: [(&str, u128); 7] = [
        ("y", 365 * 24 * 3_600_000),
        ("w", 7 * 24 * 3_600_000),
        ("d", 24 * 3_600_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
        ("ms", 1),
    ];
    let mut rest = s;
    let mut total: u128 = 0;
    let mut last_unit = 0usize;
    while !rest.is_empty() {
        let n = rest.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        let value: u128 = rest[..n].parse().ok()?;
        rest = &rest[n..];
        let (idx, (unit, mult)) = units
            .iter()
            .enumerate()
            .filter(|(_, (u, _))| rest.starts_with(u))
            .max_by_key(|(_, (u, _))| u.len())?;
        if idx < last_unit || (idx == last_unit && total > 0) {
            return None;
        }
        last_unit = idx;
        rest = &rest[unit.len()..];
        total += value * mult;
    }
    Some(total)
}

fn compare_timeout(timeout: &str, interval: &str) -> Result<(), String> {
    let si = parse_duration_ms(interval).ok_or_else(|| {
        format!("invalid scrapeInterval {interval:?}: not a valid duration string: {interval:?}")
    })?;
    let st = parse_duration_ms(timeout).ok_or_else(|| {
        format!("invalid scrapeTimeout: {timeout:?}: not a valid duration string: {timeout:?}")
    })?;
    if st > si {
        return Err(format!(
            "scrapeTimeout {timeout:?} greater than scrapeInterval {interval:?}"
        ));
    }
    Ok(())
}

fn global(ctx: &Context, agent: &Object<PrometheusAgent>, scrape_interval: &str) -> Yaml {
    let vg = ctx.vg();
    let s = &ctx.agent.spec;
    let mut g = Entries::new();
    push(&mut g, "scrape_interval", scrape_interval);
    if let Some(t) = s.scrape_timeout.as_ref().filter(|t| !t.is_empty()) {
        push(&mut g, "scrape_timeout", t.as_str());
    }
    scrape_protocols(vg, &mut g, s.scrape_protocols.as_deref());
    push(&mut g, "external_labels", external_labels(ctx, agent));
    let g45 = vg.min("2.45.0");
    if let Some(b) = &s.body_size_limit {
        g45.push(&mut g, "body_size_limit", Yaml::str(b.as_str()));
    } else if let Some(b) = s
        .enforced_body_size_limit
        .as_ref()
        .filter(|b| !b.is_empty())
    {
        g45.push(&mut g, "body_size_limit", Yaml::str(b.as_str()));
    }
    let global_limit = |g: &mut Entries,
                        gate: Gen,
                        key: &'static str,
                        limit: Option<i64>,
                        enforced: Option<i64>| {
        let l = limit.unwrap_or(0);
        let e = enforced.unwrap_or(0);
        if l > 0 {
            gate.push(g, key, Yaml::Int(if e > 0 && l > e { e } else { l }));
        } else if e > 0 {
            gate.push(g, key, Yaml::Int(e));
        }
    };
    global_limit(
        &mut g,
        g45,
        "sample_limit",
        s.sample_limit,
        s.enforced_sample_limit,
    );
    global_limit(
        &mut g,
        g45,
        "target_limit",
        s.target_limit,
        s.enforced_target_limit,
    );
    global_limit(
        &mut g,
        g45,
        "label_limit",
        s.label_limit,
        s.enforced_label_limit,
    );
    global_limit(
        &mut g,
        g45,
        "label_name_length_limit",
        s.label_name_length_limit,
        s.enforced_label_name_length_limit,
    );
    global_limit(
        &mut g,
        g45,
        "label_value_length_limit",
        s.label_value_length_limit,
        s.enforced_label_value_length_limit,
    );
    global_limit(
        &mut g,
        vg.min("2.47.0"),
        "keep_dropped_targets",
        s.keep_dropped_targets,
        s.enforced_keep_dropped_targets,
    );
    if let Some(f) = &s.scrape_failure_log_file {
        let path = if !f.is_empty() && !f.contains('/') {
            format!("{DEFAULT_LOG_DIRECTORY}/{f}")
        } else {
            f.clone()
        };
        vg.min("2.55.0")
            .push(&mut g, "scrape_failure_log_file", Yaml::Str(path));
    }
    if let Some(n) = s.name_validation_scheme {
        vg.min("3.0.0").push(
            &mut g,
            "metric_name_validation_scheme",
            Yaml::Str(n.as_str().to_lowercase()),
        );
    }
    if let Some(n) = s.name_escaping_scheme {
        use crate::model::NameEscapingSchemeOptions as E;
        let v = match n {
            E::AllowUTF8 => "allow-utf-8",
            E::Underscores => "underscores",
            E::Dots => "dots",
            E::Values => "values",
        };
        vg.min("3.4.0")
            .push(&mut g, "metric_name_escaping_scheme", Yaml::str(v));
    }
    if let Some(v) = s.convert_classic_histograms_to_nhcb {
        vg.min("3.4.0")
            .push(&mut g, "convert_classic_histograms_to_nhcb", Yaml::Bool(v));
    }
    if let Some(v) = s.scrape_classic_histograms {
        vg.min("3.5.0")
            .push(&mut g, "always_scrape_classic_histograms", Yaml::Bool(v));
    }
    if let Some(v) = s.scrape_native_histograms {
        vg.min("3.8.0")
            .push(&mut g, "scrape_native_histograms", Yaml::Bool(v));
    }
    Yaml::Map(g)
}

fn external_labels(ctx: &Context, agent: &Object<PrometheusAgent>) -> Yaml {
    let s = &ctx.agent.spec;
    let mut m: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    let prom = s
        .prometheus_external_label_name
        .as_deref()
        .unwrap_or("prometheus");
    if !prom.is_empty() {
        m.insert(
            prom.to_string(),
            format!("{}/{}", agent.namespace(), agent.name()),
        );
    }
    let replica = s
        .replica_external_label_name
        .as_deref()
        .unwrap_or("prometheus_replica");
    if !replica.is_empty() {
        m.insert(replica.to_string(), "$(POD_NAME)".to_string());
    }
    if ctx.options.feature_gates.prometheus_topology_sharding
        && let Some(ss) = &s.sharding_strategy
        && ss.mode == Some(ShardingStrategyMode::Topology)
        && let Some(t) = &ss.topology
    {
        let name = t.external_label_name.as_deref().unwrap_or("zone");
        if !name.is_empty() {
            m.insert(name.to_string(), "$(TOPOLOGY_ZONE)".to_string());
        }
    }
    for (k, v) in s.external_labels.iter().flatten() {
        if m.contains_key(k) {
            ctx.assets.warn(
                Diagnostic::warning(
                    Layer::Operator,
                    "render/reserved-external-label",
                    format!("ignoring external label {k:?} because it is a reserved key"),
                )
                .with_path(
                    FieldPath::root()
                        .key("spec")
                        .key("externalLabels")
                        .key(k.clone()),
                ),
            );
            continue;
        }
        m.insert(k.clone(), v.clone());
    }
    Yaml::Map(
        m.into_iter()
            .map(|(k, v)| (k.into(), Yaml::Str(v)))
            .collect(),
    )
}

fn runtime(ctx: &Context, doc: &mut Entries) {
    let Some(rt) = &ctx.agent.spec.runtime else {
        return;
    };
    if !ctx.vg().at_least("2.53.0") {
        return;
    }
    let mut r = Entries::new();
    if let Some(gc) = rt.go_gc {
        push(&mut r, "gogc", Yaml::Int(gc.into()));
    }
    push(doc, "runtime", Yaml::Map(r));
}

fn storage(ctx: &Context, doc: &mut Entries) -> Result<(), String> {
    let s = &ctx.agent.spec;
    let Some(tsdb) = &s.tsdb else { return Ok(()) };
    if let Some(q) = &tsdb.stale_series_compaction_threshold {
        let v = quantity_to_f64(&q.0);
        if !(0.0..=1.0).contains(&v) {
            return Err(format!(
                "`staleSeriesCompactionThreshold` must be between 0 and 1. The current value is {}",
                q.0
            ));
        }
    }
    if let Some(f) = tsdb.chunk_encoding.as_ref().and_then(|c| c.floats)
        && f == crate::model::ChunkEncodingFloats::Xor
        && s.enable_features
            .iter()
            .flatten()
            .any(|f| f == "st-storage")
    {
        return Err("chunk encoding \"Xor\" is incompatible with --enable-feature=st-storage (XOR chunks do not store start timestamps)".into());
    }
    let vg = ctx.vg();
    let tsdb_storage = |inner: Entries| Yaml::Map(vec![("tsdb".into(), Yaml::Map(inner))]);
    if let Some(w) = &tsdb.out_of_order_time_window {
        vg.min("2.54.0").push(
            doc,
            "storage",
            tsdb_storage(vec![(
                "out_of_order_time_window".into(),
                Yaml::str(w.as_str()),
            )]),
        );
    }
    if let Some(q) = &tsdb.stale_series_compaction_threshold {
        vg.min("3.10.0").push(
            doc,
            "storage",
            tsdb_storage(vec![(
                "stale_series_compaction_threshold".into(),
                Yaml::Float(quantity_to_f64(&q.0)),
            )]),
        );
    }
    if let Some(f) = tsdb.chunk_encoding.as_ref().and_then(|c| c.floats) {
        vg.min("3.13.0").push(
            doc,
            "storage",
            tsdb_storage(vec![(
                "chunk_encoding".into(),
                Yaml::Map(vec![(
                    "floats".into(),
                    Yaml::Str(f.as_str().to_lowercase()),
                )]),
            )]),
        );
    }
    Ok(())
}

fn otlp(ctx: &Context, doc: &mut Entries) -> Result<(), String> {
    use crate::model::{NameValidationSchemeOptions, TranslationStrategyOption as T};
    let s = &ctx.agent.spec;
    let Some(o) = &s.otlp else { return Ok(()) };
    let v = &ctx.version;
    if v.less_than(2, 55, 0) {
        return Err("OTLP configuration is only supported from Prometheus version 2.55.0".into());
    }
    if o.translation_strategy == Some(T::NoUTF8EscapingWithSuffixes)
        && s.name_validation_scheme == Some(NameValidationSchemeOptions::Legacy)
    {
        return Err("nameValidationScheme \"Legacy\" is not compatible with OTLP translation strategy \"NoUTF8EscapingWithSuffixes\"".into());
    }
    if v.less_than(3, 4, 0) && o.translation_strategy == Some(T::NoTranslation) {
        return Err("nameValidationScheme \"NoTranslation\" is only supported from Prometheus version 3.4.0 ".into());
    }
    if v.less_than(3, 6, 0) && o.translation_strategy == Some(T::UnderscoreEscapingWithoutSuffixes)
    {
        return Err(
            "nameValidationScheme \"UnderscoreEscapingWithoutSuffixes\" is only supported from Prometheus version 3.6.0 "
                .into(),
        );
    }
    let promote = o.promote_resource_attributes.as_deref().unwrap_or(&[]);
    let ignore = o.ignore_resource_attributes.as_deref().unwrap_or(&[]);
    if v.at_least(3, 5, 0) {
        if !promote.is_empty() && o.promote_all_resource_attributes == Some(true) {
            return Err("'promoteAllResourceAttributes' cannot be set to 'true' simultaneously with 'promoteResourceAttributes'".into());
        }
        if !ignore.is_empty() && o.promote_all_resource_attributes != Some(true) {
            return Err("'ignoreResourceAttributes' can only be set when 'promoteAllResourceAttributes' is true".into());
        }
    }
    let vg = ctx.vg();
    let mut m = Entries::new();
    if !promote.is_empty() {
        vg.min("2.55.0").push(
            &mut m,
            "promote_resource_attributes",
            Yaml::strs(promote.iter().cloned()),
        );
    }
    if let Some(t) = o.translation_strategy {
        vg.min("3.0.0")
            .push(&mut m, "translation_strategy", Yaml::str(t.as_str()));
    }
    let bools = [
        (
            "keep_identifying_resource_attributes",
            o.keep_identifying_resource_attributes,
            "3.1.0",
        ),
        (
            "convert_histograms_to_nhcb",
            o.convert_histograms_to_nhcb,
            "3.4.0",
        ),
        (
            "promote_all_resource_attributes",
            o.promote_all_resource_attributes,
            "3.5.0",
        ),
    ];
    for (k, val, min) in bools {
        if let Some(b) = val {
            vg.min(min).push(&mut m, k, Yaml::Bool(b));
        }
    }
    if !ignore.is_empty() {
        vg.min("3.5.0").push(
            &mut m,
            "ignore_resource_attributes",
            Yaml::strs(ignore.iter().cloned()),
        );
    }
    let bools = [
        ("promote_scope_metadata", o.promote_scope_metadata, "3.6.0"),
        (
            "label_name_underscore_sanitization",
            o.label_name_underscore_sanitization,
            "3.8.0",
        ),
        (
            "label_name_preserve_multiple_underscores",
            o.label_name_preserve_multiple_underscores,
            "3.8.0",
        ),
    ];
    for (k, val, min) in bools {
        if let Some(b) = val {
            vg.min(min).push(&mut m, k, Yaml::Bool(b));
        }
    }
    if !m.is_empty() {
        push(doc, "otlp", Yaml::Map(m));
    }
    Ok(())
}

fn tracing(ctx: &Context, namespace: &str, doc: &mut Entries) -> Result<(), String> {
    let Some(t) = &ctx.agent.spec.tracing_config else {
        return Ok(());
    };
    if let Some(q) = &t.sampling_fraction {
        let v = quantity_to_f64(&q.0);
        if !(0.0..=1.0).contains(&v) {
            return Err("`samplingFraction` must be between 0 and 1".into());
        }
    }
    let mut m = Entries::new();
    push(&mut m, "endpoint", t.endpoint.as_str());
    if let Some(c) = &t.client_type {
        push(&mut m, "client_type", c.to_lowercase());
    }
    if let Some(q) = &t.sampling_fraction {
        push(
            &mut m,
            "sampling_fraction",
            Yaml::Float(quantity_to_f64(&q.0)),
        );
    }
    if let Some(i) = t.insecure {
        push(&mut m, "insecure", i);
    }
    if let Some(h) = t.headers.as_ref().filter(|h| !h.is_empty()) {
        // Go iterates this map in random order; promagent sorts it.
        let entries = h
            .iter()
            .map(|(k, v)| (k.clone(), Yaml::str(v.as_str())))
            .collect();
        push(&mut m, "headers", Yaml::sorted_map(entries));
    }
    if let Some(c) = &t.compression {
        push(&mut m, "compression", c.to_lowercase());
    }
    if let Some(to) = &t.timeout {
        push(&mut m, "timeout", to.as_str());
    }
    tls_config(
        ctx.vg(),
        ctx.store(namespace),
        &mut m,
        t.tls_config.as_ref(),
    );
    push(doc, "tracing", Yaml::Map(m));
    Ok(())
}

/// Converts a parsed YAML node into a tree, as go-yaml v2 decodes into `interface{}` values.
fn node_to_yaml(node: &crate::load::yaml::Node) -> Yaml {
    use crate::load::yaml::NodeValue as V;
    match &node.value {
        V::Null => Yaml::Null,
        V::Bool(b) => Yaml::Bool(*b),
        V::Int(i) => Yaml::Int(*i),
        V::Float(f) => Yaml::Float(*f),
        V::Str(s) => Yaml::Str(s.clone()),
        V::Seq(items) => Yaml::Seq(items.iter().map(node_to_yaml).collect()),
        V::Map(entries) => Yaml::Map(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone().into(), node_to_yaml(v)))
                .collect(),
        ),
    }
}

/// The jobs of `spec.additionalScrapeConfigs`, with sharding rules added when shards > 1.
fn additional_scrape_configs(
    ctx: &Context,
    agent: &Object<PrometheusAgent>,
) -> Result<Vec<Yaml>, String> {
    let Some(sel) = &ctx.agent.spec.additional_scrape_configs else {
        return Ok(Vec::new());
    };
    let store = ctx.store(agent.namespace());
    let Ok(text) = store.secret_plain(sel) else {
        // The operator fails when the Secret is absent; promagent has already warned and renders without it.
        return Ok(Vec::new());
    };
    let parsed = crate::load::yaml::parse(&text, &crate::load::yaml::Limits::default());
    if let Some(e) = parsed.error {
        return Err(format!(
            "generate additional scrape configs: unmarshalling additional scrape configs failed: {e:?}"
        ));
    }
    let jobs: Vec<Yaml> = match parsed.documents.first().map(node_to_yaml) {
        None | Some(Yaml::Null) => Vec::new(),
        Some(Yaml::Seq(items)) => items,
        Some(_) => {
            return Err(
                "generate additional scrape configs: unmarshalling additional scrape configs failed: the value is not a list"
                    .into(),
            );
        }
    };
    let jobs = if ctx.options.show_secrets {
        jobs
    } else {
        jobs.into_iter().map(redact_job).collect()
    };
    if ctx.daemon_set || ctx.sharding.shards == 1 {
        return Ok(jobs);
    }
    let mut out = Vec::new();
    for job in jobs {
        let Yaml::Map(entries) = job else {
            return Err("generate additional scrape configs: error parsing relabel configs".into());
        };
        let mut others = Entries::new();
        let mut relabelings: Vec<Yaml> = Vec::new();
        for (k, v) in entries {
            if k != "relabel_configs" {
                others.push((k, v));
                continue;
            }
            match v {
                Yaml::Seq(items) => relabelings.extend(items),
                _ => {
                    return Err(
                        "generate additional scrape configs: error parsing relabel configs".into(),
                    );
                }
            }
        }
        let has_hashmod = relabelings
            .iter()
            .any(|r| r.get("action") == Some(&Yaml::str("hashmod")));
        if !has_hashmod {
            relabelings.extend(sharding_relabelings(&ctx.sharding, "__address__"));
        }
        others.push(("relabel_configs".into(), Yaml::Seq(relabelings)));
        out.push(Yaml::Map(others));
    }
    Ok(out)
}

/// A hand-written scrape config with every `config.Secret` value (whatever its YAML type) replaced
/// by the redaction marker, and the password of every URL by `xxxxx`, as Prometheus prints it.
fn redact_job(job: Yaml) -> Yaml {
    redact_under(job, &mut Vec::new())
}

fn redact_under(y: Yaml, path: &mut Vec<MapKey>) -> Yaml {
    match y {
        Yaml::Map(entries) => Yaml::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    path.push(k);
                    let keys: Vec<&str> = path.iter().map(|k| k.as_ref()).collect();
                    let v = if crate::promconfig::secrets::in_scrape_config(&keys) {
                        redacted(v)
                    } else {
                        redact_under(v, path)
                    };
                    (path.pop().unwrap_or_default(), v)
                })
                .collect(),
        ),
        Yaml::Seq(items) => Yaml::Seq(items.into_iter().map(|i| redact_under(i, path)).collect()),
        Yaml::Str(s) => match crate::shown::redact_url(&s) {
            Some(redacted) => Yaml::Str(redacted),
            None => Yaml::Str(s),
        },
        other => other,
    }
}

/// The configuration with the password of every URL replaced by `xxxxx` (`remote_write.url`,
/// `proxy_url`, a ScrapeConfig's discovery servers…), as Prometheus prints a `config.URL`.
fn redact_url_passwords(y: &mut Yaml) {
    match y {
        Yaml::Map(entries) => entries
            .iter_mut()
            .for_each(|(_, v)| redact_url_passwords(v)),
        Yaml::Seq(items) => items.iter_mut().for_each(redact_url_passwords),
        Yaml::Str(s) => {
            if let Some(redacted) = crate::shown::redact_url(s) {
                *s = redacted;
            }
        }
        _ => {}
    }
}

/// A secret value: empty ones stay (Prometheus omits them), lists of secrets keep their length.
fn redacted(value: Yaml) -> Yaml {
    match value {
        Yaml::Null => Yaml::Null,
        Yaml::Str(s) if s.is_empty() => Yaml::Str(s),
        Yaml::Seq(items) => Yaml::Seq(items.into_iter().map(redacted).collect()),
        _ => Yaml::str(crate::render::options::REDACTED),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_rendered_on_every_core_are_those_rendered_in_order() {
        let mut text = String::from(
            "apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata: {name: a, namespace: m}\nspec: {}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s1, namespace: m}\nstringData: {user: u1, pass: p1}\n",
        );
        for i in 0..90 {
            // Every third monitor reads a Secret that is missing, or a key that is.
            let secret = ["s1", "absent", "s1"][i % 3];
            let key = if i % 5 == 0 { "nokey" } else { "pass" };
            text.push_str(&format!(
                "---\napiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata: {{name: p{i}, namespace: m}}\nspec:\n  selector: {{}}\n  podMetricsEndpoints:\n  - port: web\n    basicAuth:\n      username: {{name: {secret}, key: user}}\n      password: {{name: {secret}, key: {key}}}\n  - port: admin\n"
            ));
        }
        let mut inputs = crate::load::Inputs::default();
        inputs
            .add_manifests("in.yaml", text, &crate::load::yaml::Limits::default())
            .unwrap();
        let (inv, _) = Inventory::from_documents(&inputs.documents);
        let options = OperatorOptions::default();
        let monitors: Vec<&Object<PodMonitor>> = inv.pod_monitors.iter().collect();
        assert_eq!(monitors.len(), 90);
        let render = |min_parallel: usize| {
            let ctx = Context::new(&inv.agents[0].value, &inv, &options).unwrap();
            let jobs = pod_monitor_jobs(&ctx, &monitors, min_parallel);
            let (used, warnings) = ctx.assets.finish();
            let warnings: Vec<String> = warnings.iter().map(|w| w.message.clone()).collect();
            (
                goyaml::to_string(&Yaml::Seq(jobs)),
                format!("{used:?}"),
                warnings,
            )
        };
        let serial = render(usize::MAX);
        assert!(serial.2.len() > 30, "{:#?}", serial.2);
        assert_eq!(render(1), serial);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("30s"), Some(30_000));
        assert_eq!(parse_duration_ms("1m30s"), Some(90_000));
        assert_eq!(parse_duration_ms("500ms"), Some(500));
        assert_eq!(parse_duration_ms("0"), Some(0));
        assert_eq!(parse_duration_ms("30"), None);
        assert_eq!(parse_duration_ms("1s1m"), None);
        assert!(compare_timeout("1m", "30s").is_err());
        assert!(compare_timeout("10s", "30s").is_ok());
    }

    #[test]
    fn hand_written_jobs_are_redacted_by_field_type() {
        let job = Yaml::Map(vec![
            ("job_name".into(), Yaml::str("j")),
            (
                "basic_auth".into(),
                Yaml::Map(vec![
                    ("username".into(), Yaml::str("u")),
                    ("password".into(), Yaml::Int(31415926535)),
                ]),
            ),
            (
                "consul_sd_configs".into(),
                Yaml::Seq(vec![Yaml::Map(vec![
                    ("server".into(), Yaml::str("http://a:b@consul:8500")),
                    ("token".into(), Yaml::Bool(true)),
                ])]),
            ),
            (
                "http_headers".into(),
                Yaml::Map(vec![(
                    "X".into(),
                    Yaml::Map(vec![("secrets".into(), Yaml::strs(["s1", "s2"]))]),
                )]),
            ),
            ("bearer_token".into(), Yaml::str("")),
        ]);
        let text = goyaml::to_string(&redact_job(job));
        assert_eq!(
            text,
            "job_name: j\nbasic_auth:\n  username: u\n  password: <secret>\nconsul_sd_configs:\n- server: http://a:xxxxx@consul:8500\n  token: <secret>\nhttp_headers:\n  X:\n    secrets:\n    - <secret>\n    - <secret>\nbearer_token: \"\"\n"
        );
    }
}
