//! `promagent lint` on agents whose generated workloads the API server would refuse: PA111 at the
//! agent field each error comes from, PA112 for the DaemonSet-mode volume bug.

use assert_cmd::Command;

const FIXTURE: &str = "testdata/lint/workload-refused.yaml";

fn lint(format: &str) -> String {
    let out = Command::cargo_bin("promagent")
        .unwrap()
        .env("COLUMNS", "120")
        .args([
            "--color",
            "never",
            "lint",
            "--feature-gates",
            "PrometheusAgentDaemonSet=true",
            "--select",
            "PA111,PA112",
            "--format",
            format,
            FIXTURE,
        ])
        .assert()
        .code(1);
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn human() {
    insta::assert_snapshot!(lint("human"));
}

#[test]
fn every_refusal_points_at_an_agent_field() {
    let parsed: serde_json::Value = serde_json::from_str(&lint("json")).unwrap();
    let found: Vec<(String, String)> = parsed["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expect = |code: &str, path: &str| (code.to_string(), path.to_string());
    assert_eq!(
        found,
        [
            expect("PA112", "spec.volumeMounts[0]"),
            expect("PA112", "spec.containers[0].volumeMounts[0]"),
            expect("PA111", "spec.containers[0].livenessProbe.tcpSocket"),
            expect("PA111", "spec.podMetadata.labels"),
            expect("PA111", "spec.resources.requests"),
            expect("PA111", "spec.initContainers[0].restartPolicy"),
            expect("PA111", "spec.containers[0].ports[0].name"),
        ]
    );
}
