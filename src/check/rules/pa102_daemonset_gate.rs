//! PA102 `daemonset-feature-gate`: DaemonSet mode needs the operator's `PrometheusAgentDaemonSet` gate.
#![doc = include_str!("docs/PA102.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use crate::diag::Severity;

pub const INFO: RuleInfo = RuleInfo {
    code: "PA102",
    name: "daemonset-feature-gate",
    summary: "mode: DaemonSet requires the operator feature gate PrometheusAgentDaemonSet",
    doc: include_str!("docs/PA102.md"),
    default_severity: Severity::Error,
};

pub fn check(cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if t.kind != Kind::PrometheusAgent || !cx.agent.daemonset || cx.daemonset_gate {
        return;
    }
    out.push(
        INFO.code,
        Severity::Error,
        &t.spec().get("mode").path,
        "feature gate for Prometheus Agent's DaemonSet mode is not enabled (PrometheusAgentDaemonSet)",
    );
    out.help(
        "run the operator with --feature-gates=PrometheusAgentDaemonSet=true and tell promagent so: the same flag, or operator.feature-gates in .promagent.yaml",
    );
}
