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
