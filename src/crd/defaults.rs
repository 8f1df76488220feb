//! Structural defaulting as the API server applies it to a custom resource before validation:
//! explicit `null`s of non-nullable fields are replaced by the field's `default` or dropped, and
//! `default` values fill in missing fields of objects that exist (a missing parent is not created).

use crate::load::json;
use serde_json::Value;

const MAX_DEPTH: usize = 128;

/// Applies the schema's `default`s to `value` in place and drops explicit nulls of non-nullable
/// fields, recursively (properties, `additionalProperties` values and list items).
pub fn apply(value: &mut Value, schema: &Value) {
    default_node(value, schema, 0);
}

fn nullable(schema: &Value) -> bool {
    json::get(schema, "nullable").and_then(Value::as_bool) == Some(true)
}

fn default_of(schema: &Value) -> Option<&Value> {
    json::get(schema, "default").filter(|d| !d.is_null())
}

fn default_node(value: &mut Value, schema: &Value, depth: usize) {
    if depth > MAX_DEPTH || !schema.is_object() {
        return;
    }
    match value {
        Value::Object(map) => {
            let properties = json::get(schema, "properties").and_then(Value::as_object);
            if let Some(properties) = properties {
                for (key, prop) in properties {
                    let Some(default) = default_of(prop) else {
                        continue;
                    };
                    let missing = match json::field(map, key) {
                        None => true,
                        Some(Value::Null) => !nullable(prop),
                        Some(_) => false,
                    };
                    if missing {
                        map.insert(key.clone(), default.clone());
                    }
                }
                map.retain(|key, v| {
                    !(v.is_null()
                        && properties
                            .get(key)
                            .is_some_and(|p| !nullable(p) && default_of(p).is_none()))
                });
            }
            let additional = json::get(schema, "additionalProperties").filter(|a| a.is_object());
            for (key, child) in map.iter_mut() {
                if let Some(prop) = properties.and_then(|p| json::field(p, key)) {
                    default_node(child, prop, depth + 1);
                } else if let Some(additional) = additional {
                    if child.is_null()
                        && !nullable(additional)
                        && let Some(default) = default_of(additional)
                    {
                        *child = default.clone();
                    }
                    default_node(child, additional, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            let Some(item_schema) = json::get(schema, "items").filter(|s| s.is_object()) else {
                return;
            };
            for item in items.iter_mut() {
                if item.is_null()
                    && !nullable(item_schema)
                    && let Some(default) = default_of(item_schema)
                {
                    *item = default.clone();
                }
                default_node(item, item_schema, depth + 1);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {
                        "shards": {"type": "integer", "default": 1},
                        "mode": {"type": "string"},
                        "comment": {"type": "string", "nullable": true},
                        "updateStrategy": {
                            "type": "object",
                            "properties": {"type": {"type": "string", "default": "RollingUpdate"}}
                        },
                        "endpoints": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {"scheme": {"type": "string", "default": "http"}}
                            }
                        },
                        "labels": {
                            "type": "object",
                            "additionalProperties": {
                                "type": "object",
                                "properties": {"weight": {"type": "integer", "default": 5}}
                            }
                        }
                    }
                }
            }
        })
    }

    #[test]
    fn fills_missing_fields_of_existing_objects_only() {
        let mut obj =
            json!({"spec": {"endpoints": [{}, {"scheme": "https"}], "labels": {"a": {}}}});
        apply(&mut obj, &schema());
        assert_eq!(
            obj,
            json!({"spec": {
                "endpoints": [{"scheme": "http"}, {"scheme": "https"}],
                "labels": {"a": {"weight": 5}},
                "shards": 1
            }})
        );
        // No updateStrategy object was created for its defaulted child.
        assert!(obj["spec"].get("updateStrategy").is_none());
    }

    #[test]
    fn nulls_take_the_default_or_are_dropped_unless_nullable() {
        let mut obj = json!({"spec": {"shards": null, "mode": null, "comment": null}});
        apply(&mut obj, &schema());
        assert_eq!(obj, json!({"spec": {"shards": 1, "comment": null}}));
    }

    #[test]
    fn defaults_inside_a_defaulted_value_are_applied() {
        let schema = json!({
            "type": "object",
            "properties": {
                "a": {
                    "type": "object",
                    "default": {},
                    "properties": {"b": {"type": "string", "default": "x"}}
                }
            }
        });
        let mut obj = json!({});
        apply(&mut obj, &schema);
        assert_eq!(obj, json!({"a": {"b": "x"}}));
    }

    #[test]
    fn a_missing_object_gets_nothing() {
        let mut obj = json!({});
        apply(&mut obj, &schema());
        assert_eq!(obj, json!({}));
    }
}
