//! `promagent render -o DIR`: one file per rendered object plus each agent's plain `prometheus.yaml`,
//! in a stable layout:
//!
//! ```text
//! DIR/<namespace>/<agent>/<kind>-<name>.yaml     e.g. monitoring/agent/statefulset-prom-agent-agent.yaml
//! DIR/<namespace>/<agent>/prometheus.yaml
//! DIR/.promagent-render                          JSON: the files promagent wrote
//! ```
//!
//! What the writer guarantees:
//! - only names the API server accepts (DNS-1123) become path components, so no name can inject a
//!   path, and two objects that map to the same file are an error, not an overwrite;
//! - nothing is read, written or removed through a symlink inside DIR;
//! - every new content is staged in temporary files before any file is replaced, and a failure
//!   while staging or replacing leaves the previous files and manifest as they were;
//! - a file whose content is already right is left untouched;
//! - files from an earlier render are removed only when pruning, and only if the manifest lists them.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// The file listing what promagent wrote into an output directory.
pub const MANIFEST_FILE: &str = ".promagent-render";

/// The longest file name most filesystems take, in bytes.
const MAX_FILE_NAME: usize = 255;

/// One file to write, relative to the output directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub contents: String,
}

/// The relative path of an object's file: `<namespace>/<agent>/<kind>-<name>.yaml`.
pub fn object_path(
    namespace: &str,
    agent: &str,
    kind: &str,
    name: &str,
) -> Result<PathBuf, String> {
    let file = format!("{}-{}.yaml", kind.to_lowercase(), checked(name)?);
    Ok(agent_dir(namespace, agent)?.join(file))
}

/// The relative path of an agent's plain configuration: `<namespace>/<agent>/prometheus.yaml`.
pub fn config_path(namespace: &str, agent: &str) -> Result<PathBuf, String> {
    Ok(agent_dir(namespace, agent)?.join("prometheus.yaml"))
}

fn agent_dir(namespace: &str, agent: &str) -> Result<PathBuf, String> {
    let namespace = if namespace.is_empty() {
        "default"
    } else {
        namespace
    };
    Ok(Path::new(checked(namespace)?).join(checked(agent)?))
}

/// A Kubernetes object name used as (part of) a path component: a DNS-1123 subdomain, as the API
/// server requires of every name promagent writes files for.
fn checked(part: &str) -> Result<&str, String> {
    let valid = !part.is_empty()
        && part.len() <= 253
        && part
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && part.starts_with(|c: char| c.is_ascii_alphanumeric())
        && part.ends_with(|c: char| c.is_ascii_alphanumeric());
    if !valid {
        return Err(format!(
            "{:?} cannot be used as a file name: the API server accepts only lowercase DNS-1123 names",
            part
        ));
    }
    Ok(part)
}

/// A relative path made only of plain components.
fn is_plain_relative(path: &Path) -> bool {
    !path.as_os_str().is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)))
}

/// What a write did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or changed.
    pub written: Vec<PathBuf>,
    /// Files already up to date.
    pub unchanged: Vec<PathBuf>,
    /// Stale files removed (with pruning).
    pub removed: Vec<PathBuf>,
    /// Stale files kept (without pruning).
    pub stale: Vec<PathBuf>,
}

/// One file to replace: its new bytes, and what it held before (`None` when it is new).
struct Change<'a> {
    path: PathBuf,
    bytes: &'a [u8],
    previous: Option<Vec<u8>>,
}

/// What a path under DIR currently is, found without following any symlink.
enum Existing {
    Missing,
    File(Vec<u8>),
}

/// Looks at `rel` under `dir`: every directory on the way must be a real directory (or missing),
/// and the path itself a regular file (or missing).
fn inspect(dir: &Path, rel: &Path) -> Result<Existing, String> {
    let mut current = dir.to_path_buf();
    let components: Vec<_> = rel.components().collect();
    for (i, c) in components.iter().enumerate() {
        current.push(c);
        let meta = match fs::symlink_metadata(&current) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Existing::Missing),
            Err(e) => return Err(format!("cannot inspect {}: {e}", current.display())),
        };
        let last = i + 1 == components.len();
        if meta.file_type().is_symlink() {
            return Err(format!(
                "refusing to go through the symlink {}: promagent never writes or removes through a link inside the output directory",
                current.display()
            ));
        }
        if !last && !meta.is_dir() {
            return Err(format!(
                "{} is in the way: it is not a directory",
                current.display()
            ));
        }
        if last {
            if !meta.is_file() {
                return Err(format!(
                    "{} is in the way: it is not a regular file",
                    current.display()
                ));
            }
            return fs::read(&current)
                .map(Existing::File)
                .map_err(|e| format!("cannot read {}: {e}", current.display()));
        }
    }
    Ok(Existing::Missing)
}

/// Writes `files` under `dir` (created if needed), then records them in [`MANIFEST_FILE`].
pub fn write(dir: &Path, files: &[OutputFile], prune: bool) -> Result<WriteReport, String> {
    // Check everything before touching anything.
    let mut by_path: BTreeMap<&Path, &OutputFile> = BTreeMap::new();
    for file in files {
        if !is_plain_relative(&file.path) {
            return Err(format!(
                "refusing to write outside {}: {}",
                dir.display(),
                file.path.display()
            ));
        }
        if let Some(name) = file.path.file_name()
            && name.len() > MAX_FILE_NAME
        {
            return Err(format!(
                "{}: the file name is longer than {MAX_FILE_NAME} bytes",
                file.path.display()
            ));
        }
        if by_path.insert(&file.path, file).is_some() {
            return Err(format!(
                "two objects would be written to the same file {}",
                file.path.display()
            ));
        }
    }
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let previous = read_manifest(dir)?;
    let mut changes = Vec::new();
    let mut report = WriteReport::default();
    for (path, file) in &by_path {
        match inspect(dir, path)? {
            Existing::File(old) if old == file.contents.as_bytes() => {
                report.unchanged.push(path.to_path_buf())
            }
            existing => {
                let old = match existing {
                    Existing::File(old) => Some(old),
                    Existing::Missing => None,
                };
                changes.push(Change {
                    path: path.to_path_buf(),
                    bytes: file.contents.as_bytes(),
                    previous: old,
                });
            }
        }
    }
    let current: BTreeSet<PathBuf> = by_path.keys().map(|p| p.to_path_buf()).collect();
    let mut stale = Vec::new();
    for old in previous.difference(&current) {
        match inspect(dir, old) {
            Ok(Existing::File(_)) => stale.push(old.clone()),
            // Gone already, or not something promagent would remove.
            Ok(Existing::Missing) | Err(_) => {}
        }
    }
    let mut listed = current.clone();
    if !prune {
        listed.extend(stale.iter().cloned());
    }
    let manifest = manifest_text(&listed);
    let manifest_old = match inspect(dir, Path::new(MANIFEST_FILE))? {
        Existing::File(old) => Some(old),
        Existing::Missing => None,
    };
    if manifest_old.as_deref() != Some(manifest.as_bytes()) {
        changes.push(Change {
            path: PathBuf::from(MANIFEST_FILE),
            bytes: manifest.as_bytes(),
            previous: manifest_old,
        });
    }

    let staged = stage(dir, &changes)?;
    commit(dir, staged, &changes)?;
    for change in &changes {
        if change.path != Path::new(MANIFEST_FILE) {
            report.written.push(change.path.clone());
        }
    }
    for old in stale {
        if prune {
            let target = dir.join(&old);
            fs::remove_file(&target)
                .map_err(|e| format!("cannot remove {}: {e}", target.display()))?;
            remove_empty_parents(dir, &old);
            report.removed.push(old);
        } else {
            report.stale.push(old);
        }
    }
    Ok(report)
}

/// The manifest: JSON, so that no path can be mistaken for another entry.
fn manifest_text(paths: &BTreeSet<PathBuf>) -> String {
    let files: Vec<String> = paths
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    let value = serde_json::json!({
        "comment": "Files written by `promagent render -o`; `--prune` removes the ones a render no longer produces.",
        "version": 1,
        "files": files,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

/// The files an earlier render recorded (empty when there is no manifest). Entries that are not
/// plain relative paths are ignored, so a tampered manifest cannot remove files elsewhere.
fn read_manifest(dir: &Path) -> Result<BTreeSet<PathBuf>, String> {
    let path = dir.join(MANIFEST_FILE);
    let text = match inspect(dir, Path::new(MANIFEST_FILE))? {
        Existing::File(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Existing::Missing => return Ok(BTreeSet::new()),
    };
    let entries: Vec<String> = match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(value) => value
            .get("files")
            .and_then(|f| f.as_array())
            .map(|files| {
                files
                    .iter()
                    .filter_map(|f| f.as_str().map(str::to_string))
                    .collect()
            })
            .ok_or_else(|| format!("{} is not a promagent manifest", path.display()))?,
        // The line format of earlier promagent versions.
        Err(_) => text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect(),
    };
    Ok(entries
        .into_iter()
        .map(PathBuf::from)
        .filter(|p| is_plain_relative(p) && is_rendered_file(p))
        .collect())
}

/// Whether `path` has the shape of a file promagent writes: `<ns>/<agent>/<file>.yaml` with names
/// the API server accepts.
fn is_rendered_file(path: &Path) -> bool {
    let parts: Vec<&str> = path.iter().filter_map(|p| p.to_str()).collect();
    match parts.as_slice() {
        [ns, agent, file] => {
            checked(ns).is_ok()
                && checked(agent).is_ok()
                && file
                    .strip_suffix(".yaml")
                    .is_some_and(|stem| checked(stem).is_ok())
        }
        _ => false,
    }
}

/// Writes every new content into a temporary file beside its target. On failure every temporary
/// file and every directory created for them is removed again.
fn stage(dir: &Path, changes: &[Change<'_>]) -> Result<Vec<tempfile::TempPath>, String> {
    let mut staged = Vec::new();
    let mut created_dirs = Vec::new();
    let result = (|| {
        for change in changes {
            let target = dir.join(&change.path);
            let parent = target.parent().unwrap_or(dir).to_path_buf();
            let mut missing = Vec::new();
            let mut p = parent.as_path();
            while !p.exists() {
                missing.push(p.to_path_buf());
                match p.parent() {
                    Some(up) => p = up,
                    None => break,
                }
            }
            for d in missing.iter().rev() {
                fs::create_dir(d).map_err(|e| format!("cannot create {}: {e}", d.display()))?;
                created_dirs.push(d.clone());
            }
            let mut tmp = tempfile::Builder::new()
                .prefix(".promagent-")
                .suffix(".tmp")
                .tempfile_in(&parent)
                .map_err(|e| {
                    format!(
                        "cannot create a temporary file in {}: {e}",
                        parent.display()
                    )
                })?;
            tmp.write_all(change.bytes)
                .and_then(|()| tmp.as_file().sync_all())
                .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
            staged.push(tmp.into_temp_path());
        }
        Ok(())
    })();
    if let Err(e) = result {
        drop(staged);
        for d in created_dirs.iter().rev() {
            let _ = fs::remove_dir(d);
        }
        return Err(e);
    }
    Ok(staged)
}

/// Renames the staged files into place. If one rename fails, the files already replaced get their
/// previous content back (or are removed when they are new).
fn commit(
    dir: &Path,
    staged: Vec<tempfile::TempPath>,
    changes: &[Change<'_>],
) -> Result<(), String> {
    let mut done: Vec<usize> = Vec::new();
    for (i, tmp) in staged.into_iter().enumerate() {
        let target = dir.join(&changes[i].path);
        if let Err(e) = tmp.persist(&target) {
            for &j in done.iter().rev() {
                let back = dir.join(&changes[j].path);
                let _ = match &changes[j].previous {
                    Some(old) => fs::write(&back, old),
                    None => fs::remove_file(&back),
                };
            }
            return Err(format!("cannot write {}: {}", target.display(), e.error));
        }
        done.push(i);
    }
    Ok(())
}

/// Removes the directories between `dir` and `removed` that the removal left empty.
fn remove_empty_parents(dir: &Path, removed: &Path) {
    let mut current = removed.parent();
    while let Some(rel) = current.filter(|p| !p.as_os_str().is_empty()) {
        if fs::remove_dir(dir.join(rel)).is_err() {
            break;
        }
        current = rel.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> OutputFile {
        OutputFile {
            path: PathBuf::from(path),
            contents: contents.to_string(),
        }
    }

    #[test]
    fn paths_are_stable_and_checked() {
        assert_eq!(
            object_path("monitoring", "agent", "StatefulSet", "prom-agent-agent").unwrap(),
            PathBuf::from("monitoring/agent/statefulset-prom-agent-agent.yaml")
        );
        assert_eq!(
            config_path("", "a").unwrap(),
            PathBuf::from("default/a/prometheus.yaml")
        );
        assert!(object_path("..", "a", "Secret", "x").is_err());
        assert!(object_path("ns", "a/b", "Secret", "x").is_err());
    }

    #[test]
    fn rewrites_nothing_and_prunes_only_its_own_files() {
        let dir = tempfile::tempdir().unwrap();
        let files = vec![
            file("ns/a/secret-x.yaml", "x\n"),
            file("ns/a/prometheus.yaml", "p\n"),
        ];
        let first = write(dir.path(), &files, false).unwrap();
        assert_eq!(first.written.len(), 2);
        let again = write(dir.path(), &files, false).unwrap();
        assert!(again.written.is_empty() && again.unchanged.len() == 2);

        fs::write(dir.path().join("ns/a/mine.txt"), "keep").unwrap();
        let fewer = vec![file("ns/a/prometheus.yaml", "p\n")];
        let kept = write(dir.path(), &fewer, false).unwrap();
        assert_eq!(kept.stale, vec![PathBuf::from("ns/a/secret-x.yaml")]);
        assert!(dir.path().join("ns/a/secret-x.yaml").exists());

        let pruned = write(dir.path(), &fewer, true).unwrap();
        assert_eq!(pruned.removed, vec![PathBuf::from("ns/a/secret-x.yaml")]);
        assert!(!dir.path().join("ns/a/secret-x.yaml").exists());
        assert!(dir.path().join("ns/a/mine.txt").exists());
        let manifest = fs::read_to_string(dir.path().join(MANIFEST_FILE)).unwrap();
        let listed: serde_json::Value = serde_json::from_str(&manifest).unwrap();
        assert_eq!(listed["files"], serde_json::json!(["ns/a/prometheus.yaml"]));
    }

    #[test]
    fn a_tampered_manifest_cannot_remove_outside_files() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::NamedTempFile::new().unwrap();
        fs::write(
            dir.path().join(MANIFEST_FILE),
            format!("{}\n../escape.yaml\n", outside.path().display()),
        )
        .unwrap();
        let report = write(dir.path(), &[file("ns/a/prometheus.yaml", "p\n")], true).unwrap();
        assert!(report.removed.is_empty());
        assert!(outside.path().exists());
    }

    #[test]
    fn names_the_api_server_rejects_never_become_paths() {
        for (ns, agent, name) in [
            ("a\nlink", "victim.txt\nz", "x"),
            ("ns", "a\nvictim.txt\nb", "x"),
            ("ns", "a", "x/../../y"),
            ("NS", "a", "x"),
            ("ns", "a", ""),
            ("ns", "a", "-x"),
        ] {
            assert!(
                object_path(ns, agent, "Secret", name).is_err(),
                "{ns:?} {agent:?} {name:?}"
            );
        }
    }

    #[test]
    fn nothing_is_written_through_a_symlink_inside_the_directory() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        let outside = root.path().join("outside");
        fs::create_dir_all(&dir).unwrap();
        fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink("../outside", dir.join("monitoring")).unwrap();
        let err = write(&dir, &[file("monitoring/a/prometheus.yaml", "p\n")], false).unwrap_err();
        assert!(err.contains("symlink"), "{err}");
        assert_eq!(fs::read_dir(&outside).unwrap().count(), 0);
        assert!(!dir.join(MANIFEST_FILE).exists());
    }

    #[test]
    fn pruning_never_follows_a_symlink_out_of_the_directory() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        let outside = root.path().join("outside");
        fs::create_dir_all(dir.join("ns")).unwrap();
        fs::create_dir_all(outside.join("a")).unwrap();
        fs::write(outside.join("a/victim.yaml"), "keep").unwrap();
        std::os::unix::fs::symlink("../../outside/a", dir.join("ns/link")).unwrap();
        fs::write(
            dir.join(MANIFEST_FILE),
            r#"{"version": 1, "files": ["ns/link/victim.yaml", "link/victim.txt"]}"#,
        )
        .unwrap();
        let report = write(&dir, &[file("ns/a/prometheus.yaml", "p\n")], true).unwrap();
        assert!(report.removed.is_empty(), "{report:?}");
        assert_eq!(
            fs::read_to_string(outside.join("a/victim.yaml")).unwrap(),
            "keep"
        );
    }

    #[test]
    fn a_legacy_line_manifest_cannot_inject_paths() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("victim.txt"), "keep").unwrap();
        fs::write(
            dir.path().join(MANIFEST_FILE),
            "# Files written by `promagent render -o`\nvictim.txt\nns/a/victim.txt\n",
        )
        .unwrap();
        let report = write(dir.path(), &[file("ns/a/prometheus.yaml", "p\n")], true).unwrap();
        assert!(report.removed.is_empty());
        assert!(dir.path().join("victim.txt").exists());
    }

    #[test]
    fn two_objects_on_one_path_are_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = write(
            dir.path(),
            &[
                file("ns/a/secret-x.yaml", "1\n"),
                file("ns/a/secret-x.yaml", "2\n"),
            ],
            false,
        )
        .unwrap_err();
        assert!(err.contains("same file"), "{err}");
        assert!(!dir.path().join("ns").exists());
    }

    #[test]
    fn a_failed_run_leaves_the_previous_tree_and_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let first = vec![
            file("ns/a/prometheus.yaml", "p1\n"),
            file("ns/a/secret-x.yaml", "x1\n"),
        ];
        write(dir.path(), &first, false).unwrap();
        let manifest = fs::read(dir.path().join(MANIFEST_FILE)).unwrap();
        // Something in the way of one of the files: a directory where a file goes.
        fs::create_dir_all(dir.path().join("ns/a/statefulset-y.yaml")).unwrap();
        let second = vec![
            file("ns/a/prometheus.yaml", "p2\n"),
            file("ns/a/secret-x.yaml", "x2\n"),
            file("ns/a/statefulset-y.yaml", "y\n"),
        ];
        let err = write(dir.path(), &second, true).unwrap_err();
        assert!(err.contains("not a regular file"), "{err}");
        assert_eq!(
            fs::read_to_string(dir.path().join("ns/a/prometheus.yaml")).unwrap(),
            "p1\n"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("ns/a/secret-x.yaml")).unwrap(),
            "x1\n"
        );
        assert_eq!(fs::read(dir.path().join(MANIFEST_FILE)).unwrap(), manifest);

        // A name too long for the filesystem is refused before anything is written.
        let long = format!("ns/a/secret-{}.yaml", "x".repeat(250));
        let err = write(
            dir.path(),
            &[file("ns/a/prometheus.yaml", "p3\n"), file(&long, "z\n")],
            false,
        )
        .unwrap_err();
        assert!(err.contains("longer than"), "{err}");
        assert_eq!(
            fs::read_to_string(dir.path().join("ns/a/prometheus.yaml")).unwrap(),
            "p1\n"
        );
    }

    #[test]
    fn a_failed_rename_restores_what_was_replaced() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &[file("ns/a/prometheus.yaml", "p1\n")], false).unwrap();
        let changes = vec![
            Change {
                path: PathBuf::from("ns/a/prometheus.yaml"),
                bytes: b"p2\n",
                previous: Some(b"p1\n".to_vec()),
            },
            Change {
                path: PathBuf::from("ns/a/new.yaml"),
                bytes: b"n\n",
                previous: None,
            },
        ];
        let staged = stage(dir.path(), &changes).unwrap();
        // The second target turns into a directory between staging and renaming.
        fs::create_dir_all(dir.path().join("ns/a/new.yaml/inner")).unwrap();
        assert!(commit(dir.path(), staged, &changes).is_err());
        assert_eq!(
            fs::read_to_string(dir.path().join("ns/a/prometheus.yaml")).unwrap(),
            "p1\n"
        );
    }
}
