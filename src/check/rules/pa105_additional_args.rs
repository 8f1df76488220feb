//! PA105 `additional-args`: `spec.additionalArgs` that repeat a flag the operator already sets.
#![doc = include_str!("docs/PA105.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use crate::diag::Severity;
use crate::select::view::View;

pub const INFO: RuleInfo = RuleInfo {
    code: "PA105",
    name: "additional-args",
    summary: "spec.additionalArgs sets a Prometheus flag the operator manages",
    doc: include_str!("docs/PA105.md"),
    default_severity: Severity::Error,
};

/// The names of the flags the operator passes to the Prometheus container of this agent.
pub fn managed_flags(cx: &Cx<'_>, spec: &View<'_>) -> Vec<&'static str> {
    let a = cx.agent;
    let v2 = a.version.as_ref().is_ok_and(|v| v.major == 2);
    let mut flags = vec!["config.file"];
    if v2 {
        flags.extend(["web.console.templates", "web.console.libraries"]);
    }
    if spec.get("reloadStrategy").str().is_none_or(|s| s == "HTTP") {
        flags.push("web.enable-lifecycle");
    }
    if spec.at("web.pageTitle").is_set() && a.at_least((2, 6, 0)) {
        flags.push("web.page-title");
    }
    if spec.at("web.maxConnections").is_set() {
        flags.push("web.max-connections");
    }
    if spec.get("enableRemoteWriteReceiver").is_true() && a.at_least((2, 33, 0)) {
        flags.push("web.enable-remote-write-receiver");
        if spec.get("remoteWriteReceiverMessageVersions").non_empty() && a.at_least((2, 54, 0)) {
            flags.push("web.remote-write-receiver.accepted-protobuf-messages");
        }
    }
    let otlp = match spec.get("enableOTLPReceiver").value.as_bool() {
        Some(b) => b,
        None => spec.get("otlp").is_set(),
    };
    if otlp && !v2 {
        flags.push("web.enable-otlp-receiver");
    }
    if spec.get("enableFeatures").non_empty() && a.at_least((2, 25, 0)) {
        flags.push("enable-feature");
    }
    // Version 2 agents get --enable-feature=agent, version 3 agents --agent.
    flags.push(if v2 { "enable-feature" } else { "agent" });
    if !spec.get("externalUrl").string().is_empty() {
        flags.push("web.external-url");
    }
    flags.push("web.route-prefix");
    if !matches!(spec.get("logLevel").string(), "" | "info") {
        flags.push("log.level");
    }
    if !matches!(spec.get("logFormat").string(), "" | "logfmt") && a.at_least((2, 6, 0)) {
        flags.push("log.format");
    }
    if spec.get("listenLocal").is_true() {
        flags.push("web.listen-address");
    }
    flags.push("storage.agent.path");
    match spec.get("walCompression").value.as_bool() {
        Some(true) => flags.push("storage.agent.wal-compression"),
        Some(false) => flags.push("no-storage.agent.wal-compression"),
        None => {}
    }
    if a.daemonset || a.at_least((2, 24, 0)) {
        flags.push("web.config.file");
    }
    flags
}

pub fn check(cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if t.kind != Kind::PrometheusAgent {
        return;
    }
    let spec = t.spec();
    let managed = managed_flags(cx, &spec);
    let mut clashes = Vec::new();
    let mut first = None;
    for arg in spec.get("additionalArgs").items() {
        let name = arg.get("name").string();
        let negated = match name.strip_prefix("no-") {
            Some(n) => n.to_string(),
            None => format!("no-{name}"),
        };
        let hit = if managed.contains(&name) {
            Some(name.to_string())
        } else if managed.contains(&negated.as_str()) {
            Some(negated)
        } else {
            None
        };
        if let Some(h) = hit {
            first.get_or_insert(arg.get("name").path());
            clashes.push(h);
        }
    }
    if let Some(path) = first {
        let workload = if cx.agent.daemonset {
            "daemonset"
        } else {
            "statefulset"
        };
        let spec_kind = if cx.agent.daemonset {
            "DaemonSet"
        } else {
            "StatefulSet"
        };
        out.error(
            INFO.code,
            &path,
            format!(
                "making {workload} failed: make {spec_kind} spec: can't set arguments which are already managed by the operator: {}",
                clashes.join(",")
            ),
        );
    }
}
