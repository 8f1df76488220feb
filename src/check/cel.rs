//! The CRD's CEL rules (`x-kubernetes-validations`): compiled once per CRD version, then run against
//! objects the way the API server runs them — each rule at its schema node with `self` bound to that
//! node's value (including every list item and every `additionalProperties` value), with the rule's
//! `message`/`messageExpression`, `fieldPath` and `reason`, and within the API server's cost limits.
//!
//! The evaluator is `kube-cel` (the `cel` interpreter plus the Kubernetes CEL libraries). It has no
//! runtime cost accounting, so before a rule runs its cost is bounded from the expression and the
//! actual sizes of the lists, maps and strings it can reach; a rule whose bound exceeds the
//! per-expression limit is reported instead of being run.

use crate::check::schema::{go_quote, go_value};
use crate::fieldpath::FieldPath;
use kube_cel::KubeCelExt;
use kube_cel::cel::common::ast::{EntryExpr, Expr};
use kube_cel::cel::objects::{Key, Map as CelMap};
use kube_cel::cel::{Context, ExecutionError, Program, Value as CelValue};
use regex::Regex;
use serde_json::Value;
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, OnceLock};

/// The API server's runtime cost limit for one expression evaluation.
pub const PER_CALL_COST_LIMIT: u64 = 1_000_000;
/// The API server's runtime cost budget for all rules of one object.
pub const OBJECT_COST_BUDGET: u64 = 10_000_000;
/// Longest `messageExpression` result the API server uses.
const MAX_MESSAGE_EXPRESSION_BYTES: usize = 5 * 1024;
const MAX_DEPTH: usize = 128;

/// The compiled rules of one schema (one CRD version). Compile once, validate many objects.
pub struct CelRules {
    root: Node,
    rule_count: usize,
    /// The standard and Kubernetes CEL libraries, registered once.
    base: Context<'static>,
}

impl CelRules {
    /// Number of rules that will run (transition rules excluded).
    pub fn len(&self) -> usize {
        self.rule_count
    }

    pub fn is_empty(&self) -> bool {
        self.rule_count == 0
    }
}

impl std::fmt::Debug for CelRules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CelRules")
            .field("rules", &self.rule_count)
            .finish()
    }
}

/// A rule that does not compile. The API server refuses such a CRD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleProblem {
    /// Where the rule sits in the schema, e.g. `spec.remoteWrite[*].sigv4`.
    pub schema_path: String,
    pub rule: String,
    pub message: String,
}

/// Some rules of the schema do not compile. `rules` holds the ones that did, for callers that want to
/// validate with them anyway.
pub struct CelCompileError {
    pub problems: Vec<RuleProblem>,
    pub rules: Box<CelRules>,
}

impl std::fmt::Debug for CelCompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CelCompileError")
            .field("problems", &self.problems)
            .finish()
    }
}

impl std::fmt::Display for CelCompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}: rule {:?}: {}", p.schema_path, p.rule, p.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for CelCompileError {}

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
    program: Program,
    source: String,
    message: Option<String>,
    message_program: Option<Program>,
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

impl Node {
    /// A node with no rules anywhere below it: the walker stops there.
    fn empty() -> Node {
        Node {
            rules: Vec::new(),
            schema_type: String::new(),
            format: Format::Plain,
            is_map: false,
            embedded: false,
            properties: HashMap::new(),
            items: None,
            additional: None,
            rules_below: false,
            default: None,
        }
    }
}

struct Node {
    rules: Vec<Rule>,
    schema_type: String,
    format: Format,
    /// `additionalProperties` node: keys are data and are not escaped.
    is_map: bool,
    embedded: bool,
    properties: HashMap<String, Node>,
    items: Option<Box<Node>>,
    additional: Option<Box<Node>>,
    rules_below: bool,
    /// The schema `default`, to tell fields the user set from fields defaulting filled in.
    default: Option<Value>,
}

/// Compiles every `x-kubernetes-validations` rule of a CRD version's `openAPIV3Schema`.
pub fn compile(schema: &Value) -> Result<CelRules, CelCompileError> {
    let mut problems = Vec::new();
    let mut count = 0;
    let root = compile_node(schema, "", &mut problems, &mut count, 0, false);
    let rules = CelRules {
        root,
        rule_count: count,
        base: Context::default().with_all(),
    };
    if problems.is_empty() {
        Ok(rules)
    } else {
        Err(CelCompileError {
            problems,
            rules: Box::new(rules),
        })
    }
}

fn compile_program(source: &str) -> Result<Program, String> {
    match catch_unwind(|| Program::compile(source)) {
        Ok(Ok(p)) => Ok(p),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("the CEL parser failed on this expression".to_string()),
    }
}

fn compile_node(
    schema: &Value,
    path: &str,
    problems: &mut Vec<RuleProblem>,
    count: &mut usize,
    depth: usize,
    under_rule: bool,
) -> Node {
    let mut node = Node {
        rules: Vec::new(),
        schema_type: schema
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        format: Format::Plain,
        is_map: false,
        embedded: schema
            .get("x-kubernetes-embedded-resource")
            .and_then(Value::as_bool)
            == Some(true),
        properties: HashMap::new(),
        items: None,
        additional: None,
        rules_below: false,
        default: schema.get("default").cloned(),
    };
    if depth > MAX_DEPTH || !schema.is_object() {
        return node;
    }
    node.format = if schema
        .get("x-kubernetes-int-or-string")
        .and_then(Value::as_bool)
        == Some(true)
    {
        Format::Plain
    } else {
        match (
            node.schema_type.as_str(),
            schema.get("format").and_then(Value::as_str),
        ) {
            ("integer", _) => Format::Integer,
            ("string", Some("date-time")) => Format::DateTime,
            ("string", Some("duration")) => Format::Duration,
            ("string", Some("byte")) => Format::Bytes,
            _ => Format::Plain,
        }
    };

    let shown_path = if path.is_empty() { "<root>" } else { path };
    for raw in schema
        .get("x-kubernetes-validations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let text = |k: &str| raw.get(k).and_then(Value::as_str).map(str::to_string);
        let Some(source) = text("rule") else {
            problems.push(RuleProblem {
                schema_path: shown_path.to_string(),
                rule: String::new(),
                message: "rule: Required value".to_string(),
            });
            continue;
        };
        let program = match compile_program(&source) {
            Ok(p) => p,
            Err(message) => {
                problems.push(RuleProblem {
                    schema_path: shown_path.to_string(),
                    rule: source,
                    message,
                });
                continue;
            }
        };
        let transition = program.references().has_variable("oldSelf");
        if transition {
            continue; // needs the stored object; never runs on create
        }
        let message_program = match text("messageExpression") {
            Some(expr) => match compile_program(&expr) {
                Ok(p) => Some(p),
                Err(message) => {
                    problems.push(RuleProblem {
                        schema_path: shown_path.to_string(),
                        rule: source,
                        message: format!("messageExpression: {message}"),
                    });
                    continue;
                }
            },
            None => None,
        };
        let field_path = match text("fieldPath") {
            Some(fp) => match parse_rule_field_path(&fp) {
                Some(p) => Some(p),
                None => {
                    problems.push(RuleProblem {
                        schema_path: shown_path.to_string(),
                        rule: source,
                        message: format!(
                            "fieldPath: Invalid value: {}: is not a valid path",
                            go_quote(&fp)
                        ),
                    });
                    continue;
                }
            },
            None => None,
        };
        let referenced = referenced_fields(&source);
        *count += 1;
        node.rules.push(Rule {
            program,
            message: text("message").filter(|m| !m.trim().is_empty()),
            message_program,
            reason: text("reason"),
            field_path,
            referenced,
            source,
        });
    }

    let join = |seg: &str| {
        if path.is_empty() {
            seg.to_string()
        } else {
            format!("{path}.{seg}")
        }
    };
    // Below a rule every node is kept, because `self` is bound with its types and formats;
    // elsewhere a subtree without rules is replaced by an empty node (most of a CRD's schema,
    // such as the embedded Kubernetes core types, carries none).
    let keep_all = under_rule || !node.rules.is_empty();
    let mut child = |sub: &Value, sub_path: String| {
        if keep_all || has_rules(sub, depth + 1) {
            compile_node(sub, &sub_path, problems, count, depth + 1, keep_all)
        } else {
            Node::empty()
        }
    };
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            node.properties
                .insert(name.clone(), child(prop, join(name)));
        }
    }
    if let Some(items) = schema.get("items").filter(|s| s.is_object()) {
        node.items = Some(Box::new(child(items, format!("{path}[*]"))));
    }
    let additional = schema.get("additionalProperties");
    node.is_map = matches!(additional, Some(Value::Object(_)) | Some(Value::Bool(true)));
    if let Some(add) = additional.filter(|a| a.is_object()) {
        node.additional = Some(Box::new(child(add, join("*"))));
    }
    node.rules_below = !node.rules.is_empty()
        || node.properties.values().any(|n| n.rules_below)
        || node.items.as_ref().is_some_and(|n| n.rules_below)
        || node.additional.as_ref().is_some_and(|n| n.rules_below);
    node
}

/// Whether a schema subtree carries any `x-kubernetes-validations` rule.
fn has_rules(schema: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let Some(map) = schema.as_object() else {
        return false;
    };
    if map.contains_key("x-kubernetes-validations") {
        return true;
    }
    let nested = |key: &str| map.get(key).is_some_and(|s| has_rules(s, depth + 1));
    nested("items")
        || nested("additionalProperties")
        || map
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|props| props.values().any(|p| has_rules(p, depth + 1)))
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

fn referenced_fields(rule: &str) -> Vec<String> {
    static SELF_FIELD: OnceLock<Regex> = OnceLock::new();
    let re = SELF_FIELD
        .get_or_init(|| Regex::new(r"\bself\.([A-Za-z_][A-Za-z0-9_]*)").expect("constant pattern"));
    let mut out: Vec<String> = Vec::new();
    for cap in re.captures_iter(rule) {
        let field = unescape_field(&cap[1]);
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
    name.replace("__underscores__", "__")
        .replace("__dot__", ".")
        .replace("__dash__", "-")
        .replace("__slash__", "/")
}

fn cel_string(s: &str) -> CelValue {
    CelValue::String(Arc::new(s.to_string()))
}

/// JSON to CEL as the API server binds it: integers are `int`, formats become timestamps,
/// durations and bytes, property names are escaped.
fn to_cel(value: &Value, node: Option<&Node>, depth: usize) -> CelValue {
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
                if node.is_some_and(|n| n.format == Format::Integer) && integral {
                    CelValue::Int(f as i64)
                } else {
                    CelValue::Float(f)
                }
            }
        }
        Value::String(s) => {
            let converted = match node.map(|n| n.format) {
                Some(Format::DateTime) => {
                    kube_cel::cel::functions::time::timestamp(Arc::new(s.clone())).ok()
                }
                Some(Format::Duration) => {
                    kube_cel::cel::functions::time::duration(Arc::new(s.clone())).ok()
                }
                Some(Format::Bytes) => {
                    use base64::Engine;
                    base64::engine::general_purpose::STANDARD
                        .decode(s)
                        .ok()
                        .map(|b| CelValue::Bytes(Arc::new(b)))
                }
                _ => None,
            };
            converted.unwrap_or_else(|| cel_string(s))
        }
        Value::Array(items) => {
            let item_node = node.and_then(|n| n.items.as_deref());
            CelValue::List(Arc::new(
                items
                    .iter()
                    .map(|i| to_cel(i, item_node, depth + 1))
                    .collect(),
            ))
        }
        Value::Object(map) => {
            let mut out = HashMap::with_capacity(map.len());
            for (k, v) in map {
                let (child, key) = match node {
                    Some(n) if n.properties.contains_key(k) => {
                        (n.properties.get(k), escape_field(k))
                    }
                    Some(n) if n.is_map => (n.additional.as_deref(), k.clone()),
                    _ => (None, escape_field(k)),
                };
                out.insert(Key::String(Arc::new(key)), to_cel(v, child, depth + 1));
            }
            if node.is_some_and(|n| n.embedded) {
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
pub fn validate(rules: &CelRules, value: &Value, skip: &[FieldPath]) -> Vec<CelError> {
    let mut run = Run {
        ctx: &rules.base,
        skip,
        out: Vec::new(),
        budget: OBJECT_COST_BUDGET,
        stopped: false,
    };
    let mut path = FieldPath::root();
    run.node(&rules.root, value, &mut path, 0);
    run.out
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
        if self.stopped || !node.rules_below || depth > MAX_DEPTH {
            return;
        }
        self.eval_rules(node, value, path);
        self.children(node, value, path, depth);
    }

    fn children(&mut self, node: &Node, value: &Value, path: &mut FieldPath, depth: usize) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let child_node = match node.properties.get(key) {
                        Some(n) => n,
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
        let mut this = to_cel(value, Some(node), 0);
        if path.is_root() {
            this = reduce_root_metadata(this);
        }
        let mut scope = self.ctx.new_inner_scope();
        scope.add_variable_from_value("self", this.clone());
        let sizes = Sizes::of(&this);
        let type_value = Some(go_quote(&node.schema_type));
        for rule in &node.rules {
            let cost = estimate_cost(&rule.program.expression().expr, &this, &sizes);
            if cost > PER_CALL_COST_LIMIT || cost > self.budget {
                let message = if cost > PER_CALL_COST_LIMIT {
                    format!(
                        "'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: {}",
                        rule_error_string(rule)
                    )
                } else {
                    "validation failed due to running out of cost budget, no further validation rules will be run"
                        .to_string()
                };
                self.out.push(CelError {
                    path: path.clone(),
                    message,
                    reason: None,
                    rule: rule.source.clone(),
                    cost_exceeded: true,
                    location_hint: path.clone(),
                    bad_value: type_value.clone(),
                });
                self.stopped = true;
                return;
            }
            self.budget -= cost;
            let result = catch_unwind(AssertUnwindSafe(|| rule.program.execute(&scope)));
            let failure = match result {
                Ok(Ok(CelValue::Bool(true))) => continue,
                Ok(Ok(CelValue::Bool(false))) => None,
                Ok(Ok(other)) => Some(format!(
                    "'no such overload': call arguments did not match a supported operator, function or macro signature for rule: {} (result {})",
                    rule_error_string(rule),
                    cel_type_name(&other)
                )),
                Ok(Err(e)) => Some(execution_error_text(&e, rule)),
                Err(_) => Some(format!(
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
            let message = rule
                .message_program
                .as_ref()
                .and_then(|p| message_expression(p, &scope))
                .or_else(|| rule.message.as_ref().map(|m| m.trim().to_string()))
                .unwrap_or_else(|| format!("failed rule: {}", rule.source.trim()));
            let bad_value = if node.schema_type == "object" || node.schema_type == "array" {
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

    /// The last field the rule reads from `self` that the user set (present, and not just the
    /// schema default filled in), else the node itself.
    fn hint(&self, node: &Node, rule: &Rule, value: &Value, path: &FieldPath) -> FieldPath {
        let Value::Object(map) = value else {
            return path.clone();
        };
        let set_by_user = |field: &str| match map.get(field) {
            None | Some(Value::Null) => false,
            Some(v) => node.properties.get(field).and_then(|p| p.default.as_ref()) != Some(v),
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

fn message_expression(program: &Program, scope: &Context) -> Option<String> {
    match catch_unwind(AssertUnwindSafe(|| program.execute(scope))) {
        Ok(Ok(CelValue::String(s))) => {
            let trimmed = s.trim();
            (!trimmed.is_empty()
                && trimmed.len() <= MAX_MESSAGE_EXPRESSION_BYTES
                && !trimmed.contains('\n'))
            .then(|| trimmed.to_string())
        }
        _ => None,
    }
}

/// The largest collection and string reachable from `self`, bounding iterations and string work
/// where the expression does not name the collection directly.
struct Sizes {
    max_collection: u64,
    max_string: u64,
}

impl Sizes {
    fn of(v: &CelValue) -> Sizes {
        let mut s = Sizes {
            max_collection: 0,
            max_string: 0,
        };
        s.visit(v, 0);
        s
    }

    fn visit(&mut self, v: &CelValue, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match v {
            CelValue::List(items) => {
                self.max_collection = self.max_collection.max(items.len() as u64);
                for i in items.iter() {
                    self.visit(i, depth + 1);
                }
            }
            CelValue::Map(m) => {
                self.max_collection = self.max_collection.max(m.map.len() as u64);
                for (k, v) in m.map.iter() {
                    if let Key::String(s) = k {
                        self.max_string = self.max_string.max(s.len() as u64);
                    }
                    self.visit(v, depth + 1);
                }
            }
            CelValue::String(s) => self.max_string = self.max_string.max(s.len() as u64),
            CelValue::Bytes(b) => self.max_string = self.max_string.max(b.len() as u64),
            _ => {}
        }
    }
}

/// The value an expression denotes when it is a plain path from `self` (`self.a.b`, `self.a[0]`).
fn resolve<'v>(expr: &Expr, this: &'v CelValue) -> Option<&'v CelValue> {
    match expr {
        Expr::Ident(name) if name == "self" => Some(this),
        Expr::Select(sel) if !sel.test => match resolve(&sel.operand.expr, this)? {
            CelValue::Map(m) => m.map.get(&Key::String(Arc::new(sel.field.clone()))),
            _ => None,
        },
        _ => None,
    }
}

const STRING_FUNCTIONS: &[&str] = &[
    "matches",
    "contains",
    "startsWith",
    "endsWith",
    "find",
    "findAll",
    "split",
    "replace",
    "lowerAscii",
    "upperAscii",
    "indexOf",
    "lastIndexOf",
    "substring",
    "trim",
    "join",
    "format",
    "quantity",
    "url",
    "ip",
    "cidr",
    "semver",
    "isQuantity",
    "isURL",
    "isIP",
    "isCIDR",
    "isSemver",
];

/// An upper bound of the expression's runtime cost in the API server's units (one per operation, one
/// per comprehension step, a tenth of the string length per string scan), using the sizes of the
/// actual data.
fn estimate_cost(expr: &Expr, this: &CelValue, sizes: &Sizes) -> u64 {
    match expr {
        Expr::Comprehension(c) => {
            let iterations = match resolve(&c.iter_range.expr, this) {
                Some(CelValue::List(l)) => l.len() as u64,
                Some(CelValue::Map(m)) => m.map.len() as u64,
                _ => sizes.max_collection,
            };
            let step = estimate_cost(&c.loop_cond.expr, this, sizes)
                .saturating_add(estimate_cost(&c.loop_step.expr, this, sizes))
                .max(1);
            estimate_cost(&c.iter_range.expr, this, sizes)
                .saturating_add(estimate_cost(&c.accu_init.expr, this, sizes))
                .saturating_add(iterations.saturating_mul(step))
                .saturating_add(estimate_cost(&c.result.expr, this, sizes))
        }
        Expr::Call(call) => {
            let mut cost: u64 = 1;
            if let Some(t) = &call.target {
                cost = cost.saturating_add(estimate_cost(&t.expr, this, sizes));
            }
            for a in &call.args {
                cost = cost.saturating_add(estimate_cost(&a.expr, this, sizes));
            }
            if STRING_FUNCTIONS.contains(&call.func_name.as_str()) {
                cost = cost.saturating_add(sizes.max_string.div_ceil(10));
            }
            if matches!(call.func_name.as_str(), "_==_" | "_!=_" | "@in" | "_+_") {
                // Comparing or concatenating collections traverses them.
                let operand_size = call
                    .args
                    .iter()
                    .filter_map(|a| match resolve(&a.expr, this) {
                        Some(CelValue::List(l)) => Some(l.len() as u64),
                        Some(CelValue::Map(m)) => Some(m.map.len() as u64),
                        Some(CelValue::String(s)) => Some((s.len() as u64).div_ceil(10)),
                        _ => None,
                    })
                    .max()
                    .unwrap_or(0);
                cost = cost.saturating_add(operand_size);
            }
            cost
        }
        Expr::Select(sel) => 1u64.saturating_add(estimate_cost(&sel.operand.expr, this, sizes)),
        Expr::List(list) => list.elements.iter().fold(1u64, |acc, e| {
            acc.saturating_add(estimate_cost(&e.expr, this, sizes))
        }),
        Expr::Map(map) => map.entries.iter().fold(1u64, |acc, e| match &e.expr {
            EntryExpr::MapEntry(m) => acc
                .saturating_add(estimate_cost(&m.key.expr, this, sizes))
                .saturating_add(estimate_cost(&m.value.expr, this, sizes)),
            EntryExpr::StructField(f) => {
                acc.saturating_add(estimate_cost(&f.value.expr, this, sizes))
            }
        }),
        Expr::Struct(s) => s.entries.iter().fold(1u64, |acc, e| match &e.expr {
            EntryExpr::MapEntry(m) => acc.saturating_add(estimate_cost(&m.value.expr, this, sizes)),
            EntryExpr::StructField(f) => {
                acc.saturating_add(estimate_cost(&f.value.expr, this, sizes))
            }
        }),
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => 1,
    }
}
