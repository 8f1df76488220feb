//! Which PodMonitors, ServiceMonitors, Probes and ScrapeConfigs a PrometheusAgent selects, and
//! which of those the operator would reject (drop with an `InvalidConfiguration` event).
//!
//! Selection follows the operator: a nil object selector selects nothing and `{}` everything; a
//! nil namespace selector means the agent's own namespace; a namespace selector is matched against
//! the labels of the Namespace objects of the input, which always carry `kubernetes.io/metadata.name`
//! as in a cluster (a namespace without one is taken to exist with only that label). Every kind is selected and checked in both modes, but in DaemonSet mode only
//! PodMonitors are rendered. Selected objects are ordered by `<namespace>/<name>`.

pub mod labels;
pub mod view;

use crate::check::rules::context::{AgentCx, Cx, Kind, Store, Target};
use crate::check::rules::{self, Finding};
use crate::diag::{Diagnostic, Layer, ObjectRef, Severity};
use crate::fieldpath::FieldPath;
use crate::load::Inputs;
use crate::model::{
    Inventory, Named, Object, PodMonitor, Probe, PrometheusAgent, ScrapeConfig, ServiceMonitor,
};
use crate::render::options::OperatorOptions;
use labels::Selector;
use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use view::{Meta, View};

/// An object the operator would drop, and why (one entry per error).
#[derive(Clone, Debug)]
pub struct Rejection {
    pub object: ObjectRef,
    /// Index of the object's document in `Inputs::documents`.
    pub doc: usize,
    pub code: String,
    pub diagnostic: Diagnostic,
}

/// One object an agent selects, valid or not.
#[derive(Clone, Debug)]
pub struct Selected {
    pub object: ObjectRef,
    pub doc: usize,
    /// The operator drops it (at least one error-severity finding).
    pub rejected: bool,
    /// It ends up in the configuration (valid, and rendered in the agent's mode).
    pub rendered: bool,
}

/// What an agent selects.
#[derive(Debug, Default)]
pub struct Selection<'a> {
    /// Selected, valid and rendered in the agent's mode, sorted by `<namespace>/<name>`.
    pub pod_monitors: Vec<&'a Object<PodMonitor>>,
    pub service_monitors: Vec<&'a Object<ServiceMonitor>>,
    pub probes: Vec<&'a Object<Probe>>,
    pub scrape_configs: Vec<&'a Object<ScrapeConfig>>,
    /// Selected objects the operator rejects.
    pub rejected: Vec<Rejection>,
    /// Every selected object (valid or rejected, rendered or not), sorted by kind then key.
    pub selected: Vec<Selected>,
    /// Findings on selected objects that do not reject them (warnings, notes).
    pub notes: Vec<Diagnostic>,
    /// Agent selectors that cannot be converted: the operator fails the whole reconciliation.
    pub selector_errors: Vec<Diagnostic>,
}

impl<'a> Selection<'a> {
    /// The selection as the operator's config generator sees it when it is handed every selected
    /// object: the rejected ones join the lists (their findings stay in `rejected`).
    pub fn keeping_rejected(mut self, inv: &'a Inventory) -> Self {
        let rejected: BTreeSet<usize> = self.rejected.iter().map(|r| r.doc).collect();
        add_rejected(&mut self.pod_monitors, &inv.pod_monitors, &rejected);
        add_rejected(&mut self.service_monitors, &inv.service_monitors, &rejected);
        add_rejected(&mut self.probes, &inv.probes, &rejected);
        add_rejected(&mut self.scrape_configs, &inv.scrape_configs, &rejected);
        self
    }

    /// True when the object of that document is selected (valid or not).
    pub fn is_selected(&self, doc: usize) -> bool {
        self.selected.iter().any(|s| s.doc == doc)
    }

    /// Number of selected objects, valid or not (the operator's `NoSelectedResources` count).
    pub fn total_selected(&self) -> usize {
        self.selected.len()
    }
}

fn add_rejected<'a, T: Named>(
    list: &mut Vec<&'a Object<T>>,
    all: &'a [Object<T>],
    rejected: &BTreeSet<usize>,
) {
    let before = list.len();
    list.extend(all.iter().filter(|o| rejected.contains(&o.doc)));
    if list.len() != before {
        list.sort_by_cached_key(|o| format!("{}/{}", o.namespace(), o.name()));
    }
}

/// How selection reads the objects and reports findings.
#[derive(Clone, Copy)]
pub struct SelectOptions<'o> {
    pub operator: &'o OperatorOptions,
    /// Severity of a reference to a Secret/ConfigMap absent from the input; an `Error` rejects.
    pub missing_refs: Severity,
    /// The loaded documents: objects are read from them (exact user input) and findings get
    /// locations. Without them the typed values are used and findings have no location.
    pub inputs: Option<&'o Inputs>,
}

/// What `agent` selects from `inv`, with the operator's defaults for references: a Secret or
/// ConfigMap absent from the input does not reject an object.
pub fn select<'a>(
    agent: &'a Object<PrometheusAgent>,
    inv: &'a Inventory,
    opts: &OperatorOptions,
) -> Selection<'a> {
    select_with(
        agent,
        inv,
        SelectOptions {
            operator: opts,
            missing_refs: Severity::Warning,
            inputs: None,
        },
    )
}

/// The JSON form of an object: its document when inputs are given, else its typed value.
pub fn json_of<'v, T: Serialize>(inputs: Option<&'v Inputs>, obj: &Object<T>) -> Cow<'v, Value> {
    match inputs.and_then(|i| i.documents.get(obj.doc)) {
        Some(doc) => Cow::Borrowed(&doc.value),
        None => Cow::Owned(serde_json::to_value(&obj.value).unwrap_or(Value::Null)),
    }
}

/// The Secrets and ConfigMaps of the inventory.
pub fn store_of(inv: &Inventory, inputs: Option<&Inputs>) -> Store {
    let mut store = Store::default();
    for s in &inv.secrets {
        store.add_secret(&json_of(inputs, s));
    }
    for c in &inv.config_maps {
        store.add_config_map(&json_of(inputs, c));
    }
    store
}

/// Turns a rule finding about the object of document `doc` into a diagnostic.
pub fn diagnostic(
    f: &Finding,
    object: &ObjectRef,
    doc: usize,
    inputs: Option<&Inputs>,
) -> Diagnostic {
    let mut d = Diagnostic::new(f.severity, Layer::Operator, f.code, f.message.clone())
        .with_object(object.clone())
        .with_path(f.path.clone());
    if let Some(h) = &f.help {
        d = d.with_help(h.clone());
    }
    if let Some(document) = inputs.and_then(|i| i.documents.get(doc)) {
        d = d.with_location(document.location(f.anchor.as_ref().unwrap_or(&f.path)));
    }
    d
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

/// The selector error of an agent selector, as the operator reports it.
pub fn agent_selector_error(kind: Kind, path: &FieldPath, message: &str) -> Finding {
    Finding {
        code: "PA107",
        severity: Severity::Error,
        path: path.clone(),
        message: format!("selecting {}s failed: {message}", kind.as_str()),
        help: None,
        anchor: None,
    }
}

/// One object an agent may select, read once per run.
struct Candidate<'v> {
    /// Position in its inventory list.
    pos: usize,
    doc: usize,
    json: Cow<'v, Value>,
    meta: Meta,
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
    pub fn assumed(&self) -> Vec<(String, usize, crate::render::options::Labels)> {
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

    pub fn new(inv: &'v Inventory, inputs: Option<&'v Inputs>, operator: &OperatorOptions) -> Self {
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
            given: operator.namespace_labels.iter().cloned().collect(),
            by_kind,
            assumed: Default::default(),
        }
    }
}

/// The candidates of `kind` the agent's selectors pick, sorted by `<namespace>/<name>`; selector
/// errors go to `errors`. Also returns the candidates left out only because their namespace has
/// no Namespace object.
#[allow(clippy::type_complexity)]
fn pick<'i, 'v>(
    kind: Kind,
    agent_meta: &Meta,
    agent_spec: &View<'_>,
    index: &'i Index<'v>,
    errors: &mut Vec<Finding>,
) -> (Vec<&'i Candidate<'v>>, Vec<(&'i Candidate<'v>, String)>) {
    let (sel_field, ns_field) = selector_fields(kind);
    let object_selector = match Selector::parse(&agent_spec.get(sel_field)) {
        Ok(s) => s,
        Err(e) => {
            errors.push(agent_selector_error(kind, &e.path, &e.message));
            return (Vec::new(), Vec::new());
        }
    };
    let ns_selector = match Selector::parse(&agent_spec.get(ns_field)) {
        Ok(s) => s,
        Err(e) => {
            errors.push(agent_selector_error(
                kind,
                &e.path,
                &format!(
                    "failed to convert namespace label selector to selector: {}",
                    e.message
                ),
            ));
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

/// The full selection with options: see [`SelectOptions`].
pub fn select_with<'a>(
    agent: &'a Object<PrometheusAgent>,
    inv: &'a Inventory,
    opts: SelectOptions<'_>,
) -> Selection<'a> {
    let inputs = opts.inputs;
    let agent_json = json_of(inputs, agent);
    let acx = AgentCx::from_json(&agent_json);
    let store = store_of(inv, inputs);
    let cx = Cx {
        agent: &acx,
        store: &store,
        missing_refs: opts.missing_refs,
        daemonset_gate: opts.operator.feature_gates.prometheus_agent_daemon_set,
        daemonset_gate_stated: opts
            .operator
            .feature_gates
            .prometheus_agent_daemon_set_stated,
    };
    let index = Index::new(inv, inputs, opts.operator);
    select_in(agent, inv, &cx, opts, &index)
}

/// Selection with a prepared rule context (shared with `check::rules`).
pub fn select_in<'a>(
    agent: &'a Object<PrometheusAgent>,
    inv: &'a Inventory,
    cx: &Cx<'_>,
    opts: SelectOptions<'_>,
    index: &Index<'_>,
) -> Selection<'a> {
    let inputs = opts.inputs;
    let agent_json = json_of(inputs, agent);
    let agent_root = View::root(&agent_json);
    let spec = agent_root.get("spec");
    let agent_ref = cx.agent.meta.object_ref();
    let mut sel = Selection::default();
    let mut selector_errors = Vec::new();

    macro_rules! run_kind {
        ($kind:expr, $objects:expr, $out:ident) => {{
            let kind: Kind = $kind;
            let (chosen, unknown_ns) =
                pick(kind, &cx.agent.meta, &spec, index, &mut selector_errors);
            for (c, ns) in unknown_ns {
                let f = rules::sel604_namespace_unknown::finding(&cx.agent.meta, &ns);
                sel.notes
                    .push(diagnostic(&f, &c.meta.object_ref(), c.doc, inputs));
            }
            for c in chosen {
                let target = Target::new(kind, &c.json);
                let findings = rules::check_object(cx, &target);
                let object = target.meta.object_ref();
                let rejected = findings.iter().any(|f| f.severity == Severity::Error);
                for f in &findings {
                    let d = diagnostic(f, &object, c.doc, inputs);
                    if f.severity == Severity::Error {
                        sel.rejected.push(Rejection {
                            object: object.clone(),
                            doc: c.doc,
                            code: f.code.to_string(),
                            diagnostic: d,
                        });
                    } else {
                        sel.notes.push(d);
                    }
                }
                let rendered = !rejected && (kind == Kind::PodMonitor || !cx.agent.daemonset);
                if rendered {
                    sel.$out.push(&$objects[c.pos]);
                } else if !rejected {
                    let f = rules::sel602_daemonset_kinds::finding(&cx.agent.meta, kind);
                    sel.notes.push(diagnostic(&f, &object, c.doc, inputs));
                }
                sel.selected.push(Selected {
                    object,
                    doc: c.doc,
                    rejected,
                    rendered,
                });
            }
        }};
    }

    run_kind!(Kind::ServiceMonitor, inv.service_monitors, service_monitors);
    run_kind!(Kind::PodMonitor, inv.pod_monitors, pod_monitors);
    run_kind!(Kind::Probe, inv.probes, probes);
    if opts.operator.scrape_config_crd_installed {
        run_kind!(Kind::ScrapeConfig, inv.scrape_configs, scrape_configs);
    }

    sel.selector_errors = selector_errors
        .iter()
        .map(|f| diagnostic(f, &agent_ref, agent.doc, inputs))
        .collect();
    if sel.selected.is_empty() && sel.selector_errors.is_empty() {
        let f = rules::sel603_nothing_selected::finding();
        sel.notes
            .push(diagnostic(&f, &agent_ref, agent.doc, inputs));
    }
    sel
}

/// The documents of every object some agent of the inventory selects.
pub fn selected_docs(inv: &Inventory, opts: &OperatorOptions) -> BTreeSet<usize> {
    inv.agents
        .iter()
        .flat_map(|a| select(a, inv, opts).selected.into_iter().map(|s| s.doc))
        .collect()
}

/// The agents of the inventory that select the object of document `doc`.
pub fn selected_by<'a>(
    inv: &'a Inventory,
    doc: usize,
    opts: &OperatorOptions,
) -> Vec<&'a Object<PrometheusAgent>> {
    inv.agents
        .iter()
        .filter(|a| select(a, inv, opts).is_selected(doc))
        .collect()
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
