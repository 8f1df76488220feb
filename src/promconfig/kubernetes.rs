//! Kubernetes service discovery (`kubernetes_sd_configs`): roles, selectors allowed per role,
//! namespaces, `api_server` / `kubeconfig_file` rules and the HTTP client configuration, as
//! Prometheus checks them at load time. Selector syntax is read by [`crate::kube::selector`].

use super::decode::{Decoder, is_null};
use super::http::{self, HttpClientConfig};
use super::url::{self, Url};
use crate::diag::Span;
use crate::load::yaml::Node;

pub const ROLES: &[&str] = &[
    "node",
    "pod",
    "service",
    "endpoints",
    "endpointslice",
    "ingress",
];

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector {
    pub role: String,
    pub label: String,
    pub field: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct KubernetesSdConfig {
    pub api_server: Option<Url>,
    pub role: String,
    pub kubeconfig_file: String,
    pub http: HttpClientConfig,
    pub own_namespace: bool,
    pub namespaces: Vec<String>,
    pub selectors: Vec<Selector>,
    pub attach_node: bool,
    pub attach_namespace: bool,
    /// `attach_metadata.deployment`, `.job` and `.cronjob` (pod metadata).
    pub attach_deployment: bool,
    pub attach_job: bool,
    pub attach_cronjob: bool,
    pub span: Span,
}

const FIELDS: &[&str] = &[
    "api_server",
    "role",
    "kubeconfig_file",
    "namespaces",
    "selectors",
    "attach_metadata",
];

/// The selector roles each SD role accepts.
fn allowed_selectors(role: &str) -> &'static [&'static str] {
    match role {
        "pod" => &["pod", "node"],
        "service" => &["service"],
        "endpointslice" => &["pod", "service", "endpointslice"],
        "endpoints" => &["pod", "service", "endpoints"],
        "node" => &["node"],
        "ingress" => &["ingress"],
        _ => &[],
    }
}

fn decode_role(d: &mut Decoder, node: &Node) -> Option<String> {
    let role = d.string(node)?;
    if ROLES.contains(&role.as_str()) {
        Some(role)
    } else {
        d.error(
            node.span,
            format!(
                "unknown Kubernetes SD role {}",
                super::decode::go_quote(&role)
            ),
        );
        None
    }
}

pub fn decode(d: &mut Decoder, node: &Node) -> Option<KubernetesSdConfig> {
    let mark = d.error_count();
    let mut known: Vec<&str> = FIELDS.to_vec();
    known.extend_from_slice(http::FIELDS);
    let f = d.fields(node, "kubernetes.plain", &known)?;
    let mut c = KubernetesSdConfig {
        api_server: None,
        role: String::new(),
        kubeconfig_file: String::new(),
        http: HttpClientConfig::default(),
        own_namespace: false,
        namespaces: Vec::new(),
        selectors: Vec::new(),
        attach_node: false,
        attach_namespace: false,
        attach_deployment: false,
        attach_job: false,
        attach_cronjob: false,
        span: node.span,
    };
    if let Some(n) = f.get("api_server") {
        c.api_server = url::decode(d, n).filter(|u| !is_null(n) || !u.text.is_empty());
        if is_null(n) {
            c.api_server = None;
        }
    }
    if let Some(n) = f.present("role") {
        c.role = decode_role(d, n).unwrap_or_default();
    }
    if let Some(n) = f.get("kubeconfig_file") {
        c.kubeconfig_file = d.string(n).unwrap_or_default();
    }
    c.http = http::decode_inline(d, &f);
    if let Some(n) = f.get("namespaces")
        && let Some(ns) = d.fields(n, "kubernetes.plain", &["own_namespace", "names"])
    {
        if let Some(v) = ns.get("own_namespace") {
            c.own_namespace = d.bool(v).unwrap_or_default();
        }
        if let Some(v) = ns.get("names") {
            c.namespaces = d.strings(v).unwrap_or_default();
        }
    }
    if let Some(n) = f.get("selectors") {
        for item in d.seq(n, "[]kubernetes.SelectorConfig").unwrap_or_default() {
            let Some(s) = d.fields(
                item,
                "kubernetes.SelectorConfig",
                &["role", "label", "field"],
            ) else {
                continue;
            };
            let mut selector = Selector {
                span: s.key("role").map_or(item.span, |k| k.span),
                ..Selector::default()
            };
            if let Some(v) = s.present("role") {
                selector.role = decode_role(d, v).unwrap_or_default();
            }
            if let Some(v) = s.get("label") {
                selector.label = d.string(v).unwrap_or_default();
            }
            if let Some(v) = s.get("field") {
                selector.field = d.string(v).unwrap_or_default();
            }
            c.selectors.push(selector);
        }
    }
    if let Some(n) = f.get("attach_metadata")
        && let Some(a) = d.fields(
            n,
            "kubernetes.AttachMetadataConfig",
            &["node", "namespace", "deployment", "job", "cronjob"],
        )
    {
        if let Some(v) = a.get("node") {
            c.attach_node = d.bool(v).unwrap_or_default();
        }
        if let Some(v) = a.get("namespace") {
            c.attach_namespace = d.bool(v).unwrap_or_default();
        }
        if let Some(v) = a.get("deployment") {
            c.attach_deployment = d.bool(v).unwrap_or_default();
        }
        if let Some(v) = a.get("job") {
            c.attach_job = d.bool(v).unwrap_or_default();
        }
        if let Some(v) = a.get("cronjob") {
            c.attach_cronjob = d.bool(v).unwrap_or_default();
        }
    }
    if d.failed_since(mark) {
        return None;
    }
    if let Err((field, message)) = validate(&c) {
        let span = match field {
            Field::Key(name) => f.span_of(name),
            Field::Selector(i) => c.selectors[i].span,
        };
        d.error(span, message);
        return None;
    }
    Some(c)
}

enum Field {
    Key(&'static str),
    Selector(usize),
}

fn validate(c: &KubernetesSdConfig) -> Result<(), (Field, String)> {
    let key = |name: &'static str, m: &str| Err((Field::Key(name), m.to_string()));
    if c.role.is_empty() {
        return key(
            "role",
            "role missing (one of: pod, service, endpoints, endpointslice, node, ingress)",
        );
    }
    let mut http = c.http.clone();
    if let Err((field, message)) = http.validate() {
        return Err((Field::Key(field), message));
    }
    // Validate turns a bearer token into an authorization.
    if !http.bearer_token.is_empty() || !http.bearer_token_file.is_empty() {
        http.authorization = Some(super::http::Authorization {
            kind: "Bearer".into(),
            credentials: std::mem::take(&mut http.bearer_token),
            credentials_file: std::mem::take(&mut http.bearer_token_file),
            credentials_ref: String::new(),
        });
    }
    if let Some(a) = http.authorization.as_mut() {
        a.kind = a.kind.trim().to_string();
        if a.kind.is_empty() {
            a.kind = "Bearer".into();
        }
    }
    let custom_http = !http.is_default();
    if c.api_server.is_some() && !c.kubeconfig_file.is_empty() {
        return key(
            "kubeconfig_file",
            "cannot use 'kubeconfig_file' and 'api_server' simultaneously",
        );
    }
    if !c.kubeconfig_file.is_empty() && custom_http {
        return key(
            "kubeconfig_file",
            "cannot use a custom HTTP client configuration together with 'kubeconfig_file'",
        );
    }
    if c.api_server.is_none() && custom_http {
        return key(
            "role",
            "to use custom HTTP client configuration please provide the 'api_server' URL explicitly",
        );
    }
    if c.api_server.is_some() && c.own_namespace {
        return key(
            "namespaces",
            "cannot use 'api_server' and 'namespaces.own_namespace' simultaneously",
        );
    }
    if !c.kubeconfig_file.is_empty() && c.own_namespace {
        return key(
            "namespaces",
            "cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously",
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, s) in c.selectors.iter().enumerate() {
        let at = |m: String| Err((Field::Selector(i), m));
        if seen.contains(&s.role.as_str()) {
            return at(format!("duplicated selector role: {}", s.role));
        }
        seen.push(&s.role);
        let allowed = allowed_selectors(&c.role);
        if !allowed.contains(&s.role.as_str()) {
            return at(format!(
                "{} role supports only {} selectors",
                c.role,
                allowed.join(", ")
            ));
        }
        if let Err(message) = crate::kube::selector::parse_field_selector(&s.field) {
            return at(message);
        }
        if let Err(message) = crate::kube::selector::parse_label_selector(&s.label) {
            return at(message);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::{Limits, parse};

    fn check(text: &str) -> Result<KubernetesSdConfig, String> {
        let node = parse(text, &Limits::default()).documents.remove(0);
        let mut d = Decoder::new(Some(text), Vec::new());
        decode(&mut d, &node).ok_or_else(|| d.errors[0].message.clone())
    }

    #[test]
    fn roles_and_selectors() {
        assert!(check("role: pod\nselectors: [{role: node, label: a=b}]\n").is_ok());
        assert_eq!(
            check("role: foo\n").unwrap_err(),
            "unknown Kubernetes SD role \"foo\""
        );
        assert_eq!(
            check("namespaces: {}\n").unwrap_err(),
            "role missing (one of: pod, service, endpoints, endpointslice, node, ingress)"
        );
        assert_eq!(
            check("role: pod\nselectors: [{role: service}]\n").unwrap_err(),
            "pod role supports only pod, node selectors"
        );
        assert_eq!(
            check("role: pod\nselectors: [{role: pod}, {role: pod}]\n").unwrap_err(),
            "duplicated selector role: pod"
        );
        assert_eq!(
            check("role: pod\nselectors: [{role: pod, field: metadata.status-Running}]\n")
                .unwrap_err(),
            "invalid selector: 'metadata.status-Running'; can't understand 'metadata.status-Running'"
        );
    }

    #[test]
    fn api_server_and_kubeconfig_rules() {
        assert_eq!(
            check("role: pod\nbearer_token: x\n").unwrap_err(),
            "to use custom HTTP client configuration please provide the 'api_server' URL explicitly"
        );
        assert!(check("role: pod\napi_server: https://k\nbearer_token: x\n").is_ok());
        assert_eq!(
            check("role: pod\napi_server: https://k\nkubeconfig_file: f\n").unwrap_err(),
            "cannot use 'kubeconfig_file' and 'api_server' simultaneously"
        );
        assert_eq!(
            check("role: pod\nkubeconfig_file: f\nnamespaces: {own_namespace: true}\n")
                .unwrap_err(),
            "cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously"
        );
        assert_eq!(
            check("role: pod\nnamespaces: {foo: 1}\n").unwrap_err(),
            "field foo not found in type kubernetes.plain"
        );
    }
}
