//! PM210 `selector-mechanism`: `selectorMechanism: RoleSelector` on a Prometheus older than 2.17.0.
#![doc = include_str!("docs/PM210.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use crate::diag::Severity;

pub const INFO: RuleInfo = RuleInfo {
    code: "PM210",
    name: "selector-mechanism",
    summary: "selectorMechanism RoleSelector needs Prometheus 2.17.0 or newer",
    doc: include_str!("docs/PM210.md"),
    default_severity: Severity::Error,
};

pub fn check(cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if !matches!(t.kind, Kind::PodMonitor | Kind::ServiceMonitor) {
        return;
    }
    let field = t.spec().get("selectorMechanism");
    if field.string() == "RoleSelector" && !cx.agent.at_least((2, 17, 0)) {
        out.error(
            INFO.code,
            &field.path(),
            "RoleSelector selectorMechanism is only supported in Prometheus 2.17.0 and newer",
        );
    }
}
