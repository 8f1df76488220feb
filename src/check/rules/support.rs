//! Small validators shared by several rules: Prometheus durations, label names, relabel regexes.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
/// Parses a Prometheus duration (`1d2h30m`, `500ms`, `0`) to milliseconds, with Prometheus'
/// error text.
pub fn parse_duration(text: &str) -> Result<u128, String> {
    if text.is_empty() {
        return Err("empty duration string".to_string());
    }
    if text == "0" {
        return Ok(0);
    }
    let invalid = || format!("not a valid duration string: {text:?}");
    // Units in the only order Prometheus accepts them, each at most once.
    const UNITS: [(&str, u128); 7] = [
        ("y", 365 * 24 * 3_600_000),
        ("w", 7 * 24 * 3_600_000),
        ("d", 24 * 3_600_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
        ("ms", 1),
    ];
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut next_unit = 0;
    let mut total: u128 = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if start == i {
            return Err(invalid());
        }
        let number: u128 = text[start..i].parse().map_err(|_| invalid())?;
        let unit_start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let unit = &text[unit_start..i];
        let Some(pos) = UNITS[next_unit..].iter().position(|(u, _)| *u == unit) else {
            return Err(invalid());
        };
        let (_, factor) = UNITS[next_unit + pos];
        next_unit += pos + 1;
        total = total.saturating_add(number.saturating_mul(factor));
    }
    if total > i64::MAX as u128 / 1_000_000 {
        return Err("duration out of range".to_string());
    }
    Ok(total)
}

/// A label name valid under the classic scheme: `[a-zA-Z_][a-zA-Z0-9_]*`.
pub fn is_legacy_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A valid label name for the given scheme (UTF-8 names only need to be non-empty).
pub fn is_valid_label_name(name: &str, utf8: bool) -> bool {
    if utf8 {
        !name.is_empty()
    } else {
        is_legacy_label_name(name)
    }
}

/// Compiles a relabel regex the way Prometheus does (fully anchored); the error reads like Go's
/// `regexp` error for the common cases.
pub fn compile_relabel_regex(re: &str) -> Result<(), String> {
    type Cache = Mutex<HashMap<String, Result<(), String>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Cache::default);
    if let Ok(guard) = cache.lock()
        && let Some(hit) = guard.get(re)
    {
        return hit.clone();
    }
    let verdict = compile_uncached(re);
    if let Ok(mut guard) = cache.lock() {
        guard.insert(re.to_string(), verdict.clone());
    }
    verdict
}

fn compile_uncached(re: &str) -> Result<(), String> {
    let anchored = format!("^(?s:{re})$");
    regex::Regex::new(&anchored).map(|_| ()).map_err(|e| {
        let text = e.to_string();
        let detail = text
            .lines()
            .rev()
            .find(|l| l.starts_with("error:"))
            .map(|l| l.trim_start_matches("error:").trim().to_string())
            .unwrap_or(text);
        let code = match detail.as_str() {
            "unclosed group" => "missing closing )",
            "unopened group" => "unexpected )",
            "unclosed character class" => "missing closing ]",
            "repetition operator missing expression" => "missing argument to repetition operator",
            "unrecognized escape sequence" => "invalid escape sequence",
            other => other,
        };
        format!("error parsing regexp: {code}: `{anchored}`")
    })
}

/// The `<secret=name,key=key>` form the operator prints for a Secret-or-ConfigMap selector.
pub fn selector_string(view: &crate::select::view::View<'_>) -> String {
    let secret = view.get("secret");
    let config_map = view.get("configMap");
    if secret.is_set() {
        format!(
            "<secret={},key={}>",
            secret.get("name").string(),
            secret.get("key").string()
        )
    } else if config_map.is_set() {
        format!(
            "<configmap={},key={}>",
            config_map.get("name").string(),
            config_map.get("key").string()
        )
    } else {
        "<empty>".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Ok(30_000));
        assert_eq!(parse_duration("1m30s"), Ok(90_000));
        assert_eq!(parse_duration("1h5ms"), Ok(3_600_005));
        assert_eq!(parse_duration("0"), Ok(0));
        assert!(parse_duration("").is_err());
        assert!(parse_duration("30s1m").is_err());
        assert!(parse_duration("1.5s").is_err());
        assert!(parse_duration("10").is_err());
        assert_eq!(
            parse_duration("abc"),
            Err("not a valid duration string: \"abc\"".to_string())
        );
    }

    #[test]
    fn label_names() {
        assert!(is_legacy_label_name("__meta_x1"));
        assert!(!is_legacy_label_name("1abc"));
        assert!(!is_legacy_label_name("team-name"));
        assert!(is_valid_label_name("team-name", true));
        assert!(!is_valid_label_name("", true));
    }

    #[test]
    fn regexes() {
        assert!(compile_relabel_regex("(api|web)").is_ok());
        assert!(compile_relabel_regex("").is_ok());
        assert!(compile_relabel_regex("(unclosed").is_err());
    }
}
