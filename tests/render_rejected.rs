//! Selected objects that the operator rejects: rendered as the config generator renders them by
//! default, with a warning; left out with `--drop-rejected`, as the reconcile loop does.

use assert_cmd::Command;

const INPUT: &str = "testdata/render/rejected/agent-and-probe.yaml";

fn render(extra: &[&str]) -> (String, String) {
    let out = Command::cargo_bin("promagent")
        .unwrap()
        .args(["render", "--only", "config", INPUT])
        .args(extra)
        .assert()
        .success();
    let o = out.get_output();
    (
        String::from_utf8(o.stdout.clone()).unwrap(),
        String::from_utf8(o.stderr.clone()).unwrap(),
    )
}

#[test]
fn rejected_probe_is_rendered_with_a_warning_by_default() {
    let (config, warnings) = render(&[]);
    assert!(
        config.contains("job_name: probe/monitoring/empty"),
        "{config}"
    );
    assert!(warnings.contains("monitoring/empty"), "{warnings}");
    assert!(
        warnings.contains("the operator leaves it out"),
        "{warnings}"
    );
}

#[test]
fn drop_rejected_leaves_the_probe_out() {
    let (config, warnings) = render(&["--drop-rejected"]);
    assert!(!config.contains("probe/monitoring/empty"), "{config}");
    assert!(config.contains("scrape_configs: []"), "{config}");
    assert!(warnings.contains("(left out)"), "{warnings}");
}
