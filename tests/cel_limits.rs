//! CEL rules cannot crash or hang promagent: what the API server refuses when a CRD is created
//! (rules that do not compile, parser limits, estimated cost) is a finding at the rule, and what
//! runs is metered and cut off at the API server's runtime limits. Every case finishes quickly in
//! a debug build.

use assert_cmd::Command;
use promagent::check::cel::{self, CelError};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Everything here must be quick; the reproducers ran for minutes, or crashed, before.
const QUICK: Duration = Duration::from_secs(10);

fn one_rule(rule: &str, properties: Value) -> Value {
    json!({"type": "object", "properties": properties,
        "x-kubernetes-validations": [{"rule": rule, "message": "the rule failed"}]})
}

fn literal(n: usize) -> String {
    let items: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    format!("[{}]", items.join(", "))
}

fn timed<T>(f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = f();
    assert!(started.elapsed() < QUICK, "took {:?}", started.elapsed());
    out
}

fn run(schema: &Value, obj: &Value) -> Vec<CelError> {
    let rules = cel::compile(schema).expect("rules compile");
    cel::validate(&rules, obj, &[])
}

#[test]
fn a_rule_that_does_not_compile_is_reported_and_the_others_still_run() {
    let schema = json!({"type": "object", "properties": {"a": {"type": "integer"}},
    "x-kubernetes-validations": [
        {"rule": "self.a >", "message": "broken"},
        {"rule": "self.a < 3", "message": "a is below 3"}
    ]});
    let err = cel::compile(&schema).expect_err("the broken rule is refused");
    assert_eq!(err.problems.len(), 1);
    let p = &err.problems[0];
    assert!(!p.cost);
    assert_eq!(
        p.api_field(),
        "openAPIV3Schema.x-kubernetes-validations[0].rule"
    );
    assert!(
        p.message
            .starts_with("Invalid value: \"self.a >\": compilation failed: ERROR: <input>:1:"),
        "{}",
        p.message
    );
    let errors = cel::validate(&err.rules, &json!({"a": 5}), &[]);
    assert_eq!(
        errors
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>(),
        ["a is below 3"]
    );
}

#[test]
fn nested_comprehensions_over_literals_are_refused_by_their_estimated_cost() {
    let l = literal(100);
    for rule in [
        format!("{l}.all(a, {l}.all(b, {l}.all(c, {l}.all(d, a + b + c + d >= 0))))"),
        format!("{l}.map(a, {l}.map(b, {l}.map(c, {l}.map(d, a + b + c + d)))).size() > 0"),
    ] {
        let schema = one_rule(&rule, json!({}));
        let err = timed(|| cel::compile(&schema)).expect_err("refused");
        // The rule, and with it the schema's total.
        assert_eq!(err.problems.len(), 2, "{:?}", err.problems);
        assert!(err.problems.iter().all(|p| p.cost));
        assert_eq!(err.problems[1].api_field(), "openAPIV3Schema");
        assert_eq!(
            err.problems[0].message,
            "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)"
        );
        // The refused rule does not run.
        assert!(err.rules.is_empty());
    }
}

#[test]
fn max_items_bounds_the_estimate() {
    let rule = "self.tags.all(a, self.tags.all(b, a == b))";
    let unbounded = one_rule(
        rule,
        json!({"tags": {"type": "array", "items": {"type": "string"}}}),
    );
    assert!(cel::compile(&unbounded).is_err());
    let bounded = one_rule(
        rule,
        json!({"tags": {"type": "array", "maxItems": 50, "items": {"type": "string", "maxLength": 63}}}),
    );
    assert!(cel::compile(&bounded).is_ok());
}

#[test]
fn a_rule_under_a_list_is_estimated_once_per_possible_item() {
    // Cheap on its own, but the items list is unbounded: about a million items fit in a request.
    let item_rule = json!({"type": "object", "properties": {"items": {"type": "array", "items": {
        "type": "object",
        "properties": {"name": {"type": "string"}},
        "x-kubernetes-validations": [{"rule": "self.name.contains('a')"}]
    }}}});
    let err = cel::compile(&item_rule).expect_err("refused");
    assert!(err.problems[0].cost);
    assert_eq!(
        err.problems[0].api_field(),
        "openAPIV3Schema.properties[items].items.x-kubernetes-validations[0].rule"
    );
    let mut bounded = item_rule.clone();
    bounded["properties"]["items"]["maxItems"] = json!(100);
    bounded["properties"]["items"]["items"]["properties"]["name"]["maxLength"] = json!(253);
    assert!(cel::compile(&bounded).is_ok());
}

#[test]
fn the_total_of_a_schema_is_limited() {
    // Each rule alone (about 2,000,000) is under the per-rule limit; sixty are over the schema's.
    let rules: Vec<Value> = (0..60)
        .map(|i| json!({"rule": format!("self.tags.all(a, self.tags.all(b, a != b || {i} >= 0))")}))
        .collect();
    let schema = json!({"type": "object", "properties": {"tags": {"type": "array", "maxItems": 500,
        "items": {"type": "string", "maxLength": 10}}}, "x-kubernetes-validations": rules});
    let err = cel::compile(&schema).expect_err("refused");
    let total: Vec<_> = err
        .problems
        .iter()
        .filter(|p| p.api_field() == "openAPIV3Schema")
        .collect();
    assert_eq!(total.len(), 1, "{:?}", err.problems);
    assert!(total[0].message.starts_with(
        "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of"
    ));
    assert!(err.problems.iter().filter(|p| p.cost).count() == 1);
}

#[test]
fn evaluation_is_cut_off_at_the_per_call_limit() {
    // Under the static limit with 100 items (about 9 million), but a million cost units are spent
    // long before the 1,000,000 iterations of the innermost loop are done.
    let schema = json!({"type": "object", "properties": {"items": {"type": "array", "maxItems": 100, "items": {"type": "integer"}}},
    "x-kubernetes-validations": [
        {"rule": "self.items.all(x, self.items.all(y, self.items.all(z, x + y + z >= 0)))", "message": "cubic"},
        {"rule": "self.items.size() < 1000", "message": "never reached"}
    ]});
    let small: Vec<i64> = (0..10).collect();
    assert!(run(&schema, &json!({ "items": small })).is_empty());
    let big: Vec<i64> = (0..100).collect();
    let errors = timed(|| run(&schema, &json!({ "items": big })));
    assert_eq!(errors.len(), 1, "no further rules run: {errors:?}");
    assert!(errors[0].cost_exceeded);
    assert_eq!(
        errors[0].message,
        "'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: cubic"
    );
}

#[test]
fn nested_maps_are_cut_off_too() {
    let rule = "self.items.map(a, self.items.map(b, self.items.map(c, a + b + c))).size() > 0";
    let schema = one_rule(
        rule,
        json!({"items": {"type": "array", "maxItems": 60, "items": {"type": "integer"}}}),
    );
    let items: Vec<i64> = (0..60).collect();
    let errors = timed(|| run(&schema, &json!({ "items": items })));
    assert_eq!(errors.len(), 1);
    assert!(errors[0].cost_exceeded, "{errors:?}");
}

#[test]
fn a_message_expression_is_metered_as_well() {
    let schema = json!({"type": "object", "properties": {"items": {"type": "array", "maxItems": 100, "items": {"type": "integer"}}},
    "x-kubernetes-validations": [{
        "rule": "self.items.size() < 3",
        "messageExpression": "self.items.all(x, self.items.all(y, self.items.all(z, x + y + z >= 0))) ? 'big' : 'odd'"
    }]});
    let items: Vec<i64> = (0..100).collect();
    let errors = timed(|| run(&schema, &json!({ "items": items })));
    assert_eq!(errors.len(), 1);
    assert!(errors[0].cost_exceeded);
    assert_eq!(
        errors[0].message,
        "messageExpression evaluation failed due to: operation cancelled: actual cost limit exceeded"
    );
    // Within the limit the message is the expression's.
    let errors = run(&schema, &json!({ "items": [1, 2, 3] }));
    assert_eq!(errors[0].message, "big");
}

#[test]
fn the_objects_budget_is_shared_by_its_rules() {
    // Two rules per row, ten rows: every run (about 720,000) is under the per-call limit, and the
    // static estimate (about 6,300,000 per rule) under the CRD limits, but the runs together are
    // over the object's budget of 10,000,000.
    let schema = json!({"type": "object", "properties": {"rows": {"type": "array", "maxItems": 10, "items": {
        "type": "object",
        "properties": {"v": {"type": "array", "maxItems": 300, "items": {"type": "integer"}}},
        "x-kubernetes-validations": [
            {"rule": "self.v.all(x, self.v.all(y, x + y >= 0))"},
            {"rule": "self.v.all(x, self.v.all(y, x + y >= -1))"}
        ]
    }}}});
    let row = json!({"v": (0..300).collect::<Vec<i64>>()});
    let rows: Vec<Value> = (0..10).map(|_| row.clone()).collect();
    let errors = timed(|| run(&schema, &json!({ "rows": rows })));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].cost_exceeded);
    assert_eq!(
        errors[0].message,
        "validation failed due to running out of cost budget, no further validation rules will be run"
    );
}

#[test]
fn deep_expressions_are_refused_before_parsing() {
    let long = "1".to_string() + &" + 1".repeat(20_000) + " > 0";
    let schema = one_rule(&long, json!({}));
    let err = timed(|| cel::compile(&schema)).expect_err("refused");
    assert!(!err.problems[0].cost);
    assert!(
        err.problems[0]
            .message
            .contains("compilation failed: ERROR: <input>:1:"),
        "{}",
        err.problems[0].message
    );
    assert!(
        err.problems[0]
            .message
            .ends_with(": max recursion depth exceeded"),
        "{}",
        err.problems[0].message
    );
    let nested = "(".repeat(5_000) + "true" + &")".repeat(5_000);
    assert!(cel::compile(&one_rule(&nested, json!({}))).is_err());
    let huge = "true || ".repeat(20_000) + "true";
    let schema = one_rule(&huge, json!({}));
    let err = cel::compile(&schema).expect_err("refused");
    assert!(
        err.problems[0]
            .message
            .contains("expression code point size exceeds limit: size: 160004, limit 100000"),
        "{}",
        err.problems[0].message
    );
}

#[test]
fn expressions_just_under_the_depth_limit_parse_and_run() {
    let terms = "self.a".to_string() + &" + 1".repeat(200) + " > 0";
    let schema = one_rule(&terms, json!({"a": {"type": "integer"}}));
    assert!(run(&schema, &json!({"a": 1})).is_empty());
    let errors = run(&schema, &json!({"a": -500}));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].message, "the rule failed");
}

#[test]
fn unary_operator_runs_evaluate_as_in_cel_go() {
    for rule in [
        "!!true",
        "!!!false",
        "--1 == 1",
        "- - 1 == 1",
        "---1 == -1",
        "1 - -1 == 2",
        "1--1 == 2",
        "!!(self.a > 0)",
        "'!!' + \"--\" == '!!--'",
    ] {
        let schema = one_rule(rule, json!({"a": {"type": "integer"}}));
        assert!(run(&schema, &json!({"a": 1})).is_empty(), "{rule}");
    }
    let schema = one_rule("!!(self.a > 0)", json!({"a": {"type": "integer"}}));
    assert_eq!(run(&schema, &json!({"a": 0})).len(), 1);
}

#[test]
fn the_embedded_crds_rules_all_compile_within_the_limits() {
    for crd in promagent::crd::all() {
        for version in crd["spec"]["versions"].as_array().expect("versions") {
            let schema = &version["schema"]["openAPIV3Schema"];
            if let Err(e) = cel::compile(schema) {
                panic!("{}: {e}", crd["metadata"]["name"]);
            }
        }
    }
}

fn lint(args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("promagent")
        .unwrap()
        .env("NO_COLOR", "1")
        .args(["lint", "--format", "concise"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn lint_reports_refused_rules_of_the_given_crds_at_the_rule() {
    let (code, out) = timed(|| {
        lint(&[
            "--crds",
            "testdata/cel/widgets-crd.yaml",
            "testdata/cel/widget.yaml",
        ])
    });
    assert_eq!(code, 1, "{out}");
    insta::assert_snapshot!(out);
}
