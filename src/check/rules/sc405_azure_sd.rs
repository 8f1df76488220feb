//! SC405 `azure-sd`: an OAuth Azure discovery without tenant, client ID or client secret.
#![doc = include_str!("docs/SC405.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use crate::diag::Severity;

pub const INFO: RuleInfo = RuleInfo {
    code: "SC405",
    name: "azure-sd",
    summary: "azureSDConfigs with OAuth authentication need tenantID, clientID and clientSecret",
    doc: include_str!("docs/SC405.md"),
    default_severity: Severity::Error,
};

pub fn check(_cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if t.kind != Kind::ScrapeConfig {
        return;
    }
    for (i, e) in t.spec().get("azureSDConfigs").items().iter().enumerate() {
        if matches!(
            e.get("authenticationMethod").string(),
            "ManagedIdentity" | "SDK" | "WorkloadIdentity"
        ) {
            continue;
        }
        let missing = if e.get("tenantID").string().is_empty() {
            Some("tenantID")
        } else if e.get("clientID").string().is_empty() {
            Some("clientID")
        } else if !e.get("clientSecret").is_set() {
            Some("clientSecret")
        } else {
            None
        };
        if let Some(field) = missing {
            out.error(
                INFO.code,
                &e.get(field).path(),
                format!("[{i}]: configuration requires a {field}"),
            );
        }
    }
}
