//! Selected objects that the operator rejects: rendered as the config generator renders them by
//! default, with a warning; left out with `--drop-rejected`, as the reconcile loop does.

use assert_cmd::Command;

const INPUT: &str = "testdata/render/rejected/agent-and-probe.yaml";

fn render(extra: &[&str]) -> (String, String) {
    let out = Command::cargo_bin("promagent")
        .unwrap()
        .args(["render", "--only", "config", INPUT])
        .args(extra)
        .assert()
        .success();
    let o = out.get_output();
    (
        String::from_utf8(o.stdout.clone()).unwrap(),
        String::from_utf8(o.stderr.clone()).unwrap(),
    )
}

#[test]
fn rejected_probe_is_rendered_with_a_warning_by_default() {
    let (config, warnings) = render(&[]);
    assert!(
        config.contains("job_name: probe/monitoring/empty"),
        "{config}"
    );
    assert!(warnings.contains("monitoring/empty"), "{warnings}");
    assert!(
        warnings.contains("the operator leaves it out"),
        "{warnings}"
    );
}

#[test]
fn drop_rejected_leaves_the_probe_out() {
    let (config, warnings) = render(&["--drop-rejected"]);
    assert!(!config.contains("probe/monitoring/empty"), "{config}");
    assert!(config.contains("scrape_configs: []"), "{config}");
    assert!(warnings.contains("(left out)"), "{warnings}");
}

#[test]
fn render_reports_what_the_api_server_would_reject_against_the_given_crds() {
    let dir = tempfile::tempdir().unwrap();
    let crd = Command::cargo_bin("promagent")
        .unwrap()
        .args(["crd", "--kind", "PrometheusAgent"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let crd_path = dir.path().join("agent-crd.yaml");
    std::fs::write(&crd_path, crd).unwrap();
    let agent = dir.path().join("agent.yaml");
    std::fs::write(
        &agent,
        "apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: a\n  namespace: m\nspec:\n  replica: 2\n",
    )
    .unwrap();
    let out = Command::cargo_bin("promagent")
        .unwrap()
        .args(["render", "--only", "config", "--crds"])
        .arg(&crd_path)
        .arg(&agent)
        .assert()
        .success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("unknown field \"spec.replica\""),
        "{stderr}"
    );
    assert!(stderr.contains("agent.yaml:7:3"), "{stderr}");

    Command::cargo_bin("promagent")
        .unwrap()
        .args(["render", "--only", "config", "--crds", "no/such/crds.yaml"])
        .arg(&agent)
        .assert()
        .code(2);
}
