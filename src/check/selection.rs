//! What an agent selects as the operator sees it: the monitors [`crate::select`] picks, each run
//! through the operator's reconcile-time checks ([`super::rules`]), split into the ones that end
//! up in the configuration and the ones the operator rejects (drops with an
//! `InvalidConfiguration` event), with the selection notes. Shared by `lint`, `render`, `diff`,
//! `targets` and `migrate`.

use super::rules::context::{AgentCx, Cx, Kind, Store, Target};
use super::rules::{self, Finding};
use crate::diag::{Diagnostic, Layer, ObjectRef, Severity};
use crate::fieldpath::FieldPath;
use crate::load::Inputs;
use crate::model::{
    Inventory, Named, Object, PodMonitor, Probe, PrometheusAgent, ScrapeConfig, ServiceMonitor,
};
use crate::render::options::OperatorOptions;
use crate::select::view::View;
use crate::select::{Index, json_of, pick};
use rayon::prelude::*;
use std::collections::BTreeSet;

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
        feature_gates: &opts.operator.feature_gates,
    };
    let index = Index::new(inv, inputs, &opts.operator.namespace_labels);
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
            // Each object's rules on every core; the results are taken in selection order.
            let checked: Vec<_> = chosen
                .par_iter()
                .map(|c| {
                    let target = Target::new(kind, &c.json);
                    (target.meta.object_ref(), rules::check_object(cx, &target))
                })
                .collect();
            for (c, (object, findings)) in chosen.iter().zip(checked) {
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
        .map(|e| {
            let f = agent_selector_error(e.kind, &e.path, &e.message);
            diagnostic(&f, &agent_ref, agent.doc, inputs)
        })
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
