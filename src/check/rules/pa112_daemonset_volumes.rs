//! PA112 `daemonset-user-volume`: in DaemonSet mode the operator drops `spec.volumes` but keeps the
//! mounts of them.
#![doc = include_str!("docs/PA112.md")]

use super::RuleInfo;
use super::context::Finding;
use crate::diag::Severity;
use crate::fieldpath::FieldPath;
use crate::render::workloads::{ObjectKind, RenderedObject};
use serde_json::Value;
use std::collections::BTreeSet;

pub const INFO: RuleInfo = RuleInfo {
    code: "PA112",
    name: "daemonset-user-volume",
    summary: "In DaemonSet mode a volumeMounts entry names a volume the operator does not create",
    doc: include_str!("docs/PA112.md"),
    default_severity: Severity::Error,
};

/// One finding per `volumeMounts` entry of the agent (`spec.volumeMounts`, or a `spec.containers[]`
/// or `spec.initContainers[]` entry's) whose volume is not among those of the generated DaemonSet.
/// Empty unless `objects` holds a DaemonSet.
pub fn findings(agent: &Value, objects: &[RenderedObject]) -> Vec<Finding> {
    let Some(daemon_set) = objects.iter().find(|o| o.kind == ObjectKind::DaemonSet) else {
        return Vec::new();
    };
    let pod_spec = daemon_set.manifest.pointer("/spec/template/spec");
    let operator_volumes: BTreeSet<&str> = pod_spec
        .and_then(|s| s.get("volumes"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.get("name").and_then(Value::as_str))
        .collect();
    let spec_path = FieldPath::root().key("spec");
    let spec = agent.get("spec");
    let mut out = Vec::new();
    let mut check = |mounts: Option<&Value>, path: FieldPath| {
        for (k, mount) in mounts.and_then(Value::as_array).into_iter().flatten().enumerate() {
            let name = mount.get("name").and_then(Value::as_str).unwrap_or("");
            if operator_volumes.contains(name) {
                continue;
            }
            let mount_path = mount.get("mountPath").and_then(Value::as_str).unwrap_or("");
            out.push(finding(
                path.index(k),
                name,
                api_error(pod_spec, name, mount_path),
            ));
        }
    };
    check(
        spec.and_then(|s| s.get("volumeMounts")),
        spec_path.key("volumeMounts"),
    );
    for list in ["containers", "initContainers"] {
        let containers = spec.and_then(|s| s.get(list)).and_then(Value::as_array);
        for (i, c) in containers.into_iter().flatten().enumerate() {
            check(
                c.get("volumeMounts"),
                spec_path.key(list).index(i).key("volumeMounts"),
            );
        }
    }
    out
}

/// The API server's error for the mount in the generated DaemonSet, when it can be found there.
fn api_error(pod_spec: Option<&Value>, name: &str, mount_path: &str) -> Option<String> {
    for list in ["containers", "initContainers"] {
        let containers = pod_spec.and_then(|s| s.get(list)).and_then(Value::as_array);
        for (i, c) in containers.into_iter().flatten().enumerate() {
            let mounts = c.get("volumeMounts").and_then(Value::as_array);
            for (k, m) in mounts.into_iter().flatten().enumerate() {
                if m.get("name").and_then(Value::as_str) == Some(name)
                    && m.get("mountPath").and_then(Value::as_str) == Some(mount_path)
                {
                    return Some(format!(
                        "spec.template.spec.{list}[{i}].volumeMounts[{k}].name: Not found: {}",
                        crate::check::schema::go_quote(name)
                    ));
                }
            }
        }
    }
    None
}

fn finding(path: FieldPath, name: &str, api_error: Option<String>) -> Finding {
    let mut message = format!(
        "volume {} is not one the operator creates in DaemonSet mode: operator v0.93.0 leaves spec.volumes out of the DaemonSet but keeps this mount, so the API server refuses the DaemonSet",
        crate::check::schema::go_quote(name)
    );
    if let Some(e) = api_error {
        message.push_str(&format!(" ({e})"));
    }
    Finding {
        code: INFO.code,
        severity: INFO.default_severity,
        path,
        message,
        help: Some(
            "remove the mount and its volume: DaemonSet mode cannot use volumes of your own until the operator is fixed (prometheus-operator issue #7813); or run the agent in StatefulSet mode".into(),
        ),
        anchor: None,
    }
}

#[cfg(test)]
mod tests {
    use crate::check::{LintOptions, lint, rules::RuleOptions};

    fn found(text: &str) -> Vec<(String, String)> {
        let inputs = crate::load::load_str("agent.yaml", text);
        let options = LintOptions {
            registry: crate::crd::embedded_registry(),
            rules: RuleOptions::default(),
            select: vec!["PA111".into(), "PA112".into()],
            ignore: Vec::new(),
        };
        lint(&inputs, &options)
            .diagnostics
            .iter()
            .map(|d| (d.code.clone(), d.path.to_string()))
            .collect()
    }

    const HEAD: &str = "apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: a\n  namespace: m\nspec:\n  podMonitorSelector: {}\n";

    #[test]
    fn user_volume_mounts_in_daemonset_mode() {
        let text = format!(
            "{HEAD}  mode: DaemonSet\n  volumes:\n  - name: extra\n    emptyDir: {{}}\n  volumeMounts:\n  - name: config-out\n    mountPath: /x\n  - name: extra\n    mountPath: /extra\n  containers:\n  - name: sidecar\n    image: busybox\n    volumeMounts:\n    - name: extra\n      mountPath: /extra\n"
        );
        assert_eq!(
            found(&text),
            [
                ("PA112".to_string(), "spec.volumeMounts[1]".to_string()),
                ("PA112".to_string(), "spec.containers[0].volumeMounts[0]".to_string()),
            ]
        );
    }

    #[test]
    fn statefulset_mode_keeps_the_volumes() {
        let text = format!(
            "{HEAD}  volumes:\n  - name: extra\n    emptyDir: {{}}\n  volumeMounts:\n  - name: extra\n    mountPath: /extra\n"
        );
        assert!(found(&text).is_empty());
    }
}
