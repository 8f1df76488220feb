//! Which fields of a Prometheus configuration are `config.Secret` (prometheus/common v0.69,
//! prometheus v3.13.1, prometheus/sigv4), by their key path, so that promagent hides exactly what
//! Prometheus hides when it prints a configuration: [`in_scrape_config`] and [`in_config`] answer
//! for a path, [`hidden_spans`] lists the source spans of those values in a loaded file.
//!
//! Paths are keys from the section's root; sequence indices are left out. A value under a secret
//! path is a secret whatever its YAML type (`password: 31415926535` too). A secret field's name
//! found in the wrong place (a mistyped parent) is still treated as a secret.

use super::sd;
use crate::diag::{SourceFile, Span};
use crate::load::yaml::{Node, NodeValue};

/// The `config.Secret` fields of an HTTP client configuration (`config.HTTPClientConfig`, inline).
pub fn in_http_client(path: &[&str]) -> bool {
    match path {
        ["bearer_token"] | ["basic_auth", "password"] | ["authorization", "credentials"] => true,
        ["oauth2", "client_secret" | "client_certificate_key"] => true,
        ["oauth2", "tls_config", rest @ ..] | ["tls_config", rest @ ..] => in_tls(rest),
        ["oauth2", rest @ ..] => in_proxy(rest),
        ["http_headers", _, "secrets"] => true,
        _ => in_proxy(path),
    }
}

/// `config.TLSConfig`: the client key.
pub fn in_tls(path: &[&str]) -> bool {
    path == ["key"]
}

/// `config.ProxyConfig`: every value of `proxy_connect_header` (`map[string][]Secret`).
fn in_proxy(path: &[&str]) -> bool {
    matches!(path, ["proxy_connect_header", _])
}

/// `sigv4.SigV4Config` (remote write, Alertmanager).
fn in_sigv4(path: &[&str]) -> bool {
    path == ["secret_key"]
}

/// One `<kind>_sd_configs` entry: the kind's own secret fields, its TLS settings when it has them
/// outside an HTTP client configuration, and the HTTP client configuration it embeds.
pub fn in_sd_config(kind: &str, path: &[&str]) -> bool {
    if let [field] = path
        && sd::secret_fields(kind).contains(field)
    {
        return true;
    }
    if let ["tls_config", rest @ ..] = path
        && in_tls(rest)
    {
        return true;
    }
    match sd::embeds_http_client(kind) {
        Some(false) => false,
        // An unknown kind (refused on load) is read as if it had everything.
        Some(true) | None => in_http_client(path) || sd::any_secret_field(path),
    }
}

/// One entry of `scrape_configs` (or of a PrometheusAgent's additional scrape configs).
pub fn in_scrape_config(path: &[&str]) -> bool {
    let typed = match path {
        [key, rest @ ..] if key.ends_with("_sd_configs") => {
            in_sd_config(key.trim_end_matches("_sd_configs"), rest)
        }
        _ => in_http_client(path),
    };
    typed || misplaced(path)
}

/// A whole `prometheus.yml`.
pub fn in_config(path: &[&str]) -> bool {
    let typed = match path {
        ["scrape_configs", rest @ ..] => in_scrape_config(rest),
        ["remote_write" | "remote_read", rest @ ..] => {
            in_http_client(rest)
                || matches!(rest, ["sigv4", r @ ..] if in_sigv4(r))
                || matches!(
                    rest,
                    ["azuread", "oauth", "client_secret"]
                        | ["azuread", "certificate", "certificate_password"]
                )
        }
        ["alerting", "alertmanagers", rest @ ..] => {
            in_scrape_config(rest) || matches!(rest, ["sigv4", r @ ..] if in_sigv4(r))
        }
        ["tracing", "tls_config", rest @ ..] => in_tls(rest),
        _ => false,
    };
    typed || misplaced(path)
}

/// A secret field's name under the wrong parent: Prometheus refuses such a file, and promagent
/// still does not print the value.
fn misplaced(path: &[&str]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    match (*last, parents.last().copied()) {
        ("key", Some("tls_config")) => true,
        ("secrets", Some(_)) => parents.iter().rev().nth(1) == Some(&"http_headers"),
        (_, Some("proxy_connect_header")) => true,
        (name, _) => {
            name != "key"
                && name != "secrets"
                && (HTTP_SECRET_NAMES.contains(&name)
                    || sd::any_secret_field(&[name])
                    || OTHER_SECRET_NAMES.contains(&name))
        }
    }
}

/// The names of the HTTP client configuration's secret fields, for [`misplaced`].
const HTTP_SECRET_NAMES: &[&str] = &[
    "bearer_token",
    "password",
    "credentials",
    "client_secret",
    "client_certificate_key",
];

/// Secret fields outside the HTTP client and discovery configurations.
const OTHER_SECRET_NAMES: &[&str] = &["secret_key", "certificate_password"];

/// The spans of every secret value in `root` (a whole `prometheus.yml` when `whole_config`, else
/// a list of scrape configs), for masking source snippets.
pub fn hidden_spans(root: &Node, whole_config: bool) -> Vec<Span> {
    let classify: fn(&[&str]) -> bool = if whole_config {
        in_config
    } else {
        in_scrape_config
    };
    let mut out = Vec::new();
    let mut path = Vec::new();
    walk(root, &mut path, classify, &mut out);
    out
}

fn walk<'n>(
    node: &'n Node,
    path: &mut Vec<&'n str>,
    classify: fn(&[&str]) -> bool,
    out: &mut Vec<Span>,
) {
    match &node.value {
        NodeValue::Map(entries) => {
            for (key, value) in entries {
                path.push(&key.name);
                if classify(path) {
                    out.push(value.span);
                } else {
                    walk(value, path, classify, out);
                }
                path.pop();
            }
        }
        NodeValue::Seq(items) => {
            for item in items {
                walk(item, path, classify, out);
            }
        }
        _ => {}
    }
}

/// A `prometheus.yml` as a [`SourceFile`] whose snippets never show its secret values nor the
/// URLs that carry a password.
pub fn source_file(name: impl Into<String>, text: String) -> SourceFile {
    let parsed = crate::load::yaml::parse(&text, &Default::default());
    let mut hidden = Vec::new();
    for doc in &parsed.documents {
        hidden.extend(hidden_spans(doc, true));
        hidden.extend(url_password_spans(doc));
    }
    SourceFile::new(name, text).with_hidden(hidden)
}

/// The strings of `root` that are URLs with a password, by span.
pub fn url_password_spans(root: &Node) -> Vec<Span> {
    let mut out = Vec::new();
    collect_urls(root, &mut out);
    out
}

fn collect_urls(node: &Node, out: &mut Vec<Span>) {
    match &node.value {
        NodeValue::Str(s) if crate::shown::redact_url(s).is_some() => out.push(node.span),
        NodeValue::Map(entries) => entries.iter().for_each(|(_, v)| collect_urls(v, out)),
        NodeValue::Seq(items) => items.iter().for_each(|v| collect_urls(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::http;
    use super::*;

    #[test]
    fn http_client_secrets() {
        for path in [
            &["bearer_token"][..],
            &["basic_auth", "password"],
            &["authorization", "credentials"],
            &["oauth2", "client_secret"],
            &["oauth2", "client_certificate_key"],
            &["oauth2", "tls_config", "key"],
            &["oauth2", "proxy_connect_header", "X"],
            &["tls_config", "key"],
            &["http_headers", "X-Token", "secrets"],
            &["proxy_connect_header", "Proxy-Authorization"],
        ] {
            assert!(in_http_client(path), "{path:?}");
            assert!(http::FIELDS.contains(&path[0]), "{path:?}");
        }
        for path in [
            &["basic_auth", "username"][..],
            &["tls_config", "cert"],
            &["http_headers", "X", "values"],
            &["oauth2", "client_id"],
            &["bearer_token_file"],
        ] {
            assert!(!in_http_client(path), "{path:?}");
        }
    }

    #[test]
    fn discovery_secrets() {
        assert!(in_scrape_config(&["consul_sd_configs", "token"]));
        assert!(in_scrape_config(&["consul_sd_configs", "password"]));
        assert!(in_scrape_config(&[
            "openstack_sd_configs",
            "application_credential_secret"
        ]));
        assert!(in_scrape_config(&[
            "openstack_sd_configs",
            "tls_config",
            "key"
        ]));
        assert!(in_scrape_config(&["ec2_sd_configs", "secret_key"]));
        assert!(in_scrape_config(&["ovhcloud_sd_configs", "consumer_key"]));
        assert!(in_scrape_config(&["stackit_sd_configs", "private_key"]));
        assert!(in_scrape_config(&["marathon_sd_configs", "auth_token"]));
        assert!(in_scrape_config(&["azure_sd_configs", "client_secret"]));
        assert!(in_scrape_config(&[
            "kubernetes_sd_configs",
            "basic_auth",
            "password"
        ]));
        assert!(in_scrape_config(&[
            "http_sd_configs",
            "authorization",
            "credentials"
        ]));
        assert!(!in_scrape_config(&["consul_sd_configs", "username"]));
        assert!(!in_scrape_config(&["ec2_sd_configs", "access_key"]));
        assert!(!in_scrape_config(&["job_name"]));
        assert!(!in_scrape_config(&["relabel_configs", "regex"]));
        // A misplaced secret field stays hidden.
        assert!(in_scrape_config(&["basic_auth_typo", "password"]));
        assert!(in_scrape_config(&["tls_config_typo", "tls_config", "key"]));
    }

    #[test]
    fn whole_config_secrets() {
        assert!(in_config(&["remote_write", "sigv4", "secret_key"]));
        assert!(in_config(&[
            "remote_write",
            "azuread",
            "oauth",
            "client_secret"
        ]));
        assert!(in_config(&[
            "remote_write",
            "azuread",
            "certificate",
            "certificate_password"
        ]));
        assert!(in_config(&["remote_write", "basic_auth", "password"]));
        assert!(in_config(&[
            "alerting",
            "alertmanagers",
            "sigv4",
            "secret_key"
        ]));
        assert!(in_config(&["tracing", "tls_config", "key"]));
        assert!(in_config(&["scrape_configs", "bearer_token"]));
        assert!(!in_config(&["remote_write", "url"]));
        assert!(!in_config(&["global", "scrape_interval"]));
    }

    #[test]
    fn spans_of_secret_values() {
        let text = "scrape_configs:\n- job_name: a\n  basic_auth:\n    username: u\n    password: 31415926535\n  http_headers:\n    X:\n      secrets: [s1, s2]\n";
        let parsed = crate::load::yaml::parse(text, &Default::default());
        let spans = hidden_spans(&parsed.documents[0], true);
        let shown: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(shown, ["31415926535", "[s1, s2]"]);
    }
}
