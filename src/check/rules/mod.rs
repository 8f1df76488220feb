//! The operator layer of `lint`: every reconcile-time check of Prometheus Operator v0.93.0, one
//! rule per file, each with a stable code and its documentation (`docs/rules.md` is generated
//! from it by [`rules_markdown`]).
//!
//! Codes: `PA1xx` agent-level reconcile errors, `PM2xx` checks shared by the monitor kinds
//! (endpoints, HTTP client settings, relabelings), `PR3xx` Probe, `SC4xx` ScrapeConfig,
//! `RF5xx` Secret/ConfigMap references, `SEL6xx` selection notes.
//!
//! An object can silence codes for itself with the annotation `promagent.dev/ignore: "PM201,PA101"`
//! (or `all`).

pub mod blocks;
pub mod context;
pub mod refs;
pub mod support;

use crate::check::selection::{self, SelectOptions};
use crate::diag::{Diagnostic, Severity};
use crate::load::Inputs;
use crate::model::Inventory;
use crate::render::options::OperatorOptions;
use crate::select;
use context::{AgentCx, Cx, Kind, Out, Target};
use std::collections::{BTreeSet, HashMap, HashSet};

pub use context::Finding;

/// The annotation that silences rule codes for one object.
pub const IGNORE_ANNOTATION: &str = "promagent.dev/ignore";

/// A rule's identity and documentation.
#[derive(Clone, Copy, Debug)]
pub struct RuleInfo {
    pub code: &'static str,
    /// A short kebab-case name.
    pub name: &'static str,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// Markdown with the sections What it checks / Why / Example / Fix.
    pub doc: &'static str,
    pub default_severity: Severity,
}

/// A check run on one object (agent or monitor); each rule decides which kinds it applies to.
type CheckFn = fn(&Cx<'_>, &Target<'_>, &mut Out);

macro_rules! object_rules {
    ($($module:ident),* $(,)?) => {
        $(pub mod $module;)*
        const OBJECT_RULES: &[(RuleInfo, CheckFn)] = &[$(($module::INFO, $module::check)),*];
    };
}

/// Rules that [`check`] runs itself, because they need more than one object at a time: the
/// selection notes and the generator refusals.
macro_rules! listed_rules {
    ($($module:ident),* $(,)?) => {
        $(pub mod $module;)*
        const LISTED_RULES: &[RuleInfo] = &[$($module::INFO),*];
    };
}

object_rules!(
    pa101_version,
    pa102_daemonset_gate,
    pa103_scrape_classes,
    pa104_remote_write,
    pa105_additional_args,
    pa106_scrape_timeout,
    pa107_agent_selectors,
    pa108_additional_scrape_configs,
    pa109_apiserver_config,
    pm201_relabeling,
    pm202_interval_timeout,
    pm203_scrape_class,
    pm204_auth_exclusive,
    pm205_authorization,
    pm206_oauth2,
    pm207_tls_config,
    pm208_proxy_config,
    pm209_file_access,
    pm210_selector_mechanism,
    pm211_monitor_selector,
    pr301_probe_targets,
    pr302_static_labels,
    pr303_prober_url,
    sc401_sd_version,
    sc402_static_labels,
    sc403_kubernetes_sd,
    sc404_dns_sd,
    sc405_azure_sd,
    sc406_sd_urls,
    rf501_secret_missing,
    rf502_secret_key_missing,
    rf503_configmap_missing,
    rf504_configmap_key_missing,
    rf505_tls_assets,
);

listed_rules!(
    pa110_generation,
    pa111_workload_refused,
    pa112_daemonset_volumes,
    pa113_config_refused,
    sel601_not_selected,
    sel602_daemonset_kinds,
    sel603_nothing_selected,
    sel604_namespace_unknown,
);

/// Every rule, by code.
pub fn all() -> &'static [RuleInfo] {
    static ALL: std::sync::OnceLock<Vec<RuleInfo>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<RuleInfo> = OBJECT_RULES
            .iter()
            .map(|(i, _)| *i)
            .chain(LISTED_RULES.iter().copied())
            .collect();
        v.sort_by_key(|r| r.code);
        v
    })
}

/// The rule with that code.
pub fn info(code: &str) -> Option<&'static RuleInfo> {
    all().iter().find(|r| r.code == code)
}

/// Options of the operator layer.
#[derive(Clone, Debug)]
pub struct RuleOptions {
    pub operator: OperatorOptions,
    /// Severity of a reference to a Secret/ConfigMap absent from the input (`--missing-refs`);
    /// a key missing from a Secret or ConfigMap that is present is always an error.
    pub missing_refs: Severity,
}

impl Default for RuleOptions {
    fn default() -> Self {
        RuleOptions {
            operator: OperatorOptions::default(),
            missing_refs: Severity::Warning,
        }
    }
}

/// Runs the object rules on `t` (the agent-level ones only see agents, the monitor ones only
/// monitors).
pub fn check_object(cx: &Cx<'_>, t: &Target<'_>) -> Vec<Finding> {
    let mut out = Out::default();
    for (_, check) in OBJECT_RULES {
        check(cx, t, &mut out);
    }
    out.findings
}

/// Codes an object silences with [`IGNORE_ANNOTATION`]; `None` means nothing is silenced.
fn silenced(value: &serde_json::Value) -> Option<Vec<String>> {
    let text = value
        .get("metadata")?
        .get("annotations")?
        .get(IGNORE_ANNOTATION)?
        .as_str()?;
    Some(
        text.split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

fn is_silenced(codes: &[String], code: &str) -> bool {
    codes.iter().any(|c| crate::check::codes::matches(code, c))
}

/// The code of the finding for an entry of [`IGNORE_ANNOTATION`] that names no rule.
pub const UNKNOWN_IGNORE_CODE: &str = "promagent/ignore";

/// An error for every entry of an object's [`IGNORE_ANNOTATION`] that can match no code: a typo
/// there would otherwise turn a check off without a word.
fn unknown_silenced_codes(inputs: &Inputs) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in &inputs.documents {
        let Some(codes) = silenced(&doc.value) else {
            continue;
        };
        let path = crate::fieldpath::FieldPath::root()
            .key("metadata")
            .key("annotations")
            .key(IGNORE_ANNOTATION);
        for code in codes {
            if let Err(why) = crate::check::codes::validate(&code) {
                out.push(
                    Diagnostic::error(
                        crate::diag::Layer::Operator,
                        UNKNOWN_IGNORE_CODE,
                        format!("{IGNORE_ANNOTATION}: {why}"),
                    )
                    .with_object(doc.object_ref())
                    .with_path(path.clone())
                    .with_location(doc.location(&path)),
                );
            }
        }
    }
    out
}

/// Runs every operator rule over the inventory: agent-level checks for each agent, then the
/// monitors each agent selects. A monitor no agent selects (every monitor, when the input has no
/// agent) is checked against the operator's defaults, so more context never hides a finding; next
/// to agents that do not select it, what the operator would refuse is a warning, as the operator
/// accepts it until one does.
pub fn check(inputs: &Inputs, inv: &Inventory, opts: &RuleOptions) -> Vec<Diagnostic> {
    let store = selection::store_of(inv, Some(inputs));
    let sel_opts = SelectOptions {
        operator: &opts.operator,
        missing_refs: opts.missing_refs,
        inputs: Some(inputs),
    };
    let index = select::Index::new(inv, Some(inputs), &opts.operator.namespace_labels);
    let docs = DocIndex::new(inputs);
    let mut out: Vec<(usize, Diagnostic)> = Vec::new();
    let mut selected: BTreeSet<usize> = BTreeSet::new();

    for agent in &inv.agents {
        let json = select::json_of(Some(inputs), agent);
        let acx = AgentCx::from_json(&json);
        let cx = Cx {
            agent: &acx,
            store: &store,
            missing_refs: opts.missing_refs,
            feature_gates: &opts.operator.feature_gates,
        };
        let target = Target::new(Kind::PrometheusAgent, &json);
        let object = target.meta.object_ref();
        for f in check_object(&cx, &target) {
            out.push((
                agent.doc,
                selection::diagnostic(&f, &object, agent.doc, Some(inputs)),
            ));
        }
        // The operator stops before selecting anything when the version is unusable.
        if acx.version.is_err() {
            continue;
        }
        let selection = selection::select_in(agent, inv, &cx, sel_opts, &index);
        // A missing DaemonSet gate stops the operator too, but the checks of what it would
        // generate still run: they are what the operator says once the gate is on.
        let agent_has_error = out.iter().any(|(doc, d)| {
            *doc == agent.doc
                && d.severity == Severity::Error
                && d.code != pa102_daemonset_gate::INFO.code
        });
        let daemon_set = crate::render::workloads::agent_mode(&agent.value)
            == crate::model::PrometheusAgentMode::DaemonSet;
        if !agent_has_error || daemon_set {
            let mut generated = pa110_generation::generate(agent, inv, &opts.operator, &selection);
            let mut findings = Vec::new();
            let volume_mounts = pa112_daemonset_volumes::findings(&json, &generated.objects);
            if !agent_has_error {
                findings.extend(generated.refusal);
                findings.extend(pa111_workload_refused::findings(
                    &json,
                    &generated.objects,
                    &volume_mounts,
                ));
            }
            findings.extend(volume_mounts);
            for f in findings {
                out.push((
                    agent.doc,
                    selection::diagnostic(&f, &object, agent.doc, Some(inputs)),
                ));
            }
            if !agent_has_error && let Some(config) = generated.config.take() {
                let tree = generated.config_tree.take();
                for d in pa113_config_refused::findings(agent, config, tree, inputs) {
                    let doc = docs.of(&d).unwrap_or(agent.doc);
                    out.push((doc, d));
                }
            }
        }
        for r in selection.rejected {
            out.push((r.doc, r.diagnostic));
        }
        for d in selection.notes {
            let doc = docs.of(&d).unwrap_or(agent.doc);
            out.push((doc, d));
        }
        selected.extend(selection.selected.iter().map(|s| s.doc));
    }

    // Monitors no agent selects get the same checks as when the input has no agent at all: the
    // agent-independent ones, and the others against the operator's defaults.
    let monitors = monitor_docs(inv);
    let explained: BTreeSet<usize> = out
        .iter()
        .filter(|(_, d)| d.code == sel604_namespace_unknown::INFO.code)
        .map(|(doc, _)| *doc)
        .collect();
    let acx = AgentCx::standalone();
    let cx = Cx {
        agent: &acx,
        store: &store,
        missing_refs: opts.missing_refs,
        feature_gates: &opts.operator.feature_gates,
    };
    for (doc, kind) in &monitors {
        if selected.contains(doc) {
            continue;
        }
        let Some(document) = inputs.documents.get(*doc) else {
            continue;
        };
        let target = Target::new(*kind, &document.value);
        let object = target.meta.object_ref();
        let unselected = !inv.agents.is_empty();
        for mut f in check_object(&cx, &target) {
            // The operator does not look at a monitor no agent selects, so it accepts it today:
            // what it would refuse once selected is a warning, not the run's failure.
            if unselected && f.severity == Severity::Error {
                f.severity = Severity::Warning;
                f.message.push_str(
                    " (no agent in the input selects this monitor, so the operator does not check it yet; it refuses it once an agent selects it)",
                );
            }
            out.push((*doc, selection::diagnostic(&f, &object, *doc, Some(inputs))));
        }
        if unselected && !explained.contains(doc) {
            let f = sel601_not_selected::finding();
            out.push((
                *doc,
                selection::diagnostic(&f, &document.object_ref(), *doc, Some(inputs)),
            ));
        }
    }

    if let Some(d) = assumed_namespaces_note(&index, inputs) {
        out.push(d);
    }

    let mut seen = HashSet::new();
    let mut result = unknown_silenced_codes(inputs);
    for (doc, d) in out {
        if let Some(codes) = inputs.documents.get(doc).and_then(|x| silenced(&x.value))
            && is_silenced(&codes, &d.code)
        {
            continue;
        }
        let key = (doc, d.code.clone(), d.path.to_string(), d.message.clone());
        if seen.insert(key) {
            result.push(d);
        }
    }
    result
}

/// The code of the note that names the namespaces selection assumed, once per run.
pub const ASSUMED_NAMESPACES_CODE: &str = "promagent/assumed-namespaces";

/// One note for the whole run naming each namespace a namespace selector was matched against
/// without a Namespace object in the input, and the labels assumed for it; at the first monitor of
/// the first of them.
fn assumed_namespaces_note(
    index: &select::Index<'_>,
    inputs: &Inputs,
) -> Option<(usize, Diagnostic)> {
    let assumed = index.assumed();
    let (_, doc, _) = assumed.first()?;
    let document = inputs.documents.get(*doc)?;
    let list: Vec<String> = assumed
        .iter()
        .map(|(ns, _, labels)| {
            let labels: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{ns} ({})", labels.join(","))
        })
        .collect();
    let path = crate::fieldpath::FieldPath::parse("metadata.namespace");
    let d = Diagnostic::new(
        Severity::Info,
        crate::diag::Layer::Operator,
        ASSUMED_NAMESPACES_CODE,
        format!(
            "the input has no Namespace object for {}, so namespace selectors were matched against assumed labels: {}",
            if assumed.len() == 1 { "this namespace" } else { "these namespaces" },
            list.join(", ")
        ),
    )
    .with_object(document.object_ref())
    .with_path(path.clone())
    .with_help("add the Namespace objects to the input, or give their labels with --namespace-labels NS=K=V,... or the settings file's namespace-labels")
    .with_location(document.location(&path));
    Some((*doc, d))
}

/// The document a diagnostic points into (by its object), when it can be told.
/// The document of each object, by kind, namespace and name (the first one when an object appears
/// twice), to file findings under the object they concern.
struct DocIndex(HashMap<(String, String, String), usize>);

impl DocIndex {
    fn new(inputs: &Inputs) -> Self {
        let mut map = HashMap::new();
        for (i, doc) in inputs.documents.iter().enumerate() {
            let r = doc.object_ref();
            let namespace = if r.namespace.is_empty() {
                "default".to_string()
            } else {
                r.namespace
            };
            map.entry((r.kind, namespace, r.name)).or_insert(i);
        }
        DocIndex(map)
    }

    fn of(&self, d: &Diagnostic) -> Option<usize> {
        let o = d.object.as_ref()?;
        let key = (o.kind.clone(), o.namespace.clone(), o.name.clone());
        self.0.get(&key).copied()
    }
}

fn monitor_docs(inv: &Inventory) -> Vec<(usize, Kind)> {
    let mut v: Vec<(usize, Kind)> = Vec::new();
    v.extend(inv.pod_monitors.iter().map(|o| (o.doc, Kind::PodMonitor)));
    v.extend(
        inv.service_monitors
            .iter()
            .map(|o| (o.doc, Kind::ServiceMonitor)),
    );
    v.extend(inv.probes.iter().map(|o| (o.doc, Kind::Probe)));
    v.extend(
        inv.scrape_configs
            .iter()
            .map(|o| (o.doc, Kind::ScrapeConfig)),
    );
    v.sort();
    v
}

/// `docs/rules.md`: every rule with its documentation.
pub fn rules_markdown() -> String {
    let mut s = String::new();
    s.push_str("# promagent lint: operator rules\n\n");
    s.push_str(
        "These rules reproduce the checks Prometheus Operator v0.93.0 runs when it reconciles a \
PrometheusAgent. A PodMonitor, ServiceMonitor, Probe or ScrapeConfig that fails one of them is \
dropped from the configuration with an `InvalidConfiguration` event; an agent-level failure stops \
the reconciliation. Messages quote the operator's own error text.\n\n",
    );
    s.push_str(
        "Silence a code for one object with the annotation `promagent.dev/ignore: \"PM201,RF501\"` \
(or `all`), or for a whole run with `--ignore`.\n\n",
    );
    s.push_str(
        "This file is generated from the rule sources (`src/check/rules/`); regenerate it with \
`PROMAGENT_BLESS=1 cargo test --test rules_docs`.\n\n",
    );
    s.push_str("| Code | Name | Default severity | Summary |\n|---|---|---|---|\n");
    for r in all() {
        s.push_str(&format!(
            "| [{code}](#{anchor}) | `{name}` | {sev} | {summary} |\n",
            code = r.code,
            anchor = r.code.to_lowercase(),
            name = r.name,
            sev = r.default_severity.as_str(),
            summary = r.summary
        ));
    }
    for r in all() {
        s.push_str(&format!(
            "\n## {}\n\n`{}` · default severity: {}\n\n{}\n\n",
            r.code,
            r.name,
            r.default_severity.as_str(),
            r.summary
        ));
        s.push_str(r.doc.trim());
        s.push('\n');
    }
    s.push_str(
        "\n## Codes of the other layers\n\nThe YAML reader, the CRD's OpenAPI schema and CEL \
rules, Prometheus's own configuration loader and promagent itself report these codes; \
`--select`/`--ignore` take them, or a family (`yaml`, `schema`, `cel`, `prometheus`, \
`promagent`), as well.\n",
    );
    for c in crate::check::codes::LAYER_CODES {
        let mut summary = c.summary.chars();
        let first = summary.next().map(|f| f.to_uppercase().collect::<String>());
        s.push_str(&format!(
            "\n### `{}`\n\n{}{}.\n\n{}\n",
            c.code,
            first.unwrap_or_default(),
            summary.as_str(),
            c.doc
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_documented() {
        let mut codes = HashSet::new();
        for r in all() {
            assert!(codes.insert(r.code), "duplicate code {}", r.code);
            for section in ["### What it checks", "### Why", "### Example", "### Fix"] {
                assert!(r.doc.contains(section), "{} lacks {section}", r.code);
            }
            assert!(r.doc.contains("```yaml"), "{} lacks a YAML example", r.code);
        }
    }

    #[test]
    fn silencing_annotation() {
        let v =
            serde_json::json!({"metadata": {"annotations": {IGNORE_ANNOTATION: "PM201, rf501"}}});
        let codes = silenced(&v).unwrap();
        assert!(is_silenced(&codes, "PM201"));
        assert!(is_silenced(&codes, "RF501"));
        assert!(!is_silenced(&codes, "PM202"));
        let all = serde_json::json!({"metadata": {"annotations": {IGNORE_ANNOTATION: "all"}}});
        assert!(is_silenced(&silenced(&all).unwrap(), "PA101"));
        assert!(silenced(&serde_json::json!({"metadata": {}})).is_none());
    }
}
