//! SEL603 `nothing-selected`: an agent that selects no monitor at all.
#![doc = include_str!("docs/SEL603.md")]

use super::RuleInfo;
use super::context::Finding;
use crate::diag::Severity;
use crate::fieldpath::FieldPath;

pub const INFO: RuleInfo = RuleInfo {
    code: "SEL603",
    name: "nothing-selected",
    summary: "The agent selects no ServiceMonitor, PodMonitor, Probe or ScrapeConfig of the input",
    doc: include_str!("docs/SEL603.md"),
    default_severity: Severity::Info,
};

pub fn finding() -> Finding {
    Finding {
        code: INFO.code,
        severity: INFO.default_severity,
        path: FieldPath::root().key("spec"),
        message: "No ServiceMonitor, PodMonitor, Probe, and ScrapeConfig have been selected.".into(),
        help: Some(
            "an unset *Selector selects nothing; use {} to select everything in the selected namespaces".into(),
        ),
        anchor: None,
    }
}
