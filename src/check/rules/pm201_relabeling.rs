//! PM201 `relabeling`: relabel configurations the operator rejects.
#![doc = include_str!("docs/PM201.md")]

use super::RuleInfo;
use super::context::{AgentCx, Cx, Kind, Out, Target};
use super::support::{compile_relabel_regex, is_valid_label_name};
use crate::diag::Severity;
use crate::fieldpath::FieldPath;
use crate::select::view::View;

pub const INFO: RuleInfo = RuleInfo {
    code: "PM201",
    name: "relabeling",
    summary: "A relabeling or metric relabeling is invalid for the agent's Prometheus version",
    doc: include_str!("docs/PM201.md"),
    default_severity: Severity::Error,
};

/// The relabel lists the operator validates for a monitor.
pub fn relabel_lists<'a>(t: &Target<'a>) -> Vec<View<'a>> {
    let spec = t.spec();
    let mut lists = Vec::new();
    match t.kind {
        Kind::PodMonitor | Kind::ServiceMonitor => {
            let field = if t.kind == Kind::PodMonitor {
                "podMetricsEndpoints"
            } else {
                "endpoints"
            };
            for ep in spec.get(field).items() {
                lists.push(ep.get("relabelings"));
                lists.push(ep.get("metricRelabelings"));
            }
        }
        Kind::Probe => {
            lists.push(spec.get("metricRelabelings"));
            lists.push(spec.at("targets.staticConfig.relabelingConfigs"));
            lists.push(spec.at("targets.ingress.relabelingConfigs"));
        }
        Kind::ScrapeConfig => {
            lists.push(spec.get("relabelings"));
            lists.push(spec.get("metricRelabelings"));
        }
        Kind::PrometheusAgent => {}
    }
    lists
}

pub fn check(cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if !t.kind.is_monitor() {
        return;
    }
    for list in relabel_lists(t) {
        for rc in list.items() {
            if let Some((path, message)) = validate(cx.agent, &rc) {
                out.error(INFO.code, &path, message);
            }
        }
    }
}

/// `$name` / `${name}` templates allowed in a classic-scheme label name.
fn legacy_name_with_templates(s: &str) -> bool {
    static PATTERN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$")
            .expect("a constant pattern compiles")
    });
    PATTERN.is_match(s)
}

/// The operator's first objection to one relabel config, with the field it concerns.
pub fn validate(agent: &AgentCx, rc: &View<'_>) -> Option<(FieldPath, String)> {
    let utf8 = agent.utf8_names();
    let valid_name = |s: &str| is_valid_label_name(s, utf8);
    let raw_action = match rc.get("action").string() {
        "" => "replace",
        a => a,
    };
    let action = raw_action.to_lowercase();
    let at = |field: &str| rc.get(field).path();
    let target = rc.get("targetLabel").string();
    let replacement = rc.get("replacement");
    let separator = rc.get("separator");
    let modulus = rc.get("modulus").int().unwrap_or(0);
    let regex = rc.get("regex").string();

    if matches!(action.as_str(), "lowercase" | "uppercase") && !agent.at_least((2, 36, 0)) {
        return Some((
            at("action"),
            format!("{raw_action} relabel action is only supported from Prometheus version 2.36.0"),
        ));
    }
    if matches!(action.as_str(), "keepequal" | "dropequal") && !agent.at_least((2, 41, 0)) {
        return Some((
            at("action"),
            format!("{raw_action} relabel action is only supported from Prometheus version 2.41.0"),
        ));
    }
    if let Err(e) = compile_relabel_regex(regex) {
        return Some((
            at("regex"),
            format!("invalid regex {regex} for relabel configuration: {e}"),
        ));
    }
    if modulus == 0 && action == "hashmod" {
        return Some((
            at("modulus"),
            "relabel configuration for hashmod requires non-zero modulus".into(),
        ));
    }
    let needs_target = matches!(
        action.as_str(),
        "replace" | "hashmod" | "lowercase" | "uppercase" | "keepequal" | "dropequal"
    );
    if needs_target && target.is_empty() {
        return Some((
            at("targetLabel"),
            format!("relabel configuration for {raw_action} action needs targetLabel value"),
        ));
    }
    let case_or_equal = matches!(
        action.as_str(),
        "lowercase" | "uppercase" | "keepequal" | "dropequal"
    );
    if (action == "replace" || case_or_equal || action == "hashmod") && !valid_name(target) {
        return Some((
            at("targetLabel"),
            format!("{target:?} is invalid 'target_label' for {raw_action} action"),
        ));
    }
    let replacement_changed = replacement.is_set() && replacement.string() != "$1";
    if case_or_equal && replacement_changed {
        return Some((
            at("replacement"),
            format!("'replacement' can not be set for {raw_action} action"),
        ));
    }
    if action == "labelmap" && replacement.is_set() {
        let r = replacement.string();
        let ok = if utf8 {
            !r.is_empty()
        } else {
            legacy_name_with_templates(r)
        };
        if !ok {
            return Some((
                at("replacement"),
                format!("{r:?} is invalid 'replacement' for {raw_action} action"),
            ));
        }
    }
    let separator_changed = separator.is_set() && separator.string() != ";";
    if matches!(action.as_str(), "keepequal" | "dropequal")
        && ((!regex.is_empty() && regex != "(.*)")
            || modulus != 0
            || separator_changed
            || replacement_changed)
    {
        return Some((
            rc.path(),
            format!(
                "{raw_action} action requires only 'source_labels' and `target_label`, and no other fields"
            ),
        ));
    }
    if matches!(action.as_str(), "labeldrop" | "labelkeep")
        && (rc.get("sourceLabels").non_empty()
            || !target.is_empty()
            || modulus != 0
            || separator_changed
            || replacement_changed)
    {
        return Some((
            rc.path(),
            format!("{raw_action} action requires only 'regex', and no other fields"),
        ));
    }
    None
}
