//! Turning the paths on the command line into an ordered list of inputs: files as given,
//! directories walked recursively for `*.yaml`, `*.yml` and `*.json` in a stable order, and `-`
//! for standard input. A walk leaves out what `.gitignore` files ignore, `.git/` and
//! `node_modules/` directories, the settings file and the settings' `exclude` patterns; a file
//! named on the command line is always read. Symlink loops are reported instead of followed.

use ignore::gitignore::Gitignore;
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

/// One input, and whether it was named on the command line or found by walking a directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub source: InputSource,
    pub walked: bool,
}

/// What a directory walk leaves out besides `.gitignore`d paths, `.git/` and `node_modules/`.
#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    /// `.gitignore`-style patterns, rooted at the settings file's directory.
    pub exclude: Option<Gitignore>,
    /// File names never read by a walk (the settings file).
    pub skip_names: Vec<String>,
}

impl WalkOptions {
    fn excluded(&self, path: &Path, is_dir: bool) -> bool {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if is_dir && matches!(name, ".git" | "node_modules") {
            return true;
        }
        if !is_dir && self.skip_names.iter().any(|s| s == name) {
            return true;
        }
        let Some(exclude) = &self.exclude else {
            return false;
        };
        let Ok(abs) = std::path::absolute(path) else {
            return false;
        };
        abs.starts_with(exclude.path()) && exclude.matched(&abs, is_dir).is_ignore()
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
    #[error(
        "{path}: the inputs are larger than {limit} (--max-input-bytes); promagent stops reading"
    )]
    TooLarge { path: String, limit: String },
}

fn is_manifest(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// Expands command-line paths into the list of inputs, in order. Files named explicitly are read
/// whatever their extension; files inside directories only when they look like manifests and
/// nothing in `options` or a `.gitignore` leaves them out.
pub fn expand(paths: &[PathBuf], options: &WalkOptions) -> Result<Vec<Input>, LoadError> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Input {
                source: InputSource::Stdin,
                walked: false,
            });
            continue;
        }
        let meta = std::fs::metadata(path).map_err(|e| io_error(path, e))?;
        if !meta.is_dir() {
            out.push(Input {
                source: InputSource::File(path.clone()),
                walked: false,
            });
            continue;
        }
        let skip = options.clone();
        let walker = ignore::WalkBuilder::new(path)
            .follow_links(true)
            .hidden(false)
            .ignore(false)
            .git_global(false)
            .git_exclude(false)
            .require_git(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .filter_entry(move |e| {
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                e.depth() == 0 || !skip.excluded(e.path(), is_dir)
            })
            .build();
        for entry in walker {
            let entry = entry.map_err(|e| walk_error(path, e))?;
            if entry.file_type().is_some_and(|t| t.is_file()) && is_manifest(entry.path()) {
                out.push(Input {
                    source: InputSource::File(entry.into_path()),
                    walked: true,
                });
            }
        }
    }
    Ok(out)
}

pub(crate) fn io_error(path: &Path, e: std::io::Error) -> LoadError {
    let path = path.display().to_string();
    match e.kind() {
        std::io::ErrorKind::NotFound => LoadError::NotFound { path },
        _ => LoadError::Unreadable { path, source: e },
    }
}

fn walk_error(root: &Path, e: ignore::Error) -> LoadError {
    match e {
        ignore::Error::WithPath { path, err } => walk_error(&path, *err),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error(root, *err)
        }
        ignore::Error::Loop { child, .. } => LoadError::SymlinkLoop {
            path: child.display().to_string(),
        },
        ignore::Error::Io(io) => io_error(root, io),
        other => LoadError::Unreadable {
            path: root.display().to_string(),
            source: std::io::Error::other(other.to_string()),
        },
    }
}

/// Reads one input's text, within the default [`super::limits::Budget`].
pub fn read(source: &InputSource) -> Result<String, LoadError> {
    super::limits::Budget::default().read_text(source)
}

/// Reads one input's text within the default budget, and whether it started with a UTF-8 byte
/// order mark (which the text leaves out).
pub fn read_with_bom(source: &InputSource) -> Result<(String, bool), LoadError> {
    super::limits::Budget::default().read_text_with_bom(source)
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
        assert_eq!(
            names(root, &[root.to_path_buf()], &WalkOptions::default()),
            ["a.yml", "b/nested/c.json", "b/x.yaml", "z.yaml"]
        );
    }

    fn names(root: &Path, paths: &[PathBuf], options: &WalkOptions) -> Vec<String> {
        expand(paths, options)
            .unwrap()
            .iter()
            .map(|i| match &i.source {
                InputSource::File(p) => p.strip_prefix(root).unwrap().display().to_string(),
                InputSource::Stdin => "-".into(),
            })
            .collect()
    }

    #[test]
    fn a_walk_leaves_out_ignored_paths_but_named_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for d in ["node_modules/pkg", ".git", "build", "vendor", "deploy"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        for f in [
            "node_modules/pkg/x.yaml",
            ".git/config.yaml",
            "build/out.yaml",
            "vendor/v.yaml",
            "deploy/a.yaml",
            "deploy/a.tmpl.yaml",
            ".promagent.yaml",
        ] {
            std::fs::write(root.join(f), "a: 1\n").unwrap();
        }
        std::fs::write(root.join(".gitignore"), "build/\n").unwrap();
        let mut exclude = ignore::gitignore::GitignoreBuilder::new(root);
        exclude.add_line(None, "vendor/").unwrap();
        exclude.add_line(None, "*.tmpl.yaml").unwrap();
        let options = WalkOptions {
            exclude: Some(exclude.build().unwrap()),
            skip_names: vec![".promagent.yaml".into()],
        };
        assert_eq!(
            names(root, &[root.to_path_buf()], &options),
            ["deploy/a.yaml"]
        );
        // Without the settings, only .gitignore, .git/ and node_modules/ leave paths out.
        assert_eq!(
            names(root, &[root.to_path_buf()], &WalkOptions::default()),
            [
                ".promagent.yaml",
                "deploy/a.tmpl.yaml",
                "deploy/a.yaml",
                "vendor/v.yaml"
            ]
        );
        // Named files are read whatever would leave them out of a walk; so are named directories.
        let named = [
            root.join("build/out.yaml"),
            root.join("vendor/v.yaml"),
            root.join("node_modules/pkg/x.yaml"),
        ];
        assert_eq!(
            names(root, &named, &options),
            ["build/out.yaml", "vendor/v.yaml", "node_modules/pkg/x.yaml"]
        );
        let walked = expand(&[root.join("deploy")], &options).unwrap();
        assert!(walked.iter().all(|i| i.walked));
        assert!(expand(&named, &options).unwrap().iter().all(|i| !i.walked));
        assert_eq!(
            names(root, &[root.join("vendor")], &options),
            ["vendor/v.yaml"]
        );
    }

    #[test]
    fn a_missing_path_is_reported() {
        let err = expand(
            &[PathBuf::from("/definitely/not/here.yaml")],
            &WalkOptions::default(),
        )
        .unwrap_err();
        assert!(matches!(err, LoadError::NotFound { .. }));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_detected() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
        let err = expand(&[dir.path().to_path_buf()], &WalkOptions::default()).unwrap_err();
        assert!(matches!(err, LoadError::SymlinkLoop { .. }), "{err:?}");
    }
}
