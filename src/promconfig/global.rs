//! The `global` section: scrape interval and timeout defaults, external labels (with `$VAR`
//! expansion as Prometheus does it at load time), name validation and escaping schemes, scrape
//! protocols and the limits scrape configs inherit.

use super::decode::{Decoder, go_quote, is_go_utf8};
use super::relabel::{NameValidation, is_valid_label_name};
use crate::diag::Span;
use crate::load::yaml::Node;

/// The scrape protocols Prometheus knows, sorted as its messages list them.
pub const SCRAPE_PROTOCOLS: &[&str] = &[
    "OpenMetricsText0.0.1",
    "OpenMetricsText1.0.0",
    "PrometheusProto",
    "PrometheusText0.0.4",
    "PrometheusText1.0.0",
];

pub const ESCAPING_SCHEMES: &[&str] = &["allow-utf-8", "underscores", "dots", "values"];

#[derive(Clone, Debug, PartialEq)]
pub struct GlobalConfig {
    /// Milliseconds.
    pub scrape_interval: u64,
    pub scrape_timeout: u64,
    pub evaluation_interval: u64,
    pub scrape_protocols: Option<Vec<String>>,
    pub external_labels: Vec<(String, String)>,
    pub body_size_limit: u64,
    pub sample_limit: u64,
    pub target_limit: u64,
    pub label_limit: u64,
    pub label_name_length_limit: u64,
    pub label_value_length_limit: u64,
    pub keep_dropped_targets: u64,
    pub name_validation: NameValidation,
    /// Empty when not set.
    pub name_escaping: String,
    pub scrape_native_histograms: bool,
    pub always_scrape_classic_histograms: bool,
    pub convert_classic_histograms_to_nhcb: bool,
}

impl Default for GlobalConfig {
    fn default() -> Self {
        GlobalConfig {
            scrape_interval: 60_000,
            scrape_timeout: 10_000,
            evaluation_interval: 60_000,
            scrape_protocols: None,
            external_labels: Vec::new(),
            body_size_limit: 0,
            sample_limit: 0,
            target_limit: 0,
            label_limit: 0,
            label_name_length_limit: 0,
            label_value_length_limit: 0,
            keep_dropped_targets: 0,
            name_validation: NameValidation::Utf8,
            name_escaping: "allow-utf-8".into(),
            scrape_native_histograms: false,
            always_scrape_classic_histograms: false,
            convert_classic_histograms_to_nhcb: false,
        }
    }
}

const FIELDS: &[&str] = &[
    "scrape_interval",
    "scrape_timeout",
    "scrape_protocols",
    "evaluation_interval",
    "rule_query_offset",
    "query_log_file",
    "scrape_failure_log_file",
    "external_labels",
    "body_size_limit",
    "sample_limit",
    "target_limit",
    "label_limit",
    "label_name_length_limit",
    "label_value_length_limit",
    "keep_dropped_targets",
    "metric_name_validation_scheme",
    "metric_name_escaping_scheme",
    "scrape_native_histograms",
    "convert_classic_histograms_to_nhcb",
    "always_scrape_classic_histograms",
    "extra_scrape_metrics",
];

/// `model.ValidationScheme`: "", "legacy" or "utf8".
pub fn decode_validation_scheme(d: &mut Decoder, node: &Node) -> Option<Option<NameValidation>> {
    let text = d.string(node)?;
    match text.as_str() {
        "" => Some(None),
        "legacy" => Some(Some(NameValidation::Legacy)),
        "utf8" => Some(Some(NameValidation::Utf8)),
        other => {
            d.error(
                node.span,
                format!("unrecognized ValidationScheme: {}", go_quote(other)),
            );
            None
        }
    }
}

/// `units.Base2Bytes` (`512MB`, `1GiB`, `0`).
pub fn parse_base2_bytes(text: &str) -> Result<i128, String> {
    let unknown = |unit: &str| Err(format!("units: unknown unit {unit} in {text}"));
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if body == "0" {
        return Ok(0);
    }
    let mut rest = body;
    let mut total: f64 = 0.0;
    if rest.is_empty() {
        return Err(format!("units: invalid {text}"));
    }
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if number_len == 0 {
            return Err(format!("units: invalid {text}"));
        }
        let number: f64 = rest[..number_len]
            .parse()
            .map_err(|_| format!("units: invalid {text}"))?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let power = match unit {
            "B" => 0,
            "KB" | "KiB" => 1,
            "MB" | "MiB" => 2,
            "GB" | "GiB" => 3,
            "TB" | "TiB" => 4,
            "PB" | "PiB" => 5,
            "EB" | "EiB" => 6,
            _ => return unknown(unit),
        };
        total += number * 1024f64.powi(power);
    }
    let value = total as i128;
    Ok(if negative { -value } else { value })
}

/// A `units.Base2Bytes` field.
pub fn decode_bytes(d: &mut Decoder, node: &Node) -> Option<i128> {
    let text = d.string(node)?;
    match parse_base2_bytes(&text) {
        Ok(v) => Some(v),
        Err(message) => {
            d.error(node.span, message);
            None
        }
    }
}

/// `validateAcceptScrapeProtocols`.
pub fn check_scrape_protocols(protocols: &[String]) -> Result<(), String> {
    if protocols.is_empty() {
        return Err("scrape_protocols cannot be empty".into());
    }
    let mut seen: Vec<String> = Vec::new();
    for p in protocols {
        if seen.contains(&p.to_lowercase()) {
            return Err(format!(
                "duplicated protocol in scrape_protocols, got [{}]",
                protocols.join(" ")
            ));
        }
        check_scrape_protocol(p).map_err(|e| format!("scrape_protocols: {e}"))?;
        seen.push(p.to_lowercase());
    }
    Ok(())
}

pub fn check_scrape_protocol(p: &str) -> Result<(), String> {
    if SCRAPE_PROTOCOLS.contains(&p) {
        Ok(())
    } else {
        Err(format!(
            "unknown scrape protocol {p}, supported: [{}]",
            SCRAPE_PROTOCOLS.join(" ")
        ))
    }
}

/// Prometheus's `os.Expand` of external label values: `$VAR` and `${VAR}` from the environment,
/// `$$` for a dollar.
pub fn expand_env(value: &str, env: &dyn Fn(&str) -> Option<String>) -> String {
    let chars: Vec<char> = value.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '$' || i + 1 >= chars.len() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let next = chars[i + 1];
        if next == '{' {
            match chars[i + 2..].iter().position(|&c| c == '}') {
                Some(0) => {
                    // `${}`: os.Expand drops it.
                    i += 3;
                }
                Some(len) => {
                    let name: String = chars[i + 2..i + 2 + len].iter().collect();
                    out.push_str(&lookup(&name, env));
                    i += 3 + len;
                }
                None => {
                    // Bad syntax: os.Expand eats the `${`.
                    i += 2;
                }
            }
            continue;
        }
        if "*#$@!?-".contains(next) || next.is_ascii_digit() {
            let name = next.to_string();
            out.push_str(&lookup(&name, env));
            i += 2;
            continue;
        }
        let len = chars[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
            .count();
        if len == 0 {
            out.push('$');
            i += 1;
            continue;
        }
        let name: String = chars[i + 1..i + 1 + len].iter().collect();
        out.push_str(&lookup(&name, env));
        i += 1 + len;
    }
    out
}

fn lookup(name: &str, env: &dyn Fn(&str) -> Option<String>) -> String {
    if name == "$" {
        return "$".into();
    }
    env(name).unwrap_or_default()
}

/// Decodes the `global` section (absent or empty: the defaults).
pub fn decode(d: &mut Decoder, node: &Node) -> GlobalConfig {
    let mark = d.error_count();
    let Some(f) = d.fields(node, "config.plain", FIELDS) else {
        return GlobalConfig::default();
    };
    let mut g = GlobalConfig {
        scrape_interval: 0,
        scrape_timeout: 0,
        evaluation_interval: 0,
        name_escaping: String::new(),
        ..GlobalConfig::default()
    };
    let mut scheme = None;
    let mut label_nodes: Vec<(String, Span, String, Span)> = Vec::new();
    for (key, value) in f.entries() {
        match key.name.as_str() {
            "scrape_interval" => g.scrape_interval = d.duration(value).unwrap_or(0),
            "scrape_timeout" => g.scrape_timeout = d.duration(value).unwrap_or(0),
            "evaluation_interval" => g.evaluation_interval = d.duration(value).unwrap_or(0),
            "rule_query_offset" => {
                d.duration(value);
            }
            "query_log_file" | "scrape_failure_log_file" => {
                d.string(value);
            }
            "scrape_protocols" => g.scrape_protocols = d.strings(value),
            "external_labels" => {
                if let crate::load::yaml::NodeValue::Map(entries) = &value.value {
                    d.check_map_keys(value);
                    for (k, v) in entries {
                        let (Some(name), Some(val)) = (d.key_string(k), d.string(v)) else {
                            continue;
                        };
                        label_nodes.push((name, k.span, val, v.span));
                    }
                } else if !super::decode::is_null(value) {
                    d.type_error(value, "labels.Labels");
                }
            }
            "body_size_limit" => {
                g.body_size_limit = decode_bytes(d, value).unwrap_or(0).max(0) as u64
            }
            "sample_limit" => g.sample_limit = d.uint(value, "uint").unwrap_or(0),
            "target_limit" => g.target_limit = d.uint(value, "uint").unwrap_or(0),
            "label_limit" => g.label_limit = d.uint(value, "uint").unwrap_or(0),
            "label_name_length_limit" => {
                g.label_name_length_limit = d.uint(value, "uint").unwrap_or(0)
            }
            "label_value_length_limit" => {
                g.label_value_length_limit = d.uint(value, "uint").unwrap_or(0)
            }
            "keep_dropped_targets" => g.keep_dropped_targets = d.uint(value, "uint").unwrap_or(0),
            "metric_name_validation_scheme" => {
                scheme = decode_validation_scheme(d, value).flatten()
            }
            "metric_name_escaping_scheme" => g.name_escaping = d.string(value).unwrap_or_default(),
            "scrape_native_histograms" => {
                g.scrape_native_histograms = d.bool(value).unwrap_or(false)
            }
            "convert_classic_histograms_to_nhcb" => {
                g.convert_classic_histograms_to_nhcb = d.bool(value).unwrap_or(false)
            }
            "always_scrape_classic_histograms" => {
                g.always_scrape_classic_histograms = d.bool(value).unwrap_or(false)
            }
            "extra_scrape_metrics" => {
                d.bool(value);
            }
            _ => {}
        }
    }
    if d.failed_since(mark) {
        return GlobalConfig::default();
    }
    g.name_validation = scheme.unwrap_or(NameValidation::Utf8);
    // Prometheus sorts the labels and refuses a repeated name.
    label_nodes.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, name_span, value, value_span) in &label_nodes {
        if !is_valid_label_name(name, g.name_validation) {
            d.error(
                *name_span,
                format!("{} is not a valid label name", go_quote(name)),
            );
            return g;
        }
        if !is_go_utf8(value) {
            d.error(
                *value_span,
                format!("{} is not a valid label value", go_quote(value)),
            );
            return g;
        }
    }
    g.external_labels = label_nodes.into_iter().map(|(n, _, v, _)| (n, v)).collect();
    if g.scrape_interval == 0 {
        g.scrape_interval = 60_000;
    }
    if g.scrape_timeout > g.scrape_interval {
        d.error(
            f.span_of("scrape_timeout"),
            "global scrape timeout greater than scrape interval",
        );
        return g;
    }
    if g.scrape_timeout == 0 {
        g.scrape_timeout = g.scrape_interval.min(10_000);
    }
    if g.evaluation_interval == 0 {
        g.evaluation_interval = 60_000;
    }
    if let Some(protocols) = &g.scrape_protocols
        && let Err(e) = check_scrape_protocols(protocols)
    {
        d.error(
            f.span_of("scrape_protocols"),
            format!("{e} for global config"),
        );
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_expansion_is_os_expand() {
        let env = |name: &str| (name == "TEST").then(|| "x".to_string());
        assert_eq!(expand_env("${TEST}", &env), "x");
        assert_eq!(expand_env("foo${TEST}bar", &env), "fooxbar");
        assert_eq!(expand_env("foo$${TEST}", &env), "foo${TEST}");
        assert_eq!(expand_env("foo$$bar", &env), "foo$bar");
        assert_eq!(expand_env("$TEST-y", &env), "x-y");
        assert_eq!(expand_env("$MISSING", &env), "");
        assert_eq!(expand_env("a$", &env), "a$");
    }

    #[test]
    fn bytes_and_protocols() {
        assert_eq!(parse_base2_bytes("1KB"), Ok(1024));
        assert_eq!(parse_base2_bytes("-1GB"), Ok(-1_073_741_824));
        assert_eq!(
            parse_base2_bytes("100"),
            Err("units: unknown unit  in 100".into())
        );
        assert_eq!(
            check_scrape_protocols(&["PrometheusProto".into(), "prometheusproto".into()]),
            Err(
                "duplicated protocol in scrape_protocols, got [PrometheusProto prometheusproto]"
                    .into()
            )
        );
        assert!(check_scrape_protocols(&[]).is_err());
    }
}
