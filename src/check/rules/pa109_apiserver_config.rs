//! PA109 `apiserver-config`: invalid authorization or TLS settings in `spec.apiserverConfig`.
#![doc = include_str!("docs/PA109.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use super::pm205_authorization::validate_with_file;
use super::pm207_tls_config::validate as validate_tls;
use crate::diag::Severity;

pub const INFO: RuleInfo = RuleInfo {
    code: "PA109",
    name: "apiserver-config",
    summary: "spec.apiserverConfig has an invalid authorization or TLS configuration",
    doc: include_str!("docs/PA109.md"),
    default_severity: Severity::Error,
};

pub fn check(_cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if t.kind != Kind::PrometheusAgent {
        return;
    }
    let api = t.spec().get("apiserverConfig");
    if !api.is_set() {
        return;
    }
    let authz = api.get("authorization");
    if authz.get("credentials").is_set()
        && let Some((path, e)) = validate_with_file(&authz)
    {
        out.error(INFO.code, &path, format!("apiserver config: {e}"));
    }
    if let Some((path, e)) = validate_tls(&api.get("tlsConfig"), true) {
        out.error(INFO.code, &path, format!("apiserver config: {e}"));
    }
}
