//! The five CustomResourceDefinitions as the typed model generates them: schemars output turned
//! into the structural schema the API server wants (every subschema inlined, no `$ref`, no
//! descriptions, no `null` types), with the Kubernetes list/map markers that k8s-openapi's schemas
//! leave out added by [`crate::crd::add_core_markers`]. The CRDs promagent embeds
//! (`src/crd/generated/`) are this module's output; a test keeps them equal.

use crate::crd::{GROUP, KINDS, KindInfo};
use crate::model;
use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

/// Generates the CRD of one kind from the Rust types.
pub fn generate(info: &KindInfo) -> Value {
    let (spec, status) = match info.kind {
        "PrometheusAgent" => (
            structural::<model::PrometheusAgentSpec>(),
            structural::<model::PrometheusStatus>(),
        ),
        "PodMonitor" => (
            structural::<model::PodMonitorSpec>(),
            structural::<model::ConfigResourceStatus>(),
        ),
        "ServiceMonitor" => (
            structural::<model::ServiceMonitorSpec>(),
            structural::<model::ConfigResourceStatus>(),
        ),
        "Probe" => (
            structural::<model::ProbeSpec>(),
            structural::<model::ConfigResourceStatus>(),
        ),
        _ => (
            structural::<model::ScrapeConfigSpec>(),
            structural::<model::ConfigResourceStatus>(),
        ),
    };
    let schema = json!({
        "type": "object",
        "required": ["spec"],
        "properties": {
            "apiVersion": {"type": "string"},
            "kind": {"type": "string"},
            "metadata": {"type": "object"},
            "spec": spec,
            "status": status,
        },
    });
    let mut subresources = json!({"status": {}});
    if info.scale {
        subresources["scale"] = json!({
            "labelSelectorPath": ".status.selector",
            "specReplicasPath": ".spec.shards",
            "statusReplicasPath": ".status.shards",
        });
    }
    let mut version = json!({
        "name": info.version,
        "served": true,
        "storage": true,
        "subresources": subresources,
        "schema": {"openAPIV3Schema": schema},
    });
    let columns = (info.printer_columns)();
    if !columns.is_null() {
        version["additionalPrinterColumns"] = columns;
    }
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": format!("{}.{}", info.plural, GROUP)},
        "spec": {
            "group": GROUP,
            "names": {
                "categories": ["prometheus-operator"],
                "kind": info.kind,
                "listKind": format!("{}List", info.kind),
                "plural": info.plural,
                "shortNames": [info.short_name],
                "singular": info.kind.to_lowercase(),
            },
            "scope": "Namespaced",
            "versions": [version],
        },
    })
}

/// The schemars output of `T` with its definitions kept apart, so that the Kubernetes types can be
/// patched by name before everything is inlined.
fn raw_schema<T: JsonSchema>() -> Value {
    let mut settings = SchemaSettings::draft2020_12();
    settings.meta_schema = None;
    let generator = settings.into_generator();
    generator.into_root_schema_for::<T>().to_value()
}

/// The structural schema of `T`.
pub fn structural<T: JsonSchema>() -> Value {
    let mut root = raw_schema::<T>();
    let defs = match root.as_object_mut().and_then(|o| o.remove("$defs")) {
        Some(Value::Object(defs)) => defs,
        _ => Map::new(),
    };
    to_structural(&root, &defs)
}

fn to_structural(node: &Value, defs: &Map<String, Value>) -> Value {
    let Value::Object(obj) = node else {
        // `true` (any value) and other bare schemas become an empty schema.
        return Value::Object(Map::new());
    };
    let mut out = Map::new();
    if let Some(Value::String(reference)) = obj.get("$ref") {
        let name = reference.trim_start_matches("#/$defs/");
        if let Some(target) = defs.get(name) {
            let mut target = target.clone();
            crate::crd::core_markers::patch(name, &mut target);
            if let Value::Object(inlined) = to_structural(&target, defs) {
                out = inlined;
            }
        }
    }
    // `anyOf: [X, null]` is how an `Option` of a referenced type is written: keep X.
    if let Some(Value::Array(any_of)) = obj.get("anyOf") {
        let non_null: Vec<&Value> = any_of.iter().filter(|s| !is_null_schema(s)).collect();
        if non_null.len() == 1
            && non_null.len() < any_of.len()
            && let Value::Object(inner) = to_structural(non_null[0], defs)
        {
            out.extend(inner);
        }
    }
    for (key, value) in obj {
        match key.as_str() {
            "$ref" | "$defs" | "$schema" | "description" | "title" | "examples" => {}
            "anyOf" => {
                let Value::Array(items) = value else { continue };
                if items.iter().any(is_null_schema) {
                    continue;
                }
                let items = items.iter().map(|s| to_structural(s, defs)).collect();
                out.insert(key.clone(), Value::Array(items));
            }
            "type" => {
                out.insert(key.clone(), without_null(value));
            }
            "properties" => {
                let Value::Object(props) = value else {
                    continue;
                };
                let props = props
                    .iter()
                    .map(|(name, schema)| (name.clone(), to_structural(schema, defs)))
                    .collect();
                out.insert(key.clone(), Value::Object(props));
            }
            "items" | "additionalProperties" => {
                out.insert(key.clone(), to_structural(value, defs));
            }
            "required" if value.as_array().is_some_and(Vec::is_empty) => {}
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if out.get("x-kubernetes-int-or-string") == Some(&Value::Bool(true))
        && !out.contains_key("anyOf")
    {
        out.insert(
            "anyOf".into(),
            json!([{"type": "integer"}, {"type": "string"}]),
        );
    }
    Value::Object(out)
}

fn is_null_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
}

fn without_null(types: &Value) -> Value {
    match types {
        Value::Array(list) => {
            let kept: Vec<&Value> = list.iter().filter(|t| t.as_str() != Some("null")).collect();
            match kept.as_slice() {
                [one] => (*one).clone(),
                _ => Value::Array(kept.into_iter().cloned().collect()),
            }
        }
        other => other.clone(),
    }
}

/// The CRDs as the types generate them now (what `src/crd/generated/` must hold), in the order of
/// [`KINDS`].
pub fn generate_all() -> Vec<Value> {
    KINDS.iter().map(generate).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed JSON must be what the types generate. `PROMAGENT_BLESS=1 cargo test --lib
    /// model::crd_schema::tests::committed_crds_match_the_types` rewrites it.
    #[test]
    fn committed_crds_match_the_types() {
        let generated = generate_all();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/crd/generated");
        if std::env::var_os("PROMAGENT_BLESS").is_some() {
            for (info, crd) in KINDS.iter().zip(&generated) {
                let text = serde_json::to_string(crd).expect("CRD serialises") + "\n";
                std::fs::write(dir.join(format!("{}.json", info.plural)), text)
                    .expect("write generated CRD");
            }
            return;
        }
        let committed = crate::crd::all();
        for (index, crd) in generated.iter().enumerate() {
            assert!(
                committed[index] == *crd,
                "src/crd/generated/{}.json is stale; regenerate it with \
                 `PROMAGENT_BLESS=1 cargo test --lib model::crd_schema::tests::committed_crds_match_the_types`",
                KINDS[index].plural
            );
        }
    }
}
