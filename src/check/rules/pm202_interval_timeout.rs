//! PM202 `scrape-timeout`: a monitor's scrape timeout longer than its interval, or an unparsable duration.
#![doc = include_str!("docs/PM202.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use super::support::parse_duration;
use crate::diag::Severity;
use crate::fieldpath::FieldPath;
use crate::select::view::View;

pub const INFO: RuleInfo = RuleInfo {
    code: "PM202",
    name: "scrape-timeout",
    summary: "scrapeTimeout is greater than the scrape interval, or a duration does not parse",
    doc: include_str!("docs/PM202.md"),
    default_severity: Severity::Error,
};

/// The operator's comparison of a timeout with an interval: the error text, if any, and whether it
/// concerns the interval (otherwise the timeout).
pub fn compare(timeout: &str, interval: &str) -> Option<(bool, String)> {
    let si = match parse_duration(interval) {
        Ok(v) => v,
        Err(e) => return Some((true, format!("invalid scrapeInterval {interval:?}: {e}"))),
    };
    let st = match parse_duration(timeout) {
        Ok(v) => v,
        Err(e) => return Some((false, format!("invalid scrapeTimeout: {timeout:?}: {e}"))),
    };
    (st > si).then(|| {
        (
            false,
            format!("scrapeTimeout {timeout:?} greater than scrapeInterval {interval:?}"),
        )
    })
}

fn check_pair(cx: &Cx<'_>, interval: &View<'_>, timeout: &View<'_>, out: &mut Out) {
    let t = timeout.string();
    if t.is_empty() {
        return;
    }
    let i = match interval.string() {
        "" => cx.agent.scrape_interval.as_str(),
        own => own,
    };
    if let Some((about_interval, message)) = compare(t, i) {
        let path: &FieldPath = if about_interval && interval.is_set() {
            &interval.path()
        } else {
            &timeout.path()
        };
        out.error(INFO.code, path, message);
        if !interval.is_set() {
            out.help(format!(
                "the interval defaults to the agent's spec.scrapeInterval ({})",
                cx.agent.scrape_interval
            ));
        }
    }
}

pub fn check(cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    let spec = t.spec();
    match t.kind {
        Kind::PodMonitor | Kind::ServiceMonitor => {
            let field = if t.kind == Kind::PodMonitor {
                "podMetricsEndpoints"
            } else {
                "endpoints"
            };
            for ep in spec.get(field).items() {
                check_pair(cx, &ep.get("interval"), &ep.get("scrapeTimeout"), out);
            }
        }
        Kind::Probe => check_pair(cx, &spec.get("interval"), &spec.get("scrapeTimeout"), out),
        Kind::ScrapeConfig => check_pair(
            cx,
            &spec.get("scrapeInterval"),
            &spec.get("scrapeTimeout"),
            out,
        ),
        Kind::PrometheusAgent => {}
    }
}
