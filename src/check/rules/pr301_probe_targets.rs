//! PR301 `probe-targets`: a Probe without static or ingress targets.
#![doc = include_str!("docs/PR301.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use crate::diag::Severity;

pub const INFO: RuleInfo = RuleInfo {
    code: "PR301",
    name: "probe-targets",
    summary: "A Probe needs spec.targets.staticConfig or spec.targets.ingress",
    doc: include_str!("docs/PR301.md"),
    default_severity: Severity::Error,
};

pub fn check(_cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if t.kind != Kind::Probe {
        return;
    }
    let targets = t.spec().get("targets");
    if !targets.get("staticConfig").is_set() && !targets.get("ingress").is_set() {
        out.error(
            INFO.code,
            &targets.path(),
            "at least one of .spec.targets.staticConfig and .spec.targets.ingress is required",
        );
    }
}
