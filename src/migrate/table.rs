//! How each `PrometheusAgent` spec field behaves in StatefulSet and in DaemonSet mode: the rows of
//! the table in docs/daemonset-mode.md and the explanations in the migration report.
//!
//! The fields the API server rejects in DaemonSet mode come from the CRD's CEL rules
//! ([`super::rules`]); the fields the operator accepts but does not use, and those whose effect
//! changes with the mode, are listed here.

use super::rules::{Restriction, daemonset_restrictions, spec_fields};

/// What removing a forbidden field means for the workload, for the report.
pub fn removal_meaning(field: &str) -> &'static str {
    match field {
        "replicas" => {
            "one agent pod runs on every eligible node instead of a fixed number of replicas"
        }
        "storage" => {
            "no volume for the write-ahead log: it lives in the container's filesystem and is lost when the \
             container restarts, so samples not yet sent to remote write are lost with it"
        }
        "shards" | "shardingStrategy" => {
            "no sharding: each pod scrapes the pods of its own node, which spreads the load by node instead"
        }
        "persistentVolumeClaimRetentionPolicy" => {
            "DaemonSet mode creates no PersistentVolumeClaims"
        }
        "serviceMonitorSelector" | "serviceMonitorNamespaceSelector" => {
            "ServiceMonitors are not scraped in DaemonSet mode; express them as PodMonitors (--convert-servicemonitors)"
        }
        "probeSelector" | "probeNamespaceSelector" => {
            "Probes are not scraped in DaemonSet mode; keep a StatefulSet-mode agent for them"
        }
        "scrapeConfigSelector" | "scrapeConfigNamespaceSelector" => {
            "ScrapeConfig objects are not scraped in DaemonSet mode; keep a StatefulSet-mode agent for them"
        }
        "additionalScrapeConfigs" => {
            "the scrape jobs of the referenced Secret stop; per-pod targets belong in PodMonitors, \
             cluster-wide ones in a StatefulSet-mode agent"
        }
        _ => "the API server rejects it in DaemonSet mode",
    }
}

/// Fields the API server accepts in DaemonSet mode but the operator does not use there.
pub const IGNORED_IN_DAEMONSET: [(&str, &str); 4] = [
    ("podManagementPolicy", "ignored: there is no StatefulSet"),
    (
        "updateStrategy",
        "ignored: the DaemonSet keeps the API server's default rolling update",
    ),
    ("serviceName", "ignored: no governing Service is created"),
    (
        "volumes",
        "not added to the pods; a `volumeMounts` entry naming one of these volumes makes the DaemonSet invalid",
    ),
];

/// Fields whose effect depends on the mode: (field, StatefulSet mode, DaemonSet mode).
const MODE_SPECIFIC: [(&str, &str, &str); 15] = [
    (
        "mode",
        "`StatefulSet` or unset (the default)",
        "`DaemonSet`; needs the operator's `PrometheusAgentDaemonSet` feature gate",
    ),
    ("replicas", "pods per shard", ""),
    (
        "shards",
        "number of StatefulSets the targets are split across",
        "",
    ),
    (
        "storage",
        "volume of the write-ahead log (emptyDir, ephemeral or a PVC template)",
        "",
    ),
    (
        "persistentVolumeClaimRetentionPolicy",
        "what happens to the PVCs when the StatefulSet is deleted or scaled down",
        "",
    ),
    (
        "podMonitorSelector",
        "selects PodMonitors; every selected pod is scraped by some shard",
        "selects PodMonitors; each agent pod scrapes only the selected pods on its own node",
    ),
    (
        "podMonitorNamespaceSelector",
        "namespaces of the selected PodMonitors",
        "namespaces of the selected PodMonitors (the only monitors DaemonSet mode scrapes)",
    ),
    ("podManagementPolicy", "used for the StatefulSet", ""),
    ("updateStrategy", "used for the StatefulSet", ""),
    (
        "serviceName",
        "the governing Service the StatefulSet uses",
        "",
    ),
    ("volumes", "added to the pods", ""),
    (
        "shardingStrategy",
        "how targets are split across shards (by address or by topology zone)",
        "",
    ),
    (
        "additionalScrapeConfigs",
        "extra scrape jobs from a Secret, appended to the generated ones",
        "",
    ),
    (
        "web",
        "used; Prometheus gets the web config file from v2.24.0, the config reloader only when `web` is set",
        "used; Prometheus and the config reloader always get the web config file",
    ),
    (
        "tolerations",
        "used",
        "used; without tolerations for tainted nodes, pods on those nodes are not scraped",
    ),
];

/// The DaemonSet-mode text of a field restricted by a CEL rule.
fn restricted_text(r: &Restriction) -> String {
    match r.above {
        Some(limit) => format!(
            "at most `{limit}` (the default, and ignored); more is rejected: \"{}\"",
            r.message
        ),
        None => format!("rejected: \"{}\"", r.message),
    }
}

/// The two cells of one field: StatefulSet mode, DaemonSet mode.
pub fn behaviour(field: &str) -> (String, String) {
    let specific = MODE_SPECIFIC.iter().find(|(f, _, _)| *f == field);
    let sts = specific.map_or("used".to_string(), |(_, s, _)| s.to_string());
    if let Some(r) = daemonset_restrictions().iter().find(|r| r.field == field) {
        return (sts, restricted_text(r));
    }
    if let Some((_, text)) = IGNORED_IN_DAEMONSET.iter().find(|(f, _)| *f == field) {
        return (sts, text.to_string());
    }
    match specific {
        Some((_, _, ds)) if !ds.is_empty() => (sts, ds.to_string()),
        _ => (sts, "used".to_string()),
    }
}

/// The Markdown table of every spec field and its behaviour in each mode, alphabetically.
pub fn field_table_markdown() -> String {
    let mut fields = spec_fields();
    fields.sort_by_key(|f| f.to_ascii_lowercase());
    let mut out =
        String::from("| `spec` field | StatefulSet mode | DaemonSet mode |\n|---|---|---|\n");
    for field in fields {
        let (sts, ds) = behaviour(&field);
        out.push_str(&format!("| `{field}` | {} | {} |\n", cell(&sts), cell(&ds)));
    }
    out
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_field_is_a_spec_field() {
        let fields = spec_fields();
        assert!(fields.len() > 100, "{}", fields.len());
        for (f, _, _) in MODE_SPECIFIC {
            assert!(fields.iter().any(|x| x == f), "{f}");
        }
        for (f, _) in IGNORED_IN_DAEMONSET {
            assert!(fields.iter().any(|x| x == f), "{f}");
        }
    }

    #[test]
    fn rows_come_from_the_rules() {
        let table = field_table_markdown();
        assert!(table.contains("| `replicas` | pods per shard | rejected: \"replicas cannot be set when mode is DaemonSet\" |"));
        assert!(table.contains("| `shards` |"));
        assert!(table.contains("| `remoteWrite` | used | used |"));
        assert_eq!(table.lines().count(), spec_fields().len() + 2);
    }
}
