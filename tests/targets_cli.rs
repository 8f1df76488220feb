//! `promagent targets --config` end to end: discovery, selectors, own namespace, relabeling and
//! static targets in the JSON and human outputs, and the exit codes.

use assert_cmd::Command;
use predicates::prelude::*;

fn targets(args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("promagent").unwrap();
    cmd.current_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/simulate/targets"
    ))
    .env("COLUMNS", "100")
    .args(["--color", "never", "targets", "--config", "prometheus.yml"])
    .args(args);
    cmd
}

fn stdout(mut cmd: Command) -> String {
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn json_output() {
    let text = stdout(targets(&[
        "--format",
        "json",
        "--own-namespace",
        "shop",
        "objects.yaml",
    ]));
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    insta::assert_json_snapshot!(value);
}

#[test]
fn human_output() {
    let text = stdout(targets(&["--own-namespace", "shop", "objects.yaml"]));
    insta::assert_snapshot!(text);
}

#[test]
fn without_an_own_namespace_the_pod_job_watches_nothing() {
    let text = stdout(targets(&["objects.yaml"]));
    assert!(text.contains("job pods: 0 active, 0 dropped"), "{text}");
    assert!(text.contains("job static: 1 active, 0 dropped"), "{text}");
}

#[test]
fn an_object_that_cannot_be_read_is_reported_and_left_out() {
    targets(&["objects.yaml", "bad-object.yaml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad-object.yaml:8:"))
        .stderr(predicate::str::contains("spec.ports[0].port"));
}

#[test]
fn a_configuration_prometheus_refuses_exits_2() {
    let mut cmd = Command::cargo_bin("promagent").unwrap();
    cmd.current_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/simulate/targets"
    ))
    .args([
        "--color",
        "never",
        "targets",
        "--config",
        "bad-object.yaml",
        "objects.yaml",
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains(
        "Prometheus would not load this configuration",
    ));
}
