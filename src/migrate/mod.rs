//! `migrate`: moves PrometheusAgents from StatefulSet mode to DaemonSet mode (or back) by editing the
//! user's files in place, byte for byte outside the changed entries, and explains what the move
//! means for each agent.
//!
//! To DaemonSet mode, every agent not yet in it gets `mode: DaemonSet`, and every spec field the
//! CRD's CEL rules forbid in that mode is removed with the comment lines directly above it. With
//! `convert_service_monitors`, each ServiceMonitor those agents select becomes a PodMonitor appended
//! to the ServiceMonitor's file. Back to StatefulSet mode, `mode` is removed. Each rewritten file is
//! parsed again and compared with the intended content; a file that does not parse, or whose
//! rewrite would change anything else, is left as it was.

pub mod convert;
pub mod edit;
pub mod report;
pub mod rules;
pub mod table;
pub mod write;

pub use table::field_table_markdown;

use crate::check::selection::{self, SelectOptions};
use crate::diag::{ObjectRef, Severity, SourceFile};
use crate::load::Inputs;
use crate::load::yaml::{self, Limits, Node, NodeValue};
use crate::model::Inventory;
use crate::render::options::OperatorOptions;
use edit::Edit;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The mode to migrate to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Target {
    DaemonSet,
    StatefulSet,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::DaemonSet => "DaemonSet",
            Target::StatefulSet => "StatefulSet",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub target: Target,
    /// Write a PodMonitor for each selected ServiceMonitor whose Service is in the input.
    pub convert_service_monitors: bool,
}

/// The outcome for every input file and every agent.
#[derive(Clone, Debug, Serialize)]
pub struct Migration {
    pub target: Target,
    pub files: Vec<FileResult>,
    pub agents: Vec<AgentReport>,
    pub conversions: Vec<ConversionReport>,
}

impl Migration {
    /// Some file would change.
    pub fn due(&self) -> bool {
        self.files.iter().any(FileResult::changed)
    }

    /// Some file could not be migrated.
    pub fn failed(&self) -> bool {
        self.files.iter().any(|f| f.error.is_some())
    }
}

/// One input file, before and after.
#[derive(Clone, Debug, Serialize)]
pub struct FileResult {
    pub name: String,
    #[serde(skip)]
    pub original: String,
    /// The migrated text; the original when nothing changes or the file could not be migrated.
    #[serde(skip)]
    pub migrated: String,
    /// Why the file was left alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub changed: bool,
}

impl FileResult {
    pub fn changed(&self) -> bool {
        self.error.is_none() && self.migrated != self.original
    }
}

/// What happened to one agent.
#[derive(Clone, Debug, Serialize)]
pub struct AgentReport {
    pub agent: ObjectRef,
    pub file: String,
    pub mode_before: String,
    pub mode_after: String,
    /// The agent's text changes.
    pub changed: bool,
    pub removed: Vec<RemovedField>,
    /// Selectors kept under another name: (from, to).
    pub renamed: Vec<(String, String)>,
    /// Objects the agent selects today that its new mode does not scrape.
    pub not_scraped: Vec<ObjectRef>,
    /// Other things to know (ignored fields, tolerations, …).
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RemovedField {
    pub field: String,
    /// The API server's message for the field in DaemonSet mode.
    pub rule: String,
    /// What losing it means.
    pub meaning: String,
}

/// What became of one ServiceMonitor under `--convert-servicemonitors`.
#[derive(Clone, Debug, Serialize)]
pub struct ConversionReport {
    pub service_monitor: ObjectRef,
    /// The agents that select it.
    pub agents: Vec<ObjectRef>,
    pub pod_monitors: Vec<ObjectRef>,
    /// The file the PodMonitors are appended to.
    pub file: String,
    /// Why it was not converted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub notes: Vec<String>,
}

const AGENT_API_VERSION: &str = "monitoring.coreos.com/v1alpha1";

/// An agent found in a file's tree, with where its spec is.
struct AgentSite {
    file: usize,
    /// Path from the document root to the agent (root index, then List item indices).
    root: usize,
    item: Option<usize>,
    object: ObjectRef,
}

/// Per-file working state.
struct FileWork {
    source: Arc<SourceFile>,
    roots: Vec<Node>,
    error: Option<String>,
    edits: Vec<Edit>,
    appended: Vec<Value>,
    /// Expected JSON of each root after the edits.
    expected: Vec<Value>,
}

/// Migrates every file of `inputs` (which must have been loaded from the files to rewrite).
pub fn migrate(inputs: &Inputs, options: &Options) -> Migration {
    let (inventory, _) = Inventory::from_documents(&inputs.documents);
    let mut files: Vec<FileWork> = inputs
        .files
        .iter()
        .map(|f| prepare_file(f, inputs))
        .collect();
    let sites = find_agents(&files);

    // Selection as things stand.
    let operator = OperatorOptions::default();
    let select_options = SelectOptions {
        operator: &operator,
        missing_refs: Severity::Warning,
        inputs: Some(inputs),
    };
    let inventory_agent = |site: &AgentSite| {
        inventory.agents.iter().find(|a| {
            inputs.documents.get(a.doc).is_some_and(|d| {
                Arc::ptr_eq(&d.file, &files[site.file].source) && d.object_ref() == site.object
            })
        })
    };

    let mut agents = Vec::new();
    let mut plans = Vec::new();
    for site in &sites {
        let spec = agent_spec(&files[site.file].roots, site);
        let plan = plan_agent(spec, options.target);
        let mut report = AgentReport {
            agent: site.object.clone(),
            file: files[site.file].source.name.clone(),
            mode_before: plan.mode_before.clone(),
            mode_after: plan.mode_after.clone(),
            changed: plan.changes(),
            removed: plan
                .remove
                .iter()
                .map(|(field, r)| RemovedField {
                    field: field.clone(),
                    rule: r.message.clone(),
                    meaning: table::removal_meaning(field).to_string(),
                })
                .collect(),
            renamed: Vec::new(),
            not_scraped: Vec::new(),
            notes: Vec::new(),
        };
        if let Some(spec) = spec {
            report
                .notes
                .extend(mode_notes(&spec.to_json(), options.target, &plan));
        }
        if plan.entering_daemonset()
            && let Some(agent) = inventory_agent(site)
        {
            let selection = selection::select_with(agent, &inventory, select_options);
            report.not_scraped = selection
                .selected
                .iter()
                .filter(|s| !s.rejected && s.object.kind != "PodMonitor")
                .map(|s| s.object.clone())
                .collect();
        }
        agents.push(report);
        plans.push(plan);
    }

    // ServiceMonitors to PodMonitors.
    let mut conversions = Vec::new();
    if options.target == Target::DaemonSet && options.convert_service_monitors {
        let catalog = convert::Catalog::of(&inputs.documents);
        // ServiceMonitor document → the agents (indices into `sites`) that select it.
        let mut wanted: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, site) in sites.iter().enumerate() {
            if !plans[i].entering_daemonset() {
                continue;
            }
            if let Some(agent) = inventory_agent(site) {
                let selection = selection::select_with(agent, &inventory, select_options);
                for s in selection
                    .selected
                    .iter()
                    .filter(|s| !s.rejected && s.object.kind == "ServiceMonitor")
                {
                    wanted.entry(s.doc).or_default().push(i);
                }
            }
        }
        for (doc, agent_ids) in wanted {
            let Some(sm) = inputs.documents.get(doc) else {
                continue;
            };
            let mut extra: Vec<(String, String)> = Vec::new();
            for &i in &agent_ids {
                extra.extend(pod_monitor_selector_labels(agent_spec(
                    &files[sites[i].file].roots,
                    &sites[i],
                )));
            }
            extra.sort();
            extra.dedup();
            let file_index = files
                .iter()
                .position(|f| Arc::ptr_eq(&f.source, &sm.file))
                .unwrap_or_default();
            let mut report = ConversionReport {
                service_monitor: sm.object_ref(),
                agents: agent_ids.iter().map(|&i| sites[i].object.clone()).collect(),
                pod_monitors: Vec::new(),
                file: sm.file.name.clone(),
                reason: None,
                notes: Vec::new(),
            };
            if files[file_index].error.is_some() {
                report.reason = Some("its file cannot be rewritten".into());
                conversions.push(report);
                continue;
            }
            match convert::convert(sm, &catalog, &extra) {
                Ok(converted) => {
                    for c in converted {
                        report.pod_monitors.push(c.pod_monitor.clone());
                        report.notes.extend(c.notes);
                        files[file_index].appended.push(c.value);
                    }
                    let sm_labels = crate::select::view::Meta::of(&sm.value).labels;
                    let added: Vec<&(String, String)> =
                        extra.iter().filter(|l| !sm_labels.contains(l)).collect();
                    if !added.is_empty() {
                        let shown: Vec<String> =
                            added.iter().map(|(k, v)| format!("{k}={v}")).collect();
                        report.notes.push(format!(
                            "labels {} added so that the agents' podMonitorSelector selects it",
                            shown.join(", ")
                        ));
                    }
                    for &i in &agent_ids {
                        plans[i].converted_any = true;
                    }
                }
                Err(reason) => report.reason = Some(reason),
            }
            conversions.push(report);
        }
    }

    // Agent edits.
    for (i, site) in sites.iter().enumerate() {
        let plan = &mut plans[i];
        if plan.converted_any {
            plan.rename_selectors_for_conversion();
            agents[i].renamed = plan.rename.clone();
            agents[i]
                .removed
                .retain(|r| !plan.rename.iter().any(|(from, _)| *from == r.field));
        }
        let work = &mut files[site.file];
        if work.error.is_some() || !plan.changes() {
            continue;
        }
        let spec_node = agent_spec(&work.roots, site);
        match (spec_node, agent_spec_mut(&mut work.expected, site)) {
            (Some(spec), Some(expected)) => match plan.edits(&work.source.text, spec, expected) {
                Ok(edits) => work.edits.extend(edits),
                Err(reason) => {
                    work.error = Some(format!("{}: {reason}", site.object));
                }
            },
            _ => {
                work.error = Some(format!("{}: has no spec mapping to edit", site.object));
            }
        }
    }

    let mut results = Vec::new();
    for work in &files {
        results.push(finish_file(work));
    }
    for report in &mut agents {
        if results
            .iter()
            .any(|f| f.name == report.file && f.error.is_some())
        {
            report.changed = false;
        }
    }

    // Check that the agents select the PodMonitors written for them.
    if conversions.iter().any(|c| !c.pod_monitors.is_empty()) {
        verify_conversions(&results, &mut conversions);
    }

    Migration {
        target: options.target,
        files: results,
        agents,
        conversions,
    }
}

fn prepare_file(source: &Arc<SourceFile>, inputs: &Inputs) -> FileWork {
    let broken = inputs.diagnostics.iter().find(|d| {
        d.severity == Severity::Error
            && d.location
                .as_ref()
                .is_some_and(|l| Arc::ptr_eq(&l.file, source))
    });
    let parsed = yaml::parse(&source.text, &Limits::default());
    let error = match (broken, &parsed.error) {
        (Some(d), _) => {
            let (line, col) = d.line_col().unwrap_or((0, 0));
            Some(format!(
                "cannot be parsed ({line}:{col}: {}); left unchanged",
                d.message
            ))
        }
        (None, Some(_)) => Some("cannot be parsed; left unchanged".to_string()),
        (None, None) => None,
    };
    let expected = parsed.documents.iter().map(Node::to_json).collect();
    FileWork {
        source: source.clone(),
        roots: parsed.documents,
        error,
        edits: Vec::new(),
        appended: Vec::new(),
        expected,
    }
}

fn is_agent(node: &Node) -> bool {
    node.get("apiVersion").and_then(Node::as_str) == Some(AGENT_API_VERSION)
        && node.get("kind").and_then(Node::as_str) == Some("PrometheusAgent")
}

fn object_ref_of(node: &Node) -> ObjectRef {
    let meta = node.get("metadata");
    let field = |k: &str| {
        meta.and_then(|m| m.get(k))
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_string()
    };
    ObjectRef {
        kind: "PrometheusAgent".into(),
        namespace: field("namespace"),
        name: field("name"),
    }
}

fn find_agents(files: &[FileWork]) -> Vec<AgentSite> {
    let mut sites = Vec::new();
    for (f, work) in files.iter().enumerate() {
        for (r, root) in work.roots.iter().enumerate() {
            if is_agent(root) {
                sites.push(AgentSite {
                    file: f,
                    root: r,
                    item: None,
                    object: object_ref_of(root),
                });
            } else if let Some(NodeValue::Seq(items)) = root.get("items").map(|n| &n.value) {
                for (i, item) in items.iter().enumerate() {
                    if is_agent(item) {
                        sites.push(AgentSite {
                            file: f,
                            root: r,
                            item: Some(i),
                            object: object_ref_of(item),
                        });
                    }
                }
            }
        }
    }
    sites
}

fn agent_node<'a>(roots: &'a [Node], site: &AgentSite) -> Option<&'a Node> {
    let root = roots.get(site.root)?;
    match site.item {
        None => Some(root),
        Some(i) => match &root.get("items")?.value {
            NodeValue::Seq(items) => items.get(i),
            _ => None,
        },
    }
}

fn agent_spec<'a>(roots: &'a [Node], site: &AgentSite) -> Option<&'a Node> {
    agent_node(roots, site)?
        .get("spec")
        .filter(|s| matches!(s.value, NodeValue::Map(_)))
}

fn agent_spec_mut<'a>(
    expected: &'a mut [Value],
    site: &AgentSite,
) -> Option<&'a mut serde_json::Map<String, Value>> {
    let root = expected.get_mut(site.root)?;
    let agent = match site.item {
        None => root,
        Some(i) => root.get_mut("items")?.get_mut(i)?,
    };
    agent.get_mut("spec")?.as_object_mut()
}

/// What to change in one agent.
struct Plan {
    target: Target,
    mode_before: String,
    mode_after: String,
    /// Write the `mode` field.
    set_mode: bool,
    /// Remove `mode` (back to StatefulSet mode).
    remove_mode: bool,
    remove: Vec<(String, &'static rules::Restriction)>,
    rename: Vec<(String, String)>,
    converted_any: bool,
    has_pod_monitor_selector: bool,
    has_pod_monitor_namespace_selector: bool,
}

impl Plan {
    fn changes(&self) -> bool {
        self.set_mode || self.remove_mode || !self.remove.is_empty() || !self.rename.is_empty()
    }

    /// The agent leaves StatefulSet mode now.
    fn entering_daemonset(&self) -> bool {
        self.target == Target::DaemonSet && self.mode_before != "DaemonSet"
    }

    /// When the agent selected no PodMonitors, its ServiceMonitor selectors become its PodMonitor
    /// selectors, so that it selects the converted PodMonitors (which carry the same labels and live
    /// in the same namespaces).
    fn rename_selectors_for_conversion(&mut self) {
        let pairs = [
            (
                "serviceMonitorSelector",
                "podMonitorSelector",
                self.has_pod_monitor_selector,
            ),
            (
                "serviceMonitorNamespaceSelector",
                "podMonitorNamespaceSelector",
                self.has_pod_monitor_namespace_selector || self.has_pod_monitor_selector,
            ),
        ];
        for (from, to, taken) in pairs {
            if !taken && self.remove.iter().any(|(f, _)| f == from) {
                self.remove.retain(|(f, _)| f != from);
                self.rename.push((from.to_string(), to.to_string()));
            }
        }
    }

    fn edits(
        &self,
        text: &str,
        spec: &Node,
        expected: &mut serde_json::Map<String, Value>,
    ) -> Result<Vec<Edit>, String> {
        let mut edits = Vec::new();
        for (field, _) in &self.remove {
            let (key, value) = spec
                .entry(field)
                .ok_or_else(|| format!("`{field}` not found"))?;
            edits.push(edit::remove_entry(text, spec, key, value)?);
            expected.shift_remove(field.as_str());
        }
        for (from, to) in &self.rename {
            let (key, _) = spec
                .entry(from)
                .ok_or_else(|| format!("`{from}` not found"))?;
            edits.push(edit::rename_key(text, key, to)?);
            if let Some(v) = expected.shift_remove(from.as_str()) {
                expected.insert(to.clone(), v);
            }
        }
        if self.set_mode {
            match spec.entry("mode") {
                Some((_, value)) => edits.push(edit::set_scalar(text, value, &self.mode_after)?),
                None => edits.push(edit::insert_first(text, spec, "mode", &self.mode_after)?),
            }
            expected.insert("mode".into(), Value::String(self.mode_after.clone()));
        }
        if self.remove_mode {
            let (key, value) = spec.entry("mode").ok_or("`mode` not found")?;
            let only_entry = matches!(&spec.value, NodeValue::Map(entries) if entries.len() == 1);
            if only_entry {
                // An empty spec is not valid: write the default mode instead.
                edits.push(edit::set_scalar(text, value, "StatefulSet")?);
                expected.insert("mode".into(), Value::String("StatefulSet".into()));
            } else {
                edits.push(edit::remove_entry(text, spec, key, value)?);
                expected.shift_remove("mode");
            }
        }
        Ok(edits)
    }
}

fn plan_agent(spec: Option<&Node>, target: Target) -> Plan {
    let json = spec.map(Node::to_json).unwrap_or(Value::Null);
    let mode_before = json
        .get("mode")
        .and_then(Value::as_str)
        .filter(|m| !m.is_empty())
        .unwrap_or("StatefulSet")
        .to_string();
    let mut plan = Plan {
        target,
        mode_before: mode_before.clone(),
        mode_after: target.as_str().to_string(),
        set_mode: false,
        remove_mode: false,
        remove: Vec::new(),
        rename: Vec::new(),
        converted_any: false,
        has_pod_monitor_selector: json.get("podMonitorSelector").is_some_and(|v| !v.is_null()),
        has_pod_monitor_namespace_selector: json
            .get("podMonitorNamespaceSelector")
            .is_some_and(|v| !v.is_null()),
    };
    if spec.is_none() {
        plan.mode_after = mode_before;
        return plan;
    }
    match target {
        Target::DaemonSet => {
            plan.set_mode = mode_before != "DaemonSet";
            for r in rules::daemonset_restrictions() {
                if json.get(&r.field).is_some_and(|value| r.forbids(value)) {
                    plan.remove.push((r.field.clone(), r));
                }
            }
        }
        Target::StatefulSet => {
            plan.remove_mode = mode_before == "DaemonSet";
            if !plan.remove_mode {
                plan.mode_after = mode_before;
            }
        }
    }
    plan
}

/// Notes on fields that stay but behave differently in the new mode.
fn mode_notes(spec: &Value, target: Target, plan: &Plan) -> Vec<String> {
    let mut notes = Vec::new();
    match target {
        Target::DaemonSet => {
            for (field, text) in table::IGNORED_IN_DAEMONSET {
                if spec.get(field).is_some_and(|v| !v.is_null()) {
                    notes.push(format!(
                        "spec.{field} is kept; in DaemonSet mode it is {text}"
                    ));
                }
            }
            let volume_names: BTreeSet<&str> = spec
                .get("volumes")
                .and_then(Value::as_array)
                .map(|v| {
                    v.iter()
                        .filter_map(|v| v.get("name").and_then(Value::as_str))
                        .collect()
                })
                .unwrap_or_default();
            for mount in spec
                .get("volumeMounts")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                if let Some(name) = mount.get("name").and_then(Value::as_str)
                    && volume_names.contains(name)
                {
                    notes.push(format!(
                        "spec.volumeMounts mounts `{name}` from spec.volumes, which DaemonSet mode leaves out of the pods: the DaemonSet would be invalid; remove the mount or provide the data another way"
                    ));
                }
            }
            if spec.get("tolerations").is_none_or(Value::is_null) {
                notes.push("no spec.tolerations: nodes with taints (control plane, dedicated pools) get no agent pod, and their pods are not scraped".into());
            }
            if !plan.has_pod_monitor_selector && !plan.converted_any {
                notes.push("no spec.podMonitorSelector: in DaemonSet mode the agent would scrape nothing; add one (or use --convert-servicemonitors)".into());
            }
        }
        Target::StatefulSet => {
            if plan.remove_mode {
                notes.push("per-node scraping ends: a StatefulSet scrapes every selected pod of the cluster".into());
                notes.push("serviceMonitorSelector, probeSelector, scrapeConfigSelector (with their namespace selectors), additionalScrapeConfigs, replicas, shards and storage can be set again".into());
                notes.push("the operator does not delete the agent's DaemonSet; delete it once the StatefulSet is ready".into());
            }
        }
    }
    notes
}

/// The labels a PodMonitor needs for the agent's `podMonitorSelector` to select it (empty when
/// the agent has none or selects everything).
fn pod_monitor_selector_labels(spec: Option<&Node>) -> Vec<(String, String)> {
    let Some(spec) = spec else { return Vec::new() };
    let json = spec.to_json();
    let Some(selector) = json.get("podMonitorSelector") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(labels) = selector.get("matchLabels").and_then(Value::as_object) {
        for (k, v) in labels {
            let v = match v {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            out.push((k.clone(), v));
        }
    }
    for expr in selector
        .get("matchExpressions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let key = expr.get("key").and_then(Value::as_str).unwrap_or_default();
        let first = expr
            .get("values")
            .and_then(Value::as_array)
            .and_then(|v| v.first())
            .and_then(Value::as_str);
        match (expr.get("operator").and_then(Value::as_str), first) {
            (Some("In"), Some(value)) => out.push((key.to_string(), value.to_string())),
            (Some("Exists"), _) => out.push((key.to_string(), String::new())),
            _ => {}
        }
    }
    out
}

/// Applies a file's edits, appends its new documents, and checks the result parses to exactly the
/// intended content.
fn finish_file(work: &FileWork) -> FileResult {
    let name = work.source.name.clone();
    let original = work.source.text.clone();
    let unchanged = |error: Option<String>| FileResult {
        name: name.clone(),
        original: original.clone(),
        migrated: original.clone(),
        error,
        changed: false,
    };
    if work.error.is_some() {
        return unchanged(work.error.clone());
    }
    if work.edits.is_empty() && work.appended.is_empty() {
        return unchanged(None);
    }
    let mut text = match edit::apply(&original, &work.edits) {
        Ok(text) => text,
        Err(reason) => return unchanged(Some(format!("{reason}; left unchanged"))),
    };
    if !work.appended.is_empty() && !ends_cleanly(&original) {
        return unchanged(Some(
            "the file ends inside a block scalar (`|` or `>`) without a final line break: appending a document would add a line break to that value; end the file with one (or write `|-`) and run again".into(),
        ));
    }
    let docs: Vec<String> = work
        .appended
        .iter()
        .map(|v| crate::render::goyaml::to_string(&crate::render::goyaml::Yaml::from_json(v)))
        .collect();
    text.push_str(&edit::append_documents(&text, &docs));
    let reparsed = yaml::parse(&text, &Limits::default());
    let mut expected = work.expected.clone();
    expected.extend(work.appended.iter().cloned());
    let got: Vec<Value> = reparsed.documents.iter().map(Node::to_json).collect();
    if reparsed.error.is_some() || got != expected {
        return unchanged(Some(
            "promagent could not rewrite this file without touching other content (anchors, unusual layout?); left unchanged — edit it by hand".into(),
        ));
    }
    FileResult {
        name,
        original,
        changed: true,
        migrated: text,
        error: None,
    }
}

/// Whether a line break can follow `text` without changing what it holds: it ends with one, or
/// its last value is not a block scalar running to the end (which would take the line break into
/// its value, as kubectl reads it).
fn ends_cleanly(text: &str) -> bool {
    if text.is_empty() || text.ends_with('\n') {
        return true;
    }
    let parsed = yaml::parse(text, &Limits::default());
    let Some(mut node) = parsed.documents.last() else {
        return true;
    };
    loop {
        node = match &node.value {
            NodeValue::Map(entries) => match entries.last() {
                Some((_, v)) => v,
                None => return true,
            },
            NodeValue::Seq(items) => match items.last() {
                Some(v) => v,
                None => return true,
            },
            _ => break,
        };
    }
    // A block scalar's content runs to its last character; the reader gives it a final line
    // break the text does not have (a quoted scalar ends with its quote).
    let runs_to_end = node.span.end >= text.len() && !text.ends_with(['"', '\'']);
    !(runs_to_end && node.as_str().is_some_and(|s| s.ends_with('\n')))
}

fn verify_conversions(files: &[FileResult], conversions: &mut [ConversionReport]) {
    let mut inputs = Inputs::default();
    for f in files {
        if inputs
            .add_text(&f.name, f.migrated.clone(), &Limits::default())
            .is_err()
        {
            return;
        }
    }
    let (inventory, _) = Inventory::from_documents(&inputs.documents);
    let operator = OperatorOptions::default();
    let opts = SelectOptions {
        operator: &operator,
        missing_refs: Severity::Warning,
        inputs: Some(&inputs),
    };
    let mut selected: BTreeMap<ObjectRef, BTreeSet<ObjectRef>> = BTreeMap::new();
    for agent in &inventory.agents {
        let agent_ref = inputs.documents[agent.doc].object_ref();
        let selection = selection::select_with(agent, &inventory, opts);
        selected.insert(
            agent_ref,
            selection
                .selected
                .iter()
                .map(|s| s.object.clone())
                .collect(),
        );
    }
    for c in conversions.iter_mut() {
        for pm in &c.pod_monitors {
            for agent in &c.agents {
                let ok = selected.get(agent).is_some_and(|s| s.contains(pm));
                if !ok {
                    c.notes.push(format!(
                        "{agent} does not select {pm}: adjust its podMonitorSelector/podMonitorNamespaceSelector or the PodMonitor's labels"
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_str;

    fn run(text: &str, target: Target) -> Migration {
        let inputs = load_str("a.yaml", text);
        migrate(
            &inputs,
            &Options {
                target,
                convert_service_monitors: false,
            },
        )
    }

    const AGENT: &str = "apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: a\n  namespace: m\nspec:\n  # HA\n  replicas: 2\n  shards: 1\n  podMonitorSelector: {}\n";

    #[test]
    fn daemonset_and_back() {
        let m = run(AGENT, Target::DaemonSet);
        assert!(m.due());
        let out = &m.files[0].migrated;
        assert_eq!(
            out,
            "apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: a\n  namespace: m\nspec:\n  mode: DaemonSet\n  shards: 1\n  podMonitorSelector: {}\n"
        );
        assert_eq!(m.agents[0].removed.len(), 1);
        let again = run(out, Target::DaemonSet);
        assert!(!again.due());
        let back = run(out, Target::StatefulSet);
        assert_eq!(
            back.files[0].migrated,
            "apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: a\n  namespace: m\nspec:\n  shards: 1\n  podMonitorSelector: {}\n"
        );
    }

    #[test]
    fn existing_mode_is_rewritten_in_place() {
        let text = AGENT.replace("  # HA\n", "  mode: \"StatefulSet\" # explicit\n");
        let m = run(&text, Target::DaemonSet);
        let f = &m.files[0];
        assert!(
            f.migrated.contains("  mode: \"DaemonSet\" # explicit\n"),
            "{:?}\n{}",
            f.error,
            f.migrated
        );
    }

    #[test]
    fn no_final_line_break_is_added() {
        let secret = "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: m\nstringData:\n  password: |\n    hunter2";
        let text = format!("{AGENT}{secret}");
        let m = run(&text, Target::DaemonSet);
        let out = &m.files[0].migrated;
        assert!(m.due(), "{:?}", m.files[0].error);
        assert!(out.ends_with("  password: |\n    hunter2"), "{out:?}");
    }

    #[test]
    fn a_line_break_that_would_change_a_block_scalar_is_detected() {
        assert!(ends_cleanly("a: |\n  x\n"));
        assert!(ends_cleanly("a: x"));
        assert!(ends_cleanly("a: |-\n  x"));
        assert!(ends_cleanly("a: |\n  x\n# done"));
        assert!(ends_cleanly("a: \"x\\n\""));
        assert!(!ends_cleanly("a: |\n  x"));
        assert!(!ends_cleanly("a: >\n  x"));
        assert!(!ends_cleanly("- b: |+\n    x"));
    }

    #[test]
    fn crlf_files_get_crlf_lines() {
        let text = AGENT.replace('\n', "\r\n");
        let m = run(&text, Target::DaemonSet);
        let out = &m.files[0].migrated;
        assert!(m.due(), "{:?}", m.files[0].error);
        assert!(
            out.contains("spec:\r\n  mode: DaemonSet\r\n  shards: 1\r\n"),
            "{out:?}"
        );
        assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
    }

    #[test]
    fn a_file_with_a_syntax_error_is_left_alone() {
        let text = format!("{AGENT}---\nkind: [oops\n");
        let m = run(&text, Target::DaemonSet);
        assert!(m.failed());
        assert!(!m.due());
        assert_eq!(m.files[0].migrated, text);
    }
}
