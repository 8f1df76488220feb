//! Which PodMonitors, ServiceMonitors, Probes and ScrapeConfigs a PrometheusAgent's selectors
//! pick, before any check: [`Index`] prepares an inventory once per run, [`pick`] applies one
//! agent's selectors of one kind. What the operator then rejects is the check stage's
//! (`crate::check::selection`); this module knows no rule.
//!
//! Selection follows the operator: a nil object selector selects nothing and `{}` everything; a
//! nil namespace selector means the agent's own namespace; a namespace selector is matched against
//! the labels of the Namespace objects of the input, which always carry `kubernetes.io/metadata.name`
//! as in a cluster (a namespace without one is taken to exist with only that label, plus any
//! `--namespace-labels`). Picked objects are ordered by `<namespace>/<name>`.

pub mod labels;
pub mod view;

use crate::fieldpath::FieldPath;
use crate::load::Inputs;
use crate::model::{Inventory, Object};
use labels::Selector;
use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;
use view::{Meta, View};

/// The JSON form of an object: its document when inputs are given, else its typed value.
pub fn json_of<'v, T: Serialize>(inputs: Option<&'v Inputs>, obj: &Object<T>) -> Cow<'v, Value> {
    match inputs.and_then(|i| i.documents.get(obj.doc)) {
        Some(doc) => Cow::Borrowed(&doc.value),
        None => Cow::Owned(serde_json::to_value(&obj.value).unwrap_or(Value::Null)),
    }
}

/// The kinds an agent selects, and the agent itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    PrometheusAgent,
    PodMonitor,
    ServiceMonitor,
    Probe,
    ScrapeConfig,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::PrometheusAgent => "PrometheusAgent",
            Kind::PodMonitor => "PodMonitor",
            Kind::ServiceMonitor => "ServiceMonitor",
            Kind::Probe => "Probe",
            Kind::ScrapeConfig => "ScrapeConfig",
        }
    }

    pub fn is_monitor(self) -> bool {
        self != Kind::PrometheusAgent
    }
}

/// The selector field names of one kind on the agent's spec.
fn selector_fields(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::PodMonitor => ("podMonitorSelector", "podMonitorNamespaceSelector"),
        Kind::ServiceMonitor => ("serviceMonitorSelector", "serviceMonitorNamespaceSelector"),
        Kind::Probe => ("probeSelector", "probeNamespaceSelector"),
        Kind::ScrapeConfig => ("scrapeConfigSelector", "scrapeConfigNamespaceSelector"),
        Kind::PrometheusAgent => ("", ""),
    }
}

/// The label the API server sets on every Namespace (stable since Kubernetes 1.22), whatever the
/// manifest says.
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// The labels a namespace has in a cluster when the input has no Namespace object for it.
pub fn assumed_namespace_labels(name: &str) -> Vec<(String, String)> {
    vec![(NAMESPACE_NAME_LABEL.to_string(), name.to_string())]
}

/// Known namespaces: Namespace objects of the input with their labels, as the API server stores
/// them (with `kubernetes.io/metadata.name` set to the name).
fn namespace_labels(
    inv: &Inventory,
    inputs: Option<&Inputs>,
) -> BTreeMap<String, Vec<(String, String)>> {
    let mut out = BTreeMap::new();
    for ns in &inv.namespaces {
        let json = json_of(inputs, ns);
        let mut labels = Meta::of(&json).labels;
        // A Namespace is cluster-scoped: its name is all that counts.
        let name = View::root(&json).at("metadata.name").string().to_string();
        labels.retain(|(k, _)| k != NAMESPACE_NAME_LABEL);
        labels.push((NAMESPACE_NAME_LABEL.to_string(), name.clone()));
        labels.sort();
        out.insert(name, labels);
    }
    out
}

/// Label names and values, sorted by name.
pub type Labels = Vec<(String, String)>;

/// One object an agent may select, read once per run.
pub struct Candidate<'v> {
    /// Position in its inventory list.
    pub pos: usize,
    pub doc: usize,
    pub json: Cow<'v, Value>,
    pub meta: Meta,
}

/// An agent selector that cannot be converted (the operator fails the whole reconciliation).
#[derive(Clone, Debug)]
pub struct SelectorError {
    pub kind: Kind,
    pub path: FieldPath,
    pub message: String,
}

/// What selection needs of an inventory, prepared once and shared by every agent: the labels of
/// the known namespaces, those given for namespaces the input lacks, and for each kind the
/// candidates grouped by namespace. It records the namespaces a namespace selector was matched
/// against without a Namespace object in the input.
pub struct Index<'v> {
    namespaces: BTreeMap<String, Vec<(String, String)>>,
    /// `--namespace-labels`: namespaces without a Namespace object whose labels were given.
    given: BTreeMap<String, Vec<(String, String)>>,
    by_kind: BTreeMap<Kind, BTreeMap<String, Vec<Candidate<'v>>>>,
    /// Assumed namespace → the document of its first candidate.
    assumed: std::cell::RefCell<BTreeMap<String, usize>>,
}

impl<'v> Index<'v> {
    /// The namespaces whose labels were assumed so far, each with the document of its first
    /// candidate, and the labels assumed.
    pub fn assumed(&self) -> Vec<(String, usize, Labels)> {
        self.assumed
            .borrow()
            .iter()
            .map(|(ns, doc)| (ns.clone(), *doc, self.assumed_labels(ns)))
            .collect()
    }

    fn assumed_labels(&self, namespace: &str) -> Vec<(String, String)> {
        let mut labels = assumed_namespace_labels(namespace);
        if let Some(given) = self.given.get(namespace) {
            labels.extend(
                given
                    .iter()
                    .filter(|(k, _)| k != NAMESPACE_NAME_LABEL)
                    .cloned(),
            );
        }
        labels.sort();
        labels
    }

    /// `given`: the labels of namespaces the input has no Namespace object for (`--namespace-labels`).
    pub fn new(
        inv: &'v Inventory,
        inputs: Option<&'v Inputs>,
        given: &[(String, Vec<(String, String)>)],
    ) -> Self {
        fn group<'v, T: Serialize>(
            objects: &'v [Object<T>],
            inputs: Option<&'v Inputs>,
        ) -> BTreeMap<String, Vec<Candidate<'v>>> {
            let mut out: BTreeMap<String, Vec<Candidate<'v>>> = BTreeMap::new();
            for (pos, o) in objects.iter().enumerate() {
                let json = json_of(inputs, o);
                let meta = Meta::of(&json);
                out.entry(meta.namespace.clone())
                    .or_default()
                    .push(Candidate {
                        pos,
                        doc: o.doc,
                        json,
                        meta,
                    });
            }
            out
        }
        let mut by_kind = BTreeMap::new();
        by_kind.insert(Kind::ServiceMonitor, group(&inv.service_monitors, inputs));
        by_kind.insert(Kind::PodMonitor, group(&inv.pod_monitors, inputs));
        by_kind.insert(Kind::Probe, group(&inv.probes, inputs));
        by_kind.insert(Kind::ScrapeConfig, group(&inv.scrape_configs, inputs));
        Index {
            namespaces: namespace_labels(inv, inputs),
            given: given.iter().cloned().collect(),
            by_kind,
            assumed: Default::default(),
        }
    }
}

/// The candidates of `kind` the agent's selectors pick, sorted by `<namespace>/<name>`; selector
/// errors go to `errors`. Also returns the candidates left out only because their namespace has
/// no Namespace object.
#[allow(clippy::type_complexity)]
pub fn pick<'i, 'v>(
    kind: Kind,
    agent_meta: &Meta,
    agent_spec: &View<'_>,
    index: &'i Index<'v>,
    errors: &mut Vec<SelectorError>,
) -> (Vec<&'i Candidate<'v>>, Vec<(&'i Candidate<'v>, String)>) {
    let (sel_field, ns_field) = selector_fields(kind);
    let object_selector = match Selector::parse(&agent_spec.get(sel_field)) {
        Ok(s) => s,
        Err(e) => {
            errors.push(SelectorError {
                kind,
                path: e.path,
                message: e.message,
            });
            return (Vec::new(), Vec::new());
        }
    };
    let ns_selector = match Selector::parse(&agent_spec.get(ns_field)) {
        Ok(s) => s,
        Err(e) => {
            errors.push(SelectorError {
                kind,
                path: e.path,
                message: format!(
                    "failed to convert namespace label selector to selector: {}",
                    e.message
                ),
            });
            return (Vec::new(), Vec::new());
        }
    };
    let Some(object_selector) = object_selector else {
        return (Vec::new(), Vec::new());
    };
    let Some(by_namespace) = index.by_kind.get(&kind) else {
        return (Vec::new(), Vec::new());
    };
    let mut chosen: BTreeMap<String, &'i Candidate<'v>> = BTreeMap::new();
    let mut unknown_ns = Vec::new();
    let take = |candidates: &'i [Candidate<'v>], chosen: &mut BTreeMap<String, _>| {
        for c in candidates {
            if object_selector.matches(&c.meta.labels) {
                chosen.entry(c.meta.key()).or_insert(c);
            }
        }
    };
    match &ns_selector {
        // No namespace selector: the agent's own namespace only.
        None => {
            if let Some(candidates) = by_namespace.get(&agent_meta.namespace) {
                take(candidates, &mut chosen);
            }
        }
        Some(sel) => {
            for (namespace, candidates) in by_namespace {
                let assumed;
                let labels = match index.namespaces.get(namespace) {
                    Some(labels) => labels,
                    None => {
                        assumed = index.assumed_labels(namespace);
                        if let Some(first) = candidates.first() {
                            index
                                .assumed
                                .borrow_mut()
                                .entry(namespace.clone())
                                .or_insert(first.doc);
                        }
                        &assumed
                    }
                };
                if sel.matches(labels) {
                    take(candidates, &mut chosen);
                } else if !index.namespaces.contains_key(namespace)
                    && !index.given.contains_key(namespace)
                {
                    for c in candidates
                        .iter()
                        .filter(|c| object_selector.matches(&c.meta.labels))
                    {
                        unknown_ns.push((c, namespace.clone()));
                    }
                }
            }
        }
    }
    (chosen.into_values().collect(), unknown_ns)
}

/// The label `spec.enforcedNamespaceLabel` adds to a monitor's relabelings, or `None` when unset
/// or when the monitor is listed in `spec.excludedFromEnforcement`.
pub fn enforced_namespace_label<'v>(
    agent_spec: &'v Value,
    kind: &str,
    namespace: &str,
    name: &str,
) -> Option<&'v str> {
    let spec = View::root(agent_spec);
    let label = spec
        .get("enforcedNamespaceLabel")
        .str()
        .filter(|l| !l.is_empty())?;
    let resource = match kind {
        "ServiceMonitor" => "servicemonitors",
        "PodMonitor" => "podmonitors",
        "Probe" => "probes",
        "ScrapeConfig" => "scrapeconfigs",
        _ => return Some(label),
    };
    let excluded = spec.get("excludedFromEnforcement").items().iter().any(|e| {
        let group = e.get("group").str().unwrap_or("monitoring.coreos.com");
        let ns = e.get("namespace").string();
        let res = e.get("resource").string();
        let n = e.get("name").string();
        !ns.is_empty()
            && !res.is_empty()
            && ns == namespace
            && group == "monitoring.coreos.com"
            && res == resource
            && (n.is_empty() || n == name)
    });
    if excluded { None } else { Some(label) }
}
