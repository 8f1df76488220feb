//! PM203 `scrape-class`: a monitor names a scrape class the agent does not define.
#![doc = include_str!("docs/PM203.md")]

use super::RuleInfo;
use super::context::{Cx, Out, Target};
use crate::diag::Severity;

pub const INFO: RuleInfo = RuleInfo {
    code: "PM203",
    name: "scrape-class",
    summary: "The monitor's scrapeClass is not one of the agent's spec.scrapeClasses",
    doc: include_str!("docs/PM203.md"),
    default_severity: Severity::Error,
};

pub fn check(cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if !t.kind.is_monitor() {
        return;
    }
    let Some(classes) = &cx.agent.scrape_classes else {
        return;
    };
    let field = t.spec().get("scrapeClass");
    let name = field.string();
    if name.is_empty() || classes.iter().any(|c| c == name) {
        return;
    }
    out.error(
        INFO.code,
        &field.path(),
        format!("scrapeClass {name:?} not found in Prometheus scrapeClasses"),
    );
    if classes.is_empty() {
        out.help(format!(
            "PrometheusAgent {} defines no scrape classes",
            cx.agent.meta.key()
        ));
    } else {
        out.help(format!("the agent defines: {}", classes.join(", ")));
    }
}
