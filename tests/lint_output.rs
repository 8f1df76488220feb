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
