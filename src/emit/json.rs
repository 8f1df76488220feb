//! `--format json`: `{"diagnostics": [{file, line, column, severity, code, layer, kind, namespace,
//! name, path, message, help}]}`, one object per finding.

use super::flat;
use crate::diag::Diagnostic;
use serde_json::json;

pub fn render(diagnostics: &[Diagnostic]) -> String {
    let items: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let f = flat(d);
            json!({
                "file": f.file,
                "line": f.line,
                "column": f.column,
                "severity": d.severity.as_str(),
                "code": d.code,
                "layer": d.layer.as_str(),
                "kind": f.kind,
                "namespace": f.namespace,
                "name": f.name,
                "path": f.path,
                "message": d.message,
                "help": d.help,
            })
        })
        .collect();
    let mut text =
        serde_json::to_string_pretty(&json!({ "diagnostics": items })).unwrap_or_default();
    text.push('\n');
    text
}
