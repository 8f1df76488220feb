//! Kubernetes label selectors (`matchLabels` + `matchExpressions`): parsing from JSON with the
//! API machinery's validation, and matching against an object's labels.

use super::view::View;
use crate::fieldpath::FieldPath;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub key: String,
    pub operator: Operator,
    pub values: Vec<String>,
}

/// A parsed selector. `None` in [`Selector::parse`] results stands for a nil selector.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector {
    pub requirements: Vec<Requirement>,
}

/// Why a selector cannot be converted: the message the API machinery gives, and the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectorError {
    pub path: FieldPath,
    pub message: String,
}

impl Selector {
    /// Parses a selector field. `Ok(None)` when the field is absent or `null` (a nil selector).
    pub fn parse(view: &View<'_>) -> Result<Option<Selector>, SelectorError> {
        if !view.is_set() {
            return Ok(None);
        }
        let mut requirements = Vec::new();
        let mut labels: Vec<_> = view.get("matchLabels").entries();
        labels.sort_by(|a, b| a.0.cmp(b.0));
        for (key, value) in labels {
            let value_text = scalar_text(&value);
            if let Some(err) = label_key_error(key) {
                return Err(SelectorError {
                    path: value.path(),
                    message: format!("key: Invalid value: {key:?}: {err}"),
                });
            }
            if let Some(err) = label_value_error(&value_text) {
                return Err(SelectorError {
                    path: value.path(),
                    message: format!("values[0][{key}]: Invalid value: {value_text:?}: {err}"),
                });
            }
            requirements.push(Requirement {
                key: key.to_string(),
                operator: Operator::In,
                values: vec![value_text],
            });
        }
        for expr in view.get("matchExpressions").items() {
            let key = expr.get("key").string();
            let op_text = expr.get("operator").string();
            let operator = match op_text {
                "In" => Operator::In,
                "NotIn" => Operator::NotIn,
                "Exists" => Operator::Exists,
                "DoesNotExist" => Operator::DoesNotExist,
                other => {
                    return Err(SelectorError {
                        path: expr.get("operator").path(),
                        message: format!("{other:?} is not a valid label selector operator"),
                    });
                }
            };
            if let Some(err) = label_key_error(key) {
                return Err(SelectorError {
                    path: expr.get("key").path(),
                    message: format!("key: Invalid value: {key:?}: {err}"),
                });
            }
            let values: Vec<String> = expr.get("values").items().iter().map(scalar_text).collect();
            match operator {
                Operator::In | Operator::NotIn if values.is_empty() => {
                    return Err(SelectorError {
                        path: expr.get("values").path(),
                        message: "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"
                            .to_string(),
                    });
                }
                Operator::Exists | Operator::DoesNotExist if !values.is_empty() => {
                    return Err(SelectorError {
                        path: expr.get("values").path(),
                        message: format!(
                            "values: Invalid value: {values:?}: values set must be empty for exists and does not exist"
                        ),
                    });
                }
                _ => {}
            }
            for (i, v) in values.iter().enumerate() {
                if let Some(err) = label_value_error(v) {
                    return Err(SelectorError {
                        path: expr.get("values").path().index(i),
                        message: format!("values[{i}]: Invalid value: {v:?}: {err}"),
                    });
                }
            }
            requirements.push(Requirement {
                key: key.to_string(),
                operator,
                values,
            });
        }
        Ok(Some(Selector { requirements }))
    }

    /// True when `labels` satisfy every requirement (an empty selector matches everything).
    pub fn matches(&self, labels: &[(String, String)]) -> bool {
        self.requirements.iter().all(|r| {
            let value = labels.iter().find(|(k, _)| *k == r.key).map(|(_, v)| v);
            match r.operator {
                Operator::In => value.is_some_and(|v| r.values.contains(v)),
                Operator::NotIn => value.is_none_or(|v| !r.values.contains(v)),
                Operator::Exists => value.is_some(),
                Operator::DoesNotExist => value.is_none(),
            }
        })
    }
}

fn scalar_text(v: &View<'_>) -> String {
    match v.value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

const NAME_FMT: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

fn is_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253
        && s.split('.').all(|part| {
            let b = part.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_lowercase() | b[0].is_ascii_digit()
                && (b[b.len() - 1].is_ascii_lowercase() || b[b.len() - 1].is_ascii_digit())
                && b.iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        })
}

/// Validation of a label key as a qualified name (`[prefix/]name`).
pub fn label_key_error(key: &str) -> Option<String> {
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(p) = prefix {
        if p.is_empty() {
            return Some("prefix part must be non-empty".to_string());
        }
        if !is_dns_subdomain(p) {
            return Some(
                "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
                    .to_string(),
            );
        }
    }
    if name.is_empty() {
        return Some("name part must be non-empty".to_string());
    }
    if name.len() > 63 {
        return Some("name part must be no more than 63 characters".to_string());
    }
    if !is_name_part(name) {
        return Some(format!("name part {NAME_FMT}"));
    }
    None
}

/// Validation of a label value (empty is allowed).
pub fn label_value_error(value: &str) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    if value.len() > 63 {
        return Some("must be no more than 63 characters".to_string());
    }
    if !is_name_part(value) {
        return Some(format!("a valid label {NAME_FMT}"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labels(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn parse(v: serde_json::Value) -> Result<Option<Selector>, SelectorError> {
        let wrapper = json!({ "s": v });
        Selector::parse(&View::root(&wrapper).get("s"))
    }

    #[test]
    fn nil_and_empty_selectors() {
        assert_eq!(parse(serde_json::Value::Null).unwrap(), None);
        let all = parse(json!({})).unwrap().unwrap();
        assert!(all.matches(&[]));
        assert!(all.matches(&labels(&[("a", "b")])));
    }

    #[test]
    fn expressions_follow_kubernetes_semantics() {
        let sel = parse(json!({
            "matchLabels": {"team": "a"},
            "matchExpressions": [
                {"key": "env", "operator": "NotIn", "values": ["dev"]},
                {"key": "skip", "operator": "DoesNotExist"},
                {"key": "tier", "operator": "Exists"}
            ]
        }))
        .unwrap()
        .unwrap();
        assert!(sel.matches(&labels(&[("team", "a"), ("tier", "x")])));
        assert!(sel.matches(&labels(&[("team", "a"), ("tier", "x"), ("env", "prod")])));
        assert!(!sel.matches(&labels(&[("team", "a"), ("tier", "x"), ("env", "dev")])));
        assert!(!sel.matches(&labels(&[("team", "a"), ("tier", "x"), ("skip", "")])));
        assert!(!sel.matches(&labels(&[("team", "b"), ("tier", "x")])));
    }

    #[test]
    fn invalid_selectors_are_reported() {
        let e =
            parse(json!({"matchExpressions": [{"key": "a", "operator": "Bogus"}]})).unwrap_err();
        assert_eq!(
            e.message,
            "\"Bogus\" is not a valid label selector operator"
        );
        let e = parse(json!({"matchExpressions": [{"key": "a", "operator": "In"}]})).unwrap_err();
        assert!(e.message.contains("values set can't be empty"));
        let e = parse(json!({"matchLabels": {"bad key": "x"}})).unwrap_err();
        assert!(e.message.contains("name part"));
        assert!(label_key_error("app.kubernetes.io/name").is_none());
    }
}
