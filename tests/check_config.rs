//! `promagent check-config` end to end: every good fixture loads, every bad fixture is refused
//! with the message it names, exit codes, and the human and JSON output on a bad file.

use assert_cmd::Command;
use std::path::Path;

fn promagent() -> Command {
    let mut cmd = Command::cargo_bin("promagent").unwrap();
    cmd.env("COLUMNS", "100").env_remove("NO_COLOR");
    cmd
}

fn fixtures(dir: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(Path::new("testdata/promconfig").join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    files
}

#[test]
fn good_configs_load() {
    for file in fixtures("good") {
        for agent in [false, true] {
            // The server fixture uses what agent mode refuses.
            if agent && file.ends_with("server.yml") {
                continue;
            }
            let mut cmd = promagent();
            cmd.args(["--color", "never", "check-config"]);
            if agent {
                cmd.arg("--agent");
            }
            let out = cmd.arg(&file).output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{}: {}",
                file.display(),
                String::from_utf8_lossy(&out.stdout)
            );
        }
    }
}

#[test]
fn bad_configs_are_refused_with_prometheus_text() {
    for file in fixtures("bad") {
        let text = std::fs::read_to_string(&file).unwrap();
        let expect = text
            .lines()
            .find_map(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{}: no # expect: line", file.display()));
        let mut cmd = promagent();
        cmd.args(["check-config", "--format", "json"]);
        if text.lines().any(|l| l == "# agent") {
            cmd.arg("--agent");
        }
        let out = cmd.arg(&file).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", file.display());
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let first = &json["diagnostics"][0];
        assert!(
            first["message"].as_str().unwrap().contains(expect),
            "{}: expected {expect:?}, got {first}",
            file.display()
        );
        assert_eq!(first["layer"], "prometheus");
        assert_eq!(first["code"], "prometheus/config");
    }
}

#[test]
fn agent_mode_changes_the_verdict() {
    let file = "testdata/promconfig/good/server.yml";
    promagent().args(["check-config", file]).assert().code(0);
    promagent()
        .args(["check-config", "--agent", file])
        .assert()
        .code(1);
}

#[test]
fn version_gates_rules() {
    let file = "testdata/promconfig/bad/queue.yml";
    promagent().args(["check-config", file]).assert().code(1);
    promagent()
        .args(["check-config", "--prometheus-version", "v3.11.0", file])
        .assert()
        .code(0);
    promagent()
        .args([
            "check-config",
            "--prometheus-version",
            "not-a-version",
            file,
        ])
        .assert()
        .code(2);
}

#[test]
fn unreadable_input_exits_2() {
    promagent()
        .args(["check-config", "does/not/exist.yml"])
        .assert()
        .code(2);
}

#[test]
fn stdin_is_read() {
    promagent()
        .args(["check-config", "-"])
        .write_stdin("scrape_configs:\n- job_name: ''\n")
        .assert()
        .code(1);
}

fn output(format: &str, file: &str) -> String {
    let out = promagent()
        .args(["--color", "never", "check-config", "--format", format, file])
        .assert()
        .code(1);
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn human_output() {
    insta::assert_snapshot!(output(
        "human",
        "testdata/promconfig/bad/k8s-duplicated.yml"
    ));
}

#[test]
fn json_output() {
    insta::assert_snapshot!(output("json", "testdata/promconfig/bad/unknown-field.yml"));
}
