//! Validation of an object's `metadata` as the API server does it for custom resources: the name is a
//! DNS-1123 subdomain, the namespace a DNS-1123 label (forbidden on cluster-scoped kinds), label keys
//! and annotation keys are qualified names, label values at most 63 characters, annotations at most
//! 256 KiB in total, and no field outside ObjectMeta.

use crate::check::schema::{SchemaError, SchemaErrorKind, go_quote, go_value, value_type};
use crate::fieldpath::FieldPath;
use serde_json::Value;

pub(crate) const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;

pub use crate::kube::validation::{
    dns1123_label_errors, dns1123_subdomain_errors, label_value_errors, qualified_name_errors,
};

const OBJECT_META_FIELDS: &[&str] = &[
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
];

/// Validates an object's `metadata` (pass `Value::Null` when it is missing). Paths start at `metadata`.
/// A missing namespace is accepted: `kubectl` fills it in from the context.
pub fn validate(metadata: &Value, namespaced: bool) -> Vec<SchemaError> {
    let base = FieldPath::root().key("metadata");
    let mut out = Vec::new();
    let invalid = |path: FieldPath, value: &str, msg: &str| SchemaError {
        path,
        kind: SchemaErrorKind::Format,
        message: format!("Invalid value: {}: {msg}", go_quote(value)),
    };

    let empty = serde_json::Map::new();
    let meta = match metadata {
        Value::Object(map) => map,
        Value::Null => &empty,
        other => {
            let t = value_type(other);
            out.push(SchemaError {
                path: base,
                kind: SchemaErrorKind::Type,
                message: format!(
                    "Invalid value: \"{t}\": metadata in body must be of type object: \"{t}\""
                ),
            });
            return out;
        }
    };

    for key in meta.keys() {
        if !OBJECT_META_FIELDS.contains(&key.as_str()) {
            let path = base.key(key.as_str());
            out.push(SchemaError {
                message: format!("unknown field \"metadata.{key}\""),
                path,
                kind: SchemaErrorKind::UnknownField,
            });
        }
    }

    let string_field = |out: &mut Vec<SchemaError>, key: &str| -> Option<String> {
        match meta.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                out.push(type_error(
                    base.key(key),
                    &format!("metadata.{key}"),
                    other,
                    "string",
                ));
                None
            }
        }
    };

    let generate_name = string_field(&mut out, "generateName").unwrap_or_default();
    if !generate_name.is_empty() {
        // A generateName may end in '-': validate it as if a suffix followed.
        // (Go drops the last two bytes and appends an `a`.)
        let bytes = generate_name.as_bytes();
        let masked = if bytes.len() > 1 && generate_name.ends_with('-') {
            format!("{}a", String::from_utf8_lossy(&bytes[..bytes.len() - 2]))
        } else {
            generate_name.clone()
        };
        for msg in dns1123_subdomain_errors(&masked) {
            out.push(invalid(base.key("generateName"), &generate_name, &msg));
        }
    }
    let name = string_field(&mut out, "name").unwrap_or_default();
    if name.is_empty() {
        if generate_name.is_empty() {
            out.push(SchemaError {
                path: base.key("name"),
                kind: SchemaErrorKind::Required,
                message: "Required value: name or generateName is required".to_string(),
            });
        }
    } else {
        for msg in dns1123_subdomain_errors(&name) {
            out.push(invalid(base.key("name"), &name, &msg));
        }
    }

    let namespace = string_field(&mut out, "namespace").unwrap_or_default();
    if !namespace.is_empty() {
        if namespaced {
            for msg in dns1123_label_errors(&namespace) {
                out.push(invalid(base.key("namespace"), &namespace, &msg));
            }
        } else {
            out.push(SchemaError {
                path: base.key("namespace"),
                kind: SchemaErrorKind::Other,
                message: "Forbidden: not allowed on this type".to_string(),
            });
        }
    }

    if let Some(generation) = meta.get("generation").and_then(Value::as_i64)
        && generation < 0
    {
        out.push(SchemaError {
            path: base.key("generation"),
            kind: SchemaErrorKind::Bounds,
            message: format!("Invalid value: {generation}: must be greater than or equal to 0"),
        });
    }

    let labels_path = base.key("labels");
    for (key, value) in string_map(
        &mut out,
        meta.get("labels"),
        &labels_path,
        "metadata.labels",
    ) {
        for msg in qualified_name_errors(&key) {
            out.push(invalid(labels_path.clone(), &key, &msg));
        }
        for msg in label_value_errors(&value) {
            out.push(invalid(labels_path.clone(), &value, &msg));
        }
    }

    let annotations_path = base.key("annotations");
    let annotations = string_map(
        &mut out,
        meta.get("annotations"),
        &annotations_path,
        "metadata.annotations",
    );
    let mut total = 0usize;
    for (key, value) in &annotations {
        for msg in qualified_name_errors(&key.to_lowercase()) {
            out.push(invalid(annotations_path.clone(), key, &msg));
        }
        total += key.len() + value.len();
    }
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        out.push(SchemaError {
            path: annotations_path,
            kind: SchemaErrorKind::Length,
            message: format!("Too long: may not be more than {TOTAL_ANNOTATION_SIZE_LIMIT} bytes"),
        });
    }

    let finalizers_path = base.key("finalizers");
    match meta.get("finalizers") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(f) => {
                        for msg in qualified_name_errors(f) {
                            out.push(invalid(finalizers_path.clone(), f, &msg));
                        }
                    }
                    other => out.push(type_error(
                        finalizers_path.index(i),
                        &format!("metadata.finalizers[{i}]"),
                        other,
                        "string",
                    )),
                }
            }
        }
        Some(other) => out.push(type_error(
            finalizers_path,
            "metadata.finalizers",
            other,
            "array",
        )),
    }
    out
}

fn type_error(path: FieldPath, name: &str, value: &Value, expected: &str) -> SchemaError {
    let t = value_type(value);
    SchemaError {
        path,
        kind: SchemaErrorKind::Type,
        message: format!(
            "Invalid value: \"{t}\": {name} in body must be of type {expected}: \"{t}\""
        ),
    }
}

/// The entries of a `map[string]string` field; entries of another type are reported.
fn string_map(
    out: &mut Vec<SchemaError>,
    value: Option<&Value>,
    path: &FieldPath,
    name: &str,
) -> Vec<(String, String)> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(map)) => {
            let mut entries = Vec::new();
            for (k, v) in map {
                match v {
                    Value::String(s) => entries.push((k.clone(), s.clone())),
                    other => out.push(SchemaError {
                        path: path.key(k.as_str()),
                        kind: SchemaErrorKind::Type,
                        message: format!(
                            "Invalid value: {}: {name}.{k} in body must be of type string: \"{}\"",
                            go_value(other),
                            value_type(other)
                        ),
                    }),
                }
            }
            entries
        }
        Some(other) => {
            out.push(type_error(path.clone(), name, other, "object"));
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn messages(meta: Value, namespaced: bool) -> Vec<String> {
        validate(&meta, namespaced)
            .into_iter()
            .map(|e| format!("{}: {}", e.path, e.message))
            .collect()
    }

    #[test]
    fn valid_metadata_passes() {
        let meta = json!({
            "name": "agent.example",
            "namespace": "monitoring",
            "labels": {"app.kubernetes.io/name": "prometheus-agent", "tier": ""},
            "annotations": {"example.com/Note": "anything goes here: {}"},
            "finalizers": ["example.com/cleanup"]
        });
        assert!(messages(meta, true).is_empty());
    }

    #[test]
    fn name_is_required() {
        assert_eq!(
            messages(json!({"namespace": "default"}), true),
            ["metadata.name: Required value: name or generateName is required"]
        );
        assert_eq!(
            messages(Value::Null, true),
            ["metadata.name: Required value: name or generateName is required"]
        );
        assert!(messages(json!({"generateName": "agent-"}), true).is_empty());
        assert_eq!(messages(json!({"generateName": "é-"}), true).len(), 1);
    }

    #[test]
    fn name_must_be_a_dns_subdomain() {
        assert_eq!(
            messages(json!({"name": "Foo_bar"}), true),
            [
                "metadata.name: Invalid value: \"Foo_bar\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
            ]
        );
        let long = "a".repeat(254);
        assert_eq!(
            messages(json!({ "name": long }), true),
            [format!(
                "metadata.name: Invalid value: \"{long}\": must be no more than 253 characters"
            )]
        );
    }

    #[test]
    fn namespace_is_a_dns_label_and_forbidden_on_cluster_scope() {
        assert_eq!(
            messages(json!({"name": "a", "namespace": "team.a"}), true),
            ["metadata.namespace: Invalid value: \"team.a\": must not contain dots"]
        );
        assert_eq!(
            messages(json!({"name": "a", "namespace": "Team"}), true),
            [
                "metadata.namespace: Invalid value: \"Team\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
            ]
        );
        assert_eq!(
            messages(json!({"name": "a", "namespace": "default"}), false),
            ["metadata.namespace: Forbidden: not allowed on this type"]
        );
    }

    #[test]
    fn label_keys_and_values() {
        let long = "v".repeat(64);
        let got = messages(
            json!({"name": "a", "labels": {"-bad": "ok", "ok": long, "a/b/c": "x"}}),
            true,
        );
        assert_eq!(
            got,
            [
                "metadata.labels: Invalid value: \"-bad\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')".to_string(),
                format!("metadata.labels: Invalid value: \"{long}\": must be no more than 63 characters"),
                "metadata.labels: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')".to_string(),
            ]
        );
    }

    #[test]
    fn annotation_size_and_keys() {
        let big = "x".repeat(TOTAL_ANNOTATION_SIZE_LIMIT);
        let got = messages(
            json!({"name": "a", "annotations": {"k": big, "Example.COM/": "v"}}),
            true,
        );
        assert_eq!(
            got,
            [
                "metadata.annotations: Invalid value: \"Example.COM/\": name part must be non-empty",
                "metadata.annotations: Invalid value: \"Example.COM/\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                "metadata.annotations: Too long: may not be more than 262144 bytes",
            ]
        );
    }

    #[test]
    fn unknown_fields_and_wrong_types() {
        let got = messages(json!({"name": "a", "lables": {}, "labels": {"n": 1}}), true);
        assert_eq!(
            got,
            [
                "metadata.lables: unknown field \"metadata.lables\"",
                "metadata.labels.n: Invalid value: 1: metadata.labels.n in body must be of type string: \"integer\"",
            ]
        );
    }
}
