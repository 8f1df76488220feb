//! PR302 `probe-static-labels`: a Probe static label whose name is not a valid label name.
#![doc = include_str!("docs/PR302.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use super::support::is_valid_label_name;
use crate::diag::Severity;
use crate::select::view::View;

pub const INFO: RuleInfo = RuleInfo {
    code: "PR302",
    name: "probe-static-labels",
    summary: "A label of targets.staticConfig.labels is not a valid label name for the agent's version",
    doc: include_str!("docs/PR302.md"),
    default_severity: Severity::Error,
};

/// Reports the first invalid name of a label map, in sorted order as the operator checks them.
pub fn check_labels(cx: &Cx<'_>, labels: &View<'_>, code: &'static str, out: &mut Out) {
    let mut entries = labels.entries();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    let utf8 = cx.agent.utf8_names();
    if let Some((name, v)) = entries
        .into_iter()
        .find(|(name, _)| !is_valid_label_name(name, utf8))
    {
        out.error(code, &v.path(), format!("invalid label {name:?}"));
        if !utf8 {
            out.help("label names must match [a-zA-Z_][a-zA-Z0-9_]* before Prometheus 3.0");
        }
    }
}

pub fn check(cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if t.kind != Kind::Probe {
        return;
    }
    check_labels(
        cx,
        &t.spec().at("targets.staticConfig.labels"),
        INFO.code,
        out,
    );
}
