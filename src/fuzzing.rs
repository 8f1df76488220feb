//! Entry points for the fuzz targets of `fuzz/` and for `tests/fuzz_regressions.rs`, which replays
//! every input the fuzzers ever crashed on. Each takes arbitrary bytes, runs one command's pipeline
//! on them the way the command line does (without files, stdout or the environment), and panics
//! only when promagent has a bug: a panic inside, or a broken property of `migrate`.
//!
//! Inputs made of two texts (a configuration and the objects it reads, relabel rules and a label
//! set) are split at the first NUL byte.

use crate::check::{self, LintOptions, rules::RuleOptions};
use crate::crd::{Registry, embedded_registry};
use crate::diag::SourceFile;
use crate::load::yaml::{Limits, Node, NodeValue};
use crate::load::{Inputs, load_str};
use crate::migrate::{self, Migration, Options, Target};
use crate::model::Inventory;
use crate::promconfig::{self, LoadOptions};
use crate::render::options::OperatorOptions;
use std::sync::Arc;

/// One fuzz target's entry point.
pub type Entry = fn(&[u8]);

/// The fuzz targets, by name (the directory names under `fuzz/regressions/`).
pub const TARGETS: [(&str, Entry); 8] = [
    ("load", load),
    ("lint", lint),
    ("render", render),
    ("migrate", migrate),
    ("crd_cel", crd_cel),
    ("check_config", check_config),
    ("relabel", relabel),
    ("targets", targets),
];

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// The two texts of `data`, split at the first NUL byte (the same text twice when there is none).
fn two_texts(data: &[u8]) -> Option<(&str, &str)> {
    let all = text(data)?;
    Some(all.split_once('\0').unwrap_or((all, all)))
}

/// The loader: every document, its location and its object reference.
pub fn load(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let inputs = load_str("fuzz.yaml", text);
    for d in &inputs.diagnostics {
        let _ = d.line_col();
    }
    for doc in &inputs.documents {
        let _ = doc.object_ref();
        let _ = doc.location(&crate::fieldpath::FieldPath::parse("metadata.name"));
    }
}

fn lint_with(inputs: &Inputs, registry: &Registry) {
    let options = LintOptions {
        registry,
        rules: RuleOptions::default(),
        select: Vec::new(),
        ignore: Vec::new(),
    };
    let report = check::lint(inputs, &options);
    let _ = crate::emit::human::render(&report.diagnostics, false);
    let summary = crate::emit::Summary::of(
        &report.diagnostics,
        inputs.files.len(),
        inputs.documents.len(),
    );
    let _ = crate::emit::json::render(&report.diagnostics, &summary);
}

/// `promagent lint` against the embedded CRDs, with the human and JSON outputs.
pub fn lint(data: &[u8]) {
    let Some(text) = text(data) else { return };
    lint_with(&load_str("fuzz.yaml", text), embedded_registry());
}

/// `promagent lint --crds`: the CustomResourceDefinitions of the text (their schemas and CEL rules
/// compiled), and the text's objects validated and evaluated against them.
pub fn crd_cel(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let inputs = load_str("fuzz.yaml", text);
    if let Ok(registry) = Registry::from_inputs(&inputs, "fuzz.yaml") {
        lint_with(&inputs, &registry);
    }
}

/// `promagent render`: every agent's `prometheus.yml` (checked as Prometheus loads it) and its
/// workloads in both modes (checked as the API server would).
pub fn render(data: &[u8]) {
    use crate::model::PrometheusAgentMode;
    use crate::render::workloads::render_agent;
    let Some(text) = text(data) else { return };
    let inputs = load_str("fuzz.yaml", text);
    let _ = check::admission(&inputs, embedded_registry());
    let (inventory, _) = Inventory::from_documents(&inputs.documents);
    let options = OperatorOptions::default();
    for agent in &inventory.agents {
        if let Ok(rendered) = crate::render::config::render_config(agent, &inventory, &options) {
            let load = LoadOptions::for_agent(agent.value.spec.version.as_deref());
            let file = Arc::new(SourceFile::new("prometheus.yml", rendered.text));
            let _ = promconfig::check_text(&file, &load);
        }
        for mode in [
            PrometheusAgentMode::StatefulSet,
            PrometheusAgentMode::DaemonSet,
        ] {
            if let Ok(r) = render_agent(agent, &inventory, &options, mode) {
                for object in &r.objects {
                    let _ = crate::render::validate::validate(object);
                }
            }
        }
    }
}

/// `promagent check-config`, in server and agent mode.
pub fn check_config(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let file = Arc::new(SourceFile::new("prometheus.yml", text.to_string()));
    for agent in [false, true] {
        let options = LoadOptions {
            agent,
            ..LoadOptions::default()
        };
        let _ = promconfig::check_text(&file, &options);
    }
}

/// `promagent relabel RULES --labels FILE --explain`: the rules before the NUL byte, the label
/// set after it.
pub fn relabel(data: &[u8]) {
    use crate::promconfig::relabel::NameValidation;
    let Some((rules, labels)) = two_texts(data) else {
        return;
    };
    let rules_file = Arc::new(SourceFile::new("rules.yaml", rules.to_string()));
    let labels_file = SourceFile::new("labels.yaml", labels.to_string());
    let labels = crate::cli::relabel::labels_from_file(&labels_file).unwrap_or_default();
    for scheme in [NameValidation::Utf8, NameValidation::Legacy] {
        let Ok(Ok(rules)) = crate::cli::relabel::load_rules(&rules_file, scheme) else {
            continue;
        };
        let (result, steps) = crate::simulate::relabel::explain(&labels, &rules, scheme);
        let _ = crate::cli::relabel::human_explain(
            &labels,
            result.as_ref(),
            &steps,
            &rules,
            &rules_file,
        );
        let _ =
            crate::cli::relabel::json_output(result.as_ref(), Some((&steps, &rules, &rules_file)));
    }
}

/// `promagent targets --config`: the configuration before the NUL byte, the cluster objects after it.
pub fn targets(data: &[u8]) {
    use crate::simulate::kubernetes::Cluster;
    let Some((config, objects)) = two_texts(data) else {
        return;
    };
    let Ok(loaded) = promconfig::load(config, &LoadOptions::default()) else {
        return;
    };
    let inputs = load_str("cluster.yaml", objects);
    let (cluster, _) = Cluster::from_documents(&inputs.documents);
    for own in [None, Some("default")] {
        if let Ok(jobs) = crate::simulate::pools::config_targets(&loaded, &cluster, own) {
            let _ = crate::cli::targets::targets_json(&jobs);
            let _ = crate::cli::targets::targets_human(&jobs);
        }
    }
}

fn run_migrate(text: &str, target: Target, convert: bool) -> Migration {
    migrate::migrate(
        &load_str("fuzz.yaml", text),
        &Options {
            target,
            convert_service_monitors: convert,
        },
    )
}

/// `promagent migrate`, both ways, with and without `--convert-servicemonitors`, and its
/// properties: a migrated file migrates to itself; lines outside the agents' specs are unchanged
/// (documents may be appended); a CRLF file stays CRLF; no line break is added at the end.
pub fn migrate(data: &[u8]) {
    let Some(text) = text(data) else { return };
    for (target, convert) in [
        (Target::DaemonSet, false),
        (Target::DaemonSet, true),
        (Target::StatefulSet, false),
    ] {
        let m = run_migrate(text, target, convert);
        let _ = migrate::report::human(&m);
        let _ = migrate::report::json(&m);
        let Some(f) = m.files.first() else { continue };
        if !f.changed() {
            assert_eq!(f.migrated, f.original, "an unchanged file is the original");
            continue;
        }
        check_migrated(&f.original, &f.migrated);
        let again = run_migrate(&f.migrated, target, convert);
        let g = &again.files[0];
        assert!(
            !again.failed() && !g.changed(),
            "migrating twice changes more than once: {:?}\n{:?}",
            g.error,
            g.migrated
        );
    }
}

/// The properties of one migrated text.
pub fn check_migrated(original: &str, migrated: &str) {
    let editable = agent_spec_lines(original);
    let inside = |line: usize| editable.iter().any(|r| r.contains(&line));
    // A missing final line break is checked on its own below; the line diff compares lines.
    let eol = migrate::edit::line_ending(original);
    let complete = |t: &str| {
        if t.is_empty() || t.ends_with('\n') {
            t.to_string()
        } else {
            format!("{t}{eol}")
        }
    };
    let (old_text, new_text) = (complete(original), complete(migrated));
    let diff = similar::TextDiff::from_lines(&old_text, &new_text);
    let total = old_text.split_inclusive('\n').count();
    for op in diff.ops() {
        let old = op.old_range();
        let ok = match op.tag() {
            similar::DiffTag::Equal => true,
            // Documents appended at the end.
            similar::DiffTag::Insert if old.start == total => true,
            // Lines inserted between two lines, one of them in a spec.
            similar::DiffTag::Insert => inside(old.start.saturating_sub(1)) || inside(old.start),
            _ => old.clone().all(inside),
        };
        assert!(
            ok,
            "a change outside the agents' specs: {op:?}\n--- original\n{original}\n--- migrated\n{migrated}"
        );
    }
    let crlf = original.contains("\r\n") && !original.replace("\r\n", "").contains('\n');
    if crlf {
        assert!(
            !migrated.replace("\r\n", "").contains('\n'),
            "a CRLF file got a bare line feed: {migrated:?}"
        );
    }
    if !original.is_empty() && !original.ends_with('\n') {
        let last = &original[original.rfind('\n').map_or(0, |i| i + 1)..];
        let documents = |t: &str| {
            crate::load::yaml::parse(t, &Limits::default())
                .documents
                .len()
        };
        if documents(migrated) == documents(original) && !inside(total - 1) {
            assert!(
                migrated.ends_with(last),
                "the last line changed (a line break added?): {migrated:?}"
            );
        }
    }
}

/// The 0-based line ranges, from the `spec` key to the end of the spec, of every agent of `text`.
fn agent_spec_lines(text: &str) -> Vec<std::ops::Range<usize>> {
    let parsed = crate::load::yaml::parse(text, &Limits::default());
    let file = SourceFile::new("fuzz.yaml", text.to_string());
    let mut out = Vec::new();
    let mut add = |agent: &Node| {
        let is_agent = agent.get("kind").and_then(Node::as_str) == Some("PrometheusAgent");
        if let (true, Some((key, spec))) = (is_agent, agent.entry("spec")) {
            let (first, _) = file.line_col(key.span.start.min(spec.span.start));
            let (last, _) = file.line_col(spec.span.end.max(key.span.end));
            // Comment lines directly above the spec's first entry go with it.
            out.push(first - 1..last);
        }
    };
    for root in &parsed.documents {
        add(root);
        if let Some(NodeValue::Seq(items)) = root.get("items").map(|n| &n.value) {
            items.iter().for_each(&mut add);
        }
    }
    out
}
