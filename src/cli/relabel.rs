//! `promagent relabel`: applies a list of relabel rules to one label set, as Prometheus would, and
//! prints the result, or that the label set was dropped; `--explain` shows every rule's effect.
//!
//! The rules are read in Prometheus's form (`source_labels`, `target_label`) or in the form of a
//! PodMonitor's or ServiceMonitor's `relabelings` (`sourceLabels`, `targetLabel`), which is turned
//! into what the operator writes into the prometheus.yml before Prometheus validates it.

use super::{CmdResult, ColorChoice, EXIT_CLEAN, EXIT_FINDINGS, Fatal};
use crate::diag::{Diagnostic, Layer, Location, SourceFile, Span};
use crate::load::yaml::{Key, Node, NodeValue};
use crate::promconfig::relabel::{NameValidation, RelabelConfig, decode_list_in};
use crate::simulate::relabel::{LabelSet, Step, explain};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Apply relabel rules to one label set, as Prometheus does.
#[derive(Debug, Args)]
#[command(after_help = "\
RULES is a YAML list of relabel rules, in Prometheus's form (source_labels, target_label, ...) or
in the form of a PodMonitor's relabelings (sourceLabels, targetLabel, action: Replace, ...); a
mapping holding such a list under relabel_configs, metric_relabel_configs, relabelings or
metricRelabelings works too. The rules are validated as Prometheus validates them first.

Labels with an empty value are absent labels, as in Prometheus. The label set is printed in full,
__meta_* and __tmp_* labels included: relabel sees them all.

Examples:
  promagent relabel --labels __address__=10.0.0.7:8080,__meta_kubernetes_pod_name=web-0 rules.yaml
  promagent relabel --labels target.json --explain rules.yaml     each rule and what it changed
  promagent relabel --labels pod.yaml --format json podmonitor-relabelings.yaml
  promagent relabel --name-validation legacy --labels a=b rules.yaml
  kubectl get podmonitor web -o jsonpath='{.spec.podMetricsEndpoints[0].relabelings}' \\
    | promagent relabel --labels __address__=10.0.0.7:8080 -

Exit codes: 0 the rules ran (kept or dropped), 1 the rules are invalid (Prometheus's error text is
printed), 2 could not run.")]
pub struct RelabelArgs {
    /// The label set: a JSON or YAML file holding a flat map of names to values, or NAME=VALUE
    /// pairs separated by commas. Without it the label set is empty.
    #[arg(long, value_name = "FILE|NAME=VALUE,...")]
    pub labels: Option<String>,

    /// How label names are validated: utf8 (Prometheus 3's default) or legacy ([a-zA-Z_][a-zA-Z0-9_]*).
    #[arg(long, value_enum, default_value_t = NameValidationArg::Utf8, value_name = "SCHEME")]
    pub name_validation: NameValidationArg,

    /// Output format.
    #[arg(long, value_enum, default_value_t = RelabelFormat::Human)]
    pub format: RelabelFormat,

    /// Show every rule: the labels it saw and what it changed, or that it dropped them.
    #[arg(long)]
    pub explain: bool,

    /// The rules file; - reads stdin.
    #[arg(value_name = "RULES")]
    pub rules: PathBuf,

    #[command(flatten)]
    pub limits: super::LimitArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum NameValidationArg {
    Legacy,
    Utf8,
}

impl NameValidationArg {
    fn scheme(self) -> NameValidation {
        match self {
            NameValidationArg::Legacy => NameValidation::Legacy,
            NameValidationArg::Utf8 => NameValidation::Utf8,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RelabelFormat {
    Human,
    Json,
}

pub fn run(args: RelabelArgs, color: ColorChoice) -> CmdResult {
    let scheme = args.name_validation.scheme();
    let mut budget = args.limits.budget();
    let rules_file = Arc::new(read_source(&args.rules, &mut budget)?);
    let labels = match &args.labels {
        None => LabelSet::new(),
        Some(spec) => read_labels(spec, args.rules.as_os_str() == "-", &mut budget)?,
    };
    let rules = match load_rules(&rules_file, scheme)? {
        Ok(rules) => rules,
        Err(findings) => {
            let text = match args.format {
                RelabelFormat::Json => {
                    crate::emit::json::render(&findings, &crate::emit::Summary::of(&findings, 1, 0))
                }
                RelabelFormat::Human => crate::emit::human::render(&findings, color.for_stdout()),
            };
            super::write_stdout(&text)?;
            return Ok(EXIT_FINDINGS);
        }
    };
    let (result, steps) = explain(&labels, &rules, scheme);
    let text = match (args.format, args.explain) {
        (RelabelFormat::Json, true) => {
            json_output(result.as_ref(), Some((&steps, &rules, &rules_file)))
        }
        (RelabelFormat::Json, false) => json_output(result.as_ref(), None),
        (RelabelFormat::Human, true) => {
            human_explain(&labels, result.as_ref(), &steps, &rules, &rules_file)
        }
        (RelabelFormat::Human, false) => human_result(result.as_ref(), &steps, &rules, &rules_file),
    };
    super::write_stdout(&text)?;
    Ok(EXIT_CLEAN)
}

fn read_source(path: &Path, budget: &mut crate::load::Budget) -> Result<SourceFile, Fatal> {
    let source = if path.as_os_str() == "-" {
        crate::load::files::InputSource::Stdin
    } else {
        crate::load::files::InputSource::File(path.to_path_buf())
    };
    let text = budget.read_text(&source)?;
    Ok(SourceFile::new(source.display_name(), text))
}

/// The rules of `file`, or the findings that refuse them (YAML errors, Prometheus's validation).
pub(crate) fn load_rules(
    file: &Arc<SourceFile>,
    scheme: NameValidation,
) -> Result<Result<Vec<RelabelConfig>, Vec<Diagnostic>>, Fatal> {
    let mut inputs = crate::load::Inputs::default();
    inputs.add_text(&file.name, file.text.clone(), &Default::default())?;
    let at = |span: Span| Location {
        file: file.clone(),
        span,
    };
    if !inputs.diagnostics.is_empty() {
        return Ok(Err(inputs.diagnostics));
    }
    let trees: Vec<_> = inputs.documents.iter().map(|d| d.tree()).collect();
    let roots: Vec<&Node> = trees.iter().map(|t| t.as_ref()).collect();
    let root = match roots.as_slice() {
        [] => return Ok(Ok(Vec::new())),
        [root] => *root,
        [_, second, ..] => {
            let (line, column) = file.line_col(second.span.start);
            return Err(Fatal(format!(
                "{}:{line}:{column}: a second YAML document; RULES holds one list of relabel rules",
                file.name
            )));
        }
    };
    let list = rule_list(root).map_err(|(span, message)| {
        let (line, column) = file.line_col(span.start);
        Fatal(format!("{}:{line}:{column}: {message}", file.name))
    })?;
    let list = if is_crd_form(list) {
        to_prometheus_form(list)
    } else {
        list.clone()
    };
    Ok(decode_list_in(&file.text, &list, scheme).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| {
                Diagnostic::error(Layer::Prometheus, "prometheus/relabel", e.message)
                    .with_location(at(e.span))
            })
            .collect()
    }))
}

/// Keys under which a mapping may hold the list of rules.
const LIST_KEYS: [&str; 5] = [
    "relabel_configs",
    "metric_relabel_configs",
    "write_relabel_configs",
    "relabelings",
    "metricRelabelings",
];

/// The node holding the list of rules: the document itself, or the list under one of [`LIST_KEYS`].
fn rule_list(root: &Node) -> Result<&Node, (Span, String)> {
    match &root.value {
        NodeValue::Seq(_) | NodeValue::Null => Ok(root),
        NodeValue::Map(entries) => {
            let mut found = entries
                .iter()
                .filter(|(k, _)| LIST_KEYS.contains(&k.name.as_str()));
            match (found.next(), found.next()) {
                (Some((_, list)), None) => Ok(list),
                (Some(_), Some((second, _))) => Err((
                    second.span,
                    format!("a second list of rules ({}); keep one", second.name),
                )),
                (None, _) => Err((
                    root.span,
                    format!(
                        "expected a list of relabel rules, or a mapping with one of {}",
                        LIST_KEYS.join(", ")
                    ),
                )),
            }
        }
        _ => Err((root.span, "expected a list of relabel rules".to_string())),
    }
}

/// Whether the rules are written as a monitor's `relabelings`: a camelCase key, or an action
/// spelled with capitals as the CRD allows (`Replace`, `LabelMap`).
fn is_crd_form(list: &Node) -> bool {
    let NodeValue::Seq(rules) = &list.value else {
        return false;
    };
    rules.iter().any(|rule| {
        let camel_key = rule.get("sourceLabels").is_some() || rule.get("targetLabel").is_some();
        let capital_action = rule
            .get("action")
            .and_then(Node::as_str)
            .is_some_and(|a| a.chars().any(|c| c.is_ascii_uppercase()));
        camel_key || capital_action
    })
}

/// The rules as the operator writes them into the prometheus.yml: Prometheus's key names, and the
/// fields the operator leaves out when they are empty (`sourceLabels: []`, `targetLabel: ""`,
/// `regex: ""`, `modulus: 0`, `action: ""`) left out, so that Prometheus's defaults apply.
fn to_prometheus_form(list: &Node) -> Node {
    let NodeValue::Seq(rules) = &list.value else {
        return list.clone();
    };
    let rules = rules
        .iter()
        .map(|rule| {
            let NodeValue::Map(entries) = &rule.value else {
                return rule.clone();
            };
            let entries = entries
                .iter()
                .filter(|(key, value)| !left_out_by_operator(&key.name, value))
                .map(|(key, value)| {
                    let name = match key.name.as_str() {
                        "sourceLabels" => "source_labels",
                        "targetLabel" => "target_label",
                        other => other,
                    };
                    let value = match (name, &value.value) {
                        ("action", NodeValue::Str(action)) => Node {
                            value: NodeValue::Str(action.to_lowercase()),
                            span: value.span,
                        },
                        _ => value.clone(),
                    };
                    (
                        Key {
                            name: name.to_string(),
                            span: key.span,
                        },
                        value,
                    )
                })
                .collect();
            Node {
                value: NodeValue::Map(entries),
                span: rule.span,
            }
        })
        .collect();
    Node {
        value: NodeValue::Seq(rules),
        span: list.span,
    }
}

fn left_out_by_operator(key: &str, value: &Node) -> bool {
    match (key, &value.value) {
        (_, NodeValue::Null) => true,
        ("sourceLabels", NodeValue::Seq(items)) => items.is_empty(),
        ("targetLabel" | "regex" | "action", NodeValue::Str(s)) => s.is_empty(),
        ("modulus", NodeValue::Int(0)) => true,
        _ => false,
    }
}

/// `--labels`: a file holding a flat map, or `NAME=VALUE,...`.
fn read_labels(
    spec: &str,
    stdin_taken: bool,
    budget: &mut crate::load::Budget,
) -> Result<LabelSet, Fatal> {
    let path = Path::new(spec);
    if spec == "-" {
        if stdin_taken {
            return Err(Fatal(
                "--labels - and RULES - both read stdin; give one of them as a file".to_string(),
            ));
        }
        return labels_from_file(&read_source(path, budget)?);
    }
    if path.is_file() {
        return labels_from_file(&read_source(path, budget)?);
    }
    if spec.contains('=') || spec.is_empty() {
        return labels_from_pairs(spec);
    }
    Err(Fatal(format!(
        "--labels {spec}: no such file, and not NAME=VALUE pairs"
    )))
}

fn labels_from_pairs(spec: &str) -> Result<LabelSet, Fatal> {
    let mut labels = LabelSet::new();
    for pair in spec.split(',').filter(|p| !p.is_empty()) {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(Fatal(format!(
                "--labels: {pair:?} is not NAME=VALUE (values holding commas need a labels file)"
            )));
        };
        if name.is_empty() {
            return Err(Fatal(format!("--labels: {pair:?} has no label name")));
        }
        if !value.is_empty() {
            labels.insert(name.to_string(), value.to_string());
        }
    }
    Ok(labels)
}

pub(crate) fn labels_from_file(file: &SourceFile) -> Result<LabelSet, Fatal> {
    let place = |span: Span| {
        let (line, column) = file.line_col(span.start);
        format!("{}:{line}:{column}", file.name)
    };
    let parsed = crate::load::yaml::parse(&file.text, &Default::default());
    if let Some(
        crate::load::yaml::ParseError::Syntax(problem)
        | crate::load::yaml::ParseError::Limit(problem),
    ) = &parsed.error
    {
        return Err(Fatal(format!(
            "{}: {}",
            place(Span::new(problem.offset, problem.offset)),
            problem.message
        )));
    }
    if let Some(problem) = parsed.problems.first() {
        return Err(Fatal(format!(
            "{}: {}",
            place(Span::new(problem.offset, problem.offset)),
            problem.message
        )));
    }
    let mut labels = LabelSet::new();
    let Some(root) = parsed.documents.first() else {
        return Ok(labels);
    };
    let NodeValue::Map(entries) = &root.value else {
        return Err(Fatal(format!(
            "{}: expected a mapping of label names to values",
            place(root.span)
        )));
    };
    for (key, value) in entries {
        match &value.value {
            NodeValue::Str(s) => {
                if !s.is_empty() {
                    labels.insert(key.name.clone(), s.clone());
                }
            }
            NodeValue::Null => {}
            _ => {
                return Err(Fatal(format!(
                    "{}: the value of {:?} must be a string; quote it",
                    place(value.span),
                    key.name
                )));
            }
        }
    }
    Ok(labels)
}

fn json_labels(labels: &LabelSet) -> serde_json::Value {
    serde_json::Value::Object(
        labels
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect(),
    )
}

/// `{"labels": {...}}` or `{"dropped": true}`, with `"steps"` when explaining.
pub(crate) fn json_output(
    result: Option<&LabelSet>,
    explained: Option<(&[Step], &[RelabelConfig], &SourceFile)>,
) -> String {
    let mut out = serde_json::Map::new();
    match result {
        Some(labels) => {
            out.insert("labels".into(), json_labels(labels));
        }
        None => {
            out.insert("dropped".into(), true.into());
        }
    }
    if let Some((steps, rules, file)) = explained {
        let steps = steps
            .iter()
            .map(|step| {
                let mut item = serde_json::Map::new();
                item.insert("rule".into(), step.index.into());
                if let Some(rule) = rules.get(step.index) {
                    item.insert("line".into(), file.line_col(rule.span.start).0.into());
                }
                item.insert("action".into(), step.action.as_str().into());
                item.insert("before".into(), json_labels(&step.before));
                match &step.after {
                    Some(after) => item.insert("after".into(), json_labels(after)),
                    None => item.insert("dropped".into(), true.into()),
                };
                serde_json::Value::Object(item)
            })
            .collect();
        out.insert("steps".into(), serde_json::Value::Array(steps));
    }
    let mut text =
        serde_json::to_string_pretty(&serde_json::Value::Object(out)).unwrap_or_default();
    text.push('\n');
    text
}

fn label_line(name: &str, value: &str) -> String {
    format!("{name}={}", crate::promconfig::decode::go_quote(value))
}

fn human_labels(labels: &LabelSet) -> String {
    if labels.is_empty() {
        return "  (no labels)\n".to_string();
    }
    labels
        .iter()
        .map(|(k, v)| format!("  {}\n", label_line(k, v)))
        .collect()
}

fn human_result(
    result: Option<&LabelSet>,
    steps: &[Step],
    rules: &[RelabelConfig],
    file: &SourceFile,
) -> String {
    match (result, steps.last()) {
        (Some(labels), _) => {
            let count = rules.len();
            let plural = if count == 1 { "" } else { "s" };
            format!(
                "labels after {count} rule{plural}:\n{}",
                human_labels(labels)
            )
        }
        (None, Some(step)) => format!("dropped by {}\n", rule_title(step, rules, file)),
        (None, None) => "dropped\n".to_string(),
    }
}

/// `rule 2 (drop) at rules.yaml:7:3`.
fn rule_title(step: &Step, rules: &[RelabelConfig], file: &SourceFile) -> String {
    let place = rules
        .get(step.index)
        .map(|rule| {
            let (line, column) = file.line_col(rule.span.start);
            format!(" at {}:{line}:{column}", file.name)
        })
        .unwrap_or_default();
    format!("rule {} ({}){place}", step.index, step.action.as_str())
}

pub(crate) fn human_explain(
    input: &LabelSet,
    result: Option<&LabelSet>,
    steps: &[Step],
    rules: &[RelabelConfig],
    file: &SourceFile,
) -> String {
    let mut out = format!("input:\n{}", human_labels(input));
    for step in steps {
        out.push_str(&format!("{}:\n", rule_title(step, rules, file)));
        match &step.after {
            None => out.push_str("  dropped the label set\n"),
            Some(after) => out.push_str(&changes(&step.before, after)),
        }
    }
    match result {
        Some(labels) => out.push_str(&format!("result:\n{}", human_labels(labels))),
        None => out.push_str("result: dropped\n"),
    }
    out
}

/// `+ name="value"`, `- name="value"` and `~ name: "old" -> "new"` lines, or `(no change)`.
fn changes(before: &LabelSet, after: &LabelSet) -> String {
    let mut out = String::new();
    let quote = crate::promconfig::decode::go_quote;
    for (name, value) in before {
        match after.get(name) {
            None => out.push_str(&format!("  - {}\n", label_line(name, value))),
            Some(new) if new != value => {
                out.push_str(&format!("  ~ {name}: {} -> {}\n", quote(value), quote(new)))
            }
            Some(_) => {}
        }
    }
    for (name, value) in after {
        if !before.contains_key(name) {
            out.push_str(&format!("  + {}\n", label_line(name, value)));
        }
    }
    if out.is_empty() {
        out.push_str("  (no change)\n");
    }
    out
}
