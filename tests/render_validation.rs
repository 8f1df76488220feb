//! `render` runs Kubernetes' built-in validation on every object it prints or writes: an object the
//! API server would refuse is still printed, the refusal goes to stderr and the exit code is 1.

use assert_cmd::Command;

const DAEMONSET_USER_VOLUME: &str = "testdata/render/refused/daemonset-user-volume.yaml";
const GATE: [&str; 2] = ["--feature-gates", "PrometheusAgentDaemonSet=true"];

const REFUSAL: &str = "testdata/render/refused/daemonset-user-volume.yaml: PrometheusAgent monitoring/node-agent: the API server would refuse DaemonSet monitoring/prom-agent-node-agent: DaemonSet.apps \"prom-agent-node-agent\" is invalid: spec.template.spec.containers[0].volumeMounts[2].name: Not found: \"extra\"";

fn render(args: &[&str], stdin: Option<String>) -> (i32, String, String) {
    let mut cmd = Command::cargo_bin("promagent").unwrap();
    cmd.arg("render").args(GATE).args(args);
    if let Some(text) = stdin {
        cmd.write_stdin(text);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn a_daemonset_mounting_a_user_volume_is_printed_and_refused() {
    let (code, stdout, stderr) = render(&[DAEMONSET_USER_VOLUME], None);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains(REFUSAL), "{stderr}");
    assert!(stdout.contains("kind: DaemonSet"), "{stdout}");
    assert!(stdout.contains("mountPath: /etc/extra"), "{stdout}");
}

#[test]
fn only_secrets_leaves_the_daemonset_out_of_the_check() {
    let (code, _, stderr) = render(&["--only", "secrets", DAEMONSET_USER_VOLUME], None);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("would refuse"), "{stderr}");
}

#[test]
fn an_output_directory_is_written_and_the_refusal_reported() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (code, _, stderr) = render(&[DAEMONSET_USER_VOLUME, "-o", out.to_str().unwrap()], None);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains(REFUSAL), "{stderr}");
    let written = walk(&out);
    assert!(
        written
            .iter()
            .any(|p| p.to_lowercase().contains("daemonset")),
        "{written:?}"
    );
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p.to_string_lossy().into_owned());
        }
    }
    out
}

#[test]
fn the_committed_examples_are_accepted() {
    for example in [
        "testdata/examples/node-local/",
        "testdata/examples/statefulset-to-daemonset/",
    ] {
        let (code, _, stderr) = render(&[example], None);
        assert_eq!(code, 0, "{example}: {stderr}");
        assert!(!stderr.contains("would refuse"), "{example}: {stderr}");
    }
}

#[test]
fn the_statefulset_form_of_the_same_agent_is_accepted() {
    // StatefulSet mode keeps spec.volumes, so the mount finds its volume.
    let text = std::fs::read_to_string(DAEMONSET_USER_VOLUME)
        .unwrap()
        .replace("mode: DaemonSet", "mode: StatefulSet");
    let (code, _, stderr) = render(&["-"], Some(text));
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_statefulset_whose_pods_would_be_refused() {
    let text = std::fs::read_to_string(DAEMONSET_USER_VOLUME)
        .unwrap()
        .replace("mode: DaemonSet", "mode: StatefulSet")
        .replace(
            "  - name: extra\n    mountPath",
            "  - name: missing\n    mountPath",
        );
    let (code, _, stderr) = render(&["-"], Some(text));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("the API server would accept StatefulSet monitoring/prom-agent-node-agent but refuse the pods its controller creates: Pod \"prom-agent-node-agent-0\" is invalid: spec.containers[0].volumeMounts[3].name: Not found: \"missing\""),
        "{stderr}"
    );
}

/// A DaemonSet-mode agent selecting a PodMonitor with `selectorMechanism: RoleSelector`: operator
/// v0.93.0 writes two `role: pod` selectors, which Prometheus refuses.
#[test]
fn render_exits_1_when_prometheus_would_refuse_the_generated_config() {
    let out = assert_cmd::Command::cargo_bin("promagent")
        .unwrap()
        .args([
            "render",
            "--only",
            "config",
            "--feature-gates",
            "PrometheusAgentDaemonSet=true",
            "testdata/rules/PA113/fail.yaml",
            "--agent",
            "monitoring/agent",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("Prometheus 3.13.1 would refuse the generated prometheus.yml")
            && stderr.contains("duplicated selector role: pod"),
        "{stderr}"
    );
    // It still prints what the operator writes.
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("- job_name: podMonitor/monitoring/web/0")
    );

    let out = assert_cmd::Command::cargo_bin("promagent")
        .unwrap()
        .args([
            "render",
            "--feature-gates",
            "PrometheusAgentDaemonSet=true",
            "testdata/rules/PA113/pass.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
