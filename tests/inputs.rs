//! Walking real repositories: what a directory walk reads and skips, and that linting files in
//! batches (as pre-commit does) gives the findings of linting them at once.

use assert_cmd::Command;
use std::path::Path;

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("promagent")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn write(dir: &Path, files: &[(&str, &[u8])]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

const POD_MONITOR: &[u8] =
    b"apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata:\n  name: a\n  namespace: shop\nspec:\n  selector: {}\n  podMetricsEndpoints:\n  - port: metrics\n    scheme: gopher\n";

#[test]
fn a_repository_walk_skips_what_is_not_kubernetes_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        &[
            ("deploy/pm.yaml", POD_MONITOR),
            ("deploy/blob.yaml", &[0x89, b'P', b'N', b'G', 0xff, 0x00]),
            ("chart/Chart.yaml", b"apiVersion: v2\nname: c\nversion: 1.0.0\n"),
            ("chart/values.yaml", b"image: {tag: v1}\n"),
            (
                "chart/templates/pm.yaml",
                b"apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata:\n  name: {{ .Release.Name }}\n{{- with .Values.x }}\nspec: {}\n{{- end }}\n",
            ),
            ("web/package.json", b"{\"name\": \"web\", \"version\": \"1.0.0\"}\n"),
            ("web/node_modules/x/bad.yaml", b"kind: [\n"),
            ("generated/out.yaml", b"kind: [\n"),
            (".gitignore", b"generated/\n"),
        ],
    );
    let (code, stdout, stderr) = run(root, &["lint", "--format", "concise", "."]);
    assert_eq!(code, 1, "{stderr}");
    insta::assert_snapshot!("walk_stdout", stdout);
    insta::assert_snapshot!("walk_stderr", stderr);
    // Named, a binary file cannot be read; a Helm template is a note.
    let (code, _, stderr) = run(root, &["lint", "deploy/blob.yaml"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "promagent: deploy/blob.yaml: not valid UTF-8 text; manifests must be UTF-8\n"
    );
    let (code, _, stderr) = run(root, &["lint", "chart/templates/pm.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.starts_with("promagent: note: chart/templates/pm.yaml: skipped: a Helm template"),
        "{stderr}"
    );
}

/// Ten self-contained files: Namespaces, monitors and (in every other file) an agent that selects
/// its file's monitor, with findings of every layer.
fn ten_files() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for i in 0..10 {
        let ns = format!("team-{i}");
        let mut text = format!(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n---\napiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata:\n  name: pm\n  namespace: {ns}\n  labels: {{team: \"{i}\"}}\nspec:\n  selector: {{matchLabels: {{app: a}}}}\n  podMetricsEndpoints:\n  - port: metrics\n"
        );
        text.push_str(match i % 4 {
            1 => "    scheme: gopher\n",
            2 => "    relabelings:\n    - action: hashmod\n      sourceLabels: [a]\n      targetLabel: x\n",
            3 => "    interval: 10\n",
            _ => "  - port: metrics\n",
        });
        if i % 2 == 0 {
            text.push_str(&format!(
                "---\napiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: agent\n  namespace: {ns}\nspec:\n  podMonitorSelector: {{matchLabels: {{team: \"{i}\"}}}}\n  remoteWrite:\n  - url: https://m.example/write\n    basicAuth:\n      username: {{name: creds, key: user}}\n      password: {{name: creds, key: pw}}\n"
            ));
        }
        files.push((format!("f{i}.yaml"), text));
    }
    files
}

#[test]
fn two_batches_of_five_give_the_findings_of_one_run_of_ten() {
    let dir = tempfile::tempdir().unwrap();
    let files = ten_files();
    for (name, text) in &files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let lint = |names: &[&str]| {
        let mut args = vec!["lint", "--format", "concise"];
        args.extend(names);
        run(dir.path(), &args)
    };
    let (all_code, all, _) = lint(&names);
    let (first_code, first, _) = lint(&names[..5]);
    let (second_code, second, _) = lint(&names[5..]);
    assert_eq!(all_code, 1, "{all}");
    assert_eq!(all_code, first_code.max(second_code));
    let lines = |t: &str| {
        let mut v: Vec<String> = t.lines().map(str::to_string).collect();
        v.sort();
        v
    };
    let mut batched = lines(&first);
    batched.extend(lines(&second));
    batched.sort();
    assert_eq!(lines(&all), batched);
    // Every layer has a say, so the comparison covers them all.
    for code in ["schema/", "PM201", "RF501"] {
        assert!(all.contains(code), "no {code} finding:\n{all}");
    }
    // A directory of the ten gives the same findings too.
    let (dir_code, whole, _) = run(dir.path(), &["lint", "--format", "concise", "."]);
    assert_eq!(dir_code, all_code);
    let walked: Vec<String> = lines(&whole)
        .iter()
        .map(|l| l.strip_prefix("./").unwrap_or(l).to_string())
        .collect();
    assert_eq!(
        walked,
        lines(&all),
        "a directory walk and named files differ"
    );
}
