//! `promagent lint` output in every format, on one file with a defect in each layer.

use assert_cmd::Command;

const FIXTURE: &str = "testdata/lint/defects.yaml";

fn lint(format: &str) -> String {
    let out = Command::cargo_bin("promagent")
        .unwrap()
        .env("COLUMNS", "100")
        .args(["--color", "never", "lint", "--format", format, FIXTURE])
        .assert()
        .code(1);
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn human() {
    insta::assert_snapshot!(lint("human"));
}

#[test]
fn json() {
    let text = lint("json");
    let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
    let layers: Vec<&str> = parsed["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["layer"].as_str().unwrap())
        .collect();
    for layer in ["yaml", "schema", "cel", "operator"] {
        assert!(layers.contains(&layer), "no {layer} finding in {layers:?}");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn sarif() {
    let text = lint("sarif");
    let log: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[index]["id"], result["ruleId"],
            "ruleIndex must point at its rule"
        );
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
    }
    insta::assert_snapshot!(text);
}

#[test]
fn junit() {
    insta::assert_snapshot!(lint("junit"));
}

#[test]
fn github() {
    insta::assert_snapshot!(lint("github"));
}

#[test]
fn concise() {
    let text = lint("concise");
    assert!(
        text.lines().all(|l| l.starts_with(FIXTURE)),
        "one line per finding, each with its place:\n{text}"
    );
    insta::assert_snapshot!(text);
}

/// A warning-only input: a PodMonitor no agent selects, next to an agent.
const WARNING_ONLY: &str = "apiVersion: monitoring.coreos.com/v1alpha1
kind: PrometheusAgent
metadata: {name: a, namespace: m}
spec:
  podMonitorSelector: {matchLabels: {team: a}}
  remoteWrite:
  - url: http://remote/write
    basicAuth:
      username: {name: missing, key: u}
      password: {name: missing, key: p}
";

fn lint_stdin(args: &[&str], input: &str) -> assert_cmd::assert::Assert {
    Command::cargo_bin("promagent")
        .unwrap()
        .args(["--color", "never", "lint"])
        .args(args)
        .arg("-")
        .write_stdin(input)
        .assert()
}

#[test]
fn fail_on_sets_the_severity_that_fails_the_run() {
    lint_stdin(&[], WARNING_ONLY).code(0);
    lint_stdin(&["--fail-on", "error"], WARNING_ONLY).code(0);
    lint_stdin(&["--fail-on", "warning"], WARNING_ONLY).code(1);
    lint_stdin(&["--fail-on", "note"], WARNING_ONLY).code(1);
}

#[test]
fn quiet_prints_findings_without_the_summary() {
    let loud = lint_stdin(&["--format", "concise"], WARNING_ONLY).code(0);
    assert!(String::from_utf8_lossy(&loud.get_output().stderr).contains("warning"));
    let quiet = lint_stdin(&["--format", "concise", "--quiet"], WARNING_ONLY).code(0);
    let out = quiet.get_output();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("RF501 warning"));
}

#[test]
fn an_unknown_code_in_a_flag_stops_the_run() {
    for (flag, code) in [("--select", "XX999"), ("--ignore", "PM2O1")] {
        let out = lint_stdin(&[flag, code], WARNING_ONLY).code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(stderr.contains(flag) && stderr.contains(code), "{stderr}");
    }
    let out = lint_stdin(&["--ignore", "PM2O1"], WARNING_ONLY).code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("did you mean PM201?"));
    lint_stdin(&["--ignore", "PM2,RF5,schema"], WARNING_ONLY).code(0);
}

#[test]
fn an_unknown_code_in_the_ignore_annotation_is_an_error_at_the_annotation() {
    let input = WARNING_ONLY.replace(
        "metadata: {name: a, namespace: m}",
        "metadata:\n  name: a\n  namespace: m\n  annotations:\n    promagent.dev/ignore: \"RF501, PM2O1\"",
    );
    let out = lint_stdin(&["--format", "concise"], &input).code(1);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains("<stdin>:7:5: promagent/ignore error")
            && stdout.contains("\"PM2O1\" is not a rule code"),
        "{stdout}"
    );
    assert!(!stdout.contains("RF501"), "RF501 is silenced:\n{stdout}");
}

fn lint_file(format: &str, file: &str) -> String {
    let out = Command::cargo_bin("promagent")
        .unwrap()
        .env("COLUMNS", "100")
        .args(["--color", "never", "lint", "--format", format, file])
        .assert()
        .code(1);
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// The snippets of findings inside Secrets (a value that is not base64, a repeated key, a tab)
/// mask every value and keep the keys.
#[test]
fn secret_snippets_mask_values() {
    let text = lint_file("human", "testdata/lint/secret-snippets.yaml");
    for value in ["hunter", "aHVudGVy", "admin"] {
        assert!(!text.contains(value), "{value} shown:\n{text}");
    }
    insta::assert_snapshot!(text);
}

/// Control characters in names and values are escaped in every text format; GitHub annotations
/// also escape `%`, CR and LF so a value cannot end the command.
#[test]
fn control_characters_are_escaped() {
    for format in ["human", "concise", "github"] {
        let text = lint_file(format, "testdata/lint/escapes.yaml");
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{format}:\n{text}"
        );
        if format == "github" {
            assert!(
                text.lines().all(|l| l.starts_with("::")),
                "a value started a new line:\n{text}"
            );
        }
        insta::assert_snapshot!(format!("escapes_{format}"), text);
    }
}
