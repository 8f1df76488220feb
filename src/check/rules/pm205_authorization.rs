//! PM205 `authorization`: an `authorization` block the operator refuses.
#![doc = include_str!("docs/PM205.md")]

use super::RuleInfo;
use super::blocks::monitor_blocks;
use super::context::{Cx, Out, Target};
use crate::diag::Severity;
use crate::fieldpath::FieldPath;
use crate::select::view::View;

pub const INFO: RuleInfo = RuleInfo {
    code: "PM205",
    name: "authorization",
    summary: "authorization type is \"basic\", or authorization has no credentials",
    doc: include_str!("docs/PM205.md"),
    default_severity: Severity::Error,
};

fn is_basic(authz: &View<'_>) -> bool {
    authz
        .get("type")
        .string()
        .trim()
        .eq_ignore_ascii_case("basic")
}

/// Validation of the Secret-only authorization variant.
pub fn validate_safe(authz: &View<'_>) -> Option<(FieldPath, String)> {
    if is_basic(authz) {
        return Some((
            authz.get("type").path(),
            "'authorization' type cannot be set to \"basic\", use \"basicAuth\" instead".into(),
        ));
    }
    if !authz.get("credentials").is_set() {
        return Some((
            authz.path(),
            "'authorization' credentials are required".into(),
        ));
    }
    None
}

/// Validation of the variant that also takes `credentialsFile` (remote write, API server).
pub fn validate_with_file(authz: &View<'_>) -> Option<(FieldPath, String)> {
    if authz.get("credentials").is_set() && !authz.get("credentialsFile").string().is_empty() {
        return Some((
            authz.get("credentialsFile").path(),
            "authorization can not specify both \"credentials\" and \"credentialsFile\"".into(),
        ));
    }
    if is_basic(authz) {
        return Some((
            authz.get("type").path(),
            "authorization type cannot be set to \"basic\", use \"basicAuth\" instead".into(),
        ));
    }
    None
}

pub fn check(_cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    for block in monitor_blocks(t) {
        let authz = block.view.get("authorization");
        // Endpoints validate any authorization; elsewhere only one with credentials is looked at.
        let checked = authz.is_set() && (block.http_validate || authz.get("credentials").is_set());
        if !block.authorization || !checked {
            continue;
        }
        if let Some((path, message)) = validate_safe(&authz) {
            out.error(INFO.code, &path, message);
        }
    }
}
