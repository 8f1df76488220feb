//! CEL rules run as the API server runs them: bound `self`, messages, fieldPath, reason. The cost
//! limits and what the API server refuses at CRD creation are in `cel_limits.rs`.

use promagent::check::cel::{self, CelError};
use promagent::crd::defaults;
use promagent::fieldpath::FieldPath;
use serde_json::{Value, json};

fn agent_schema() -> Value {
    serde_json::from_str(include_str!("../testdata/check/agent-schema.json"))
        .expect("fixture is JSON")
}

fn agent(spec: Value) -> Value {
    json!({
        "apiVersion": "monitoring.coreos.com/v1alpha1",
        "kind": "PrometheusAgent",
        "metadata": {"name": "agent", "namespace": "monitoring"},
        "spec": spec
    })
}

fn run(schema: &Value, mut obj: Value) -> Vec<CelError> {
    let rules = cel::compile(schema).expect("rules compile");
    defaults::apply(&mut obj, schema);
    cel::validate(&rules, &obj, &[])
}

fn summary(errors: &[CelError]) -> Vec<String> {
    errors
        .iter()
        .map(|e| format!("{} (hint {}): {}", e.path, e.location_hint, e.message))
        .collect()
}

#[test]
fn compiles_the_fixture_rules() {
    let schema = agent_schema();
    let rules = cel::compile(&schema).expect("rules compile");
    assert_eq!(rules.len(), 7);
}

#[test]
fn daemonset_mode_rules() {
    let errors = run(
        &agent_schema(),
        agent(json!({
            "mode": "DaemonSet",
            "replicas": 2,
            "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain"}
        })),
    );
    assert_eq!(
        summary(&errors),
        [
            "spec (hint spec.replicas): replicas cannot be set when mode is DaemonSet",
            "spec (hint spec.persistentVolumeClaimRetentionPolicy): persistentVolumeClaimRetentionPolicy cannot be set when mode is DaemonSet",
        ]
    );
    assert_eq!(
        errors[0].field_error_text(),
        "Invalid value: replicas cannot be set when mode is DaemonSet"
    );
    assert!(
        errors
            .iter()
            .all(|e| e.reason.is_none() && !e.cost_exceeded)
    );

    // StatefulSet mode, or no mode at all: accepted.
    let ok = run(
        &agent_schema(),
        agent(json!({"mode": "StatefulSet", "replicas": 2, "storage": {}})),
    );
    assert_eq!(summary(&ok), Vec::<String>::new());
    let ok = run(&agent_schema(), agent(json!({"replicas": 3})));
    assert_eq!(summary(&ok), Vec::<String>::new());
}

#[test]
fn integers_are_cel_ints() {
    // `self.shards > 1` and `== 2` must compare an int with an int literal.
    let errors = run(
        &agent_schema(),
        agent(json!({"mode": "DaemonSet", "shards": 2})),
    );
    assert_eq!(
        summary(&errors),
        ["spec (hint spec.shards): shards cannot be greater than 1 when mode is DaemonSet"]
    );
    let schema = json!({"type": "object", "properties": {"shards": {"type": "integer"}, "ratio": {"type": "number"}},
    "x-kubernetes-validations": [
        {"rule": "self.shards == 2", "message": "equal"},
        {"rule": "self.shards * 2 == 4", "message": "arithmetic"},
        {"rule": "self.ratio > 0.5", "message": "double"}
    ]});
    assert_eq!(
        summary(&run(&schema, json!({"shards": 2, "ratio": 0.75}))),
        Vec::<String>::new()
    );
    assert_eq!(
        summary(&run(&schema, json!({"shards": 3, "ratio": 0.75}))),
        [" (hint shards): equal", " (hint shards): arithmetic"]
    );
}

#[test]
fn topology_rule_uses_the_default_of_one_shard() {
    let errors = run(
        &agent_schema(),
        agent(
            json!({"shardingStrategy": {"mode": "Topology", "topology": {"values": ["a", "b"]}}}),
        ),
    );
    assert_eq!(
        summary(&errors),
        [
            "spec (hint spec.shardingStrategy): shards must be greater than or equal to the number of topology values when sharding strategy mode is Topology"
        ]
    );
    let ok = run(
        &agent_schema(),
        agent(
            json!({"shards": 2, "shardingStrategy": {"mode": "Topology", "topology": {"values": ["a", "b"]}}}),
        ),
    );
    assert_eq!(summary(&ok), Vec::<String>::new());
}

#[test]
fn list_item_rule_reports_the_item() {
    let errors = run(
        &agent_schema(),
        agent(json!({"remoteWrite": [
            {"url": "http://a", "sigv4": {"roleArn": "arn", "externalId": "x"}},
            {"url": "http://b", "sigv4": {"externalId": "x"}}
        ]})),
    );
    assert_eq!(
        summary(&errors),
        [
            "spec.remoteWrite[1].sigv4 (hint spec.remoteWrite[1].sigv4.externalId): externalId can only be used when roleArn is specified"
        ]
    );
}

#[test]
fn message_expression_field_path_and_reason() {
    let schema = json!({"type": "object", "properties": {"spec": {
        "type": "object",
        "properties": {
            "min": {"type": "integer"},
            "max": {"type": "integer"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "limits": {"type": "object", "additionalProperties": {"type": "integer",
                "x-kubernetes-validations": [{"rule": "self >= 0", "message": "must not be negative"}]}}
        },
        "x-kubernetes-validations": [
            {"rule": "self.min <= self.max", "messageExpression": "'min ' + string(self.min) + ' is above max ' + string(self.max)",
             "fieldPath": ".min", "reason": "FieldValueForbidden"},
            {"rule": "!has(self.tags) || self.tags.size() > 0", "message": "static fallback",
             "messageExpression": "self.tags[5] + 'x'", "reason": "FieldValueRequired", "fieldPath": ".tags"},
            {"rule": "self.max < 100"}
        ]
    }}});
    let errors = run(
        &schema,
        json!({"spec": {"min": 150, "max": 100, "tags": [], "limits": {"cpu": -1, "mem": 2}}}),
    );
    let detail: Vec<_> = errors
        .iter()
        .map(|e| {
            (
                e.path.to_string(),
                e.field_error_text(),
                e.location_hint.to_string(),
            )
        })
        .collect();
    assert_eq!(
        detail,
        [
            (
                "spec.min".into(),
                "Forbidden: min 150 is above max 100".into(),
                "spec.min".into()
            ),
            (
                "spec.tags".into(),
                "Required value: static fallback".into(),
                "spec.tags".into()
            ),
            (
                "spec".into(),
                "Invalid value: failed rule: self.max < 100".into(),
                "spec.max".into()
            ),
            (
                "spec.limits.cpu".into(),
                "Invalid value: -1: must not be negative".into(),
                "spec.limits.cpu".into()
            ),
        ]
    );
    assert_eq!(errors[0].reason.as_deref(), Some("FieldValueForbidden"));
    assert_eq!(errors[1].reason.as_deref(), Some("FieldValueRequired"));
    assert_eq!(
        errors[3].path,
        FieldPath::root().key("spec").key("limits").key("cpu")
    );
}

#[test]
fn malformed_rules_are_compile_errors_not_panics() {
    let schema = json!({"type": "object", "properties": {"a": {"type": "integer"}}, "x-kubernetes-validations": [
        {"rule": "self.a +"},
        {"rule": "self.a >= 0", "messageExpression": "'a' +"},
        {"rule": "(("},
        {"rule": "self.a > 0", "message": "positive"}
    ]});
    let err = cel::compile(&schema).expect_err("malformed rules are reported");
    assert_eq!(err.problems.len(), 3);
    assert_eq!(err.problems[0].rule, "self.a +");
    assert_eq!(
        err.problems[1].api_field(),
        "openAPIV3Schema.x-kubernetes-validations[1].messageExpression"
    );
    assert!(
        err.problems[1]
            .message
            .starts_with("Invalid value: \"'a' +\": compilation failed: ERROR: <input>:1:"),
        "{}",
        err.problems[1].message
    );
    // The rules that compiled still run.
    let errors = cel::validate(&err.rules, &json!({"a": 0}), &[]);
    assert_eq!(summary(&errors), [" (hint a): positive"]);
}

#[test]
fn evaluation_errors_use_the_api_server_wording() {
    let schema = json!({"type": "object", "properties": {"spec": {
        "type": "object",
        "properties": {"type": {"type": "string"}},
        "x-kubernetes-validations": [{"rule": "self.type == 'A'", "message": "type must be A"}]
    }}});
    let errors = run(&schema, json!({"spec": {}}));
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].field_error_text(),
        "Invalid value: \"object\": no such key: type evaluating rule: type must be A"
    );
}

#[test]
fn transition_rules_are_skipped() {
    let schema = json!({"type": "object", "properties": {"a": {"type": "integer"}},
        "x-kubernetes-validations": [{"rule": "self.a >= oldSelf.a", "message": "no decrease"}]});
    let rules = cel::compile(&schema).expect("compiles");
    assert!(rules.is_empty());
    assert!(cel::validate(&rules, &json!({"a": 1}), &[]).is_empty());
}

#[test]
fn nodes_that_failed_structural_validation_are_skipped() {
    let obj = agent(json!({"updateStrategy": {"rollingUpdate": {}}}));
    let schema = agent_schema();
    let rules = cel::compile(&schema).expect("compiles");
    let errors = cel::validate(&rules, &obj, &[]);
    assert_eq!(errors.len(), 1, "unguarded self.type fails to evaluate");
    let skip = [FieldPath::parse("spec.updateStrategy.type")];
    assert!(cel::validate(&rules, &obj, &skip).is_empty());
}

#[test]
fn string_formats_bind_as_cel_types() {
    let schema = json!({"type": "object", "properties": {
        "at": {"type": "string", "format": "date-time"},
        "name-with-dash": {"type": "string"}
    }, "x-kubernetes-validations": [
        {"rule": "self.at > timestamp('2020-01-01T00:00:00Z')", "message": "too early"},
        {"rule": "self.name__dash__with__dash__dash.startsWith('x')", "message": "must start with x"}
    ]});
    let errors = run(
        &schema,
        json!({"at": "2019-06-01T00:00:00Z", "name-with-dash": "y"}),
    );
    assert_eq!(
        summary(&errors),
        [
            " (hint at): too early",
            " (hint name-with-dash): must start with x"
        ]
    );
}

#[test]
fn values_deep_below_a_rule_bind_with_their_schema_types() {
    // The rule sits at the root; the types of list items, map values and embedded objects come
    // from the schema nodes below it, which carry no rules of their own.
    let schema = json!({"type": "object", "properties": {
        "waits": {"type": "array", "items": {"type": "string", "format": "duration"}},
        "sizes": {"type": "object", "additionalProperties": {"type": "integer"}},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "port": {"x-kubernetes-int-or-string": true},
        "template": {"type": "object", "x-kubernetes-embedded-resource": true,
            "x-kubernetes-preserve-unknown-fields": true}
    }, "x-kubernetes-validations": [
        {"rule": "self.waits.all(w, w < duration('1m'))", "message": "waits under a minute"},
        {"rule": "self.sizes.all(k, self.sizes[k] < 10)", "message": "sizes under 10"},
        {"rule": "'app.kubernetes.io/name' in self.labels", "message": "keys are not escaped"},
        {"rule": "self.port.startsWith('w')", "message": "port stays a string"},
        {"rule": "self.template.kind == ''", "message": "embedded objects have a kind"}
    ]});
    let ok = json!({"waits": ["30s"], "sizes": {"a": 3}, "labels": {"app.kubernetes.io/name": "x"},
        "port": "web", "template": {"spec": {}}});
    assert_eq!(summary(&run(&schema, ok)), Vec::<String>::new());
    let bad = json!({"waits": ["2m"], "sizes": {"a": 12.0}, "labels": {"app__dot__kubernetes": "x"},
        "port": "web", "template": {"spec": {}}});
    assert_eq!(
        summary(&run(&schema, bad)),
        [
            " (hint waits): waits under a minute",
            " (hint sizes): sizes under 10",
            " (hint labels): keys are not escaped"
        ]
    );
}

#[test]
fn compiled_rules_can_be_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<cel::CelRules>();
}

#[test]
fn deeply_nested_free_form_data_does_not_overflow() {
    let schema = json!({"type": "object", "properties": {"free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}},
        "x-kubernetes-validations": [{"rule": "has(self.free)", "message": "free is required"}]});
    let mut deep = Value::String("leaf".into());
    for _ in 0..20_000 {
        let mut map = serde_json::Map::new();
        map.insert("a".into(), Value::Array(vec![deep]));
        deep = Value::Object(map);
    }
    let mut root = serde_json::Map::new();
    root.insert("free".into(), deep);
    let obj = Value::Object(root);
    assert!(promagent::check::schema::validate(&obj, &schema).is_empty());
    let rules = cel::compile(&schema).expect("compiles");
    assert!(cel::validate(&rules, &obj, &[]).is_empty());
    std::mem::forget(obj); // serde_json drops nested values recursively
}

#[test]
fn rule_free_subtrees_are_not_checked_by_a_sibling_map_rule() {
    // `fixed` has no rule; the map values (additionalProperties) must be non-empty. A value under
    // `fixed` must not be taken for a map value.
    let schema = json!({
        "type": "object",
        "properties": {
            "spec": {
                "type": "object",
                "properties": {"fixed": {"type": "object", "properties": {"x": {"type": "string"}}}},
                "additionalProperties": {
                    "type": "object",
                    "x-kubernetes-validations": [{"rule": "size(self) > 0", "message": "must not be empty"}]
                }
            }
        }
    });
    let errors = run(&schema, json!({"spec": {"fixed": {}, "dynamic": {}}}));
    assert_eq!(
        summary(&errors),
        ["spec.dynamic (hint spec.dynamic): must not be empty"]
    );
}

#[test]
fn rules_below_a_rule_free_branch_still_run() {
    let schema = json!({
        "type": "object",
        "properties": {
            "spec": {
                "type": "object",
                "properties": {
                    "plain": {"type": "object", "properties": {"a": {"type": "string"}}},
                    "deep": {"type": "object", "properties": {"inner": {
                        "type": "object",
                        "properties": {"n": {"type": "integer"}},
                        "x-kubernetes-validations": [{"rule": "self.n < 3", "message": "n too big"}]
                    }}}
                }
            }
        }
    });
    let errors = run(
        &schema,
        json!({"spec": {"plain": {"a": "x"}, "deep": {"inner": {"n": 5}}}}),
    );
    assert_eq!(
        summary(&errors),
        ["spec.deep.inner (hint spec.deep.inner.n): n too big"]
    );
}
