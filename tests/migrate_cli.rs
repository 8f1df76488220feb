//! `promagent migrate` on the command line: stdout, --write, --check, --diff and exit codes.

use assert_cmd::Command;
use predicates::str::contains;
use std::fs;
use std::path::Path;

fn promagent() -> Command {
    Command::cargo_bin("promagent").unwrap()
}

fn copy_fixture(dir: &Path, name: &str) -> std::path::PathBuf {
    let to = dir.join(name);
    fs::copy(Path::new("testdata/migrate").join(name), &to).unwrap();
    to
}

#[test]
fn prints_the_migrated_file_and_the_report() {
    promagent()
        .args(["migrate", "testdata/migrate/commented.yaml"])
        .assert()
        .code(0)
        .stdout(contains("  mode: DaemonSet\n"))
        .stderr(contains("removed spec.replicas"))
        .stderr(contains("ServiceMonitor shop/cart"))
        .stderr(contains("PrometheusAgentDaemonSet=true"));
}

#[test]
fn check_exits_1_when_due_and_0_after_write() {
    let dir = tempfile::tempdir().unwrap();
    let file = copy_fixture(dir.path(), "commented.yaml");
    let before = fs::read_to_string(&file).unwrap();
    promagent()
        .args(["migrate", "--check"])
        .arg(&file)
        .assert()
        .code(1);
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        before,
        "--check never writes"
    );
    promagent()
        .args(["migrate", "--write"])
        .arg(&file)
        .assert()
        .code(0)
        .stdout("");
    let after = fs::read_to_string(&file).unwrap();
    assert_ne!(after, before);
    promagent()
        .args(["migrate", "--check"])
        .arg(&file)
        .assert()
        .code(0);
    // Writing again changes nothing.
    promagent()
        .args(["migrate", "--write"])
        .arg(&file)
        .assert()
        .code(0);
    assert_eq!(fs::read_to_string(&file).unwrap(), after);
    // And back.
    promagent()
        .args(["migrate", "--write", "--to", "statefulset"])
        .arg(&file)
        .assert()
        .code(0);
    promagent()
        .args(["migrate", "--check", "--to", "statefulset"])
        .arg(&file)
        .assert()
        .code(0);
}

#[test]
fn write_leaves_an_unparsable_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = copy_fixture(dir.path(), "broken.yaml");
    let good = copy_fixture(dir.path(), "commented.yaml");
    let before = fs::read(&file).unwrap();
    let good_before = fs::read(&good).unwrap();
    promagent()
        .args(["migrate", "--write"])
        .arg(&file)
        .arg(&good)
        .assert()
        .code(2)
        .stderr(contains("cannot be parsed"));
    assert_eq!(fs::read(&file).unwrap(), before);
    assert_eq!(
        fs::read(&good).unwrap(),
        good_before,
        "nothing is written when a file fails"
    );
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no temporary file is left behind"
    );
}

#[test]
fn diff_shows_the_change() {
    promagent()
        .args(["migrate", "--diff", "testdata/migrate/commented.yaml"])
        .assert()
        .code(0)
        .stdout(contains("--- a/testdata/migrate/commented.yaml"))
        .stdout(contains("-  replicas: 2\n"))
        .stdout(contains("+  mode: DaemonSet\n"));
}

#[test]
fn json_report() {
    let out = promagent()
        .args([
            "migrate",
            "--check",
            "--format",
            "json",
            "testdata/migrate/commented.yaml",
        ])
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["due"], true);
    assert_eq!(report["agents"][0]["agent"]["name"], "shop-agent");
    assert_eq!(
        report["agents"][0]["not_scraped"][0]["kind"],
        "ServiceMonitor"
    );
}

#[test]
fn missing_file_cannot_run() {
    promagent()
        .args(["migrate", "testdata/migrate/no-such-file.yaml"])
        .assert()
        .code(2);
}

#[test]
fn converts_servicemonitors_of_the_example() {
    promagent()
        .args([
            "migrate",
            "--convert-servicemonitors",
            "testdata/examples/statefulset-to-daemonset",
        ])
        .assert()
        .code(0)
        .stdout(contains(
            "# Source: testdata/examples/statefulset-to-daemonset/agent.yaml",
        ))
        .stdout(contains("kind: PodMonitor\nmetadata:\n  name: cart\n"))
        .stderr(contains(
            "ServiceMonitor shop/cart: converted to PodMonitor shop/cart",
        ));
}

#[test]
fn nothing_to_migrate() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pm.yaml");
    fs::write(
        &file,
        "apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata:\n  name: a\nspec:\n  selector: {}\n",
    )
    .unwrap();
    promagent()
        .args(["migrate", "--check"])
        .arg(&file)
        .assert()
        .code(0)
        .stderr(contains("no PrometheusAgent in the input"));
}

const AGENT: &str = "apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: a\n  namespace: m\nspec:\n  replicas: 2\n  podMonitorSelector: {}\n";

/// The names in a directory, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn write_keeps_the_byte_order_mark_crlf_and_a_missing_final_line_break() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("agent.yaml");
    let secret = "---\r\napiVersion: v1\r\nkind: Secret\r\nmetadata:\r\n  name: s\r\n  namespace: m\r\nstringData:\r\n  password: |\r\n    hunter2";
    let text = format!("\u{feff}{}{secret}", AGENT.replace('\n', "\r\n"));
    fs::write(&file, &text).unwrap();
    let printed = promagent()
        .arg("migrate")
        .arg(&file)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    promagent()
        .args(["migrate", "--write"])
        .arg(&file)
        .assert()
        .code(0);
    let written = fs::read_to_string(&file).unwrap();
    assert_eq!(
        printed,
        written.as_bytes(),
        "stdout shows what --write writes"
    );
    assert!(written.starts_with("\u{feff}apiVersion:"), "{written:?}");
    assert!(
        written.contains("spec:\r\n  mode: DaemonSet\r\n  podMonitorSelector: {}\r\n"),
        "{written:?}"
    );
    assert!(!written.replace("\r\n", "").contains('\n'), "{written:?}");
    assert!(
        written.ends_with("  password: |\r\n    hunter2"),
        "{written:?}"
    );
}

/// An agent in one file, the ServiceMonitor it selects (with its Service) in another.
fn split_example(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let example = Path::new("testdata/examples/statefulset-to-daemonset");
    let text = fs::read_to_string(example.join("agent.yaml")).unwrap();
    let (agent, rest) = text.split_once("\n---\n").unwrap();
    let agent_file = dir.join("agent.yaml");
    let sm_file = dir.join("sm.yaml");
    fs::write(&agent_file, format!("{agent}\n")).unwrap();
    fs::write(&sm_file, rest).unwrap();
    fs::copy(example.join("namespace.yaml"), dir.join("namespace.yaml")).unwrap();
    (agent_file, sm_file)
}

#[test]
fn write_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (agent, sm) = split_example(dir.path());
    let agent_before = fs::read(&agent).unwrap();
    let sm_before = fs::read(&sm).unwrap();
    let mut readonly = fs::metadata(&sm).unwrap().permissions();
    readonly.set_readonly(true);
    fs::set_permissions(&sm, readonly).unwrap();
    promagent()
        .args(["migrate", "--write", "--convert-servicemonitors"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("sm.yaml: the file is read-only"))
        .stderr(contains("nothing was written"));
    assert_eq!(fs::read(&agent).unwrap(), agent_before);
    assert_eq!(fs::read(&sm).unwrap(), sm_before);
    assert_eq!(
        names(dir.path()),
        ["agent.yaml", "namespace.yaml", "sm.yaml"]
    );

    // A temporary file that cannot be created (its name would be too long) after the agent's
    // was staged: the agent's is removed again.
    let long = dir.path().join(format!("{}.yaml", "s".repeat(245)));
    fs::remove_file(&sm).unwrap();
    fs::write(&long, &sm_before).unwrap();
    promagent()
        .args(["migrate", "--write", "--convert-servicemonitors"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("cannot create a temporary file next to it"));
    assert_eq!(fs::read(&agent).unwrap(), agent_before);
    assert_eq!(fs::read(&long).unwrap(), sm_before);
    assert_eq!(names(dir.path()).len(), 3, "{:?}", names(dir.path()));

    // With every file writable both change.
    fs::remove_file(&long).unwrap();
    fs::write(&sm, &sm_before).unwrap();
    promagent()
        .args(["migrate", "--write", "--convert-servicemonitors"])
        .arg(dir.path())
        .assert()
        .code(0);
    assert_ne!(fs::read(&agent).unwrap(), agent_before);
    assert!(
        fs::read_to_string(&sm)
            .unwrap()
            .contains("kind: PodMonitor")
    );
    assert_eq!(
        names(dir.path()),
        ["agent.yaml", "namespace.yaml", "sm.yaml"]
    );
}

#[cfg(unix)]
#[test]
fn write_through_a_symbolic_link_keeps_the_link_and_the_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("real")).unwrap();
    let target = dir.path().join("real/agent.yaml");
    fs::write(&target, AGENT).unwrap();
    fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join("agent.yaml");
    std::os::unix::fs::symlink("real/agent.yaml", &link).unwrap();
    promagent()
        .args(["migrate", "--write"])
        .arg(&link)
        .assert()
        .code(0);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::read_to_string(&target)
            .unwrap()
            .contains("mode: DaemonSet")
    );
    assert_eq!(
        fs::metadata(&target).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert_eq!(names(&dir.path().join("real")), ["agent.yaml"]);
}

#[cfg(unix)]
#[test]
fn write_refuses_a_file_with_several_hard_links() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("agent.yaml");
    fs::write(&file, AGENT).unwrap();
    fs::hard_link(&file, dir.path().join("other.yaml")).unwrap();
    promagent()
        .args(["migrate", "--write"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(contains("agent.yaml: the file has 2 hard links"));
    assert_eq!(fs::read_to_string(&file).unwrap(), AGENT);
    assert_eq!(
        fs::read_to_string(dir.path().join("other.yaml")).unwrap(),
        AGENT
    );
    assert_eq!(names(dir.path()), ["agent.yaml", "other.yaml"]);
}
