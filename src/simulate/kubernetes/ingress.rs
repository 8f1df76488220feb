//! `role: ingress`: one target per rule host and path, `https` when a TLS entry covers the host.

use k8s_openapi::api::networking::v1::{Ingress, IngressRule};

use super::cluster::View;
use super::{
    ADDRESS_LABEL, Labels, NAMESPACE_LABEL, TargetGroup, add_namespace_labels, add_object_meta,
    meta, set, text,
};

/// The rule's paths, `/` for an empty one, and `/` alone when the rule has no `http` block.
fn rule_paths(rule: &IngressRule) -> Vec<String> {
    match &rule.http {
        None => vec!["/".to_string()],
        Some(http) => http
            .paths
            .iter()
            .map(|p| match p.path.as_deref() {
                None | Some("") => "/".to_string(),
                Some(path) => path.to_string(),
            })
            .collect(),
    }
}

/// A TLS host matches exactly, or as `*.rest` against a host with as many dot-separated parts.
fn matches_host_pattern(pattern: &str, host: &str) -> bool {
    if pattern == host {
        return true;
    }
    let pattern: Vec<&str> = pattern.split('.').collect();
    let host: Vec<&str> = host.split('.').collect();
    pattern[0] == "*" && pattern.len() == host.len() && pattern[1..] == host[1..]
}

pub(super) fn build(view: &View<'_>, ingress: &Ingress) -> TargetGroup {
    let namespace = ingress.metadata.namespace.clone().unwrap_or_default();
    let name = ingress.metadata.name.clone().unwrap_or_default();
    let mut labels = Labels::new();
    set(&mut labels, NAMESPACE_LABEL, namespace.clone());
    let spec = ingress.spec.as_ref();
    if let Some(class) = spec.and_then(|s| s.ingress_class_name.clone()) {
        meta(&mut labels, "ingress_class_name", class);
    }
    add_object_meta(&mut labels, &ingress.metadata, "ingress");
    if view.attach().namespace {
        add_namespace_labels(&mut labels, view, &namespace);
    }
    let mut tg = TargetGroup {
        source: format!("ingress/{namespace}/{name}"),
        labels,
        targets: Vec::new(),
    };
    let Some(spec) = spec else { return tg };
    let tls_hosts: Vec<&str> = spec
        .tls
        .iter()
        .flatten()
        .flat_map(|t| t.hosts.iter().flatten())
        .map(String::as_str)
        .collect();
    for rule in spec.rules.iter().flatten() {
        let host = text(&rule.host);
        let scheme = if tls_hosts.iter().any(|p| matches_host_pattern(p, &host)) {
            "https"
        } else {
            "http"
        };
        for path in rule_paths(rule) {
            let mut t = Labels::new();
            set(&mut t, ADDRESS_LABEL, host.clone());
            meta(&mut t, "ingress_scheme", scheme);
            meta(&mut t, "ingress_host", host.clone());
            meta(&mut t, "ingress_path", path);
            tg.targets.push(t);
        }
    }
    tg
}
