//! PM209 `file-access`: a ServiceMonitor reads files although the agent forbids it.
#![doc = include_str!("docs/PM209.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use crate::diag::Severity;

pub const INFO: RuleInfo = RuleInfo {
    code: "PM209",
    name: "file-access",
    summary: "A ServiceMonitor uses bearerTokenFile or TLS files while arbitraryFSAccessThroughSMs.deny is set",
    doc: include_str!("docs/PM209.md"),
    default_severity: Severity::Error,
};

pub fn check(cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if t.kind != Kind::ServiceMonitor || !cx.agent.deny_fs_access {
        return;
    }
    for ep in t.spec().get("endpoints").items() {
        let token = ep.get("bearerTokenFile");
        if !token.string().is_empty() {
            out.error(
                INFO.code,
                &token.path(),
                "it accesses file system via bearer token file which Prometheus specification prohibits",
            );
            continue;
        }
        let tls = ep.get("tlsConfig");
        if let Some(f) = ["caFile", "certFile", "keyFile"]
            .into_iter()
            .find(|f| !tls.get(f).string().is_empty())
        {
            out.error(
                INFO.code,
                &tls.get(f).path(),
                "it accesses file system via tls config which Prometheus specification prohibits",
            );
        }
    }
}
