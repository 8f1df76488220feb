//! End-to-end behaviour of the `promagent` binary: subcommands, exit codes, inputs, and the committed
//! completion scripts and man page.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn promagent() -> Command {
    let mut cmd = Command::cargo_bin("promagent").unwrap();
    cmd.env_remove("NO_COLOR").env("COLUMNS", "100");
    cmd
}

#[test]
fn help_lists_every_subcommand() {
    let out = promagent().arg("--help").assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for sub in [
        "lint",
        "render",
        "diff",
        "migrate",
        "targets",
        "relabel",
        "crd",
        "check-config",
        "targets",
        "completions",
    ] {
        assert!(
            text.contains(&format!("  {sub}")),
            "--help does not list {sub}:\n{text}"
        );
    }
}

#[test]
fn version_flag_prints_the_version() {
    promagent()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn every_subcommand_help_has_examples() {
    for sub in [
        "lint",
        "render",
        "diff",
        "migrate",
        "targets",
        "relabel",
        "crd",
        "check-config",
        "targets",
        "completions",
    ] {
        promagent()
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"));
    }
}

#[test]
fn a_bad_flag_exits_2() {
    promagent()
        .args(["lint", "--no-such-flag", "x.yaml"])
        .assert()
        .code(2);
}

#[test]
fn a_missing_file_exits_2_with_its_name() {
    promagent()
        .args(["lint", "does/not/exist.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does/not/exist.yaml"));
}

#[test]
fn a_syntax_error_in_a_nested_file_is_reported_at_path_line_col() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("team/agents")).unwrap();
    std::fs::write(
        dir.path().join("team/ok.yaml"),
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ok\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("team/agents/broken.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [oops\n",
    )
    .unwrap();
    let out = promagent()
        .args(["--color", "never", "lint"])
        .arg(dir.path())
        .assert()
        .code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let expected = format!(
        "{}:5:1",
        dir.path().join("team/agents/broken.yaml").display()
    );
    assert!(
        stdout.contains(&expected),
        "expected {expected} in:\n{stdout}"
    );
}

#[test]
fn a_tab_in_indentation_is_a_finding_with_its_place() {
    let out = promagent()
        .args(["--color", "never", "lint", "--format", "json", "-"])
        .write_stdin("apiVersion: v1\nkind: Namespace\nmetadata:\n\tname: x\n")
        .assert()
        .code(1);
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "yaml/tab");
    assert_eq!(d["file"], "<stdin>");
    assert_eq!(d["line"], 4);
}

#[test]
fn stdin_is_read_with_a_dash() {
    promagent()
        .args(["lint", "-"])
        .write_stdin("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: monitoring\n")
        .assert()
        .success()
        .stderr(predicate::str::contains("no problems in 1 object (1 file)"));
}

#[test]
fn a_yaml_bomb_stops_with_exit_2() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for name in "bcdefghij".chars() {
        text.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        prev = name;
    }
    promagent()
        .args(["lint", "-"])
        .write_stdin(text)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("alias"));
}

fn check_committed(path: &Path, generated: &[u8]) {
    if std::env::var_os("PROMAGENT_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, generated).unwrap();
        return;
    }
    let committed = std::fs::read(path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is out of date; regenerate with: PROMAGENT_BLESS=1 cargo test --test cli",
        path.display()
    );
}

#[test]
fn committed_completions_match_the_binary() {
    use clap_complete::Shell;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for (shell, file) in [
        (Shell::Bash, "promagent.bash"),
        (Shell::Zsh, "_promagent"),
        (Shell::Fish, "promagent.fish"),
        (Shell::PowerShell, "_promagent.ps1"),
        (Shell::Elvish, "promagent.elv"),
    ] {
        let from_binary = promagent()
            .args(["completions", &shell.to_string()])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        assert_eq!(from_binary, promagent::cli::completions::script(shell));
        check_committed(&root.join(file), &from_binary);
    }
}

#[test]
fn committed_man_pages_match_the_binary() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/man");
    let pages = promagent::cli::completions::man_pages();
    let names: Vec<&str> = pages.iter().map(|(name, _)| name.as_str()).collect();
    for (name, text) in &pages {
        check_committed(&dir.join(name), text);
    }
    // The top page's SEE ALSO names one page per subcommand; each of them exists.
    let top = String::from_utf8_lossy(&pages[0].1).into_owned();
    assert_eq!(names[0], "promagent.1");
    let referenced: Vec<String> = top
        .lines()
        .filter_map(|l| l.strip_suffix("(1)"))
        .map(|page| format!("{}.1", page.replace("\\-", "-")))
        .collect();
    assert!(referenced.len() >= 8, "{referenced:?}");
    for page in &referenced {
        assert!(
            names.contains(&page.as_str()),
            "{page} is named but not generated"
        );
    }
    for sub in [
        "lint",
        "render",
        "diff",
        "migrate",
        "targets",
        "relabel",
        "crd",
        "check-config",
        "completions",
    ] {
        let name = format!("promagent-{sub}.1");
        assert!(names.contains(&name.as_str()), "no {name} in {names:?}");
    }
    // No page is left over from a removed subcommand.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            names.contains(&file.as_str()),
            "docs/man/{file} is not generated"
        );
    }
}
