//! The project settings file `.promagent.yaml`: how a run finds it, what each key does in every
//! subcommand, that flags override it, and that a typo in it is an error at file:line:col.

use assert_cmd::Command;
use std::path::Path;

const AGENT: &str = include_str!("../testdata/examples/node-local/agent.yaml");
const POD_MONITOR: &str = include_str!("../testdata/examples/node-local/podmonitor.yaml");
const NAMESPACES: &str = include_str!("../testdata/examples/node-local/namespace.yaml");

fn promagent(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("promagent").unwrap();
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100");
    cmd
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = promagent(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// A repository with the node-local example under deploy/ and a settings file at its root.
fn repo(settings: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("deploy/agent.yaml", AGENT),
            ("deploy/podmonitor.yaml", POD_MONITOR),
            ("deploy/namespace.yaml", NAMESPACES),
            (".promagent.yaml", settings),
        ],
    );
    dir
}

const GATE_ON: &str = "operator:\n  feature-gates: {PrometheusAgentDaemonSet: true}\n";

#[test]
fn the_readme_command_prints_no_warning() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, stdout, stderr) = run(
        root,
        &[
            "render",
            "--only",
            "config",
            "testdata/examples/node-local/",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "", "the README's first command warns");
    assert!(
        stdout.contains("job_name: podMonitor/shop/checkout/0"),
        "{stdout}"
    );
}

#[test]
fn the_settings_are_found_from_the_inputs_upward() {
    let dir = repo(GATE_ON);
    let (code, stdout, _) = run(dir.path(), &["lint", "--format", "concise", "deploy/"]);
    assert_eq!(code, 0);
    assert!(!stdout.contains("PA102"), "{stdout}");
    // From another working directory, through the inputs' own directory.
    let elsewhere = tempfile::tempdir().unwrap();
    let deploy = dir.path().join("deploy");
    let (_, stdout, _) = run(
        elsewhere.path(),
        &["lint", "--format", "concise", deploy.to_str().unwrap()],
    );
    assert!(!stdout.contains("PA102"), "{stdout}");
    // A named file finds it through its directory; stdin alone through the working directory.
    let (_, stdout, _) = run(
        dir.path(),
        &["lint", "--format", "concise", "deploy/agent.yaml"],
    );
    assert!(!stdout.contains("PA102"), "{stdout}");
    let out = promagent(&deploy)
        .args(["lint", "--format", "concise", "-"])
        .write_stdin(AGENT)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("PA102"));
    // Without it (or with --isolated) the gate is off, as the operator's default.
    let (_, stdout, _) = run(
        dir.path(),
        &["lint", "--format", "concise", "--isolated", "deploy/"],
    );
    assert!(stdout.contains("PA102"), "{stdout}");
}

#[test]
fn settings_named_with_a_flag() {
    let dir = repo("# nothing\n");
    write(dir.path(), &[("ci/promagent.yaml", GATE_ON)]);
    let (_, stdout, _) = run(dir.path(), &["lint", "--format", "concise", "deploy/"]);
    assert!(stdout.contains("PA102"), "{stdout}");
    let (_, stdout, _) = run(
        dir.path(),
        &[
            "lint",
            "--format",
            "concise",
            "--settings",
            "ci/promagent.yaml",
            "deploy/",
        ],
    );
    assert!(!stdout.contains("PA102"), "{stdout}");
    let (code, _, stderr) = run(dir.path(), &["lint", "--settings", "nope.yaml", "deploy/"]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("promagent: nope.yaml: "), "{stderr}");
}

#[test]
fn flags_override_the_file() {
    let dir = repo(
        "operator:\n  feature-gates: {PrometheusAgentDaemonSet: true}\nlint:\n  fail-on: warning\n  ignore: [SEL603]\n",
    );
    // fail-on warning: the missing remote-write Secret (a warning) fails the run.
    let (code, stdout, _) = run(dir.path(), &["lint", "--format", "concise", "deploy/"]);
    assert_eq!(code, 1, "{stdout}");
    let (code, _, _) = run(dir.path(), &["lint", "--fail-on", "error", "deploy/"]);
    assert_eq!(code, 0);
    // A gate on the command line wins over the file's.
    let (_, stdout, _) = run(
        dir.path(),
        &[
            "lint",
            "--format",
            "concise",
            "--feature-gates",
            "PrometheusAgentDaemonSet=false",
            "deploy/",
        ],
    );
    assert!(stdout.contains("PA102"), "{stdout}");
}

#[test]
fn lint_policy_from_the_file() {
    let dir = repo(
        "lint:\n  missing-refs: error\n  severity: {PA1: note}\n  per-path-ignores:\n    \"deploy/agent*.yaml\": [RF5]\n",
    );
    // The missing Secret would be an error, but not in deploy/agent*.yaml; PA102 is a note.
    let (code, stdout, _) = run(dir.path(), &["lint", "--format", "concise", "deploy/"]);
    assert_eq!(code, 0, "{stdout}");
    insta::assert_snapshot!(stdout);
    // --severity on the command line wins over the file's.
    let (code, stdout, _) = run(
        dir.path(),
        &[
            "lint",
            "--format",
            "concise",
            "--severity",
            "PA102=error",
            "deploy/",
        ],
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("PA102 error"), "{stdout}");
    // Elsewhere the missing Secret is the error missing-refs makes it.
    write(dir.path(), &[("agent.yaml", AGENT)]);
    let (code, stdout, _) = run(dir.path(), &["lint", "--format", "concise", "agent.yaml"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("RF501 error"), "{stdout}");
}

#[test]
fn a_typo_in_the_file_is_an_error_at_its_place() {
    let dir = repo(
        "operator:\n  feature-gates: {PrometheusAgentDaemonSet: true}\nlint:\n  ignroe: [PA102]\n",
    );
    for sub in ["lint", "render", "diff", "targets", "migrate"] {
        let (code, stdout, stderr) = run(dir.path(), &[sub, "deploy/agent.yaml"]);
        assert_eq!(code, 2, "{sub}: {stdout}{stderr}");
        assert_eq!(stdout, "", "{sub}");
        assert!(
            stderr.starts_with(
                "promagent: .promagent.yaml:4:3: unknown key \"ignroe\" in lint (did you mean \"ignore\"?)"
            ),
            "{sub}: {stderr}"
        );
    }
    let dir = repo("lint:\n  select: [PA1O2]\n");
    let (code, _, stderr) = run(dir.path(), &["lint", "deploy/"]);
    assert_eq!(code, 2);
    insta::assert_snapshot!("unknown_code", stderr);
}

#[test]
fn every_manifest_command_honours_the_file() {
    let dir = repo(&format!(
        "{GATE_ON}  config-reloader-image: registry.example/reloader:v1\nexclude: [legacy/]\n"
    ));
    write(
        dir.path(),
        &[("deploy/legacy/broken.yaml", "apiVersion: v1\nkind: [\n")],
    );
    // render: the gate is on, the reloader image is the file's, legacy/ is not read.
    let (code, stdout, stderr) = run(dir.path(), &["render", "--only", "workloads", "deploy/"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        !stderr.contains("legacy") && !stderr.contains("gate"),
        "{stderr}"
    );
    assert!(
        stdout.contains("image: registry.example/reloader:v1"),
        "{stdout}"
    );
    // diff: legacy/ is not read either.
    let (code, _, stderr) = run(dir.path(), &["diff", "deploy/"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stderr.contains("legacy"), "{stderr}");
    // lint: legacy/broken.yaml is excluded, but read when named.
    let (code, _, _) = run(dir.path(), &["lint", "deploy/"]);
    assert_eq!(code, 0);
    let (code, _, _) = run(dir.path(), &["lint", "deploy/legacy/broken.yaml"]);
    assert_eq!(code, 1);
    // migrate walks with the same excludes.
    let (code, _, stderr) = run(dir.path(), &["migrate", "--check", "deploy/"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn the_default_namespace_and_namespace_labels() {
    let dir = tempfile::tempdir().unwrap();
    let agent = AGENT.replace("  namespace: monitoring\n", "");
    let monitor = POD_MONITOR.replace("  namespace: shop\n", "");
    write(
        dir.path(),
        &[
            ("a/agent.yaml", &agent),
            ("b/podmonitor.yaml", &monitor),
            ("b/shop.yaml", POD_MONITOR),
            (".promagent.yaml", "namespace: monitoring\n"),
        ],
    );
    // Both land in the settings' namespace: one monitor is in the agent's namespace, which the
    // input has no Namespace object for, the other in shop; one note names both.
    let (_, stdout, _) = run(dir.path(), &["lint", "--format", "concise", "a/", "b/"]);
    insta::assert_snapshot!("assumed_once", stdout);
    // Its labels given, the agent's namespace selector matches it.
    for args in [
        vec!["--namespace-labels", "monitoring=monitoring=node-local"],
        vec![
            "--namespace-labels",
            "shop=a=b",
            "--namespace-labels",
            "monitoring=monitoring=node-local",
        ],
    ] {
        let mut all = vec!["lint", "--format", "concise"];
        all.extend(args);
        all.extend(["a/", "b/"]);
        let (_, stdout, _) = run(dir.path(), &all);
        assert!(
            !stdout.contains("SEL604 note: PodMonitor monitoring/"),
            "{stdout}"
        );
        assert!(
            stdout.contains("assumed labels: monitoring (kubernetes.io/metadata.name=monitoring,monitoring=node-local)"),
            "{stdout}"
        );
    }
    write(
        dir.path(),
        &[(
            ".promagent.yaml",
            "namespace: monitoring\nnamespace-labels:\n  monitoring: {monitoring: node-local}\n",
        )],
    );
    let (_, stdout, _) = run(dir.path(), &["lint", "--format", "concise", "a/", "b/"]);
    assert!(
        !stdout.contains("SEL604 note: PodMonitor monitoring/"),
        "{stdout}"
    );
    assert!(stdout.contains("monitoring=node-local"), "{stdout}");
    let (code, _, stderr) = run(
        dir.path(),
        &["lint", "--namespace-labels", "monitoring", "a/"],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--namespace-labels: \"monitoring\" is not NAMESPACE=KEY=VALUE"),
        "{stderr}"
    );
    // The -n flag wins over the file's namespace.
    let (_, stdout, _) = run(
        dir.path(),
        &["lint", "--format", "concise", "-n", "other", "a/", "b/"],
    );
    assert!(stdout.contains("assumed labels: other ("), "{stdout}");
}

#[test]
fn inputs_under_two_settings_files_cannot_run() {
    let dir = repo(GATE_ON);
    write(
        dir.path(),
        &[
            ("other/.promagent.yaml", "{}\n"),
            ("other/a.yaml", POD_MONITOR),
        ],
    );
    let (code, _, stderr) = run(dir.path(), &["lint", "deploy/", "other/a.yaml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("lie under different settings files") && stderr.contains("--settings FILE"),
        "{stderr}"
    );
}
