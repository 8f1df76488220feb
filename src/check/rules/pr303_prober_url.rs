//! PR303 `prober-url`: a Probe prober URL that is not `host` or `host:port`.
#![doc = include_str!("docs/PR303.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use crate::diag::Severity;
use std::net::IpAddr;

pub const INFO: RuleInfo = RuleInfo {
    code: "PR303",
    name: "prober-url",
    summary: "spec.prober.url must be `hostname` or `hostname:port`",
    doc: include_str!("docs/PR303.md"),
    default_severity: Severity::Error,
};

fn is_ip(s: &str) -> bool {
    s.parse::<IpAddr>().is_ok()
}

fn is_dns_name(s: &str) -> bool {
    if s.is_empty() || s.replace('.', "").len() > 255 || is_ip(s) {
        return false;
    }
    static PATTERN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^([a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})(\.[a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})*[._]?$",
        )
        .expect("a constant pattern compiles")
    });
    PATTERN.is_match(s)
}

fn is_host(s: &str) -> bool {
    is_ip(s) || is_dns_name(s)
}

/// Splits `host:port` / `[v6]:port` like Go's `net.SplitHostPort`; `None` when that fails.
fn split_host_port(s: &str) -> Option<(&str, &str)> {
    if let Some(rest) = s.strip_prefix('[') {
        let end = rest.find(']')?;
        let host = &rest[..end];
        let port = rest[end + 1..].strip_prefix(':')?;
        return (!port.contains(':')).then_some((host, port));
    }
    let i = s.rfind(':')?;
    let (host, port) = (&s[..i], &s[i + 1..]);
    if host.contains(':') || host.contains(['[', ']']) || port.contains(['[', ']']) {
        return None;
    }
    Some((host, port))
}

/// The operator's objection to a prober URL.
pub fn validate(url: &str) -> Option<String> {
    match split_host_port(url) {
        None => (!is_host(url)).then(|| format!("invalid host: {url:?}")),
        Some((host, port)) => {
            if !is_host(host) {
                return Some(format!("invalid host: {host:?}"));
            }
            let ok = port.parse::<u32>().is_ok_and(|p| p > 0 && p < 65536);
            (!ok).then(|| format!("invalid port: {port:?}"))
        }
    }
}

pub fn check(_cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if t.kind != Kind::Probe {
        return;
    }
    let field = t.spec().at("prober.url");
    let url = field.string();
    if let Some(e) = validate(url) {
        out.error(
            INFO.code,
            &field.path(),
            format!("{url:?} url specified in proberSpec is invalid, it should be of the format `hostname` or `hostname:port`: {e}"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::validate;

    #[test]
    fn prober_urls() {
        assert_eq!(validate("blackbox-exporter.monitoring.svc:9115"), None);
        assert_eq!(validate("blackbox"), None);
        assert_eq!(validate("10.0.0.1:80"), None);
        assert_eq!(validate("[::1]:9115"), None);
        assert!(validate("http://blackbox:9115").is_some());
        assert!(validate("blackbox:0").is_some());
        assert!(validate("").is_some());
    }
}
