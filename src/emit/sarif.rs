//! `--format sarif`: a SARIF 2.1.0 log (one run, one result per finding), for code-scanning
//! dashboards such as GitHub's.

use super::flat;
use crate::diag::{Diagnostic, Severity};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// `rule_help` gives a one-line description for a code, when one is known.
pub fn render(diagnostics: &[Diagnostic], rule_help: &dyn Fn(&str) -> Option<String>) -> String {
    let mut rules: BTreeMap<&str, Value> = BTreeMap::new();
    for d in diagnostics {
        rules.entry(d.code.as_str()).or_insert_with(|| {
            let text =
                rule_help(&d.code).unwrap_or_else(|| format!("{} finding", d.layer.as_str()));
            json!({ "id": d.code, "shortDescription": { "text": text } })
        });
    }
    let rule_index: BTreeMap<&str, usize> =
        rules.keys().enumerate().map(|(i, k)| (*k, i)).collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let f = flat(d);
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "note",
            };
            let mut text = String::new();
            if !f.kind.is_empty() {
                text.push_str(&format!("{} {}: ", f.kind, f.name));
            }
            if !f.path.is_empty() {
                text.push_str(&format!("{}: ", f.path));
            }
            text.push_str(&d.message);
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": rule_index[d.code.as_str()],
                "level": level,
                "message": { "text": text },
            });
            if !f.file.is_empty() {
                result["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(f.file) },
                        "region": { "startLine": f.line.max(1), "startColumn": f.column.max(1) }
                    }
                }]);
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "promagent",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.into_values().collect::<Vec<_>>(),
            }},
            "results": results,
        }]
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

/// File names become relative URIs with forward slashes and percent-escaped specials.
fn uri(file: &str) -> String {
    let path = file.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            c => out.push(c),
        }
    }
    out
}
