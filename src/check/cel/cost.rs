//! What a CEL rule costs, in the API server's units (one per identifier, field selection and
//! function call, more for traversing strings and lists and for building lists and maps):
//!
//! - [`estimate`]: the static worst case the API server computes when a CRD is created, from the
//!   schema's `maxLength`, `maxItems` and `maxProperties` (or, where they are missing, from how
//!   many values fit in a request), as cel-go's estimator does;
//! - [`instrument`] and [`Meter`]: the runtime guard. `cel` has no cost tracking, so every
//!   comprehension's loop condition is wrapped in a call that charges one iteration's cost to a
//!   per-thread meter and stops the evaluation once the meter passes its limit.

use kube_cel::cel::common::ast::{CallExpr, EntryExpr, Expr, IdedExpr, LiteralValue, operators};
use kube_cel::cel::common::types::CelInt;
use kube_cel::cel::{ExecutionError, FunctionContext, ResolveResult, Value as CelValue};
use serde_json::Value;
use std::cell::Cell;

/// Runtime limit of one expression evaluation (`celconfig.PerCallLimit`).
pub const PER_CALL_LIMIT: u64 = 1_000_000;
/// Runtime budget of all rules of one object (`celconfig.RuntimeCELCostBudget`).
pub const RUNTIME_BUDGET: u64 = 10_000_000;
/// Static limit of one rule, its cost times how often it can run (`StaticEstimatedCostLimit`).
pub const STATIC_RULE_LIMIT: u64 = 10_000_000;
/// Static limit of all rules of one CRD version (`StaticEstimatedCRDCostLimit`).
pub const STATIC_CRD_LIMIT: u64 = 100_000_000;
/// The largest request the API server accepts (`celconfig.MaxRequestSizeBytes`), which bounds
/// lists, maps and strings the schema leaves unbounded.
const MAX_REQUEST_BYTES: u64 = 3 * 1024 * 1024;
const STRING_TRAVERSAL_FACTOR: f64 = 0.1;
const REGEX_LENGTH_FACTOR: f64 = 0.25;
const LIST_CREATE_COST: u64 = 10;
const MAP_CREATE_COST: u64 = 30;
const STRUCT_CREATE_COST: u64 = 40;

/// The function [`instrument`] wraps comprehension steps in. The name cannot be written in a rule.
pub const METER_FUNCTION: &str = "@promagent_cost";
/// The error text the meter stops an evaluation with.
pub const COST_EXCEEDED: &str = "actual cost limit exceeded";

/// The API server's wording when a cost is over its limit (`getCostErrorMessage`).
pub fn over_budget_message(what: &str, cost: u64, limit: u64) -> String {
    let factor = cost as f64 / limit as f64;
    let factor = if factor > 100.0 {
        "more than 100x".to_string()
    } else if factor < 1.5 {
        format!("{factor:.6}x")
    } else {
        format!("{factor:.1}x")
    };
    format!(
        "{what} exceeds budget by factor of {factor} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)"
    )
}

/// What the estimator knows about the value of an expression.
#[derive(Clone, Debug)]
enum Shape<'s> {
    /// A value the CRD schema describes.
    Schema(&'s Value),
    List {
        len: u64,
        elem: Box<Shape<'s>>,
    },
    Map {
        len: u64,
        key: Box<Shape<'s>>,
        value: Box<Shape<'s>>,
    },
    Str(u64),
    /// Numbers, booleans, null, timestamps.
    Scalar,
    /// `dyn`: anything, of any size.
    Unknown,
}

fn is_dyn(schema: &Value) -> bool {
    let flag = |k: &str| schema.get(k).and_then(Value::as_bool) == Some(true);
    flag("x-kubernetes-int-or-string")
        || (flag("x-kubernetes-preserve-unknown-fields")
            && schema.get("properties").is_none()
            && schema.get("additionalProperties").is_none()
            && schema.get("items").is_none())
}

fn schema_type(schema: &Value) -> &str {
    schema.get("type").and_then(Value::as_str).unwrap_or("")
}

fn bound(schema: &Value, key: &str) -> Option<u64> {
    schema.get(key).and_then(Value::as_u64)
}

fn map_value_schema(schema: &Value) -> Option<&Value> {
    match schema.get("additionalProperties") {
        Some(v @ Value::Object(_)) => Some(v),
        _ => None,
    }
}

/// The smallest JSON a value of the schema can serialise to.
pub fn min_serialized_size(schema: &Value) -> u64 {
    if is_dyn(schema) {
        return 1;
    }
    match schema_type(schema) {
        "string" => 2,
        "boolean" => 4,
        "object" | "array" => 2,
        _ => 1,
    }
}

/// Most list items a request can hold when the schema sets no `maxItems`.
fn unbounded_items(items: Option<&Value>) -> u64 {
    (MAX_REQUEST_BYTES - 2) / (items.map_or(1, min_serialized_size) + 1)
}

/// Most map entries a request can hold when the schema sets no `maxProperties` (`"":v,` each).
fn unbounded_properties(value: Option<&Value>) -> u64 {
    (MAX_REQUEST_BYTES - 2) / (value.map_or(1, min_serialized_size) + 4)
}

/// Most times a rule can run on one object when a list or map above it is unbounded
/// (`maxCardinality`: one value of the node's minimal size per request byte).
pub fn unbounded_cardinality(node_schema: &Value) -> u64 {
    MAX_REQUEST_BYTES / (min_serialized_size(node_schema) + 1)
}

/// How many times the items (`items`) or values (`additionalProperties`) of a node can occur per
/// instance of the node; `None` when the schema sets no bound.
pub fn child_cardinality(schema: &Value, child: &str) -> Option<u64> {
    match child {
        "items" => bound(schema, "maxItems"),
        "additionalProperties" => bound(schema, "maxProperties"),
        _ => Some(1),
    }
}

impl<'s> Shape<'s> {
    /// The largest size (`size()`: characters, items, entries) the value can have.
    fn size(&self) -> u64 {
        match self {
            Shape::Schema(s) if is_dyn(s) => u64::MAX,
            Shape::Schema(s) => match schema_type(s) {
                "string" => {
                    bound(s, "maxLength").unwrap_or(match s.get("format").and_then(Value::as_str) {
                        Some("date-time") => 64,
                        Some("duration") => 64,
                        Some("date") => 12,
                        _ => MAX_REQUEST_BYTES - 2,
                    })
                }
                "array" => bound(s, "maxItems").unwrap_or_else(|| unbounded_items(s.get("items"))),
                "object" => match s.get("additionalProperties") {
                    Some(Value::Object(_)) | Some(Value::Bool(true)) => bound(s, "maxProperties")
                        .unwrap_or_else(|| unbounded_properties(map_value_schema(s))),
                    _ => s
                        .get("properties")
                        .and_then(Value::as_object)
                        .map_or(0, |p| p.len() as u64),
                },
                "" => u64::MAX,
                _ => 0,
            },
            Shape::List { len, .. } | Shape::Map { len, .. } => *len,
            Shape::Str(n) => *n,
            Shape::Scalar => 0,
            Shape::Unknown => u64::MAX,
        }
    }

    /// What a comprehension over the value binds its variable to: list items, map keys.
    fn element(&self) -> Shape<'s> {
        match self {
            Shape::Schema(s) if is_dyn(s) => Shape::Unknown,
            Shape::Schema(s) => match schema_type(s) {
                "array" => s.get("items").map_or(Shape::Unknown, Shape::Schema),
                "object" => Shape::Str(MAX_REQUEST_BYTES - 2),
                _ => Shape::Unknown,
            },
            Shape::List { elem, .. } => (**elem).clone(),
            Shape::Map { key, .. } => (**key).clone(),
            _ => Shape::Unknown,
        }
    }

    /// The value of field or key `name` (`self.x`, `self['x']`).
    fn field(&self, name: Option<&str>) -> Shape<'s> {
        match self {
            Shape::Schema(s) if is_dyn(s) => Shape::Unknown,
            Shape::Schema(s) => {
                let property = name.and_then(|n| {
                    s.get("properties")
                        .and_then(|p| p.get(super::unescape_field(n)).or_else(|| p.get(n)))
                });
                match property.or_else(|| map_value_schema(s)) {
                    Some(p) => Shape::Schema(p),
                    None => Shape::Unknown,
                }
            }
            Shape::Map { value, .. } => (**value).clone(),
            _ => Shape::Unknown,
        }
    }

    fn is_string(&self) -> bool {
        match self {
            Shape::Str(_) => true,
            Shape::Schema(s) => schema_type(s) == "string" && !is_dyn(s),
            _ => false,
        }
    }

    fn is_list(&self) -> bool {
        match self {
            Shape::List { .. } => true,
            Shape::Schema(s) => schema_type(s) == "array",
            _ => false,
        }
    }
}

fn factor(size: u64, factor: f64) -> u64 {
    // `as` saturates: an unbounded size stays unbounded.
    (size as f64 * factor).ceil() as u64
}

/// The static worst-case cost of a rule whose `self` is a value of `schema`.
pub fn estimate(expr: &IdedExpr, schema: &Value) -> u64 {
    let mut scope = vec![("self".to_string(), Shape::Schema(schema))];
    cost_of(expr, &mut scope).0
}

fn lookup<'s>(scope: &[(String, Shape<'s>)], name: &str) -> Shape<'s> {
    scope
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map_or(Shape::Unknown, |(_, s)| s.clone())
}

fn cost_of<'s>(e: &IdedExpr, scope: &mut Vec<(String, Shape<'s>)>) -> (u64, Shape<'s>) {
    match &e.expr {
        Expr::Ident(name) => (1, lookup(scope, name)),
        Expr::Literal(lit) => (
            0,
            match lit {
                LiteralValue::String(s) => Shape::Str(s.inner().chars().count() as u64),
                LiteralValue::Bytes(b) => Shape::Str(b.inner().len() as u64),
                _ => Shape::Scalar,
            },
        ),
        Expr::Select(sel) => {
            let (cost, operand) = cost_of(&sel.operand, scope);
            if sel.test {
                // The API server gives presence tests no cost of their own.
                (cost, Shape::Scalar)
            } else {
                (cost.saturating_add(1), operand.field(Some(&sel.field)))
            }
        }
        Expr::Call(call) => call_cost(call, scope),
        Expr::List(list) => {
            let mut cost = LIST_CREATE_COST;
            let mut elem = Shape::Scalar;
            for item in &list.elements {
                let (c, s) = cost_of(item, scope);
                cost = cost.saturating_add(c);
                if s.size() >= elem.size() {
                    elem = s;
                }
            }
            (
                cost,
                Shape::List {
                    len: list.elements.len() as u64,
                    elem: Box::new(elem),
                },
            )
        }
        Expr::Map(map) => {
            let mut cost = MAP_CREATE_COST;
            let (mut key, mut value) = (Shape::Scalar, Shape::Scalar);
            for entry in &map.entries {
                match &entry.expr {
                    EntryExpr::MapEntry(m) => {
                        let (kc, ks) = cost_of(&m.key, scope);
                        let (vc, vs) = cost_of(&m.value, scope);
                        cost = cost.saturating_add(kc).saturating_add(vc);
                        if ks.size() >= key.size() {
                            key = ks;
                        }
                        if vs.size() >= value.size() {
                            value = vs;
                        }
                    }
                    EntryExpr::StructField(f) => {
                        cost = cost.saturating_add(cost_of(&f.value, scope).0);
                    }
                }
            }
            (
                cost,
                Shape::Map {
                    len: map.entries.len() as u64,
                    key: Box::new(key),
                    value: Box::new(value),
                },
            )
        }
        Expr::Struct(st) => {
            let mut cost = STRUCT_CREATE_COST;
            for entry in &st.entries {
                let value = match &entry.expr {
                    EntryExpr::MapEntry(m) => &m.value,
                    EntryExpr::StructField(f) => &f.value,
                };
                cost = cost.saturating_add(cost_of(value, scope).0);
            }
            (cost, Shape::Unknown)
        }
        Expr::Comprehension(c) => {
            let (range_cost, range) = cost_of(&c.iter_range, scope);
            let (init_cost, init) = cost_of(&c.accu_init, scope);
            let iterations = range.size();
            let accu = match init {
                Shape::List { .. } => Shape::List {
                    len: iterations,
                    elem: Box::new(Shape::Unknown),
                },
                other => other,
            };
            scope.push((c.iter_var.clone(), range.element()));
            scope.push((c.accu_var.clone(), accu.clone()));
            let step = cost_of(&c.loop_cond, scope)
                .0
                .saturating_add(cost_of(&c.loop_step, scope).0);
            scope.pop();
            scope.push((c.accu_var.clone(), accu.clone()));
            let (result_cost, result) = cost_of(&c.result, scope);
            scope.pop();
            scope.pop();
            let shape = match accu {
                Shape::List { .. } => accu,
                _ => result,
            };
            (
                range_cost
                    .saturating_add(init_cost)
                    .saturating_add(result_cost)
                    .saturating_add(iterations.saturating_mul(step)),
                shape,
            )
        }
        Expr::Unspecified => (0, Shape::Unknown),
    }
}

fn call_cost<'s>(call: &CallExpr, scope: &mut Vec<(String, Shape<'s>)>) -> (u64, Shape<'s>) {
    let target = call.target.as_ref().map(|t| cost_of(t, scope));
    let args: Vec<(u64, Shape<'s>)> = call.args.iter().map(|a| cost_of(a, scope)).collect();
    let arg_sum = args
        .iter()
        .chain(target.iter())
        .fold(0u64, |acc, (c, _)| acc.saturating_add(*c));
    let name = call.func_name.as_str();
    let size = |i: usize| args.get(i).map_or(0, |(_, s)| s.size());
    let target_size = target.as_ref().map_or_else(|| size(0), |(_, s)| s.size());
    // The string a function works on: the receiver, or the first argument of a global call.
    let subject = target
        .as_ref()
        .map(|(_, s)| s)
        .or(args.first().map(|(_, s)| s));
    let (own, shape): (u64, Shape<'s>) = match name {
        operators::LOGICAL_AND | operators::LOGICAL_OR => (0, Shape::Scalar),
        operators::CONDITIONAL => {
            let (t, f) = (&args[1], &args[2]);
            let larger = if t.1.size() >= f.1.size() { &t.1 } else { &f.1 };
            return (args[0].0.saturating_add(t.0.max(f.0)), larger.clone());
        }
        operators::EQUALS
        | operators::NOT_EQUALS
        | operators::LESS
        | operators::LESS_EQUALS
        | operators::GREATER
        | operators::GREATER_EQUALS => {
            let smaller = size(0).min(size(1));
            let traversal = if args.iter().any(|(_, s)| s.is_string()) {
                factor(smaller, STRING_TRAVERSAL_FACTOR)
            } else if args.iter().any(|(_, s)| s.is_list()) {
                smaller
            } else {
                0
            };
            (1u64.saturating_add(traversal), Shape::Scalar)
        }
        operators::ADD if args.len() == 2 => {
            let total = size(0).saturating_add(size(1));
            if args[0].1.is_string() || args[1].1.is_string() {
                (
                    1u64.saturating_add(factor(total, STRING_TRAVERSAL_FACTOR)),
                    Shape::Str(total),
                )
            } else if args[0].1.is_list() || args[1].1.is_list() {
                let elem = args[0].1.element();
                (
                    1,
                    Shape::List {
                        len: total,
                        elem: Box::new(elem),
                    },
                )
            } else {
                (1, Shape::Scalar)
            }
        }
        operators::IN if args.len() == 2 => {
            let traversal = if args[1].1.is_list() { size(1) } else { 0 };
            (1u64.saturating_add(traversal), Shape::Scalar)
        }
        operators::INDEX | operators::OPT_INDEX if args.len() == 2 => {
            let key = match &call.args[1].expr {
                Expr::Literal(LiteralValue::String(s)) => Some(s.inner().to_string()),
                _ => None,
            };
            let container = &args[0].1;
            let shape = if container.is_list() {
                container.element()
            } else {
                container.field(key.as_deref())
            };
            (1, shape)
        }
        "contains" if target.is_some() && args.len() == 1 => {
            let product = target_size.saturating_mul(size(0));
            (
                1u64.saturating_add(factor(product, STRING_TRAVERSAL_FACTOR)),
                Shape::Scalar,
            )
        }
        "startsWith" | "endsWith" if args.len() == 1 => (
            1u64.saturating_add(factor(size(0), STRING_TRAVERSAL_FACTOR)),
            Shape::Scalar,
        ),
        "matches" | "find" | "findAll" => {
            let (text, regex) = match &target {
                Some(_) => (target_size, size(0)),
                None => (size(0), size(1)),
            };
            let cost = factor(text.saturating_add(1), STRING_TRAVERSAL_FACTOR)
                .saturating_mul(factor(regex, REGEX_LENGTH_FACTOR));
            let shape = if name == "findAll" {
                Shape::List {
                    len: text,
                    elem: Box::new(Shape::Str(text)),
                }
            } else if name == "find" {
                Shape::Str(text)
            } else {
                Shape::Scalar
            };
            (1u64.saturating_add(cost), shape)
        }
        "lowerAscii" | "upperAscii" | "trim" | "replace" | "substring" | "reverse" | "quote"
        | "charAt" => {
            let n = subject.map_or(0, Shape::size);
            (
                1u64.saturating_add(factor(n, STRING_TRAVERSAL_FACTOR)),
                if name == "charAt" {
                    Shape::Str(1)
                } else {
                    Shape::Str(n)
                },
            )
        }
        "split" => {
            let n = subject.map_or(0, Shape::size);
            (
                1u64.saturating_add(factor(n, STRING_TRAVERSAL_FACTOR)),
                Shape::List {
                    len: n,
                    elem: Box::new(Shape::Str(n)),
                },
            )
        }
        "join" => {
            let list = subject.cloned().unwrap_or(Shape::Unknown);
            let n = list.size().saturating_mul(list.element().size());
            (
                1u64.saturating_add(factor(n, STRING_TRAVERSAL_FACTOR)),
                Shape::Str(n),
            )
        }
        "indexOf" | "lastIndexOf" => {
            let n = subject.map_or(0, Shape::size);
            let traversal = if subject.is_some_and(Shape::is_string) {
                factor(n.saturating_mul(size(0).max(1)), STRING_TRAVERSAL_FACTOR)
            } else {
                n
            };
            (1u64.saturating_add(traversal), Shape::Scalar)
        }
        "isSorted" | "sum" | "min" | "max" => (
            1u64.saturating_add(subject.map_or(0, Shape::size)),
            Shape::Scalar,
        ),
        "url" | "isURL" | "quantity" | "isQuantity" | "ip" | "isIP" | "cidr" | "isCIDR"
        | "semver" | "isSemver" | "format" => (
            1u64.saturating_add(factor(
                subject.map_or(0, Shape::size),
                STRING_TRAVERSAL_FACTOR,
            )),
            if name == "format" {
                Shape::Unknown
            } else {
                Shape::Scalar
            },
        ),
        "sets.contains" | "sets.equivalent" | "sets.intersects" if args.len() == 2 => (
            1u64.saturating_add(size(0).saturating_mul(size(1))),
            Shape::Scalar,
        ),
        "string" => {
            let shape = match args.first() {
                Some((_, s)) if s.is_string() => Shape::Str(s.size()),
                _ => Shape::Str(32),
            };
            (1, shape)
        }
        "size" | "int" | "uint" | "double" | "bool" | "bytes" | "type" | "dyn" => {
            (1, Shape::Scalar)
        }
        _ => (1, Shape::Scalar),
    };
    (arg_sum.saturating_add(own), shape)
}

/// Runtime cost units an expression spends outside any comprehension step: one per identifier,
/// selection and call, more for building lists and maps. String and list traversals are not
/// counted at runtime (see docs/architecture.md).
fn steps(e: &IdedExpr) -> u64 {
    match &e.expr {
        Expr::Ident(_) => 1,
        Expr::Literal(_) | Expr::Unspecified => 0,
        Expr::Select(sel) => u64::from(!sel.test).saturating_add(steps(&sel.operand)),
        Expr::Call(call) => call
            .args
            .iter()
            .chain(call.target.as_deref())
            .fold(1u64, |acc, a| acc.saturating_add(steps(a))),
        Expr::List(list) => list
            .elements
            .iter()
            .fold(LIST_CREATE_COST, |acc, a| acc.saturating_add(steps(a))),
        Expr::Map(map) => map.entries.iter().fold(MAP_CREATE_COST, |acc, entry| {
            acc.saturating_add(match &entry.expr {
                EntryExpr::MapEntry(m) => steps(&m.key).saturating_add(steps(&m.value)),
                EntryExpr::StructField(f) => steps(&f.value),
            })
        }),
        Expr::Struct(st) => st.entries.iter().fold(STRUCT_CREATE_COST, |acc, entry| {
            acc.saturating_add(match &entry.expr {
                EntryExpr::MapEntry(m) => steps(&m.value),
                EntryExpr::StructField(f) => steps(&f.value),
            })
        }),
        // The loop itself is charged by its own meter call, once per iteration.
        Expr::Comprehension(c) => steps(&c.iter_range)
            .saturating_add(steps(&c.accu_init))
            .saturating_add(steps(&c.result)),
    }
}

/// Wraps the loop condition of every comprehension in `expr` in a [`METER_FUNCTION`] call that
/// charges the cost of one iteration (condition and step). Returns the cost spent outside the
/// loops.
pub fn instrument(expr: &mut IdedExpr) -> u64 {
    fn walk(e: &mut IdedExpr) {
        match &mut e.expr {
            Expr::Select(sel) => walk(&mut sel.operand),
            Expr::Call(call) => {
                if let Some(t) = call.target.as_deref_mut() {
                    walk(t);
                }
                call.args.iter_mut().for_each(walk);
            }
            Expr::List(list) => list.elements.iter_mut().for_each(walk),
            Expr::Map(map) => {
                for entry in &mut map.entries {
                    match &mut entry.expr {
                        EntryExpr::MapEntry(m) => {
                            walk(&mut m.key);
                            walk(&mut m.value);
                        }
                        EntryExpr::StructField(f) => walk(&mut f.value),
                    }
                }
            }
            Expr::Struct(st) => {
                for entry in &mut st.entries {
                    match &mut entry.expr {
                        EntryExpr::MapEntry(m) => walk(&mut m.value),
                        EntryExpr::StructField(f) => walk(&mut f.value),
                    }
                }
            }
            Expr::Comprehension(c) => {
                walk(&mut c.iter_range);
                walk(&mut c.accu_init);
                walk(&mut c.result);
                walk(&mut c.loop_cond);
                walk(&mut c.loop_step);
                let weight = steps(&c.loop_cond)
                    .saturating_add(steps(&c.loop_step))
                    .max(1);
                // The condition is evaluated before each step and is a bool: metering it costs
                // nothing more, where a metered step would convert the accumulator each time.
                let cond = std::mem::take(&mut c.loop_cond);
                c.loop_cond = IdedExpr {
                    id: cond.id,
                    expr: Expr::Call(CallExpr {
                        func_name: METER_FUNCTION.to_string(),
                        target: None,
                        args: vec![
                            IdedExpr {
                                id: cond.id,
                                expr: Expr::Literal(LiteralValue::Int(CelInt::from(
                                    i64::try_from(weight).unwrap_or(i64::MAX),
                                ))),
                            },
                            cond,
                        ],
                    }),
                };
            }
            Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
        }
    }
    let outside = steps(expr);
    walk(expr);
    outside
}

thread_local! {
    static METER: Cell<(u64, u64)> = const { Cell::new((0, 0)) };
}

/// The runtime cost meter of the current thread: [`Meter::start`] sets the limit of one
/// evaluation, [`Meter::spent`] reads what it cost.
pub struct Meter;

impl Meter {
    /// Starts an evaluation that may spend `limit`, having already spent `base`.
    pub fn start(base: u64, limit: u64) {
        METER.with(|m| m.set((base, limit)));
    }

    /// What the evaluation spent so far, and whether that is over its limit.
    pub fn spent() -> (u64, bool) {
        METER.with(|m| {
            let (spent, limit) = m.get();
            (spent, spent > limit)
        })
    }
}

/// The [`METER_FUNCTION`]: charges the weight (argument 0), then evaluates the loop condition
/// (argument 1) unless the limit is passed.
pub fn meter_function(ftx: &FunctionContext) -> ResolveResult {
    let weight = match ftx.args.first().map(|a| &a.expr) {
        Some(Expr::Literal(LiteralValue::Int(w))) => u64::try_from(*w.inner()).unwrap_or(1),
        _ => 1,
    };
    let over = METER.with(|m| {
        let (spent, limit) = m.get();
        let spent = spent.saturating_add(weight);
        m.set((spent, limit));
        spent > limit
    });
    if over {
        return Err(ExecutionError::function_error("cost", COST_EXCEEDED));
    }
    match ftx.args.get(1) {
        Some(step) => CelValue::resolve(step, ftx.ptx),
        None => Err(ExecutionError::function_error(
            "cost",
            "missing loop condition",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kube_cel::cel::Program;
    use serde_json::json;

    fn cost(rule: &str, schema: &Value) -> u64 {
        let program = Program::compile(rule).expect("parses");
        estimate(&program.expression().clone(), schema)
    }

    #[test]
    fn static_costs_follow_the_api_servers_units() {
        let schema = json!({"type": "object", "properties": {
            "name": {"type": "string", "maxLength": 100},
            "items": {"type": "array", "maxItems": 10, "items": {"type": "string", "maxLength": 20}},
            "free": {"type": "array", "items": {"type": "string"}}
        }});
        // self (1) + .name (1) + `==` on strings (1 + 100 * 0.1)
        assert_eq!(cost("self.name == 'x'", &schema), 1 + 1 + 1 + 1);
        assert_eq!(cost("has(self.name)", &schema), 1);
        // all(): range (2) + init (0) + result (1) + 10 × (cond 2 + step (accu 1 + startsWith 1 + x 1 + 0.1))
        assert_eq!(
            cost("self.items.all(x, x.startsWith('a'))", &schema),
            2 + 1 + 10 * (2 + 4)
        );
        // Unbounded lists are bounded by the request size: (3 MiB - 2) / (2 + 1) items.
        assert_eq!(
            cost("self.free.all(x, x == 'a')", &schema),
            2 + 1 + 1_048_575 * 6
        );
        let quadratic = cost("self.free.all(x, self.free.all(y, x == y))", &schema);
        assert!(quadratic > 100 * STATIC_RULE_LIMIT, "{quadratic}");
        let nested = cost(
            "[0,1,2,3,4,5,6,7,8,9].all(a, [0,1,2,3,4,5,6,7,8,9].all(b, [0,1,2,3,4,5,6,7,8,9].all(c, a + b + c >= 0)))",
            &schema,
        );
        assert!(nested > 10_000 && nested < 100_000, "{nested}");
    }

    #[test]
    fn over_budget_wording() {
        assert_eq!(
            over_budget_message("estimated rule cost", 20_000_000, STATIC_RULE_LIMIT),
            "estimated rule cost exceeds budget by factor of 2.0x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)"
        );
        assert!(over_budget_message("x", 12, 10).contains("factor of 1.200000x"));
        assert!(over_budget_message("x", 1_001, 10).contains("more than 100x"));
    }
}
