//! Replays every input kept in `fuzz/regressions/<target>/` (each once made a fuzz target fail)
//! through the same entry points the fuzzers call, so that no fuzzer is needed to catch a
//! regression; and every manifest of `testdata/` (the fuzzers' seed corpus) through the loader and
//! `migrate` with its properties.

use promagent::fuzzing::TARGETS;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Runs `entry` on `data`; the panic message when it panics.
fn run(entry: fn(&[u8]), data: &[u8]) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(|| entry(data))).map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic".into())
    })
}

#[test]
fn every_kept_crash_input_passes() {
    let root = Path::new("fuzz/regressions");
    let mut failures = Vec::new();
    let mut replayed = 0;
    for dir in fs::read_dir(root).unwrap() {
        let dir = dir.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let Some((_, entry)) = TARGETS.iter().find(|(n, _)| *n == name) else {
            panic!("{}: no fuzz target of that name", dir.display());
        };
        for file in files_under(&dir) {
            replayed += 1;
            if let Err(e) = run(*entry, &fs::read(&file).unwrap()) {
                failures.push(format!("{}: {e}", file.display()));
            }
        }
    }
    assert!(replayed > 0, "no input under {}", root.display());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_target_has_a_regressions_directory() {
    for (name, _) in TARGETS {
        let dir = Path::new("fuzz/regressions").join(name);
        assert!(dir.is_dir(), "{} is missing", dir.display());
    }
}

#[test]
fn the_seed_corpus_passes_load_and_migrate() {
    let mut failures = Vec::new();
    let files: Vec<PathBuf> = files_under(Path::new("testdata"))
        .into_iter()
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    assert!(files.len() > 50, "{} seed files", files.len());
    for file in &files {
        let data = fs::read(file).unwrap();
        for (name, entry) in TARGETS
            .iter()
            .filter(|(n, _)| matches!(*n, "load" | "migrate"))
        {
            if let Err(e) = run(*entry, &data) {
                failures.push(format!("{name} {}: {e}", file.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_panicking_entry_is_caught() {
    fn boom(_: &[u8]) {
        panic!("boom");
    }
    assert_eq!(run(boom, b""), Err("boom".to_string()));
}
