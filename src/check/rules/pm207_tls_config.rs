//! PM207 `tls-config`: inconsistent `tlsConfig` (client cert without key, both file and reference…).
#![doc = include_str!("docs/PM207.md")]

use super::RuleInfo;
use super::blocks::monitor_blocks;
use super::context::{Cx, Out, Target};
use super::support::selector_string;
use crate::diag::Severity;
use crate::fieldpath::FieldPath;
use crate::select::view::View;

pub const INFO: RuleInfo = RuleInfo {
    code: "PM207",
    name: "tls-config",
    summary: "tlsConfig sets a client cert without key (or the reverse), or the same item twice",
    doc: include_str!("docs/PM207.md"),
    default_severity: Severity::Error,
};

fn inner(tls: &View<'_>) -> Option<(FieldPath, String)> {
    for field in ["ca", "cert"] {
        let sel = tls.get(field);
        if sel.get("secret").is_set() && sel.get("configMap").is_set() {
            return Some((
                sel.path(),
                format!(
                    "{field} {}: cannot specify both Secret and ConfigMap",
                    selector_string(&sel)
                ),
            ));
        }
    }
    let (min, max) = (tls.get("minVersion"), tls.get("maxVersion"));
    if min.is_set() && max.is_set() && max.string() < min.string() {
        return Some((
            max.path(),
            "maxVersion must more than or equal to minVersion".into(),
        ));
    }
    None
}

/// Validation of a TLS config that only takes Secret/ConfigMap references.
pub fn validate_safe_tls(tls: &View<'_>) -> Option<(FieldPath, String)> {
    if !tls.is_set() {
        return None;
    }
    if let Some(e) = inner(tls) {
        return Some(e);
    }
    let has_cert = tls.get("cert").non_zero();
    let has_key = tls.get("keySecret").is_set();
    if has_cert && !has_key {
        return Some((
            tls.get("cert").path(),
            "client cert specified without client key".into(),
        ));
    }
    if has_key && !has_cert {
        return Some((
            tls.get("keySecret").path(),
            "client key specified without client cert".into(),
        ));
    }
    None
}

/// Validation of a TLS config that may also name files in the Prometheus container.
pub fn validate_tls_with_files(tls: &View<'_>) -> Option<(FieldPath, String)> {
    if !tls.is_set() {
        return None;
    }
    if let Some(e) = inner(tls) {
        return Some(e);
    }
    let file = |f: &str| !tls.get(f).string().is_empty();
    if tls.get("ca").non_zero() && file("caFile") {
        return Some((
            tls.get("caFile").path(),
            "cannot specify both 'caFile' and 'ca'".into(),
        ));
    }
    let cert_ref = tls.get("cert").non_zero();
    if cert_ref && file("certFile") {
        return Some((
            tls.get("certFile").path(),
            "cannot specify both 'certFile' and 'cert'".into(),
        ));
    }
    if file("keyFile") && tls.get("keySecret").is_set() {
        return Some((
            tls.get("keyFile").path(),
            "cannot specify both 'keyFile' and 'keySecret'".into(),
        ));
    }
    let has_cert = cert_ref || file("certFile");
    let has_key = file("keyFile") || tls.get("keySecret").is_set();
    if has_cert && !has_key {
        return Some((
            tls.path(),
            "cannot specify client cert without client key".into(),
        ));
    }
    if has_key && !has_cert {
        return Some((
            tls.path(),
            "cannot specify client key without client cert".into(),
        ));
    }
    None
}

/// Either validation, with the operator's wrapping.
pub fn validate(tls: &View<'_>, with_files: bool) -> Option<(FieldPath, String)> {
    let found = if with_files {
        validate_tls_with_files(tls)
    } else {
        validate_safe_tls(tls)
    };
    found.map(|(p, e)| (p, format!("failed to validate TLS configuration: {e}")))
}

pub fn check(_cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    for block in monitor_blocks(t) {
        if !block.tls {
            continue;
        }
        if let Some((path, message)) = validate(&block.view.get("tlsConfig"), block.tls_files) {
            out.error(INFO.code, &path, message);
        }
    }
}
