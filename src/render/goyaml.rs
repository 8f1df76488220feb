//! A YAML writer that reproduces, byte for byte, what gopkg.in/yaml.v2 (v2.4.0) prints for an ordered tree.
//!
//! The operator serialises `prometheus.yml` (and Kubernetes objects) with go-yaml v2, so every choice here
//! follows that library: block style with 2-space indentation, sequences not indented under their map key,
//! empty collections in flow style (`[]`, `{}`), the YAML 1.1 resolution rules that decide whether a string
//! must be double-quoted, the scalar analysis that turns a plain string into a single-quoted one, literal
//! block style (`|-`) for multi-line strings, line folding of long scalars at column 80, and Go's
//! `strconv.FormatFloat(f, 'g', -1, 64)` for floats.

use crate::diag::Span;
use crate::load::yaml::{self, Key, Node, NodeValue};
use std::ops::Range;
use std::sync::Arc;

/// An ordered YAML tree. Map keys keep their insertion order (like go-yaml's `MapSlice`); a Go map
/// (sorted by key when encoded) is built with [`Yaml::sorted_map`].
#[derive(Clone, Debug, PartialEq)]
pub enum Yaml {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Yaml>),
    Map(Vec<(MapKey, Yaml)>),
}

/// A mapping key: most are the renderer's own words, which need no allocation.
pub type MapKey = std::borrow::Cow<'static, str>;

impl Yaml {
    pub fn str(s: impl Into<String>) -> Yaml {
        Yaml::Str(s.into())
    }

    /// A sequence of strings.
    pub fn strs<I, S>(items: I) -> Yaml
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Yaml::Seq(items.into_iter().map(|s| Yaml::Str(s.into())).collect())
    }

    /// An empty ordered map, to be filled with [`Yaml::push`].
    pub fn map() -> Yaml {
        Yaml::Map(Vec::new())
    }

    /// A map whose entries are sorted by key, as go-yaml does when it encodes a Go `map`.
    pub fn sorted_map(mut entries: Vec<(String, Yaml)>) -> Yaml {
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        Yaml::Map(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// Appends `key: value` to a map (no effect on other kinds).
    pub fn push(&mut self, key: impl Into<MapKey>, value: Yaml) {
        if let Yaml::Map(entries) = self {
            entries.push((key.into(), value));
        }
    }

    /// Builder form of [`Yaml::push`].
    pub fn with(mut self, key: impl Into<MapKey>, value: Yaml) -> Yaml {
        self.push(key, value);
        self
    }

    /// The value of the first entry named `key`, when `self` is a map.
    pub fn get(&self, key: &str) -> Option<&Yaml> {
        match self {
            Yaml::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Converts JSON (objects keep their order) to a tree: integers stay integers, other numbers
    /// become floats.
    pub fn from_json(value: &serde_json::Value) -> Yaml {
        match value {
            serde_json::Value::Null => Yaml::Null,
            serde_json::Value::Bool(b) => Yaml::Bool(*b),
            serde_json::Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Yaml::Int(i)
                } else if let Some(u) = n.as_u64() {
                    Yaml::Float(u as f64)
                } else {
                    Yaml::Float(n.as_f64().unwrap_or(0.0))
                }
            }
            serde_json::Value::String(s) => Yaml::Str(s.clone()),
            serde_json::Value::Array(items) => {
                Yaml::Seq(items.iter().map(Yaml::from_json).collect())
            }
            serde_json::Value::Object(map) => Yaml::Map(
                map.iter()
                    .map(|(k, v)| (k.clone().into(), Yaml::from_json(v)))
                    .collect(),
            ),
        }
    }

    pub fn is_empty_collection(&self) -> bool {
        matches!(self, Yaml::Seq(v) if v.is_empty()) || matches!(self, Yaml::Map(v) if v.is_empty())
    }
}

impl From<&str> for Yaml {
    fn from(s: &str) -> Self {
        Yaml::Str(s.to_string())
    }
}

impl From<String> for Yaml {
    fn from(s: String) -> Self {
        Yaml::Str(s)
    }
}

impl From<bool> for Yaml {
    fn from(b: bool) -> Self {
        Yaml::Bool(b)
    }
}

impl From<i64> for Yaml {
    fn from(n: i64) -> Self {
        Yaml::Int(n)
    }
}

impl From<i32> for Yaml {
    fn from(n: i32) -> Self {
        Yaml::Int(n.into())
    }
}

impl From<u32> for Yaml {
    fn from(n: u32) -> Self {
        Yaml::Int(n.into())
    }
}

impl From<u64> for Yaml {
    fn from(n: u64) -> Self {
        Yaml::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<f64> for Yaml {
    fn from(f: f64) -> Self {
        Yaml::Float(f)
    }
}

/// Prints `doc` as go-yaml v2's `yaml.Marshal` would.
pub fn to_string(doc: &Yaml) -> String {
    let mut e = Emitter::new();
    e.node(doc, Context::Root);
    // Document end: go-yaml writes an indentation (a line break) after the root node.
    e.write_indent();
    e.out
}

/// Where one node of a tree was written: its byte range in the text, and whether it is a plain
/// scalar (which a reader resolves: `true`, `12`, `null`). Eight bytes, as a large configuration
/// has millions of nodes: the top bit of `end` is the plain flag.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Written {
    start: u32,
    end: u32,
}

const PLAIN: u32 = 1 << 31;

impl Written {
    pub fn span(&self) -> Span {
        Span::new(self.start as usize, (self.end & !PLAIN) as usize)
    }

    pub fn plain(&self) -> bool {
        self.end & PLAIN != 0
    }

    fn set_end(&mut self, end: u32) {
        self.end = (self.end & PLAIN) | (end & !PLAIN);
    }

    /// The same node in a text that has `by` more bytes before it.
    fn shifted(self, by: u32) -> Written {
        let moved = |at: u32| (at & !PLAIN).saturating_add(by).min(!PLAIN);
        Written {
            start: moved(self.start),
            end: (self.end & PLAIN) | moved(self.end),
        }
    }

    fn set_plain(&mut self, plain: bool) {
        self.end = if plain {
            self.end | PLAIN
        } else {
            self.end & !PLAIN
        };
    }
}

/// [`to_string`], with where each node was written, in the order of the text (each key before its
/// value), when a reader gives each node that span. [`WrittenTree`] turns the tree and these into
/// what a YAML reader reads from the text.
pub fn to_string_with_spans(doc: &Yaml) -> (String, Option<Vec<Written>>) {
    write_with_spans(doc, Emitter::new())
}

fn write_with_spans(doc: &Yaml, mut e: Emitter) -> (String, Option<Vec<Written>>) {
    // Sized once: the list of a large configuration is tens of megabytes.
    e.log = Some(SpanLog {
        written: Vec::with_capacity(node_count(doc)),
        ..SpanLog::default()
    });
    e.node(doc, Context::Root);
    e.write_indent();
    let mut log = e.log.take().unwrap_or_default();
    let end = e.out.len();
    let Some(end) = u32::try_from(end).ok().filter(|&end| end < PLAIN) else {
        return (e.out, None);
    };
    for i in log.ends.drain(..) {
        log.written[i].set_end(end);
    }
    let written = (!log.unreadable).then_some(log.written);
    (e.out, written)
}

/// The tree that [`crate::load::yaml::parse`] reads from the text [`to_string_with_spans`] wrote
/// for `doc`, built from `doc` itself: plain scalars resolved as the reader resolves them, spans
/// as the reader gives them. `None` when the text would not read back as the same tree: a mapping
/// with a repeated key.
fn read_back(doc: Yaml, written: &[Written]) -> Option<Node> {
    read_all(doc, written.iter())
}

fn read_all<'w>(doc: Yaml, mut written: impl Iterator<Item = &'w Written>) -> Option<Node> {
    let node = read_node(doc, &mut written)?;
    written.next().is_none().then_some(node)
}

/// A tree with where each of its nodes was written, to be read back whole or in parts: a
/// configuration's scrape jobs one by one, each dropped once checked.
#[derive(Clone, Debug)]
pub struct WrittenTree {
    doc: Yaml,
    /// Where the nodes of the whole tree were written, shared by its parts.
    written: Arc<Vec<Written>>,
    /// This part's nodes in `written`.
    range: Range<usize>,
}

impl WrittenTree {
    /// `doc` and where [`to_string_with_spans`] wrote its nodes.
    pub fn new(doc: Yaml, written: Vec<Written>) -> Self {
        let range = 0..written.len();
        WrittenTree {
            doc,
            written: Arc::new(written),
            range,
        }
    }

    pub fn read_back(self) -> Option<Node> {
        read_back(self.doc, self.written.get(self.range)?)
    }

    /// Whether the root is a mapping with a non-empty sequence under `key`.
    pub fn has_items(&self, key: &str) -> bool {
        matches!(self.doc.get(key), Some(Yaml::Seq(items)) if !items.is_empty())
    }

    /// The root mapping read back with the sequence under `key` emptied, and that sequence's
    /// items, each to be read back on its own. `None` when the root has no such non-empty
    /// sequence, or reads back differently.
    pub fn split(mut self, key: &str) -> Option<(Node, Vec<WrittenTree>)> {
        let Yaml::Map(entries) = &mut self.doc else {
            return None;
        };
        // The root, then each entry's key and value, in the order they were written.
        let mut at = self.range.start + 1;
        let mut items = None;
        for (name, value) in entries.iter_mut() {
            at += 1;
            if name == key
                && let Yaml::Seq(seq) = value
                && !seq.is_empty()
            {
                items = Some(std::mem::take(seq));
                break;
            }
            at += node_count(value);
        }
        let items = items?;
        let first = at + 1;
        let mut parts = Vec::with_capacity(items.len());
        let mut next = first;
        for item in items {
            let count = node_count(&item);
            parts.push(WrittenTree {
                doc: item,
                written: self.written.clone(),
                range: next..next + count,
            });
            next += count;
        }
        let before = self.written.get(self.range.start..first)?;
        let after = self.written.get(next..self.range.end)?;
        let head = read_all(self.doc, before.iter().chain(after))?;
        Some((head, parts))
    }
}

/// A text offset as [`Written`] holds it (a text of 2 GiB or more has no spans: see
/// [`to_string_with_spans`]).
fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX) & !PLAIN
}

/// The nodes of a tree, mapping keys included.
fn node_count(doc: &Yaml) -> usize {
    match doc {
        Yaml::Seq(items) => 1 + items.iter().map(node_count).sum::<usize>(),
        Yaml::Map(entries) => {
            1 + entries
                .iter()
                .map(|(_, v)| 1 + node_count(v))
                .sum::<usize>()
        }
        _ => 1,
    }
}

fn read_node<'w>(doc: Yaml, written: &mut impl Iterator<Item = &'w Written>) -> Option<Node> {
    let at = *written.next()?;
    let value = match doc {
        Yaml::Null => NodeValue::Null,
        Yaml::Bool(b) => NodeValue::Bool(b),
        Yaml::Int(n) => NodeValue::Int(n),
        Yaml::Float(f) => yaml::resolve_plain(&format_float(f)),
        Yaml::Str(s) if at.plain() => yaml::resolve_non_string(&s).unwrap_or(NodeValue::Str(s)),
        Yaml::Str(s) => NodeValue::Str(s),
        Yaml::Seq(items) => NodeValue::Seq(
            items
                .into_iter()
                .map(|item| read_node(item, written))
                .collect::<Option<_>>()?,
        ),
        Yaml::Map(entries) => {
            let mut out = Vec::with_capacity(entries.len());
            for (name, value) in entries {
                let key = *written.next()?;
                let name = match key
                    .plain()
                    .then(|| yaml::resolve_non_string(&name))
                    .flatten()
                {
                    Some(resolved) => yaml::key_string(&Node {
                        value: resolved,
                        span: key.span(),
                    }),
                    None => name.into_owned(),
                };
                let value = read_node(value, written)?;
                out.push((
                    Key {
                        name,
                        span: key.span(),
                    },
                    value,
                ));
            }
            if has_repeated_key(&out) {
                return None;
            }
            NodeValue::Map(out)
        }
    };
    Some(Node {
        value,
        span: at.span(),
    })
}

fn has_repeated_key(entries: &[(Key, Node)]) -> bool {
    if entries.len() <= 16 {
        return entries
            .iter()
            .enumerate()
            .any(|(i, (k, _))| entries[..i].iter().any(|(e, _)| e.name == k.name));
    }
    let mut seen = std::collections::HashSet::with_capacity(entries.len());
    !entries.iter().all(|(k, _)| seen.insert(k.name.as_str()))
}

/// Formats a float as Go's `strconv.FormatFloat(f, 'g', -1, 64)`, with go-yaml's spellings of
/// infinities and NaN.
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.to_string();
    }
    go_format_g(f)
}

/// `strconv.FormatFloat(f, 'g', -1, 64)` for finite values.
pub fn go_format_g(f: f64) -> String {
    let neg = f.is_sign_negative();
    let sign = if neg { "-" } else { "" };
    if f == 0.0 {
        return format!("{sign}0");
    }
    // Rust's `{:e}` prints the shortest digits that round-trip, as Go's shortest mode does.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let nd = digits.len() as i32;
    let dp = exp + 1; // value = 0.<digits> * 10^dp
    let x = dp - 1;
    // Go switches to the exponent form below 1e-4 and from 1e6 on (precision 6 in shortest mode).
    if !(-4..6).contains(&x) {
        // %e form: d.ddde±XX
        let mut s = String::from(sign);
        s.push_str(&digits[..1]);
        if nd > 1 {
            s.push('.');
            s.push_str(&digits[1..]);
        }
        s.push('e');
        s.push(if x < 0 { '-' } else { '+' });
        let ax = x.abs();
        if ax < 10 {
            s.push('0');
        }
        s.push_str(&ax.to_string());
        return s;
    }
    // %f form with exactly the digits needed.
    let mut s = String::from(sign);
    if dp <= 0 {
        s.push_str("0.");
        for _ in 0..(-dp) {
            s.push('0');
        }
        s.push_str(&digits);
    } else if dp >= nd {
        s.push_str(&digits);
        for _ in 0..(dp - nd) {
            s.push('0');
        }
    } else {
        s.push_str(&digits[..dp as usize]);
        s.push('.');
        s.push_str(&digits[dp as usize..]);
    }
    s
}

/// Whether go-yaml's resolver would read the plain scalar `s` as something other than a string
/// (YAML 1.1 booleans, null, numbers, timestamps, `<<`), or as a base-60 float; such strings are
/// double-quoted.
pub fn needs_double_quotes(s: &str) -> bool {
    resolves_to_non_string(s) || is_base60_float(s)
}

fn resolves_to_non_string(s: &str) -> bool {
    let Some(&first) = s.as_bytes().first() else {
        return true; // "" resolves to null
    };
    let hint = match first {
        b'+' | b'-' => 'S',
        b'0'..=b'9' => 'D',
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => 'M',
        b'.' => '.',
        b'<' => 'M', // only "<<" is in the table
        _ => return false,
    };
    if in_resolve_table(s) {
        return true;
    }
    match hint {
        'M' => false,
        '.' => parse_go_float(s),
        _ => {
            if is_timestamp(s) {
                return true;
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if parse_go_int(&plain) {
                return true;
            }
            if is_yaml_style_float(&plain) && parse_go_float(&plain) {
                return true;
            }
            if let Some(rest) = plain.strip_prefix("0b") {
                return !rest.is_empty() && rest.bytes().all(|b| b == b'0' || b == b'1');
            }
            if let Some(rest) = plain.strip_prefix("-0b") {
                return !rest.is_empty() && rest.bytes().all(|b| b == b'0' || b == b'1');
            }
            false
        }
    }
}

fn in_resolve_table(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "true"
            | "True"
            | "TRUE"
            | "on"
            | "On"
            | "ON"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "false"
            | "False"
            | "FALSE"
            | "off"
            | "Off"
            | "OFF"
            | "~"
            | "null"
            | "Null"
            | "NULL"
            | ".nan"
            | ".NaN"
            | ".NAN"
            | ".inf"
            | ".Inf"
            | ".INF"
            | "+.inf"
            | "+.Inf"
            | "+.INF"
            | "-.inf"
            | "-.Inf"
            | "-.INF"
            | "<<"
    )
}

/// Go's `strconv.ParseInt(s, 0, 64)` or `ParseUint(s, 0, 64)` success (base prefixes 0x, 0o, 0b, 0;
/// underscores were already removed by the caller).
fn parse_go_int(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() {
        return false;
    }
    let (digits, radix) =
        if let Some(r) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (r, 16)
        } else if let Some(r) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (r, 2)
        } else if let Some(r) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
            (r, 8)
        } else if body.len() > 1 && body.starts_with('0') {
            (&body[1..], 8)
        } else {
            (body, 10)
        };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return false;
    }
    // Values that overflow 64 bits fail in Go; signed overflow may still parse as unsigned.
    match u128::from_str_radix(digits, radix) {
        Ok(v) => {
            if s.starts_with('-') {
                v <= 1u128 << 63
            } else {
                v <= u64::MAX as u128
            }
        }
        Err(_) => false,
    }
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `strconv.ParseFloat(s, 64)` success (decimal, hex floats, inf/nan words, underscores only
/// between digits with a base prefix — approximated by the decimal and special forms YAML can meet).
fn parse_go_float(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity" | "nan") {
        return true;
    }
    if let Some(hex) = lower.strip_prefix("0x") {
        return parse_hex_float(hex);
    }
    if body.contains('_') {
        return false;
    }
    // Out-of-range values are an error in Go but still "parse" as far as resolution goes only when
    // err == nil, so a finite result is required.
    is_yaml_style_float(body) && body.parse::<f64>().map(|f| f.is_finite()).unwrap_or(false)
}

fn parse_hex_float(s: &str) -> bool {
    // mantissa hex digits with optional '.', mandatory 'p' exponent
    let Some((mant, exp)) = s.split_once('p') else {
        return false;
    };
    let mant_ok = !mant.is_empty()
        && mant.chars().filter(|&c| c == '.').count() <= 1
        && mant.chars().any(|c| c.is_ascii_hexdigit())
        && mant.chars().all(|c| c.is_ascii_hexdigit() || c == '.');
    let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
    mant_ok && !exp.is_empty() && exp.chars().all(|c| c.is_ascii_digit())
}

/// go-yaml's timestamp check: `YYYY-` followed by one of the layouts `2006-1-2T15:4:5.999999999Z07:00`,
/// the same with a lower-case `t`, `2006-1-2 15:4:5.999999999`, or `2006-1-2`.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let year = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if year != 4 || b.len() == 4 || b[4] != b'-' {
        return false;
    }
    let rest = &s[5..];
    // date: month (1-2 digits) '-' day (1-2 digits)
    let Some((month, rest)) = take_num(rest, 1, 2) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix('-') else {
        return false;
    };
    let Some((day, rest)) = take_num(rest, 1, 2) else {
        return false;
    };
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(&s[..4], month) {
        return false;
    }
    if rest.is_empty() {
        return true;
    }
    let (sep, time) = rest.split_at(1);
    match sep {
        "T" | "t" => parse_clock(time, true),
        " " => parse_clock(time, false),
        _ => false,
    }
}

fn days_in_month(year: &str, month: u32) -> u32 {
    let y: u32 = year.parse().unwrap_or(0);
    match month {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn take_num(s: &str, min: usize, max: usize) -> Option<(u32, &str)> {
    let n = s
        .bytes()
        .take(max)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if n < min {
        return None;
    }
    Some((s[..n].parse().ok()?, &s[n..]))
}

/// `15:4:5` with optional `.fraction`, then (with_zone) `Z` or `±07:00`.
fn parse_clock(s: &str, with_zone: bool) -> bool {
    let Some((h, rest)) = take_num(s, 1, 2) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(':') else {
        return false;
    };
    let Some((m, rest)) = take_num(rest, 1, 2) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(':') else {
        return false;
    };
    let Some((sec, mut rest)) = take_num(rest, 1, 2) else {
        return false;
    };
    if h > 23 || m > 59 || sec > 59 {
        return false;
    }
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    if !with_zone {
        return rest.is_empty();
    }
    if rest == "Z" {
        return true;
    }
    let Some(zone) = rest.strip_prefix(['+', '-']) else {
        return false;
    };
    let zb = zone.as_bytes();
    zb.len() == 5
        && zb[0].is_ascii_digit()
        && zb[1].is_ascii_digit()
        && zb[2] == b':'
        && zb[3].is_ascii_digit()
        && zb[4].is_ascii_digit()
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&c) = b.first() else {
        return false;
    };
    if !(c == b'+' || c == b'-' || c.is_ascii_digit()) || !s.contains(':') {
        return false;
    }
    let mut i = 0;
    if b[i] == b'+' || b[i] == b'-' {
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        // [0-5]?[0-9]
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() && i - start < 2 {
            i += 1;
        }
        match i - start {
            0 => return false,
            1 => {}
            _ => {
                if b[start] > b'5' {
                    // regex backtracks to a single digit, then the next char must be ':' / '.' / end
                    i = start + 1;
                }
            }
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Root,
    Sequence,
    /// A mapping value (or a non-simple key).
    Mapping,
    SimpleKey,
}

/// What go-yaml's scalar analysis concludes about a string.
#[derive(Debug, PartialEq)]
struct Analysis {
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn char_width(b: u8) -> usize {
    if b & 0x80 == 0 {
        1
    } else if b & 0xE0 == 0xC0 {
        2
    } else if b & 0xF0 == 0xE0 {
        3
    } else if b & 0xF8 == 0xF0 {
        4
    } else {
        1
    }
}

fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

fn is_printable(b: &[u8], i: usize) -> bool {
    let c = at(b, i);
    let c1 = at(b, i + 1);
    let c2 = at(b, i + 2);
    c == 0x0A
        || (0x20..=0x7E).contains(&c)
        || (c == 0xC2 && c1 >= 0xA0)
        || (c > 0xC2 && c < 0xED)
        || (c == 0xED && c1 < 0xA0)
        || c == 0xEE
        || (c == 0xEF && !(c1 == 0xBB && c2 == 0xBF) && !(c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF)))
}

fn is_space(b: &[u8], i: usize) -> bool {
    at(b, i) == b' '
}

fn is_blank(b: &[u8], i: usize) -> bool {
    matches!(at(b, i), b' ' | b'\t')
}

fn is_break(b: &[u8], i: usize) -> bool {
    let c = at(b, i);
    c == b'\r'
        || c == b'\n'
        || (c == 0xC2 && at(b, i + 1) == 0x85)
        || (c == 0xE2 && at(b, i + 1) == 0x80 && (at(b, i + 2) == 0xA8 || at(b, i + 2) == 0xA9))
}

fn is_blankz(b: &[u8], i: usize) -> bool {
    is_blank(b, i) || is_break(b, i) || i >= b.len() || b[i] == 0
}

/// The analysis of a word that needs no look at its characters' neighbours: it starts with a
/// letter, a digit, `_` or `/`, and goes on with printable ASCII other than a space and the flow
/// and comment indicators. Most scalars of a configuration (names, durations, label names, paths)
/// are such words, and every style allows them.
fn analyze(value: &str) -> Analysis {
    let plain_word = value.as_bytes().split_first().is_some_and(|(first, rest)| {
        (first.is_ascii_alphanumeric() || matches!(first, b'_' | b'/'))
            && rest.iter().all(|&c| {
                c.is_ascii_graphic()
                    && !matches!(c, b',' | b'?' | b'[' | b']' | b'{' | b'}' | b':' | b'#')
            })
    });
    if plain_word {
        return Analysis {
            multiline: false,
            flow_plain_allowed: true,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: true,
        };
    }
    analyze_each_character(value)
}

fn analyze_each_character(value: &str) -> Analysis {
    let b = value.as_bytes();
    if b.is_empty() {
        return Analysis {
            multiline: false,
            flow_plain_allowed: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = false;
    let mut flow_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut previous_space = false;
    let mut previous_break = false;

    if value.starts_with("---") || value.starts_with("...") {
        block_indicators = true;
        flow_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    let mut i = 0;
    while i < b.len() {
        let w = char_width(b[i]);
        let followed_by_whitespace = i + w >= b.len() || is_blank(b, i + w);
        if i == 0 {
            match b[i] {
                b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>'
                | b'\'' | b'"' | b'%' | b'@' | b'`' => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                b'?' | b':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                b'-' if followed_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        } else {
            match b[i] {
                b',' | b'?' | b'[' | b']' | b'{' | b'}' => flow_indicators = true,
                b':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                b'#' if preceded_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        }
        if !is_printable(b, i) {
            special_characters = true;
        }
        if is_space(b, i) {
            if i == 0 {
                leading_space = true;
            }
            if i + w == b.len() {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(b, i) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + w == b.len() {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blankz(b, i);
        i += w;
    }
    let mut a = Analysis {
        multiline: line_breaks,
        flow_plain_allowed: true,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if flow_indicators {
        a.flow_plain_allowed = false;
    }
    if block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

/// Whether go-yaml writes `key` as a simple key (`key: value`) rather than after `? `: at most
/// 128 bytes, on one line. Most keys hold no byte that can start a line break (0xC2 and 0xE2 lead
/// NEL, LS and PS), and need no analysis.
fn is_simple_key(key: &str) -> bool {
    key.len() <= 128
        && (!key
            .bytes()
            .any(|b| matches!(b, b'\n' | b'\r' | 0xC2 | 0xE2))
            || !analyze(key).multiline)
}

const BEST_INDENT: i32 = 2;
const BEST_WIDTH: i32 = 80;

/// The libyaml emitter state that matters for block output.
struct Emitter {
    out: String,
    column: i32,
    indent: i32,
    indents: Vec<i32>,
    whitespace: bool,
    indention: bool,
    flow_level: u32,
    /// Where each node goes, when asked for.
    log: Option<SpanLog>,
    /// Where the content of the last literal scalar starts.
    literal_content: Option<usize>,
    /// The items of the first long block sequence are written on every core.
    parallel: bool,
}

/// A block sequence of at least this many items is written on every core when the emitter is
/// [`Emitter::parallel`]: a configuration's scrape jobs.
const PARALLEL_ITEMS: usize = 64;

/// Items written apart at a time: bounds the text and spans held before they are joined.
const PARALLEL_BATCH: usize = 512;

/// The spans of the nodes written so far. A node starts at its first token; a block collection
/// ends where the next token starts (or at the end of the text), as a reader's spans do.
#[derive(Default)]
struct SpanLog {
    written: Vec<Written>,
    /// Nodes whose first token is still to come.
    starts: Vec<usize>,
    /// Block collections that end at the next token.
    ends: Vec<usize>,
    /// A node was written whose span a reader gives differently.
    unreadable: bool,
}

impl Emitter {
    fn new() -> Self {
        Emitter {
            out: String::new(),
            column: 0,
            indent: -1,
            indents: Vec::new(),
            whitespace: true,
            indention: true,
            flow_level: 0,
            log: None,
            literal_content: None,
            parallel: true,
        }
    }

    /// Each of `items` (of the block sequence being written) written on its own, as if it came
    /// after an item that ended on a line of its own content.
    fn items_apart(&self, items: &[Yaml]) -> Vec<Emitter> {
        use rayon::prelude::*;
        items
            .par_iter()
            .map(|item| {
                let mut e = Emitter {
                    column: self.indent.max(0) + 1,
                    indent: self.indent,
                    indents: self.indents.clone(),
                    whitespace: false,
                    indention: false,
                    log: self.log.as_ref().map(|_| SpanLog {
                        written: Vec::with_capacity(node_count(item)),
                        ..SpanLog::default()
                    }),
                    parallel: false,
                    ..Emitter::new()
                };
                e.sequence_item(item);
                e
            })
            .collect()
    }

    /// Whether the next item starts on a new line, as in [`Emitter::items_apart`].
    fn breaks_before_item(&self) -> bool {
        let indent = self.indent.max(0);
        !self.indention || self.column > indent || (self.column == indent && !self.whitespace)
    }

    /// Appends an item written by [`Emitter::items_apart`].
    fn join(&mut self, item: Emitter) {
        let base = self.out.len();
        if let (Some(log), Some(part)) = (&mut self.log, item.log) {
            // The item's first token is its `-`, after the line break and the indentation.
            let dash = item.out.find('-').unwrap_or(0);
            let at = offset(base + dash);
            for i in log.starts.drain(..) {
                log.written[i].start = at;
            }
            for i in log.ends.drain(..) {
                log.written[i].set_end(at);
            }
            let first = log.written.len();
            let by = offset(base);
            log.written
                .extend(part.written.iter().map(|w| w.shifted(by)));
            log.starts.extend(part.starts.iter().map(|i| first + i));
            log.ends.extend(part.ends.iter().map(|i| first + i));
            log.unreadable |= part.unreadable || base >= PLAIN as usize;
        }
        self.out.push_str(&item.out);
        self.column = item.column;
        self.whitespace = item.whitespace;
        self.indention = item.indention;
        self.literal_content = item.literal_content.map(|at| base + at);
    }

    fn sequence_item(&mut self, item: &Yaml) {
        self.write_indent();
        self.write_indicator("-", true, false, true);
        self.node(item, Context::Sequence);
    }

    /// A node begins: its span is filled in as its tokens are written.
    fn open(&mut self) -> usize {
        let Some(log) = &mut self.log else {
            return 0;
        };
        log.written.push(Written::default());
        log.starts.push(log.written.len() - 1);
        log.written.len() - 1
    }

    /// A token starts at the end of the text so far.
    fn token(&mut self) {
        let Some(log) = &mut self.log else {
            return;
        };
        let at = offset(self.out.len());
        for i in log.starts.drain(..) {
            log.written[i].start = at;
        }
        for i in log.ends.drain(..) {
            log.written[i].set_end(at);
        }
    }

    /// The node ends here (`plain`: it is a plain scalar).
    fn close(&mut self, node: usize, plain: bool) {
        if let Some(log) = &mut self.log {
            log.written[node].set_end(offset(self.out.len()));
            log.written[node].set_plain(plain);
        }
    }

    /// The block collection ends where the next token starts.
    fn close_at_next_token(&mut self, node: usize) {
        if let Some(log) = &mut self.log {
            log.ends.push(node);
        }
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    /// Copies the character at `b[*i]` and advances.
    fn write(&mut self, b: &[u8], i: &mut usize) {
        let w = char_width(b[*i]).min(b.len() - *i);
        // `b` comes from a `&str` and `*i` is always on a character boundary.
        self.out
            .push_str(std::str::from_utf8(&b[*i..*i + w]).unwrap_or("\u{FFFD}"));
        self.column += 1;
        *i += w;
    }

    fn write_str(&mut self, s: &str) {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            self.write(b, &mut i);
        }
    }

    fn write_break(&mut self, b: &[u8], i: &mut usize) {
        if b[*i] == b'\n' {
            self.put_break();
            *i += 1;
        } else {
            self.write(b, i);
            self.column = 0;
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        self.token();
        self.write_str(indicator);
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    fn node(&mut self, node: &Yaml, ctx: Context) {
        let id = self.open();
        match node {
            Yaml::Null => self.plain_scalar(id, "null", ctx),
            Yaml::Bool(b) => self.plain_scalar(id, if *b { "true" } else { "false" }, ctx),
            Yaml::Int(n) => self.plain_scalar(id, &n.to_string(), ctx),
            Yaml::Float(f) => self.plain_scalar(id, &format_float(*f), ctx),
            Yaml::Str(s) => self.string(id, s, ctx),
            Yaml::Seq(items) => {
                if items.is_empty() || self.flow_level > 0 {
                    self.flow_sequence(items);
                    self.close(id, false);
                } else {
                    self.block_sequence(items, ctx, id);
                    self.close_at_next_token(id);
                }
            }
            Yaml::Map(entries) => {
                if entries.is_empty() || self.flow_level > 0 {
                    self.flow_mapping(entries);
                    self.close(id, false);
                } else {
                    self.block_mapping(entries);
                    self.close_at_next_token(id);
                }
            }
        }
    }

    fn plain_scalar(&mut self, id: usize, value: &str, ctx: Context) {
        let style = self.scalar(value, Style::Plain, ctx);
        self.close(id, style == Style::Plain);
    }

    fn key(&mut self, key: &str, ctx: Context) {
        let id = self.open();
        self.string(id, key, ctx);
    }

    /// A string node: a mapping key, or a value.
    fn string(&mut self, id: usize, s: &str, ctx: Context) {
        let style = if s.contains('\n') {
            Style::Literal
        } else if needs_double_quotes(s) {
            Style::Double
        } else {
            Style::Plain
        };
        let style = self.scalar(s, style, ctx);
        self.close(id, style == Style::Plain);
        if style == Style::Literal {
            self.literal_span(id);
        }
    }

    /// A reader's span of a literal scalar: from its first character of content to where the next
    /// token starts. A value of line breaks only has no such span.
    fn literal_span(&mut self, id: usize) {
        let content = self.literal_content.take();
        if let Some(log) = &mut self.log {
            match content {
                Some(start) => {
                    log.written[id].start = offset(start);
                    log.ends.push(id);
                }
                None => log.unreadable = true,
            }
        }
    }

    fn block_sequence(&mut self, items: &[Yaml], ctx: Context, id: usize) {
        let indentless = ctx == Context::Mapping && !self.indention;
        self.increase_indent(false, indentless);
        // A reader starts an indentless sequence at its first item, not at the `-` before it.
        let deferred = indentless && self.log.as_mut().is_some_and(|l| l.starts.pop().is_some());
        let Some((first, rest)) = items.split_first() else {
            self.pop_indent();
            return;
        };
        self.write_indent();
        self.write_indicator("-", true, false, true);
        if deferred && let Some(log) = &mut self.log {
            log.starts.push(id);
        }
        self.node(first, Context::Sequence);
        if self.parallel && items.len() >= PARALLEL_ITEMS && self.flow_level == 0 {
            self.parallel = false;
            for batch in rest.chunks(PARALLEL_BATCH) {
                for (item, apart) in batch.iter().zip(self.items_apart(batch)) {
                    // An item after one that did not end its line is written here.
                    if self.breaks_before_item() {
                        self.join(apart);
                    } else {
                        self.sequence_item(item);
                    }
                }
            }
        } else {
            for item in rest {
                self.sequence_item(item);
            }
        }
        self.pop_indent();
    }

    fn block_mapping(&mut self, entries: &[(MapKey, Yaml)]) {
        self.increase_indent(false, false);
        for (key, value) in entries {
            self.write_indent();
            if is_simple_key(key) {
                self.key(key, Context::SimpleKey);
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.key(key, Context::Mapping);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.node(value, Context::Mapping);
        }
        self.pop_indent();
    }

    fn flow_sequence(&mut self, items: &[Yaml]) {
        self.write_indicator("[", true, true, false);
        self.increase_indent(true, false);
        self.flow_level += 1;
        for (n, item) in items.iter().enumerate() {
            if n > 0 {
                self.write_indicator(",", false, false, false);
            }
            if self.column > BEST_WIDTH {
                self.write_indent();
            }
            self.node(item, Context::Sequence);
        }
        self.flow_level -= 1;
        self.pop_indent();
        self.write_indicator("]", false, false, false);
    }

    fn flow_mapping(&mut self, entries: &[(MapKey, Yaml)]) {
        self.write_indicator("{", true, true, false);
        self.increase_indent(true, false);
        self.flow_level += 1;
        for (n, (key, value)) in entries.iter().enumerate() {
            if n > 0 {
                self.write_indicator(",", false, false, false);
            }
            if self.column > BEST_WIDTH {
                self.write_indent();
            }
            if is_simple_key(key) {
                self.key(key, Context::SimpleKey);
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, false);
                self.key(key, Context::Mapping);
                if self.column > BEST_WIDTH {
                    self.write_indent();
                }
                self.write_indicator(":", true, false, false);
            }
            self.node(value, Context::Mapping);
        }
        self.flow_level -= 1;
        self.pop_indent();
        self.write_indicator("}", false, false, false);
    }

    /// Writes a scalar in the style go-yaml chooses from `requested`, and returns that style.
    fn scalar(&mut self, value: &str, requested: Style, ctx: Context) -> Style {
        let a = analyze(value);
        let simple_key = ctx == Context::SimpleKey;
        let mut style = requested;
        if simple_key && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain {
            if (self.flow_level > 0 && !a.flow_plain_allowed)
                || (self.flow_level == 0 && !a.block_plain_allowed)
            {
                style = Style::Single;
            }
            if value.is_empty() && (self.flow_level > 0 || simple_key) {
                style = Style::Single;
            }
        }
        if style == Style::Single && !a.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block_allowed || self.flow_level > 0 || simple_key) {
            style = Style::Double;
        }
        self.increase_indent(true, false);
        let allow_breaks = !simple_key;
        match style {
            Style::Plain => self.write_plain(value, allow_breaks),
            Style::Single => self.write_single(value, allow_breaks),
            Style::Double => self.write_double(value, allow_breaks),
            Style::Literal => self.write_literal(value),
        }
        self.pop_indent();
        style
    }

    fn write_plain(&mut self, value: &str, allow_breaks: bool) {
        let b = value.as_bytes();
        if !self.whitespace {
            self.put(' ');
        }
        self.token();
        // Most scalars have no space to fold at and no line break: copy them whole. (0xC2 and
        // 0xE2 lead the multi-byte line breaks NEL, LS and PS.)
        if !b
            .iter()
            .any(|&c| matches!(c, b' ' | b'\r' | b'\n' | 0xC2 | 0xE2))
        {
            self.out.push_str(value);
            let width = i32::try_from(value.chars().count()).unwrap_or(i32::MAX);
            self.column = self.column.saturating_add(width);
            self.whitespace = false;
            self.indention = false;
            return;
        }
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < b.len() {
            if is_space(b, i) {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !is_space(b, i + 1) {
                    self.write_indent();
                    i += 1;
                } else {
                    self.write(b, &mut i);
                }
                spaces = true;
            } else if is_break(b, i) {
                if !breaks && b[i] == b'\n' {
                    self.put_break();
                }
                self.write_break(b, &mut i);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(b, &mut i);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single(&mut self, value: &str, allow_breaks: bool) {
        let b = value.as_bytes();
        self.write_indicator("'", true, false, false);
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < b.len() {
            if is_space(b, i) {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i < b.len() - 1
                    && !is_space(b, i + 1)
                {
                    self.write_indent();
                    i += 1;
                } else {
                    self.write(b, &mut i);
                }
                spaces = true;
            } else if is_break(b, i) {
                if !breaks && b[i] == b'\n' {
                    self.put_break();
                }
                self.write_break(b, &mut i);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if b[i] == b'\'' {
                    self.put('\'');
                }
                self.write(b, &mut i);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double(&mut self, value: &str, allow_breaks: bool) {
        let b = value.as_bytes();
        let starts_with_bom = b.starts_with(&[0xEF, 0xBB, 0xBF]);
        let mut spaces = false;
        self.write_indicator("\"", true, false, false);
        let mut i = 0;
        while i < b.len() {
            if !is_printable(b, i)
                || starts_with_bom
                || is_break(b, i)
                || b[i] == b'"'
                || b[i] == b'\\'
            {
                let w = char_width(b[i]).min(b.len() - i);
                let v = std::str::from_utf8(&b[i..i + w])
                    .ok()
                    .and_then(|s| s.chars().next())
                    .map(|c| c as u32)
                    .unwrap_or(0xFFFD);
                i += w;
                self.put('\\');
                match v {
                    0x00 => self.put('0'),
                    0x07 => self.put('a'),
                    0x08 => self.put('b'),
                    0x09 => self.put('t'),
                    0x0A => self.put('n'),
                    0x0B => self.put('v'),
                    0x0C => self.put('f'),
                    0x0D => self.put('r'),
                    0x1B => self.put('e'),
                    0x22 => self.put('"'),
                    0x5C => self.put('\\'),
                    0x85 => self.put('N'),
                    0xA0 => self.put('_'),
                    0x2028 => self.put('L'),
                    0x2029 => self.put('P'),
                    _ => {
                        let (letter, digits) = if v <= 0xFF {
                            ('x', 2)
                        } else if v <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(letter);
                        for k in (0..digits).rev() {
                            let d = (v >> (k * 4)) & 0xF;
                            let c = char::from_digit(d, 16).unwrap_or('0').to_ascii_uppercase();
                            self.put(c);
                        }
                    }
                }
                spaces = false;
            } else if is_space(b, i) {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i > 0 && i < b.len() - 1 {
                    self.write_indent();
                    if is_space(b, i + 1) {
                        self.put('\\');
                    }
                    i += 1;
                } else {
                    self.write(b, &mut i);
                }
                spaces = true;
            } else {
                self.write(b, &mut i);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn block_scalar_hints(&mut self, value: &str) {
        let b = value.as_bytes();
        if is_space(b, 0) || is_break(b, 0) {
            let hint = char::from_digit(BEST_INDENT as u32, 10).unwrap_or('2');
            self.write_indicator(&hint.to_string(), false, false, false);
        }
        let chomp = if b.is_empty() {
            Some('-')
        } else {
            let mut i = b.len() - 1;
            while i > 0 && b[i] & 0xC0 == 0x80 {
                i -= 1;
            }
            if !is_break(b, i) {
                Some('-')
            } else if i == 0 {
                Some('+')
            } else {
                i -= 1;
                while i > 0 && b[i] & 0xC0 == 0x80 {
                    i -= 1;
                }
                if is_break(b, i) { Some('+') } else { None }
            }
        };
        if let Some(c) = chomp {
            self.write_indicator(&c.to_string(), false, false, false);
        }
    }

    fn write_literal(&mut self, value: &str) {
        let b = value.as_bytes();
        self.write_indicator("|", true, false, false);
        self.block_scalar_hints(value);
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        self.literal_content = None;
        let mut i = 0;
        while i < b.len() {
            if is_break(b, i) {
                self.write_break(b, &mut i);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if self.literal_content.is_none() {
                    self.literal_content = Some(self.out.len());
                }
                self.write(b, &mut i);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Items of every shape, some of which end their line (a literal) and some not.
    fn long_sequence(len: usize) -> Yaml {
        let item = |i: usize| match i % 7 {
            0 => Yaml::map()
                .with("job_name", Yaml::str(format!("job-{i}")))
                .with("script", Yaml::str("line one\nline two\n"))
                .with("list", Yaml::strs(["a", "b"])),
            1 => Yaml::str("ends\nwith a break\n"),
            2 => Yaml::Seq(vec![
                Yaml::Int(i as i64),
                Yaml::Seq(Vec::new()),
                Yaml::map(),
            ]),
            3 => Yaml::map().with("last", Yaml::str("literal\n")),
            4 => Yaml::str("needs: quotes"),
            5 => Yaml::map().with("k", Yaml::Seq(vec![Yaml::str("x\ny")])),
            _ => Yaml::Null,
        };
        Yaml::map()
            .with("global", Yaml::map().with("a", Yaml::Int(1)))
            .with("scrape_configs", Yaml::Seq((0..len).map(item).collect()))
            .with("after", Yaml::Seq((0..len).map(item).collect()))
    }

    #[test]
    fn a_long_sequence_written_on_every_core_is_the_one_written_in_order() {
        for len in [
            1,
            PARALLEL_ITEMS - 1,
            PARALLEL_ITEMS,
            PARALLEL_BATCH * 2 + 3,
        ] {
            let doc = long_sequence(len);
            let mut serial = Emitter::new();
            serial.parallel = false;
            let (text, spans) = write_with_spans(&doc, serial);
            assert_eq!(to_string_with_spans(&doc), (text.clone(), spans), "{len}");
            assert_eq!(to_string(&doc), text, "{len}");
        }
    }

    fn doc(entries: Vec<(&str, Yaml)>) -> Yaml {
        Yaml::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string().into(), v))
                .collect(),
        )
    }

    fn scalar(s: &str) -> String {
        let out = to_string(&doc(vec![("k", Yaml::str(s))]));
        out.strip_prefix("k: ")
            .unwrap_or(&out)
            .trim_end_matches('\n')
            .to_string()
    }

    /// The shortcut for plain words agrees with the character-by-character analysis on every
    /// string of up to three characters from an alphabet of indicators, spaces, breaks and words.
    #[test]
    fn the_plain_word_shortcut_agrees_with_the_full_analysis() {
        let alphabet: Vec<char> = "aZ09_/.-:#,?[]{}&*!|>'\"%@` \t\n\r=$()~+;\u{7f}\u{85}é"
            .chars()
            .collect();
        let mut words = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = words
                .iter()
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            words.extend(longer);
        }
        words.sort();
        words.dedup();
        for w in [
            "---",
            "...",
            "-",
            "a-b",
            "__meta_kubernetes_pod_label_app",
            "$(SHARD)",
        ] {
            words.push(w.to_string());
        }
        for word in &words {
            assert_eq!(analyze(word), analyze_each_character(word), "{word:?}");
        }
    }

    #[test]
    fn plain_strings_stay_plain() {
        for s in [
            "30s",
            "$(POD_NAME)",
            "(Failed|Succeeded)",
            "$(SHARD);|.+;.+",
            "(.+);",
            "${1}",
            "default/test",
            "a:b",
            "a #b",
            "http://x:9090/api",
            "-a",
            "key:",
        ] {
            let want = if s == "a #b" || s == "key:" {
                None
            } else {
                Some(s)
            };
            if let Some(w) = want {
                assert_eq!(scalar(s), w, "{s}");
            }
        }
    }

    #[test]
    fn strings_that_resolve_to_other_types_are_double_quoted() {
        for s in [
            "true",
            "True",
            "on",
            "OFF",
            "yes",
            "y",
            "N",
            "null",
            "~",
            "",
            "10240",
            "1e3",
            "0755",
            "0x1F",
            "1_000",
            "-1",
            "+12",
            "1.5",
            ".5",
            ".inf",
            "-.Inf",
            ".nan",
            "12:30",
            "190:20:30",
            "2001-12-14",
            "2001-12-14t21:59:43.10Z",
            "2002-12-14 21:59:43.10",
            "<<",
            "0b101",
            "3.",
        ] {
            assert_eq!(scalar(s), format!("\"{s}\""), "{s}");
        }
        // Look-alikes that stay strings.
        for s in [
            "1.2.3",
            "12:70",
            "2001-13-14",
            "0o",
            "1e",
            "yess",
            "nulls",
            "0x",
            "v1",
            "- ",
        ] {
            assert!(
                !scalar(s).starts_with('"') || s == "- ",
                "{s} -> {}",
                scalar(s)
            );
        }
    }

    #[test]
    fn indicators_single_quote() {
        assert_eq!(scalar("{job=\"prometheus\"}"), "'{job=\"prometheus\"}'");
        assert_eq!(scalar(","), "','");
        assert_eq!(scalar("*"), "'*'");
        assert_eq!(scalar("&a"), "'&a'");
        assert_eq!(scalar("a: b"), "'a: b'");
        assert_eq!(scalar("a #b"), "'a #b'");
        assert_eq!(scalar("- a"), "'- a'");
        assert_eq!(scalar(" lead"), "' lead'");
        assert_eq!(scalar("trail "), "'trail '");
        assert_eq!(scalar("it's"), "it's");
        assert_eq!(scalar("'q'"), "'''q'''");
        assert_eq!(scalar("---x"), "'---x'");
        assert_eq!(scalar("@x"), "'@x'");
    }

    #[test]
    fn special_characters_double_quote_with_escapes() {
        assert_eq!(scalar("a\tb"), "\"a\\tb\"");
        assert_eq!(scalar("\u{7f}"), "\"\\x7F\"");
        assert_eq!(scalar("é"), "é");
    }

    #[test]
    fn multi_line_strings_use_literal_style() {
        let out = to_string(&doc(vec![("k", Yaml::str("a\nb"))]));
        assert_eq!(out, "k: |-\n  a\n  b\n");
        let out = to_string(&doc(vec![("k", Yaml::str("a\nb\n"))]));
        assert_eq!(out, "k: |\n  a\n  b\n");
        let out = to_string(&doc(vec![("k", Yaml::str("a\n\n"))]));
        assert_eq!(out, "k: |+\n  a\n\n");
        let out = to_string(&doc(vec![("k", Yaml::str(" a\nb"))]));
        assert_eq!(out, "k: |2-\n   a\n  b\n");
        // trailing space forbids block style
        let out = to_string(&doc(vec![("k", Yaml::str("a \nb"))]));
        assert_eq!(out, "k: \"a \\nb\"\n");
        let out = to_string(&Yaml::Map(vec![(
            "s".into(),
            Yaml::Seq(vec![Yaml::str("x\ny")]),
        )]));
        assert_eq!(out, "s:\n- |-\n  x\n  y\n");
    }

    #[test]
    fn collections() {
        let y = doc(vec![
            ("a", Yaml::Seq(vec![])),
            ("b", Yaml::map()),
            ("c", Yaml::strs(["x", "z"])),
            (
                "d",
                Yaml::Seq(vec![doc(vec![
                    ("k", Yaml::Int(1)),
                    ("l", Yaml::Seq(vec![Yaml::Bool(true)])),
                ])]),
            ),
            ("e", doc(vec![("f", Yaml::Null)])),
            (
                "g",
                Yaml::Seq(vec![Yaml::Seq(vec![Yaml::Int(1), Yaml::Int(2)])]),
            ),
        ]);
        assert_eq!(
            to_string(&y),
            "a: []\nb: {}\nc:\n- x\n- z\nd:\n- k: 1\n  l:\n  - true\ne:\n  f: null\ng:\n- - 1\n  - 2\n"
        );
        assert_eq!(to_string(&Yaml::map()), "{}\n");
        assert_eq!(to_string(&Yaml::Seq(vec![])), "[]\n");
    }

    #[test]
    fn keys_are_quoted_like_values() {
        let y = doc(vec![
            ("true", Yaml::Int(1)),
            ("", Yaml::Int(2)),
            ("a b", Yaml::Int(3)),
        ]);
        assert_eq!(to_string(&y), "\"true\": 1\n\"\": 2\na b: 3\n");
    }

    #[test]
    fn floats_format_like_go() {
        for (f, want) in [
            (1.0, "1"),
            (0.5, "0.5"),
            (0.1, "0.1"),
            (1e6, "1e+06"),
            (123456.0, "123456"),
            (1e21, "1e+21"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (0.0, "0"),
            (-2.5, "-2.5"),
            (1.2345678e8, "1.2345678e+08"),
            (f64::INFINITY, ".inf"),
            (f64::NAN, ".nan"),
        ] {
            assert_eq!(format_float(f), want, "{f}");
        }
    }

    #[test]
    fn long_plain_scalars_fold_at_80_columns() {
        let words = vec!["word"; 30].join(" ");
        let out = to_string(&doc(vec![("k", Yaml::str(words.clone()))]));
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 1);
        assert!(lines[1].starts_with("  word"));
        assert_eq!(
            lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" "),
            format!("k: {words}")
        );
        // no spaces: never folded
        let long = "x".repeat(200);
        assert_eq!(
            to_string(&doc(vec![("k", Yaml::str(long.clone()))])),
            format!("k: {long}\n")
        );
    }

    #[test]
    fn long_keys_use_complex_key_form() {
        let key = "k".repeat(129);
        let out = to_string(&Yaml::Map(vec![(key.clone().into(), Yaml::Int(1))]));
        assert_eq!(out, format!("? {key}\n: 1\n"));
    }

    /// What the reader makes of the text, next to what the writer says it wrote.
    fn assert_reads_back(doc: &Yaml) {
        let (text, written) = to_string_with_spans(doc);
        let written = written.expect("spans");
        assert_eq!(text, to_string(doc));
        let read = crate::load::yaml::parse(&text, &crate::load::yaml::Limits::default());
        assert!(read.error.is_none() && read.problems.is_empty(), "{text}");
        assert_eq!(read.documents.len(), 1, "{text:?}");
        let back = read_back(doc.clone(), &written).expect("reads back");
        assert_eq!(
            format!("{:#?}", read.documents[0]),
            format!("{back:#?}"),
            "{text}"
        );
    }

    /// Every scalar style, block and empty flow collections, indentless sequences, folded long
    /// scalars, and keys that need quotes.
    #[test]
    fn the_written_tree_is_what_a_reader_reads() {
        let long = "word ".repeat(30);
        let scalars: Vec<Yaml> = [
            "plain",
            "",
            "true",
            "yes",
            "12",
            "0x1F",
            "1_000",
            "1.5",
            ".inf",
            "~",
            "null",
            "a: b",
            "- x",
            "#c",
            "it's",
            "'quoted'",
            "<<",
            "\"d\"",
            " lead",
            "trail ",
            "tab\there",
            "two\nlines",
            "two\nlines\n",
            " indented\nblock",
            "ends\n\n",
            "a\n\nb",
            "\n\nx",
            "bell\u{7}",
            "nel\u{85}x",
            "é ü",
            "$(NODE_NAME)",
            long.trim_end(),
            &long,
        ]
        .iter()
        .map(|s| Yaml::str(*s))
        .chain([
            Yaml::Null,
            Yaml::Bool(false),
            Yaml::Int(-7),
            Yaml::Float(2.0),
            Yaml::Float(0.25),
            Yaml::Float(1e21),
            Yaml::Float(f64::INFINITY),
            Yaml::Seq(Vec::new()),
            Yaml::Map(Vec::new()),
        ])
        .collect();
        let keys = [
            "k",
            "true",
            "12",
            "a b",
            "",
            "x:y",
            "- k",
            "k\nl",
            "nel\u{85}",
            "ü",
        ];
        let map = |value: &Yaml| {
            Yaml::Map(
                keys.iter()
                    .map(|k| (k.to_string().into(), value.clone()))
                    .collect(),
            )
        };
        for value in &scalars {
            assert_reads_back(&map(value));
            assert_reads_back(&Yaml::Seq(vec![value.clone(), value.clone()]));
            if !matches!(value, Yaml::Null) && value != &Yaml::str("") {
                assert_reads_back(value);
            }
        }
        let nested = Yaml::map()
            .with("global", Yaml::map().with("scrape_interval", "30s".into()))
            .with(
                "scrape_configs",
                Yaml::Seq(vec![
                    map(&Yaml::str("x")).with(
                        "relabel_configs",
                        Yaml::Seq(vec![
                            Yaml::map().with("source_labels", Yaml::strs(["a", "b"])),
                            Yaml::Seq(vec![Yaml::Seq(vec![Yaml::Int(1)]), Yaml::Map(vec![])]),
                        ]),
                    ),
                    Yaml::Null,
                    Yaml::map().with("m", Yaml::map().with("n", Yaml::Seq(vec![]))),
                ]),
            )
            .with(
                "remote_write",
                Yaml::Seq(vec![Yaml::map().with("url", "http://x".into())]),
            );
        assert_reads_back(&nested);
        assert_reads_back(&Yaml::Seq(vec![nested.clone(), nested]));
        let complex = Yaml::Map(vec![("k".repeat(129).into(), Yaml::strs(["v"]))]);
        assert_reads_back(&complex);
    }

    #[test]
    fn a_written_span_keeps_its_end_and_its_plain_flag_apart() {
        let mut w = Written { start: 3, end: 0 };
        w.set_end(PLAIN - 1);
        w.set_plain(true);
        assert_eq!(
            (w.span(), w.plain()),
            (Span::new(3, (PLAIN - 1) as usize), true)
        );
        w.set_end(7);
        assert_eq!((w.span(), w.plain()), (Span::new(3, 7), true));
        w.set_plain(false);
        assert_eq!((w.span(), w.plain()), (Span::new(3, 7), false));
        assert_eq!(std::mem::size_of::<Written>(), 8);
    }

    /// Read back in parts, the root without its jobs and each job are the parts of the whole.
    #[test]
    fn a_tree_read_back_in_parts_is_the_whole_in_parts() {
        let job = |name: &str| {
            Yaml::map().with("job_name", Yaml::str(name)).with(
                "static_configs",
                Yaml::Seq(vec![Yaml::map().with("targets", Yaml::strs(["a:1"]))]),
            )
        };
        let doc = Yaml::map()
            .with("global", Yaml::map().with("scrape_interval", "30s".into()))
            .with(
                "scrape_configs",
                Yaml::Seq(vec![job("a"), job("b\nc"), Yaml::Null]),
            )
            .with(
                "remote_write",
                Yaml::Seq(vec![Yaml::map().with("url", "http://x".into())]),
            );
        let (_, written) = to_string_with_spans(&doc);
        let written = written.expect("spans");
        let mut whole = read_back(doc.clone(), &written).expect("reads back");
        let tree = WrittenTree::new(doc, written);
        assert!(tree.has_items("scrape_configs"));
        let (head, parts) = tree.split("scrape_configs").expect("splits");
        let parts: Vec<Node> = parts
            .into_iter()
            .map(|p| p.read_back().expect("part"))
            .collect();
        let NodeValue::Map(entries) = &mut whole.value else {
            panic!("a map");
        };
        let NodeValue::Seq(items) = &mut entries[1].1.value else {
            panic!("a sequence");
        };
        assert_eq!(std::mem::take(items), parts);
        assert_eq!(whole, head);
        let empty = Yaml::map().with("scrape_configs", Yaml::Seq(vec![]));
        let (_, written) = to_string_with_spans(&empty);
        let empty = WrittenTree::new(empty, written.unwrap());
        assert!(!empty.has_items("scrape_configs"));
        assert!(empty.split("scrape_configs").is_none());
    }

    #[test]
    fn a_tree_that_reads_back_differently_has_none() {
        for doc in [
            Yaml::map().with("a", Yaml::Int(1)).with("a", Yaml::Int(2)),
            Yaml::map()
                .with("true", Yaml::Int(1))
                .with("true", Yaml::Int(2)),
            Yaml::Map(
                (0..40)
                    .map(|i| (format!("k{}", i % 39).into(), Yaml::Int(i)))
                    .collect(),
            ),
        ] {
            let (_, written) = to_string_with_spans(&doc);
            assert_eq!(read_back(doc, &written.expect("spans")), None);
        }
        // A literal scalar of line breaks only: a reader's span for it depends on what follows.
        let breaks = Yaml::map().with("k", Yaml::str("\n\n"));
        assert_eq!(to_string_with_spans(&breaks).1, None);
    }
}
