//! PM204 `auth-exclusive`: an endpoint configures two authentication methods at once.
#![doc = include_str!("docs/PM204.md")]

use super::RuleInfo;
use super::blocks::monitor_blocks;
use super::context::{Cx, Out, Target};
use crate::diag::Severity;
use crate::fieldpath::FieldPath;
use crate::select::view::View;

pub const INFO: RuleInfo = RuleInfo {
    code: "PM204",
    name: "auth-exclusive",
    summary: "authorization, basicAuth, bearerTokenSecret and oauth2 are mutually exclusive",
    doc: include_str!("docs/PM204.md"),
    default_severity: Severity::Error,
};

/// The operator's objection to an endpoint's combination of auth methods (first pair only).
pub fn conflict(v: &View<'_>) -> Option<(FieldPath, String)> {
    let order = ["authorization", "basicAuth", "bearerTokenSecret", "oauth2"];
    for (i, first) in order.iter().enumerate() {
        if !v.get(first).is_set() {
            continue;
        }
        for second in &order[i + 1..] {
            if v.get(second).is_set() {
                return Some((
                    v.get(second).path(),
                    format!("{first} and {second} cannot be configured at the same time"),
                ));
            }
        }
        return None;
    }
    None
}

pub fn check(_cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    for block in monitor_blocks(t) {
        if !block.http_validate {
            continue;
        }
        if let Some((path, message)) = conflict(&block.view) {
            out.error(INFO.code, &path, message);
        }
    }
}
