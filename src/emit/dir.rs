//! `promagent render -o DIR`: one file per rendered object plus each agent's plain `prometheus.yaml`,
//! in a stable layout:
//!
//! ```text
//! DIR/<namespace>/<agent>/<kind>-<name>.yaml     e.g. monitoring/agent/statefulset-prom-agent-agent.yaml
//! DIR/<namespace>/<agent>/prometheus.yaml
//! DIR/.promagent-render                          the files promagent wrote, one relative path per line
//! ```
//!
//! Every file is written atomically (a temporary file in the same directory, then a rename), and a
//! file whose content is already right is left untouched. Files from an earlier render that this one
//! no longer produces are removed only when pruning, and only if `.promagent-render` lists them.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// The file listing what promagent wrote into an output directory.
pub const MANIFEST_FILE: &str = ".promagent-render";

const MANIFEST_HEADER: &str = "# Files written by `promagent render -o`; `--prune` removes the ones a render no longer produces.\n";

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
    let file = format!("{}-{}.yaml", kind.to_lowercase(), name);
    Ok(agent_dir(namespace, agent)?.join(checked(&file)?))
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

/// A name used as one path component: no separators, not `.` or `..`, not empty.
fn checked(part: &str) -> Result<&str, String> {
    let bad = part.is_empty() || part == "." || part == ".." || part.contains(['/', '\\', '\0']);
    if bad {
        return Err(format!("{part:?} cannot be used as a file name"));
    }
    Ok(part)
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

/// Writes `files` under `dir` (created if needed), then records them in [`MANIFEST_FILE`].
pub fn write(dir: &Path, files: &[OutputFile], prune: bool) -> Result<WriteReport, String> {
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let previous = read_manifest(dir)?;
    let mut report = WriteReport::default();
    let mut current = BTreeSet::new();
    for file in files {
        if file.path.is_absolute()
            || file
                .path
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(format!(
                "refusing to write outside {}: {}",
                dir.display(),
                file.path.display()
            ));
        }
        let target = dir.join(&file.path);
        if write_if_changed(&target, file.contents.as_bytes())? {
            report.written.push(file.path.clone());
        } else {
            report.unchanged.push(file.path.clone());
        }
        current.insert(file.path.clone());
    }
    let mut listed = current.clone();
    for old in previous.difference(&current) {
        let target = dir.join(old);
        if !target.is_file() {
            continue;
        }
        if prune {
            fs::remove_file(&target)
                .map_err(|e| format!("cannot remove {}: {e}", target.display()))?;
            remove_empty_parents(dir, old);
            report.removed.push(old.clone());
        } else {
            report.stale.push(old.clone());
            listed.insert(old.clone());
        }
    }
    let mut manifest = MANIFEST_HEADER.to_string();
    for path in &listed {
        manifest.push_str(&path.to_string_lossy().replace('\\', "/"));
        manifest.push('\n');
    }
    write_if_changed(&dir.join(MANIFEST_FILE), manifest.as_bytes())?;
    Ok(report)
}

/// The files an earlier render recorded (empty when there is no manifest). Lines that do not name a
/// plain relative path are ignored, so a tampered manifest cannot remove files elsewhere.
fn read_manifest(dir: &Path) -> Result<BTreeSet<PathBuf>, String> {
    let path = dir.join(MANIFEST_FILE);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeSet::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(PathBuf::from)
        .filter(|p| !p.is_absolute() && p.components().all(|c| matches!(c, Component::Normal(_))))
        .collect())
}

/// Writes `bytes` to `target` through a temporary file and a rename, unless it already holds them.
/// Returns whether the file changed.
fn write_if_changed(target: &Path, bytes: &[u8]) -> Result<bool, String> {
    if fs::read(target).is_ok_and(|existing| existing == bytes) {
        return Ok(false);
    }
    let parent = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".promagent-")
        .suffix(".tmp")
        .tempfile_in(parent)
        .map_err(|e| {
            format!(
                "cannot create a temporary file in {}: {e}",
                parent.display()
            )
        })?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    tmp.persist(target)
        .map_err(|e| format!("cannot write {}: {}", target.display(), e.error))?;
    Ok(true)
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
        assert!(manifest.ends_with("ns/a/prometheus.yaml\n"), "{manifest}");
        assert!(!manifest.contains("secret-x"));
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
}
