//! Scrape jobs of `ScrapeConfig` resources (`monitoring.coreos.com/v1alpha1`): one job named
//! `scrapeConfig/<namespace>/<name>` per object, with the job-level settings, every service-discovery
//! section (rendered by [`super::sd`]), relabelings, sharding and metric relabelings, in the order and
//! with the version gates of operator v0.93.0.
//!
//! ScrapeConfigs only take part in StatefulSet mode; in DaemonSet mode the operator leaves them out
//! entirely, so the caller does not call [`render`] then.

use super::Context;
use super::common::{
    self, Assets, EnforcedLimits, Entries, Gen, Limits, NamespaceEnforcer, NativeHistograms, Proxy,
    Sharding, push,
};
use super::sd;
use crate::diag::{Diagnostic, ObjectRef};
use crate::model::{
    NameEscapingSchemeOptions, NameValidationSchemeOptions, Object, PrometheusAgentSpec,
    ScrapeConfig, ScrapeConfigSpec,
};
use crate::render::goyaml::Yaml;
use crate::version::Version;

/// What rendering a ScrapeConfig depends on besides the object itself.
///
/// The config renderer builds one per agent (see [`ScrapeConfigContext::new`]) and calls [`render`]
/// for every selected, valid ScrapeConfig, sorted by `<namespace>/<name>`, after the Probe jobs, in
/// StatefulSet mode only:
///
/// ```ignore
/// let sc_cx = scrapeconfig::ScrapeConfigContext::new(&ctx);
/// for sc in &selected.scrape_configs {
///     jobs.extend(scrapeconfig::render(sc, &sc_cx)?);
/// }
/// ```
pub struct ScrapeConfigContext<'a> {
    /// The agent's spec: enforced limits, overrides, enforced namespace label, scrape classes.
    pub agent: &'a PrometheusAgentSpec,
    /// The Prometheus version the config is generated for.
    pub version: &'a Version,
    /// Secrets and ConfigMaps of the input (and whether secret values are shown).
    pub assets: &'a Assets<'a>,
    /// Shard count and topology sharding, as for the other job kinds.
    pub sharding: &'a Sharding,
}

impl<'a> ScrapeConfigContext<'a> {
    /// The context of the agent whose `prometheus.yml` is being rendered.
    pub fn new(ctx: &'a Context<'a>) -> Self {
        ScrapeConfigContext {
            agent: &ctx.agent.spec,
            version: &ctx.version,
            assets: &ctx.assets,
            sharding: &ctx.sharding,
        }
    }
}

/// The scrape job(s) of one ScrapeConfig. The operator makes exactly one job per object.
///
/// Fails like the operator does when a credential the job cannot do without (a Consul token, EC2 or
/// Lightsail keys, an Azure client secret, OpenStack passwords) cannot be read.
#[allow(clippy::result_large_err)] // the finding is the caller's output, not an exceptional path
pub fn render(
    sc: &Object<ScrapeConfig>,
    cx: &ScrapeConfigContext,
) -> Result<Vec<Yaml>, Diagnostic> {
    let namespace = sc.namespace();
    let name = sc.name();
    let spec = &sc.value.spec;
    let agent = cx.agent;
    let gate = Gen::new(cx.version);
    let store = cx.assets.for_namespace(namespace);
    let job_name = format!("scrapeConfig/{namespace}/{name}");
    let object = ObjectRef {
        kind: "ScrapeConfig".into(),
        namespace: namespace.to_string(),
        name: name.to_string(),
    };

    let classes = agent.scrape_classes.as_deref().unwrap_or_default();
    let class = common::scrape_class(classes, spec.scrape_class.as_deref());
    let enforcer = NamespaceEnforcer {
        label: agent.enforced_namespace_label.as_deref().unwrap_or(""),
        excluded: agent
            .excluded_from_enforcement
            .as_deref()
            .unwrap_or_default(),
    };

    let mut relabelings = common::init_relabelings();
    relabelings.extend(common::relabel_configs(
        class.relabelings.as_deref().unwrap_or_default(),
    ));
    if let Some(job) = &spec.job_name {
        relabelings.push(common::rule(vec![
            ("target_label", Yaml::str("job")),
            ("action", Yaml::str("replace")),
            ("replacement", Yaml::str(job.as_str())),
        ]));
    }

    let mut cfg = Entries::new();
    push(&mut cfg, "job_name", job_name.as_str());
    job_settings(gate, store, &mut cfg, spec, agent, &class);

    sd::append_all(
        &sd::SdContext {
            gate,
            store,
            job_name: &job_name,
            object: &object,
        },
        spec,
        &mut cfg,
    )
    .map_err(|d| *d)?;

    if let Some(user) = spec.relabelings.as_ref().filter(|r| !r.is_empty()) {
        let enforced = enforcer.apply("ScrapeConfig", namespace, name, user);
        relabelings.extend(common::relabel_configs(&enforced));
    }
    if cx.sharding.shards != 1 && !has_hashmod(&relabelings) {
        relabelings.extend(common::sharding_relabelings(cx.sharding, "__address__"));
    }
    push(&mut cfg, "relabel_configs", Yaml::Seq(relabelings));

    let mut metric_relabelings = class.metric_relabelings.clone().unwrap_or_default();
    metric_relabelings.extend(enforcer.apply(
        "ScrapeConfig",
        namespace,
        name,
        spec.metric_relabelings.as_deref().unwrap_or_default(),
    ));
    if !metric_relabelings.is_empty() {
        push(
            &mut cfg,
            "metric_relabel_configs",
            Yaml::Seq(common::relabel_configs(&metric_relabelings)),
        );
    }

    if let Some(scheme) = spec.name_validation_scheme {
        gate.min("3.0.0").push(
            &mut cfg,
            "metric_name_validation_scheme",
            Yaml::Str(validation_scheme(scheme)),
        );
    }
    if let Some(scheme) = spec.name_escaping_scheme {
        gate.min("3.4.0").push(
            &mut cfg,
            "metric_name_escaping_scheme",
            Yaml::str(escaping_scheme(scheme)),
        );
    }

    Ok(vec![Yaml::Map(cfg)])
}

/// The job-level keys that precede the service-discovery sections.
fn job_settings(
    gate: Gen,
    store: common::Store,
    cfg: &mut Entries,
    spec: &ScrapeConfigSpec,
    agent: &PrometheusAgentSpec,
    class: &crate::model::ScrapeClass,
) {
    if spec.honor_timestamps.is_some() {
        common::honor_timestamps(
            gate,
            cfg,
            spec.honor_timestamps,
            agent.override_honor_timestamps.unwrap_or(false),
        );
    }
    common::track_timestamps_staleness(gate, cfg, spec.track_timestamps_staleness);
    if let Some(honor) = spec.honor_labels {
        common::honor_labels(
            gate,
            cfg,
            honor,
            agent.override_honor_labels.unwrap_or(false),
        );
    }
    if let Some(path) = &spec.metrics_path {
        push(cfg, "metrics_path", path.as_str());
    }
    if let Some(params) = spec.params.as_ref().filter(|p| !p.is_empty()) {
        let entries = params
            .iter()
            .map(|(k, v)| (k.clone(), Yaml::strs(v.iter().cloned())))
            .collect();
        push(cfg, "params", Yaml::sorted_map(entries));
    }
    if let Some(v) = spec.enable_compression {
        gate.min("2.49.0")
            .push(cfg, "enable_compression", Yaml::Bool(v));
    }
    if let Some(v) = spec.enable_http2 {
        gate.min("2.35.0").push(cfg, "enable_http2", Yaml::Bool(v));
    }
    if let Some(v) = &spec.scrape_interval {
        push(cfg, "scrape_interval", v.as_str());
    }
    if let Some(v) = &spec.scrape_timeout {
        push(cfg, "scrape_timeout", v.as_str());
    }
    common::scrape_protocols(gate, cfg, spec.scrape_protocols.as_deref());
    common::fallback_scrape_protocol(
        gate,
        cfg,
        spec.fallback_scrape_protocol
            .or(class.fallback_scrape_protocol),
    );
    if let Some(scheme) = spec.scheme {
        push(cfg, "scheme", scheme.as_str().to_lowercase());
    }
    common::proxy(
        gate,
        store,
        cfg,
        Proxy::new(
            &spec.proxy_url,
            &spec.no_proxy,
            spec.proxy_from_environment,
            &spec.proxy_connect_header,
        ),
    );
    common::basic_auth(gate, store, cfg, spec.basic_auth.as_ref());
    let authorization = common::merge_authorization(spec.authorization.as_ref(), class);
    common::authorization(gate, store, cfg, authorization.as_ref());
    common::oauth2(gate, store, cfg, spec.oauth2.as_ref());
    let tls = common::merge_safe_tls(spec.tls_config.as_ref(), class);
    common::tls_config(gate, store, cfg, tls.as_ref());

    common::limits(
        gate,
        cfg,
        Limits {
            sample: spec.sample_limit,
            target: spec.target_limit,
            label: spec.label_limit,
            label_name_length: spec.label_name_length_limit,
            label_value_length: spec.label_value_length_limit,
            keep_dropped_targets: spec.keep_dropped_targets,
        },
        EnforcedLimits {
            sample: agent.enforced_sample_limit,
            target: agent.enforced_target_limit,
            label: agent.enforced_label_limit,
            label_name_length: agent.enforced_label_name_length_limit,
            label_value_length: agent.enforced_label_value_length_limit,
            keep_dropped_targets: agent.enforced_keep_dropped_targets,
        },
    );
    common::native_histograms(
        gate,
        cfg,
        NativeHistograms {
            scrape_native_histograms: spec.scrape_native_histograms,
            native_histogram_bucket_limit: spec.native_histogram_bucket_limit,
            native_histogram_min_bucket_factor: spec.native_histogram_min_bucket_factor.as_ref(),
            scrape_classic_histograms: spec.scrape_classic_histograms,
            convert_classic_histograms_to_nhcb: spec.convert_classic_histograms_to_nhcb,
        },
    );
    if let Some(limit) = common::lower_byte_size(
        spec.body_size_limit.as_deref(),
        agent.enforced_body_size_limit.as_deref(),
    ) {
        gate.min("2.28.0")
            .push(cfg, "body_size_limit", Yaml::str(limit));
    }
}

/// Whether a rule with `action: hashmod` is already present (then the job is not sharded again).
fn has_hashmod(relabelings: &[Yaml]) -> bool {
    relabelings
        .iter()
        .any(|r| matches!(r.get("action"), Some(Yaml::Str(a)) if a == "hashmod"))
}

fn validation_scheme(scheme: NameValidationSchemeOptions) -> String {
    scheme.as_str().to_lowercase()
}

fn escaping_scheme(scheme: NameEscapingSchemeOptions) -> &'static str {
    match scheme {
        NameEscapingSchemeOptions::AllowUTF8 => "allow-utf-8",
        NameEscapingSchemeOptions::Underscores => "underscores",
        NameEscapingSchemeOptions::Dots => "dots",
        NameEscapingSchemeOptions::Values => "values",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashmod_detection_looks_at_the_action_only() {
        let with = vec![common::rule(vec![("action", Yaml::str("hashmod"))])];
        let without = vec![common::rule(vec![("replacement", Yaml::str("hashmod"))])];
        assert!(has_hashmod(&with));
        assert!(!has_hashmod(&without));
    }

    #[test]
    fn scheme_names_follow_prometheus() {
        assert_eq!(validation_scheme(NameValidationSchemeOptions::Utf8), "utf8");
        assert_eq!(
            escaping_scheme(NameEscapingSchemeOptions::AllowUTF8),
            "allow-utf-8"
        );
    }
}
