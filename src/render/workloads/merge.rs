//! The user's `containers` / `initContainers` merged into the operator's containers by name, with
//! Kubernetes strategic-merge-patch semantics for `core/v1.Container`: maps merge recursively, the
//! lists `ports` (by `containerPort`), `env` (by `name`), `volumeMounts` (by `mountPath`) and
//! `volumeDevices` (by `devicePath`) merge by key, every other list is replaced.

use k8s_openapi::api::core::v1::Container;
use serde_json::{Map, Value};

/// The operator's containers with the user's patches applied, followed by the user's other containers.
pub fn merge_containers(
    base: Vec<Container>,
    patches: &[Container],
) -> Result<Vec<Container>, String> {
    let mut out = Vec::with_capacity(base.len() + patches.len());
    for container in base {
        // When a name appears twice among the patches, the last one wins.
        let Some(patch) = patches.iter().rev().find(|p| p.name == container.name) else {
            out.push(container);
            continue;
        };
        let name = container.name.clone();
        let original = serde_json::to_value(&container)
            .map_err(|e| format!("failed to marshal JSON for container {name}: {e}"))?;
        let patch_value = go_omitempty(
            serde_json::to_value(patch)
                .map_err(|e| format!("failed to marshal JSON for patch container {name}: {e}"))?,
        );
        let merged = merge_value(original, patch_value, 0);
        let mut merged: Container = serde_json::from_value(merged)
            .map_err(|e| format!("failed to unmarshal merged container {name}: {e}"))?;
        fix_probe_handlers(&mut merged, patch);
        out.push(merged);
    }
    let base_names: Vec<String> = out.iter().map(|c| c.name.clone()).collect();
    for patch in patches {
        if base_names.contains(&patch.name) {
            continue;
        }
        // A name given twice is added twice, both times with its last definition.
        let last = patches
            .iter()
            .rev()
            .find(|p| p.name == patch.name)
            .unwrap_or(patch);
        out.push(last.clone());
    }
    Ok(out)
}

/// Drops what Go's `omitempty` drops when the operator marshals a typed container: empty strings,
/// `false`, zero numbers (except the required `containerPort`) and empty lists and maps.
fn go_omitempty(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let v = go_omitempty(v);
                let empty = match &v {
                    Value::String(s) => s.is_empty() && k != "name" && k != "mountPath",
                    Value::Bool(b) => !b,
                    Value::Number(n) => n.as_f64() == Some(0.0) && k != "containerPort",
                    Value::Array(a) => a.is_empty(),
                    Value::Object(o) => o.is_empty() && k != "resources",
                    Value::Null => true,
                };
                if !empty {
                    out.insert(k, v);
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(go_omitempty).collect()),
        other => other,
    }
}

/// The merge key of a list at the top level of a container, if it is merged by key.
fn merge_key(field: &str) -> Option<&'static str> {
    match field {
        "ports" => Some("containerPort"),
        "env" => Some("name"),
        "volumeMounts" => Some("mountPath"),
        "volumeDevices" => Some("devicePath"),
        _ => None,
    }
}

fn merge_value(original: Value, patch: Value, depth: usize) -> Value {
    match (original, patch) {
        (Value::Object(orig), Value::Object(patch)) => Value::Object(merge_map(orig, patch, depth)),
        (_, patch) => patch,
    }
}

fn merge_map(
    mut original: Map<String, Value>,
    patch: Map<String, Value>,
    depth: usize,
) -> Map<String, Value> {
    for (key, patch_value) in patch {
        if patch_value.is_null() {
            original.remove(&key);
            continue;
        }
        let Some(orig_value) = original.remove(&key) else {
            original.insert(key, patch_value);
            continue;
        };
        let merged = match (orig_value, patch_value) {
            (Value::Object(o), Value::Object(p)) => Value::Object(merge_map(o, p, depth + 1)),
            (Value::Array(o), Value::Array(p)) => match (depth, merge_key(&key)) {
                (0, Some(merge_key)) => Value::Array(merge_list(o, p, merge_key, depth)),
                _ => Value::Array(p),
            },
            (_, p) => p,
        };
        original.insert(key, merged);
    }
    original
}

/// Merges two lists of maps by `key`, then orders the result as the API machinery does: the items
/// named in the patch in patch order, interleaved with the other original items in original order.
fn merge_list(original: Vec<Value>, patch: Vec<Value>, key: &str, depth: usize) -> Vec<Value> {
    let key_of = |v: &Value| v.get(key).cloned();
    let original_keys: Vec<Option<Value>> = original.iter().map(key_of).collect();
    let patch_keys: Vec<Option<Value>> = patch.iter().map(key_of).collect();

    let mut merged = original;
    for item in patch {
        let k = key_of(&item);
        match merged.iter().position(|m| k.is_some() && key_of(m) == k) {
            Some(i) => {
                let current = std::mem::take(&mut merged[i]);
                merged[i] = merge_value(current, item, depth + 1);
            }
            None => merged.push(item),
        }
    }

    let (mut from_patch, mut server_only): (Vec<Value>, Vec<Value>) = merged
        .into_iter()
        .partition(|m| patch_keys.contains(&key_of(m)));
    let position = |keys: &[Option<Value>], v: &Value| keys.iter().position(|k| *k == key_of(v));
    from_patch.sort_by_key(|v| position(&patch_keys, v).unwrap_or(usize::MAX));
    server_only.sort_by_key(|v| position(&original_keys, v).unwrap_or(usize::MAX));

    let mut out = Vec::with_capacity(from_patch.len() + server_only.len());
    let (mut left, mut right) = (
        server_only.into_iter().peekable(),
        from_patch.into_iter().peekable(),
    );
    loop {
        match (left.peek(), right.peek()) {
            (Some(l), Some(r)) => {
                let before = match (position(&original_keys, l), position(&original_keys, r)) {
                    (Some(li), Some(ri)) => li < ri,
                    _ => false,
                };
                let next = if before { left.next() } else { right.next() };
                out.extend(next);
            }
            (Some(_), None) => out.extend(left.next()),
            (None, Some(_)) => out.extend(right.next()),
            (None, None) => break,
        }
    }
    out
}

/// When a merged probe ends up with more than one handler, the user's handler replaces it.
fn fix_probe_handlers(merged: &mut Container, patch: &Container) {
    let pairs = [
        (&mut merged.startup_probe, &patch.startup_probe),
        (&mut merged.readiness_probe, &patch.readiness_probe),
        (&mut merged.liveness_probe, &patch.liveness_probe),
    ];
    for (merged, patch) in pairs {
        let (Some(m), Some(p)) = (merged.as_mut(), patch.as_ref()) else {
            continue;
        };
        let handlers = [
            m.exec.is_some(),
            m.http_get.is_some(),
            m.tcp_socket.is_some(),
            m.grpc.is_some(),
        ];
        if handlers.iter().filter(|h| **h).count() > 1 {
            m.exec = p.exec.clone();
            m.http_get = p.http_get.clone();
            m.tcp_socket = p.tcp_socket.clone();
            m.grpc = p.grpc.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn container(v: Value) -> Container {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn env_merges_by_name_and_new_items_come_first() {
        let base = vec![container(json!({
            "name": "config-reloader",
            "env": [{"name": "POD_NAME", "value": "a"}, {"name": "SHARD", "value": "0"}],
            "args": ["--one"],
        }))];
        let patch = vec![container(json!({
            "name": "config-reloader",
            "env": [{"name": "FOO", "value": "x"}, {"name": "SHARD", "value": "9"}],
            "args": ["--two"],
        }))];
        let out = merge_containers(base, &patch).unwrap();
        let env: Vec<(String, Option<String>)> = out[0]
            .env
            .clone()
            .unwrap()
            .into_iter()
            .map(|e| (e.name, e.value))
            .collect();
        assert_eq!(
            env,
            vec![
                ("FOO".into(), Some("x".into())),
                ("POD_NAME".into(), Some("a".into())),
                ("SHARD".into(), Some("9".into())),
            ]
        );
        assert_eq!(out[0].args, Some(vec!["--two".to_string()]));
    }

    #[test]
    fn new_containers_are_appended_and_probe_handlers_replaced() {
        let base = vec![container(json!({
            "name": "prometheus",
            "readinessProbe": {"httpGet": {"path": "/-/ready", "port": "web"}, "periodSeconds": 5},
            "resources": {"limits": {"cpu": "1"}},
        }))];
        let patch = vec![
            container(json!({"name": "sidecar", "image": "busybox"})),
            container(json!({
                "name": "prometheus",
                "readinessProbe": {"exec": {"command": ["true"]}},
                "resources": {"limits": {"memory": "1Gi"}},
            })),
        ];
        let out = merge_containers(base, &patch).unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(out[1].name, "sidecar");
        let probe = out[0].readiness_probe.clone().unwrap();
        assert!(probe.http_get.is_none() && probe.exec.is_some());
        assert_eq!(probe.period_seconds, Some(5));
        let limits = out[0].resources.clone().unwrap().limits.unwrap();
        assert_eq!(limits.len(), 2);
    }
}
