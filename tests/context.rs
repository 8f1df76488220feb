//! A check never gets weaker when it is given more context: a monitor keeps its findings when
//! agents that do not select it join the input (as warnings: the operator accepts such a monitor
//! until an agent selects it).

use assert_cmd::Command;

fn concise(paths: &[&str]) -> (i32, Vec<String>) {
    let out = Command::cargo_bin("promagent")
        .unwrap()
        .args([
            "--color",
            "never",
            "lint",
            "--isolated",
            "--format",
            "concise",
        ])
        .args(paths)
        .output()
        .unwrap();
    let lines = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    (out.status.code().unwrap_or(-1), lines)
}

fn codes_of(lines: &[String], file: &str) -> Vec<String> {
    lines
        .iter()
        .filter(|l| l.starts_with(file))
        .filter_map(|l| l.split(": ").nth(1))
        .map(|c| c.split(' ').next().unwrap_or("").to_string())
        .collect()
}

#[test]
fn an_unselected_monitor_keeps_its_checks_next_to_agents() {
    let monitor = "testdata/context/monitor.yaml";
    let (alone_code, alone) = concise(&[monitor]);
    assert_eq!(alone_code, 1, "{alone:?}");
    assert_eq!(codes_of(&alone, monitor), ["PM202"], "{alone:?}");

    // The operator accepts a monitor no agent selects: the defect is shown as a warning.
    let (code, with_agents) = concise(&["testdata/context/agents.yaml", monitor]);
    assert_eq!(code, 0, "{with_agents:?}");
    let codes = codes_of(&with_agents, monitor);
    assert!(codes.contains(&"PM202".to_string()), "{with_agents:?}");
    let pm202 = with_agents.iter().find(|l| l.contains("PM202")).unwrap();
    assert!(pm202.contains("PM202 warning"), "{pm202}");
    assert!(pm202.contains("once an agent selects it"), "{pm202}");
    let (code, _) = concise(&[
        "--fail-on",
        "warning",
        "testdata/context/agents.yaml",
        monitor,
    ]);
    assert_eq!(code, 1);
    assert!(codes.contains(&"SEL601".to_string()), "{with_agents:?}");
    let note = with_agents
        .iter()
        .find(|l| l.contains("SEL601"))
        .expect("SEL601 note");
    assert!(
        note.contains("checked against the operator's defaults"),
        "{note}"
    );
}
