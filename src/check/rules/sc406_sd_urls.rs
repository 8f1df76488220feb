//! SC406 `sd-url`: service-discovery server URLs the operator cannot use.
#![doc = include_str!("docs/SC406.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use crate::diag::Severity;

pub const INFO: RuleInfo = RuleInfo {
    code: "SC406",
    name: "sd-url",
    summary: "A Kuma/Nomad server, PuppetDB URL, HTTP SD URL or Docker host is not a usable URL",
    doc: include_str!("docs/SC406.md"),
    default_severity: Severity::Error,
};

/// The scheme and host of a URL as Go's `url.Parse` splits them, or its error.
pub fn parse_url(raw: &str) -> Result<(String, String), String> {
    if raw.chars().any(|c| (c as u32) < 0x20 || c as u32 == 0x7f) {
        return Err(format!(
            "parse {raw:?}: net/url: invalid control character in URL"
        ));
    }
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < bytes.len()
        && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'+' | b'-' | b'.'))
    {
        i += 1;
    }
    let (scheme, rest) =
        if i < bytes.len() && bytes[i] == b':' && i > 0 && bytes[0].is_ascii_alphabetic() {
            (raw[..i].to_lowercase(), &raw[i + 1..])
        } else if raw.starts_with(':') {
            return Err(format!("parse {raw:?}: missing protocol scheme"));
        } else {
            (String::new(), raw)
        };
    let host = match rest.strip_prefix("//") {
        Some(after) => {
            let end = after.find(['/', '?', '#']).unwrap_or(after.len());
            let authority = &after[..end];
            authority
                .rsplit_once('@')
                .map_or(authority, |(_, h)| h)
                .to_string()
        }
        None => String::new(),
    };
    let mut chars = raw.char_indices();
    while let Some((_, c)) = chars.next() {
        if c == '%' {
            let hex: String = chars.by_ref().take(2).map(|(_, c)| c).collect();
            if hex.len() != 2 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(format!("parse {raw:?}: invalid URL escape \"%{hex}\""));
            }
        }
    }
    Ok((scheme, host))
}

fn validate_server(server: &str) -> Option<String> {
    match parse_url(server) {
        Err(e) => Some(format!("cannot parse server: {e}")),
        Ok((scheme, host)) if scheme.is_empty() || host.is_empty() => {
            Some(format!("must not be empty and have a scheme: {server}"))
        }
        Ok(_) => None,
    }
}

pub fn check(_cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if t.kind != Kind::ScrapeConfig {
        return;
    }
    let spec = t.spec();
    for list in ["kumaSDConfigs", "nomadSDConfigs"] {
        for (i, e) in spec.get(list).items().iter().enumerate() {
            if let Some(err) = validate_server(e.get("server").string()) {
                out.error(INFO.code, &e.get("server").path(), format!("[{i}]: {err}"));
            }
        }
    }
    for (i, e) in spec.get("puppetDBSDConfigs").items().iter().enumerate() {
        let field = e.get("url");
        let message = match parse_url(field.string()) {
            Err(err) => Some(err),
            Ok((scheme, _)) if scheme != "http" && scheme != "https" => {
                Some("URL scheme must be 'http' or 'https'".to_string())
            }
            Ok((_, host)) if host.is_empty() => Some("host is missing in URL".to_string()),
            Ok(_) => None,
        };
        if let Some(m) = message {
            out.error(INFO.code, &field.path(), format!("[{i}]: {m}"));
        }
    }
    for (list, field) in [
        ("httpSDConfigs", "url"),
        ("dockerSDConfigs", "host"),
        ("dockerSwarmSDConfigs", "host"),
    ] {
        for (i, e) in spec.get(list).items().iter().enumerate() {
            if let Err(err) = parse_url(e.get(field).string()) {
                out.error(INFO.code, &e.get(field).path(), format!("[{i}]: {err}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            parse_url("http://kuma:5676").unwrap(),
            ("http".into(), "kuma:5676".into())
        );
        assert_eq!(parse_url("kuma:5676").unwrap().1, "");
        assert!(parse_url("http://x/%zz").is_err());
        assert!(parse_url(":5676").is_err());
        assert!(validate_server("kuma-control-plane:5676").is_some());
        assert!(validate_server("https://kuma:5676").is_none());
    }
}
