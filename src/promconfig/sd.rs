//! Service discovery sections of a scrape config (`static_configs`, `*_sd_configs`): which keys
//! exist, static target groups, and the load-time checks of each discovery kind other than
//! Kubernetes ([`super::kubernetes`]): unknown fields, and each kind's own checks. The values
//! of fields no check reads are not type-checked.

use super::decode::{Decoder, Fields, go_quote, is_go_utf8, is_null};
use super::http;
use super::kubernetes::{self, KubernetesSdConfig};
use super::url;
use crate::diag::Span;
use crate::load::yaml::Node;

/// The discovery kinds Prometheus v3.13.1 registers, by the name their key starts with.
pub const KINDS: &[&str] = &[
    "azure",
    "consul",
    "digitalocean",
    "dns",
    "docker",
    "dockerswarm",
    "ec2",
    "eureka",
    "file",
    "gce",
    "hetzner",
    "http",
    "ionos",
    "kubernetes",
    "kuma",
    "lightsail",
    "linode",
    "marathon",
    "nerve",
    "nomad",
    "openstack",
    "outscale",
    "ovhcloud",
    "puppetdb",
    "scaleway",
    "serverset",
    "stackit",
    "triton",
    "uyuni",
    "vultr",
    "aws",
    "ecs",
    "elasticache",
    "msk",
    "rds",
];

/// Whether `key` is a service-discovery key of a scrape or Alertmanager config.
pub fn is_sd_key(key: &str) -> bool {
    key == "static_configs"
        || key
            .strip_suffix("_sd_configs")
            .is_some_and(|kind| KINDS.contains(&kind))
}

/// One static target group.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TargetGroup {
    pub targets: Vec<(String, Span)>,
    pub labels: Vec<(String, String)>,
}

/// The discovery configured by one scrape config.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Discovery {
    pub static_configs: Vec<TargetGroup>,
    pub kubernetes: Vec<KubernetesSdConfig>,
    /// Other kinds, by name, with the span of each entry.
    pub others: Vec<(String, Span)>,
}

const GROUP_TYPE: &str = "struct { Targets []string \"yaml:\\\"targets\\\"\"; Labels model.LabelSet \"yaml:\\\"labels\\\"\" }";

/// Decodes one `<kind>_sd_configs` or `static_configs` list into `out`.
pub fn decode_key(d: &mut Decoder, key: &str, node: &Node, out: &mut Discovery) {
    let kind = key.strip_suffix("_sd_configs").unwrap_or("static");
    let Some(items) = d.seq(node, "[]discovery.Config") else {
        return;
    };
    for item in items {
        if is_null(item) {
            d.error(item.span, format!("empty or null section in {key}"));
            continue;
        }
        match kind {
            "static" => {
                if let Some(group) = decode_group(d, item) {
                    out.static_configs.push(group);
                }
            }
            "kubernetes" => {
                if let Some(c) = kubernetes::decode(d, item) {
                    out.kubernetes.push(c);
                }
            }
            other => {
                decode_other(d, other, item);
                out.others.push((other.to_string(), item.span));
            }
        }
    }
}

fn decode_group(d: &mut Decoder, node: &Node) -> Option<TargetGroup> {
    let f = d.fields(node, GROUP_TYPE, &["targets", "labels"])?;
    let mut group = TargetGroup::default();
    if let Some(n) = f.get("targets") {
        for item in d.seq(n, "[]string").unwrap_or_default() {
            if let Some(t) = d.string(item) {
                group.targets.push((t, item.span));
            }
        }
    }
    if let Some(n) = f.get("labels") {
        group.labels = decode_label_set(d, n);
    }
    Some(group)
}

/// A `model.LabelSet`: names and values valid UTF-8, names not empty.
pub fn decode_label_set(d: &mut Decoder, node: &Node) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let crate::load::yaml::NodeValue::Map(entries) = &node.value else {
        if !is_null(node) {
            d.type_error(node, "model.LabelSet");
        }
        return out;
    };
    d.check_map_keys(node);
    for (key, value) in entries {
        let Some(name) = d.key_string(key) else {
            continue;
        };
        if name.is_empty() || !is_go_utf8(&name) {
            d.error(
                key.span,
                format!("{} is not a valid label name", go_quote(&name)),
            );
            continue;
        }
        let Some(v) = d.string(value) else { continue };
        out.push((name, v));
    }
    out
}

/// `checkStaticTargets`: with no relabeling, a target must be a host, not a URL.
pub fn check_static_targets(d: &mut Decoder, discovery: &Discovery) -> bool {
    for group in &discovery.static_configs {
        for (target, span) in &group.targets {
            if target.contains('/') {
                d.error(
                    *span,
                    format!("{} is not a valid hostname", go_quote(target)),
                );
                return false;
            }
        }
    }
    true
}

fn text(d: &mut Decoder, f: &Fields, name: &str) -> String {
    f.get(name).and_then(|n| d.string(n)).unwrap_or_default()
}

/// The fields of each discovery kind's `SDConfig`, whether it embeds an HTTP client
/// configuration inline, and the Go package that names its `plain` type in messages.
fn fields_of(kind: &str) -> Option<(&'static [&'static str], bool, &'static str)> {
    const AWS_COMMON: &[&str] = &[
        "region",
        "endpoint",
        "access_key",
        "secret_key",
        "profile",
        "role_arn",
        "external_id",
        "clusters",
        "port",
        "refresh_interval",
        "request_concurrency",
    ];
    Some(match kind {
        "aws" => (
            &[
                "role",
                "region",
                "endpoint",
                "access_key",
                "secret_key",
                "profile",
                "role_arn",
                "external_id",
                "refresh_interval",
                "port",
                "filters",
                "clusters",
            ],
            true,
            "aws",
        ),
        "azure" => (
            &[
                "environment",
                "port",
                "subscription_id",
                "tenant_id",
                "client_id",
                "client_secret",
                "refresh_interval",
                "authentication_method",
                "resource_group",
            ],
            true,
            "azure",
        ),
        "consul" => (
            &[
                "server",
                "path_prefix",
                "token",
                "datacenter",
                "namespace",
                "partition",
                "tag_separator",
                "scheme",
                "username",
                "password",
                "allow_stale",
                "refresh_interval",
                "services",
                "tags",
                "node_meta",
                "filter",
                "health_filter",
            ],
            true,
            "consul",
        ),
        "digitalocean" => (&["refresh_interval", "port", "role"], true, "digitalocean"),
        "dns" => (&["names", "refresh_interval", "type", "port"], false, "dns"),
        "docker" => (
            &[
                "host",
                "port",
                "filters",
                "host_networking_host",
                "refresh_interval",
                "match_first_network",
            ],
            true,
            "moby",
        ),
        "dockerswarm" => (
            &["host", "role", "port", "filters", "refresh_interval"],
            true,
            "moby",
        ),
        "ec2" => (
            &[
                "endpoint",
                "region",
                "access_key",
                "secret_key",
                "profile",
                "role_arn",
                "external_id",
                "refresh_interval",
                "port",
                "filters",
            ],
            true,
            "aws",
        ),
        "ecs" | "elasticache" | "msk" => (AWS_COMMON, true, "aws"),
        "rds" => (
            &[
                "region",
                "endpoint",
                "access_key",
                "secret_key",
                "profile",
                "role_arn",
                "external_id",
                "clusters",
                "port",
                "refresh_interval",
                "filters",
                "request_concurrency",
            ],
            true,
            "aws",
        ),
        "eureka" => (&["server", "refresh_interval"], true, "eureka"),
        "file" => (&["files", "refresh_interval"], false, "file"),
        "gce" => (
            &[
                "project",
                "zone",
                "filter",
                "refresh_interval",
                "port",
                "tag_separator",
            ],
            false,
            "gce",
        ),
        "hetzner" => (
            &["refresh_interval", "port", "role", "label_selector"],
            true,
            "hetzner",
        ),
        "http" => (&["refresh_interval", "url"], true, "http"),
        "ionos" => (
            &["datacenter_id", "refresh_interval", "port"],
            true,
            "ionos",
        ),
        "kuma" => (
            &["refresh_interval", "fetch_timeout", "server", "client_id"],
            true,
            "xds",
        ),
        "lightsail" => (
            &[
                "endpoint",
                "region",
                "access_key",
                "secret_key",
                "profile",
                "role_arn",
                "external_id",
                "refresh_interval",
                "port",
            ],
            true,
            "aws",
        ),
        "linode" => (
            &["refresh_interval", "port", "tag_separator", "region"],
            true,
            "linode",
        ),
        "marathon" => (
            &[
                "servers",
                "refresh_interval",
                "auth_token",
                "auth_token_file",
            ],
            true,
            "marathon",
        ),
        "nerve" | "serverset" => (&["servers", "paths", "timeout"], false, "zookeeper"),
        "nomad" => (
            &[
                "allow_stale",
                "namespace",
                "refresh_interval",
                "region",
                "server",
                "tag_separator",
            ],
            true,
            "nomad",
        ),
        "openstack" => (
            &[
                "identity_endpoint",
                "username",
                "userid",
                "password",
                "project_name",
                "project_id",
                "domain_name",
                "domain_id",
                "application_credential_name",
                "application_credential_id",
                "application_credential_secret",
                "role",
                "region",
                "refresh_interval",
                "port",
                "all_tenants",
                "tls_config",
                "availability",
            ],
            false,
            "openstack",
        ),
        "outscale" => (
            &[
                "endpoint",
                "region",
                "access_key",
                "secret_key",
                "secret_key_file",
                "refresh_interval",
                "port",
            ],
            true,
            "outscale",
        ),
        "ovhcloud" => (
            &[
                "endpoint",
                "application_key",
                "application_secret",
                "consumer_key",
                "refresh_interval",
                "service",
            ],
            false,
            "ovhcloud",
        ),
        "puppetdb" => (
            &[
                "refresh_interval",
                "url",
                "query",
                "include_parameters",
                "port",
            ],
            true,
            "puppetdb",
        ),
        "scaleway" => (
            &[
                "project_id",
                "api_url",
                "zone",
                "access_key",
                "secret_key",
                "secret_key_file",
                "name_filter",
                "tags_filter",
                "refresh_interval",
                "port",
                "role",
            ],
            true,
            "scaleway",
        ),
        "stackit" => (
            &[
                "project",
                "refresh_interval",
                "port",
                "region",
                "endpoint",
                "service_account_key",
                "private_key",
                "service_account_key_path",
                "private_key_path",
                "credentials_file_path",
            ],
            true,
            "stackit",
        ),
        "triton" => (
            &[
                "account",
                "role",
                "dns_suffix",
                "endpoint",
                "groups",
                "port",
                "refresh_interval",
                "tls_config",
                "version",
            ],
            false,
            "triton",
        ),
        "uyuni" => (
            &[
                "server",
                "username",
                "password",
                "entitlement",
                "separator",
                "refresh_interval",
            ],
            true,
            "uyuni",
        ),
        "vultr" => (&["refresh_interval", "port"], true, "vultr"),
        _ => return None,
    })
}

/// The fields of a discovery kind's `SDConfig` whose type is `config.Secret`.
pub fn secret_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "aws" | "ec2" | "ecs" | "elasticache" | "lightsail" | "msk" | "rds" | "outscale"
        | "scaleway" => &["secret_key"],
        "azure" => &["client_secret"],
        "consul" => &["token", "password"],
        "marathon" => &["auth_token"],
        "openstack" => &["password", "application_credential_secret"],
        "ovhcloud" => &["application_secret", "consumer_key"],
        "stackit" => &["service_account_key", "private_key"],
        "uyuni" => &["password"],
        _ => &[],
    }
}

/// Whether `[field]` is a secret field of some discovery kind.
pub fn any_secret_field(path: &[&str]) -> bool {
    let [field] = path else { return false };
    KINDS.iter().any(|kind| secret_fields(kind).contains(field))
}

/// Whether a discovery kind embeds an HTTP client configuration; `None` for an unknown kind.
pub fn embeds_http_client(kind: &str) -> Option<bool> {
    fields_of(kind).map(|(_, http, _)| http)
}

/// The checks of one discovery kind, then its HTTP client configuration's.
fn decode_other(d: &mut Decoder, kind: &str, node: &Node) {
    let mark = d.error_count();
    let (own, with_http, package) = fields_of(kind).unwrap_or((&[], false, ""));
    let go_type = format!("{package}.plain");
    let mut known = own.to_vec();
    if with_http {
        known.extend_from_slice(http::FIELDS);
    }
    let Some(f) = d.fields(node, &go_type, &known) else {
        return;
    };
    let http_config = with_http.then(|| http::decode_inline(d, &f));
    // Values each kind checks, read as strings.
    let role = text(d, &f, "role");
    if let Some(n) = f.present("role") {
        let known: &[&str] = match kind {
            "hetzner" => &["robot", "hcloud"],
            "openstack" => &["hypervisor", "instance", "loadbalancer"],
            "scaleway" => &["instance", "baremetal"],
            _ => &[],
        };
        if !known.is_empty() && !known.contains(&role.as_str()) {
            let message = match kind {
                "openstack" => format!("unknown OpenStack SD role {}", go_quote(&role)),
                _ => format!("unknown role {}", go_quote(&role)),
            };
            d.error(n.span, message);
            return;
        }
    }
    if d.failed_since(mark) {
        return;
    }
    let at = |f: &Fields, name: &str| f.span_of(name);
    let result: Result<(), (Span, String)> = (|| {
        let fail = |span: Span, m: &str| Err((span, m.to_string()));
        match kind {
            "azure" => {
                let method = f
                    .get("authentication_method")
                    .map(|_| text(d, &f, "authentication_method"))
                    .unwrap_or_else(|| "OAuth".into());
                let require = |d: &mut Decoder, name: &str| -> Result<(), (Span, String)> {
                    if text(d, &f, name).is_empty() {
                        return Err((
                            at(&f, name),
                            format!("azure SD configuration requires a {name}"),
                        ));
                    }
                    Ok(())
                };
                require(d, "subscription_id")?;
                if method == "OAuth" {
                    require(d, "tenant_id")?;
                    require(d, "client_id")?;
                    require(d, "client_secret")?;
                }
                if !["OAuth", "ManagedIdentity", "SDK", "WorkloadIdentity"]
                    .contains(&method.as_str())
                {
                    return Err((
                        at(&f, "authentication_method"),
                        format!(
                            "unknown authentication_type {}. Supported types are \"OAuth\", \"ManagedIdentity\", \"SDK\" or \"WorkloadIdentity\"",
                            go_quote(&method)
                        ),
                    ));
                }
            }
            "ec2" => {
                if let Some(filters) = f.present("filters") {
                    for filter in d.seq(filters, "[]*aws.ec2Filter").unwrap_or_default() {
                        let values = filter.get("values").and_then(|v| match &v.value {
                            crate::load::yaml::NodeValue::Seq(items) => Some(items.len()),
                            _ => None,
                        });
                        if values.unwrap_or(0) == 0 {
                            return fail(
                                filter.span,
                                "EC2 SD configuration filter values cannot be empty",
                            );
                        }
                    }
                }
            }
            "eureka" => {
                let server = text(d, &f, "server");
                if server.is_empty() {
                    return fail(at(&f, "server"), "eureka_sd: empty or null eureka server");
                }
                let u = url::parse(&server).map_err(|m| (at(&f, "server"), m))?;
                if u.scheme.is_empty() || u.host.is_empty() {
                    return fail(at(&f, "server"), "eureka_sd: invalid eureka server URL");
                }
            }
            "hetzner" if role.is_empty() => {
                return fail(node.span, "role missing (one of: robot, hcloud)");
            }
            "ionos" if text(d, &f, "datacenter_id").is_empty() => {
                return fail(node.span, "datacenter id can't be empty");
            }
            "marathon" => {
                let servers = f.present("servers").map_or(0, |n| match &n.value {
                    crate::load::yaml::NodeValue::Seq(items) => items.len(),
                    _ => 1,
                });
                if servers == 0 {
                    return fail(
                        node.span,
                        "marathon_sd: must contain at least one Marathon server",
                    );
                }
                let token = !text(d, &f, "auth_token").is_empty();
                let token_file = !text(d, &f, "auth_token_file").is_empty();
                if token && token_file {
                    return fail(
                        at(&f, "auth_token"),
                        "marathon_sd: at most one of auth_token & auth_token_file must be configured",
                    );
                }
                if let (true, Some(h)) = (token || token_file, http_config.as_ref()) {
                    if h.basic_auth.is_some() {
                        return fail(
                            at(&f, "basic_auth"),
                            "marathon_sd: at most one of basic_auth, auth_token & auth_token_file must be configured",
                        );
                    }
                    if !h.bearer_token.is_empty() || !h.bearer_token_file.is_empty() {
                        return fail(
                            node.span,
                            "marathon_sd: at most one of bearer_token, bearer_token_file, auth_token & auth_token_file must be configured",
                        );
                    }
                    if h.authorization.is_some() {
                        return fail(
                            at(&f, "authorization"),
                            "marathon_sd: at most one of auth_token, auth_token_file & authorization must be configured",
                        );
                    }
                }
            }
            "openstack" => {
                let availability = f
                    .get("availability")
                    .map(|_| text(d, &f, "availability"))
                    .unwrap_or_else(|| "public".into());
                if !["public", "internal", "admin"].contains(&availability.as_str()) {
                    return Err((
                        at(&f, "availability"),
                        format!(
                            "unknown availability {availability}, must be one of admin, internal or public"
                        ),
                    ));
                }
                if role.is_empty() {
                    return fail(
                        node.span,
                        "role missing (one of: instance, hypervisor, loadbalancer)",
                    );
                }
                if text(d, &f, "region").is_empty() {
                    return fail(node.span, "openstack SD configuration requires a region");
                }
            }
            "outscale" => {
                if text(d, &f, "region").is_empty() {
                    return fail(node.span, "outscale SD configuration requires a region");
                }
                if text(d, &f, "access_key").is_empty() {
                    return fail(node.span, "outscale SD configuration requires access_key");
                }
                secret_key_pair(d, &f, node)?;
            }
            "ovhcloud" => {
                for (name, what) in [
                    ("endpoint", "endpoint"),
                    ("application_key", "application key"),
                    ("application_secret", "application secret"),
                    ("consumer_key", "consumer key"),
                ] {
                    let default = if name == "endpoint" { "ovh-eu" } else { "" };
                    let value = f
                        .get(name)
                        .map(|_| text(d, &f, name))
                        .unwrap_or_else(|| default.into());
                    if value.is_empty() {
                        return Err((at(&f, name), format!("{what} can not be empty")));
                    }
                }
                let service = text(d, &f, "service");
                if service != "dedicated_server" && service != "vps" {
                    return Err((at(&f, "service"), format!("unknown service: {service}")));
                }
            }
            "puppetdb" | "http" => {
                let u = text(d, &f, "url");
                if u.is_empty() {
                    return fail(at(&f, "url"), "URL is missing");
                }
                let parsed = url::parse(&u).map_err(|m| (at(&f, "url"), m))?;
                url::check_http_url(&parsed).map_err(|m| (at(&f, "url"), m.to_string()))?;
                if kind == "puppetdb" && text(d, &f, "query").is_empty() {
                    return fail(node.span, "query missing");
                }
            }
            "scaleway" => {
                if role.is_empty() {
                    return fail(node.span, "role missing (one of: instance, baremetal)");
                }
                if text(d, &f, "project_id").is_empty() {
                    return fail(node.span, "project_id is mandatory");
                }
                secret_key_pair(d, &f, node)?;
                if text(d, &f, "access_key").is_empty() {
                    return fail(node.span, "access_key is mandatory");
                }
            }
            "stackit" => {
                let endpoint = text(d, &f, "endpoint");
                let region = f
                    .get("region")
                    .map(|_| text(d, &f, "region"))
                    .unwrap_or_else(|| "eu01".into());
                if endpoint.is_empty() && region.is_empty() {
                    return fail(node.span, "stackit_sd: endpoint and region missing");
                }
                if let Err(m) = url::parse(&endpoint) {
                    return Err((
                        at(&f, "endpoint"),
                        format!("stackit_sd: invalid endpoint {}: {m}", go_quote(&endpoint)),
                    ));
                }
            }
            "uyuni" => {
                let server = text(d, &f, "server");
                if server.is_empty() {
                    return fail(node.span, "Uyuni SD configuration requires server host");
                }
                if let Err(m) = url::parse(&server) {
                    return Err((
                        at(&f, "server"),
                        format!("Uyuni Server URL is not valid: {m}"),
                    ));
                }
                if text(d, &f, "username").is_empty() {
                    return fail(node.span, "Uyuni SD configuration requires a username");
                }
                if text(d, &f, "password").is_empty() {
                    return fail(node.span, "Uyuni SD configuration requires a password");
                }
            }
            _ => {}
        }
        if let Some(h) = &http_config {
            h.validate().map_err(|(field, m)| (at(&f, field), m))?;
        }
        Ok(())
    })();
    if let Err((span, message)) = result {
        d.error(span, message);
    }
}

fn secret_key_pair(d: &mut Decoder, f: &Fields, node: &Node) -> Result<(), (Span, String)> {
    let key = !text(d, f, "secret_key").is_empty();
    let file = !text(d, f, "secret_key_file").is_empty();
    if !key && !file {
        return Err((
            node.span,
            "one of secret_key & secret_key_file must be configured".into(),
        ));
    }
    if key && file {
        return Err((
            f.span_of("secret_key_file"),
            "at most one of secret_key & secret_key_file must be configured".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::{Limits, parse};

    #[test]
    fn secret_fields_are_fields_of_their_kind() {
        for kind in KINDS {
            let (own, _, _) = fields_of(kind).unwrap_or((&[], false, ""));
            for field in secret_fields(kind) {
                assert!(own.contains(field), "{kind}: {field}");
            }
        }
        assert_eq!(secret_fields("consul"), ["token", "password"]);
    }

    fn first(key: &str, text: &str) -> Option<String> {
        let node = parse(text, &Limits::default()).documents.remove(0);
        let mut d = Decoder::new(Some(text), Vec::new());
        let mut out = Discovery::default();
        decode_key(&mut d, key, &node, &mut out);
        d.errors.first().map(|e| e.message.clone())
    }

    #[test]
    fn keys_and_unknown_fields() {
        assert!(is_sd_key("consul_sd_configs") && is_sd_key("static_configs"));
        assert!(!is_sd_key("consult_sd_configs"));
        assert_eq!(
            first("consul_sd_configs", "- foo: 1\n").unwrap(),
            "field foo not found in type consul.plain"
        );
        assert_eq!(
            first("ec2_sd_configs", "- region: x\n  bogus: 1\n").unwrap(),
            "field bogus not found in type aws.plain"
        );
        assert_eq!(first("file_sd_configs", "- files: [a.json]\n"), None);
    }

    #[test]
    fn kind_checks() {
        assert_eq!(
            first("eureka_sd_configs", "- server: eureka\n").unwrap(),
            "eureka_sd: invalid eureka server URL"
        );
        assert_eq!(
            first("static_configs", "- null\n").unwrap(),
            "empty or null section in static_configs"
        );
        assert_eq!(
            first("http_sd_configs", "- url: ftp://x\n").unwrap(),
            "URL scheme must be 'http' or 'https'"
        );
        assert_eq!(
            first(
                "marathon_sd_configs",
                "- servers: [http://m]\n  auth_token: a\n  bearer_token: b\n"
            )
            .unwrap(),
            "marathon_sd: at most one of bearer_token, bearer_token_file, auth_token & auth_token_file must be configured"
        );
        assert_eq!(
            first("azure_sd_configs", "- subscription_id: s\n").unwrap(),
            "azure SD configuration requires a tenant_id"
        );
        assert_eq!(
            first("static_configs", "- labels: {\"\": x}\n").unwrap(),
            "\"\" is not a valid label name"
        );
    }
}
