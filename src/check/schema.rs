//! Structural validation of an object against a CRD version's `openAPIV3Schema`, reporting what the
//! Kubernetes API server reports on create: OpenAPI value checks (type, enum, pattern, bounds, lengths,
//! items, properties, required, formats), `x-kubernetes-list-type` set/map uniqueness and, as strict
//! field validation does, fields the schema would prune (`unknown field "spec.replica"`).
//!
//! Messages are the API server's field-error text (Kubernetes 1.34), e.g.
//! `Invalid value: -1: spec.minReadySeconds in body should be greater than or equal to 0`.

use crate::fieldpath::{FieldPath, Segment};
use crate::load::json;
use regex::Regex;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// One structural violation, at the path where the API server reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    pub path: FieldPath,
    pub kind: SchemaErrorKind,
    /// The API server's text after the path, e.g. `Required value`.
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SchemaErrorKind {
    Required,
    UnknownField,
    Type,
    Enum,
    Pattern,
    Format,
    Bounds,
    Length,
    Items,
    Properties,
    Duplicate,
    Other,
}

impl SchemaErrorKind {
    pub fn code(self) -> &'static str {
        match self {
            SchemaErrorKind::Required => "schema/required",
            SchemaErrorKind::UnknownField => "schema/unknown-field",
            SchemaErrorKind::Type => "schema/type",
            SchemaErrorKind::Enum => "schema/enum",
            SchemaErrorKind::Pattern => "schema/pattern",
            SchemaErrorKind::Format => "schema/format",
            SchemaErrorKind::Bounds => "schema/bounds",
            SchemaErrorKind::Length => "schema/length",
            SchemaErrorKind::Items => "schema/items",
            SchemaErrorKind::Properties => "schema/properties",
            SchemaErrorKind::Duplicate => "schema/duplicate",
            SchemaErrorKind::Other => "schema/other",
        }
    }
}

impl SchemaError {
    fn new(path: FieldPath, kind: SchemaErrorKind, message: String) -> Self {
        SchemaError {
            path,
            kind,
            message,
        }
    }

    /// True for the error classes after which the API server does not run any CEL rule of the
    /// object (required, type, enum, too long, too many); it then adds [`CEL_SKIPPED_MESSAGE`].
    pub fn blocks_cel(&self) -> bool {
        match self.kind {
            SchemaErrorKind::Required
            | SchemaErrorKind::Type
            | SchemaErrorKind::Format
            | SchemaErrorKind::Enum => true,
            SchemaErrorKind::Length | SchemaErrorKind::Items | SchemaErrorKind::Properties => {
                self.message.starts_with("Too long") || self.message.starts_with("Too many")
            }
            _ => false,
        }
    }
}

/// What the API server adds (at the object root) when a blocking schema error stopped CEL validation.
pub const CEL_SKIPPED_MESSAGE: &str = "Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

/// Validates `value` (a whole object, or any node when `schema` is that node's schema) against an
/// OpenAPI v3 schema as found in a CRD version. The root `metadata` is left to
/// [`crate::check::metadata::validate`].
pub fn validate(value: &Value, schema: &Value) -> Vec<SchemaError> {
    let mut walker = Walker {
        out: Vec::new(),
        strict: true,
    };
    let mut path = FieldPath::root();
    walker.node(value, schema, &mut path, 0);
    walker.out
}

const MAX_DEPTH: usize = 128;

struct Walker {
    out: Vec<SchemaError>,
    /// Report fields the schema would prune. Off inside anyOf/allOf/oneOf branches, which only
    /// constrain values.
    strict: bool,
}

fn flag(schema: &Value, key: &str) -> bool {
    json::get(schema, key).and_then(Value::as_bool) == Some(true)
}

fn int_of(schema: &Value, key: &str) -> Option<i64> {
    let v = json::get(schema, key)?;
    v.as_i64()
        .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
}

/// The types a node accepts, as the API server's converted schema lists them.
fn schema_types(schema: &Value) -> Vec<&str> {
    if flag(schema, "x-kubernetes-int-or-string") {
        return vec!["integer", "string"];
    }
    match json::get(schema, "type").and_then(Value::as_str) {
        Some(t) if !t.is_empty() => vec![t],
        _ => Vec::new(),
    }
}

/// The JSON type name the OpenAPI validator gives a value.
pub(crate) fn value_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn float_is_json_integer(f: f64) -> bool {
    f.is_finite() && f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0
}

impl Walker {
    fn push(&mut self, path: &FieldPath, kind: SchemaErrorKind, message: String) {
        self.out.push(SchemaError::new(path.clone(), kind, message));
    }

    fn node(&mut self, value: &Value, schema: &Value, path: &mut FieldPath, depth: usize) {
        if depth > MAX_DEPTH || !schema.is_object() {
            return;
        }
        let name = || openapi_name(path);

        if value.is_null() {
            // Null list items, map values and roots reach the validator; null properties were
            // pruned (or defaulted) before validation.
            let types = schema_types(schema);
            if !types.is_empty() && !flag(schema, "nullable") {
                let msg = format!(
                    "Invalid value: \"null\": {} in body must be of type {}: \"null\"",
                    name(),
                    types.join(",")
                );
                self.push(path, SchemaErrorKind::Type, msg);
            }
            if !flag(schema, "nullable") {
                self.check_enum(value, schema, path);
            }
            return;
        }

        self.check_type(value, schema, path);
        self.check_combinators(value, schema, path, depth);
        match value {
            Value::String(s) => {
                self.check_string(s, schema, path);
                self.check_format(s, schema, path);
            }
            Value::Number(_) => self.check_number(value, schema, path),
            Value::Array(items) => self.check_array(items, schema, path, depth),
            _ => {}
        }
        self.check_enum(value, schema, path);
        if let Value::Object(map) = value {
            self.check_object(map, schema, path, depth);
        }
    }

    fn check_type(&mut self, value: &Value, schema: &Value, path: &FieldPath) {
        let types = schema_types(schema);
        if types.is_empty() {
            return;
        }
        let actual = value_type(value);
        let ok = types.contains(&actual)
            || (actual == "integer" && types.contains(&"number"))
            || (actual == "number"
                && types.contains(&"integer")
                && value.as_f64().is_some_and(float_is_json_integer));
        if !ok {
            let msg = format!(
                "Invalid value: \"{actual}\": {} in body must be of type {}: \"{actual}\"",
                openapi_name(path),
                types.join(",")
            );
            self.push(path, SchemaErrorKind::Type, msg);
        }
    }

    fn sub_errors(
        &self,
        value: &Value,
        schema: &Value,
        path: &FieldPath,
        depth: usize,
    ) -> Vec<SchemaError> {
        let mut sub = Walker {
            out: Vec::new(),
            strict: false,
        };
        let mut p = path.clone();
        sub.node(value, schema, &mut p, depth + 1);
        sub.out
    }

    fn check_combinators(&mut self, value: &Value, schema: &Value, path: &FieldPath, depth: usize) {
        if !["anyOf", "oneOf", "allOf", "not"]
            .iter()
            .any(|k| json::get(schema, k).is_some())
        {
            return;
        }
        let name = openapi_name(path);
        let composite = |text: String| format!("Invalid value: \"\": {text}");
        if let Some(branches) = json::get(schema, "anyOf").and_then(Value::as_array) {
            let results: Vec<_> = branches
                .iter()
                .map(|b| self.sub_errors(value, b, path, depth))
                .collect();
            if !results.is_empty() && results.iter().all(|r| !r.is_empty()) {
                let msg = composite(format!(
                    "\"{name}\" must validate at least one schema (anyOf)"
                ));
                self.push(path, SchemaErrorKind::Other, msg);
                if let Some(best) = results.into_iter().min_by_key(Vec::len) {
                    self.out.extend(best);
                }
            }
        }
        if let Some(branches) = json::get(schema, "oneOf").and_then(Value::as_array) {
            let results: Vec<_> = branches
                .iter()
                .map(|b| self.sub_errors(value, b, path, depth))
                .collect();
            let valid = results.iter().filter(|r| r.is_empty()).count();
            if !results.is_empty() && valid != 1 {
                let detail = if valid == 0 {
                    "Found none valid".to_string()
                } else {
                    format!("Found {valid} valid alternatives")
                };
                let msg = composite(format!(
                    "\"{name}\" must validate one and only one schema (oneOf). {detail}"
                ));
                self.push(path, SchemaErrorKind::Other, msg);
                if valid == 0
                    && let Some(best) = results.into_iter().min_by_key(Vec::len)
                {
                    self.out.extend(best);
                }
            }
        }
        if let Some(branches) = json::get(schema, "allOf").and_then(Value::as_array) {
            let mut validated = 0;
            let mut errors = Vec::new();
            for b in branches {
                let r = self.sub_errors(value, b, path, depth);
                if r.is_empty() {
                    validated += 1;
                }
                errors.extend(r);
            }
            if validated != branches.len() {
                let detail = if validated == 0 {
                    ". None validated"
                } else {
                    ""
                };
                let msg = composite(format!(
                    "\"{name}\" must validate all the schemas (allOf){detail}"
                ));
                self.push(path, SchemaErrorKind::Other, msg);
                self.out.extend(errors);
            }
        }
        if let Some(not) = json::get(schema, "not")
            && not.is_object()
            && self.sub_errors(value, not, path, depth).is_empty()
        {
            let msg = composite(format!("\"{name}\" must not validate the schema (not)"));
            self.push(path, SchemaErrorKind::Other, msg);
        }
    }

    fn check_string(&mut self, s: &str, schema: &Value, path: &FieldPath) {
        let chars = s.chars().count() as i64;
        if let Some(max) = int_of(schema, "maxLength")
            && chars > max
        {
            let unit = if max == 1 { "byte" } else { "bytes" };
            let msg = format!("Too long: may not be more than {max} {unit}");
            self.push(path, SchemaErrorKind::Length, msg);
            return;
        }
        if let Some(min) = int_of(schema, "minLength")
            && chars < min
        {
            let msg = format!(
                "Invalid value: {}: {} in body should be at least {min} chars long",
                go_quote(s),
                openapi_name(path)
            );
            self.push(path, SchemaErrorKind::Length, msg);
            return;
        }
        if let Some(pattern) = json::get(schema, "pattern").and_then(Value::as_str)
            && !pattern.is_empty()
        {
            let shown = match cached_regex(pattern) {
                Ok(re) if re.is_match(s) => return,
                Ok(_) => pattern.to_string(),
                Err(e) => format!("{pattern}, but pattern is invalid: {e}"),
            };
            let msg = format!(
                "Invalid value: {}: {} in body should match '{shown}'",
                go_quote(s),
                openapi_name(path)
            );
            self.push(path, SchemaErrorKind::Pattern, msg);
        }
    }

    fn check_format(&mut self, s: &str, schema: &Value, path: &FieldPath) {
        let Some(format) = json::get(schema, "format").and_then(Value::as_str) else {
            return;
        };
        if format_ok(format, s) {
            return;
        }
        let msg = format!(
            "Invalid value: {q}: {} in body must be of type {format}: {q}",
            openapi_name(path),
            q = go_quote(s)
        );
        self.push(path, SchemaErrorKind::Format, msg);
    }

    fn check_number(&mut self, value: &Value, schema: &Value, path: &FieldPath) {
        let Some(data) = value.as_f64() else { return };
        let is_int = value.is_i64() || value.is_u64();
        let shown = go_value(value);
        // Bounds print as integers when the data is an integer, as Go's validator converts them.
        let bound = |b: f64| {
            if is_int {
                format!("{}", b as i64)
            } else {
                go_float(b)
            }
        };
        if let Some(factor) = json::get(schema, "multipleOf").and_then(Value::as_f64) {
            let bad = if factor <= 0.0 {
                None
            } else if is_int && factor.fract() == 0.0 {
                let (d, f) = (value.as_i64().unwrap_or(i64::MAX), factor as i64);
                Some(f != 0 && d % f != 0)
            } else {
                Some(!float_is_json_integer(data / factor))
            };
            if bad == Some(true) {
                let msg = format!(
                    "Invalid value: {shown}: {} in body should be a multiple of {}",
                    openapi_name(path),
                    bound(factor)
                );
                self.push(path, SchemaErrorKind::Bounds, msg);
            }
        }
        if let Some(min) = json::get(schema, "minimum").and_then(Value::as_f64) {
            let exclusive = flag(schema, "exclusiveMinimum");
            let (d, m) = if is_int {
                (
                    value.as_i64().map(|v| v as f64).unwrap_or(data),
                    (min as i64) as f64,
                )
            } else {
                (data, min)
            };
            if (!exclusive && d < m) || (exclusive && d <= m) {
                let rel = if exclusive {
                    "greater than"
                } else {
                    "greater than or equal to"
                };
                let msg = format!(
                    "Invalid value: {shown}: {} in body should be {rel} {}",
                    openapi_name(path),
                    bound(min)
                );
                self.push(path, SchemaErrorKind::Bounds, msg);
            }
        }
        if let Some(max) = json::get(schema, "maximum").and_then(Value::as_f64) {
            let exclusive = flag(schema, "exclusiveMaximum");
            let (d, m) = if is_int {
                (
                    value.as_i64().map(|v| v as f64).unwrap_or(data),
                    (max as i64) as f64,
                )
            } else {
                (data, max)
            };
            if (!exclusive && d > m) || (exclusive && d >= m) {
                let rel = if exclusive {
                    "less than"
                } else {
                    "less than or equal to"
                };
                let msg = format!(
                    "Invalid value: {shown}: {} in body should be {rel} {}",
                    openapi_name(path),
                    bound(max)
                );
                self.push(path, SchemaErrorKind::Bounds, msg);
            }
        }
    }

    fn check_array(&mut self, items: &[Value], schema: &Value, path: &mut FieldPath, depth: usize) {
        if let Some(item_schema) = json::get(schema, "items").filter(|s| s.is_object()) {
            for (i, item) in items.iter().enumerate() {
                path.push_index(i);
                self.node(item, item_schema, path, depth + 1);
                path.pop();
            }
        }
        let size = items.len() as i64;
        if let Some(min) = int_of(schema, "minItems")
            && size < min
        {
            let msg = format!(
                "Invalid value: {size}: {} in body should have at least {min} items",
                openapi_name(path)
            );
            self.push(path, SchemaErrorKind::Items, msg);
        }
        if let Some(max) = int_of(schema, "maxItems")
            && size > max
        {
            let unit = if max == 1 { "item" } else { "items" };
            let msg = format!("Too many: {size}: must have at most {max} {unit}");
            self.push(path, SchemaErrorKind::Items, msg);
        }
        if flag(schema, "uniqueItems") && first_duplicate(items).is_some() {
            let msg = format!(
                "Invalid value: \"\": {} in body shouldn't contain duplicates",
                openapi_name(path)
            );
            self.push(path, SchemaErrorKind::Duplicate, msg);
        }
        if self.strict {
            self.check_list_type(items, schema, path);
        }
    }

    fn check_list_type(&mut self, items: &[Value], schema: &Value, path: &FieldPath) {
        match json::get(schema, "x-kubernetes-list-type").and_then(Value::as_str) {
            Some("set") => {
                for i in non_unique(items.iter().map(canonical)) {
                    let msg = format!("Duplicate value: {}", go_value(&items[i]));
                    self.push(&path.index(i), SchemaErrorKind::Duplicate, msg);
                }
            }
            Some("map") => {
                for (i, item) in items.iter().enumerate() {
                    if !item.is_null() && !item.is_object() {
                        let msg = format!(
                            "Invalid value: {}: must be an object for an array of list-type map",
                            go_value(item)
                        );
                        self.push(&path.index(i), SchemaErrorKind::Type, msg);
                        return;
                    }
                }
                let key_fields: Vec<&str> = schema
                    .get("x-kubernetes-list-map-keys")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let keys: Vec<Value> = items
                    .iter()
                    .map(|item| {
                        let mut key = Map::new();
                        for field in &key_fields {
                            if let Some(v) = item.get(*field) {
                                key.insert((*field).to_string(), v.clone());
                            }
                        }
                        Value::Object(key)
                    })
                    .collect();
                for i in non_unique(keys.iter().map(canonical)) {
                    let msg = format!("Duplicate value: {}", go_value(&keys[i]));
                    self.push(&path.index(i), SchemaErrorKind::Duplicate, msg);
                }
            }
            _ => {}
        }
    }

    fn check_enum(&mut self, value: &Value, schema: &Value, path: &FieldPath) {
        let Some(allowed) = json::get(schema, "enum").and_then(Value::as_array) else {
            return;
        };
        if allowed.is_empty() || allowed.iter().any(|a| json_equal(a, value)) {
            return;
        }
        let supported: Vec<String> = allowed
            .iter()
            .map(|a| match a {
                Value::String(s) => go_quote(s),
                other => go_quote(&go_json(other)),
            })
            .collect();
        let msg = format!(
            "Unsupported value: {}: supported values: {}",
            go_value(value),
            supported.join(", ")
        );
        self.push(path, SchemaErrorKind::Enum, msg);
    }

    fn check_object(
        &mut self,
        map: &Map<String, Value>,
        schema: &Value,
        path: &mut FieldPath,
        depth: usize,
    ) {
        let size = map.len() as i64;
        if let Some(min) = int_of(schema, "minProperties")
            && size < min
        {
            let msg = format!(
                "Invalid value: {size}: {} in body should have at least {min} properties",
                openapi_name(path)
            );
            self.push(path, SchemaErrorKind::Properties, msg);
            return;
        }
        if let Some(max) = int_of(schema, "maxProperties")
            && size > max
        {
            let unit = if max == 1 { "item" } else { "items" };
            let msg = format!("Too many: {size}: must have at most {max} {unit}");
            self.push(path, SchemaErrorKind::Properties, msg);
            return;
        }

        let properties = json::get(schema, "properties").and_then(Value::as_object);
        let additional = json::get(schema, "additionalProperties");
        let additional_schema = additional.filter(|a| a.is_object());
        let open = flag(schema, "x-kubernetes-preserve-unknown-fields")
            || additional_schema.is_some()
            || additional == Some(&Value::Bool(true));
        let embedded = flag(schema, "x-kubernetes-embedded-resource");
        let root = path.is_root();

        for (key, child) in map {
            let prop = properties.and_then(|p| json::field(p, key));
            if root && key == "metadata" {
                // Validated as ObjectMeta by the metadata layer.
                if let Some(p) = prop {
                    path.push_key(key);
                    self.check_type(child, p, path);
                    path.pop();
                }
                continue;
            }
            match (prop, additional_schema) {
                (Some(p), _) => {
                    if child.is_null() && !flag(p, "nullable") {
                        continue; // pruned before validation
                    }
                    path.push_key(key);
                    self.node(child, p, path, depth + 1);
                    path.pop();
                }
                (None, Some(a)) => {
                    path.push_key(key);
                    self.node(child, a, path, depth + 1);
                    path.pop();
                }
                (None, None) => {
                    let allowed = open
                        || ((root || embedded)
                            && matches!(key.as_str(), "apiVersion" | "kind" | "metadata"));
                    if self.strict && !allowed {
                        let field = path.key(key.as_str());
                        let msg = format!("unknown field \"{}\"", openapi_name(&field));
                        self.push(&field, SchemaErrorKind::UnknownField, msg);
                    }
                }
            }
        }

        if let Some(required) = json::get(schema, "required").and_then(Value::as_array) {
            for key in required.iter().filter_map(Value::as_str) {
                let present = match json::field(map, key) {
                    None => false,
                    Some(Value::Null) => properties
                        .and_then(|p| json::field(p, key))
                        .is_some_and(|p| flag(p, "nullable")),
                    Some(_) => true,
                };
                if !present {
                    self.push(
                        &path.key(key),
                        SchemaErrorKind::Required,
                        "Required value".to_string(),
                    );
                }
            }
        }
    }
}

/// The dotted name the OpenAPI validator uses inside its messages (`spec.endpoints[0].port`,
/// map keys joined with a dot).
pub(crate) fn openapi_name(path: &FieldPath) -> String {
    let mut out = String::new();
    for segment in path.segments() {
        match segment {
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// Indices of the first repeated appearance of each value that occurs more than once.
fn non_unique(keys: impl Iterator<Item = String>) -> Vec<usize> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, key) in keys.enumerate() {
        let count = seen.entry(key).or_insert(0);
        *count += 1;
        if *count == 2 {
            out.push(i);
        }
    }
    out
}

fn first_duplicate(items: &[Value]) -> Option<usize> {
    non_unique(items.iter().map(canonical)).first().copied()
}

/// A string that is equal for equal JSON values (object keys sorted, numbers by value).
fn canonical(value: &Value) -> String {
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(f) if float_is_json_integer(f) && !(n.is_i64() || n.is_u64()) => format!("f{f}"),
            _ if n.is_i64() || n.is_u64() => format!("i{n}"),
            _ => format!("f{n}"),
        },
        other => go_json(other),
    }
}

fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// A bad value as Go's field errors print it: numbers and booleans plainly, strings quoted, other
/// values as JSON.
pub(crate) fn go_value(value: &Value) -> String {
    match value {
        Value::String(s) => go_quote(s),
        Value::Number(n) => {
            if n.is_i64() || n.is_u64() {
                n.to_string()
            } else {
                go_float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Value::Bool(b) => b.to_string(),
        other => go_json(other),
    }
}

/// Go's `%v` for a float64: the shortest representation, in exponent form when the decimal exponent
/// is below -4 or at least 6 (`%g`).
pub(crate) fn go_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let sci = format!("{f:e}"); // shortest digits, e.g. "1.5e6"
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    } else {
        format!("{f}")
    }
}

/// Go's `strconv.Quote`.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `json.Marshal` of an untyped value: object keys sorted, `<`, `>` and `&` escaped.
pub(crate) fn go_json(value: &Value) -> String {
    fn write(value: &Value, out: &mut String, depth: usize) {
        if depth > MAX_DEPTH {
            out.push_str("null");
            return;
        }
        match value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                out.push('{');
                for (i, k) in keys.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(&Value::String((*k).clone()), out, depth + 1);
                    out.push(':');
                    if let Some(v) = json::field(map, k) {
                        write(v, out, depth + 1);
                    }
                }
                out.push('}');
            }
            Value::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(v, out, depth + 1);
                }
                out.push(']');
            }
            Value::String(s) => {
                let quoted = serde_json::to_string(s).unwrap_or_default();
                out.push_str(
                    &quoted
                        .replace('<', "\\u003c")
                        .replace('>', "\\u003e")
                        .replace('&', "\\u0026"),
                );
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    write(value, &mut out, 0);
    out
}

/// Compiles a schema `pattern` with Go RE2 semantics (`\d`, `\w`, `\s` are ASCII-only), once per
/// process.
pub(crate) fn cached_regex(pattern: &str) -> Result<Arc<Regex>, String> {
    type Cache = Mutex<HashMap<String, Result<Arc<Regex>, String>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Ok(guard) = cache.lock()
        && let Some(hit) = guard.get(pattern)
    {
        return hit.clone();
    }
    let compiled = Regex::new(&ascii_perl_classes(pattern))
        .map(Arc::new)
        .map_err(|e| e.to_string());
    if let Ok(mut guard) = cache.lock() {
        guard.insert(pattern.to_string(), compiled.clone());
    }
    compiled
}

/// Rewrites `\d`, `\w`, `\s` (and negations) to the ASCII classes Go's regexp gives them.
fn ascii_perl_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        if c == '\\' {
            let Some(&next) = chars.peek() else {
                out.push(c);
                break;
            };
            chars.next();
            let inner = match next {
                'd' => Some(("0-9", false)),
                'w' => Some(("0-9A-Za-z_", false)),
                's' => Some(("\\t\\n\\f\\r ", false)),
                'D' => Some(("0-9", true)),
                'W' => Some(("0-9A-Za-z_", true)),
                'S' => Some(("\\t\\n\\f\\r ", true)),
                _ => None,
            };
            match inner {
                Some((set, false)) if in_class => out.push_str(set),
                Some((set, negated)) if !in_class => {
                    out.push_str(if negated { "[^" } else { "[" });
                    out.push_str(set);
                    out.push(']');
                }
                _ => {
                    out.push('\\');
                    out.push(next);
                }
            }
            continue;
        }
        if c == '[' && !in_class {
            in_class = true;
            out.push(c);
            // A `]` right after `[` or `[^` is a literal.
            if chars.peek() == Some(&'^') {
                out.push('^');
                chars.next();
            }
            if chars.peek() == Some(&']') {
                out.push(']');
                chars.next();
            }
            continue;
        }
        if c == ']' && in_class {
            in_class = false;
        }
        out.push(c);
    }
    out
}

/// The formats the API server checks with a pattern, each compiled on first use.
const FORMAT_PATTERNS: [(&str, &str); 12] = [
    (
        "datetime",
        r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?)?$",
    ),
    ("date", r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
    (
        "uuid",
        r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$",
    ),
    (
        "uuid3",
        r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$",
    ),
    (
        "uuid4",
        r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$",
    ),
    (
        "uuid5",
        r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$",
    ),
    ("hexcolor", r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"),
    (
        "rgbcolor",
        r"^rgb\(\s*([0-9]{1,3})\s*,\s*([0-9]{1,3})\s*,\s*([0-9]{1,3})\s*\)$",
    ),
    ("bsonobjectid", r"^[0-9a-fA-F]{24}$"),
    (
        "mac",
        r"^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$|^([0-9a-fA-F]{2}[:-]){7}[0-9a-fA-F]{2}$|^([0-9a-fA-F]{2}[:-]){19}[0-9a-fA-F]{2}$|^([0-9a-fA-F]{4}\.){2}[0-9a-fA-F]{4}$",
    ),
    (
        "hostname",
        r"^([a-zA-Z0-9]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?)*\.?$",
    ),
    (
        "duration",
        r"^(-?([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+$|^0$|^(([0-9]+)\s*([A-Za-zµ]+)\s*)+$",
    ),
];

fn format_pattern(name: &str) -> Option<&'static Regex> {
    static COMPILED: [OnceLock<Option<Regex>>; 12] = [const { OnceLock::new() }; 12];
    let index = FORMAT_PATTERNS.iter().position(|(n, _)| *n == name)?;
    COMPILED[index]
        .get_or_init(|| Regex::new(FORMAT_PATTERNS[index].1).ok())
        .as_ref()
}

/// The string formats the API server checks (others are ignored, as it strips them).
fn format_ok(format: &str, s: &str) -> bool {
    let normalized = format.to_ascii_lowercase().replace(['-', '_'], "");
    match normalized.as_str() {
        "byte" => {
            use base64::Engine;
            base64::engine::general_purpose::STANDARD.decode(s).is_ok()
        }
        "ipv4" => s.parse::<std::net::Ipv4Addr>().is_ok(),
        "ipv6" => s.parse::<std::net::IpAddr>().is_ok(),
        "cidr" => s.split_once('/').is_some_and(|(ip, bits)| {
            let bits: Option<u8> = bits.parse().ok();
            match ip.parse::<std::net::IpAddr>() {
                Ok(std::net::IpAddr::V4(_)) => bits.is_some_and(|b| b <= 32),
                Ok(std::net::IpAddr::V6(_)) => bits.is_some_and(|b| b <= 128),
                Err(_) => false,
            }
        }),
        "email" => s
            .rsplit_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty()),
        "uri" => s.contains(':') || s.starts_with('/'),
        "password" => true,
        "hostname" if s.len() > 255 => false,
        name => format_pattern(name).is_none_or(|re| re.is_match(s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_with_ascii_classes_and_say_why_they_do_not_compile() {
        let re = cached_regex(r"^(0|(([0-9]+)h)?(([0-9]+)m)?)$").expect("compiles");
        assert!(re.is_match("1h30m") && re.is_match("0") && !re.is_match("30s"));
        assert!(cached_regex(r"^\d+$").expect("compiles").is_match("42"));
        assert!(!cached_regex(r"^\d+$").expect("compiles").is_match("٤٢"));
        let why = cached_regex("a[").expect_err("an unclosed class");
        assert!(
            why.starts_with("regex parse error:") && why.ends_with("unclosed character class"),
            "{why}"
        );
    }

    #[test]
    fn formats_are_checked_by_their_own_pattern() {
        assert!(format_ok("date-time", "2026-12-03T12:00:00Z"));
        assert!(!format_ok("date-time", "yesterday"));
        assert!(format_ok("hexcolor", "#a0f"));
        assert!(!format_ok("hexcolor", "#a0"));
        assert!(format_ok("UUID", "0a1b2c3d-0000-4000-8000-00000000000f"));
        assert!(!format_ok("uuid4", "0a1b2c3d-0000-3000-8000-00000000000f"));
        assert!(format_ok("duration", "1h30m"));
        assert!(!format_ok("duration", "1 hour and a bit!"));
        assert!(format_ok("no-such-format", "anything"));
    }

    #[test]
    fn floats_print_as_go_prints_them() {
        assert_eq!(go_float(0.25), "0.25");
        assert_eq!(go_float(100000.0), "100000");
        assert_eq!(go_float(1_000_000.0), "1e+06");
        assert_eq!(go_float(1_234_567.5), "1.2345675e+06");
        assert_eq!(go_float(0.00001), "1e-05");
        assert_eq!(go_float(-2.5), "-2.5");
    }

    #[test]
    fn strings_quote_as_go_quotes_them() {
        assert_eq!(go_quote("a\"b\\c\n\t\u{1}é"), "\"a\\\"b\\\\c\\n\\t\\x01é\"");
    }

    #[test]
    fn json_is_marshalled_with_sorted_keys() {
        let v = serde_json::json!({"b": 1, "a": ["<x>", null]});
        assert_eq!(go_json(&v), r#"{"a":["\u003cx\u003e",null],"b":1}"#);
    }

    #[test]
    fn perl_classes_are_ascii() {
        assert_eq!(
            ascii_perl_classes(r"^\d+[\w-]\S$"),
            r"^[0-9]+[0-9A-Za-z_-][^\t\n\f\r ]$"
        );
        assert_eq!(ascii_perl_classes(r"\\d[]\d]"), r"\\d[]0-9]");
    }
}
