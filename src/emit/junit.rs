//! `--format junit`: a JUnit XML report for CI systems that display test results (GitLab, Jenkins).
//! Every finding is a test case of its own, named after its object (or its file) and code; a
//! finding at or above the run's failing severity is a `<failure type="SEVERITY">`, one below it
//! passes with its text in `<system-out>`. Every object without findings is a passing test case.

use super::flat;
use crate::diag::{Diagnostic, Severity};
use std::collections::BTreeSet;

/// Escapes an attribute value (line breaks as character references) for XML 1.0.
fn xml_escape(s: &str) -> String {
    escape(s, true)
}

/// Escapes element text (line breaks kept) for XML 1.0.
fn xml_text(s: &str) -> String {
    escape(s, false)
}

fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\t' if !attribute => out.push(c),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// One object checked: its file and how findings name it (`Kind ns/name`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Checked {
    pub file: String,
    pub object: String,
}

struct Case {
    classname: String,
    name: String,
    file: String,
    line: Option<usize>,
    /// `(failed, severity, message, text)` when the case reports a finding.
    finding: Option<(bool, Severity, String, String)>,
}

/// `objects` are every object checked, so that clean ones appear as passing test cases; `fail_at`
/// is the lowest severity that fails the run.
pub fn render(diagnostics: &[Diagnostic], objects: &[Checked], fail_at: Severity) -> String {
    let mut with_findings: BTreeSet<Checked> = BTreeSet::new();
    let mut cases = Vec::new();
    for d in diagnostics {
        let f = flat(d);
        let position = d.line_col();
        let mut name = if f.object.is_empty() {
            d.code.clone()
        } else {
            with_findings.insert(Checked {
                file: f.file.to_string(),
                object: f.object.clone(),
            });
            format!("{}: {}", f.object, d.code)
        };
        if !f.path.is_empty() {
            name.push_str(&format!(" at {}", f.path));
        } else if let Some((line, column)) = position {
            name.push_str(&format!(" at {line}:{column}"));
        }
        let mut text = match position {
            Some((line, column)) => format!("{}:{line}:{column}: ", f.file),
            None if !f.file.is_empty() => format!("{}: ", f.file),
            None => String::new(),
        };
        text.push_str(&format!("{} {}: ", d.severity.as_str(), d.code));
        if !f.path.is_empty() {
            text.push_str(&format!("{}: ", f.path));
        }
        text.push_str(&d.message);
        if let Some(help) = &d.help {
            text.push_str(&format!("\nhelp: {help}"));
        }
        cases.push(Case {
            classname: classname(f.file),
            name,
            file: f.file.to_string(),
            line: position.map(|(line, _)| line),
            finding: Some((
                d.severity <= fail_at,
                d.severity,
                d.message.lines().next().unwrap_or("").to_string(),
                text,
            )),
        });
    }
    for object in objects {
        if with_findings.contains(object) {
            continue;
        }
        cases.push(Case {
            classname: classname(&object.file),
            name: object.object.clone(),
            file: object.file.clone(),
            line: None,
            finding: None,
        });
    }
    cases.sort_by(|a, b| (&a.classname, a.line, &a.name).cmp(&(&b.classname, b.line, &b.name)));
    let failures = cases
        .iter()
        .filter(|c| matches!(c.finding, Some((true, ..))))
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"promagent lint\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">\n",
        cases.len()
    ));
    out.push_str(&format!(
        "  <testsuite name=\"promagent lint\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n",
        cases.len()
    ));
    for case in &cases {
        out.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"{}\"",
            xml_escape(&case.classname),
            xml_escape(&case.name)
        ));
        if !case.file.is_empty() {
            out.push_str(&format!(" file=\"{}\"", xml_escape(&case.file)));
        }
        if let Some(line) = case.line {
            out.push_str(&format!(" line=\"{line}\""));
        }
        match &case.finding {
            None => out.push_str("/>\n"),
            Some((true, severity, message, text)) => {
                out.push_str(&format!(
                    ">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
                    severity.as_str(),
                    xml_escape(message),
                    xml_text(text)
                ));
            }
            Some((false, _, _, text)) => {
                out.push_str(&format!(
                    ">\n      <system-out>{}</system-out>\n    </testcase>\n",
                    xml_text(text)
                ));
            }
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// The class name of a file's cases: its path, or `promagent` for findings about no file.
fn classname(file: &str) -> String {
    if file.is_empty() {
        "promagent".to_string()
    } else {
        file.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_xml_well_formed() {
        assert_eq!(
            xml_escape("a<b>&\"c'\n\u{1}"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;"
        );
        assert_eq!(xml_text("a\n\tb\r"), "a\n\tb&#13;");
    }
}
