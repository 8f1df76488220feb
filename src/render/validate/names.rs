//! The apimachinery name and value formats the pod validation needs, over the ones `check::metadata`
//! already has: port names and numbers, environment variable names, config keys, HTTP header names,
//! DNS search domains, and label and annotation maps.

use super::errors::FieldError;
use crate::check::metadata::{self, TOTAL_ANNOTATION_SIZE_LIMIT};
use crate::fieldpath::FieldPath;
use crate::kube::validation::{is_delimited, max_len_error, regex_error};
use std::collections::BTreeMap;

pub use metadata::{
    dns1123_label_errors as label, dns1123_subdomain_errors as subdomain,
    label_value_errors as label_value, qualified_name_errors as qualified,
};

const CONFIG_MAP_KEY_FMT: &str = "[-._a-zA-Z0-9]+";
const HTTP_HEADER_NAME_FMT: &str = "[-A-Za-z0-9]+";
const SUBDOMAIN_UNDERSCORE_FMT: &str =
    "[a-z0-9_]([-a-z0-9_]*[a-z0-9_])?(\\.[a-z0-9_]([-a-z0-9_]*[a-z0-9_])?)*";

/// `[a-z0-9_]([-a-z0-9_]*[a-z0-9_])?`, anchored: one part of a subdomain that allows underscores.
fn is_underscore_label(part: &str) -> bool {
    let end = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_';
    is_delimited(part, end, |c| c == b'-')
}

/// `IsValidPortName`: at most 15 lowercase alphanumerics and hyphens, with a letter, no `--`, no
/// hyphen at either end.
pub fn port_name(port: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if port.len() > 15 {
        errs.push(max_len_error(15));
    }
    let charset = !port.is_empty()
        && port
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !charset {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".into());
    } else if !port.bytes().any(|b| b.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".into());
    }
    if port.contains("--") {
        errs.push("must not contain consecutive hyphens".into());
    }
    if port.starts_with('-') || port.ends_with('-') {
        errs.push("must not begin or end with a hyphen".into());
    }
    errs
}

/// `IsValidPortNum`.
pub fn port_number(port: i64) -> Option<String> {
    (!(1..=65535).contains(&port)).then(|| "must be between 1 and 65535, inclusive".to_string())
}

/// `IsRelaxedEnvVarName`, the rule since relaxed environment variable names became the default:
/// printable ASCII without `=`.
pub fn env_var_name(name: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if name.is_empty() {
        errs.push("environment variable name must be non-empty".into());
    }
    if name.chars().any(|c| !(' '..='~').contains(&c) || c == '=') {
        errs.push(
            "a valid environment variable name must consist only of printable ASCII characters other than '='"
                .into(),
        );
    }
    errs
}

/// `IsConfigMapKey` (also used for Secret keys).
pub fn config_map_key(key: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if key.len() > 253 {
        errs.push(max_len_error(253));
    }
    let charset = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_');
    if key.is_empty() || !key.bytes().all(charset) {
        errs.push(regex_error(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            CONFIG_MAP_KEY_FMT,
            &["key.name", "KEY_NAME", "key-name"],
        ));
    }
    if key == "." {
        errs.push("must not be '.'".into());
    } else if key == ".." {
        errs.push("must not be '..'".into());
    } else if key.starts_with("..") {
        errs.push("must not start with '..'".into());
    }
    errs
}

pub fn is_http_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
}

pub fn http_header_name_error() -> String {
    regex_error(
        "a valid HTTP header must consist of alphanumeric characters or '-'",
        HTTP_HEADER_NAME_FMT,
        &["X-Header-Name"],
    )
}

/// `IsDNS1123SubdomainWithUnderscore`, for DNS search domains.
pub fn subdomain_with_underscore(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push(max_len_error(253));
    }
    if !value.split('.').all(is_underscore_label) {
        errs.push(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character",
            SUBDOMAIN_UNDERSCORE_FMT,
            &["example.com"],
        ));
    }
    errs
}

/// `ValidateLabels`: every error names the map, not the key.
pub fn labels(map: &BTreeMap<String, String>, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (k, v) in map {
        for msg in qualified(k) {
            errs.push(FieldError::invalid_str(path.clone(), k, &msg));
        }
        for msg in label_value(v) {
            errs.push(FieldError::invalid_str(path.clone(), v, &msg));
        }
    }
    errs
}

/// `ValidateAnnotations`: qualified keys (compared in lower case) and at most 256 KiB in total.
pub fn annotations(map: &BTreeMap<String, String>, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut total = 0;
    for (k, v) in map {
        for msg in qualified(&k.to_lowercase()) {
            errs.push(FieldError::invalid_str(path.clone(), k, &msg));
        }
        total += k.len() + v.len();
    }
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        errs.push(FieldError::too_long(
            path.clone(),
            &format!("may not be more than {TOTAL_ANNOTATION_SIZE_LIMIT} bytes"),
        ));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_names() {
        assert!(port_name("web").is_empty());
        assert!(port_name("http-9090").is_empty());
        assert_eq!(
            port_name("9090"),
            ["must contain at least one letter (a-z)"]
        );
        assert_eq!(
            port_name("Web"),
            ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"]
        );
        assert_eq!(
            port_name("a-very-long-port-name"),
            ["must be no more than 15 characters"]
        );
        assert_eq!(
            port_name("-a--b"),
            [
                "must not contain consecutive hyphens",
                "must not begin or end with a hyphen"
            ]
        );
    }

    #[test]
    fn port_numbers() {
        assert_eq!(port_number(1), None);
        assert_eq!(port_number(65535), None);
        assert!(port_number(0).is_some());
        assert!(port_number(65536).is_some());
    }

    #[test]
    fn env_var_names() {
        assert!(env_var_name("1ABC.x-y").is_empty());
        assert_eq!(env_var_name("A=B").len(), 1);
        assert_eq!(env_var_name("caf\u{e9}").len(), 1);
    }

    #[test]
    fn config_keys() {
        assert!(config_map_key("tls.crt").is_empty());
        assert_eq!(config_map_key("a/b").len(), 1);
        assert_eq!(config_map_key("..a"), ["must not start with '..'"]);
    }

    #[test]
    fn config_keys_need_one_character_of_the_set() {
        assert_eq!(config_map_key("").len(), 1);
        assert_eq!(config_map_key("a b").len(), 1);
        assert!(config_map_key("A-Z_0.9").is_empty());
    }

    #[test]
    fn http_header_names() {
        assert!(is_http_header_name("X-Header-Name"));
        assert!(!is_http_header_name(""));
        assert!(!is_http_header_name("X_Header"));
        assert!(!is_http_header_name("X:"));
    }

    #[test]
    fn search_domains_allow_underscores_in_each_part() {
        assert!(subdomain_with_underscore("_srv.example.com").is_empty());
        assert!(subdomain_with_underscore("a_").is_empty());
        assert_eq!(subdomain_with_underscore("a..b").len(), 1);
        assert_eq!(subdomain_with_underscore("-a.b").len(), 1);
        assert_eq!(subdomain_with_underscore("Example.com").len(), 1);
        assert_eq!(subdomain_with_underscore("").len(), 1);
        assert_eq!(subdomain_with_underscore(&"a".repeat(254)).len(), 1);
    }

    #[test]
    fn label_maps_name_the_map() {
        let m: BTreeMap<String, String> = [("bad key".into(), "ok".into())].into();
        let errs = labels(&m, &FieldPath::parse("spec.template.labels"));
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0].to_string().starts_with(
                "spec.template.labels: Invalid value: \"bad key\": name part must consist of"
            ),
            "{}",
            errs[0]
        );
    }
}
