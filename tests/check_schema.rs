//! Structural validation messages, compared with the API server's field-error text.

use promagent::check::metadata;
use promagent::check::schema::{self, SchemaErrorKind};
use promagent::crd::defaults;
use serde_json::{Value, json};

fn agent_schema() -> Value {
    let text = include_str!("../testdata/check/agent-schema.json");
    serde_json::from_str(text).expect("fixture is JSON")
}

fn agent(spec: Value) -> Value {
    json!({
        "apiVersion": "monitoring.coreos.com/v1alpha1",
        "kind": "PrometheusAgent",
        "metadata": {"name": "agent", "namespace": "monitoring"},
        "spec": spec
    })
}

/// `path: message` lines, as `kubectl` prints them.
fn lines(value: &Value, schema: &Value) -> Vec<String> {
    schema::validate(value, schema)
        .into_iter()
        .map(|e| format!("{}: {}", e.path, e.message))
        .collect()
}

fn agent_lines(spec: Value) -> Vec<String> {
    lines(&agent(spec), &agent_schema())
}

#[test]
fn a_valid_agent_has_no_errors() {
    let spec = json!({
        "mode": "StatefulSet",
        "replicas": 2,
        "shards": 1,
        "minReadySeconds": 0,
        "scrapeInterval": "1m30s",
        "serviceAccountName": "prometheus",
        "storage": {"anything": {"goes": true}},
        "externalLabels": {"cluster": "eu-1"},
        "enableFeatures": ["exemplar-storage", "memory-snapshot-on-shutdown"],
        "scrapeClasses": [{"name": "a", "default": true}, {"name": "b"}],
        "port": "web",
        "updateStrategy": {"type": "RollingUpdate"},
        "remoteWrite": [{"url": "http://x/api/v1/write", "sigv4": {"region": "eu"}}]
    });
    assert_eq!(agent_lines(spec), Vec::<String>::new());
}

#[test]
fn required_value() {
    assert_eq!(
        agent_lines(json!({"updateStrategy": {}})),
        ["spec.updateStrategy.type: Required value"]
    );
    assert_eq!(
        agent_lines(json!({"scrapeClasses": [{"default": true}]})),
        ["spec.scrapeClasses[0].name: Required value"]
    );
    let no_spec = json!({"apiVersion": "v1", "kind": "PrometheusAgent", "metadata": {"name": "a"}});
    assert_eq!(lines(&no_spec, &agent_schema()), ["spec: Required value"]);
}

#[test]
fn minimum_and_maximum() {
    assert_eq!(
        agent_lines(json!({"minReadySeconds": -1})),
        [
            "spec.minReadySeconds: Invalid value: -1: spec.minReadySeconds in body should be greater than or equal to 0"
        ]
    );
    let schema = json!({"type": "object", "properties": {
        "a": {"type": "integer", "minimum": 0, "exclusiveMinimum": true},
        "b": {"type": "integer", "maximum": 10},
        "c": {"type": "integer", "maximum": 10, "exclusiveMaximum": true},
        "d": {"type": "number", "minimum": 0.5},
        "e": {"type": "integer", "multipleOf": 5}
    }});
    assert_eq!(
        lines(
            &json!({"a": 0, "b": 11, "c": 10, "d": 0.25, "e": 7}),
            &schema
        ),
        [
            "a: Invalid value: 0: a in body should be greater than 0",
            "b: Invalid value: 11: b in body should be less than or equal to 10",
            "c: Invalid value: 10: c in body should be less than 10",
            "d: Invalid value: 0.25: d in body should be greater than or equal to 0.5",
            "e: Invalid value: 7: e in body should be a multiple of 5",
        ]
    );
}

#[test]
fn pattern_uses_the_schema_text() {
    assert_eq!(
        agent_lines(json!({"scrapeInterval": "abc"})),
        [
            "spec.scrapeInterval: Invalid value: \"abc\": spec.scrapeInterval in body should match '^(0|(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?)$'"
        ]
    );
    // Go's \d is ASCII only.
    let schema =
        json!({"type": "object", "properties": {"n": {"type": "string", "pattern": "^\\d+$"}}});
    assert_eq!(lines(&json!({"n": "123"}), &schema), Vec::<String>::new());
    assert_eq!(lines(&json!({"n": "١٢٣"}), &schema).len(), 1);
}

#[test]
fn enum_lists_supported_values() {
    assert_eq!(
        agent_lines(json!({"mode": "Foo"})),
        ["spec.mode: Unsupported value: \"Foo\": supported values: \"StatefulSet\", \"DaemonSet\""]
    );
    let schema =
        json!({"type": "object", "properties": {"n": {"type": "integer", "enum": [1, 2]}}});
    assert_eq!(
        lines(&json!({"n": 3}), &schema),
        ["n: Unsupported value: 3: supported values: \"1\", \"2\""]
    );
}

#[test]
fn type_errors_name_the_actual_type() {
    assert_eq!(
        agent_lines(json!({"replicas": "string"})),
        [
            "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\""
        ]
    );
    assert_eq!(
        agent_lines(json!({"replicas": 1.5})),
        [
            "spec.replicas: Invalid value: \"number\": spec.replicas in body must be of type integer: \"number\""
        ]
    );
    assert_eq!(agent_lines(json!({"replicas": 2.0})), Vec::<String>::new());
    assert_eq!(
        agent_lines(json!({"updateStrategy": "RollingUpdate"})),
        [
            "spec.updateStrategy: Invalid value: \"string\": spec.updateStrategy in body must be of type object: \"string\""
        ]
    );
}

#[test]
fn int_or_string() {
    assert_eq!(agent_lines(json!({"port": 8080})), Vec::<String>::new());
    assert_eq!(agent_lines(json!({"port": "web"})), Vec::<String>::new());
    assert_eq!(
        agent_lines(json!({"port": true})),
        [
            "spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\"",
            "spec.port: Invalid value: \"\": \"spec.port\" must validate at least one schema (anyOf)",
            "spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer: \"boolean\"",
        ]
    );
}

#[test]
fn list_type_set_reports_the_second_occurrence() {
    assert_eq!(
        agent_lines(
            json!({"enableFeatures": ["exemplar-storage", "exemplar-storage", "x", "exemplar-storage"]})
        ),
        ["spec.enableFeatures[1]: Duplicate value: \"exemplar-storage\""]
    );
}

#[test]
fn list_type_map_reports_duplicate_keys() {
    assert_eq!(
        agent_lines(
            json!({"scrapeClasses": [{"name": "a"}, {"name": "b"}, {"name": "a", "default": true}]})
        ),
        ["spec.scrapeClasses[2]: Duplicate value: {\"name\":\"a\"}"]
    );
}

#[test]
fn unknown_fields_follow_strict_field_validation() {
    assert_eq!(
        agent_lines(json!({"replica": 2})),
        ["spec.replica: unknown field \"spec.replica\""]
    );
    assert_eq!(
        agent_lines(json!({"remoteWrite": [{"url": "http://x", "headres": {}}]})),
        ["spec.remoteWrite[0].headres: unknown field \"spec.remoteWrite[0].headres\""]
    );
    // preserve-unknown-fields and additionalProperties accept anything; root metadata is left to
    // the metadata layer.
    let mut obj = agent(
        json!({"storage": {"volumeClaimTemplate": {"spec": {}}}, "externalLabels": {"a": "b"}}),
    );
    obj["metadata"]["whatever"] = json!(1);
    assert_eq!(lines(&obj, &agent_schema()), Vec::<String>::new());
    obj["status"] = json!({});
    assert_eq!(
        lines(&obj, &agent_schema()),
        ["status: unknown field \"status\""]
    );
}

#[test]
fn embedded_resources_allow_type_and_object_meta() {
    let schema = json!({"type": "object", "properties": {"template": {
        "type": "object",
        "x-kubernetes-embedded-resource": true,
        "properties": {"spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}
    }}});
    let obj = json!({"template": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}, "spec": {"a": 1}, "extra": 1}});
    assert_eq!(
        lines(&obj, &schema),
        ["template.extra: unknown field \"template.extra\""]
    );
}

#[test]
fn lengths_and_counts() {
    assert_eq!(
        agent_lines(json!({"serviceAccountName": "thirteen-char"})),
        ["spec.serviceAccountName: Too long: may not be more than 12 bytes"]
    );
    assert_eq!(
        agent_lines(json!({"serviceAccountName": ""})),
        [
            "spec.serviceAccountName: Invalid value: \"\": spec.serviceAccountName in body should be at least 1 chars long"
        ]
    );
    assert_eq!(
        agent_lines(json!({"enableFeatures": ["a", "b", "c", "d", "e"]})),
        ["spec.enableFeatures: Too many: 5: must have at most 4 items"]
    );
    assert_eq!(
        agent_lines(json!({"externalLabels": {"a": "1", "b": "2", "c": "3", "d": "4"}})),
        ["spec.externalLabels: Too many: 4: must have at most 3 items"]
    );
    let schema = json!({"type": "object", "properties": {
        "one": {"type": "string", "maxLength": 1},
        "list": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 1},
        "map": {"type": "object", "additionalProperties": {"type": "string"}, "minProperties": 2}
    }});
    assert_eq!(
        lines(
            &json!({"one": "ab", "list": [], "map": {"k": "v"}}),
            &schema
        ),
        [
            "one: Too long: may not be more than 1 byte",
            "list: Invalid value: 0: list in body should have at least 2 items",
            "map: Invalid value: 1: map in body should have at least 2 properties",
        ]
    );
    // Lengths count characters, not bytes.
    assert_eq!(
        agent_lines(json!({"serviceAccountName": "ééééééééééé"})),
        Vec::<String>::new()
    );
}

#[test]
fn nulls() {
    // A null property is dropped before validation (and then may be missing).
    assert_eq!(agent_lines(json!({"replicas": null})), Vec::<String>::new());
    assert_eq!(
        agent_lines(json!({"updateStrategy": {"type": null}})),
        ["spec.updateStrategy.type: Required value"]
    );
    assert_eq!(
        agent_lines(json!({"enableFeatures": [null]})),
        [
            "spec.enableFeatures[0]: Invalid value: \"null\": spec.enableFeatures[0] in body must be of type string: \"null\""
        ]
    );
    let schema = json!({"type": "object", "properties": {"n": {"type": "string", "nullable": true}}, "required": ["n"]});
    assert_eq!(lines(&json!({"n": null}), &schema), Vec::<String>::new());
}

#[test]
fn formats_checked_by_the_api_server() {
    let schema = json!({"type": "object", "properties": {
        "at": {"type": "string", "format": "date-time"},
        "blob": {"type": "string", "format": "byte"},
        "n": {"type": "integer", "format": "int32"},
        "ip": {"type": "string", "format": "ipv4"}
    }});
    assert_eq!(
        lines(
            &json!({"at": "2024-05-01T10:00:00Z", "blob": "aGVsbG8=", "n": 5_000_000_000_i64, "ip": "10.0.0.1"}),
            &schema
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        lines(
            &json!({"at": "yesterday", "blob": "not base64!", "ip": "10.0.0"}),
            &schema
        ),
        [
            "at: Invalid value: \"yesterday\": at in body must be of type date-time: \"yesterday\"",
            "blob: Invalid value: \"not base64!\": blob in body must be of type byte: \"not base64!\"",
            "ip: Invalid value: \"10.0.0\": ip in body must be of type ipv4: \"10.0.0\"",
        ]
    );
}

#[test]
fn values_are_quoted_as_go_quotes_them() {
    assert_eq!(
        agent_lines(json!({"mode": "Daemon\"Set\n"})),
        [
            "spec.mode: Unsupported value: \"Daemon\\\"Set\\n\": supported values: \"StatefulSet\", \"DaemonSet\""
        ]
    );
}

#[test]
fn error_kinds_and_codes() {
    let errors = schema::validate(
        &agent(json!({"replica": 1, "mode": "X", "updateStrategy": {}})),
        &agent_schema(),
    );
    let kinds: Vec<_> = errors
        .iter()
        .map(|e| (e.kind, e.kind.code(), e.blocks_cel()))
        .collect();
    assert_eq!(
        kinds,
        [
            (SchemaErrorKind::UnknownField, "schema/unknown-field", false),
            (SchemaErrorKind::Enum, "schema/enum", true),
            (SchemaErrorKind::Required, "schema/required", true),
        ]
    );
}

#[test]
fn defaults_then_validation() {
    let mut obj = agent(json!({"logLevel": null, "replicas": null}));
    defaults::apply(&mut obj, &agent_schema());
    assert_eq!(obj["spec"], json!({"logLevel": "info", "shards": 1}));
    assert_eq!(lines(&obj, &agent_schema()), Vec::<String>::new());
}

#[test]
fn multi_error_object_snapshot() {
    let mut obj = agent(json!({
        "mode": "daemonset",
        "replicas": "3",
        "replica": 3,
        "minReadySeconds": -5,
        "scrapeInterval": "30 seconds",
        "serviceAccountName": "a-very-long-service-account",
        "enableFeatures": ["a", "b", "a"],
        "scrapeClasses": [{"name": "x"}, {"name": "x"}, {"default": true}],
        "updateStrategy": {"rollingUpdate": {}},
        "remoteWrite": [{"sigv4": {"region": 1}}],
        "externalLabels": {"a": 1}
    }));
    obj["metadata"] = json!({"name": "Agent_1", "namespace": "team.a", "labels": {"app/": "x"}});
    let mut out: Vec<String> = metadata::validate(&obj["metadata"], true)
        .into_iter()
        .map(|e| format!("{} [{}]: {}", e.path, e.kind.code(), e.message))
        .collect();
    out.extend(
        schema::validate(&obj, &agent_schema())
            .into_iter()
            .map(|e| format!("{} [{}]: {}", e.path, e.kind.code(), e.message)),
    );
    insta::assert_snapshot!(out.join("\n"));
}
