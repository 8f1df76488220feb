//! The YAML reader: a text becomes a list of document trees in which every node and every key keeps
//! its byte span.
//!
//! Scalars are typed the way kubectl and the API server read them (sigs.k8s.io/yaml on go-yaml v2,
//! that is YAML 1.1): `on`/`yes`/`y` are booleans, `0755` is octal, `1_000` is an integer, integral
//! floats become integers on the way to JSON, and non-string mapping keys become strings. A duplicate
//! key is reported (strict decoding). Hostile input is bounded: alias expansion, nesting depth and
//! document size each have a limit, and exceeding one is a [`ParseError::Limit`].

use crate::diag::Span;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};
use std::borrow::Cow;
use std::collections::HashMap;

/// A YAML node with the byte range it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: NodeValue,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A mapping key, always a string (as sigs.k8s.io/yaml turns every key into one).
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

impl Node {
    /// The value under `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    pub fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        match &self.value {
            NodeValue::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.name == key)
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The node as JSON, the form the schema and CEL layers and the typed model read.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Int(i) => Value::from(*i),
            NodeValue::Float(f) => {
                serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
            }
            NodeValue::Str(s) => Value::String(s.clone()),
            NodeValue::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeValue::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// Bounds against hostile input.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest document, in bytes.
    pub max_document_bytes: usize,
    /// Deepest nesting of mappings and sequences.
    pub max_depth: usize,
    /// Most nodes a document may hold once its aliases are expanded.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_document_bytes: 16 * 1024 * 1024,
            max_depth: 200,
            max_nodes: 2_000_000,
        }
    }
}

/// A finding of the reader, at a byte offset of the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub offset: usize,
    /// Bytes the problem covers from `offset` (0: just the character there).
    pub len: usize,
    pub code: &'static str,
    pub message: String,
}

/// Why a text could not be read to its end.
#[derive(Clone, Debug, PartialEq)]
pub enum ParseError {
    /// Not valid YAML: a finding for the user's file (exit 1).
    Syntax(Problem),
    /// A bound was exceeded: promagent refuses to read further (exit 2).
    Limit(Problem),
}

/// What a text holds: the documents read before any fatal error, the non-fatal problems
/// (duplicate keys), and the fatal error if there was one.
#[derive(Debug, Default)]
pub struct Parsed {
    pub documents: Vec<Node>,
    pub problems: Vec<Problem>,
    pub error: Option<ParseError>,
}

/// Reads every document of `text`. Empty documents are skipped.
pub fn parse(text: &str, limits: &Limits) -> Parsed {
    let mut reader = Reader::new(text, limits);
    let mut parsed = Parsed::default();
    loop {
        match reader.next_document() {
            Ok(Some(doc)) => {
                if doc.value != NodeValue::Null {
                    parsed.documents.push(doc);
                }
            }
            Ok(None) => break,
            Err(e) => {
                parsed.error = Some(e);
                break;
            }
        }
    }
    parsed.problems = reader.problems;
    parsed
}

struct Reader<'a> {
    text: &'a str,
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    limits: Limits,
    /// Byte offset of each character, when the text is not ASCII (saphyr counts characters).
    char_offsets: Option<Vec<usize>>,
    anchors: HashMap<usize, Node>,
    problems: Vec<Problem>,
    nodes: usize,
    doc_start: usize,
}

type Spanned<'a> = (Event<'a>, saphyr_parser::Span);

impl<'a> Reader<'a> {
    fn new(text: &'a str, limits: &Limits) -> Self {
        let char_offsets =
            (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect());
        Reader {
            text,
            parser: Parser::new_from_str(text),
            limits: *limits,
            char_offsets,
            anchors: HashMap::new(),
            problems: Vec::new(),
            nodes: 0,
            doc_start: 0,
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.char_offsets {
            None => char_index.min(self.text.len()),
            Some(offsets) => offsets.get(char_index).copied().unwrap_or(self.text.len()),
        }
    }

    fn span(&self, span: &saphyr_parser::Span) -> Span {
        Span::new(self.byte(span.start.index()), self.byte(span.end.index()))
    }

    fn next_event(&mut self) -> Result<Spanned<'a>, ParseError> {
        match self.parser.next_event() {
            Some(Ok(ev)) => Ok(ev),
            Some(Err(e)) => {
                let problem = self.scan_problem(&e);
                if problem.code == "yaml/limit" {
                    Err(ParseError::Limit(problem))
                } else {
                    Err(ParseError::Syntax(problem))
                }
            }
            None => Err(ParseError::Syntax(Problem {
                offset: self.text.len(),
                len: 0,
                code: "yaml/syntax",
                message: "unexpected end of input".into(),
            })),
        }
    }

    fn scan_problem(&self, e: &ScanError) -> Problem {
        let offset = self.byte(e.marker().index());
        let info = e.info();
        if info.contains("recursion limit") {
            Problem {
                offset,
                len: 0,
                code: "yaml/limit",
                message: "nesting too deep; promagent stops reading the document".into(),
            }
        } else if info.contains("tab") {
            Problem {
                offset,
                len: 0,
                code: "yaml/tab",
                message: format!("{info}: YAML indentation must use spaces, not tabs"),
            }
        } else {
            Problem {
                offset,
                len: 0,
                code: "yaml/syntax",
                message: info.to_string(),
            }
        }
    }

    fn limit(&self, offset: usize, message: String) -> ParseError {
        ParseError::Limit(Problem {
            offset,
            len: 0,
            code: "yaml/limit",
            message,
        })
    }

    fn next_document(&mut self) -> Result<Option<Node>, ParseError> {
        loop {
            let (event, span) = self.next_event()?;
            match event {
                Event::StreamStart | Event::Nothing => continue,
                Event::StreamEnd => return Ok(None),
                Event::DocumentStart(_) => {
                    self.anchors.clear();
                    self.nodes = 0;
                    self.doc_start = self.byte(span.start.index());
                    let (first, first_span) = self.next_event()?;
                    let root = self.node(first, first_span, 0)?;
                    // DocumentEnd follows every document's root node.
                    let (end, _) = self.next_event()?;
                    debug_assert!(matches!(end, Event::DocumentEnd));
                    return Ok(Some(root));
                }
                _ => continue,
            }
        }
    }

    fn count_node(&mut self, offset: usize, nodes: usize) -> Result<(), ParseError> {
        self.nodes += nodes;
        if self.nodes > self.limits.max_nodes {
            return Err(self.limit(
                offset,
                format!(
                    "the document expands to more than {} nodes (alias expansion bomb?); promagent stops reading it",
                    self.limits.max_nodes
                ),
            ));
        }
        if offset.saturating_sub(self.doc_start) > self.limits.max_document_bytes {
            return Err(self.limit(
                offset,
                format!(
                    "the document is larger than {} MiB; promagent stops reading it",
                    self.limits.max_document_bytes / (1024 * 1024)
                ),
            ));
        }
        Ok(())
    }

    fn node(
        &mut self,
        event: Event<'a>,
        span: saphyr_parser::Span,
        depth: usize,
    ) -> Result<Node, ParseError> {
        let start = self.byte(span.start.index());
        if depth > self.limits.max_depth {
            return Err(self.limit(
                start,
                format!(
                    "nesting deeper than {} levels; promagent stops reading the document",
                    self.limits.max_depth
                ),
            ));
        }
        self.count_node(start, 1)?;
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let node = Node {
                    value: resolve_scalar(&text, style, tag.as_deref()),
                    span: self.span(&span),
                };
                self.remember(anchor, &node);
                Ok(node)
            }
            Event::Alias(id) => {
                let Some(node) = self.anchors.get(&id).cloned() else {
                    return Err(ParseError::Syntax(Problem {
                        offset: start,
                        len: 0,
                        code: "yaml/syntax",
                        message: "alias refers to an unknown anchor".into(),
                    }));
                };
                self.count_node(start, count_nodes(&node))?;
                // The alias keeps the anchored content but points at the alias itself.
                Ok(Node {
                    value: node.value,
                    span: self.span(&span),
                })
            }
            Event::SequenceStart(anchor, _) => {
                let mut items = Vec::new();
                let end = loop {
                    let (ev, ev_span) = self.next_event()?;
                    if matches!(ev, Event::SequenceEnd) {
                        break self.byte(ev_span.end.index());
                    }
                    items.push(self.node(ev, ev_span, depth + 1)?);
                };
                let node = Node {
                    value: NodeValue::Seq(items),
                    span: Span::new(start, end.max(start)),
                };
                self.remember(anchor, &node);
                Ok(node)
            }
            Event::MappingStart(anchor, _) => {
                let node = self.mapping(start, depth)?;
                self.remember(anchor, &node);
                Ok(node)
            }
            other => Err(ParseError::Syntax(Problem {
                offset: start,
                len: 0,
                code: "yaml/syntax",
                message: format!("unexpected YAML event {other:?}"),
            })),
        }
    }

    fn mapping(&mut self, start: usize, depth: usize) -> Result<Node, ParseError> {
        let mut entries: Vec<(Key, Node)> = Vec::new();
        let mut merged: Vec<(Key, Node)> = Vec::new();
        let end = loop {
            let (ev, ev_span) = self.next_event()?;
            if matches!(ev, Event::MappingEnd) {
                break self.byte(ev_span.end.index());
            }
            let is_merge =
                matches!(&ev, Event::Scalar(t, ScalarStyle::Plain, _, None) if t == "<<");
            let key_node = self.node(ev, ev_span, depth + 1)?;
            let (value_event, value_span) = self.next_event()?;
            let value = self.node(value_event, value_span, depth + 1)?;
            if is_merge {
                self.merge_into(&mut merged, value)?;
                continue;
            }
            let key = Key {
                name: key_string(&key_node),
                span: key_node.span,
            };
            if let Some((first, _)) = entries.iter().find(|(k, _)| k.name == key.name) {
                let (line, _) = line_of(self.text, first.span.start);
                self.problems.push(Problem {
                    offset: key.span.start,
                    len: key.span.end - key.span.start,
                    code: "yaml/duplicate-key",
                    message: format!(
                        "mapping key \"{}\" already defined at line {line}",
                        key.name
                    ),
                });
                continue;
            }
            entries.push((key, value));
        };
        for (key, value) in merged {
            if !entries.iter().any(|(k, _)| k.name == key.name) {
                entries.push((key, value));
            }
        }
        Ok(Node {
            value: NodeValue::Map(entries),
            span: Span::new(start, end.max(start)),
        })
    }

    /// `<<: *base` or `<<: [*a, *b]`: keys of the merged mappings that the mapping does not set itself.
    fn merge_into(&mut self, merged: &mut Vec<(Key, Node)>, value: Node) -> Result<(), ParseError> {
        let sources = match value.value {
            NodeValue::Map(entries) => vec![entries],
            NodeValue::Seq(items) => {
                let mut maps = Vec::new();
                for item in items {
                    match item.value {
                        NodeValue::Map(entries) => maps.push(entries),
                        _ => return Err(self.merge_error(item.span.start)),
                    }
                }
                maps
            }
            _ => return Err(self.merge_error(value.span.start)),
        };
        for entries in sources {
            for (key, node) in entries {
                if !merged.iter().any(|(k, _)| k.name == key.name) {
                    merged.push((key, node));
                }
            }
        }
        Ok(())
    }

    fn merge_error(&self, offset: usize) -> ParseError {
        ParseError::Syntax(Problem {
            offset,
            len: 0,
            code: "yaml/syntax",
            message: "map merge requires a mapping or a list of mappings".into(),
        })
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
    }
}

fn count_nodes(node: &Node) -> usize {
    1 + match &node.value {
        NodeValue::Seq(items) => items.iter().map(count_nodes).sum(),
        NodeValue::Map(entries) => entries.iter().map(|(_, v)| 1 + count_nodes(v)).sum(),
        _ => 0,
    }
}

fn line_of(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Mapping keys become strings the way sigs.k8s.io/yaml writes them into JSON.
fn key_string(node: &Node) -> String {
    match &node.value {
        NodeValue::Str(s) => s.clone(),
        NodeValue::Bool(b) => b.to_string(),
        NodeValue::Int(i) => i.to_string(),
        NodeValue::Float(f) => format_go_float(*f),
        NodeValue::Null => "null".into(),
        NodeValue::Seq(_) | NodeValue::Map(_) => format!("{:?}", node.to_json()),
    }
}

fn format_go_float(f: f64) -> String {
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if f.is_nan() {
        return "NaN".into();
    }
    let s = format!("{f}");
    if s.len() > 21 { format!("{f:e}") } else { s }
}

/// Types a scalar as go-yaml v2 does, then as sigs.k8s.io/yaml hands it to JSON.
pub fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> NodeValue {
    if let Some(tag) = tag.filter(|t| t.handle == "tag:yaml.org,2002:" || t.handle == "!!") {
        return match tag.suffix.as_str() {
            "null" => NodeValue::Null,
            "bool" | "int" | "float" => resolve_plain(text),
            _ => NodeValue::Str(text.to_string()),
        };
    }
    if style != ScalarStyle::Plain {
        return NodeValue::Str(text.to_string());
    }
    resolve_plain(text)
}

fn resolve_plain(text: &str) -> NodeValue {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return NodeValue::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return NodeValue::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return NodeValue::Bool(false);
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return NodeValue::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return NodeValue::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return NodeValue::Float(f64::NAN),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.') {
        return NodeValue::Str(text.to_string());
    }
    let plain: Cow<str> = if text.contains('_') {
        Cow::Owned(text.replace('_', ""))
    } else {
        Cow::Borrowed(text)
    };
    if let Some(i) = parse_go_int(&plain) {
        return NodeValue::Int(i);
    }
    if let Some(f) = is_yaml_float(&plain)
        .then(|| plain.parse::<f64>().ok())
        .flatten()
    {
        // JSON has one number type: an integral float reaches the API server as an integer.
        if f.fract() == 0.0 && f.abs() < 9.0e15 {
            return NodeValue::Int(f as i64);
        }
        return NodeValue::Float(f);
    }
    NodeValue::Str(text.to_string())
}

/// Go's `strconv.ParseInt(s, 0, 64)`: decimal, `0x` hex, `0o`/leading-zero octal, `0b` binary.
fn parse_go_int(s: &str) -> Option<i64> {
    let (negative, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() {
        return None;
    }
    let (radix, body) = if let Some(rest) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        (16, rest)
    } else if let Some(rest) = digits
        .strip_prefix("0o")
        .or_else(|| digits.strip_prefix("0O"))
    {
        (8, rest)
    } else if let Some(rest) = digits
        .strip_prefix("0b")
        .or_else(|| digits.strip_prefix("0B"))
    {
        (2, rest)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i128::from_str_radix(body, radix).ok()?;
    let value = if negative { -magnitude } else { magnitude };
    i64::try_from(value).ok()
}

/// go-yaml v2's float syntax: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if int_digits == 0 && i == frac_start {
            return false;
        }
    } else if int_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one(text: &str) -> serde_json::Value {
        let parsed = parse(text, &Limits::default());
        assert!(parsed.error.is_none(), "{:?}", parsed.error);
        parsed.documents[0].to_json()
    }

    #[test]
    fn yaml_1_1_scalars_as_kubectl_reads_them() {
        let v = one(
            "a: on\nb: yes\nc: Off\nd: 0755\ne: 0x1F\nf: 1e3\ng: '='\nh: 12:30\ni: 1_000\nj: 1.5\nk: ~\nl: \"on\"\nm: 2.0\nnn: .5\no: v1.2\ny: 1\n",
        );
        assert_eq!(
            v,
            json!({"a": true, "b": true, "c": false, "d": 493, "e": 31, "f": 1000, "g": "=",
                   "h": "12:30", "i": 1000, "j": 1.5, "k": null, "l": "on", "m": 2, "nn": 0.5, "o": "v1.2",
                   "true": 1})
        );
    }

    #[test]
    fn non_string_keys_become_strings() {
        assert_eq!(one("on: 1\n2: x\n"), json!({"true": 1, "2": "x"}));
    }

    #[test]
    fn tags_override_resolution() {
        assert_eq!(
            one("a: !!str 123\nb: !!int \"7\"\n"),
            json!({"a": "123", "b": 7})
        );
    }

    #[test]
    fn duplicate_key_is_a_problem_and_the_first_value_stays() {
        let parsed = parse("a: 1\nb: 2\na: 3\n", &Limits::default());
        assert_eq!(parsed.documents[0].to_json(), json!({"a": 1, "b": 2}));
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].code, "yaml/duplicate-key");
        assert_eq!(
            parsed.problems[0].message,
            "mapping key \"a\" already defined at line 1"
        );
        assert_eq!(parsed.problems[0].offset, 10);
    }

    #[test]
    fn spans_are_bytes_even_after_non_ascii_text() {
        let text = "# é comment ünïcode\nspec:\n  replicas: 2\n";
        let parsed = parse(text, &Limits::default());
        let spec = parsed.documents[0].get("spec").unwrap();
        let (key, value) = spec.entry("replicas").unwrap();
        assert_eq!(&text[key.span.start..key.span.end], "replicas");
        assert_eq!(&text[value.span.start..value.span.end], "2");
    }

    #[test]
    fn empty_documents_are_skipped() {
        let parsed = parse("---\n# nothing\n---\na: 1\n---\n", &Limits::default());
        assert_eq!(parsed.documents.len(), 1);
    }

    #[test]
    fn tab_indentation_is_an_error_with_its_place() {
        let text = "spec:\n\treplicas: 2\n";
        let parsed = parse(text, &Limits::default());
        match parsed.error {
            Some(ParseError::Syntax(p)) => {
                assert_eq!(p.code, "yaml/tab", "{p:?}");
                assert_eq!(line_of(text, p.offset).0, 2);
            }
            other => panic!("expected a tab error, got {other:?}"),
        }
    }

    #[test]
    fn alias_bomb_hits_the_node_limit() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in "bcdefghij".chars() {
            text.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = name;
        }
        let parsed = parse(&text, &Limits::default());
        assert!(
            matches!(parsed.error, Some(ParseError::Limit(_))),
            "{:?}",
            parsed.error
        );
    }

    #[test]
    fn deep_nesting_hits_the_depth_limit() {
        let text = format!("{}1{}", "[".repeat(500), "]".repeat(500));
        let parsed = parse(&text, &Limits::default());
        assert!(
            matches!(parsed.error, Some(ParseError::Limit(_))),
            "{:?}",
            parsed.error
        );
    }

    #[test]
    fn merge_keys_fill_missing_entries() {
        let v = one("base: &b {x: 1, z: 2}\nobj:\n  <<: *b\n  z: 3\n");
        assert_eq!(v["obj"], json!({"z": 3, "x": 1}));
    }

    #[test]
    fn json_text_is_read_too() {
        assert_eq!(
            one("{\"a\": [1, 2.5, \"x\", true, null]}"),
            json!({"a": [1, 2.5, "x", true, null]})
        );
    }

    #[test]
    fn go_int_parsing() {
        assert_eq!(parse_go_int("0755"), Some(493));
        assert_eq!(parse_go_int("-0b101"), Some(-5));
        assert_eq!(parse_go_int("08"), None);
        assert_eq!(parse_go_int("99999999999999999999"), None);
        assert!(
            is_yaml_float("1.")
                && is_yaml_float(".5e3")
                && !is_yaml_float("1e")
                && !is_yaml_float(".")
        );
    }
}
