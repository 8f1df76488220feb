//! The CRD's CEL rules (`x-kubernetes-validations`): compiled once per CRD version, then run against
//! objects the way the API server runs them — each rule at its schema node with `self` bound to that
//! node's value (including every list item and every `additionalProperties` value), with the rule's
//! `message`/`messageExpression`, `fieldPath` and `reason`, and within the API server's cost limits.
//!
//! The evaluator is `kube-cel` (the `cel` interpreter plus the Kubernetes CEL libraries). Compiling
//! checks what the API server checks when the CRD is created: the parser limits and unary-operator
//! runs ([`source`]), syntax, and the static cost estimate ([`cost`]); a rule that fails any of them
//! is a [`RuleProblem`] and does not run, the other rules do. Evaluation is metered: a rule that
//! spends more than the per-call limit, or the object's budget, is cut off.

mod cost;
mod parsed;
mod source;

pub use cost::{PER_CALL_LIMIT, RUNTIME_BUDGET, STATIC_CRD_LIMIT, STATIC_RULE_LIMIT};

use crate::check::schema::{go_quote, go_value};
use crate::fieldpath::FieldPath;
use cost::Meter;
use kube_cel::KubeCelExt;
use kube_cel::cel::common::ast::IdedExpr;
use kube_cel::cel::objects::{Key, Map as CelMap};
use kube_cel::cel::{Context, ExecutionError, Program, Value as CelValue};
use serde_json::Value;
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, OnceLock};

/// Longest `messageExpression` result the API server uses.
const MAX_MESSAGE_EXPRESSION_BYTES: usize = 5 * 1024;
const MAX_DEPTH: usize = 128;
/// Stack of the threads that parse and evaluate rules: parser and evaluator recurse once per
/// nesting level, which [`source::prepare`] bounds; this leaves a wide margin.
const CEL_STACK_BYTES: usize = 64 * 1024 * 1024;

/// The compiled rules of one schema (one CRD version). Compile once, validate many objects.
pub struct CelRules<'s> {
    root: Node<'s>,
    rule_count: usize,
    /// The standard and Kubernetes CEL libraries, registered once.
    base: Context<'static>,
}

impl CelRules<'_> {
    /// Number of rules that will run (transition rules excluded).
    pub fn len(&self) -> usize {
        self.rule_count
    }

    pub fn is_empty(&self) -> bool {
        self.rule_count == 0
    }
}

impl std::fmt::Debug for CelRules<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CelRules")
            .field("rules", &self.rule_count)
            .finish()
    }
}

/// A rule the API server would refuse when the CRD is created: it does not compile, or its
/// estimated cost is over the limit. Such a rule does not run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleProblem {
    /// Where the rule sits in the schema, e.g. `spec.remoteWrite[*].sigv4`.
    pub schema_path: String,
    /// The refused field below `openAPIV3Schema`, e.g.
    /// `properties.spec.x-kubernetes-validations[0].rule`; the root for the schema-wide total.
    pub field: FieldPath,
    pub rule: String,
    /// The API server's text after the field path, e.g. `Invalid value: "self.a +": compilation
    /// failed: ERROR: <input>:1:9: …` or `Forbidden: estimated rule cost exceeds budget …`.
    pub message: String,
    /// Refused for its estimated cost rather than for not compiling.
    pub cost: bool,
}

impl RuleProblem {
    /// The field as the API server names it: `openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule`.
    pub fn api_field(&self) -> String {
        let mut out = String::from("openAPIV3Schema");
        let segments = self.field.segments();
        let mut i = 0;
        while i < segments.len() {
            match (&segments[i], segments.get(i + 1)) {
                (crate::fieldpath::Segment::Key(k), Some(crate::fieldpath::Segment::Key(name)))
                    if k == "properties" =>
                {
                    out.push_str(&format!(".properties[{name}]"));
                    i += 2;
                    continue;
                }
                (crate::fieldpath::Segment::Key(k), _) => out.push_str(&format!(".{k}")),
                (crate::fieldpath::Segment::Index(n), _) => out.push_str(&format!("[{n}]")),
            }
            i += 1;
        }
        out
    }
}

/// Some rules of the schema do not compile. `rules` holds the ones that did, for callers that want to
/// validate with them anyway.
pub struct CelCompileError<'s> {
    pub problems: Vec<RuleProblem>,
    pub rules: Box<CelRules<'s>>,
}

impl std::fmt::Debug for CelCompileError<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CelCompileError")
            .field("problems", &self.problems)
            .finish()
    }
}

impl std::fmt::Display for CelCompileError<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}: {}", p.api_field(), p.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for CelCompileError<'_> {}

/// One failed (or unevaluable) rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CelError {
    /// Where the API server reports it: the rule's schema node plus its `fieldPath`.
    pub path: FieldPath,
    /// The rule's message (`messageExpression` result, `message`, or `failed rule: <rule>`), or the API
    /// server's text for a rule that could not be evaluated.
    pub message: String,
    /// The rule's `reason` (`FieldValueInvalid`, `FieldValueForbidden`, …) when it has one.
    pub reason: Option<String>,
    pub rule: String,
    /// The rule was not run because its cost exceeds the API server's limit.
    pub cost_exceeded: bool,
    /// The field the user most likely has to change: the last field the rule reads from `self` that
    /// is set in the object (the node itself when none is).
    pub location_hint: FieldPath,
    /// The value the API server prints after `Invalid value:` (`None`: omitted, as for objects and
    /// lists).
    pub bad_value: Option<String>,
}

impl CelError {
    /// The API server's text after the path, e.g. `Invalid value: "object": <message>` or
    /// `Forbidden: <message>`.
    pub fn field_error_text(&self) -> String {
        let with_value = |kind: &str| match &self.bad_value {
            Some(v) => format!("{kind}: {v}"),
            None => kind.to_string(),
        };
        match self.reason.as_deref() {
            Some("FieldValueForbidden") => format!("Forbidden: {}", self.message),
            Some("FieldValueRequired") => format!("Required value: {}", self.message),
            Some("FieldValueDuplicate") => with_value("Duplicate value"),
            _ => format!("{}: {}", with_value("Invalid value"), self.message),
        }
    }
}

struct Rule {
    /// The parsed rule with its comprehension steps metered ([`cost::instrument`]).
    expr: IdedExpr,
    /// Runtime cost units the rule spends outside its comprehensions.
    base_cost: u64,
    source: String,
    message: Option<String>,
    message_expr: Option<(IdedExpr, u64)>,
    reason: Option<String>,
    field_path: Option<FieldPath>,
    /// Fields read from `self`, unescaped, in order of first appearance.
    referenced: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Plain,
    DateTime,
    Duration,
    Bytes,
    Integer,
}

/// The keywords of one schema node that compiling and binding `self` read, taken in one pass over
/// its entries.
#[derive(Clone, Copy, Default)]
struct Keywords<'s> {
    schema_type: &'s str,
    format: Option<&'s str>,
    int_or_string: bool,
    embedded: bool,
    validations: Option<&'s Vec<Value>>,
    properties: Option<&'s serde_json::Map<String, Value>>,
    items: Option<&'s Value>,
    additional: Option<&'s Value>,
}

impl<'s> Keywords<'s> {
    fn of(schema: &'s Value) -> Keywords<'s> {
        let mut k = Keywords::default();
        let Some(map) = schema.as_object() else {
            return k;
        };
        for (key, value) in map {
            match key.as_str() {
                "type" => k.schema_type = value.as_str().unwrap_or_default(),
                "format" => k.format = value.as_str(),
                "x-kubernetes-int-or-string" => k.int_or_string = value.as_bool() == Some(true),
                "x-kubernetes-embedded-resource" => k.embedded = value.as_bool() == Some(true),
                "x-kubernetes-validations" => k.validations = value.as_array(),
                "properties" => k.properties = value.as_object(),
                "items" => k.items = Some(value).filter(|v| v.is_object()),
                "additionalProperties" => k.additional = Some(value),
                _ => {}
            }
        }
        k
    }

    /// How a string or number at this node is bound.
    fn format(&self) -> Format {
        if self.int_or_string {
            return Format::Plain;
        }
        match (self.schema_type, self.format) {
            ("integer", _) => Format::Integer,
            ("string", Some("date-time")) => Format::DateTime,
            ("string", Some("duration")) => Format::Duration,
            ("string", Some("byte")) => Format::Bytes,
            _ => Format::Plain,
        }
    }

    /// `additionalProperties` is set: keys are data and are not escaped.
    fn is_map(&self) -> bool {
        matches!(
            self.additional,
            Some(Value::Object(_)) | Some(Value::Bool(true))
        )
    }

    /// The schema of the map's values, when it has one.
    fn value_schema(&self) -> Option<&'s Value> {
        self.additional.filter(|a| a.is_object())
    }

    fn declares(&self, name: &str) -> bool {
        self.properties.is_some_and(|p| p.contains_key(name))
    }
}

/// A schema node with rules at or below it. Subtrees without rules are not kept: the values bound
/// to `self` take their types and formats from the schema itself.
struct Node<'s> {
    keywords: Keywords<'s>,
    rules: Vec<Rule>,
    /// The properties with rules at or below them.
    properties: HashMap<&'s str, Node<'s>>,
    items: Option<Box<Node<'s>>>,
    additional: Option<Box<Node<'s>>>,
}

impl<'s> Node<'s> {
    fn empty(keywords: Keywords<'s>) -> Node<'s> {
        Node {
            keywords,
            rules: Vec::new(),
            properties: HashMap::new(),
            items: None,
            additional: None,
        }
    }

    fn has_rules(&self) -> bool {
        !self.rules.is_empty()
            || !self.properties.is_empty()
            || self.items.is_some()
            || self.additional.is_some()
    }
}

/// Compiles every `x-kubernetes-validations` rule of a CRD version's `openAPIV3Schema`, and checks
/// them as the API server does when the CRD is created (syntax, parser limits, estimated cost).
pub fn compile(schema: &Value) -> Result<CelRules<'_>, CelCompileError<'_>> {
    static NO_SCHEMA: Value = Value::Null;
    // The parser recurses; give it a stack of its own, sized well above what the limits allow.
    let compiled = on_cel_stack(|| compile_schema(schema));
    let (rules, problems) = compiled.unwrap_or_else(|| {
        let (rules, _) = compile_schema(&NO_SCHEMA);
        let problem = RuleProblem {
            schema_path: "<root>".into(),
            field: FieldPath::root(),
            rule: String::new(),
            message: "InternalError: the rules could not be compiled".into(),
            cost: false,
        };
        (rules, vec![problem])
    });
    if problems.is_empty() {
        Ok(rules)
    } else {
        Err(CelCompileError {
            problems,
            rules: Box::new(rules),
        })
    }
}

fn compile_schema(schema: &Value) -> (CelRules<'_>, Vec<RuleProblem>) {
    let mut walk = Compile {
        problems: Vec::new(),
        count: 0,
        total_cost: 0,
        trail: Vec::new(),
    };
    let root = walk
        .node(schema, 0)
        .unwrap_or_else(|| Node::empty(Keywords::of(schema)));
    if walk.total_cost > STATIC_CRD_LIMIT {
        walk.problems.push(RuleProblem {
            schema_path: "<root>".into(),
            field: FieldPath::root(),
            rule: String::new(),
            message: format!(
                "Forbidden: {}",
                cost::over_budget_message(
                    "x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema",
                    walk.total_cost,
                    STATIC_CRD_LIMIT
                )
            ),
            cost: true,
        });
    }
    let mut base = Context::default().with_all();
    base.add_function(cost::METER_FUNCTION, cost::meter_function);
    let rules = CelRules {
        root,
        rule_count: walk.count,
        base,
    };
    (rules, walk.problems)
}

/// One rule's text parsed as the API server parses it, or the `compilation failed: …` detail. The
/// embedded CRDs' rules come already parsed.
fn parse_rule(text: &str) -> Result<IdedExpr, String> {
    if let Some(parsed) = parsed::lookup(text) {
        return Ok(parsed);
    }
    let prepared = source::prepare(text).map_err(|e| format!("compilation failed: {e}"))?;
    match catch_unwind(|| Program::compile(&prepared)) {
        Ok(Ok(p)) => Ok(p.expression().clone()),
        Ok(Err(errors)) => {
            let issues: Vec<String> = errors
                .errors
                .iter()
                .map(|e| {
                    format!(
                        "ERROR: <input>:{}:{}: {}",
                        e.pos.0,
                        e.pos.1 + 1,
                        e.msg.lines().next().unwrap_or("")
                    )
                })
                .collect();
            Err(format!("compilation failed: {}", issues.join("; ")))
        }
        Err(_) => Err("compilation failed: the CEL parser failed on this expression".to_string()),
    }
}

/// The walk over a schema that compiles its rules.
struct Compile<'s> {
    problems: Vec<RuleProblem>,
    count: usize,
    /// Sum of the rules' estimated costs (times their cardinality), for the schema-wide limit.
    total_cost: u64,
    /// The way from `openAPIV3Schema` to the node being compiled: each parent with the step taken.
    trail: Vec<(&'s Value, Step<'s>)>,
}

#[derive(Clone, Copy)]
enum Step<'s> {
    Property(&'s str),
    Items,
    Additional,
}

impl Step<'_> {
    /// The schema keyword the step goes through.
    fn keyword(self) -> &'static str {
        match self {
            Step::Property(_) => "properties",
            Step::Items => "items",
            Step::Additional => "additionalProperties",
        }
    }
}

impl<'s> Compile<'s> {
    /// Compiles the rules at `schema` and below; `None` when there are none to run.
    fn node(&mut self, schema: &'s Value, depth: usize) -> Option<Node<'s>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let keywords = Keywords::of(schema);
        let mut node = Node::empty(keywords);
        if let Some(validations) = keywords.validations {
            node.rules = self.rules(schema, validations);
        }
        let below = |walk: &mut Self, child: &'s Value, step: Step<'s>| {
            walk.trail.push((schema, step));
            let compiled = walk.node(child, depth + 1);
            walk.trail.pop();
            compiled
        };
        for (name, prop) in keywords.properties.into_iter().flatten() {
            if let Some(child) = below(self, prop, Step::Property(name)) {
                node.properties.insert(name.as_str(), child);
            }
        }
        if let Some(items) = keywords.items {
            node.items = below(self, items, Step::Items).map(Box::new);
        }
        if let Some(values) = keywords.value_schema() {
            node.additional = below(self, values, Step::Additional).map(Box::new);
        }
        node.has_rules().then_some(node)
    }

    /// Where the node being compiled sits: as the API server shows it (`spec.remoteWrite[*]`),
    /// and as a field below `openAPIV3Schema`.
    fn place(&self) -> (String, FieldPath) {
        let mut shown = String::new();
        let mut field = FieldPath::root();
        for (_, step) in &self.trail {
            field.push_key(step.keyword());
            let segment = match step {
                Step::Items => {
                    shown.push_str("[*]");
                    continue;
                }
                Step::Property(name) => {
                    field.push_key(*name);
                    *name
                }
                Step::Additional => "*",
            };
            if !shown.is_empty() {
                shown.push('.');
            }
            shown.push_str(segment);
        }
        if shown.is_empty() {
            shown.push_str("<root>");
        }
        (shown, field)
    }

    /// How many times the node being compiled can occur in one object (`None`: unbounded).
    fn cardinality(&self) -> Option<u64> {
        self.trail.iter().try_fold(1u64, |runs, (parent, step)| {
            cost::child_cardinality(parent, step.keyword()).map(|n| runs.saturating_mul(n))
        })
    }

    /// Compiles the rules of one node.
    fn rules(&mut self, schema: &'s Value, validations: &'s [Value]) -> Vec<Rule> {
        let (shown_path, field) = self.place();
        let shown_path = shown_path.as_str();
        let runs = self
            .cardinality()
            .unwrap_or_else(|| cost::unbounded_cardinality(schema));
        let mut rules = Vec::new();
        for (index, raw) in validations.iter().enumerate() {
            let rule_field = field.key("x-kubernetes-validations").index(index);
            let text = |k: &str| raw.get(k).and_then(Value::as_str).map(str::to_string);
            let mut refuse = |field: FieldPath, rule: &str, message: String, cost: bool| {
                self.problems.push(RuleProblem {
                    schema_path: shown_path.to_string(),
                    field,
                    rule: rule.to_string(),
                    message,
                    cost,
                });
            };
            let Some(source) = text("rule").filter(|r| !r.trim().is_empty()) else {
                refuse(
                    rule_field.key("rule"),
                    "",
                    "Required value: rule is not specified".to_string(),
                    false,
                );
                continue;
            };
            let program = match parse_rule(&source) {
                Ok(p) => p,
                Err(detail) => {
                    refuse(
                        rule_field.key("rule"),
                        &source,
                        format!("Invalid value: {}: {detail}", go_quote(&source)),
                        false,
                    );
                    continue;
                }
            };
            let rule_cost = cost::estimate(&program, schema).saturating_mul(runs);
            self.total_cost = self.total_cost.saturating_add(rule_cost);
            let mut refused = false;
            if rule_cost > STATIC_RULE_LIMIT {
                refuse(
                    rule_field.key("rule"),
                    &source,
                    format!(
                        "Forbidden: {}",
                        cost::over_budget_message(
                            "estimated rule cost",
                            rule_cost,
                            STATIC_RULE_LIMIT
                        )
                    ),
                    true,
                );
                refused = true;
            }
            let message_expr = match text("messageExpression") {
                Some(expr) => match parse_rule(&expr) {
                    Ok(p) => {
                        let message_cost = cost::estimate(&p, schema);
                        self.total_cost = self.total_cost.saturating_add(message_cost);
                        if message_cost > STATIC_RULE_LIMIT {
                            refuse(
                                rule_field.key("messageExpression"),
                                &source,
                                format!(
                                    "Forbidden: {}",
                                    cost::over_budget_message(
                                        "estimated messageExpression cost",
                                        message_cost,
                                        STATIC_RULE_LIMIT
                                    )
                                ),
                                true,
                            );
                            refused = true;
                        }
                        let mut e = p;
                        let base = cost::instrument(&mut e);
                        Some((e, base))
                    }
                    Err(detail) => {
                        refuse(
                            rule_field.key("messageExpression"),
                            &source,
                            format!("Invalid value: {}: {detail}", go_quote(&expr)),
                            false,
                        );
                        continue;
                    }
                },
                None => None,
            };
            let field_path = match text("fieldPath") {
                Some(fp) => match parse_rule_field_path(&fp) {
                    Some(p) => Some(p),
                    None => {
                        refuse(
                            rule_field.key("fieldPath"),
                            &source,
                            format!(
                                "Invalid value: {}: fieldPath must be a valid path",
                                go_quote(&fp)
                            ),
                            false,
                        );
                        continue;
                    }
                },
                None => None,
            };
            let transition = program.references().has_variable("oldSelf");
            if refused || transition {
                continue; // a transition rule needs the stored object; it never runs on create
            }
            let mut expr = program;
            let base_cost = cost::instrument(&mut expr);
            let referenced = referenced_fields(&source);
            self.count += 1;
            rules.push(Rule {
                expr,
                base_cost,
                message: text("message").filter(|m| !m.trim().is_empty()),
                message_expr,
                reason: text("reason"),
                field_path,
                referenced,
                source,
            });
        }

        rules
    }
}

/// Parses a rule's `fieldPath` (`.spec.x`, `.labels['a.b']`, `.items[2]`) relative to its node.
fn parse_rule_field_path(text: &str) -> Option<FieldPath> {
    let mut path = FieldPath::root();
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    let normalized = if trimmed.starts_with(['.', '[']) {
        trimmed.to_string()
    } else {
        format!(".{trimmed}")
    };
    let mut rest = normalized.as_str();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            if end == 0 {
                return None;
            }
            path.push_key(&after[..end]);
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix("['") {
            let end = after.find("']")?;
            path.push_key(after[..end].replace("\\'", "'"));
            rest = &after[end + 2..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            path.push_index(after[..end].parse().ok()?);
            rest = &after[end + 1..];
        } else {
            return None;
        }
    }
    Some(path)
}

/// The fields a rule names as `self.<field>` (unescaped, each once, in order of appearance).
fn referenced_fields(rule: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (at, _) in rule.match_indices("self.") {
        let starts_a_word = rule[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        let rest = &rule[at + "self.".len()..];
        let len = rest
            .bytes()
            .enumerate()
            .take_while(|&(i, b)| {
                b == b'_' || b.is_ascii_alphabetic() || (i > 0 && b.is_ascii_digit())
            })
            .count();
        if !starts_a_word || len == 0 {
            continue;
        }
        let field = unescape_field(&rest[..len]);
        if !out.contains(&field) {
            out.push(field);
        }
    }
    out
}

const CEL_RESERVED: &[&str] = &[
    "true",
    "false",
    "null",
    "in",
    "as",
    "break",
    "const",
    "continue",
    "else",
    "for",
    "function",
    "if",
    "import",
    "let",
    "loop",
    "package",
    "namespace",
    "return",
    "var",
    "void",
    "while",
];

/// Kubernetes' escaping of property names for CEL (`-` → `__dash__`, keywords → `__in__`, …).
fn escape_field(name: &str) -> String {
    if CEL_RESERVED.contains(&name) {
        return format!("__{name}__");
    }
    if !name.contains(['_', '.', '-', '/']) {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len() + 8);
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("__") {
            out.push_str("__underscores__");
            rest = &rest[2..];
            continue;
        }
        match c {
            '.' => out.push_str("__dot__"),
            '-' => out.push_str("__dash__"),
            '/' => out.push_str("__slash__"),
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn unescape_field(name: &str) -> String {
    if let Some(inner) = name.strip_prefix("__").and_then(|n| n.strip_suffix("__"))
        && CEL_RESERVED.contains(&inner)
    {
        return inner.to_string();
    }
    if !name.contains("__") {
        return name.to_string();
    }
    name.replace("__underscores__", "__")
        .replace("__dot__", ".")
        .replace("__dash__", "-")
        .replace("__slash__", "/")
}

fn cel_string(s: &str) -> CelValue {
    CelValue::String(Arc::new(s.to_string()))
}

/// JSON to CEL as the API server binds it: integers are `int`, formats become timestamps,
/// durations and bytes, property names are escaped. `keywords` are those of the value's schema node
/// (none when it has no schema).
fn to_cel(value: &Value, keywords: Keywords<'_>, depth: usize) -> CelValue {
    if depth > MAX_DEPTH {
        return CelValue::Null;
    }
    match value {
        Value::Null => CelValue::Null,
        Value::Bool(b) => CelValue::Bool(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                CelValue::Int(i)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                let integral = f.fract() == 0.0 && f.abs() < 9.2e18;
                if keywords.format() == Format::Integer && integral {
                    CelValue::Int(f as i64)
                } else {
                    CelValue::Float(f)
                }
            }
        }
        Value::String(s) => {
            let converted = match keywords.format() {
                Format::DateTime => {
                    kube_cel::cel::functions::time::timestamp(Arc::new(s.clone())).ok()
                }
                Format::Duration => {
                    kube_cel::cel::functions::time::duration(Arc::new(s.clone())).ok()
                }
                Format::Bytes => {
                    use base64::Engine;
                    base64::engine::general_purpose::STANDARD
                        .decode(s)
                        .ok()
                        .map(|b| CelValue::Bytes(Arc::new(b)))
                }
                Format::Plain | Format::Integer => None,
            };
            converted.unwrap_or_else(|| cel_string(s))
        }
        Value::Array(items) => {
            let item = keywords.items.map(Keywords::of).unwrap_or_default();
            CelValue::List(Arc::new(
                items.iter().map(|i| to_cel(i, item, depth + 1)).collect(),
            ))
        }
        Value::Object(map) => {
            let mut out = HashMap::with_capacity(map.len());
            for (k, v) in map {
                let declared = keywords.properties.and_then(|p| p.get(k));
                let (child, key) = match declared {
                    Some(prop) => (Some(prop), escape_field(k)),
                    None if keywords.is_map() => (keywords.value_schema(), k.clone()),
                    None => (None, escape_field(k)),
                };
                let child = child.map(Keywords::of).unwrap_or_default();
                out.insert(Key::String(Arc::new(key)), to_cel(v, child, depth + 1));
            }
            if keywords.embedded {
                for key in ["apiVersion", "kind"] {
                    out.entry(Key::String(Arc::new(key.to_string())))
                        .or_insert_with(|| cel_string(""));
                }
                out.entry(Key::String(Arc::new("metadata".to_string())))
                    .or_insert_with(|| {
                        CelValue::Map(CelMap {
                            map: Arc::new(HashMap::new()),
                        })
                    });
            }
            CelValue::Map(CelMap { map: Arc::new(out) })
        }
    }
}

/// Root rules see `metadata` reduced to name and generateName, as on the API server.
fn reduce_root_metadata(this: CelValue) -> CelValue {
    let CelValue::Map(root) = this else {
        return this;
    };
    let meta_key = Key::String(Arc::new("metadata".to_string()));
    let Some(CelValue::Map(meta)) = root.map.get(&meta_key) else {
        return CelValue::Map(root);
    };
    let mut reduced = HashMap::new();
    for field in ["name", "generateName"] {
        let key = Key::String(Arc::new(field.to_string()));
        if let Some(v) = meta.map.get(&key) {
            reduced.insert(key, v.clone());
        }
    }
    let mut entries = (*root.map).clone();
    entries.insert(
        meta_key,
        CelValue::Map(CelMap {
            map: Arc::new(reduced),
        }),
    );
    CelValue::Map(CelMap {
        map: Arc::new(entries),
    })
}

/// Runs every rule against `value` (the whole object, defaults applied). `skip` lists the paths of
/// structural errors that stop CEL on the API server ([`crate::check::schema::SchemaError::blocks_cel`]):
/// rules on those nodes, below them, and on the objects directly holding them are not run, so a
/// missing required field is not also reported as a rule that failed to evaluate.
pub fn validate(rules: &CelRules<'_>, value: &Value, skip: &[FieldPath]) -> Vec<CelError> {
    // The evaluator recurses once per nesting level of a rule, as the parser does.
    on_cel_stack(|| {
        let mut run = Run {
            ctx: &rules.base,
            skip,
            out: Vec::new(),
            budget: RUNTIME_BUDGET,
            stopped: false,
        };
        let mut path = FieldPath::root();
        run.node(&rules.root, value, &mut path, 0);
        run.out
    })
    .unwrap_or_else(|| {
        vec![CelError {
            path: FieldPath::root(),
            message: "internal error evaluating the rules".to_string(),
            reason: None,
            rule: String::new(),
            cost_exceeded: false,
            location_hint: FieldPath::root(),
            bad_value: None,
        }]
    })
}

/// The threads that parse and evaluate rules, each with a stack of [`CEL_STACK_BYTES`]: made once
/// per process, as many as rayon's default, so that a run over many objects reuses them.
fn cel_threads() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("promagent-cel-{i}"))
            .stack_size(CEL_STACK_BYTES)
            .build()
            .ok()
    })
    .as_ref()
}

/// Runs `f`, and the rayon work it spreads, on the rule threads (on this thread when they cannot
/// be had), so that the rules each piece of work checks run without changing threads.
pub fn on_rule_threads<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    match cel_threads() {
        Some(pool) => pool.install(f),
        None => f(),
    }
}

/// Runs `f` on a rule thread (see [`on_rule_threads`]); `None` when it panicked.
fn on_cel_stack<T: Send>(f: impl FnOnce() -> T + Send) -> Option<T> {
    catch_unwind(AssertUnwindSafe(|| on_rule_threads(f))).ok()
}

struct Run<'a> {
    ctx: &'a Context<'a>,
    skip: &'a [FieldPath],
    out: Vec<CelError>,
    budget: u64,
    stopped: bool,
}

impl Run<'_> {
    /// A node is skipped when it lies at or under a failed node, or directly holds one (the object
    /// missing a required field or holding a mistyped one).
    fn skipped(&self, path: &FieldPath) -> bool {
        self.skip.iter().any(|s| {
            path.starts_with(s)
                || (s.starts_with(path) && s.segments().len() == path.segments().len() + 1)
        })
    }

    fn node(&mut self, node: &Node, value: &Value, path: &mut FieldPath, depth: usize) {
        if self.stopped || !node.has_rules() || depth > MAX_DEPTH {
            return;
        }
        self.eval_rules(node, value, path);
        self.children(node, value, path, depth);
    }

    fn children(&mut self, node: &Node, value: &Value, path: &mut FieldPath, depth: usize) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let child_node = match node.properties.get(key.as_str()) {
                        Some(n) => n,
                        None if node.keywords.declares(key) => continue,
                        None => match &node.additional {
                            Some(n) => n,
                            None => continue,
                        },
                    };
                    path.push_key(key.as_str());
                    self.node(child_node, child, path, depth + 1);
                    path.pop();
                }
            }
            Value::Array(items) => {
                if let Some(item_node) = &node.items {
                    for (i, item) in items.iter().enumerate() {
                        path.push_index(i);
                        self.node(item_node, item, path, depth + 1);
                        path.pop();
                    }
                }
            }
            _ => {}
        }
    }

    fn eval_rules(&mut self, node: &Node, value: &Value, path: &FieldPath) {
        if node.rules.is_empty() || value.is_null() || self.stopped || self.skipped(path) {
            return;
        }
        let mut this = to_cel(value, node.keywords, 0);
        let schema_type = node.keywords.schema_type;
        if path.is_root() {
            this = reduce_root_metadata(this);
        }
        let mut scope = self.ctx.new_inner_scope();
        scope.add_variable_from_value("self", this);
        let type_value = Some(go_quote(schema_type));
        for rule in &node.rules {
            let (result, spent, over) = self.metered(&rule.expr, rule.base_cost, &scope);
            let cut_off = |message: String| CelError {
                path: path.clone(),
                message,
                reason: None,
                rule: rule.source.clone(),
                cost_exceeded: true,
                location_hint: path.clone(),
                bad_value: type_value.clone(),
            };
            if over {
                let message = if spent > PER_CALL_LIMIT {
                    format!(
                        "'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: {}",
                        rule_error_string(rule)
                    )
                } else {
                    "validation failed due to running out of cost budget, no further validation rules will be run"
                        .to_string()
                };
                self.out.push(cut_off(message));
                self.stopped = true;
                return;
            }
            self.budget -= spent;
            let failure = match result {
                Ok(CelValue::Bool(true)) => continue,
                Ok(CelValue::Bool(false)) => None,
                Ok(other) => Some(format!(
                    "'no such overload': call arguments did not match a supported operator, function or macro signature for rule: {} (result {})",
                    rule_error_string(rule),
                    cel_type_name(&other)
                )),
                Err(Some(e)) => Some(execution_error_text(&e, rule)),
                Err(None) => Some(format!(
                    "internal error evaluating rule: {}",
                    rule_error_string(rule)
                )),
            };
            if let Some(message) = failure {
                self.out.push(CelError {
                    path: path.clone(),
                    message,
                    reason: None,
                    rule: rule.source.clone(),
                    cost_exceeded: false,
                    location_hint: self.hint(node, rule, value, path),
                    bad_value: type_value.clone(),
                });
                continue;
            }
            let mut error_path = path.clone();
            if let Some(fp) = &rule.field_path {
                error_path.0.extend(fp.0.iter().cloned());
            }
            let mut evaluated = None;
            if let Some((expr, base)) = &rule.message_expr {
                let (result, spent, over) = self.metered(expr, *base, &scope);
                if over {
                    let message = if spent > PER_CALL_LIMIT {
                        "messageExpression evaluation failed due to: operation cancelled: actual cost limit exceeded"
                    } else {
                        "messageExpression evaluation failed due to running out of cost budget, no further validation rules will be run"
                    };
                    self.out.push(cut_off(message.to_string()));
                    self.stopped = true;
                    return;
                }
                self.budget -= spent;
                evaluated = message_text(result);
            }
            let message = evaluated
                .or_else(|| rule.message.as_ref().map(|m| m.trim().to_string()))
                .unwrap_or_else(|| format!("failed rule: {}", rule.source.trim()));
            let bad_value = if schema_type == "object" || schema_type == "array" {
                None
            } else {
                Some(go_value(value))
            };
            let location_hint = if rule.field_path.is_some() {
                error_path.clone()
            } else {
                self.hint(node, rule, value, path)
            };
            self.out.push(CelError {
                path: error_path,
                message,
                reason: rule.reason.clone(),
                rule: rule.source.clone(),
                cost_exceeded: false,
                location_hint,
                bad_value,
            });
        }
    }

    /// Evaluates a metered expression within the per-call limit and the object's remaining
    /// budget. Returns the result (`Err(None)`: the evaluator panicked), the cost spent, and
    /// whether that is over either limit.
    fn metered(
        &self,
        expr: &IdedExpr,
        base: u64,
        scope: &Context,
    ) -> (Result<CelValue, Option<ExecutionError>>, u64, bool) {
        let limit = PER_CALL_LIMIT.min(self.budget);
        Meter::start(base, limit);
        let result = match catch_unwind(AssertUnwindSafe(|| CelValue::resolve(expr, scope))) {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(Some(e)),
            Err(_) => Err(None),
        };
        let (spent, over) = Meter::spent();
        (result, spent, over)
    }

    /// The last field the rule reads from `self` that the user set (present, and not just the
    /// schema default filled in), else the node itself.
    fn hint(&self, node: &Node, rule: &Rule, value: &Value, path: &FieldPath) -> FieldPath {
        let Value::Object(map) = value else {
            return path.clone();
        };
        let set_by_user = |field: &str| match map.get(field) {
            None | Some(Value::Null) => false,
            Some(v) => {
                let declared = node.keywords.properties.and_then(|p| p.get(field));
                declared.and_then(|p| p.get("default")) != Some(v)
            }
        };
        rule.referenced
            .iter()
            .rev()
            .find(|f| set_by_user(f))
            .map(|f| path.key(f.as_str()))
            .unwrap_or_else(|| path.clone())
    }
}

fn rule_error_string(rule: &Rule) -> String {
    match &rule.message {
        Some(m) => m.trim().to_string(),
        None => rule.source.trim().to_string(),
    }
}

fn cel_type_name(v: &CelValue) -> &'static str {
    match v {
        CelValue::List(_) => "list",
        CelValue::Map(_) => "map",
        CelValue::Int(_) => "int",
        CelValue::UInt(_) => "uint",
        CelValue::Float(_) => "double",
        CelValue::String(_) => "string",
        CelValue::Bytes(_) => "bytes",
        CelValue::Bool(_) => "bool",
        CelValue::Null => "null_type",
        _ => "dyn",
    }
}

/// A runtime error as the API server words it (cel-go's error text, lower-cased, then the rule).
fn execution_error_text(e: &ExecutionError, rule: &Rule) -> String {
    let rule_text = rule_error_string(rule);
    match e {
        ExecutionError::NoSuchOverload
        | ExecutionError::UnsupportedBinaryOperator(..)
        | ExecutionError::UnsupportedUnaryOperator(..)
        | ExecutionError::ValuesNotComparable(..)
        | ExecutionError::UnsupportedTargetType { .. }
        | ExecutionError::NotSupportedAsMethod { .. } => format!(
            "'no such overload': call arguments did not match a supported operator, function or macro signature for rule: {rule_text}"
        ),
        ExecutionError::NoSuchKey(key) => {
            format!("no such key: {key} evaluating rule: {rule_text}")
        }
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            let lowered = match chars.next() {
                Some(c) => c.to_lowercase().collect::<String>() + chars.as_str(),
                None => text,
            };
            format!("{lowered} evaluating rule: {rule_text}")
        }
    }
}

/// The message a `messageExpression` result gives: a non-empty single-line string of at most
/// 5 KiB, or none (the rule's `message` is used instead).
fn message_text(result: Result<CelValue, Option<ExecutionError>>) -> Option<String> {
    match result {
        Ok(CelValue::String(s)) => {
            let trimmed = s.trim();
            (!trimmed.is_empty()
                && trimmed.len() <= MAX_MESSAGE_EXPRESSION_BYTES
                && !trimmed.contains('\n'))
            .then(|| trimmed.to_string())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{referenced_fields, unescape_field};

    #[test]
    fn referenced_fields_are_the_words_after_self_dot_in_order_once() {
        assert_eq!(
            referenced_fields(
                "self.mode != 'DaemonSet' || !has(self.storage) && self.mode2 == self.mode"
            ),
            ["mode", "storage", "mode2"]
        );
        assert_eq!(
            referenced_fields("myself.a + oldSelf.b + _self.c + self.1x"),
            Vec::<String>::new()
        );
        assert_eq!(referenced_fields("(self.a_1)+[self._b]"), ["a_1", "_b"]);
        assert_eq!(referenced_fields("éself.a"), Vec::<String>::new());
    }

    #[test]
    fn referenced_fields_unescape_kubernetes_names() {
        assert_eq!(
            referenced_fields(
                "self.x__dash__y == self.__namespace__ && self.a__dot__b__underscores__c"
            ),
            ["x-y", "namespace", "a.b__c"]
        );
        assert_eq!(unescape_field("plain"), "plain");
        assert_eq!(unescape_field("a__slash__b"), "a/b");
    }
}
