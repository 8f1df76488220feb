//! SC402 `static-config-labels`: a ScrapeConfig static label whose name is not a valid label name.
#![doc = include_str!("docs/SC402.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use super::pr302_static_labels::check_labels;
use crate::diag::Severity;

pub const INFO: RuleInfo = RuleInfo {
    code: "SC402",
    name: "static-config-labels",
    summary: "A label of staticConfigs[].labels is not a valid label name for the agent's version",
    doc: include_str!("docs/SC402.md"),
    default_severity: Severity::Error,
};

pub fn check(cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if t.kind != Kind::ScrapeConfig {
        return;
    }
    for sc in t.spec().get("staticConfigs").items() {
        check_labels(cx, &sc.get("labels"), INFO.code, out);
    }
}
