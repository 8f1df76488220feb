//! `migrate --write`: replaces several files all or nothing. Every new text is first written to a
//! temporary file next to the file it replaces (same directory, same permissions, same owner where
//! the system allows), and only when every one is ready are they renamed into place. A failure
//! before that removes the temporary files and leaves every original as it was; a failed rename
//! puts the files already replaced back.
//!
//! A symbolic link is written through: its final target gets the new text, the link stays. A file
//! with several hard links is refused, since a rename would leave the other names with the old
//! text. A read-only file, a file that changed since it was read, and the same file given twice
//! are refused as well.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use tempfile::TempPath;

/// One file to replace.
#[derive(Clone, Debug)]
pub struct Output {
    /// The path as given (a symbolic link is followed).
    pub path: PathBuf,
    /// What the file holds now, as it was read; the write is refused when it differs.
    pub current: Vec<u8>,
    pub new: Vec<u8>,
}

/// The new texts, each in a temporary file next to its target.
#[derive(Debug)]
pub struct Staged {
    files: Vec<StagedFile>,
    /// Things the user should know (an owner that could not be kept).
    pub notes: Vec<String>,
}

#[derive(Debug)]
struct StagedFile {
    shown: String,
    target: PathBuf,
    temp: TempPath,
}

/// Stages every output, then renames them all into place.
pub fn write_all(outputs: &[Output]) -> Result<Vec<String>, String> {
    let staged = stage(outputs).map_err(|e| format!("{e}; nothing was written"))?;
    let notes = staged.notes.clone();
    staged.commit()?;
    Ok(notes)
}

/// Writes every output to a temporary file next to its target. Nothing is replaced yet; on error
/// the temporary files written so far are removed.
pub fn stage(outputs: &[Output]) -> Result<Staged, String> {
    let mut staged = Staged {
        files: Vec::new(),
        notes: Vec::new(),
    };
    let mut seen: Vec<(PathBuf, String)> = Vec::new();
    for output in outputs {
        let shown = output.path.display().to_string();
        let fail = |what: &str, e: std::io::Error| format!("{shown}: {what}: {e}");
        let target = resolve(&output.path).map_err(|e| fail("cannot resolve the path", e))?;
        if let Some((_, first)) = seen.iter().find(|(t, _)| *t == target) {
            return Err(format!(
                "{shown}: the same file as {first}; pass each file once"
            ));
        }
        seen.push((target.clone(), shown.clone()));
        let meta = fs::metadata(&target).map_err(|e| fail("cannot read", e))?;
        if !meta.is_file() {
            return Err(format!("{shown}: not a regular file"));
        }
        check_links(&shown, &meta)?;
        if meta.permissions().readonly() {
            return Err(format!(
                "{shown}: the file is read-only; make it writable first"
            ));
        }
        fs::OpenOptions::new()
            .write(true)
            .open(&target)
            .map_err(|e| fail("cannot write", e))?;
        let now = fs::read(&target).map_err(|e| fail("cannot read", e))?;
        if now != output.current {
            return Err(format!(
                "{shown}: the file changed since promagent read it; run again"
            ));
        }
        let (dir, prefix) = sibling(&target);
        let mut temp = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".promagent")
            .tempfile_in(dir)
            .map_err(|e| fail("cannot create a temporary file next to it", e))?;
        temp.write_all(&output.new)
            .and_then(|()| temp.as_file().set_permissions(meta.permissions()))
            .and_then(|()| temp.as_file().sync_all())
            .map_err(|e| fail("cannot write a temporary file next to it", e))?;
        if let Some(note) = keep_owner(&shown, temp.as_file(), &meta) {
            staged.notes.push(note);
        }
        staged.files.push(StagedFile {
            shown,
            target,
            temp: temp.into_temp_path(),
        });
    }
    Ok(staged)
}

impl Staged {
    /// Renames every staged file into place. When one rename fails, the files already replaced
    /// get their old text back (from a hard link, or a copy where links are not supported).
    pub fn commit(self) -> Result<(), String> {
        let mut backups = Vec::new();
        for f in &self.files {
            let b = backup(&f.target).map_err(|e| {
                format!(
                    "{}: cannot keep the old file while writing: {e}; nothing was written",
                    f.shown
                )
            })?;
            backups.push(Some(b));
        }
        let targets: Vec<PathBuf> = self.files.iter().map(|f| f.target.clone()).collect();
        for (i, f) in self.files.into_iter().enumerate() {
            let Err(e) = f.temp.persist(&f.target) else {
                continue;
            };
            let mut kept = Vec::new();
            for (j, target) in targets.iter().enumerate().take(i) {
                let Some(b) = backups[j].take() else { continue };
                if let Err(failed) = b.persist(target)
                    && let Ok(path) = failed.path.keep()
                {
                    kept.push(path.display().to_string());
                }
            }
            let mut message = format!("{}: cannot replace the file: {}", f.shown, e.error);
            if kept.is_empty() {
                message.push_str("; nothing was written");
            } else {
                message.push_str(&format!(
                    "; the old text of the files already replaced is kept in {}",
                    kept.join(", ")
                ));
            }
            return Err(message);
        }
        Ok(())
    }
}

fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        fs::canonicalize(path)
    } else {
        Ok(path.to_path_buf())
    }
}

/// The directory of `target` and the hidden name prefix (`.<name>.`) of the files staged beside it.
fn sibling(target: &Path) -> (&Path, String) {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (dir, format!(".{name}."))
}

/// A second name for the file's current content, removed when dropped.
fn backup(target: &Path) -> std::io::Result<TempPath> {
    let (dir, prefix) = sibling(target);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".orig");
    let linked = builder.make_in(dir, |p| fs::hard_link(target, p));
    let made = match linked {
        Ok(made) => made,
        Err(_) => builder.make_in(dir, |p| fs::copy(target, p).map(|_| ()))?,
    };
    Ok(made.into_temp_path())
}

#[cfg(unix)]
fn check_links(shown: &str, meta: &fs::Metadata) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    if meta.nlink() > 1 {
        return Err(format!(
            "{shown}: the file has {} hard links, and --write replaces it with a new file, which would leave the other links with the old text; write to stdout and copy over it instead (promagent migrate FILE > FILE.new && cat FILE.new > FILE)",
            meta.nlink()
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_links(_shown: &str, _meta: &fs::Metadata) -> Result<(), String> {
    Ok(())
}

#[cfg(unix)]
fn keep_owner(shown: &str, file: &fs::File, meta: &fs::Metadata) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let now = file.metadata().ok()?;
    if now.uid() == meta.uid() && now.gid() == meta.gid() {
        return None;
    }
    match std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid())) {
        Ok(()) => None,
        Err(e) => Some(format!(
            "{shown}: the owner {}:{} could not be kept ({e}); the file now belongs to {}:{}",
            meta.uid(),
            meta.gid(),
            now.uid(),
            now.gid()
        )),
    }
}

#[cfg(not(unix))]
fn keep_owner(_shown: &str, _file: &fs::File, _meta: &fs::Metadata) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(path: &Path, new: &str) -> Output {
        Output {
            path: path.to_path_buf(),
            current: fs::read(path).unwrap(),
            new: new.as_bytes().to_vec(),
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_failed_rename_puts_back_the_files_already_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.yaml"), dir.path().join("b.yaml"));
        fs::write(&a, "a: 1\n").unwrap();
        fs::write(&b, "b: 1\n").unwrap();
        let staged = stage(&[output(&a, "a: 2\n"), output(&b, "b: 2\n")]).unwrap();
        assert_eq!(names(dir.path()).len(), 4, "two staged files");
        // The second rename fails: its staged file is gone.
        fs::remove_file(&staged.files[1].temp).unwrap();
        let err = staged.commit().unwrap_err();
        assert!(err.contains("b.yaml: cannot replace the file"), "{err}");
        assert!(err.contains("nothing was written"), "{err}");
        assert_eq!(fs::read_to_string(&a).unwrap(), "a: 1\n");
        assert_eq!(fs::read_to_string(&b).unwrap(), "b: 1\n");
        assert_eq!(names(dir.path()), ["a.yaml", "b.yaml"]);
    }

    #[test]
    fn a_failure_while_staging_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        let mut stale = output(&a, "a: 2\n");
        stale.current = b"a: 0\n".to_vec();
        let err = write_all(&[output(&a, "a: 2\n"), stale]).unwrap_err();
        assert!(err.contains("the same file as"), "{err}");
        let b = dir.path().join("b.yaml");
        fs::write(&b, "b: 1\n").unwrap();
        let mut stale = output(&b, "b: 2\n");
        stale.current = b"b: 0\n".to_vec();
        let err = write_all(&[output(&a, "a: 2\n"), stale]).unwrap_err();
        assert!(err.contains("changed since promagent read it"), "{err}");
        assert_eq!(fs::read_to_string(&a).unwrap(), "a: 1\n");
        assert_eq!(names(dir.path()), ["a.yaml", "b.yaml"]);
        write_all(&[output(&a, "a: 2\n"), output(&b, "b: 2\n")]).unwrap();
        assert_eq!(fs::read_to_string(&a).unwrap(), "a: 2\n");
        assert_eq!(fs::read_to_string(&b).unwrap(), "b: 2\n");
        assert_eq!(names(dir.path()), ["a.yaml", "b.yaml"]);
    }
}
