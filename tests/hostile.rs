//! Hostile inputs, generated at run time: alias bombs by count and by bytes, a 1 GB sparse file,
//! `/dev/zero`, a FIFO and stdin beyond the byte limit, deep nesting, 200k keys. Each run must end
//! (a watchdog kills it after a generous bound and fails the test) with the verdict promagent gives:
//! exit code 2 and a message naming the limit and the place, or the findings.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Far beyond what any of these inputs needs even in a debug build; reaching it means the input
/// was not bounded.
const WATCHDOG: Duration = Duration::from_secs(120);

fn promagent(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_promagent"));
    cmd.args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs `cmd` (writing `stdin`, if any) and returns its output once it ends; fails when the
/// watchdog has to stop it.
fn finish(mut cmd: Command, stdin: Option<Vec<u8>>) -> Output {
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd.spawn().unwrap();
    let writer = stdin.map(|bytes| {
        let mut pipe = child.stdin.take().unwrap();
        // promagent stops reading at its limit: a broken pipe is expected then.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        })
    });
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > WATCHDOG {
            child.kill().unwrap();
            panic!("promagent did not finish: the input is not bounded");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    if let Some(w) = writer {
        w.join().unwrap();
    }
    child.wait_with_output().unwrap()
}

fn run(args: &[&str]) -> Output {
    finish(promagent(args), None)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn assert_refused(out: &Output, needle: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
}

#[test]
fn alias_bomb_by_count_stops_at_the_node_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for name in "bcdefghij".chars() {
        let refs = vec![format!("*{prev}"); 10].join(", ");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        prev = name;
    }
    let file = write(dir.path(), "count.yaml", &text);
    let out = run(&["lint", &file]);
    assert_refused(&out, "nodes");
    assert!(
        stderr(&out).contains(&format!("{file}:7:")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn alias_bomb_by_bytes_stops_at_the_alias() {
    let dir = tempfile::tempdir().unwrap();
    let big = "x".repeat(1_000_000);
    let refs = vec!["*a"; 3000].join(", ");
    let file = write(
        dir.path(),
        "bytes.yaml",
        &format!("a: &a \"{big}\"\nb: [{refs}]\n"),
    );
    let out = run(&["lint", &file]);
    assert_refused(&out, "larger than 16 MiB with its aliases expanded");
    assert!(
        stderr(&out).contains(&format!("{file}:2:")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_sparse_gigabyte_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    std::fs::File::create(&path)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let file = path.display().to_string();
    let out = run(&["lint", &file]);
    assert_refused(&out, "larger than 256 MiB (--max-input-bytes)");
    assert!(stderr(&out).contains(&file));
}

#[cfg(unix)]
#[test]
fn dev_zero_is_read_up_to_the_limit_only() {
    let out = run(&["lint", "/dev/zero"]);
    assert_refused(&out, "/dev/zero: the inputs are larger than 256 MiB");
}

#[test]
fn stdin_is_bounded_too() {
    let cmd = promagent(&["lint", "--max-input-bytes", "1MiB", "-"]);
    let out = finish(cmd, Some(vec![b'#'; 3 << 20]));
    assert_refused(&out, "<stdin>: the inputs are larger than 1 MiB");
}

#[cfg(unix)]
#[test]
fn a_fifo_is_bounded_too() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(writer_path)
            .unwrap();
        let _ = f.write_all(&vec![b'#'; 3 << 20]);
    });
    let out = run(&["lint", "--max-input-bytes", "1MiB", fifo.to_str().unwrap()]);
    writer.join().unwrap();
    assert_refused(&out, "the inputs are larger than 1 MiB");
}

#[test]
fn the_limit_covers_all_inputs_together_and_every_reading_command() {
    let dir = tempfile::tempdir().unwrap();
    let one = write(dir.path(), "a.yaml", &format!("# {}\n", "a".repeat(700)));
    let two = write(dir.path(), "b.yaml", &format!("# {}\n", "b".repeat(700)));
    assert_eq!(
        run(&["lint", "--max-input-bytes", "1KiB", &one])
            .status
            .code(),
        Some(0)
    );
    let out = run(&["lint", "--max-input-bytes", "1KiB", &one, &two]);
    assert_refused(&out, "b.yaml: the inputs are larger than 1 KiB");
    for cmd in [
        vec!["render", &one, &two],
        vec!["diff", &one, &two],
        vec!["targets", &one, &two],
        vec!["migrate", &one, &two],
        vec!["check-config", &one, &two],
        vec!["targets", "--config", &one, &two],
    ] {
        let mut args = cmd.clone();
        args.extend(["--max-input-bytes", "1KiB"]);
        let out = run(&args);
        assert_refused(&out, "larger than 1 KiB");
    }
    let out = run(&[
        "relabel",
        "--max-input-bytes",
        "1KiB",
        "--labels",
        &two,
        &one,
    ]);
    assert_refused(&out, "larger than 1 KiB");
}

#[test]
fn a_bad_size_is_a_usage_error() {
    let out = run(&["lint", "--max-input-bytes", "12parsecs", "x.yaml"]);
    assert_refused(&out, "unknown unit");
    let out = run(&["lint", "--max-input-bytes", "0", "x.yaml"]);
    assert_refused(&out, "more than 0 bytes");
}

#[test]
fn deep_flow_nesting_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "flow.yaml", &"[".repeat(100_000));
    let out = run(&["lint", &file]);
    assert_refused(&out, "nesting too deep");
    let file = write(dir.path(), "flowmap.yaml", &"{a: ".repeat(100_000));
    assert_refused(&run(&["lint", &file]), "nesting too deep");
}

#[test]
fn deep_block_nesting_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text: String = (0..3000)
        .map(|i| format!("{}a:\n", "  ".repeat(i)))
        .collect();
    let file = write(dir.path(), "block.yaml", &text);
    let out = run(&["lint", &file]);
    assert_refused(&out, "nesting deeper than 200 levels");
    assert!(
        stderr(&out).contains(&format!("{file}:201:")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn two_hundred_thousand_keys_are_read_and_their_duplicates_listed_up_to_a_bound() {
    let dir = tempfile::tempdir().unwrap();
    let text: String = (0..200_000)
        .map(|i| format!("k{}: {i}\n", i % 100_000))
        .collect();
    let file = write(dir.path(), "keys.yaml", &text);
    let out = run(&["lint", "--format", "concise", &file]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stdout.lines().count(), 101, "{stdout}");
    assert!(
        stdout.contains(&format!(
            "{file}:100001:1: yaml/duplicate-key error: mapping key \"k0\" already defined at line 1"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("99900 more duplicate keys from here on"),
        "{stdout}"
    );
}

#[test]
fn shapes_and_numbers_kubectl_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  name: big
  namespace: default
spec:
  sampleLimit: 1e400
  podMetricsEndpoints:
  - port: web
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  name: infinite
  namespace: default
spec:
  sampleLimit: .inf
---
just a string
---
- a list
---
apiVersion: v1
kind: List
items:
- 42
- apiVersion: v1
  kind: Namespace
  metadata:
    name: fine
---
";
    let file = write(dir.path(), "shapes.yaml", text);
    let empty = write(dir.path(), "empty.yaml", "---\n# nothing here\n");
    let nul = write(dir.path(), "nul.yaml", "kind: Namespace\u{0}\n");
    let out = run(&["lint", "--format", "concise", &file, &empty, &nul]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let shown =
        String::from_utf8_lossy(&out.stdout).replace(&format!("{}/", dir.path().display()), "");
    insta::assert_snapshot!(shown);
}
