//! Kubernetes markers that k8s-openapi's schemas do not carry (list and map types, list-map keys,
//! defaults, the quantity pattern), added to each Kubernetes type's schema by its OpenAPI name before
//! the schema is inlined, so the generated CRDs describe core types the way the API server does.
//!
//! Paths are written `a.b[].c`: property `a`, its property `b`, the items of that list, their
//! property `c`; `""` is the type itself.

use serde_json::{Value, json};

/// The pattern the API server gives every `resource.Quantity`.
const QUANTITY_PATTERN: &str = r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

/// Adds the markers of the Kubernetes type `name` (e.g. `io.k8s.api.core.v1.Container`) to `schema`.
pub fn patch(name: &str, schema: &mut Value) {
    let Some(short) = name.strip_prefix("io.k8s.") else {
        return;
    };
    match short {
        // Embedded object metadata is not described beyond being an object.
        "apimachinery.pkg.apis.meta.v1.ObjectMeta" => *schema = json!({"type": "object"}),
        "api.core.v1.AzureDiskVolumeSource" => {
            set(schema, "fsType", "default", json!("ext4"));
            set(schema, "readOnly", "default", json!(false));
        }
        "api.core.v1.Capabilities" => {
            atomic_lists(schema, &["add", "drop"]);
        }
        "api.core.v1.CephFSVolumeSource" => {
            atomic_lists(schema, &["monitors"]);
        }
        "api.core.v1.ConfigMapEnvSource" => {
            atomic_maps(schema, &[""]);
            required(schema, "", &[]);
            set(schema, "name", "default", json!(""));
        }
        "api.core.v1.ConfigMapKeySelector" => {
            atomic_maps(schema, &[""]);
            required(schema, "", &["key"]);
            set(schema, "name", "default", json!(""));
        }
        "api.core.v1.ConfigMapProjection" => {
            atomic_lists(schema, &["items"]);
            atomic_maps(schema, &[""]);
            required(schema, "", &[]);
            set(schema, "name", "default", json!(""));
        }
        "api.core.v1.ConfigMapVolumeSource" => {
            atomic_lists(schema, &["items"]);
            atomic_maps(schema, &[""]);
            required(schema, "", &[]);
            set(schema, "name", "default", json!(""));
        }
        "api.core.v1.Container" => {
            atomic_lists(
                schema,
                &[
                    "args",
                    "command",
                    "envFrom",
                    "resizePolicy",
                    "restartPolicyRules",
                ],
            );
            list_map(schema, "env", &["name"]);
            list_map(schema, "ports", &["containerPort", "protocol"]);
            list_map(schema, "volumeDevices", &["devicePath"]);
            list_map(schema, "volumeMounts", &["mountPath"]);
        }
        "api.core.v1.ContainerPort" => {
            set(schema, "protocol", "default", json!("TCP"));
        }
        "api.core.v1.ContainerRestartRuleOnExitCodes" => {
            set(schema, "values", "x-kubernetes-list-type", json!("set"));
        }
        "api.core.v1.DownwardAPIProjection" => {
            atomic_lists(schema, &["items"]);
        }
        "api.core.v1.DownwardAPIVolumeSource" => {
            atomic_lists(schema, &["items"]);
        }
        "api.core.v1.ExecAction" => {
            atomic_lists(schema, &["command"]);
        }
        "api.core.v1.FCVolumeSource" => {
            atomic_lists(schema, &["targetWWNs", "wwids"]);
        }
        "api.core.v1.FileKeySelector" => {
            atomic_maps(schema, &[""]);
            set(schema, "optional", "default", json!(false));
        }
        "api.core.v1.GRPCAction" => {
            set(schema, "service", "default", json!(""));
        }
        "api.core.v1.HTTPGetAction" => {
            atomic_lists(schema, &["httpHeaders"]);
        }
        "api.core.v1.ISCSIVolumeSource" => {
            atomic_lists(schema, &["portals"]);
            set(schema, "iscsiInterface", "default", json!("default"));
        }
        "api.core.v1.LocalObjectReference" => {
            atomic_maps(schema, &[""]);
            required(schema, "", &[]);
            set(schema, "name", "default", json!(""));
        }
        "api.core.v1.NodeAffinity" => {
            atomic_lists(schema, &["preferredDuringSchedulingIgnoredDuringExecution"]);
        }
        "api.core.v1.NodeSelector" => {
            atomic_lists(schema, &["nodeSelectorTerms"]);
            atomic_maps(schema, &[""]);
        }
        "api.core.v1.NodeSelectorRequirement" => {
            atomic_lists(schema, &["values"]);
        }
        "api.core.v1.NodeSelectorTerm" => {
            atomic_lists(schema, &["matchExpressions", "matchFields"]);
            atomic_maps(schema, &[""]);
        }
        "api.core.v1.ObjectFieldSelector" => {
            atomic_maps(schema, &[""]);
        }
        "api.core.v1.PersistentVolumeClaimSpec" => {
            atomic_lists(schema, &["accessModes"]);
        }
        "api.core.v1.PersistentVolumeClaimStatus" => {
            atomic_lists(schema, &["accessModes"]);
            set(
                schema,
                "allocatedResourceStatuses",
                "x-kubernetes-map-type",
                json!("granular"),
            );
            list_map(schema, "conditions", &["type"]);
        }
        "api.core.v1.PodAffinity" => {
            atomic_lists(
                schema,
                &[
                    "preferredDuringSchedulingIgnoredDuringExecution",
                    "requiredDuringSchedulingIgnoredDuringExecution",
                ],
            );
        }
        "api.core.v1.PodAffinityTerm" => {
            atomic_lists(
                schema,
                &["matchLabelKeys", "mismatchLabelKeys", "namespaces"],
            );
        }
        "api.core.v1.PodAntiAffinity" => {
            atomic_lists(
                schema,
                &[
                    "preferredDuringSchedulingIgnoredDuringExecution",
                    "requiredDuringSchedulingIgnoredDuringExecution",
                ],
            );
        }
        "api.core.v1.PodSecurityContext" => {
            atomic_lists(schema, &["supplementalGroups", "sysctls"]);
        }
        "api.core.v1.ProjectedVolumeSource" => {
            atomic_lists(schema, &["sources"]);
        }
        "api.core.v1.RBDVolumeSource" => {
            atomic_lists(schema, &["monitors"]);
            set(schema, "keyring", "default", json!("/etc/ceph/keyring"));
            set(schema, "pool", "default", json!("rbd"));
            set(schema, "user", "default", json!("admin"));
        }
        "api.core.v1.ResourceFieldSelector" => {
            atomic_maps(schema, &[""]);
        }
        "api.core.v1.ResourceRequirements" => {
            list_map(schema, "claims", &["name"]);
        }
        "api.core.v1.ScaleIOVolumeSource" => {
            set(schema, "fsType", "default", json!("xfs"));
            set(schema, "storageMode", "default", json!("ThinProvisioned"));
        }
        "api.core.v1.SecretEnvSource" => {
            atomic_maps(schema, &[""]);
            required(schema, "", &[]);
            set(schema, "name", "default", json!(""));
        }
        "api.core.v1.SecretKeySelector" => {
            atomic_maps(schema, &[""]);
            required(schema, "", &["key"]);
            set(schema, "name", "default", json!(""));
        }
        "api.core.v1.SecretProjection" => {
            atomic_lists(schema, &["items"]);
            atomic_maps(schema, &[""]);
            required(schema, "", &[]);
            set(schema, "name", "default", json!(""));
        }
        "api.core.v1.SecretVolumeSource" => {
            atomic_lists(schema, &["items"]);
        }
        "api.core.v1.TypedLocalObjectReference" => {
            atomic_maps(schema, &[""]);
        }
        "apimachinery.pkg.api.resource.Quantity" => {
            set(schema, "", "pattern", json!(QUANTITY_PATTERN));
        }
        "apimachinery.pkg.apis.meta.v1.LabelSelector" => {
            atomic_lists(schema, &["matchExpressions"]);
            atomic_maps(schema, &[""]);
        }
        "apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement" => {
            atomic_lists(schema, &["values"]);
        }
        "api.core.v1.TopologySpreadConstraint" => {
            atomic_lists(schema, &["matchLabelKeys"]);
        }
        _ => {}
    }
}

/// The node at `path` (see the module doc), if the schema has it.
fn node<'a>(schema: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut current = schema;
    for step in path.split('.').filter(|s| !s.is_empty()) {
        let (name, lists) = match step.find("[]") {
            Some(i) => (&step[..i], step[i..].matches("[]").count()),
            None => (step, 0),
        };
        current = current.get_mut("properties")?.get_mut(name)?;
        for _ in 0..lists {
            current = current.get_mut("items")?;
        }
    }
    Some(current)
}

fn set(schema: &mut Value, path: &str, key: &str, value: Value) {
    if let Some(Value::Object(node)) = node(schema, path) {
        node.insert(key.to_string(), value);
    }
}

fn atomic_lists(schema: &mut Value, paths: &[&str]) {
    for path in paths {
        set(schema, path, "x-kubernetes-list-type", json!("atomic"));
    }
}

fn atomic_maps(schema: &mut Value, paths: &[&str]) {
    for path in paths {
        set(schema, path, "x-kubernetes-map-type", json!("atomic"));
    }
}

fn list_map(schema: &mut Value, path: &str, keys: &[&str]) {
    set(schema, path, "x-kubernetes-list-type", json!("map"));
    set(schema, path, "x-kubernetes-list-map-keys", json!(keys));
}

/// Replaces the required properties of the node (none: the node has no `required`).
fn required(schema: &mut Value, path: &str, names: &[&str]) {
    if let Some(Value::Object(node)) = node(schema, path) {
        if names.is_empty() {
            node.remove("required");
        } else {
            node.insert("required".to_string(), json!(names));
        }
    }
}
