//! PA101 `prometheus-version`: an agent `spec.version` the operator cannot parse or does not support.
#![doc = include_str!("docs/PA101.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use crate::diag::Severity;

pub const INFO: RuleInfo = RuleInfo {
    code: "PA101",
    name: "prometheus-version",
    summary: "spec.version is not a parsable Prometheus 2.x/3.x version",
    doc: include_str!("docs/PA101.md"),
    default_severity: Severity::Error,
};

pub fn check(cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if t.kind != Kind::PrometheusAgent {
        return;
    }
    if let Err(message) = &cx.agent.version {
        out.error(INFO.code, &t.spec().get("version").path(), message.clone());
        out.help("use a Prometheus release such as v3.13.1 or v2.55.1 (a tag like `latest` is not a version)");
    }
}
