//! PM208 `proxy-config`: contradictory proxy settings.
#![doc = include_str!("docs/PM208.md")]

use super::RuleInfo;
use super::blocks::monitor_blocks;
use super::context::{Cx, Out, Target};
use crate::diag::Severity;
use crate::fieldpath::FieldPath;
use crate::select::view::View;

pub const INFO: RuleInfo = RuleInfo {
    code: "PM208",
    name: "proxy-config",
    summary: "proxyUrl, noProxy, proxyFromEnvironment and proxyConnectHeader contradict each other",
    doc: include_str!("docs/PM208.md"),
    default_severity: Severity::Error,
};

/// The operator's validation of the proxy fields found on `v`.
pub fn validate_proxy(v: &View<'_>) -> Option<(FieldPath, String)> {
    let from_env = v.get("proxyFromEnvironment").is_true();
    let url = !v.get("proxyUrl").string().is_empty();
    let no_proxy = !v.get("noProxy").string().is_empty();
    let headers = v.get("proxyConnectHeader");
    if headers.non_empty() && !from_env && !url {
        return Some((
            headers.path(),
            "if proxyConnectHeader is configured, proxyUrl or proxyFromEnvironment must also be configured".into(),
        ));
    }
    if from_env && url {
        return Some((
            v.get("proxyUrl").path(),
            "if proxyFromEnvironment is configured, proxyUrl must not be configured".into(),
        ));
    }
    if from_env && no_proxy {
        return Some((
            v.get("noProxy").path(),
            "if proxyFromEnvironment is configured, noProxy must not be configured".into(),
        ));
    }
    if !url && no_proxy {
        return Some((
            v.get("noProxy").path(),
            "if noProxy is configured, proxyUrl must also be configured".into(),
        ));
    }
    for (name, list) in headers.entries() {
        let items = list.items();
        if items.is_empty() {
            return Some((
                list.path(),
                format!("proxyConnetHeader[{name}]: selector must not be empty"),
            ));
        }
        for (i, sel) in items.iter().enumerate() {
            let empty = sel.get("name").string().is_empty()
                && sel.get("key").string().is_empty()
                && !sel.get("optional").is_set();
            if empty {
                return Some((
                    sel.path(),
                    format!("proxyConnectHeader[{name}][{i}]: selector must be defined"),
                ));
            }
        }
    }
    None
}

pub fn check(_cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    for block in monitor_blocks(t) {
        let Some(proxy) = &block.proxy else { continue };
        if !block.proxy_validate {
            continue;
        }
        if let Some((path, message)) = validate_proxy(proxy) {
            out.error(INFO.code, &path, message);
        }
    }
}
