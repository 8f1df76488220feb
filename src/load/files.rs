//! Turning the paths on the command line into an ordered list of inputs: files as given,
//! directories walked recursively for `*.yaml`, `*.yml` and `*.json` in a stable order, and `-`
//! for standard input. Symlink loops are detected and reported instead of followed forever.

use std::path::{Path, PathBuf};
use thiserror::Error;

/// Where one input comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputSource {
    Stdin,
    File(PathBuf),
}

impl InputSource {
    pub fn display_name(&self) -> String {
        match self {
            InputSource::Stdin => "<stdin>".to_string(),
            InputSource::File(p) => p.display().to_string(),
        }
    }
}

/// An input that cannot be read at all: promagent stops with exit code 2.
#[derive(Debug, Error)]
pub enum LoadError {
    #[error("{path}: no such file or directory")]
    NotFound { path: String },
    #[error("{path}: cannot read: {source}")]
    Unreadable {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: symbolic link loop; remove the loop or pass the target directly")]
    SymlinkLoop { path: String },
    #[error("{path}: not valid UTF-8 text; manifests must be UTF-8")]
    NotUtf8 { path: String },
    #[error("{path}:{line}:{column}: {message}")]
    Limit {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("no input: pass one or more files or directories, or - to read standard input")]
    NoInput,
}

fn is_manifest(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// Expands command-line paths into the list of inputs, in order. Files named explicitly are read
/// whatever their extension; files inside directories only when they look like manifests.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<InputSource>, LoadError> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(InputSource::Stdin);
            continue;
        }
        let meta = std::fs::metadata(path).map_err(|e| io_error(path, e))?;
        if !meta.is_dir() {
            out.push(InputSource::File(path.clone()));
            continue;
        }
        let walker = walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name();
        for entry in walker {
            let entry = entry.map_err(|e| walk_error(path, e))?;
            if entry.file_type().is_file() && is_manifest(entry.path()) {
                out.push(InputSource::File(entry.into_path()));
            }
        }
    }
    Ok(out)
}

fn io_error(path: &Path, e: std::io::Error) -> LoadError {
    let path = path.display().to_string();
    match e.kind() {
        std::io::ErrorKind::NotFound => LoadError::NotFound { path },
        _ => LoadError::Unreadable { path, source: e },
    }
}

fn walk_error(root: &Path, e: walkdir::Error) -> LoadError {
    let path = e.path().unwrap_or(root).display().to_string();
    if e.loop_ancestor().is_some() {
        return LoadError::SymlinkLoop { path };
    }
    match e.into_io_error() {
        Some(io) if io.kind() == std::io::ErrorKind::NotFound => LoadError::NotFound { path },
        Some(io) => LoadError::Unreadable { path, source: io },
        None => LoadError::SymlinkLoop { path },
    }
}

/// Reads one input's text, without a leading UTF-8 byte order mark.
pub fn read(source: &InputSource) -> Result<String, LoadError> {
    read_with_bom(source).map(|(text, _)| text)
}

/// Reads one input's text, and whether it started with a UTF-8 byte order mark (which the text
/// leaves out).
pub fn read_with_bom(source: &InputSource) -> Result<(String, bool), LoadError> {
    let name = source.display_name();
    let bytes = match source {
        InputSource::Stdin => {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map_err(|e| {
                LoadError::Unreadable {
                    path: name.clone(),
                    source: e,
                }
            })?;
            buf
        }
        InputSource::File(path) => std::fs::read(path).map_err(|e| io_error(path, e))?,
    };
    let mut text = String::from_utf8(bytes).map_err(|_| LoadError::NotUtf8 { path: name })?;
    let bom = text.starts_with('\u{feff}');
    if bom {
        text.remove(0);
    }
    Ok((text, bom))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_are_walked_in_a_stable_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/nested")).unwrap();
        for f in [
            "z.yaml",
            "a.yml",
            "b/nested/c.json",
            "b/x.yaml",
            "notes.txt",
        ] {
            std::fs::write(root.join(f), "a: 1\n").unwrap();
        }
        let inputs = expand(&[root.to_path_buf()]).unwrap();
        let names: Vec<String> = inputs
            .iter()
            .map(|i| match i {
                InputSource::File(p) => p.strip_prefix(root).unwrap().display().to_string(),
                InputSource::Stdin => "-".into(),
            })
            .collect();
        assert_eq!(names, ["a.yml", "b/nested/c.json", "b/x.yaml", "z.yaml"]);
    }

    #[test]
    fn a_missing_path_is_reported() {
        let err = expand(&[PathBuf::from("/definitely/not/here.yaml")]).unwrap_err();
        assert!(matches!(err, LoadError::NotFound { .. }));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_detected() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
        let err = expand(&[dir.path().to_path_buf()]).unwrap_err();
        assert!(matches!(err, LoadError::SymlinkLoop { .. }), "{err:?}");
    }
}
