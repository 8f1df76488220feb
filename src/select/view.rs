//! A read-only view of a JSON value that remembers its field path, so checks can walk an object
//! and name the exact place of a finding (`spec.endpoints[0].basicAuth.password`).

use crate::fieldpath::{FieldPath, Segment};
use serde_json::Value;
use std::borrow::Cow;
use std::sync::Arc;

static NULL: Value = Value::Null;

/// A value inside an object together with the path that leads to it. Missing fields are `null`
/// views (with the path they would have), so lookups can be chained without checks. A step down
/// costs one small shared link; the [`FieldPath`] is built only when a finding asks for it.
#[derive(Clone, Debug)]
pub struct View<'a> {
    pub value: &'a Value,
    trail: Trail<'a>,
}

/// The steps from the root to a view, innermost last, shared between a view and its children.
#[derive(Clone, Debug, Default)]
struct Trail<'a>(Option<Arc<(Trail<'a>, Step<'a>)>>);

#[derive(Debug)]
enum Step<'a> {
    Key(Cow<'a, str>),
    Index(usize),
}

impl<'a> Trail<'a> {
    fn then(&self, step: Step<'a>) -> Self {
        Trail(Some(Arc::new((self.clone(), step))))
    }

    fn to_path(&self) -> FieldPath {
        let mut segments = Vec::new();
        let mut at = &self.0;
        while let Some(link) = at {
            segments.push(match &link.1 {
                Step::Key(k) => Segment::Key(k.to_string()),
                Step::Index(i) => Segment::Index(*i),
            });
            at = &link.0.0;
        }
        segments.reverse();
        FieldPath(segments)
    }
}

impl<'a> View<'a> {
    pub fn root(value: &'a Value) -> Self {
        View {
            value,
            trail: Trail::default(),
        }
    }

    /// The field path from the root to this view.
    pub fn path(&self) -> FieldPath {
        self.trail.to_path()
    }

    /// The child `key` (a `null` view when absent or when this is not a map).
    pub fn get(&self, key: &str) -> View<'a> {
        match self
            .value
            .as_object()
            .and_then(|m| crate::load::json::entry(m, key))
        {
            Some((k, value)) => View {
                value,
                trail: self.trail.then(Step::Key(Cow::Borrowed(k.as_str()))),
            },
            None => View {
                value: &NULL,
                trail: self.trail.then(Step::Key(Cow::Owned(key.to_string()))),
            },
        }
    }

    /// Walks a dotted key path (`"spec.selector"`).
    pub fn at(&self, dotted: &str) -> View<'a> {
        dotted.split('.').fold(self.clone(), |v, k| v.get(k))
    }

    /// The elements of a list (empty when absent or not a list).
    pub fn items(&self) -> Vec<View<'a>> {
        match self.value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, value)| View {
                    value,
                    trail: self.trail.then(Step::Index(i)),
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The entries of a map (empty when absent or not a map), in input order.
    pub fn entries(&self) -> Vec<(&'a str, View<'a>)> {
        match self.value {
            Value::Object(map) => map
                .iter()
                .map(|(k, value)| {
                    (
                        k.as_str(),
                        View {
                            value,
                            trail: self.trail.then(Step::Key(Cow::Borrowed(k.as_str()))),
                        },
                    )
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Present and not `null` (Go: a non-nil pointer).
    pub fn is_set(&self) -> bool {
        !self.value.is_null()
    }

    /// The string value, when this is a string.
    pub fn str(&self) -> Option<&'a str> {
        self.value.as_str()
    }

    /// The string value or `""` (Go's zero value).
    pub fn string(&self) -> &'a str {
        self.value.as_str().unwrap_or("")
    }

    /// True for a `true` boolean.
    pub fn is_true(&self) -> bool {
        self.value.as_bool() == Some(true)
    }

    pub fn int(&self) -> Option<i64> {
        match self.value {
            Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
            _ => None,
        }
    }

    /// A non-empty list or map, or a non-empty string (Go's `len(x) > 0`).
    pub fn non_empty(&self) -> bool {
        match self.value {
            Value::Null => false,
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Object(m) => !m.is_empty(),
            _ => true,
        }
    }

    /// A map with at least one non-null entry, a non-empty list/string, a `true`, or a non-zero
    /// number: what Go's `reflect.Value.IsZero` would call a non-zero value.
    pub fn non_zero(&self) -> bool {
        match self.value {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Number(n) => n.as_f64() != Some(0.0),
            Value::String(s) => !s.is_empty(),
            Value::Array(_) => true,
            Value::Object(m) => m.values().any(|v| !v.is_null()),
        }
    }
}

/// The metadata every namespaced object carries, read from its JSON form.
#[derive(Clone, Debug, Default)]
pub struct Meta {
    pub kind: String,
    pub name: String,
    /// `metadata.namespace`, or `default` when absent (where `kubectl apply` would put it).
    pub namespace: String,
    pub labels: Vec<(String, String)>,
    pub annotations: Vec<(String, String)>,
}

impl Meta {
    pub fn of(value: &Value) -> Meta {
        let root = View::root(value);
        let md = root.get("metadata");
        let pairs = |v: View<'_>| {
            v.entries()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.string().to_string()))
                .collect()
        };
        let namespace = md.get("namespace").string();
        Meta {
            kind: root.get("kind").string().to_string(),
            name: md.get("name").string().to_string(),
            namespace: if namespace.is_empty() {
                "default".to_string()
            } else {
                namespace.to_string()
            },
            labels: pairs(md.get("labels")),
            annotations: pairs(md.get("annotations")),
        }
    }

    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `<namespace>/<name>`, the key the operator sorts and de-duplicates by.
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    pub fn object_ref(&self) -> crate::diag::ObjectRef {
        crate::diag::ObjectRef {
            kind: self.kind.clone(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn walking_keeps_paths() {
        let v = json!({"spec": {"endpoints": [{"port": "web"}, {"basicAuth": {}}]}});
        let root = View::root(&v);
        let eps = root.at("spec.endpoints").items();
        assert_eq!(eps.len(), 2);
        assert_eq!(
            eps[1].get("basicAuth").path().to_string(),
            "spec.endpoints[1].basicAuth"
        );
        assert!(eps[1].get("basicAuth").is_set());
        assert!(!eps[1].get("basicAuth").non_zero());
        assert_eq!(eps[0].get("port").string(), "web");
        assert!(!eps[0].get("missing").get("deeper").is_set());
    }

    #[test]
    fn meta_defaults_namespace() {
        let v = json!({"kind": "PodMonitor", "metadata": {"name": "a", "labels": {"x": "y"}}});
        let m = Meta::of(&v);
        assert_eq!(m.key(), "default/a");
        assert_eq!(m.label("x"), Some("y"));
    }
}
