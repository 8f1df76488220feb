//! Prometheus v3.13.1's Kubernetes service discovery, offline: the objects of a [`Cluster`] and
//! an [`SdSpec`] (role, namespaces, selectors, attached metadata) in, the target groups
//! Prometheus would produce out, with `__address__` and every `__meta_kubernetes_*` label.
//! One module per role; the shared label helpers live here.

pub mod cluster;
mod endpoints;
mod endpointslice;
mod ingress;
mod node;
mod pod;
mod service;

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

use crate::kube::selector::{FieldSelector, LabelSelector};
pub use crate::simulate::scrape::TargetGroup;
pub use cluster::Cluster;

/// A label set, as Prometheus's `model.LabelSet`.
pub type Labels = crate::simulate::relabel::LabelSet;

pub const ADDRESS_LABEL: &str = "__address__";
const META: &str = "__meta_kubernetes_";
const NAMESPACE_LABEL: &str = "__meta_kubernetes_namespace";

/// The Kubernetes object kinds a discovery watches, named as in `role:` and `selectors[].role`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Pod,
    Service,
    Endpoints,
    EndpointSlice,
    Node,
    Ingress,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Pod => "pod",
            Role::Service => "service",
            Role::Endpoints => "endpoints",
            Role::EndpointSlice => "endpointslice",
            Role::Node => "node",
            Role::Ingress => "ingress",
        }
    }

    /// The role named in a configuration (`endpoints` and `endpointslice` as Prometheus spells them).
    pub fn parse(name: &str) -> Option<Role> {
        Some(match name {
            "pod" => Role::Pod,
            "service" => Role::Service,
            "endpoints" => Role::Endpoints,
            "endpointslice" => Role::EndpointSlice,
            "node" => Role::Node,
            "ingress" => Role::Ingress,
            _ => return None,
        })
    }
}

/// The label and field selectors the API server applies to the watch of one kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectSelector {
    pub label: LabelSelector,
    pub field: FieldSelector,
}

/// `attach_metadata`: which related objects' metadata is added to each target.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AttachMetadata {
    pub node: bool,
    pub namespace: bool,
    pub deployment: bool,
    pub job: bool,
    pub cronjob: bool,
}

/// One `kubernetes_sd_configs` entry, as plain data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SdSpec {
    pub role: Role,
    /// `namespaces.names`; empty means every namespace unless `own_namespace` is set.
    pub namespaces: Vec<String>,
    /// `namespaces.own_namespace`.
    pub own_namespace: bool,
    /// `selectors`, by the role of the objects they filter.
    pub selectors: BTreeMap<Role, ObjectSelector>,
    pub attach_metadata: AttachMetadata,
}

impl SdSpec {
    pub fn new(role: Role) -> Self {
        SdSpec {
            role,
            namespaces: Vec::new(),
            own_namespace: false,
            selectors: BTreeMap::new(),
            attach_metadata: AttachMetadata::default(),
        }
    }

    fn selector(&self, role: Role) -> Option<&ObjectSelector> {
        self.selectors.get(&role)
    }

    /// The namespaces watched: `None` stands for all of them (Prometheus's `getNamespaces`).
    fn watched_namespaces(&self, own_namespace: Option<&str>) -> Vec<Option<String>> {
        let own = own_namespace.filter(|ns| !ns.is_empty());
        if self.namespaces.is_empty() && !self.own_namespace {
            return vec![None];
        }
        let mut names: Vec<Option<String>> = self.namespaces.iter().cloned().map(Some).collect();
        if self.own_namespace
            && let Some(own) = own
        {
            names.push(Some(own.to_string()));
        }
        names
    }
}

/// Each target's discovered labels: its own labels, then the group's where it has none.
pub fn discovered_labels(group: &TargetGroup) -> Vec<Labels> {
    group
        .targets
        .iter()
        .map(|t| {
            let mut all = group.labels.clone();
            all.extend(t.iter().map(|(k, v)| (k.clone(), v.clone())));
            all
        })
        .collect()
}

/// The target groups Prometheus's Kubernetes discovery produces for `spec` on `cluster`, one per
/// watched object, ordered by source (`pod/<ns>/<name>`, `svc/…`, `endpoints/…`,
/// `endpointslice/…`, `node/<name>`, `ingress/…`). `own_namespace` is the namespace Prometheus runs in.
pub fn discover(spec: &SdSpec, cluster: &Cluster, own_namespace: Option<&str>) -> Vec<TargetGroup> {
    let mut groups: BTreeMap<String, TargetGroup> = BTreeMap::new();
    let mut keep = |group: Option<TargetGroup>| {
        if let Some(g) = group {
            groups.insert(g.source.clone(), g);
        }
    };
    if spec.role == Role::Node {
        let view = cluster::View::new(cluster, spec, None);
        for n in view.nodes() {
            keep(node::build(n));
        }
    } else {
        for namespace in spec.watched_namespaces(own_namespace) {
            let view = cluster::View::new(cluster, spec, namespace.as_deref());
            match spec.role {
                Role::Pod => view.pods().for_each(|p| keep(Some(pod::build(&view, p)))),
                Role::Service => view
                    .services()
                    .for_each(|s| keep(Some(service::build(&view, s)))),
                Role::Endpoints => view
                    .endpoints()
                    .for_each(|e| keep(Some(endpoints::build(&view, e)))),
                Role::EndpointSlice => view
                    .endpoint_slices()
                    .for_each(|e| keep(Some(endpointslice::build(&view, e)))),
                Role::Ingress => view
                    .ingresses()
                    .for_each(|i| keep(Some(ingress::build(&view, i)))),
                Role::Node => {}
            }
        }
    }
    groups.into_values().collect()
}

/// `strutil.SanitizeLabelName`: every character outside `[a-zA-Z0-9_]` becomes `_`.
pub fn sanitize_label_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Go's `net.JoinHostPort`: IPv6 hosts (anything with a colon) in brackets.
fn join_host_port(host: &str, port: &str) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Go's `strconv.FormatUint(uint64(p), 10)` of an `int32` port.
fn port_text(port: i32) -> String {
    (i64::from(port) as u64).to_string()
}

fn set(labels: &mut Labels, name: &str, value: impl Into<String>) {
    labels.insert(name.to_string(), value.into());
}

fn meta(labels: &mut Labels, suffix: &str, value: impl Into<String>) {
    labels.insert(format!("{META}{suffix}"), value.into());
}

fn text(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn bool_text(b: bool) -> String {
    b.to_string()
}

/// `addObjectAnnotationsAndLabels`: `<resource>_label_*`, `_labelpresent_*`, `_annotation_*`, `_annotationpresent_*`.
fn add_labels_and_annotations(labels: &mut Labels, object: &ObjectMeta, resource: &str) {
    for (k, v) in object.labels.iter().flatten() {
        let name = sanitize_label_name(k);
        meta(labels, &format!("{resource}_label_{name}"), v.clone());
        meta(labels, &format!("{resource}_labelpresent_{name}"), "true");
    }
    for (k, v) in object.annotations.iter().flatten() {
        let name = sanitize_label_name(k);
        meta(labels, &format!("{resource}_annotation_{name}"), v.clone());
        meta(
            labels,
            &format!("{resource}_annotationpresent_{name}"),
            "true",
        );
    }
}

/// `addObjectMetaLabels`: `<role>_name` and the labels and annotations.
fn add_object_meta(labels: &mut Labels, object: &ObjectMeta, resource: &str) {
    meta(labels, &format!("{resource}_name"), text(&object.name));
    add_labels_and_annotations(labels, object, resource);
}

/// The owner reference marked as controller, as `metav1.GetControllerOf`.
fn controller_of(object: &ObjectMeta) -> Option<&OwnerReference> {
    object
        .owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
}

/// `addNodeLabels`: the node's name, labels and annotations, when the node is watched.
fn add_node_labels(labels: &mut Labels, view: &cluster::View<'_>, node_name: Option<&str>) {
    let Some(name) = node_name else { return };
    if let Some(node) = view.node(name) {
        add_object_meta(labels, &node.metadata, "node");
    }
}

/// `addNamespaceLabels`: the namespace's labels and annotations (its name is already there).
fn add_namespace_labels(labels: &mut Labels, view: &cluster::View<'_>, namespace: &str) {
    if let Some(ns) = view.namespace(namespace) {
        add_labels_and_annotations(labels, &ns.metadata, "namespace");
    }
}

#[cfg(test)]
mod tests;
