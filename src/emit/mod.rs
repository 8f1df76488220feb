//! Emitting findings: one small module per output format. Each takes the sorted findings and the
//! number of objects checked and returns the text to print. [`yaml`] and [`dir`] emit rendered
//! objects (a YAML stream, or one file per object).

pub mod concise;
pub mod dir;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod yaml;

use crate::diag::{Diagnostic, Severity};

/// Counts for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub files: usize,
    pub objects: usize,
}

impl Summary {
    pub fn of(diagnostics: &[Diagnostic], files: usize, objects: usize) -> Self {
        let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
        Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            files,
            objects,
        }
    }

    /// `2 errors, 1 warning in 3 objects (2 files)` or `no problems in 3 objects (2 files)`.
    pub fn line(&self) -> String {
        fn plural(n: usize, word: &str) -> String {
            format!("{n} {word}{}", if n == 1 { "" } else { "s" })
        }
        let mut parts = Vec::new();
        if self.errors > 0 {
            parts.push(plural(self.errors, "error"));
        }
        if self.warnings > 0 {
            parts.push(plural(self.warnings, "warning"));
        }
        if self.infos > 0 {
            parts.push(plural(self.infos, "note"));
        }
        let found = if parts.is_empty() {
            "no problems".to_string()
        } else {
            parts.join(", ")
        };
        format!(
            "{found} in {} ({})",
            plural(self.objects, "object"),
            plural(self.files, "file")
        )
    }
}

/// The fields every machine-readable format shares.
pub(crate) struct Flat<'a> {
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    /// `Kind ns/name` (see [`crate::diag::ObjectRef`]), empty when the finding concerns no object.
    pub object: String,
    pub path: String,
}

pub(crate) fn flat(d: &Diagnostic) -> Flat<'_> {
    let (line, column) = d.line_col().unwrap_or((0, 0));
    let object = d.object.as_ref();
    Flat {
        file: d.file_name().unwrap_or(""),
        line,
        column,
        object: object
            .filter(|o| !o.kind.is_empty())
            .map_or_else(String::new, ToString::to_string),
        path: d.path.to_string(),
    }
}
