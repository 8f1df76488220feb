//! PA106 `global-scrape-timeout`: the agent's scrape timeout longer than its scrape interval.
#![doc = include_str!("docs/PA106.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use super::pm202_interval_timeout::compare;
use crate::diag::Severity;

pub const INFO: RuleInfo = RuleInfo {
    code: "PA106",
    name: "global-scrape-timeout",
    summary: "spec.scrapeTimeout is greater than spec.scrapeInterval",
    doc: include_str!("docs/PA106.md"),
    default_severity: Severity::Error,
};

pub fn check(cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if t.kind != Kind::PrometheusAgent {
        return;
    }
    let spec = t.spec();
    let timeout = spec.get("scrapeTimeout");
    if timeout.string().is_empty() {
        return;
    }
    if let Some((about_interval, message)) = compare(timeout.string(), &cx.agent.scrape_interval) {
        let field = if about_interval {
            spec.get("scrapeInterval")
        } else {
            timeout
        };
        out.error(
            INFO.code,
            &field.path(),
            format!("generating config failed: {message}"),
        );
    }
}
