//! PA104 `remote-write`: remote-write entries the operator refuses.
#![doc = include_str!("docs/PA104.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use super::pm205_authorization::validate_with_file;
use super::pm206_oauth2::validate as validate_oauth2;
use super::pm207_tls_config::validate as validate_tls;
use super::pm208_proxy_config::validate_proxy;
use crate::diag::Severity;
use crate::fieldpath::FieldPath;
use crate::select::view::View;

pub const INFO: RuleInfo = RuleInfo {
    code: "PA104",
    name: "remote-write",
    summary: "A remote-write entry combines auth methods or has invalid sigv4, azureAd, OAuth2, TLS, authorization or proxy settings",
    doc: include_str!("docs/PA104.md"),
    default_severity: Severity::Error,
};

/// Go's `uuid.Parse` forms: plain, braced, `urn:uuid:` and 32 hex digits.
pub fn is_uuid(s: &str) -> bool {
    let s = s.strip_prefix("urn:uuid:").unwrap_or(s);
    let s = s
        .strip_prefix('{')
        .and_then(|x| x.strip_suffix('}'))
        .unwrap_or(s);
    match s.len() {
        32 => s.chars().all(|c| c.is_ascii_hexdigit()),
        36 => s.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        }),
        _ => false,
    }
}

fn azure(cx: &Cx<'_>, az: &View<'_>) -> Option<(FieldPath, String)> {
    let (mi, oauth, sdk, wi) = (
        az.get("managedIdentity"),
        az.get("oauth"),
        az.get("sdk"),
        az.get("workloadIdentity"),
    );
    let set = [mi.is_set(), oauth.is_set(), sdk.is_set(), wi.is_set()];
    if !set.iter().any(|s| *s) {
        return Some((
            az.path(),
            "must provide Azure Managed Identity, Azure OAuth, Azure SDK, or Azure Workload Identity in the Azure AD config".into(),
        ));
    }
    let names = [
        "Azure Managed Identity",
        "Azure OAuth",
        "Azure SDK",
        "Azure Workload Identity",
    ];
    for (a, b) in [(0, 1), (1, 2), (0, 2), (0, 3), (1, 3), (2, 3)] {
        if set[a] && set[b] {
            return Some((
                az.path(),
                format!(
                    "cannot provide both {} and {} in the Azure AD config",
                    names[a], names[b]
                ),
            ));
        }
    }
    if mi.is_set() && !cx.agent.at_least((3, 5, 0)) && mi.get("clientId").string().is_empty() {
        let current = cx
            .agent
            .version
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        return Some((
            mi.path(),
            format!(
                "managedIdentidy: clientId is required with Prometheus < 3.5.0, current = {current}"
            ),
        ));
    }
    if oauth.is_set() {
        if !cx.agent.at_least((2, 48, 0)) {
            return Some((
                oauth.path(),
                "azureAD.oauth requires Prometheus >= v2.48.0".into(),
            ));
        }
        if !is_uuid(oauth.get("clientId").string()) {
            return Some((
                oauth.get("clientId").path(),
                "the provided Azure OAuth clientId is invalid".into(),
            ));
        }
    }
    if sdk.is_set() && !cx.agent.at_least((2, 52, 0)) {
        return Some((
            sdk.path(),
            "azureAD.sdk requires Prometheus >= v2.52.0".into(),
        ));
    }
    if wi.is_set() {
        if !cx.agent.at_least((3, 7, 0)) {
            return Some((
                wi.path(),
                "azureAD.workloadIdentity requires Prometheus >= v3.7.0".into(),
            ));
        }
        if !is_uuid(wi.get("clientId").string()) {
            return Some((
                wi.get("clientId").path(),
                "the provided Azure Workload Identity clientId is invalid".into(),
            ));
        }
        if !is_uuid(wi.get("tenantId").string()) {
            return Some((
                wi.get("tenantId").path(),
                "the provided Azure Workload Identity tenantId is invalid".into(),
            ));
        }
    }
    None
}

/// The operator's first objection to one remote-write entry (before Secret look-ups).
fn validate(cx: &Cx<'_>, rw: &View<'_>) -> Option<(FieldPath, String)> {
    let methods = ["basicAuth", "oauth2", "authorization", "sigv4", "azureAd"];
    let set: Vec<&str> = methods.into_iter().filter(|m| rw.get(m).is_set()).collect();
    if set.len() > 1 {
        let quoted: Vec<String> = set.iter().map(|m| format!("{m:?}")).collect();
        return Some((
            rw.get(set[1]).path(),
            format!(
                "{} can't be set at the same time, at most one of them must be defined",
                quoted.join(" and ")
            ),
        ));
    }
    let az = rw.get("azureAd");
    if az.is_set()
        && let Some(e) = azure(cx, &az)
    {
        return Some(e);
    }
    if let Some(e) = validate_proxy(rw) {
        return Some(e);
    }
    let oauth2 = rw.get("oauth2");
    if oauth2.is_set()
        && let Some(e) = validate_oauth2(&oauth2)
    {
        return Some(e);
    }
    if let Some(e) = validate_tls(&rw.get("tlsConfig"), true) {
        return Some(e);
    }
    let authz = rw.get("authorization");
    if authz.get("credentials").is_set()
        && let Some(e) = validate_with_file(&authz)
    {
        return Some(e);
    }
    let sigv4 = rw.get("sigv4");
    if sigv4.get("accessKey").is_set() != sigv4.get("secretKey").is_set() {
        return Some((
            sigv4.path(),
            "both accessKey and secretKey should be provided".into(),
        ));
    }
    None
}

pub fn check(cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if t.kind != Kind::PrometheusAgent {
        return;
    }
    for (i, rw) in t.spec().get("remoteWrite").items().iter().enumerate() {
        if let Some((path, message)) = validate(cx, rw) {
            out.error(INFO.code, &path, format!("remoteWrite[{i}]: {message}"));
        }
    }
}
