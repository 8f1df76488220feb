//! Comparing renders: an agent in StatefulSet form against its DaemonSet form (with a plain summary
//! of what the switch gives up), or the renders of two inputs. Each object and the configuration is
//! a named text; texts are compared with a unified diff.

use crate::emit;
use crate::model::{Inventory, Object, PrometheusAgent, PrometheusAgentMode};
use crate::render::options::OperatorOptions;
use crate::render::workloads::{AgentRender, ObjectKind};
use owo_colors::OwoColorize;
use similar::TextDiff;
use std::collections::BTreeMap;

/// The texts of one render, by a name that pairs them across the two sides: `prometheus.yaml`, and
/// `<kind>/<name>.yaml` per object. The workload named `prom-agent-<agent>` is `workload/<name>.yaml`
/// so that the StatefulSet of shard 0 and the DaemonSet are compared with each other.
pub fn texts(render: &AgentRender) -> BTreeMap<String, (String, String)> {
    let mut out = BTreeMap::new();
    out.insert(
        "prometheus.yaml".to_string(),
        ("prometheus.yaml".to_string(), render.config.clone()),
    );
    let main_workload = format!("prom-agent-{}", render.name);
    for object in &render.objects {
        let label = format!(
            "{}/{}.yaml",
            object.kind.as_str().to_lowercase(),
            object.name
        );
        let key = if matches!(object.kind, ObjectKind::StatefulSet | ObjectKind::DaemonSet)
            && object.name == main_workload
        {
            format!("workload/{}.yaml", object.name)
        } else {
            label.clone()
        };
        out.insert(key, (label, emit::yaml::object(object)));
    }
    out
}

/// A unified diff of every text that differs, `old` against `new` (empty when nothing differs).
pub fn unified(
    old: &BTreeMap<String, (String, String)>,
    new: &BTreeMap<String, (String, String)>,
) -> String {
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut out = String::new();
    for key in keys {
        let (old_label, old_text) = old
            .get(key)
            .map_or(("/dev/null", ""), |(l, t)| (l.as_str(), t.as_str()));
        let (new_label, new_text) = new
            .get(key)
            .map_or(("/dev/null", ""), |(l, t)| (l.as_str(), t.as_str()));
        if old_text == new_text {
            continue;
        }
        let diff = TextDiff::from_lines(old_text, new_text);
        let text = diff
            .unified_diff()
            .context_radius(3)
            .header(&prefixed("a/", old_label), &prefixed("b/", new_label))
            .to_string();
        out.push_str(&text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

fn prefixed(prefix: &str, label: &str) -> String {
    if label == "/dev/null" {
        label.to_string()
    } else {
        format!("{prefix}{label}")
    }
}

/// Colours a unified diff for a terminal: removed lines red, added lines green, hunk headers cyan.
pub fn colorize(diff: &str) -> String {
    let mut out = String::with_capacity(diff.len());
    for line in diff.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let painted = if body.starts_with("---") || body.starts_with("+++") {
            body.bold().to_string()
        } else if body.starts_with('-') {
            body.red().to_string()
        } else if body.starts_with('+') {
            body.green().to_string()
        } else if body.starts_with("@@") {
            body.cyan().to_string()
        } else {
            body.to_string()
        };
        out.push_str(&painted);
        out.push_str(newline);
    }
    out
}

/// What switching `agent` from StatefulSet to DaemonSet mode gives up, one plain line per item.
/// `statefulset` is the agent's render in StatefulSet mode, `daemonset` in DaemonSet mode.
pub fn switch_summary(
    agent: &Object<PrometheusAgent>,
    inventory: &Inventory,
    options: &OperatorOptions,
    statefulset: &AgentRender,
    daemonset: &AgentRender,
) -> Vec<String> {
    let spec = &agent.value.spec;
    let mut lines = Vec::new();

    let mut as_statefulset = agent.clone();
    as_statefulset.value.spec.mode = Some(PrometheusAgentMode::StatefulSet);
    let selection = crate::check::selection::select(&as_statefulset, inventory, options);
    let mut dropped: Vec<String> = Vec::new();
    dropped.extend(
        selection
            .service_monitors
            .iter()
            .map(|m| format!("ServiceMonitor {}/{}", m.namespace(), m.name())),
    );
    dropped.extend(
        selection
            .probes
            .iter()
            .map(|m| format!("Probe {}/{}", m.namespace(), m.name())),
    );
    dropped.extend(
        selection
            .scrape_configs
            .iter()
            .map(|m| format!("ScrapeConfig {}/{}", m.namespace(), m.name())),
    );
    if dropped.is_empty() {
        lines.push("monitors no longer scraped: none (PodMonitors are kept)".to_string());
    } else {
        lines.push(format!("monitors no longer scraped ({}):", dropped.len()));
        lines.extend(dropped.into_iter().map(|d| format!("  {d}")));
    }
    if spec.additional_scrape_configs.is_some() {
        lines.push(
            "additional scrape configs: spec.additionalScrapeConfigs is not allowed in DaemonSet mode and must be removed"
                .to_string(),
        );
    }
    match &spec.storage {
        Some(storage) => {
            let what = if storage.volume_claim_template.is_some() {
                "a PersistentVolumeClaim per pod"
            } else if storage.ephemeral.is_some() {
                "an ephemeral volume"
            } else if storage.empty_dir.is_some() {
                "an emptyDir volume"
            } else {
                "a volume claim template"
            };
            lines.push(format!(
                "storage dropped: spec.storage ({what}) is not allowed in DaemonSet mode; the WAL lives in the container"
            ));
        }
        None => lines.push(
            "storage dropped: the emptyDir data volume prom-agent-*-db goes away".to_string(),
        ),
    }
    let shards = spec.shards.filter(|s| *s > 1);
    if let Some(shards) = shards {
        lines.push(format!("shards dropped: spec.shards is {shards}; DaemonSet mode runs one unsharded pod per node"));
    }
    if let Some(replicas) = spec.replicas {
        lines.push(format!(
            "replicas dropped: spec.replicas is {replicas}; DaemonSet mode runs one pod per node"
        ));
    }
    let volumes: Vec<&str> = spec
        .volumes
        .iter()
        .flatten()
        .map(|v| v.name.as_str())
        .collect();
    if !volumes.is_empty() {
        let mounted: Vec<&str> = spec
            .volume_mounts
            .iter()
            .flatten()
            .filter(|m| volumes.contains(&m.name.as_str()))
            .map(|m| m.name.as_str())
            .collect();
        let note = if mounted.is_empty() {
            String::new()
        } else {
            format!(
                " (still mounted through spec.volumeMounts: {}; the API server would reject the pods)",
                mounted.join(", ")
            )
        };
        lines.push(format!(
            "volumes dropped silently: spec.volumes {} are not added to DaemonSet pods{note}",
            volumes.join(", ")
        ));
    }
    let mut ignored = Vec::new();
    for (set, field) in [
        (spec.service_name.is_some(), "serviceName"),
        (spec.pod_management_policy.is_some(), "podManagementPolicy"),
        (spec.update_strategy.is_some(), "updateStrategy"),
        (
            spec.persistent_volume_claim_retention_policy.is_some(),
            "persistentVolumeClaimRetentionPolicy",
        ),
        (spec.sharding_strategy.is_some(), "shardingStrategy"),
    ] {
        if set {
            ignored.push(format!("spec.{field}"));
        }
    }
    if !ignored.is_empty() {
        lines.push(format!("ignored in DaemonSet mode: {}", ignored.join(", ")));
    }
    let names = |r: &AgentRender| -> Vec<String> {
        r.objects
            .iter()
            .map(|o| format!("{} {}/{}", o.kind.as_str(), o.namespace, o.name))
            .collect()
    };
    let after = names(daemonset);
    // The StatefulSet of shard 0 is replaced by the DaemonSet of the same name.
    let replaced = format!(
        "StatefulSet {}/prom-agent-{}",
        statefulset.namespace, statefulset.name
    );
    let gone: Vec<String> = names(statefulset)
        .into_iter()
        .filter(|n| !after.contains(n) && *n != replaced)
        .collect();
    if !gone.is_empty() {
        lines.push(format!("objects no longer created: {}", gone.join(", ")));
    }
    lines
}
