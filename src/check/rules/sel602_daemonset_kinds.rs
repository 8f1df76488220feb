//! SEL602 `daemonset-kinds`: a selected ServiceMonitor, Probe or ScrapeConfig that DaemonSet mode does not render.
#![doc = include_str!("docs/SEL602.md")]

use super::RuleInfo;
use super::context::{Finding, Kind};
use crate::diag::Severity;
use crate::fieldpath::FieldPath;
use crate::select::view::Meta;

pub const INFO: RuleInfo = RuleInfo {
    code: "SEL602",
    name: "daemonset-kinds",
    summary: "A DaemonSet-mode agent selects a ServiceMonitor, Probe or ScrapeConfig, which that mode does not scrape",
    doc: include_str!("docs/SEL602.md"),
    default_severity: Severity::Warning,
};

pub fn finding(agent: &Meta, kind: Kind) -> Finding {
    Finding {
        code: INFO.code,
        severity: INFO.default_severity,
        path: FieldPath::root().key("kind"),
        message: format!(
            "selected by PrometheusAgent {} in DaemonSet mode, which renders only PodMonitors; this {} is not scraped",
            agent.key(),
            kind.as_str()
        ),
        help: Some("convert it to a PodMonitor, or scrape it from a StatefulSet-mode agent".into()),
        anchor: None,
    }
}
