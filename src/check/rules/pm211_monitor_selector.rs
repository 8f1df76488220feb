//! PM211 `monitor-selector`: a PodMonitor/ServiceMonitor `spec.selector` that is not a valid label selector.
#![doc = include_str!("docs/PM211.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use crate::diag::Severity;
use crate::select::labels::Selector;

pub const INFO: RuleInfo = RuleInfo {
    code: "PM211",
    name: "monitor-selector",
    summary: "The monitor's spec.selector cannot be converted to a label selector",
    doc: include_str!("docs/PM211.md"),
    default_severity: Severity::Error,
};

pub fn check(_cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if !matches!(t.kind, Kind::PodMonitor | Kind::ServiceMonitor) {
        return;
    }
    if let Err(e) = Selector::parse(&t.spec().get("selector")) {
        let message = if t.kind == Kind::PodMonitor {
            format!("failed to parse label selector: {}", e.message)
        } else {
            e.message
        };
        out.error(INFO.code, &e.path, message);
    }
}
