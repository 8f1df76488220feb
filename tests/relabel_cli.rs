//! `promagent relabel` end to end: the result and `--explain` in both formats, the two ways of
//! writing rules, the ways of giving labels, and the exit codes.

use assert_cmd::Command;
use predicates::prelude::*;

fn relabel(args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("promagent").unwrap();
    cmd.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/relabel"))
        .env("COLUMNS", "100")
        .args(["--color", "never", "relabel"])
        .args(args);
    cmd
}

fn stdout(args: &[&str], code: i32) -> String {
    let out = relabel(args).assert().code(code);
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn human_result() {
    insta::assert_snapshot!(stdout(&["--labels", "pod.json", "pod-rules.yaml"], 0));
}

#[test]
fn json_result() {
    insta::assert_snapshot!(stdout(
        &["--labels", "pod.json", "--format", "json", "pod-rules.yaml"],
        0
    ));
}

#[test]
fn human_explain() {
    insta::assert_snapshot!(stdout(
        &["--labels", "pod.json", "--explain", "pod-rules.yaml"],
        0
    ));
}

#[test]
fn json_explain_of_a_drop() {
    insta::assert_snapshot!(stdout(
        &[
            "--labels",
            "pod.json",
            "--format",
            "json",
            "--explain",
            "drop-completed.yaml"
        ],
        0
    ));
}

#[test]
fn human_drop_names_the_rule() {
    assert_eq!(
        stdout(&["--labels", "pod.json", "drop-completed.yaml"], 0),
        "dropped by rule 1 (drop) at drop-completed.yaml:3:3\n"
    );
}

#[test]
fn json_drop_is_the_contract() {
    let text = stdout(
        &[
            "--labels",
            "pod.json",
            "--format",
            "json",
            "drop-completed.yaml",
        ],
        0,
    );
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value, serde_json::json!({"dropped": true}));
}

#[test]
fn monitor_relabelings_give_what_prometheus_form_gives() {
    let prometheus = stdout(
        &["--labels", "pod.json", "--format", "json", "pod-rules.yaml"],
        0,
    );
    let crd = stdout(
        &[
            "--labels",
            "pod.json",
            "--format",
            "json",
            "podmonitor-relabelings.yaml",
        ],
        0,
    );
    assert_eq!(prometheus, crd);
}

#[test]
fn an_empty_crd_regex_is_left_out_as_the_operator_does() {
    // In Prometheus's form `regex: ""` matches only the empty string; the operator leaves an empty
    // regex out, so the rule copies the pod name.
    let text = stdout(
        &[
            "--labels",
            "__meta_kubernetes_pod_name=web-0",
            "--format",
            "json",
            "crd-empty-fields.yaml",
        ],
        0,
    );
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["labels"]["pod"], "web-0");
}

#[test]
fn invalid_rules_exit_1_with_prometheus_text() {
    insta::assert_snapshot!(stdout(&["invalid.yaml"], 1));
    let text = stdout(&["--format", "json", "invalid.yaml"], 1);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let finding = &value["diagnostics"][0];
    assert_eq!(
        finding["message"],
        "relabel configuration for hashmod requires non-zero modulus"
    );
    assert_eq!(finding["file"], "invalid.yaml");
    assert_eq!(finding["line"], 1);
    assert_eq!(finding["layer"], "prometheus");
}

#[test]
fn the_name_validation_scheme_changes_what_is_valid() {
    let rules = "- {target_label: 'my.label', replacement: x}\n";
    relabel(&["--format", "json", "-"])
        .write_stdin(rules)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("\"my.label\": \"x\""));
    relabel(&["--name-validation", "legacy", "-"])
        .write_stdin(rules)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "\"my.label\" is invalid 'target_label' for replace action",
        ));
}

#[test]
fn labels_as_pairs_with_empty_values_absent() {
    let text = stdout(
        &[
            "--labels",
            "a=1,b=,c=x=y",
            "--format",
            "json",
            "drop-completed.yaml",
        ],
        0,
    );
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        value,
        serde_json::json!({"labels": {"a": "1", "c": "x=y", "never": "reached"}})
    );
}

#[test]
fn yaml_syntax_errors_in_rules_are_findings() {
    relabel(&["-"])
        .write_stdin("- source_labels: [a\n")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("<stdin>:"));
}

#[test]
fn could_not_run_exits_2() {
    relabel(&["no-such-rules.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-rules.yaml"));
    relabel(&["--labels", "no-such-labels.json", "pod-rules.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-labels.json"));
    relabel(&["--labels", "-", "-"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("both read stdin"));
    relabel(&["--labels", "pod-rules.yaml", "pod-rules.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "pod-rules.yaml:2:1: expected a mapping of label names to values",
        ));
    relabel(&["-"])
        .write_stdin("kind: Pod\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "<stdin>:1:1: expected a list of relabel rules",
        ));
}

#[test]
fn a_labels_value_must_be_a_string() {
    relabel(&["--labels", "-", "pod-rules.yaml"])
        .write_stdin("port: 8080\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "<stdin>:1:7: the value of \"port\" must be a string; quote it",
        ));
}
