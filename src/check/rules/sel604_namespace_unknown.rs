//! SEL604 `namespace-unknown`: selection decided on a namespace whose labels the input does not give.
#![doc = include_str!("docs/SEL604.md")]

use super::RuleInfo;
use super::context::Finding;
use crate::diag::Severity;
use crate::fieldpath::FieldPath;
use crate::select::view::Meta;

pub const INFO: RuleInfo = RuleInfo {
    code: "SEL604",
    name: "namespace-unknown",
    summary: "A monitor was left out because its namespace has no Namespace object in the input",
    doc: include_str!("docs/SEL604.md"),
    default_severity: Severity::Info,
};

pub fn finding(agent: &Meta, namespace: &str) -> Finding {
    Finding {
        code: INFO.code,
        severity: INFO.default_severity,
        path: FieldPath::parse("metadata.namespace"),
        message: format!(
            "not selected by PrometheusAgent {}: its namespace selector needs labels, and the input has no Namespace {namespace} (assumed to carry only kubernetes.io/metadata.name)",
            agent.key()
        ),
        help: Some(format!(
            "add the Namespace {namespace} with its labels to the input"
        )),
        anchor: None,
    }
}
