//! Object metadata as the operator sets it: the managed-by labels, label and annotation merges in the
//! operator's order (later wins), selector labels, owner references and the kubectl-annotation filter.

use super::Agent;
use crate::render::options::OperatorOptions;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use std::collections::BTreeMap;

pub type Labels = BTreeMap<String, String>;

pub const MANAGED_BY_KEY: &str = "app.kubernetes.io/managed-by";
pub const LEGACY_MANAGED_BY_KEY: &str = "managed-by";
pub const MANAGED_BY_VALUE: &str = "prometheus-operator";
pub const APP_NAME_KEY: &str = "app.kubernetes.io/name";
pub const APP_NAME_VALUE: &str = "prometheus-agent";
pub const APP_INSTANCE_KEY: &str = "app.kubernetes.io/instance";
pub const APP_VERSION_KEY: &str = "app.kubernetes.io/version";
pub const NAME_LABEL: &str = "operator.prometheus.io/name";
pub const SHARD_LABEL: &str = "operator.prometheus.io/shard";
pub const MODE_LABEL: &str = "operator.prometheus.io/mode";
pub const DEFAULT_CONTAINER_ANNOTATION: &str = "kubectl.kubernetes.io/default-container";

/// `into` ∪ `other`, `other` winning on conflicts.
pub fn merge_into(into: &mut Labels, other: impl IntoIterator<Item = (String, String)>) {
    for (k, v) in other {
        into.insert(k, v);
    }
}

/// The operator's `--labels` as a map.
pub fn operator_labels(options: &OperatorOptions) -> Labels {
    options.labels.iter().cloned().collect()
}

pub fn operator_annotations(options: &OperatorOptions) -> Labels {
    options.annotations.iter().cloned().collect()
}

/// The labels every object the operator writes starts with.
pub fn managed_by() -> Labels {
    [
        (
            LEGACY_MANAGED_BY_KEY.to_string(),
            MANAGED_BY_VALUE.to_string(),
        ),
        (MANAGED_BY_KEY.to_string(), MANAGED_BY_VALUE.to_string()),
    ]
    .into_iter()
    .collect()
}

/// The labels that select an agent's pods (without the shard label).
pub fn selector_labels(agent_name: &str) -> Labels {
    [
        (APP_NAME_KEY, APP_NAME_VALUE),
        (MANAGED_BY_KEY, MANAGED_BY_VALUE),
        (APP_INSTANCE_KEY, agent_name),
        (NAME_LABEL, agent_name),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// `base` overridden by the operator's `--labels` (the operator's `Map.Merge`: its own keys win).
pub fn with_operator_labels(base: &Labels, options: &OperatorOptions) -> Labels {
    let mut out = base.clone();
    merge_into(&mut out, operator_labels(options));
    out
}

/// The owner reference to the agent: a controller reference, or a plain one (the shared Service).
pub fn owner_reference(agent: &Agent<'_>, controller: bool) -> OwnerReference {
    OwnerReference {
        api_version: "monitoring.coreos.com/v1alpha1".to_string(),
        kind: "PrometheusAgent".to_string(),
        name: agent.name.to_string(),
        uid: agent.uid.to_string(),
        controller: controller.then_some(true),
        block_owner_deletion: controller.then_some(true),
    }
}

/// Metadata of an object: `None` for empty maps so they are left out.
pub fn object_meta(
    name: &str,
    namespace: &str,
    labels: Labels,
    annotations: Labels,
    owner: OwnerReference,
) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_string()),
        namespace: Some(namespace.to_string()),
        labels: (!labels.is_empty()).then_some(labels),
        annotations: (!annotations.is_empty()).then_some(annotations),
        owner_references: Some(vec![owner]),
        ..ObjectMeta::default()
    }
}

/// Labels and annotations of a Secret: managed-by, then `--labels`; `--annotations`.
pub fn secret_meta(agent: &Agent<'_>, name: &str, options: &OperatorOptions) -> ObjectMeta {
    let mut labels = managed_by();
    merge_into(&mut labels, operator_labels(options));
    object_meta(
        name,
        agent.namespace,
        labels,
        operator_annotations(options),
        owner_reference(agent, true),
    )
}

/// Labels and annotations of a StatefulSet or DaemonSet, applied in the operator's order: managed-by,
/// the agent's labels, the mode label, the selector's labels, then `--labels`; the agent's
/// annotations, then `--annotations`, without `kubectl.kubernetes.io/` annotations.
pub fn workload_meta(
    agent: &Agent<'_>,
    name: &str,
    selector: &Labels,
    options: &OperatorOptions,
) -> ObjectMeta {
    let mut labels = managed_by();
    merge_into(&mut labels, agent.labels.clone());
    labels.insert(MODE_LABEL.to_string(), "agent".to_string());
    merge_into(&mut labels, selector.clone());
    merge_into(&mut labels, operator_labels(options));

    let mut annotations = agent.annotations.clone();
    merge_into(&mut annotations, operator_annotations(options));
    annotations.retain(|k, _| !k.starts_with("kubectl.kubernetes.io/"));

    object_meta(
        name,
        agent.namespace,
        labels,
        annotations,
        owner_reference(agent, true),
    )
}
