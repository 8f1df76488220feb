//! Prometheus's own configuration model: decoding a prometheus.yml with spans and validating it as
//! Prometheus loads it.
//!
//! [`decode`] reads the YAML tree the way go-yaml v2 and Prometheus's `UnmarshalYAML` methods do;
//! the other modules hold one part of the configuration each, as plain data, with the load-time
//! checks and messages of Prometheus.

pub mod decode;
pub mod relabel;

use crate::diag::Span;

/// Whether the text is not YAML, or an error is one go-yaml collects while decoding (unknown field, wrong scalar type) or
/// one that stops Prometheus's loading at once (an `UnmarshalYAML` or validation refusal).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ErrorKind {
    /// The text is not YAML.
    Syntax,
    Unmarshal,
    #[default]
    Validation,
}

/// A reason Prometheus refuses the configuration, at the node that caused it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// A byte range in the file's text.
    pub span: Span,
    /// Prometheus's own error text (for go-yaml type errors, without go-yaml's `line N:` prefix).
    pub message: String,
    pub kind: ErrorKind,
}

pub mod global;
pub mod http;
mod jobs;
pub mod kubernetes;
pub mod remote;
pub mod scrape;
pub mod sd;
pub mod secrets;
pub mod url;

use crate::diag::{Diagnostic, Layer, Location, SourceFile};
use crate::load::yaml::{self, Node, NodeValue};
use crate::version::Version;
use decode::{Decoder, RepeatedKey, go_quote, is_null};
use relabel::NameValidation;
use std::collections::HashSet;
use std::sync::Arc;

/// How Prometheus is started: `--agent`, its version, and the environment its config sees.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    pub agent: bool,
    pub version: Version,
    /// Environment variables for `$VAR` in external labels; unset ones expand to nothing.
    pub env: Vec<(String, String)>,
}

impl LoadOptions {
    /// How the Prometheus of a PrometheusAgent loads its configuration: agent mode, at the agent's
    /// `spec.version` (the operator's default when unset or unparsable).
    pub fn for_agent(version: Option<&str>) -> Self {
        let mut options = LoadOptions {
            agent: true,
            ..LoadOptions::default()
        };
        if let Some(v) = version
            && let Ok(version) = Version::parse_tolerant(v)
        {
            options.version = version;
        }
        options
    }
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            agent: false,
            version: Version::parse_tolerant(crate::version::DEFAULT_PROMETHEUS_VERSION)
                .unwrap_or_else(|_| unreachable!()),
            env: Vec::new(),
        }
    }
}

/// A configuration Prometheus would load, as plain data.
#[derive(Clone, Debug)]
pub struct Config {
    pub global: global::GlobalConfig,
    pub rule_files: Vec<String>,
    pub scrape_config_files: Vec<String>,
    pub scrape_configs: Vec<scrape::ScrapeConfig>,
    pub remote_write: Vec<remote::RemoteWriteConfig>,
    pub remote_read: Vec<remote::RemoteReadConfig>,
    pub has_alerting: bool,
}

const TOP_FIELDS: &[&str] = &[
    "global",
    "runtime",
    "alerting",
    "rule_files",
    "scrape_config_files",
    "scrape_configs",
    "storage",
    "tracing",
    "remote_write",
    "remote_read",
    "otlp",
];

/// The placeholders the operator's config-reloader expands (the environment the operator gives
/// its container), with representative values. `TOPOLOGY_ZONE` and `INZONE_SHARD` are set when
/// the agent shards by topology zone.
pub const RELOADER_VARIABLES: &[(&str, &str)] = &[
    ("NODE_NAME", "node-a"),
    ("POD_NAME", "prometheus-agent-0"),
    ("SHARD", "0"),
    ("TOPOLOGY_ZONE", "zone-a"),
    ("INZONE_SHARD", "0"),
];

/// Prometheus's `patRulePath`: at most one `*`, and none before a `/` that follows it.
fn is_valid_file_pattern(path: &str) -> bool {
    match path.find('*') {
        None => true,
        Some(star) => !path[star + 1..].contains(['*', '/']),
    }
}

/// Decodes and validates a configuration text as `prometheus --config.file` does.
pub fn load(text: &str, options: &LoadOptions) -> Result<Config, Vec<ConfigError>> {
    let parsed = yaml::parse(text, &yaml::Limits::fitting(text.len()));
    if let Some(yaml::ParseError::Syntax(p) | yaml::ParseError::Limit(p)) = &parsed.error {
        return Err(vec![ConfigError {
            span: Span::new(p.offset, p.offset + p.len),
            message: p.message.clone(),
            kind: ErrorKind::Syntax,
        }]);
    }
    let repeated: Vec<RepeatedKey> = parsed
        .problems
        .iter()
        .filter(|p| p.code == "yaml/duplicate-key")
        .map(|p| RepeatedKey {
            name: p.message.split('"').nth(1).unwrap_or_default().to_string(),
            span: Span::new(p.offset, p.offset + p.len),
        })
        .collect();
    let root = parsed.documents.into_iter().next().unwrap_or(Node {
        value: NodeValue::Null,
        span: Span::default(),
    });
    match decode_whole(text, root, repeated, options) {
        (Some(c), errors) if errors.is_empty() => Ok(c),
        (_, errors) => Err(errors),
    }
}

/// Decodes the configuration `root` read from `text`, with its findings in the order Prometheus
/// reports them.
fn decode_whole(
    text: &str,
    mut root: Node,
    repeated: Vec<RepeatedKey>,
    options: &LoadOptions,
) -> (Option<Config>, Vec<ConfigError>) {
    let mut errors = Vec::new();
    expand_placeholders(&mut root, &mut errors);
    let mut d = Decoder::new(Some(text), repeated);
    let config = decode_config(&mut d, &root, options, None);
    errors.extend(d.errors);
    // Prometheus reports the first error that stops it; go-yaml's collected type errors only
    // when nothing stopped it.
    errors.sort_by_key(|e| e.kind == ErrorKind::Unmarshal);
    (config, errors)
}

/// `$(NODE_NAME)`, `$(POD_NAME)` and `$(SHARD)` in strings are expanded as the config-reloader
/// does; any other `$(VAR)` is a finding.
fn expand_placeholders(node: &mut Node, errors: &mut Vec<ConfigError>) {
    match &mut node.value {
        NodeValue::Str(s) => {
            if !s.contains("$(") {
                return;
            }
            let mut out = String::new();
            let mut rest = s.as_str();
            while let Some(start) = rest.find("$(") {
                out.push_str(&rest[..start]);
                let after = &rest[start + 2..];
                let Some(end) = after.find(')') else {
                    out.push_str(&rest[start..]);
                    rest = "";
                    break;
                };
                let name = &after[..end];
                match RELOADER_VARIABLES.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        errors.push(ConfigError {
                            span: node.span,
                            message: format!(
                                "the config reloader does not expand $({name}): its environment sets only {}",
                                RELOADER_VARIABLES
                                    .iter()
                                    .map(|(n, _)| format!("$({n})"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                            kind: ErrorKind::Validation,
                        });
                        out.push_str(&rest[start..start + 3 + end]);
                    }
                }
                rest = &after[end + 1..];
            }
            out.push_str(rest);
            *s = out;
        }
        NodeValue::Seq(items) => items
            .iter_mut()
            .for_each(|n| expand_placeholders(n, errors)),
        NodeValue::Map(entries) => entries
            .iter_mut()
            .for_each(|(_, n)| expand_placeholders(n, errors)),
        _ => {}
    }
}

/// Decodes the `scrape_configs` items of a configuration in place of [`decode_config`].
type DecodeJobs<'a> = dyn FnMut(&mut Decoder, &global::GlobalConfig) + 'a;

/// Decodes the configuration `root`; `jobs`, when given, decodes the `scrape_configs` items in
/// its place (they are then not kept).
fn decode_config(
    d: &mut Decoder,
    root: &Node,
    options: &LoadOptions,
    mut jobs: Option<&mut DecodeJobs<'_>>,
) -> Option<Config> {
    let mut config = Config {
        global: global::GlobalConfig::default(),
        rule_files: Vec::new(),
        scrape_config_files: Vec::new(),
        scrape_configs: Vec::new(),
        remote_write: Vec::new(),
        remote_read: Vec::new(),
        has_alerting: false,
    };
    let mark = d.error_count();
    let Some(f) = d.fields(root, "config.plain", TOP_FIELDS) else {
        return (!d.failed_since(mark)).then_some(config);
    };
    let env = |name: &str| {
        options
            .env
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    if let Some(n) = f.get("global") {
        config.global = global::decode(d, n);
        for (_, value) in config.global.external_labels.iter_mut() {
            *value = global::expand_env(value, &env);
        }
    }
    let scheme = config.global.name_validation;
    for (key, value) in f.entries() {
        match key.name.as_str() {
            "rule_files" => config.rule_files = files(d, value, "rule file"),
            "scrape_config_files" => {
                config.scrape_config_files = files(d, value, "scrape config file")
            }
            "scrape_configs" if jobs.is_some() => {
                if let Some(decode_jobs) = jobs.as_mut() {
                    decode_jobs(d, &config.global);
                }
            }
            "scrape_configs" => {
                let mut names: HashSet<String> = HashSet::new();
                for item in d.seq(value, "[]*config.ScrapeConfig").unwrap_or_default() {
                    if is_null(item) {
                        d.error(item.span, "empty or null scrape config section");
                        continue;
                    }
                    let Some(sc) = scrape::decode(d, item, &config.global, &options.version) else {
                        continue;
                    };
                    if !names.insert(sc.job_name.clone()) {
                        let span = item.entry("job_name").map_or(item.span, |(_, v)| v.span);
                        d.error(
                            span,
                            format!(
                                "found multiple scrape configs with job name {}",
                                go_quote(&sc.job_name)
                            ),
                        );
                    }
                    config.scrape_configs.push(sc);
                }
            }
            "remote_write" => {
                let mut names: HashSet<String> = HashSet::new();
                for item in d
                    .seq(value, "[]*config.RemoteWriteConfig")
                    .unwrap_or_default()
                {
                    if is_null(item) {
                        d.error(item.span, "empty or null remote write config section");
                        continue;
                    }
                    let Some(rw) = remote::decode_write(d, item, scheme, &options.version) else {
                        continue;
                    };
                    if !rw.name.is_empty() && !names.insert(rw.name.clone()) {
                        d.error(
                            item.entry("name").map_or(item.span, |(_, v)| v.span),
                            format!(
                                "found multiple remote write configs with job name {}",
                                go_quote(&rw.name)
                            ),
                        );
                    }
                    config.remote_write.push(rw);
                }
            }
            "remote_read" => {
                let mut names: HashSet<String> = HashSet::new();
                for item in d
                    .seq(value, "[]*config.RemoteReadConfig")
                    .unwrap_or_default()
                {
                    if is_null(item) {
                        d.error(item.span, "empty or null remote read config section");
                        continue;
                    }
                    let Some(rr) = remote::decode_read(d, item) else {
                        continue;
                    };
                    if !rr.name.is_empty() && !names.insert(rr.name.clone()) {
                        d.error(
                            item.entry("name").map_or(item.span, |(_, v)| v.span),
                            format!(
                                "found multiple remote read configs with job name {}",
                                go_quote(&rr.name)
                            ),
                        );
                    }
                    config.remote_read.push(rr);
                }
            }
            "alerting" => config.has_alerting = decode_alerting(d, value, scheme),
            "storage" => decode_storage(d, value, &options.version),
            "tracing" => decode_tracing(d, value),
            "otlp" => decode_otlp(d, value, scheme),
            "runtime" => {
                if let Some(r) = d.fields(value, "config.RuntimeConfig", &["gogc"])
                    && let Some(n) = r.get("gogc")
                {
                    d.int(n);
                }
            }
            _ => {}
        }
    }
    if options.agent {
        let refuse = |d: &mut Decoder, name: &str| {
            d.error(
                f.span_of(name),
                format!("field {name} is not allowed in agent mode"),
            )
        };
        if config.has_alerting {
            refuse(d, "alerting");
        }
        if !config.rule_files.is_empty() {
            refuse(d, "rule_files");
        }
        if !config.remote_read.is_empty() {
            refuse(d, "remote_read");
        }
    }
    (!d.failed_since(mark)).then_some(config)
}

/// `rule_files` / `scrape_config_files`: glob patterns, which promagent never expands.
fn files(d: &mut Decoder, node: &Node, what: &str) -> Vec<String> {
    let mut out = Vec::new();
    for item in d.seq(node, "[]string").unwrap_or_default() {
        let Some(path) = d.string(item) else { continue };
        if !is_valid_file_pattern(&path) {
            d.error(
                item.span,
                format!("invalid {what} path {}", go_quote(&path)),
            );
        }
        out.push(path);
    }
    out
}

/// The `alerting` section; whether it configures anything (agent mode refuses that).
fn decode_alerting(d: &mut Decoder, node: &Node, scheme: NameValidation) -> bool {
    let Some(f) = d.fields(
        node,
        "config.plain",
        &["alert_relabel_configs", "alertmanagers"],
    ) else {
        return false;
    };
    let mut any = false;
    if let Some(n) = f.get("alert_relabel_configs") {
        any |= !relabel::decode_rules(d, n, scheme, "empty or null alert relabeling rule")
            .is_empty()
            || matches!(&n.value, NodeValue::Seq(items) if !items.is_empty());
    }
    if let Some(n) = f.get("alertmanagers") {
        for item in d.seq(n, "config.AlertmanagerConfigs").unwrap_or_default() {
            any = true;
            decode_alertmanager(d, item, scheme);
        }
    }
    any
}

fn decode_alertmanager(d: &mut Decoder, node: &Node, scheme: NameValidation) {
    let mark = d.error_count();
    let mut known: Vec<&str> = vec![
        "sigv4",
        "scheme",
        "path_prefix",
        "timeout",
        "api_version",
        "relabel_configs",
        "alert_relabel_configs",
    ];
    known.extend_from_slice(http::FIELDS);
    let sd_keys: Vec<String> = match &node.value {
        NodeValue::Map(entries) => entries
            .iter()
            .filter(|(k, _)| sd::is_sd_key(&k.name))
            .map(|(k, _)| k.name.clone())
            .collect(),
        _ => Vec::new(),
    };
    known.extend(sd_keys.iter().map(String::as_str));
    let Some(f) = d.fields(node, "config.AlertmanagerConfig", &known) else {
        return;
    };
    let mut discovery = sd::Discovery::default();
    for (key, value) in f.entries() {
        let name = key.name.as_str();
        if sd::is_sd_key(name) {
            sd::decode_key(d, name, value, &mut discovery);
            continue;
        }
        match name {
            "scheme" | "path_prefix" => {
                d.string(value);
            }
            "timeout" => {
                d.duration(value);
            }
            "api_version" => {
                if let Some(v) = d.string(value)
                    && v != "v2"
                {
                    d.error(
                        value.span,
                        format!("expected Alertmanager api version to be one of [v2] but got {v}"),
                    );
                }
            }
            "relabel_configs" => {
                relabel::decode_rules(
                    d,
                    value,
                    scheme,
                    "empty or null Alertmanager target relabeling rule",
                );
            }
            "alert_relabel_configs" => {
                relabel::decode_rules(
                    d,
                    value,
                    scheme,
                    "empty or null Alertmanager alert relabeling rule",
                );
            }
            _ => {}
        }
    }
    if d.failed_since(mark) {
        return;
    }
    let Some(h) = http::decode_and_validate(d, &f) else {
        return;
    };
    if (h.basic_auth.is_some() || h.authorization.is_some() || h.oauth2.is_some())
        && f.present("sigv4").is_some()
    {
        d.error(
            f.span_of("sigv4"),
            "at most one of basic_auth, authorization, oauth2, & sigv4 must be configured",
        );
        return;
    }
    if f.get("relabel_configs").is_none_or(is_null) {
        sd::check_static_targets(d, &discovery);
    }
}

fn decode_storage(d: &mut Decoder, node: &Node, version: &Version) {
    let Some(f) = d.fields(node, "config.StorageConfig", &["tsdb", "exemplars"]) else {
        return;
    };
    if let Some(n) = f.get("exemplars")
        && let Some(e) = d.fields(n, "config.ExemplarsConfig", &["max_exemplars"])
        && let Some(v) = e.get("max_exemplars")
    {
        d.int(v);
    }
    let Some(tsdb) = f.get("tsdb") else { return };
    let mark = d.error_count();
    let Some(t) = d.fields(
        tsdb,
        "config.plain",
        &[
            "out_of_order_time_window",
            "stale_series_compaction_threshold",
            "chunk_encoding",
            "retention",
        ],
    ) else {
        return;
    };
    if let Some(n) = t.get("out_of_order_time_window") {
        d.duration(n);
    }
    if let Some(n) = t.get("stale_series_compaction_threshold") {
        d.float(n);
    }
    let mut floats = None;
    if let Some(n) = t.get("chunk_encoding")
        && let Some(c) = d.fields(n, "config.ChunkEncodingConfig", &["floats"])
        && let Some(v) = c.get("floats")
    {
        floats = d.string(v).map(|s| (s, v.span));
    }
    if let Some(n) = t.get("retention") {
        let retention_mark = d.error_count();
        if let Some(r) = d.fields(n, "config.plain", &["time", "size", "percentage"]) {
            if let Some(v) = r.get("time") {
                d.duration(v);
            }
            let size = r
                .get("size")
                .and_then(|v| global::decode_bytes(d, v).map(|s| (s, v)));
            let percentage = r.get("percentage").and_then(|v| d.float(v).map(|p| (p, v)));
            if !d.failed_since(retention_mark) && version.at_least(3, 11, 0) {
                if let Some((s, v)) = size.filter(|(s, _)| *s < 0) {
                    d.error(
                        v.span,
                        format!("'storage.tsdb.retention.size' must be greater than or equal to 0, got {s}"),
                    );
                    return;
                }
                if let Some((p, v)) = percentage.filter(|(p, _)| !(0.0..=100.0).contains(p)) {
                    d.error(
                        v.span,
                        format!("'storage.tsdb.retention.percentage' must be in the range [0, 100], got {p}"),
                    );
                    return;
                }
            }
        }
    }
    if d.failed_since(mark) || !version.at_least(3, 13, 0) {
        return;
    }
    if let Some((value, span)) = floats
        && !["", "xor", "xor2"].contains(&value.as_str())
    {
        d.error(
                span,
                format!(
                    "'storage.tsdb.chunk_encoding.floats' must be 'xor' or 'xor2', or the field must be omitted entirely, got {}",
                    go_quote(&value)
                ),
            );
    }
}

fn decode_tracing(d: &mut Decoder, node: &Node) {
    let mark = d.error_count();
    let Some(f) = d.fields(
        node,
        "config.plain",
        &[
            "client_type",
            "endpoint",
            "sampling_fraction",
            "insecure",
            "tls_config",
            "headers",
            "compression",
            "timeout",
        ],
    ) else {
        return;
    };
    let mut endpoint = String::new();
    let mut compression = String::new();
    let mut headers = Vec::new();
    for (key, value) in f.entries() {
        match key.name.as_str() {
            "client_type" => {
                if let Some(t) = d.string(value)
                    && t != "http"
                    && t != "grpc"
                {
                    d.error(
                        value.span,
                        format!(
                            "expected tracing client type to be to be http or grpc, but got {t}"
                        ),
                    );
                }
            }
            "endpoint" => endpoint = d.string(value).unwrap_or_default(),
            "sampling_fraction" => {
                d.float(value);
            }
            "insecure" => {
                d.bool(value);
            }
            "tls_config" => {
                http::decode_tls(d, value);
            }
            "headers" => headers = remote::decode_headers(d, value),
            "compression" => compression = d.string(value).unwrap_or_default(),
            "timeout" => {
                d.duration(value);
            }
            _ => {}
        }
    }
    if d.failed_since(mark) {
        return;
    }
    if let Err(m) = remote::check_headers(&headers, true) {
        d.error(f.span_of("headers"), m);
    } else if endpoint.is_empty() {
        d.error(f.span_of("endpoint"), "tracing endpoint must be set");
    } else if !compression.is_empty() && compression != "gzip" {
        d.error(
            f.span_of("compression"),
            format!("invalid compression type {compression} provided, valid options: gzip"),
        );
    }
}

fn decode_otlp(d: &mut Decoder, node: &Node, scheme: NameValidation) {
    let mark = d.error_count();
    let Some(f) = d.fields(
        node,
        "config.plain",
        &[
            "promote_all_resource_attributes",
            "promote_resource_attributes",
            "ignore_resource_attributes",
            "translation_strategy",
            "keep_identifying_resource_attributes",
            "convert_histograms_to_nhcb",
            "promote_scope_metadata",
            "label_name_underscore_sanitization",
            "label_name_preserve_multiple_underscores",
        ],
    ) else {
        return;
    };
    let mut promote_all = false;
    let mut promote = Vec::new();
    let mut ignore = Vec::new();
    let mut strategy = String::new();
    for (key, value) in f.entries() {
        match key.name.as_str() {
            "promote_all_resource_attributes" => promote_all = d.bool(value).unwrap_or_default(),
            "promote_resource_attributes" => promote = d.strings(value).unwrap_or_default(),
            "ignore_resource_attributes" => ignore = d.strings(value).unwrap_or_default(),
            "translation_strategy" => strategy = d.string(value).unwrap_or_default(),
            _ => {
                d.bool(value);
            }
        }
    }
    if d.failed_since(mark) {
        return;
    }
    let sanitize = |attributes: &[String], adjective: &str| -> Option<String> {
        let mut seen: Vec<&str> = Vec::new();
        let mut problems = Vec::new();
        for a in attributes {
            let a = a.trim();
            if a.is_empty() {
                problems.push(format!("empty {adjective} OTel resource attribute"));
            } else if seen.contains(&a) {
                problems.push(format!(
                    "duplicated {adjective} OTel resource attribute {}",
                    go_quote(a)
                ));
            } else {
                seen.push(a);
            }
        }
        (!problems.is_empty()).then(|| problems.join("\n"))
    };
    let error = if promote_all {
        if !promote.is_empty() {
            Some("'promote_all_resource_attributes' and 'promote_resource_attributes' cannot be configured simultaneously".to_string())
        } else {
            sanitize(&ignore, "ignored")
                .map(|e| format!("invalid 'ignore_resource_attributes': {e}"))
        }
    } else if !ignore.is_empty() {
        Some("'ignore_resource_attributes' cannot be configured unless 'promote_all_resource_attributes' is true".to_string())
    } else {
        sanitize(&promote, "promoted")
            .map(|e| format!("invalid 'promote_resource_attributes': {e}"))
    };
    if let Some(e) = error {
        d.error(node.span, e);
        return;
    }
    match strategy.as_str() {
        "" | "UnderscoreEscapingWithSuffixes" | "UnderscoreEscapingWithoutSuffixes" => {}
        "NoTranslation" | "NoUTF8EscapingWithSuffixes" => {
            if scheme == NameValidation::Legacy {
                d.error(
                    f.span_of("translation_strategy"),
                    format!(
                        "OTLP translation strategy {} is not allowed when UTF8 is disabled",
                        go_quote(&strategy)
                    ),
                );
            }
        }
        other => d.error(
            f.span_of("translation_strategy"),
            format!("unsupported OTLP translation strategy {}", go_quote(other)),
        ),
    }
}

/// The stable code of Prometheus's load-time refusals.
pub const CODE: &str = "prometheus/config";

/// The findings `prometheus --config.file` would report for `file`, as diagnostics.
pub fn check_text(file: &Arc<SourceFile>, options: &LoadOptions) -> Vec<Diagnostic> {
    let errors = match jobs::errors(&file.text, options) {
        Some(errors) => errors,
        None => load(&file.text, options).err().unwrap_or_default(),
    };
    diagnostics(file, errors)
}

/// [`check_text`], given the tree the text reads as (with the spans of `file`'s text and no
/// repeated keys): `head`, with its `scrape_configs` items taken out, and those items, each read
/// with `read` when it is decoded, on every core. `None` when an item does not read.
pub fn check_parts<J: Send>(
    file: &Arc<SourceFile>,
    head: Node,
    jobs: Vec<J>,
    read: impl Fn(J) -> Option<Node> + Sync,
    options: &LoadOptions,
) -> Option<Vec<Diagnostic>> {
    let errors = jobs::parts_errors(&file.text, head, jobs, read, options)?;
    Some(diagnostics(file, errors))
}

fn diagnostics(file: &Arc<SourceFile>, errors: Vec<ConfigError>) -> Vec<Diagnostic> {
    errors
        .into_iter()
        .map(|e| {
            let (line, _) = file.line_col(e.span.start);
            let message = match e.kind {
                ErrorKind::Syntax => format!("yaml: line {line}: {}", e.message),
                ErrorKind::Unmarshal => {
                    format!("yaml: unmarshal errors:\n  line {line}: {}", e.message)
                }
                ErrorKind::Validation => e.message,
            };
            let message = crate::shown::redact_urls_in(&message).into_owned();
            Diagnostic::error(Layer::Prometheus, CODE, message).with_location(Location {
                file: file.clone(),
                span: e.span,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str, agent: bool) -> Option<String> {
        let options = LoadOptions {
            agent,
            ..LoadOptions::default()
        };
        load(text, &options).err().map(|e| e[0].message.clone())
    }

    #[test]
    fn top_level_rules() {
        assert_eq!(first("", false), None);
        assert_eq!(
            first("foo: 1\n", false).unwrap(),
            "field foo not found in type config.plain"
        );
        assert_eq!(
            first("scrape_configs: []\nscrape_configs: []\n", false).unwrap(),
            "field scrape_configs already set in type config.plain"
        );
        assert_eq!(
            first("rule_files: [a/*/b]\n", false).unwrap(),
            "invalid rule file path \"a/*/b\""
        );
        assert_eq!(
            first("rule_files: [a.yml]\n", true).unwrap(),
            "field rule_files is not allowed in agent mode"
        );
    }

    #[test]
    fn messages_carry_go_yaml_prefixes() {
        let file = Arc::new(SourceFile::new("p.yml", "a: [\n".to_string()));
        let found = check_text(&file, &LoadOptions::default());
        assert!(
            found[0].message.starts_with("yaml: line 2: "),
            "{}",
            found[0].message
        );
        let file = Arc::new(SourceFile::new("p.yml", "global:\n  foo: 1\n".to_string()));
        let found = check_text(&file, &LoadOptions::default());
        assert_eq!(
            found[0].message,
            "yaml: unmarshal errors:\n  line 2: field foo not found in type config.plain"
        );
        assert_eq!(found[0].line_col(), Some((2, 3)));
        assert_eq!(found[0].layer, Layer::Prometheus);
    }

    #[test]
    fn validation_errors_come_before_type_errors() {
        let text = "global:\n  foo: 1\nscrape_configs:\n- job_name: ''\n";
        assert_eq!(first(text, false).unwrap(), "job_name is empty");
    }

    #[test]
    fn reloader_placeholders() {
        let text = "global:\n  external_labels:\n    node: $(NODE_NAME)\n    other: $(OTHER)\n";
        let errors = load(text, &LoadOptions::default()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("$(OTHER)"), "{:?}", errors[0]);
        let ok = load(
            "global:\n  external_labels:\n    node: $(NODE_NAME)\n",
            &LoadOptions::default(),
        )
        .unwrap();
        assert_eq!(ok.global.external_labels[0].1, "node-a");
    }

    #[test]
    fn fields_prometheus_2_knew_load_with_its_version() {
        let text = "scrape_configs:\n- job_name: a\n  scrape_classic_histograms: true\nremote_write:\n- url: http://x\n  queue_config: {max_retries: 3}\n";
        assert!(first(text, false).is_some());
        let old = LoadOptions {
            version: Version::parse_tolerant("v2.10.0").unwrap(),
            ..LoadOptions::default()
        };
        assert!(load(text, &old).is_ok(), "{:?}", load(text, &old).err());
    }

    #[test]
    fn queue_checks_are_gated_by_version() {
        let text = "remote_write:\n- url: http://x\n  queue_config: {max_shards: 0}\n";
        assert!(first(text, false).is_some());
        let old = LoadOptions {
            version: Version::parse_tolerant("v3.11.0").unwrap(),
            ..LoadOptions::default()
        };
        assert!(load(text, &old).is_ok());
    }
}
