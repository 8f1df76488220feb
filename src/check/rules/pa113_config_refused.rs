//! PA113 `config-refused`: the agent's Prometheus would refuse the configuration the operator generates.
#![doc = include_str!("docs/PA113.md")]

use super::RuleInfo;
use crate::diag::{Diagnostic, Layer, Location, Severity, SourceFile, Span};
use crate::fieldpath::FieldPath;
use crate::load::{Document, Inputs};
use crate::model::{Object, PrometheusAgent, PrometheusAgentMode};
use crate::promconfig::{self, LoadOptions};
use std::sync::Arc;

pub const INFO: RuleInfo = RuleInfo {
    code: "PA113",
    name: "config-refused",
    summary: "The agent's Prometheus would refuse the configuration the operator generates",
    doc: include_str!("docs/PA113.md"),
    default_severity: Severity::Error,
};

const HELP: &str = "the config-reloader's reload fails: a running agent keeps its old configuration, a new one crash-loops";

const ROLE_SELECTOR_HELP: &str = "operator v0.93.0 adds a second `role: pod` selector in DaemonSet mode: leave selectorMechanism at its default (RelabelConfig), or run the agent in StatefulSet mode";

/// Every refusal of the agent's generated `config` (written from `tree`, when given), each at the
/// object and field it comes from.
pub fn findings(
    agent: &Object<PrometheusAgent>,
    config: String,
    tree: Option<crate::render::goyaml::WrittenTree>,
    inputs: &Inputs,
) -> Vec<Diagnostic> {
    let options = LoadOptions::for_agent(agent.value.spec.version.as_deref());
    let version = options.version.to_string();
    let mut out = Vec::new();
    let additional = additional_scrape_configs(agent, inputs, &options, &mut out);
    let source = Arc::new(SourceFile::new("prometheus.yml", config));
    let config = source.text.as_str();
    for refusal in crate::render::config::check_rendered(&source, tree, &options) {
        if refusal.severity != Severity::Error {
            continue;
        }
        let offset = refusal.location.as_ref().map_or(0, |l| l.span.start);
        let job = job_at(config, offset);
        let message = format!(
            "Prometheus {version} would refuse the generated configuration: {}",
            refusal.message
        );
        let origin = job.as_deref().and_then(|j| monitor_of(j, inputs));
        let finding = match origin {
            Some((doc, kind)) => {
                let (path, help) = if kind == "PodMonitor"
                    && agent.value.spec.mode == Some(PrometheusAgentMode::DaemonSet)
                    && refusal.message.contains("duplicated selector role: pod")
                    && doc.value.pointer("/spec/selectorMechanism").and_then(|v| v.as_str())
                        == Some("RoleSelector")
                {
                    (FieldPath::parse("spec.selectorMechanism"), ROLE_SELECTOR_HELP)
                } else {
                    (FieldPath::parse("spec"), HELP)
                };
                at(doc, path, message, help)
            }
            // An additional scrape config already checked at its Secret.
            None if job.is_some() && additional => continue,
            None => {
                let Some(doc) = inputs.documents.get(agent.doc) else {
                    continue;
                };
                let section = config_section(config, offset);
                let field = match section.as_str() {
                    "remote_write" => "spec.remoteWrite",
                    "scrape_configs" => "spec.additionalScrapeConfigs",
                    _ => "spec",
                };
                at(doc, FieldPath::parse(field), message, HELP)
            }
        };
        out.push(finding);
    }
    out
}

fn at(doc: &Document, path: FieldPath, message: String, help: &str) -> Diagnostic {
    Diagnostic::new(Severity::Error, Layer::Operator, INFO.code, message)
        .with_object(doc.object_ref())
        .with_location(doc.location(&path))
        .with_path(path)
        .with_help(help)
}

/// The `job_name` of the scrape config that holds `offset` in a generated configuration.
fn job_at(config: &str, offset: usize) -> Option<String> {
    let before = config.get(..offset.min(config.len()))?;
    if config_section(config, offset) != "scrape_configs" {
        return None;
    }
    let line = before.rfind("\n- job_name: ")?;
    let rest = &config[line + "\n- job_name: ".len()..];
    let name = rest.lines().next()?.trim();
    Some(name.trim_matches(|c| c == '"' || c == '\'').to_string())
}

/// The top-level key of the configuration that `offset` lies under.
fn config_section(config: &str, offset: usize) -> String {
    let before = config.get(..offset.min(config.len())).unwrap_or("");
    before
        .lines()
        .rev()
        .find(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .and_then(|l| l.split(':').next())
        .unwrap_or("")
        .to_string()
}

/// The monitor or ScrapeConfig a generated job comes from (`podMonitor/<ns>/<name>/<i>`, …).
fn monitor_of<'i>(job: &str, inputs: &'i Inputs) -> Option<(&'i Document, &'static str)> {
    let mut parts = job.split('/');
    let kind = match parts.next()? {
        "podMonitor" => "PodMonitor",
        "serviceMonitor" => "ServiceMonitor",
        "probe" => "Probe",
        "scrapeConfig" => "ScrapeConfig",
        _ => return None,
    };
    let (namespace, name) = (parts.next()?, parts.next()?);
    inputs
        .documents
        .iter()
        .find(|d| d.kind() == kind && d.namespace() == namespace && d.name() == name)
        .map(|d| (d, kind))
}

/// Checks the entries of `spec.additionalScrapeConfigs` as scrape configs, at the lines of the
/// Secret's value. Returns whether the Secret's content was found in the input.
fn additional_scrape_configs(
    agent: &Object<PrometheusAgent>,
    inputs: &Inputs,
    options: &LoadOptions,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let Some(selector) = agent.value.spec.additional_scrape_configs.as_ref() else {
        return false;
    };
    let (name, key) = (selector.name.as_str(), selector.key.as_str());
    let Some(secret) = inputs.documents.iter().find(|d| {
        d.kind() == "Secret" && d.namespace() == agent.namespace() && d.name() == name
    }) else {
        return false;
    };
    let (content, node_path, decoded) = if let Some(text) =
        secret.value.pointer(&format!("/stringData/{}", pointer_escape(key))).and_then(|v| v.as_str())
    {
        (text.to_string(), FieldPath::root().key("stringData").key(key), false)
    } else if let Some(data) = secret.value.pointer(&format!("/data/{}", pointer_escape(key))).and_then(|v| v.as_str()) {
        use base64::Engine;
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(data.trim()) else {
            return false;
        };
        (String::from_utf8_lossy(&bytes).into_owned(), FieldPath::root().key("data").key(key), true)
    } else {
        return false;
    };
    if content.trim().is_empty() {
        return true;
    }
    // The entries as Prometheus sees them: the list under `scrape_configs:`.
    let wrapped = format!("scrape_configs:\n{content}");
    let source = Arc::new(SourceFile::new("additional-scrape-configs", wrapped));
    let first_line = value_first_line(secret, &node_path);
    for refusal in promconfig::check_text(&source, options) {
        if refusal.severity != Severity::Error {
            continue;
        }
        let mut d = Diagnostic::new(
            Severity::Error,
            Layer::Operator,
            INFO.code,
            format!(
                "Prometheus {} would refuse this additional scrape config: {}",
                options.version, refusal.message
            ),
        )
        .with_object(secret.object_ref())
        .with_path(node_path.clone())
        .with_help(HELP);
        d = match (&refusal.location, first_line, decoded) {
            // Line L of the wrapped text is line L-1 of the value.
            (Some(l), Some((line, indent)), false) => {
                let (wline, wcol) = l.line_col();
                let line = line + wline.saturating_sub(2);
                let start = secret.file.offset(line, wcol + indent);
                d.with_location(Location {
                    file: secret.file.clone(),
                    span: Span::new(start, start + (l.span.end - l.span.start)),
                })
            }
            _ => d.with_location(secret.location(&node_path)),
        };
        out.push(d);
    }
    true
}

fn pointer_escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The line (1-based) where a block scalar's content starts, and its indentation, when the value
/// is written as a block scalar (`key: |`); `None` for other styles, which have no line mapping.
fn value_first_line(doc: &Document, path: &FieldPath) -> Option<(usize, usize)> {
    let span = doc.span_at(path)?;
    let text = &doc.file.text;
    let header = text.get(..span.start)?.trim_end();
    let indicator = header.rsplit(|c: char| c.is_whitespace()).next()?;
    if !(indicator.starts_with('|') || indicator.starts_with('>')) {
        return None;
    }
    let (line, col) = doc.file.line_col(span.start);
    Some((line, col.saturating_sub(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_and_sections_are_found_from_an_offset() {
        let config = "global:\n  scrape_interval: 30s\nscrape_configs:\n- job_name: podMonitor/ns/web/0\n  kubernetes_sd_configs:\n  - role: pod\nremote_write:\n- url: http://x\n";
        let sd = config.find("role: pod").unwrap();
        assert_eq!(job_at(config, sd).as_deref(), Some("podMonitor/ns/web/0"));
        assert_eq!(config_section(config, sd), "scrape_configs");
        let rw = config.find("url").unwrap();
        assert_eq!(job_at(config, rw), None);
        assert_eq!(config_section(config, rw), "remote_write");
        assert_eq!(job_at(config, 3), None);
    }
}
