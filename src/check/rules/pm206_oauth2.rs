//! PM206 `oauth2`: an `oauth2` block without token URL or client ID, or with invalid sub-settings.
#![doc = include_str!("docs/PM206.md")]

use super::RuleInfo;
use super::blocks::monitor_blocks;
use super::context::{Cx, Out, Target};
use super::pm207_tls_config::validate_safe_tls;
use super::pm208_proxy_config::validate_proxy;
use crate::diag::Severity;
use crate::fieldpath::FieldPath;
use crate::select::view::View;

pub const INFO: RuleInfo = RuleInfo {
    code: "PM206",
    name: "oauth2",
    summary: "oauth2 lacks tokenUrl or clientId, or its clientId, tlsConfig or proxy settings are invalid",
    doc: include_str!("docs/PM206.md"),
    default_severity: Severity::Error,
};

/// The operator's validation of an OAuth2 block.
pub fn validate(o: &View<'_>) -> Option<(FieldPath, String)> {
    if o.get("tokenUrl").string().is_empty() {
        return Some((
            o.get("tokenUrl").path(),
            "OAuth2 tokenURL must be specified".into(),
        ));
    }
    let id = o.get("clientId");
    if !id.get("secret").is_set() && !id.get("configMap").is_set() {
        return Some((id.path(), "OAuth2 'clientID' must be specified".into()));
    }
    if id.get("secret").is_set() && id.get("configMap").is_set() {
        return Some((
            id.path(),
            "invalid OAuth2 'clientID': cannot specify both Secret and ConfigMap".into(),
        ));
    }
    if let Some((path, e)) = validate_safe_tls(&o.get("tlsConfig")) {
        return Some((path, format!("invalid OAuth2 'tlsConfig': {e}")));
    }
    if let Some((path, e)) = validate_proxy(o) {
        return Some((path, format!("invalid OAuth2 proxyConfig: {e}")));
    }
    None
}

pub fn check(_cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    for block in monitor_blocks(t) {
        let o = block.view.get("oauth2");
        if !block.oauth2 || !o.is_set() {
            continue;
        }
        if let Some((path, message)) = validate(&o) {
            out.error(INFO.code, &path, message);
        }
    }
}
