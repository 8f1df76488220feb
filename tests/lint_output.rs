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
    assert_eq!(parsed["version"], 1);
    assert_eq!(
        parsed["summary"],
        serde_json::json!({"errors": 4, "warnings": 0, "infos": 0, "files": 1, "objects": 5})
    );
    let keys = |d: &serde_json::Value| d.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    let diagnostics = parsed["diagnostics"].as_array().unwrap();
    for d in diagnostics {
        assert_eq!(
            keys(d),
            keys(&diagnostics[0]),
            "every finding has the same keys"
        );
    }
    // The YAML finding concerns no object: null, not "".
    let yaml = diagnostics.iter().find(|d| d["layer"] == "yaml").unwrap();
    assert!(
        yaml["kind"].is_null() && yaml["name"].is_null() && yaml["path"].is_null(),
        "{yaml}"
    );
    insta::assert_snapshot!(text);
}

/// The SARIF log with the source root's absolute URI replaced by `file:///SRCROOT/`.
fn portable(log: &serde_json::Value) -> String {
    let root = log["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"]
        .as_str()
        .expect("the source root is declared")
        .to_string();
    serde_json::to_string_pretty(log)
        .unwrap()
        .replace(&root, "file:///SRCROOT/")
}

/// Every error the official SARIF 2.1.0 schema (testdata/sarif/) finds in `log`.
fn sarif_schema_errors(log: &serde_json::Value) -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/sarif/sarif-schema-2.1.0.json"
    );
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    validator
        .iter_errors(log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn sarif() {
    let text = lint("sarif");
    let log: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let errors = sarif_schema_errors(&log);
    assert!(
        errors.is_empty(),
        "not valid SARIF 2.1.0:\n{}",
        errors.join("\n")
    );
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for rule in rules {
        for key in ["shortDescription", "fullDescription"] {
            let text = rule[key]["text"].as_str().unwrap_or("");
            assert!(
                !text.is_empty() && !text.ends_with("finding"),
                "{key} of {}: {text:?}",
                rule["id"]
            );
        }
        let anchor = format!(
            "docs/rules.md#{}",
            rule["id"].as_str().unwrap().to_lowercase().replace('/', "")
        );
        assert!(
            rule["help"]["text"].as_str().unwrap().contains(&anchor),
            "{rule}"
        );
        assert!(
            rule["help"]["markdown"].as_str().unwrap().contains(&anchor),
            "{rule}"
        );
    }
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for code in ["cel/rule", "schema/pattern", "PM201", "yaml/duplicate-key"] {
        assert!(ids.contains(&code), "no rule entry for {code} in {ids:?}");
    }
    let root = run["originalUriBaseIds"]["SRCROOT"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[index]["id"], result["ruleId"],
            "ruleIndex must point at its rule"
        );
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uri"], FIXTURE, "relative to the source root");
        assert_eq!(artifact["uriBaseId"], "SRCROOT");
    }
    // The CEL finding keeps its hint in the message.
    let cel = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "cel/rule")
        .unwrap();
    assert!(
        cel["message"]["text"]
            .as_str()
            .unwrap()
            .contains("\nhelp: rule `")
    );
    insta::assert_snapshot!(portable(&log));
}

#[test]
fn the_sarif_schema_check_catches_an_invalid_log() {
    let mut log: serde_json::Value = serde_json::from_str(&lint("sarif")).unwrap();
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    log["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = "docs/rules.md#pm201".into();
    let errors = sarif_schema_errors(&log);
    assert_eq!(errors.len(), 2, "{errors:?}");
}

#[test]
fn sarif_from_stdin_is_valid() {
    let out = lint_stdin(&["--format", "sarif"], WARNING_ONLY).code(0);
    let log: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let errors = sarif_schema_errors(&log);
    assert!(
        errors.is_empty(),
        "not valid SARIF 2.1.0:\n{}",
        errors.join("\n")
    );
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uri"], "stdin");
        assert!(artifact.get("uriBaseId").is_none());
    }
    let rf501 = &log["runs"][0]["tool"]["driver"]["rules"][0];
    assert_eq!(rf501["id"], "RF501");
    assert_eq!(rf501["name"], "secret-missing");
    assert_eq!(rf501["defaultConfiguration"]["level"], "warning");
}

/// Checks the shape GitLab's and Jenkins' JUnit readers use: `testsuites` > `testsuite` >
/// `testcase` with `classname` and `name`, counts that match, `failure` with `type` and
/// `message`. Returns (case name, failure type or `None`, system-out) per case.
fn junit_cases(xml: &str) -> Vec<(String, Option<String>, Option<String>)> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(suites.len(), 1);
    let suite = suites[0];
    assert_eq!(suite.tag_name().name(), "testsuite");
    let cases: Vec<_> = suite.children().filter(|n| n.is_element()).collect();
    let failures = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .count();
    for node in [root, suite] {
        assert_eq!(
            node.attribute("tests"),
            Some(cases.len().to_string().as_str())
        );
        assert_eq!(
            node.attribute("failures"),
            Some(failures.to_string().as_str())
        );
    }
    cases
        .iter()
        .map(|case| {
            assert_eq!(case.tag_name().name(), "testcase");
            let classname = case.attribute("classname").unwrap_or("");
            let name = case.attribute("name").unwrap_or("");
            assert!(!classname.is_empty() && !name.is_empty(), "{case:?}");
            let failure = case.children().find(|n| n.has_tag_name("failure"));
            if let Some(f) = failure {
                assert!(f.attribute("message").is_some_and(|m| !m.is_empty()));
                assert!(f.text().is_some_and(|t| !t.is_empty()));
            }
            let out = case
                .children()
                .find(|n| n.has_tag_name("system-out"))
                .and_then(|n| n.text())
                .map(str::to_string);
            (
                name.to_string(),
                failure
                    .and_then(|f| f.attribute("type"))
                    .map(str::to_string),
                out,
            )
        })
        .collect()
}

#[test]
fn junit() {
    let text = lint("junit");
    let cases = junit_cases(&text);
    let failed: Vec<&str> = cases
        .iter()
        .filter(|(_, failure, _)| failure.is_some())
        .map(|(name, _, _)| name.as_str())
        .collect();
    assert_eq!(failed.len(), 4, "one case per finding: {failed:?}");
    assert!(failed.contains(&"yaml/duplicate-key at 52:3"), "{failed:?}");
    assert!(
        failed.contains(&"PrometheusAgent monitoring/agent: cel/rule at spec"),
        "{failed:?}"
    );
    // The objects without findings pass.
    assert!(
        cases
            .iter()
            .any(|(name, failure, _)| name == "Namespace monitoring" && failure.is_none())
    );
    assert!(text.contains("file=\"testdata/lint/defects.yaml\" line=\"52\""));
    insta::assert_snapshot!(text);
}

#[test]
fn junit_reports_warnings() {
    let out = lint_stdin(&["--format", "junit"], WARNING_ONLY).code(0);
    let cases = junit_cases(&String::from_utf8_lossy(&out.get_output().stdout));
    let warnings: Vec<_> = cases
        .iter()
        .filter(|(name, _, _)| name.contains("RF501"))
        .collect();
    assert_eq!(warnings.len(), 2, "{cases:?}");
    for (_, failure, out) in &warnings {
        assert_eq!(failure, &None, "a warning below --fail-on passes");
        assert!(
            out.as_deref().unwrap_or("").contains("warning RF501"),
            "{out:?}"
        );
    }
    let out = lint_stdin(&["--format", "junit", "--fail-on", "warning"], WARNING_ONLY).code(1);
    let cases = junit_cases(&String::from_utf8_lossy(&out.get_output().stdout));
    let failed: Vec<_> = cases
        .iter()
        .filter(|(_, failure, _)| failure.as_deref() == Some("warning"))
        .collect();
    assert_eq!(failed.len(), 2, "{cases:?}");
}

#[test]
fn github() {
    let text = lint("github");
    assert!(
        text.contains("title=promagent cel/rule PrometheusAgent monitoring/agent::PrometheusAgent monitoring/agent: spec:"),
        "{text}"
    );
    insta::assert_snapshot!(text);
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

#[test]
fn a_daemonset_agent_without_the_operator_gate_follows_what_the_user_said() {
    let agent = "apiVersion: monitoring.coreos.com/v1alpha1
kind: PrometheusAgent
metadata: {name: a, namespace: m}
spec:
  mode: DaemonSet
  podMonitorSelector: {}
  remoteWrite:
  - url: http://remote/write
";
    let concise = |args: &[&str], code: i32| {
        let mut all = vec!["--format", "concise"];
        all.extend_from_slice(args);
        let out = lint_stdin(&all, agent).code(code);
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    // Not stated: the operator's default (off) is assumed, as a warning.
    let stdout = concise(&[], 0);
    assert!(
        stdout.contains("PA102 warning: PrometheusAgent m/a: spec.mode: the operator refuses"),
        "{stdout}"
    );
    // Stated off: the operator's refusal.
    let stdout = concise(&["--feature-gates", "PrometheusAgentDaemonSet=false"], 1);
    assert!(
        stdout.contains("PA102 error: PrometheusAgent m/a: spec.mode: feature gate for Prometheus Agent's DaemonSet mode is not enabled"),
        "{stdout}"
    );
    // Stated on: nothing to say.
    let stdout = concise(&["--feature-gates", "PrometheusAgentDaemonSet=true"], 0);
    assert!(!stdout.contains("PA102"), "{stdout}");
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
