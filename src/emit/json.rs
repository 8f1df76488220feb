//! `--format json`: `{"version": 1, "summary": {…}, "diagnostics": [{…}]}`, one object per finding,
//! every finding with the same keys (`null` where a value is absent). docs/json-output.md describes
//! the format; [`VERSION`] changes when a key is removed or changes meaning.

use super::{Summary, flat};
use crate::diag::Diagnostic;
use serde_json::{Value, json};

/// The version of the JSON format.
pub const VERSION: u32 = 1;

pub fn render(diagnostics: &[Diagnostic], summary: &Summary) -> String {
    let text_or_null = |s: &str| {
        if s.is_empty() {
            Value::Null
        } else {
            Value::String(s.to_string())
        }
    };
    let items: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let f = flat(d);
            let (line, column) = match d.line_col() {
                Some((line, column)) => (json!(line), json!(column)),
                None => (Value::Null, Value::Null),
            };
            let object = d.object.as_ref().filter(|o| !o.kind.is_empty());
            json!({
                "file": text_or_null(f.file),
                "line": line,
                "column": column,
                "severity": d.severity.as_str(),
                "code": d.code,
                "layer": d.layer.as_str(),
                "kind": object.map(|o| o.kind.as_str()),
                "namespace": object.and_then(|o| (!o.namespace.is_empty()).then_some(o.namespace.as_str())),
                "name": object.and_then(|o| (!o.name.is_empty()).then_some(o.name.as_str())),
                "path": text_or_null(&f.path),
                "message": d.message,
                "help": d.help,
            })
        })
        .collect();
    let report = json!({
        "version": VERSION,
        "summary": {
            "errors": summary.errors,
            "warnings": summary.warnings,
            "infos": summary.infos,
            "files": summary.files,
            "objects": summary.objects,
        },
        "diagnostics": items,
    });
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}
