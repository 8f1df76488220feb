//! SEL601 `not-selected`: a monitor no PrometheusAgent of the input selects.
#![doc = include_str!("docs/SEL601.md")]

use super::RuleInfo;
use super::context::Finding;
use crate::diag::Severity;
use crate::fieldpath::FieldPath;

pub const INFO: RuleInfo = RuleInfo {
    code: "SEL601",
    name: "not-selected",
    summary: "No PrometheusAgent of the input selects this monitor, so the operator never renders it; promagent checks it against the operator's defaults",
    doc: include_str!("docs/SEL601.md"),
    default_severity: Severity::Info,
};

pub fn finding() -> Finding {
    Finding {
        code: INFO.code,
        severity: INFO.default_severity,
        path: FieldPath::parse("metadata.labels"),
        message: "not selected by any PrometheusAgent in the input, so no agent scrapes it; it was checked against the operator's defaults".into(),
        help: Some(
            "compare its labels and namespace with the agents' *Selector and *NamespaceSelector fields (an unset namespace selector means the agent's own namespace)"
                .into(),
        ),
        anchor: None,
    }
}
