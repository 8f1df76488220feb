//! Objects without `metadata.namespace`, as Kustomize and Flux repositories hold them: placed in
//! `default` (or `--namespace`) as kubectl does, never in the empty namespace.

use assert_cmd::Command;

const BASE: &str = "testdata/namespaceless/kustomize-base.yaml";

fn promagent(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("promagent")
        .unwrap()
        .args(["--color", "never"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn render_never_uses_the_empty_namespace() {
    let (code, config, stderr) = promagent(&["render", "--only", "config", BASE]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        config.contains("- job_name: podMonitor/default/x/0"),
        "{config}"
    );
    assert!(!config.contains("podMonitor//"), "{config}");
    assert!(!config.contains("- \"\""), "{config}");
    insta::assert_snapshot!(config);
}

#[test]
fn namespace_flag_places_objects_as_kubectl_apply_n_does() {
    let (code, config, stderr) =
        promagent(&["render", "--only", "config", "-n", "monitoring", BASE]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        config.contains("- job_name: podMonitor/monitoring/x/0"),
        "{config}"
    );
    assert!(config.contains("      - monitoring\n"), "{config}");
}

#[test]
fn lint_notes_once_which_objects_went_to_default() {
    let (code, out, _) = promagent(&["lint", "--format", "concise", BASE]);
    assert_eq!(code, 0);
    let notes: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("promagent/namespace"))
        .collect();
    assert_eq!(notes.len(), 1, "{out}");
    assert!(notes[0].contains("nor 1 other object"), "{out}");
    let (_, out, _) = promagent(&[
        "lint",
        "--format",
        "concise",
        "--namespace",
        "monitoring",
        BASE,
    ]);
    assert!(!out.contains("promagent/namespace"), "{out}");
}

#[test]
fn a_bad_namespace_flag_is_refused() {
    let (code, _, stderr) = promagent(&["lint", "-n", "Not_A_Name", BASE]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--namespace"), "{stderr}");
}

#[test]
fn diff_against_takes_one_path_and_leaves_the_rest_to_the_new_side() {
    // With `--against OLD NEW`, NEW is the new side: the same input on both sides differs in nothing.
    let (code, out, stderr) = promagent(&["diff", "--against", BASE, BASE]);
    assert_eq!(code, 0, "{out}{stderr}");
}

#[test]
fn an_object_defined_twice_is_an_error_at_the_second_naming_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(BASE).unwrap();
    let copy = dir.path().join("copy.yaml");
    std::fs::write(&copy, &text).unwrap();
    let (code, out, _) = promagent(&["lint", "--format", "concise", BASE, copy.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    let dups: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("promagent/duplicate"))
        .collect();
    assert_eq!(dups.len(), 2, "{out}");
    assert!(dups[0].starts_with(copy.to_str().unwrap()), "{out}");
    assert!(
        dups.iter().any(|l| l.contains(&format!(
            "PodMonitor default/x is already defined at {BASE}:"
        ))),
        "{out}"
    );
}
