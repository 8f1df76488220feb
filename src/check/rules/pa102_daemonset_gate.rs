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
    default_severity: Severity::Warning,
};

/// The operator's own words when it refuses the agent.
const REFUSAL: &str =
    "feature gate for Prometheus Agent's DaemonSet mode is not enabled (PrometheusAgentDaemonSet)";

pub fn check(cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if t.kind != Kind::PrometheusAgent || !cx.agent.daemonset || cx.feature_gates.prometheus_agent_daemon_set {
        return;
    }
    let path = &t.spec().get("mode").path();
    if cx.feature_gates.prometheus_agent_daemon_set_stated {
        // The user said their operator runs without the gate: it refuses the agent.
        out.push(INFO.code, Severity::Error, path, REFUSAL);
        out.help(
            "run the operator with --feature-gates=PrometheusAgentDaemonSet=true (and tell promagent the same), or use mode: StatefulSet",
        );
    } else {
        out.push(
            INFO.code,
            Severity::Warning,
            path,
            format!(
                "the operator refuses DaemonSet mode unless it runs with the PrometheusAgentDaemonSet feature gate, which is off by default; without it: {REFUSAL}"
            ),
        );
        out.help(
            "say which gates your operator runs with: --feature-gates PrometheusAgentDaemonSet=true (or =false, which makes this an error), or operator.feature-gates in .promagent.yaml",
        );
    }
}
