//! The typed model of the `monitoring.coreos.com` resources promagent reads (PrometheusAgent,
//! PodMonitor, ServiceMonitor, Probe, ScrapeConfig) with every validation of the v0.93.0 API attached
//! as schemars attributes, plus typed decoding of loaded documents and the [`Inventory`] of a run.
//!
//! Field names are the snake_case of the JSON names; optional fields are `Option`. Fields of the
//! operator's embedded Go structs (HTTP client settings, proxy settings, TLS files…) sit directly in the
//! struct that embeds them, so `endpoint.proxy_url` is the JSON `proxyUrl` of an endpoint.

mod agent;
mod common;
pub mod crd_schema;
mod podmonitor;
mod probe;
mod scrapeconfig;
mod servicemonitor;

pub use agent::*;
pub use common::*;
pub use podmonitor::*;
pub use probe::*;
pub use scrapeconfig::*;
pub use servicemonitor::*;

use crate::diag::{Diagnostic, Layer};
use crate::fieldpath::FieldPath;
use crate::load::Document;
use k8s_openapi::api::core::v1 as core;
pub use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
pub use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// The API group of the operator's resources.
pub use crate::crd::GROUP;

/// Access to an object's metadata, for the typed resources and the core objects promagent reads.
pub trait Named {
    fn metadata(&self) -> &ObjectMeta;

    /// `metadata.name`, or `""`.
    fn name(&self) -> &str {
        self.metadata().name.as_deref().unwrap_or("")
    }

    /// `metadata.namespace`, or `""`.
    fn namespace(&self) -> &str {
        self.metadata().namespace.as_deref().unwrap_or("")
    }

    /// `metadata.labels`, empty when absent.
    fn labels(&self) -> &std::collections::BTreeMap<String, String> {
        static EMPTY: std::collections::BTreeMap<String, String> =
            std::collections::BTreeMap::new();
        self.metadata().labels.as_ref().unwrap_or(&EMPTY)
    }
}

macro_rules! named {
    ($($ty:ty),*) => {$(
        impl Named for $ty {
            fn metadata(&self) -> &ObjectMeta {
                &self.metadata
            }
        }
    )*};
}

named!(
    PrometheusAgent,
    PodMonitor,
    ServiceMonitor,
    Probe,
    ScrapeConfig,
    core::Namespace,
    core::Secret,
    core::ConfigMap,
    core::Service
);

/// A decoded object, by kind. `Other` is any kind promagent does not read.
#[derive(Clone, Debug)]
pub enum Resource {
    PrometheusAgent(Box<PrometheusAgent>),
    PodMonitor(Box<PodMonitor>),
    ServiceMonitor(Box<ServiceMonitor>),
    Probe(Box<Probe>),
    ScrapeConfig(Box<ScrapeConfig>),
    Namespace(Box<core::Namespace>),
    Secret(Box<core::Secret>),
    ConfigMap(Box<core::ConfigMap>),
    Service(Box<core::Service>),
    Other,
}

/// Which typed kind an `apiVersion` + `kind` pair is, if promagent reads it.
fn known_kind(api_version: &str, kind: &str) -> Option<&'static str> {
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let known = match (group, version, kind) {
        (GROUP, "v1alpha1", "PrometheusAgent") => "PrometheusAgent",
        (GROUP, "v1", "PodMonitor") => "PodMonitor",
        (GROUP, "v1", "ServiceMonitor") => "ServiceMonitor",
        (GROUP, "v1", "Probe") => "Probe",
        (GROUP, "v1alpha1", "ScrapeConfig") => "ScrapeConfig",
        ("", "v1", "Namespace") => "Namespace",
        ("", "v1", "Secret") => "Secret",
        ("", "v1", "ConfigMap") => "ConfigMap",
        ("", "v1", "Service") => "Service",
        _ => return None,
    };
    Some(known)
}

/// Decodes a loaded document into its typed resource. A value of the wrong type (a string where a
/// number belongs, an unknown enum value, a missing required field) is a `schema/decode` error that
/// names the field and points at it.
#[allow(clippy::result_large_err)] // the finding is the caller's output, not an exceptional path
pub fn decode(doc: &Document) -> Result<Resource, Diagnostic> {
    decode_stored(doc, &as_stored(doc))
}

/// [`decode`] of the object as the API server stored it (`stored`: the document's value with the
/// defaults of its embedded CRD applied), for a caller that has already defaulted it.
#[allow(clippy::result_large_err)]
pub fn decode_stored(doc: &Document, stored: &serde_json::Value) -> Result<Resource, Diagnostic> {
    let Some(kind) = known_kind(doc.api_version(), doc.kind()) else {
        return Ok(Resource::Other);
    };
    let resource = match kind {
        "PrometheusAgent" => Resource::PrometheusAgent(typed(doc, stored)?),
        "PodMonitor" => Resource::PodMonitor(typed(doc, stored)?),
        "ServiceMonitor" => Resource::ServiceMonitor(typed(doc, stored)?),
        "Probe" => Resource::Probe(typed(doc, stored)?),
        "ScrapeConfig" => Resource::ScrapeConfig(typed(doc, stored)?),
        "Namespace" => Resource::Namespace(typed(doc, stored)?),
        "Secret" => Resource::Secret(typed(doc, stored)?),
        "ConfigMap" => Resource::ConfigMap(typed(doc, stored)?),
        "Service" => Resource::Service(typed(doc, stored)?),
        _ => Resource::Other,
    };
    Ok(resource)
}

#[allow(clippy::result_large_err)]
fn typed<T: serde::de::DeserializeOwned>(
    doc: &Document,
    stored: &serde_json::Value,
) -> Result<Box<T>, Diagnostic> {
    // Read without tracking the path first: the tracker copies every key it passes, and only a
    // failure needs the path, so a failure is read again with it.
    if let Ok(decoded) = T::deserialize(stored) {
        return Ok(Box::new(decoded));
    }
    serde_path_to_error::deserialize::<_, T>(stored)
        .map(Box::new)
        .map_err(|err| {
            let path = field_path(err.path());
            let mut message = err.inner().to_string();
            if doc.kind() == "Secret" {
                message = without_value(&message);
            }
            // The path is the finding's own field: every format prints it before the message.
            Diagnostic::error(Layer::Schema, "schema/decode", message)
                .with_object(doc.object_ref())
                .with_location(doc.location(&path))
                .with_path(path)
        })
}

/// A decoding message about a Secret without the value it quotes: serde's `invalid type: string
/// "…"` keeps only the type, and the base64 decoder's `Invalid symbol 42, offset 3.` (which names
/// a byte of the value) becomes the API server's `illegal base64 data at input byte 3`.
fn without_value(message: &str) -> String {
    for prefix in ["Invalid symbol ", "Invalid last symbol "] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((_, offset)) = rest.split_once(", offset ")
        {
            let offset = offset.trim_end_matches('.');
            return format!("illegal base64 data at input byte {offset}");
        }
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((unexpected, expected)) = rest.split_once(", expected ")
        {
            let kind = unexpected
                .find(['`', '"'])
                .map_or(unexpected, |i| unexpected[..i].trim_end());
            return format!("{prefix}{kind}, expected {expected}");
        }
    }
    message.to_string()
}

#[cfg(test)]
#[test]
fn secret_messages_do_not_quote_values() {
    assert_eq!(
        without_value("Invalid symbol 42, offset 3."),
        "illegal base64 data at input byte 3"
    );
    assert_eq!(
        without_value("invalid type: integer `31415926535`, expected a base64 string"),
        "invalid type: integer, expected a base64 string"
    );
    assert_eq!(
        without_value("invalid type: string \"hunter2\", expected a map"),
        "invalid type: string, expected a map"
    );
    assert_eq!(without_value("Invalid padding"), "Invalid padding");
}

/// The object as the API server would store it: with the defaults of its embedded CRD applied.
fn as_stored(doc: &Document) -> std::borrow::Cow<'_, serde_json::Value> {
    match crate::crd::embedded_registry().lookup(doc.api_version(), doc.kind()) {
        crate::crd::Lookup::Found(version) => {
            let mut value = doc.value.clone();
            crate::crd::defaults::apply(&mut value, version.schema);
            std::borrow::Cow::Owned(value)
        }
        _ => std::borrow::Cow::Borrowed(&doc.value),
    }
}

fn field_path(path: &serde_path_to_error::Path) -> FieldPath {
    use serde_path_to_error::Segment as S;
    let mut out = FieldPath::root();
    for segment in path.iter() {
        match segment {
            S::Seq { index } => out.push_index(*index),
            S::Map { key } => out.push_key(key.clone()),
            S::Enum { variant } => out.push_key(variant.clone()),
            S::Unknown => break,
        }
    }
    out
}

/// A typed object and the index of the document it came from (in `Inputs::documents`).
#[derive(Clone, Debug)]
pub struct Object<T> {
    pub doc: usize,
    pub value: T,
}

impl<T: Named> Object<T> {
    pub fn name(&self) -> &str {
        self.value.name()
    }

    pub fn namespace(&self) -> &str {
        self.value.namespace()
    }
}

/// Every object of a run that promagent reads, typed, in input order.
#[derive(Clone, Debug, Default)]
pub struct Inventory {
    pub agents: Vec<Object<PrometheusAgent>>,
    pub pod_monitors: Vec<Object<PodMonitor>>,
    pub service_monitors: Vec<Object<ServiceMonitor>>,
    pub probes: Vec<Object<Probe>>,
    pub scrape_configs: Vec<Object<ScrapeConfig>>,
    pub namespaces: Vec<Object<core::Namespace>>,
    pub secrets: Vec<Object<core::Secret>>,
    pub config_maps: Vec<Object<core::ConfigMap>>,
    pub services: Vec<Object<core::Service>>,
}

impl Inventory {
    /// Decodes every document; the ones that do not decode are left out and reported.
    pub fn from_documents(documents: &[Document]) -> (Inventory, Vec<Diagnostic>) {
        use rayon::prelude::*;
        let decoded: Vec<Option<Result<Resource, Diagnostic>>> =
            documents.par_iter().map(|d| Some(decode(d))).collect();
        Self::from_decoded(decoded)
    }

    /// The inventory of decoded documents, given in document order (`None` for a document left
    /// out), and the findings of those that did not decode.
    pub fn from_decoded(
        decoded: Vec<Option<Result<Resource, Diagnostic>>>,
    ) -> (Inventory, Vec<Diagnostic>) {
        let mut inventory = Inventory::default();
        inventory.reserve(decoded.iter().flatten().flatten());
        let mut diagnostics = Vec::new();
        for (doc, result) in decoded.into_iter().enumerate() {
            match result {
                Some(Ok(resource)) => inventory.push(doc, resource),
                Some(Err(diagnostic)) => diagnostics.push(diagnostic),
                None => {}
            }
        }
        (inventory, diagnostics)
    }

    /// Room for exactly the objects of `resources`, so the lists are not grown (and copied) one
    /// doubling at a time.
    fn reserve<'r>(&mut self, resources: impl Iterator<Item = &'r Resource>) {
        let mut counts = [0usize; 9];
        for resource in resources {
            let slot = match resource {
                Resource::PrometheusAgent(_) => 0,
                Resource::PodMonitor(_) => 1,
                Resource::ServiceMonitor(_) => 2,
                Resource::Probe(_) => 3,
                Resource::ScrapeConfig(_) => 4,
                Resource::Namespace(_) => 5,
                Resource::Secret(_) => 6,
                Resource::ConfigMap(_) => 7,
                Resource::Service(_) => 8,
                Resource::Other => continue,
            };
            counts[slot] += 1;
        }
        self.agents.reserve_exact(counts[0]);
        self.pod_monitors.reserve_exact(counts[1]);
        self.service_monitors.reserve_exact(counts[2]);
        self.probes.reserve_exact(counts[3]);
        self.scrape_configs.reserve_exact(counts[4]);
        self.namespaces.reserve_exact(counts[5]);
        self.secrets.reserve_exact(counts[6]);
        self.config_maps.reserve_exact(counts[7]);
        self.services.reserve_exact(counts[8]);
    }

    fn push(&mut self, doc: usize, resource: Resource) {
        match resource {
            Resource::PrometheusAgent(v) => self.agents.push(Object { doc, value: *v }),
            Resource::PodMonitor(v) => self.pod_monitors.push(Object { doc, value: *v }),
            Resource::ServiceMonitor(v) => self.service_monitors.push(Object { doc, value: *v }),
            Resource::Probe(v) => self.probes.push(Object { doc, value: *v }),
            Resource::ScrapeConfig(v) => self.scrape_configs.push(Object { doc, value: *v }),
            Resource::Namespace(v) => self.namespaces.push(Object { doc, value: *v }),
            Resource::Secret(v) => self.secrets.push(Object { doc, value: *v }),
            Resource::ConfigMap(v) => self.config_maps.push(Object { doc, value: *v }),
            Resource::Service(v) => self.services.push(Object { doc, value: *v }),
            Resource::Other => {}
        }
    }

    /// The namespace object of that name, if the input has one.
    pub fn namespace(&self, name: &str) -> Option<&Object<core::Namespace>> {
        self.namespaces.iter().find(|n| n.name() == name)
    }

    pub fn secret(&self, namespace: &str, name: &str) -> Option<&Object<core::Secret>> {
        self.secrets
            .iter()
            .find(|s| s.namespace() == namespace && s.name() == name)
    }

    pub fn config_map(&self, namespace: &str, name: &str) -> Option<&Object<core::ConfigMap>> {
        self.config_maps
            .iter()
            .find(|c| c.namespace() == namespace && c.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::Inventory;

    #[test]
    fn the_inventory_holds_each_kind_in_input_order_in_lists_of_its_exact_size() {
        let pm = |name: &str| {
            format!(
                "apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata: {{name: {name}, namespace: m}}\nspec: {{selector: {{}}}}\n---\n"
            )
        };
        let mut text = String::new();
        for i in 0..5 {
            text.push_str(&pm(&format!("p{i}")));
            text.push_str(&format!(
                "apiVersion: v1\nkind: Namespace\nmetadata: {{name: n{i}}}\n---\n"
            ));
        }
        text.push_str("apiVersion: v1\nkind: Pod\nmetadata: {name: other, namespace: m}\n");
        let inputs = crate::load::load_str("all.yaml", &text);
        let (inventory, problems) = Inventory::from_documents(&inputs.documents);
        assert!(problems.is_empty(), "{problems:?}");
        let names: Vec<&str> = inventory.pod_monitors.iter().map(|o| o.name()).collect();
        assert_eq!(names, ["p0", "p1", "p2", "p3", "p4"]);
        let docs: Vec<usize> = inventory.namespaces.iter().map(|o| o.doc).collect();
        assert_eq!(docs, [1, 3, 5, 7, 9]);
        assert_eq!(inventory.pod_monitors.capacity(), 5);
        assert_eq!(inventory.namespaces.capacity(), 5);
        assert_eq!(inventory.agents.capacity(), 0);
    }
}
