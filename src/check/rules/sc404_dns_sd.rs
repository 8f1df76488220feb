//! SC404 `dns-sd-port`: a DNS discovery of a record type other than SRV without a port.
#![doc = include_str!("docs/SC404.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use crate::diag::Severity;

pub const INFO: RuleInfo = RuleInfo {
    code: "SC404",
    name: "dns-sd-port",
    summary: "dnsSDConfigs entries of type A, AAAA, MX or NS need a port",
    doc: include_str!("docs/SC404.md"),
    default_severity: Severity::Error,
};

pub fn check(_cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if t.kind != Kind::ScrapeConfig {
        return;
    }
    for (i, e) in t.spec().get("dnsSDConfigs").items().iter().enumerate() {
        let ty = e.get("type");
        if ty.is_set() && ty.string() != "SRV" && !e.get("port").is_set() {
            out.error(
                INFO.code,
                &ty.path(),
                format!("[{i}]: port required for record type {:?}", ty.string()),
            );
        }
    }
}
