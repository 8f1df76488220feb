//! The input objects discovery reads, indexed by kind: Pods, Services, Endpoints, EndpointSlices
//! (`discovery.k8s.io/v1`), Nodes, Ingresses (`networking.k8s.io/v1`), Namespaces, ReplicaSets and
//! Jobs, decoded from the loaded documents. A [`View`] is what one discoverer's informers hold:
//! the objects of one namespace (or all) that pass the configured selectors.

use k8s_openapi::api::apps::v1::ReplicaSet;
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{Endpoints, Namespace, Node, Pod, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::networking::v1::Ingress;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::de::DeserializeOwned;
use std::sync::Arc;

use super::{ObjectSelector, Role, SdSpec};
use crate::diag::{Diagnostic, Layer};
use crate::fieldpath::FieldPath;
use crate::load::Document;

/// Every object of a kind discovery uses, in input order.
#[derive(Clone, Debug, Default)]
pub struct Cluster {
    /// Shared with the per-node parts of a snapshot, which hold the same pods.
    pub pods: Vec<Arc<Pod>>,
    pub services: Vec<Service>,
    pub endpoints: Vec<Endpoints>,
    pub endpoint_slices: Vec<EndpointSlice>,
    pub nodes: Vec<Node>,
    pub ingresses: Vec<Ingress>,
    pub namespaces: Vec<Namespace>,
    pub replica_sets: Vec<ReplicaSet>,
    pub jobs: Vec<Job>,
}

/// Reads one object; a namespaced object without a namespace lands in `default`, as with kubectl.
fn decode<T: DeserializeOwned>(
    doc: &Document,
    namespaced: bool,
    meta: fn(&mut T) -> &mut ObjectMeta,
) -> Result<T, Diagnostic> {
    match serde_path_to_error::deserialize::<_, T>(&doc.value) {
        Ok(mut object) => {
            let m = meta(&mut object);
            if namespaced && m.namespace.as_deref().unwrap_or("").is_empty() {
                m.namespace = Some("default".to_string());
            }
            Ok(object)
        }
        Err(err) => {
            let path = FieldPath::parse(&err.path().to_string());
            Err(Diagnostic::error(
                Layer::Schema,
                "k8s/decode",
                format!("cannot read this {}: {}", doc.kind(), err.inner()),
            )
            .with_object(doc.object_ref())
            .with_location(doc.location(&path))
            .with_path(path))
        }
    }
}

impl Cluster {
    /// The objects discovery uses among `docs`, and a finding for each one that cannot be read.
    /// Other kinds are ignored.
    pub fn from_documents<'a>(
        docs: impl IntoIterator<Item = &'a Document>,
    ) -> (Cluster, Vec<Diagnostic>) {
        let mut cluster = Cluster::default();
        let mut problems = Vec::new();
        for doc in docs {
            let result = match (doc.api_version(), doc.kind()) {
                ("v1", "Pod") => decode(doc, true, |o: &mut Pod| &mut o.metadata)
                    .map(|o| cluster.pods.push(Arc::new(o))),
                ("v1", "Service") => decode(doc, true, |o: &mut Service| &mut o.metadata)
                    .map(|o| cluster.services.push(o)),
                ("v1", "Endpoints") => decode(doc, true, |o: &mut Endpoints| &mut o.metadata)
                    .map(|o| cluster.endpoints.push(o)),
                ("discovery.k8s.io/v1", "EndpointSlice") => {
                    decode(doc, true, |o: &mut EndpointSlice| &mut o.metadata)
                        .map(|o| cluster.endpoint_slices.push(o))
                }
                ("v1", "Node") => decode(doc, false, |o: &mut Node| &mut o.metadata)
                    .map(|o| cluster.nodes.push(o)),
                ("networking.k8s.io/v1", "Ingress") => {
                    decode(doc, true, |o: &mut Ingress| &mut o.metadata)
                        .map(|o| cluster.ingresses.push(o))
                }
                ("v1", "Namespace") => decode(doc, false, |o: &mut Namespace| &mut o.metadata)
                    .map(|o| cluster.namespaces.push(o)),
                ("apps/v1", "ReplicaSet") => {
                    decode(doc, true, |o: &mut ReplicaSet| &mut o.metadata)
                        .map(|o| cluster.replica_sets.push(o))
                }
                ("batch/v1", "Job") => {
                    decode(doc, true, |o: &mut Job| &mut o.metadata).map(|o| cluster.jobs.push(o))
                }
                _ => Ok(()),
            };
            if let Err(d) = result {
                problems.push(d);
            }
        }
        (cluster, problems)
    }
}

fn name_of(m: &ObjectMeta) -> &str {
    m.name.as_deref().unwrap_or("")
}

fn namespace_of(m: &ObjectMeta) -> &str {
    m.namespace.as_deref().unwrap_or("")
}

fn opt_text(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// The field selector values the API server supports for each kind (anything else is refused).
fn pod_field(p: &Pod, field: &str) -> Option<String> {
    let spec = p.spec.as_ref();
    let status = p.status.as_ref();
    Some(match field {
        "metadata.name" => name_of(&p.metadata).to_string(),
        "metadata.namespace" => namespace_of(&p.metadata).to_string(),
        "spec.nodeName" => spec.map(|s| opt_text(&s.node_name)).unwrap_or_default(),
        "spec.restartPolicy" => spec
            .map(|s| opt_text(&s.restart_policy))
            .unwrap_or_default(),
        "spec.schedulerName" => spec
            .map(|s| opt_text(&s.scheduler_name))
            .unwrap_or_default(),
        "spec.serviceAccountName" => spec
            .map(|s| opt_text(&s.service_account_name))
            .unwrap_or_default(),
        "spec.hostNetwork" => spec
            .map(|s| s.host_network.unwrap_or(false).to_string())
            .unwrap_or_else(|| "false".to_string()),
        "status.phase" => status.map(|s| opt_text(&s.phase)).unwrap_or_default(),
        "status.podIP" => status.map(|s| opt_text(&s.pod_ip)).unwrap_or_default(),
        "status.nominatedNodeName" => status
            .map(|s| opt_text(&s.nominated_node_name))
            .unwrap_or_default(),
        _ => return None,
    })
}

fn service_field(s: &Service, field: &str) -> Option<String> {
    let spec = s.spec.as_ref();
    Some(match field {
        "metadata.name" => name_of(&s.metadata).to_string(),
        "metadata.namespace" => namespace_of(&s.metadata).to_string(),
        "spec.clusterIP" => spec.map(|s| opt_text(&s.cluster_ip)).unwrap_or_default(),
        "spec.type" => spec.map(|s| opt_text(&s.type_)).unwrap_or_default(),
        _ => return None,
    })
}

fn node_field(n: &Node, field: &str) -> Option<String> {
    Some(match field {
        "metadata.name" => name_of(&n.metadata).to_string(),
        "spec.unschedulable" => n
            .spec
            .as_ref()
            .and_then(|s| s.unschedulable)
            .unwrap_or(false)
            .to_string(),
        _ => return None,
    })
}

fn meta_field(m: &ObjectMeta, field: &str) -> Option<String> {
    match field {
        "metadata.name" => Some(name_of(m).to_string()),
        "metadata.namespace" => Some(namespace_of(m).to_string()),
        _ => None,
    }
}

fn endpoint_slice_field(e: &EndpointSlice, field: &str) -> Option<String> {
    match field {
        "addressType" => Some(e.address_type.clone()),
        other => meta_field(&e.metadata, other),
    }
}

fn passes(
    selector: Option<&ObjectSelector>,
    meta: &ObjectMeta,
    field: &dyn Fn(&str) -> Option<String>,
) -> bool {
    let Some(sel) = selector else { return true };
    let labels = meta.labels.clone().unwrap_or_default();
    sel.label.matches(&labels) && sel.field.matches(field)
}

/// What the informers of one discoverer hold: the objects in `namespace` (all when `None`) that
/// pass the selectors of `spec`. Nodes and Namespaces are cluster-wide.
pub struct View<'a> {
    cluster: &'a Cluster,
    spec: &'a SdSpec,
    namespace: Option<&'a str>,
}

impl<'a> View<'a> {
    pub fn new(cluster: &'a Cluster, spec: &'a SdSpec, namespace: Option<&'a str>) -> Self {
        View {
            cluster,
            spec,
            namespace,
        }
    }

    pub fn attach(&self) -> super::AttachMetadata {
        self.spec.attach_metadata
    }

    fn in_scope(&self, m: &ObjectMeta) -> bool {
        self.namespace.is_none_or(|ns| namespace_of(m) == ns)
    }

    fn is(m: &ObjectMeta, namespace: &str, name: &str) -> bool {
        namespace_of(m) == namespace && name_of(m) == name
    }

    pub fn pods(&self) -> impl Iterator<Item = &'a Pod> + '_ {
        let sel = self.spec.selector(Role::Pod);
        self.cluster.pods.iter().map(|p| &**p).filter(move |p| {
            self.in_scope(&p.metadata) && passes(sel, &p.metadata, &|f| pod_field(p, f))
        })
    }

    pub fn pod(&self, namespace: &str, name: &str) -> Option<&'a Pod> {
        self.pods().find(|p| Self::is(&p.metadata, namespace, name))
    }

    pub fn services(&self) -> impl Iterator<Item = &'a Service> + '_ {
        let sel = self.spec.selector(Role::Service);
        self.cluster.services.iter().filter(move |s| {
            self.in_scope(&s.metadata) && passes(sel, &s.metadata, &|f| service_field(s, f))
        })
    }

    pub fn service(&self, namespace: &str, name: &str) -> Option<&'a Service> {
        self.services()
            .find(|s| Self::is(&s.metadata, namespace, name))
    }

    pub fn endpoints(&self) -> impl Iterator<Item = &'a Endpoints> + '_ {
        let sel = self.spec.selector(Role::Endpoints);
        self.cluster.endpoints.iter().filter(move |e| {
            self.in_scope(&e.metadata) && passes(sel, &e.metadata, &|f| meta_field(&e.metadata, f))
        })
    }

    pub fn endpoint_slices(&self) -> impl Iterator<Item = &'a EndpointSlice> + '_ {
        let sel = self.spec.selector(Role::EndpointSlice);
        self.cluster.endpoint_slices.iter().filter(move |e| {
            self.in_scope(&e.metadata) && passes(sel, &e.metadata, &|f| endpoint_slice_field(e, f))
        })
    }

    pub fn ingresses(&self) -> impl Iterator<Item = &'a Ingress> + '_ {
        let sel = self.spec.selector(Role::Ingress);
        self.cluster.ingresses.iter().filter(move |i| {
            self.in_scope(&i.metadata) && passes(sel, &i.metadata, &|f| meta_field(&i.metadata, f))
        })
    }

    pub fn nodes(&self) -> impl Iterator<Item = &'a Node> + '_ {
        let sel = self.spec.selector(Role::Node);
        self.cluster
            .nodes
            .iter()
            .filter(move |n| passes(sel, &n.metadata, &|f| node_field(n, f)))
    }

    pub fn node(&self, name: &str) -> Option<&'a Node> {
        self.nodes().find(|n| name_of(&n.metadata) == name)
    }

    pub fn namespace(&self, name: &str) -> Option<&'a Namespace> {
        self.cluster
            .namespaces
            .iter()
            .find(|n| name_of(&n.metadata) == name)
    }

    pub fn replica_set(&self, namespace: &str, name: &str) -> Option<&'a ReplicaSet> {
        self.cluster
            .replica_sets
            .iter()
            .find(|r| self.in_scope(&r.metadata) && Self::is(&r.metadata, namespace, name))
    }

    pub fn job(&self, namespace: &str, name: &str) -> Option<&'a Job> {
        self.cluster
            .jobs
            .iter()
            .find(|j| self.in_scope(&j.metadata) && Self::is(&j.metadata, namespace, name))
    }
}
