//! A closed standard output (`promagent … | head`) or a full disk never makes promagent panic.

use std::io::Read;
use std::process::{Command, Stdio};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_promagent")
}

/// Runs promagent with stdout connected to a pipe whose reader takes `keep` bytes and hangs up.
fn run_into_closed_pipe(args: &[&str], keep: usize) -> (Option<i32>, String) {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = vec![0u8; keep];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_ends_each_command_quietly_with_exit_0() {
    // Each of these prints far more than a pipe buffer holds, so the write after the reader hung up fails.
    let cases: &[&[&str]] = &[
        &["crd"],
        &["crd", "--format", "json"],
        &["completions", "zsh"],
    ];
    for args in cases {
        let (code, stderr) = run_into_closed_pipe(args, 10);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?} wrote to stderr: {stderr}");
    }
}

#[test]
fn render_into_a_closed_pipe_exits_0() {
    // 500 PodMonitors make a prometheus.yml far larger than a pipe buffer.
    let dir = tempfile::tempdir().unwrap();
    let mut text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/examples/node-local/agent.yaml"
    ))
    .unwrap();
    text.push_str("---\n");
    text.push_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/examples/node-local/namespace.yaml"
        ))
        .unwrap(),
    );
    for i in 0..500 {
        text.push_str(&format!(
            "---\napiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata:\n  name: m{i}\n  namespace: shop\n  labels: {{scrape: node-local}}\nspec:\n  selector: {{matchLabels: {{app: a{i}}}}}\n  podMetricsEndpoints:\n  - port: metrics\n"
        ));
    }
    let input = dir.path().join("many.yaml");
    std::fs::write(&input, text).unwrap();
    let input = input.to_str().unwrap();
    let (code, stderr) = run_into_closed_pipe(&["render", "--only", "config", input], 1);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn a_full_disk_is_a_clear_error_with_exit_2() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // not a Linux machine
    };
    let out = Command::new(bin())
        .arg("crd")
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("could not write to standard output"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}
