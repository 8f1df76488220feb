//! The migration report: what changed in each agent and what that means, what the new mode no
//! longer scrapes, the ServiceMonitor conversions, and what to do before and after applying.
//! Written as text for people or as JSON.

use super::{Migration, Target};
use serde_json::json;
use std::fmt::Write;

/// The operator's feature gate DaemonSet mode needs.
pub const FEATURE_GATE: &str = "PrometheusAgentDaemonSet";

/// The error the operator reports when the gate is off.
pub const GATE_ERROR: &str = "feature gate for Prometheus Agent's DaemonSet mode is not enabled";

/// Steps that follow from the migration, in order.
pub fn next_steps(m: &Migration) -> Vec<String> {
    let moved: Vec<_> = m
        .agents
        .iter()
        .filter(|a| a.changed && a.mode_before != a.mode_after)
        .collect();
    if moved.is_empty() {
        return Vec::new();
    }
    match m.target {
        Target::DaemonSet => {
            let mut steps = vec![
                format!(
                    "turn on the operator's feature gate first (--feature-gates={FEATURE_GATE}=true); without it reconciliation fails with \"{GATE_ERROR}\""
                ),
                "the operator does not delete an agent's StatefulSet when the mode changes; once the DaemonSet pods are ready, delete it by hand:".to_string(),
            ];
            for a in &moved {
                let ns = if a.agent.namespace.is_empty() { "<namespace>" } else { &a.agent.namespace };
                steps.push(format!(
                    "  kubectl -n {ns} delete statefulset -l operator.prometheus.io/name={},operator.prometheus.io/mode=agent",
                    a.agent.name
                ));
            }
            steps.push("until then both read the same configuration Secret; for a rollout without a gap or double scraping, deploy the DaemonSet agent under a new name first (docs/migration.md)".into());
            steps
        }
        Target::StatefulSet => vec![
            "the operator does not delete an agent's DaemonSet when the mode changes; once the StatefulSet pods are ready, delete it by hand:".to_string(),
        ]
        .into_iter()
        .chain(moved.iter().map(|a| {
            let ns = if a.agent.namespace.is_empty() { "<namespace>" } else { &a.agent.namespace };
            format!("  kubectl -n {ns} delete daemonset prom-agent-{}", a.agent.name)
        }))
        .collect(),
    }
}

/// The report as text.
pub fn human(m: &Migration) -> String {
    let mut out = String::new();
    for f in &m.files {
        if let Some(error) = &f.error {
            let _ = writeln!(out, "{}: {error}", f.name);
        }
    }
    if m.agents.is_empty() && !m.failed() {
        let _ = writeln!(out, "no PrometheusAgent in the input: nothing to migrate");
    }
    for a in &m.agents {
        if m.files
            .iter()
            .any(|f| f.name == a.file && f.error.is_some())
        {
            let _ = writeln!(
                out,
                "{} ({}): not migrated, its file is left unchanged",
                a.agent, a.file
            );
            continue;
        }
        if !a.changed {
            let _ = writeln!(
                out,
                "{} ({}): already in {} mode, nothing to do",
                a.agent, a.file, a.mode_after
            );
            continue;
        }
        let _ = writeln!(
            out,
            "{} ({}): {} mode -> {} mode",
            a.agent, a.file, a.mode_before, a.mode_after
        );
        for r in &a.removed {
            let _ = writeln!(out, "  removed spec.{}: {}", r.field, r.meaning);
        }
        for (from, to) in &a.renamed {
            let _ = writeln!(
                out,
                "  renamed spec.{from} to spec.{to}: it selects the PodMonitors converted from the ServiceMonitors it selected (and any existing PodMonitor with those labels)"
            );
        }
        if !a.not_scraped.is_empty() {
            let _ = writeln!(
                out,
                "  selected today but not scraped in DaemonSet mode (it scrapes PodMonitors only):"
            );
            for o in &a.not_scraped {
                let _ = writeln!(out, "    {o}");
            }
        }
        for n in &a.notes {
            let _ = writeln!(out, "  note: {n}");
        }
    }
    for c in &m.conversions {
        match &c.reason {
            None => {
                let pms: Vec<String> = c.pod_monitors.iter().map(ToString::to_string).collect();
                let _ = writeln!(
                    out,
                    "{}: converted to {} (appended to {})",
                    c.service_monitor,
                    pms.join(", "),
                    c.file
                );
            }
            Some(reason) => {
                let _ = writeln!(out, "{}: not converted: {reason}", c.service_monitor);
            }
        }
        for n in &c.notes {
            let _ = writeln!(out, "  note: {n}");
        }
    }
    let steps = next_steps(m);
    if !steps.is_empty() {
        let _ = writeln!(out, "next steps:");
        for s in steps {
            let _ = writeln!(out, "  {s}");
        }
    }
    out
}

/// The report as JSON.
pub fn json(m: &Migration) -> String {
    let value = json!({
        "target": m.target,
        "due": m.due(),
        "files": m.files.iter().map(|f| json!({
            "name": f.name,
            "changed": f.changed(),
            "error": f.error,
        })).collect::<Vec<_>>(),
        "agents": m.agents,
        "conversions": m.conversions,
        "next_steps": next_steps(m),
    });
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}
