//! `--format junit`: a JUnit XML report with one test case per object checked, failed by its
//! error findings, for CI systems that display JUnit results.

use super::flat;
use crate::diag::{Diagnostic, Severity};
use std::collections::BTreeMap;

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// `objects` lists every object checked as (file, kind, namespace/name), so that clean objects
/// appear as passing test cases.
pub fn render(diagnostics: &[Diagnostic], objects: &[(String, String, String)]) -> String {
    let mut cases: BTreeMap<(String, String, String), Vec<&Diagnostic>> = BTreeMap::new();
    for object in objects {
        cases.entry(object.clone()).or_default();
    }
    for d in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        let f = flat(d);
        let name = if f.namespace.is_empty() {
            f.name.to_string()
        } else {
            format!("{}/{}", f.namespace, f.name)
        };
        cases
            .entry((f.file.to_string(), f.kind.to_string(), name))
            .or_default()
            .push(d);
    }
    let failures = cases.values().filter(|v| !v.is_empty()).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"promagent lint\" tests=\"{}\" failures=\"{failures}\">\n",
        cases.len()
    ));
    out.push_str(&format!(
        "  <testsuite name=\"promagent lint\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">\n",
        cases.len()
    ));
    for ((file, kind, name), found) in &cases {
        let case_name = if kind.is_empty() {
            file.clone()
        } else {
            format!("{kind} {name}")
        };
        out.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"{}\"",
            xml_escape(file),
            xml_escape(&case_name)
        ));
        if found.is_empty() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        for d in found {
            let f = flat(d);
            out.push_str(&format!(
                "      <failure type=\"{}\" message=\"{}\">{}:{}:{}: {}: {}</failure>\n",
                xml_escape(&d.code),
                xml_escape(&d.message),
                xml_escape(f.file),
                f.line,
                f.column,
                xml_escape(&f.path),
                xml_escape(&d.message)
            ));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
