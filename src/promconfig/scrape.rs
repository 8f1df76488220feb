//! One `scrape_configs` entry: its fields and defaults, its inline HTTP client and service
//! discovery, relabeling, and `ScrapeConfig.Validate` against the global section.

use super::decode::{Decoder, go_quote, is_null};
use super::global::{self, ESCAPING_SCHEMES, GlobalConfig};
use super::http::{self, HttpClientConfig};
use super::relabel::{self, NameValidation, RelabelConfig};
use super::sd::{self, Discovery};
use crate::diag::Span;
use crate::load::yaml::Node;
use crate::version::Version;

#[derive(Clone, Debug)]
pub struct ScrapeConfig {
    pub job_name: String,
    pub honor_labels: bool,
    pub honor_timestamps: bool,
    pub params: Vec<(String, Vec<String>)>,
    /// Milliseconds, after the global defaults are applied.
    pub scrape_interval: u64,
    pub scrape_timeout: u64,
    pub scrape_protocols: Vec<String>,
    /// The effective histogram switches (the scrape config's own, else the global ones).
    pub scrape_native_histograms: bool,
    pub always_scrape_classic_histograms: bool,
    pub convert_classic_histograms_to_nhcb: bool,
    pub fallback_scrape_protocol: String,
    pub metrics_path: String,
    pub scheme: String,
    pub enable_compression: bool,
    pub body_size_limit: u64,
    pub sample_limit: u64,
    pub target_limit: u64,
    pub label_limit: u64,
    pub label_name_length_limit: u64,
    pub label_value_length_limit: u64,
    pub keep_dropped_targets: u64,
    pub name_validation: NameValidation,
    pub name_escaping: String,
    pub http: HttpClientConfig,
    pub discovery: Discovery,
    pub relabel_configs: Vec<RelabelConfig>,
    pub metric_relabel_configs: Vec<RelabelConfig>,
    pub span: Span,
}

const FIELDS: &[&str] = &[
    "job_name",
    "honor_labels",
    "honor_timestamps",
    "track_timestamps_staleness",
    "params",
    "scrape_interval",
    "scrape_timeout",
    "scrape_protocols",
    "fallback_scrape_protocol",
    "scrape_native_histograms",
    "always_scrape_classic_histograms",
    "convert_classic_histograms_to_nhcb",
    "scrape_failure_log_file",
    "metrics_path",
    "scheme",
    "enable_compression",
    "body_size_limit",
    "sample_limit",
    "target_limit",
    "label_limit",
    "label_name_length_limit",
    "label_value_length_limit",
    "native_histogram_bucket_limit",
    "native_histogram_min_bucket_factor",
    "keep_dropped_targets",
    "metric_name_validation_scheme",
    "metric_name_escaping_scheme",
    "extra_scrape_metrics",
    "relabel_configs",
    "metric_relabel_configs",
];

/// Go prints the type `UnmarshalYAMLWithInlineConfigs` builds for a scrape config as a long
/// anonymous struct; promagent names it after the Go type it stands for.
const GO_TYPE: &str = "config.ScrapeConfig";

/// Decodes one scrape config (`UnmarshalYAML`) and validates it against `global` (`Validate`).
pub fn decode(
    d: &mut Decoder,
    node: &Node,
    global: &GlobalConfig,
    version: &Version,
) -> Option<ScrapeConfig> {
    let mark = d.error_count();
    let mut known: Vec<&str> = FIELDS.to_vec();
    known.extend_from_slice(http::FIELDS);
    // Prometheus 2 named `always_scrape_classic_histograms` this way.
    if version.less_than(3, 0, 0) {
        known.push("scrape_classic_histograms");
    }
    let keys: Vec<String> = match &node.value {
        crate::load::yaml::NodeValue::Map(entries) => entries
            .iter()
            .filter(|(k, _)| sd::is_sd_key(&k.name))
            .map(|(k, _)| k.name.clone())
            .collect(),
        _ => Vec::new(),
    };
    known.extend(keys.iter().map(String::as_str));
    let f = d.fields(node, GO_TYPE, &known)?;
    let mut c = ScrapeConfig {
        job_name: String::new(),
        honor_labels: false,
        honor_timestamps: true,
        params: Vec::new(),
        scrape_interval: 0,
        scrape_timeout: 0,
        scrape_protocols: Vec::new(),
        scrape_native_histograms: false,
        always_scrape_classic_histograms: false,
        convert_classic_histograms_to_nhcb: false,
        fallback_scrape_protocol: String::new(),
        metrics_path: "/metrics".into(),
        scheme: "http".into(),
        enable_compression: true,
        body_size_limit: 0,
        sample_limit: 0,
        target_limit: 0,
        label_limit: 0,
        label_name_length_limit: 0,
        label_value_length_limit: 0,
        keep_dropped_targets: 0,
        name_validation: global.name_validation,
        name_escaping: String::new(),
        http: HttpClientConfig::default(),
        discovery: Discovery::default(),
        relabel_configs: Vec::new(),
        metric_relabel_configs: Vec::new(),
        span: node.span,
    };
    let mut protocols: Option<Vec<String>> = None;
    let mut local_scheme: Option<NameValidation> = None;
    let mut native_histograms: Option<bool> = None;
    let mut always_classic: Option<bool> = None;
    let mut convert_nhcb: Option<bool> = None;
    let mut relabel_nodes: Vec<(bool, &Node)> = Vec::new();
    for (key, value) in f.entries() {
        let name = key.name.as_str();
        if sd::is_sd_key(name) {
            sd::decode_key(d, name, value, &mut c.discovery);
            continue;
        }
        match name {
            "job_name" => c.job_name = d.string(value).unwrap_or_default(),
            "honor_labels" => c.honor_labels = d.bool(value).unwrap_or_default(),
            "honor_timestamps" => c.honor_timestamps = d.bool(value).unwrap_or_default(),
            "always_scrape_classic_histograms" => always_classic = d.bool(value),
            "convert_classic_histograms_to_nhcb" => convert_nhcb = d.bool(value),
            "track_timestamps_staleness" | "extra_scrape_metrics" => {
                d.bool(value);
            }
            "scrape_native_histograms" => native_histograms = d.bool(value),
            "enable_compression" => c.enable_compression = d.bool(value).unwrap_or_default(),
            "params" => {
                if let crate::load::yaml::NodeValue::Map(entries) = &value.value {
                    d.check_map_keys(value);
                    for (k, v) in entries {
                        let values = d.strings(v).unwrap_or_default();
                        c.params.push((k.name.clone(), values));
                    }
                } else if !is_null(value) {
                    d.type_error(value, "url.Values");
                }
            }
            "scrape_interval" => c.scrape_interval = d.duration(value).unwrap_or(0),
            "scrape_timeout" => c.scrape_timeout = d.duration(value).unwrap_or(0),
            "scrape_protocols" => protocols = d.strings(value),
            "fallback_scrape_protocol" => {
                c.fallback_scrape_protocol = d.string(value).unwrap_or_default()
            }
            "scrape_failure_log_file" => {
                d.string(value);
            }
            "metrics_path" => c.metrics_path = d.string(value).unwrap_or_default(),
            "scheme" => c.scheme = d.string(value).unwrap_or_default(),
            "body_size_limit" => {
                c.body_size_limit = global::decode_bytes(d, value).unwrap_or(0).max(0) as u64
            }
            "sample_limit" => c.sample_limit = d.uint(value, "uint").unwrap_or(0),
            "target_limit" => c.target_limit = d.uint(value, "uint").unwrap_or(0),
            "label_limit" => c.label_limit = d.uint(value, "uint").unwrap_or(0),
            "label_name_length_limit" => {
                c.label_name_length_limit = d.uint(value, "uint").unwrap_or(0)
            }
            "label_value_length_limit" => {
                c.label_value_length_limit = d.uint(value, "uint").unwrap_or(0)
            }
            "native_histogram_bucket_limit" => {
                d.uint(value, "uint");
            }
            "native_histogram_min_bucket_factor" => {
                d.float(value);
            }
            "keep_dropped_targets" => c.keep_dropped_targets = d.uint(value, "uint").unwrap_or(0),
            "metric_name_validation_scheme" => {
                local_scheme = global::decode_validation_scheme(d, value).flatten()
            }
            "metric_name_escaping_scheme" => c.name_escaping = d.string(value).unwrap_or_default(),
            "relabel_configs" => relabel_nodes.push((false, value)),
            "metric_relabel_configs" => relabel_nodes.push((true, value)),
            _ => {}
        }
    }
    // Relabel rules are validated with the job's scheme, which the fields above settle.
    c.name_validation = local_scheme.unwrap_or(global.name_validation);
    for (metric, value) in relabel_nodes {
        let message = if metric {
            "empty or null metric relabeling rule in scrape config"
        } else {
            "empty or null target relabeling rule in scrape config"
        };
        let rules = relabel::decode_rules(d, value, c.name_validation, message);
        if metric {
            c.metric_relabel_configs = rules;
        } else {
            c.relabel_configs = rules;
        }
    }
    if d.unmarshal_failed_since(mark) {
        return None;
    }
    let fail = |d: &mut Decoder, span: Span, m: String| {
        d.error(span, m);
        None
    };
    if c.job_name.is_empty() {
        return fail(d, f.span_of("job_name"), "job_name is empty".into());
    }
    c.http = http::decode_and_validate(d, &f)?;
    if f.get("relabel_configs").is_none_or(is_null) && !sd::check_static_targets(d, &c.discovery) {
        return None;
    }
    if d.failed_since(mark) {
        return None;
    }
    // Validate.
    let job = go_quote(&c.job_name);
    if c.scrape_interval == 0 {
        c.scrape_interval = global.scrape_interval;
    }
    if c.scrape_timeout > c.scrape_interval {
        return fail(
            d,
            f.span_of("scrape_timeout"),
            format!(
                "scrape timeout greater than scrape interval for scrape config with job name {job}"
            ),
        );
    }
    if c.scrape_timeout == 0 {
        c.scrape_timeout = global.scrape_timeout.min(c.scrape_interval);
    }
    for (local, inherited) in [
        (&mut c.body_size_limit, global.body_size_limit),
        (&mut c.sample_limit, global.sample_limit),
        (&mut c.target_limit, global.target_limit),
        (&mut c.label_limit, global.label_limit),
        (
            &mut c.label_name_length_limit,
            global.label_name_length_limit,
        ),
        (
            &mut c.label_value_length_limit,
            global.label_value_length_limit,
        ),
        (&mut c.keep_dropped_targets, global.keep_dropped_targets),
    ] {
        if *local == 0 {
            *local = inherited;
        }
    }
    let native = native_histograms.unwrap_or(global.scrape_native_histograms);
    c.scrape_native_histograms = native;
    c.always_scrape_classic_histograms =
        always_classic.unwrap_or(global.always_scrape_classic_histograms);
    c.convert_classic_histograms_to_nhcb =
        convert_nhcb.unwrap_or(global.convert_classic_histograms_to_nhcb);
    c.scrape_protocols = match (protocols, &global.scrape_protocols) {
        (Some(p), _) => p,
        (None, Some(g)) => g.clone(),
        (None, None) if native => [
            "PrometheusProto",
            "OpenMetricsText1.0.0",
            "OpenMetricsText0.0.1",
            "PrometheusText1.0.0",
            "PrometheusText0.0.4",
        ]
        .map(String::from)
        .to_vec(),
        (None, None) => [
            "OpenMetricsText1.0.0",
            "OpenMetricsText0.0.1",
            "PrometheusText1.0.0",
            "PrometheusText0.0.4",
        ]
        .map(String::from)
        .to_vec(),
    };
    if let Err(e) = global::check_scrape_protocols(&c.scrape_protocols) {
        return fail(
            d,
            f.span_of("scrape_protocols"),
            format!("{e} for scrape config with job name {job}"),
        );
    }
    if !c.fallback_scrape_protocol.is_empty()
        && let Err(e) = global::check_scrape_protocol(&c.fallback_scrape_protocol)
    {
        return fail(
            d,
            f.span_of("fallback_scrape_protocol"),
            format!("invalid fallback_scrape_protocol for scrape config with job name {job}: {e}"),
        );
    }
    let mut global_escaping = global.name_escaping.clone();
    if global_escaping.is_empty() {
        global_escaping = match global.name_validation {
            NameValidation::Legacy => "underscores".into(),
            NameValidation::Utf8 => "allow-utf-8".into(),
        };
    } else if !ESCAPING_SCHEMES.contains(&global_escaping.as_str()) {
        return fail(
            d,
            f.node.span,
            format!(
                "unknown global name escaping method specified, must be one of 'allow-utf-8', 'underscores', 'dots', or 'values', got {}",
                go_quote(&global_escaping)
            ),
        );
    }
    if c.name_escaping.is_empty() {
        c.name_escaping = match (local_scheme, c.name_validation) {
            (None, _) => global_escaping,
            (Some(_), NameValidation::Legacy) => "underscores".into(),
            (Some(_), NameValidation::Utf8) => "allow-utf-8".into(),
        };
    }
    match c.name_escaping.as_str() {
        "allow-utf-8" if c.name_validation != NameValidation::Utf8 => {
            return fail(
                d,
                f.span_of("metric_name_escaping_scheme"),
                "utf8 metric names requested but validation scheme is not set to UTF8".into(),
            );
        }
        "allow-utf-8" | "underscores" | "dots" | "values" => {}
        other => {
            return fail(
                d,
                f.span_of("metric_name_escaping_scheme"),
                format!(
                    "unknown scrape config name escaping method specified, must be one of 'allow-utf-8', 'underscores', 'dots', or 'values', got {}",
                    go_quote(other)
                ),
            );
        }
    }
    Some(c)
}
