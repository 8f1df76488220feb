//! `migrate` on whole files: byte-preserving rewrite, comments, other documents, the report,
//! idempotence, the reverse migration, and the migrated result passing `lint`.

use promagent::check::{self, LintOptions, rules::RuleOptions};
use promagent::diag::Severity;
use promagent::load::{Inputs, load_paths, load_str};
use promagent::migrate::{self, Migration, Options, Target, report};
use std::path::PathBuf;

const COMMENTED: &str = include_str!("../testdata/migrate/commented.yaml");

fn run(name: &str, text: &str, target: Target, convert: bool) -> Migration {
    let inputs = load_str(name, text);
    migrate::migrate(
        &inputs,
        &Options {
            target,
            convert_service_monitors: convert,
        },
    )
}

fn to_daemonset(text: &str) -> String {
    let m = run("commented.yaml", text, Target::DaemonSet, false);
    assert!(!m.failed(), "{}", report::human(&m));
    m.files[0].migrated.clone()
}

/// Errors and warnings (notes are fine).
fn lint_errors(inputs: &Inputs, daemonset_gate: bool) -> Vec<String> {
    let mut rules = RuleOptions::default();
    rules.operator.feature_gates.prometheus_agent_daemon_set = daemonset_gate;
    let options = LintOptions {
        registry: promagent::crd::embedded_registry(),
        rules,
        select: Vec::new(),
        ignore: Vec::new(),
    };
    check::lint(inputs, &options)
        .diagnostics
        .iter()
        .filter(|d| d.severity <= Severity::Warning)
        .map(|d| format!("{} {}: {}", d.code, d.path, d.message))
        .collect()
}

/// The documents of a multi-document text, split on `---` lines.
fn documents(text: &str) -> Vec<&str> {
    text.split("\n---\n").collect()
}

#[test]
fn commented_file_is_migrated_with_its_layout() {
    let out = to_daemonset(COMMENTED);
    insta::assert_snapshot!("commented_migrated", out);
}

#[test]
fn comments_not_on_removed_fields_are_kept_in_order() {
    let out = to_daemonset(COMMENTED);
    let removed = [
        "# HA pair.",
        "# A persistent WAL so that remote-write outages lose nothing.",
        "# emptyDir: {}   (the old setting)",
        "# ServiceMonitors of the team.",
    ];
    let mut rest = out.as_str();
    for line in COMMENTED.lines().filter(|l| l.contains('#')) {
        if removed.contains(&line.trim()) {
            assert!(
                !out.contains(line),
                "{line:?} should have gone with its field"
            );
            continue;
        }
        let at = rest
            .find(line)
            .unwrap_or_else(|| panic!("{line:?} missing or out of order"));
        rest = &rest[at + line.len()..];
    }
}

#[test]
fn other_documents_are_byte_identical() {
    let out = to_daemonset(COMMENTED);
    let before = documents(COMMENTED);
    let after = documents(&out);
    assert_eq!(before.len(), after.len());
    let agent = before
        .iter()
        .position(|d| d.contains("kind: PrometheusAgent"))
        .unwrap();
    for (i, (b, a)) in before.iter().zip(&after).enumerate() {
        if i != agent {
            assert_eq!(b, a, "document {i} changed");
        } else {
            assert_ne!(b, a);
        }
    }
}

#[test]
fn the_report_names_what_is_lost() {
    let m = run("commented.yaml", COMMENTED, Target::DaemonSet, false);
    let text = report::human(&m);
    assert!(text.contains("ServiceMonitor shop/cart"), "{text}");
    insta::assert_snapshot!("commented_report", text);
    let json: serde_json::Value = serde_json::from_str(&report::json(&m)).unwrap();
    let removed: Vec<&str> = json["agents"][0]["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        removed,
        [
            "replicas",
            "storage",
            "persistentVolumeClaimRetentionPolicy",
            "probeSelector",
            "serviceMonitorSelector",
            "additionalScrapeConfigs"
        ]
    );
    assert_eq!(json["due"], true);
}

#[test]
fn migrate_is_idempotent() {
    let once = to_daemonset(COMMENTED);
    let m = run("commented.yaml", &once, Target::DaemonSet, false);
    assert!(!m.due());
    assert_eq!(m.files[0].migrated, once);
    assert!(report::human(&m).contains("already in DaemonSet mode"));
}

#[test]
fn migrated_file_lints_clean_with_the_feature_gate() {
    let out = to_daemonset(COMMENTED);
    let errors = lint_errors(&load_str("commented.yaml", &out), true);
    assert!(errors.is_empty(), "{errors:#?}");
    // The same file without the gate is what the operator refuses.
    let errors = lint_errors(&load_str("commented.yaml", &out), false);
    assert!(
        errors.iter().any(|e| e.contains("feature gate")),
        "{errors:#?}"
    );
}

#[test]
fn reverse_migration_round_trip() {
    let daemonset = to_daemonset(COMMENTED);
    let back = run("commented.yaml", &daemonset, Target::StatefulSet, false);
    let statefulset = back.files[0].migrated.clone();
    assert!(!statefulset.contains("mode:"));
    assert!(report::human(&back).contains("per-node scraping ends"));
    // Nothing else changed on the way back, so the next migration gives the same result.
    assert_eq!(to_daemonset(&statefulset), daemonset);
    // A file with nothing to remove comes back byte for byte.
    let plain = COMMENTED
        .split("\n---\n")
        .filter(|d| !d.contains("kind: PrometheusAgent"))
        .collect::<Vec<_>>()
        .join("\n---\n")
        + "\n---\napiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: x\n  namespace: shop\nspec:\n  # what to scrape\n  podMonitorSelector: {}\n";
    let there = to_daemonset(&plain);
    let back = run("plain.yaml", &there, Target::StatefulSet, false);
    assert_eq!(back.files[0].migrated, plain);
}

#[test]
fn example_lints_clean_before_and_after_with_converted_servicemonitor() {
    let dir = PathBuf::from("testdata/examples/statefulset-to-daemonset");
    let inputs = load_paths(&[dir]).unwrap();
    let errors = lint_errors(&inputs, false);
    assert!(errors.is_empty(), "{errors:#?}");
    let m = migrate::migrate(
        &inputs,
        &Options {
            target: Target::DaemonSet,
            convert_service_monitors: true,
        },
    );
    assert!(!m.failed(), "{}", report::human(&m));
    let agent_file = m
        .files
        .iter()
        .find(|f| f.name.ends_with("agent.yaml"))
        .unwrap();
    insta::assert_snapshot!("example_migrated", agent_file.migrated);
    let text = report::human(&m);
    assert!(!text.contains("does not select"), "{text}");
    insta::assert_snapshot!("example_report", text.replace('\\', "/"));
    let mut after = Inputs::default();
    for f in &m.files {
        after
            .add_text(&f.name, f.migrated.clone(), &Default::default())
            .unwrap();
    }
    let errors = lint_errors(&after, true);
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn json_lists_and_flow_mappings_are_edited_in_their_own_style() {
    let json = "{\n  \"apiVersion\": \"monitoring.coreos.com/v1alpha1\",\n  \"kind\": \"PrometheusAgent\",\n  \"metadata\": {\"name\": \"j\"},\n  \"spec\": {\n    \"replicas\": 2,\n    \"podMonitorSelector\": {}\n  }\n}\n";
    let m = run("a.json", json, Target::DaemonSet, false);
    assert_eq!(
        m.files[0].migrated,
        "{\n  \"apiVersion\": \"monitoring.coreos.com/v1alpha1\",\n  \"kind\": \"PrometheusAgent\",\n  \"metadata\": {\"name\": \"j\"},\n  \"spec\": {\n    \"mode\": \"DaemonSet\",\n    \"podMonitorSelector\": {}\n  }\n}\n"
    );
    let list = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: monitoring.coreos.com/v1alpha1\n  kind: PrometheusAgent\n  metadata: {name: f}\n  spec: {replicas: 1, shards: 4, podMonitorSelector: {}}\n";
    let m = run("list.yaml", list, Target::DaemonSet, false);
    assert_eq!(
        m.files[0].migrated,
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: monitoring.coreos.com/v1alpha1\n  kind: PrometheusAgent\n  metadata: {name: f}\n  spec: {mode: DaemonSet, podMonitorSelector: {}}\n"
    );
}

#[test]
fn fields_set_through_a_merge_key_are_left_to_the_user() {
    let text = "apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: x\n  annotations: &base\n    replicas: \"2\"\nspec:\n  <<: *base\n  podMonitorSelector: {}\n";
    let m = run("anchor.yaml", text, Target::DaemonSet, false);
    assert!(m.failed());
    assert_eq!(m.files[0].migrated, text);
    let report = report::human(&m);
    assert!(report.contains("YAML anchor or merge key"), "{report}");
    assert!(report.contains("not migrated"), "{report}");
}

#[test]
fn a_document_is_not_appended_where_a_line_break_would_change_a_value() {
    let dir = PathBuf::from("testdata/examples/statefulset-to-daemonset");
    let mut inputs = Inputs::default();
    for name in ["agent.yaml", "namespace.yaml"] {
        let mut text = std::fs::read_to_string(dir.join(name)).unwrap();
        if name == "agent.yaml" {
            // A Secret whose value ends the file without a line break: `hunter2`, not `hunter2\n`.
            text.push_str("---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: shop\nstringData:\n  password: |\n    hunter2");
        }
        inputs.add_text(name, text, &Default::default()).unwrap();
    }
    let convert = Options {
        target: Target::DaemonSet,
        convert_service_monitors: true,
    };
    let m = migrate::migrate(&inputs, &convert);
    assert!(m.failed());
    let agent = &m.files[0];
    assert_eq!(agent.migrated, agent.original);
    let error = agent.error.as_deref().unwrap_or_default();
    assert!(error.contains("ends inside a block scalar"), "{error}");
}
