//! `--format concise`: one line per finding, `file:line:col: CODE severity: Kind ns/name: path: message`,
//! for terminals and logs where a finding should take one line (as ruff's concise output).
//! Control characters in any part of it are escaped ([`crate::shown::escape`]).

use super::flat;
use crate::diag::{Diagnostic, Severity};

pub fn render(diagnostics: &[Diagnostic]) -> String {
    let mut lines = String::new();
    for d in diagnostics {
        let mut line = String::new();
        let out = &mut line;
        let f = flat(d);
        if f.file.is_empty() {
            out.push_str("promagent: ");
        } else {
            out.push_str(&format!("{}:{}:{}: ", f.file, f.line, f.column));
        }
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "note",
        };
        out.push_str(&format!("{} {severity}: ", d.code));
        if !f.object.is_empty() {
            out.push_str(&format!("{}: ", f.object));
        }
        if !f.path.is_empty() {
            out.push_str(&format!("{}: ", f.path));
        }
        // One finding, one line.
        out.push_str(&d.message.replace(['\n', '\r'], " "));
        let line = crate::shown::escape(&line).replace('\n', " ");
        lines.push_str(&line);
        lines.push('\n');
    }
    lines
}
