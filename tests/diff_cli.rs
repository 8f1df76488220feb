//! `promagent diff` and `promagent render -o` end to end: the switch summary names what DaemonSet mode
//! gives up, exit codes follow what differs, and rendering twice into a folder changes nothing.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn promagent() -> Command {
    let mut cmd = Command::cargo_bin("promagent").unwrap();
    cmd.env_remove("NO_COLOR").env("COLUMNS", "100");
    cmd
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn stdout_of(cmd: &mut Command, code: i32) -> String {
    let out = cmd.assert().code(code);
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn switching_a_statefulset_agent_names_what_it_loses() {
    let text = stdout_of(
        promagent()
            .arg("diff")
            .arg(fixture("testdata/workloads/switch")),
        1,
    );
    let summary = text.split("\n\n").next().unwrap();
    assert!(
        summary.starts_with("monitoring/fleet: StatefulSet mode -> DaemonSet mode\n"),
        "{summary}"
    );
    assert!(
        summary.contains("monitors no longer scraped (2):"),
        "{summary}"
    );
    assert!(
        summary.contains("    ServiceMonitor monitoring/checkout\n"),
        "{summary}"
    );
    assert!(
        summary.contains("    Probe monitoring/homepage\n"),
        "{summary}"
    );
    assert!(
        !summary.contains("node-exporter"),
        "PodMonitors stay: {summary}"
    );
    assert!(
        summary.contains("storage dropped: spec.storage (a PersistentVolumeClaim per pod)"),
        "{summary}"
    );
    assert!(
        summary.contains("shards dropped: spec.shards is 2"),
        "{summary}"
    );
    assert!(
        summary.contains("replicas dropped: spec.replicas is 2"),
        "{summary}"
    );
    assert!(
        summary.contains("volumes dropped silently: spec.volumes extra-ca"),
        "{summary}"
    );
    assert!(
        summary.contains("objects no longer created: Service monitoring/prometheus-agent-operated, StatefulSet monitoring/prom-agent-fleet-shard-1"),
        "{summary}"
    );
    // The unified diff pairs the shard-0 StatefulSet with the DaemonSet and shows the config change.
    assert!(
        text.contains(
            "--- a/statefulset/prom-agent-fleet.yaml\n+++ b/daemonset/prom-agent-fleet.yaml\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("-kind: StatefulSet\n+kind: DaemonSet\n"),
        "{text}"
    );
    assert!(
        text.contains("+      field: spec.nodeName=$(NODE_NAME)\n"),
        "{text}"
    );
    assert!(
        text.contains("-- job_name: serviceMonitor/monitoring/checkout/0\n"),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "no colours when stdout is not a terminal"
    );
}

#[test]
fn colours_only_when_asked() {
    let text = stdout_of(
        promagent()
            .args(["--color", "always", "diff"])
            .arg(fixture("testdata/workloads/switch")),
        1,
    );
    assert!(text.contains("\u{1b}[31m-kind: StatefulSet"), "{text}");
}

#[test]
fn against_the_same_input_is_clean_and_a_change_differs() {
    let worked = fixture("testdata/workloads/worked-example/agent.yaml");
    let same = stdout_of(
        promagent()
            .arg("diff")
            .arg(&worked)
            .arg("--against")
            .arg(&worked),
        0,
    );
    assert_eq!(same, "monitoring/agent: no changes\n");

    let dir = tempfile::tempdir().unwrap();
    let changed = dir.path().join("agent.yaml");
    let text = std::fs::read_to_string(&worked)
        .unwrap()
        .replace("scrapeInterval: 30s", "scrapeInterval: 15s");
    std::fs::write(&changed, text).unwrap();
    let diff = stdout_of(
        promagent()
            .arg("diff")
            .arg(&changed)
            .arg("--against")
            .arg(&worked),
        1,
    );
    assert!(diff.starts_with("monitoring/agent: changed\n"), "{diff}");
    assert!(
        diff.contains("-  scrape_interval: 30s\n+  scrape_interval: 15s\n"),
        "{diff}"
    );
    assert!(
        !diff.contains("statefulset/"),
        "only the config changed: {diff}"
    );
}

#[test]
fn diff_without_an_agent_cannot_run() {
    promagent()
        .arg("diff")
        .arg(fixture("testdata/examples/node-local/namespace.yaml"))
        .assert()
        .code(2);
}

#[test]
fn render_into_a_folder_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rendered");
    let render = || {
        promagent()
            .arg("render")
            .arg(fixture("testdata/workloads/switch"))
            .arg("-o")
            .arg(&out)
            .assert()
            .success()
    };
    render();
    let files = |root: &Path| -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
        let mut all: Vec<_> = walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let meta = e.metadata().unwrap();
                (
                    e.path().to_path_buf(),
                    std::fs::read(e.path()).unwrap(),
                    meta.modified().unwrap(),
                )
            })
            .collect();
        all.sort();
        all
    };
    let first = files(&out);
    let names: Vec<String> = first
        .iter()
        .map(|(p, _, _)| p.strip_prefix(&out).unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            ".promagent-render",
            "monitoring/fleet/prometheus.yaml",
            "monitoring/fleet/secret-prom-agent-fleet-tls-assets-0.yaml",
            "monitoring/fleet/secret-prom-agent-fleet-web-config.yaml",
            "monitoring/fleet/secret-prom-agent-fleet.yaml",
            "monitoring/fleet/service-prometheus-agent-operated.yaml",
            "monitoring/fleet/statefulset-prom-agent-fleet-shard-1.yaml",
            "monitoring/fleet/statefulset-prom-agent-fleet.yaml",
        ]
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second_run = render();
    let stderr = String::from_utf8(second_run.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("0 written, 7 unchanged"), "{stderr}");
    assert_eq!(files(&out), first, "same bytes, files not rewritten");
}

#[test]
fn render_prunes_only_with_prune() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rendered");
    promagent()
        .arg("render")
        .arg(fixture("testdata/workloads/switch"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let shard1 = out.join("monitoring/fleet/statefulset-prom-agent-fleet-shard-1.yaml");
    assert!(shard1.exists());
    std::fs::write(out.join("monitoring/fleet/notes.txt"), "mine").unwrap();
    let single = dir.path().join("single");
    std::fs::create_dir(&single).unwrap();
    for f in ["agent.yaml", "monitors.yaml"] {
        let text = std::fs::read_to_string(fixture("testdata/workloads/switch").join(f)).unwrap();
        std::fs::write(single.join(f), text.replace("shards: 2", "shards: 1")).unwrap();
    }
    promagent()
        .arg("render")
        .arg(&single)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert!(shard1.exists(), "kept without --prune");
    promagent()
        .arg("render")
        .arg(&single)
        .arg("-o")
        .arg(&out)
        .arg("--prune")
        .assert()
        .success();
    assert!(!shard1.exists(), "removed with --prune");
    assert!(
        out.join("monitoring/fleet/notes.txt").exists(),
        "files promagent did not write stay"
    );
}

#[test]
fn render_only_workloads_and_secrets() {
    let agent = fixture("testdata/workloads/worked-example/agent.yaml");
    let workloads = stdout_of(
        promagent()
            .arg("render")
            .arg(&agent)
            .args(["--only", "workloads"]),
        0,
    );
    assert!(workloads.contains("kind: StatefulSet") && workloads.contains("kind: Service"));
    assert!(!workloads.contains("kind: Secret"));
    let secrets = stdout_of(
        promagent()
            .arg("render")
            .arg(&agent)
            .args(["--only", "secrets"]),
        0,
    );
    assert_eq!(secrets.matches("kind: Secret").count(), 3);
    assert!(secrets.contains("prometheus.yaml.gz: <secret>"));
    let shown = stdout_of(
        promagent()
            .arg("render")
            .arg(&agent)
            .args(["--only", "secrets", "--show-secrets"]),
        0,
    );
    assert!(
        !shown.contains("<secret>") && shown.contains("prometheus.yaml.gz: H4sI"),
        "{shown}"
    );
}
