//! `--format sarif`: a SARIF 2.1.0 log (one run, one result per finding), for code-scanning
//! dashboards such as GitHub's. Each code found gets a rule entry with its documentation from
//! `docs/rules.md`; file locations are relative to the source root (the enclosing git work tree,
//! or the working directory) under the base id [`SRCROOT`]. `helpUri` must be absolute, so it is
//! given only when Cargo.toml names the package's `repository`; `help` always names the section.

use super::flat;
use crate::check::codes::{self, CodeDoc};
use crate::diag::{Diagnostic, Severity};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// The `uriBaseId` of artifact locations under the source root.
pub const SRCROOT: &str = "SRCROOT";

/// The name promagent gives standard input.
const STDIN: &str = "<stdin>";

/// Where relative file names start and what the artifact URIs are relative to.
#[derive(Clone, Debug)]
pub struct Roots {
    /// The directory relative input names are relative to (the working directory).
    pub cwd: PathBuf,
    /// The source root: the enclosing git work tree, or `cwd`.
    pub source: PathBuf,
}

impl Roots {
    /// The roots seen from the working directory.
    pub fn current() -> Roots {
        let cwd = std::env::current_dir().unwrap_or_default();
        Roots::from_cwd(&cwd)
    }

    /// The roots seen from `cwd`: the nearest ancestor holding `.git`, or `cwd` itself.
    pub fn from_cwd(cwd: &Path) -> Roots {
        let source = cwd
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .unwrap_or(cwd)
            .to_path_buf();
        Roots {
            cwd: cwd.to_path_buf(),
            source,
        }
    }
}

/// The URL of `anchor` in `docs/rules.md` of the released source, when the package names its
/// repository (`repository` in Cargo.toml).
pub fn help_uri(repository: &str, version: &str, anchor: &str) -> Option<String> {
    let repository = repository.trim().trim_end_matches('/');
    if !(repository.starts_with("https://") || repository.starts_with("http://")) {
        return None;
    }
    Some(format!(
        "{repository}/blob/v{version}/docs/rules.md#{anchor}"
    ))
}

/// The first section of a rule's documentation (`### What it checks`), or the whole text.
fn full_description(doc: &str) -> String {
    let Some(rest) = doc.trim().strip_prefix("### What it checks") else {
        return doc.trim().to_string();
    };
    let body = rest.split("\n### ").next().unwrap_or(rest);
    body.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn rule_entry(d: &Diagnostic, doc: Option<CodeDoc>) -> Value {
    let Some(doc) = doc else {
        return json!({
            "id": d.code,
            "shortDescription": { "text": format!("{} ({} layer)", d.code, d.layer.as_str()) },
            "properties": { "tags": [d.layer.as_str()] },
        });
    };
    let mut rule = json!({
        "id": doc.code,
        "shortDescription": { "text": doc.summary },
        "fullDescription": { "text": full_description(doc.doc) },
        "help": {
            "text": format!("{}\n\nSee docs/rules.md#{}.", doc.doc.trim(), doc.anchor),
            "markdown": format!("{}\n\nSee [docs/rules.md](docs/rules.md#{}).", doc.doc.trim(), doc.anchor),
        },
        "properties": { "tags": [d.layer.as_str()] },
    });
    if let Some(rule_info) = crate::check::rules::info(doc.code) {
        rule["name"] = json!(rule_info.name);
        rule["defaultConfiguration"] = json!({ "level": level(rule_info.default_severity) });
    }
    if let Some(uri) = help_uri(
        env!("CARGO_PKG_REPOSITORY"),
        env!("CARGO_PKG_VERSION"),
        &doc.anchor,
    ) {
        rule["helpUri"] = json!(uri);
    }
    rule
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

pub fn render(diagnostics: &[Diagnostic], roots: &Roots) -> String {
    let mut rules: BTreeMap<&str, Value> = BTreeMap::new();
    for d in diagnostics {
        rules
            .entry(d.code.as_str())
            .or_insert_with(|| rule_entry(d, codes::describe(&d.code)));
    }
    let rule_index: BTreeMap<&str, usize> =
        rules.keys().enumerate().map(|(i, k)| (*k, i)).collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let f = flat(d);
            let mut text = String::new();
            if !f.object.is_empty() {
                text.push_str(&format!("{}: ", f.object));
            }
            if !f.path.is_empty() {
                text.push_str(&format!("{}: ", f.path));
            }
            text.push_str(&d.message);
            if let Some(help) = &d.help {
                text.push_str(&format!("\nhelp: {help}"));
            }
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": rule_index[d.code.as_str()],
                "level": level(d.severity),
                "message": { "text": text },
            });
            if let Some(location) = &d.location {
                let (line, column) = location.line_col();
                let mut region = json!({ "startLine": line, "startColumn": column });
                if location.span.end > location.span.start {
                    let (end_line, end_column) = location.file.line_col(location.span.end);
                    region["endLine"] = json!(end_line);
                    region["endColumn"] = json!(end_column);
                }
                result["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": artifact_location(&location.file.name, roots),
                        "region": region,
                    }
                }]);
            }
            if !f.object.is_empty() {
                result["properties"] = json!({ "object": f.object, "path": f.path });
            }
            result
        })
        .collect();
    let mut run = json!({
        "tool": { "driver": {
            "name": "promagent",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": rules.into_values().collect::<Vec<_>>(),
        }},
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let Some(root) = directory_uri(&roots.source) {
        run["originalUriBaseIds"] = json!({ SRCROOT: { "uri": root } });
    }
    let log = json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

/// A file name as a SARIF artifact location: relative to the source root with [`SRCROOT`], an
/// absolute `file:` URI outside it, and `stdin` for standard input.
fn artifact_location(name: &str, roots: &Roots) -> Value {
    if name == STDIN {
        return json!({ "uri": "stdin", "description": { "text": "standard input" } });
    }
    let absolute = normalize(&roots.cwd.join(name));
    let source = normalize(&roots.source);
    if let Ok(relative) = absolute.strip_prefix(&source) {
        let segments: Vec<String> = relative
            .components()
            .map(|c| encode_segment(&c.as_os_str().to_string_lossy()))
            .collect();
        return json!({ "uri": segments.join("/"), "uriBaseId": SRCROOT });
    }
    match url::Url::from_file_path(&absolute) {
        Ok(url) => json!({ "uri": url.as_str() }),
        Err(()) => json!({ "uri": encode_segment(name) }),
    }
}

fn directory_uri(dir: &Path) -> Option<String> {
    url::Url::from_directory_path(normalize(dir))
        .ok()
        .map(|u| u.to_string())
}

/// `.` and `..` resolved without touching the file system (a symlink stays as it was named).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(component);
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes everything in one path segment but RFC 3986's unreserved characters.
fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots() -> Roots {
        Roots {
            cwd: PathBuf::from("/repo/deploy"),
            source: PathBuf::from("/repo"),
        }
    }

    #[test]
    fn locations_are_relative_to_the_source_root() {
        assert_eq!(
            artifact_location("agent.yaml", &roots()),
            json!({"uri": "deploy/agent.yaml", "uriBaseId": SRCROOT})
        );
        assert_eq!(
            artifact_location("../x/my file#1.yaml", &roots()),
            json!({"uri": "x/my%20file%231.yaml", "uriBaseId": SRCROOT})
        );
        assert_eq!(
            artifact_location("/repo/./a.yaml", &roots()),
            json!({"uri": "a.yaml", "uriBaseId": SRCROOT})
        );
        assert_eq!(
            artifact_location("/elsewhere/a b.yaml", &roots()),
            json!({"uri": "file:///elsewhere/a%20b.yaml"})
        );
        assert_eq!(artifact_location("<stdin>", &roots())["uri"], "stdin");
        assert_eq!(
            directory_uri(Path::new("/repo")).as_deref(),
            Some("file:///repo/")
        );
    }

    #[test]
    fn help_uri_points_at_the_rule_section_of_the_released_docs() {
        assert_eq!(
            help_uri("https://example.org/promagent/", "1.2.0", "pa102").as_deref(),
            Some("https://example.org/promagent/blob/v1.2.0/docs/rules.md#pa102")
        );
        assert_eq!(help_uri("", "1.2.0", "pa102"), None);
    }

    #[test]
    fn full_description_is_the_first_section() {
        let doc = "### What it checks\n\nAn agent\nwith a gate.\n\n### Why\n\nBecause.";
        assert_eq!(full_description(doc), "An agent with a gate.");
    }
}
