//! PA107 `agent-selectors`: agent monitor/namespace selectors that are not valid label selectors.
#![doc = include_str!("docs/PA107.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use crate::diag::Severity;
use crate::check::selection::agent_selector_error;
use crate::select::labels::Selector;

pub const INFO: RuleInfo = RuleInfo {
    code: "PA107",
    name: "agent-selectors",
    summary: "A monitor or namespace selector of the agent cannot be converted to a label selector",
    doc: include_str!("docs/PA107.md"),
    default_severity: Severity::Error,
};

pub fn check(_cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if t.kind != Kind::PrometheusAgent {
        return;
    }
    let spec = t.spec();
    for (kind, prefix) in [
        (Kind::ServiceMonitor, "serviceMonitor"),
        (Kind::PodMonitor, "podMonitor"),
        (Kind::Probe, "probe"),
        (Kind::ScrapeConfig, "scrapeConfig"),
    ] {
        if let Err(e) = Selector::parse(&spec.get(&format!("{prefix}NamespaceSelector"))) {
            let message = format!(
                "failed to convert namespace label selector to selector: {}",
                e.message
            );
            out.findings
                .push(agent_selector_error(kind, &e.path, &message));
        }
        if let Err(e) = Selector::parse(&spec.get(&format!("{prefix}Selector"))) {
            out.findings
                .push(agent_selector_error(kind, &e.path, &e.message));
        }
    }
}
