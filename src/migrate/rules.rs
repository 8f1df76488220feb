//! What DaemonSet mode allows, read from the PrometheusAgent CRD: the CEL rules of `spec` that forbid
//! a field when `mode` is `DaemonSet` (with the threshold of rules such as `shards > 1`), and the list
//! of `spec` properties the field table documents.

use regex::Regex;
use serde_json::Value;
use std::sync::OnceLock;

/// A spec field the CRD forbids in DaemonSet mode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restriction {
    /// The `spec` field (`replicas`, `serviceMonitorSelector`, …).
    pub field: String,
    /// `Some(n)` when only values greater than `n` are forbidden (`shards > 1`).
    pub above: Option<i64>,
    /// The API server's message when the rule fails.
    pub message: String,
    /// The CEL rule text.
    pub rule: String,
}

impl Restriction {
    /// Whether `value` (the field's JSON value) breaks the rule.
    pub fn forbids(&self, value: &Value) -> bool {
        match self.above {
            None => true,
            Some(limit) => value.as_f64().is_none_or(|v| v > limit as f64),
        }
    }
}

/// The `spec` schema of the PrometheusAgent CRD: the committed CRD when it is there, otherwise the
/// schema generated from the types (the CRD is generated from them, so both hold the same rules).
pub fn agent_spec_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let committed = crate::crd::for_kind("PrometheusAgent").and_then(|crd| {
            crd.pointer("/spec/versions/0/schema/openAPIV3Schema/properties/spec")
                .filter(|s| s.get("properties").is_some())
                .cloned()
        });
        committed.unwrap_or_else(
            crate::model::crd_schema::structural::<crate::model::PrometheusAgentSpec>,
        )
    })
}

/// The `spec` properties of a PrometheusAgent, in schema order.
pub fn spec_fields() -> Vec<String> {
    agent_spec_schema()
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// Every DaemonSet-mode restriction among the CEL rules of `spec`, in rule order.
pub fn daemonset_restrictions() -> &'static [Restriction] {
    static RULES: OnceLock<Vec<Restriction>> = OnceLock::new();
    RULES.get_or_init(|| restrictions_of(agent_spec_schema()))
}

/// The restrictions among the `x-kubernetes-validations` of a spec schema.
pub fn restrictions_of(spec_schema: &Value) -> Vec<Restriction> {
    static PATTERN: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(pattern) = PATTERN
        .get_or_init(|| {
            Regex::new(
                r"^!\(has\(self\.mode\) && self\.mode == 'DaemonSet' && has\(self\.(\w+)\)(?: && self\.(\w+) > (-?\d+))?\)$",
            )
            .ok()
        })
        .as_ref()
    else {
        return Vec::new();
    };
    let rules = spec_schema
        .get("x-kubernetes-validations")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    rules
        .iter()
        .filter_map(|r| {
            let rule = r.get("rule")?.as_str()?;
            let caps = pattern.captures(rule.trim())?;
            let field = caps.get(1)?.as_str().to_string();
            let above = match (caps.get(2), caps.get(3)) {
                (Some(f), Some(n)) if f.as_str() == field => Some(n.as_str().parse().ok()?),
                (None, None) => None,
                _ => return None,
            };
            Some(Restriction {
                field,
                above,
                message: r
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                rule: rule.to_string(),
            })
        })
        .collect()
}

/// The restriction on `field`, if DaemonSet mode has one.
pub fn restriction(field: &str) -> Option<&'static Restriction> {
    daemonset_restrictions().iter().find(|r| r.field == field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crd_forbids_the_statefulset_and_selector_fields() {
        let fields: Vec<&str> = daemonset_restrictions()
            .iter()
            .map(|r| r.field.as_str())
            .collect();
        for expected in [
            "replicas",
            "storage",
            "shards",
            "persistentVolumeClaimRetentionPolicy",
            "serviceMonitorSelector",
            "serviceMonitorNamespaceSelector",
            "probeSelector",
            "probeNamespaceSelector",
            "scrapeConfigSelector",
            "scrapeConfigNamespaceSelector",
            "additionalScrapeConfigs",
            "shardingStrategy",
        ] {
            assert!(
                fields.contains(&expected),
                "{expected} missing from {fields:?}"
            );
        }
        assert_eq!(fields.len(), 12);
        let shards = restriction("shards").unwrap();
        assert_eq!(shards.above, Some(1));
        assert!(!shards.forbids(&Value::from(1)));
        assert!(shards.forbids(&Value::from(3)));
        assert!(restriction("replicas").unwrap().forbids(&Value::from(0)));
        assert!(restriction("podMonitorSelector").is_none());
    }

    #[test]
    fn rules_of_other_shapes_are_not_restrictions() {
        let schema = serde_json::json!({"x-kubernetes-validations": [
            {"rule": "!(has(self.mode) && self.mode == 'DaemonSet' && has(self.x))", "message": "x"},
            {"rule": "!has(self.a) || has(self.b)", "message": "other"},
            {"rule": "!(has(self.mode) && self.mode == 'DaemonSet' && has(self.y) && self.z > 1)", "message": "odd"}
        ]});
        let found = restrictions_of(&schema);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].field, "x");
        assert_eq!(found[0].message, "x");
    }
}
