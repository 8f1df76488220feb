//! Service discovery sections of a scrape config (`static_configs`, `*_sd_configs`): which keys
//! exist, static target groups, and the load-time checks of each discovery kind other than
//! Kubernetes ([`super::kubernetes`]). Kinds whose fields promagent does not model one by one
//! are read leniently: their own checks run, unknown keys in them are not reported.

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

/// The kinds whose `UnmarshalYAML` validates an inline HTTP client configuration.
const WITH_HTTP: &[&str] = &[
    "azure",
    "consul",
    "digitalocean",
    "docker",
    "dockerswarm",
    "ec2",
    "eureka",
    "hetzner",
    "http",
    "ionos",
    "kuma",
    "lightsail",
    "linode",
    "marathon",
    "nomad",
    "outscale",
    "puppetdb",
    "scaleway",
    "stackit",
    "uyuni",
    "vultr",
    "aws",
];

/// The checks of one discovery kind, then its HTTP client configuration's.
fn decode_other(d: &mut Decoder, kind: &str, node: &Node) {
    let mark = d.error_count();
    let go_type = format!("{kind}.plain");
    let Some(f) = d.fields_lenient(node, &go_type) else {
        return;
    };
    let http_config = if WITH_HTTP.contains(&kind) {
        Some(http::decode_inline(d, &f))
    } else {
        None
    };
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
