//! The YAML reader: a text becomes a list of document trees in which every node and every key keeps
//! its byte span.
//!
//! Scalars are typed the way kubectl and the API server read them (sigs.k8s.io/yaml on go-yaml v2,
//! that is YAML 1.1): `on`/`yes`/`y` are booleans, `0755` is octal, `1_000` is an integer, integral
//! floats become integers on the way to JSON, and non-string mapping keys become strings. A duplicate
//! key is reported (strict decoding), and so is a control character (go-yaml's reader refuses them).
//! Hostile input is bounded: nesting depth, and a document's size and node count with its aliases
//! expanded, each have a limit, and exceeding one is a [`ParseError::Limit`] at the place it happened.
//! Duplicate keys and merges cost one hash lookup per key.

use crate::diag::Span;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

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
    /// Largest document, in bytes, with its aliases expanded (each alias counts as the text of what
    /// it repeats).
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

impl Limits {
    /// The default bounds, raised to fit a text of `len` bytes that is already in memory (a
    /// generated configuration, a file read within `--max-input-bytes`): only what aliases would
    /// add beyond the text itself stays bounded.
    pub fn fitting(len: usize) -> Self {
        let default = Limits::default();
        Limits {
            max_document_bytes: default.max_document_bytes.max(len),
            max_nodes: default.max_nodes.max(len),
            ..default
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
///
/// A large text of many documents is read in parts on every core, each part a run of whole
/// documents, when every part reads without a problem; otherwise it is read again in one piece,
/// so what it reports is what a reader going through it once reports.
pub fn parse(text: &str, limits: &Limits) -> Parsed {
    if let Some(parsed) = parse_in_parts(text, limits) {
        return parsed;
    }
    parse_range(text, 0..text.len(), limits)
}

/// Texts below this size are read in one piece: splitting would cost more than it saves.
const PARTS_MIN_BYTES: usize = 256 * 1024;

/// Each part holds at least this much text.
const PART_MIN_BYTES: usize = 64 * 1024;

/// `text` read as runs of whole documents on every core, when it is large, has no directive
/// (which would belong to the document after it) and no character the reader refuses, and every
/// run reads without a problem. `None` otherwise.
fn parse_in_parts(text: &str, limits: &Limits) -> Option<Parsed> {
    use rayon::prelude::*;
    let threads = rayon::current_num_threads();
    if text.len() < PARTS_MIN_BYTES || threads < 2 {
        return None;
    }
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b'%') || text.contains("\n%") || control_character(text).is_some() {
        return None;
    }
    let part_bytes = (text.len() / (threads * 4)).max(PART_MIN_BYTES);
    let mut parts = Vec::new();
    let mut start = 0;
    for marker in document_markers(bytes) {
        if marker - start >= part_bytes {
            parts.push(start..marker);
            start = marker;
        }
    }
    parts.push(start..text.len());
    if parts.len() < 2 {
        return None;
    }
    let read: Vec<Parsed> = parts
        .into_par_iter()
        .map(|range| parse_range(text, range, limits))
        .collect();
    if read
        .iter()
        .any(|p| p.error.is_some() || !p.problems.is_empty())
    {
        return None;
    }
    let mut parsed = Parsed::default();
    parsed
        .documents
        .reserve(read.iter().map(|p| p.documents.len()).sum());
    for part in read {
        parsed.documents.extend(part.documents);
    }
    Some(parsed)
}

/// Where each line that starts a document (`---` followed by a space, a tab, a line break or the
/// end) begins. No scalar can hold such a line, so each of them starts a document.
fn document_markers(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let line_starts = std::iter::once(0).chain(
        bytes
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'\n')
            .map(|(i, _)| i + 1),
    );
    line_starts.filter(move |&at| {
        bytes[at..].starts_with(b"---")
            && matches!(bytes.get(at + 3), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
    })
}

/// Reads every document of `text[range]`, a run of whole documents, with the spans of `text`.
fn parse_range(text: &str, range: std::ops::Range<usize>, limits: &Limits) -> Parsed {
    let whole = range.start == 0 && range.end == text.len();
    let mut reader = Reader::new(text, range, limits);
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
    if let Some((count, offset)) = reader.unlisted_duplicates {
        parsed.problems.push(Problem {
            offset,
            len: 0,
            code: "yaml/duplicate-key",
            message: format!(
                "{count} more duplicate key{} from here on, not listed one by one",
                if count == 1 { "" } else { "s" }
            ),
        });
    }
    // go-yaml's reader stops at the first control character: what lies before it is read. (A
    // text with one is never read in parts.)
    if let Some(bad) = whole.then(|| control_character(text)).flatten() {
        let earlier = match &parsed.error {
            Some(ParseError::Syntax(p) | ParseError::Limit(p)) => p.offset < bad.offset,
            None => false,
        };
        if !earlier {
            parsed.documents.retain(|d| d.span.end <= bad.offset);
            parsed.problems.retain(|p| p.offset < bad.offset);
            parsed.error = Some(ParseError::Syntax(bad));
        }
    }
    parsed
}

/// The first character go-yaml's reader refuses: anything outside `#x9 | #xA | #xD | [#x20-#x7E]
/// | #x85 | [#xA0-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`.
fn control_character(text: &str) -> Option<Problem> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
            || c >= '\u{10000}'
    };
    // Printable ASCII, tabs and line breaks are skipped a byte at a time; the first other byte
    // starts a character.
    let from = text
        .bytes()
        .position(|b| !matches!(b, b'\t' | b'\n' | b'\r' | b' '..=b'~'))?;
    let (offset, c) = text[from..]
        .char_indices()
        .map(|(i, c)| (from + i, c))
        .find(|&(_, c)| !allowed(c))?;
    let (code, message) = if c == '\0' {
        (
            "yaml/nul",
            "a NUL byte: YAML text cannot hold one (is this a binary file, or UTF-16 text?)"
                .to_string(),
        )
    } else {
        (
            "yaml/control-character",
            format!(
                "control characters are not allowed: U+{:04X} (write it as an escape in a double-quoted string)",
                c as u32
            ),
        )
    };
    Some(Problem {
        offset,
        len: c.len_utf8(),
        code,
        message,
    })
}

struct Reader<'a> {
    text: &'a str,
    /// The part of `text` being read: spans are offsets in `text`.
    range: std::ops::Range<usize>,
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    limits: Limits,
    /// Byte offset of each character, when the text is not ASCII (saphyr counts characters).
    char_offsets: Option<Vec<usize>>,
    anchors: HashMap<usize, Anchored>,
    problems: Vec<Problem>,
    nodes: usize,
    doc_start: usize,
    /// Bytes the document's aliases added beyond their own text.
    alias_bytes: usize,
    /// Duplicate keys beyond [`MAX_DUPLICATES_LISTED`]: how many, and where the first was.
    unlisted_duplicates: Option<(usize, usize)>,
    /// Where each line after the first starts, once a duplicate key needs a line number.
    line_starts: Option<Vec<usize>>,
    /// Buffers that mappings and sequences are read into, one per nesting level in use: each
    /// node then gets one allocation of its exact size.
    map_buffers: Vec<Vec<(Key, Node)>>,
    seq_buffers: Vec<Vec<Node>>,
}

/// Mappings up to this many keys are searched for a duplicate key; larger ones get an index.
const SEARCHED_MAPPING_LEN: usize = 16;

/// The position in `entries` of the key `name`, by `index` when the mapping has one.
fn position_of(
    entries: &[(Key, Node)],
    index: Option<&HashMap<String, usize>>,
    name: &str,
) -> Option<usize> {
    match index {
        Some(index) => index.get(name).copied(),
        None => entries.iter().position(|(k, _)| k.name == name),
    }
}

/// Duplicate keys listed one by one; the rest are counted in one more problem.
const MAX_DUPLICATES_LISTED: usize = 100;

/// An anchored node, with the nodes and bytes each alias of it adds.
struct Anchored {
    node: Node,
    nodes: usize,
    bytes: usize,
}

/// The counters when a node started, to measure what it expanded to.
#[derive(Clone, Copy)]
struct Mark {
    offset: usize,
    nodes: usize,
    alias_bytes: usize,
}

type Spanned<'a> = (Event<'a>, saphyr_parser::Span);

impl<'a> Reader<'a> {
    fn new(text: &'a str, range: std::ops::Range<usize>, limits: &Limits) -> Self {
        let part = &text[range.clone()];
        let char_offsets =
            (!part.is_ascii()).then(|| part.char_indices().map(|(i, _)| range.start + i).collect());
        Reader {
            text,
            range,
            parser: Parser::new_from_str(part),
            limits: *limits,
            char_offsets,
            anchors: HashMap::new(),
            problems: Vec::new(),
            nodes: 0,
            doc_start: 0,
            alias_bytes: 0,
            unlisted_duplicates: None,
            line_starts: None,
            map_buffers: Vec::new(),
            seq_buffers: Vec::new(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.char_offsets {
            None => (self.range.start + char_index).min(self.range.end),
            Some(offsets) => offsets.get(char_index).copied().unwrap_or(self.range.end),
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
                offset: self.range.end,
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
        } else if info
            .split(|c: char| !c.is_ascii_alphabetic())
            .any(|w| w == "tab" || w == "tabs")
        {
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
                    self.alias_bytes = 0;
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
        let size = offset
            .saturating_sub(self.doc_start)
            .saturating_add(self.alias_bytes);
        if size > self.limits.max_document_bytes {
            let why = if self.alias_bytes > 0 {
                " with its aliases expanded (alias expansion bomb?)"
            } else {
                ""
            };
            return Err(self.limit(
                offset,
                format!(
                    "the document is larger than {}{why}; promagent stops reading it (the API server accepts at most 3 MiB per object)",
                    super::limits::format_size(self.limits.max_document_bytes as u64)
                ),
            ));
        }
        Ok(())
    }

    fn mark(&self, offset: usize) -> Mark {
        Mark {
            offset,
            nodes: self.nodes,
            alias_bytes: self.alias_bytes,
        }
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
        let mark = self.mark(start);
        if let Event::Alias(id) = event {
            return self.alias(id, &span);
        }
        self.count_node(start, 1)?;
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let node = Node {
                    value: resolve_scalar(&text, style, tag.as_deref()),
                    span: self.span(&span),
                };
                self.remember(anchor, &node, mark);
                Ok(node)
            }
            Event::SequenceStart(anchor, _) => {
                let mut items = self.seq_buffers.pop().unwrap_or_default();
                let end = loop {
                    let (ev, ev_span) = self.next_event()?;
                    if matches!(ev, Event::SequenceEnd) {
                        break self.byte(ev_span.end.index());
                    }
                    items.push(self.node(ev, ev_span, depth + 1)?);
                };
                let mut exact = Vec::with_capacity(items.len());
                exact.append(&mut items);
                self.seq_buffers.push(items);
                let node = Node {
                    value: NodeValue::Seq(exact),
                    span: Span::new(start, end.max(start)),
                };
                self.remember(anchor, &node, mark);
                Ok(node)
            }
            Event::MappingStart(anchor, _) => {
                let node = self.mapping(start, depth)?;
                self.remember(anchor, &node, mark);
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

    /// `*name`: the anchored node again, charged to the budgets before it is copied, and pointing
    /// at the alias itself.
    fn alias(&mut self, id: usize, span: &saphyr_parser::Span) -> Result<Node, ParseError> {
        let here = self.span(span);
        let Some(anchored) = self.anchors.get(&id) else {
            return Err(ParseError::Syntax(Problem {
                offset: here.start,
                len: 0,
                code: "yaml/syntax",
                message: "alias refers to an unknown anchor".into(),
            }));
        };
        let (nodes, bytes) = (anchored.nodes, anchored.bytes);
        let own = here.end - here.start;
        self.alias_bytes = self.alias_bytes.saturating_add(bytes.saturating_sub(own));
        self.count_node(here.start, nodes)?;
        let value = self.anchors[&id].node.value.clone();
        Ok(Node { value, span: here })
    }

    /// The line (from 1) of a byte offset, counting line breaks as YAML does (`\n`, `\r\n`, `\r`).
    /// The lines are found on the first call, which only a duplicate key makes.
    fn line_of(&mut self, offset: usize) -> usize {
        let text = self.text.as_bytes();
        let starts = self.line_starts.get_or_insert_with(|| {
            (0..text.len())
                .filter(|&i| {
                    text[i] == b'\n' || (text[i] == b'\r' && text.get(i + 1) != Some(&b'\n'))
                })
                .map(|i| i + 1)
                .collect()
        });
        starts.partition_point(|&start| start <= offset) + 1
    }

    fn mapping(&mut self, start: usize, depth: usize) -> Result<Node, ParseError> {
        let mut entries = self.map_buffers.pop().unwrap_or_default();
        // Where each key is in `entries`, once the mapping is too large to search it.
        let mut index: Option<HashMap<String, usize>> = None;
        let mut merged: Vec<(Key, Node)> = Vec::new();
        let mut merged_names: HashSet<String> = HashSet::new();
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
                self.merge_into(&mut merged, &mut merged_names, value)?;
                continue;
            }
            let key = Key {
                name: key_string(&key_node),
                span: key_node.span,
            };
            if let Some(earlier) = position_of(&entries, index.as_ref(), &key.name) {
                if self.problems.len() >= MAX_DUPLICATES_LISTED {
                    let (count, _) = self.unlisted_duplicates.get_or_insert((0, key.span.start));
                    *count += 1;
                    continue;
                }
                let line = self.line_of(entries[earlier].0.span.start);
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
            if let Some(index) = &mut index {
                index.insert(key.name.clone(), entries.len());
            }
            entries.push((key, value));
            if index.is_none() && entries.len() > SEARCHED_MAPPING_LEN {
                index = Some(
                    entries
                        .iter()
                        .enumerate()
                        .map(|(i, (k, _))| (k.name.clone(), i))
                        .collect(),
                );
            }
        };
        // Merged keys are distinct among themselves: only the mapping's own can hide one.
        for (key, value) in merged {
            if position_of(&entries, index.as_ref(), &key.name).is_none() {
                entries.push((key, value));
            }
        }
        let mut exact = Vec::with_capacity(entries.len());
        exact.append(&mut entries);
        self.map_buffers.push(entries);
        Ok(Node {
            value: NodeValue::Map(exact),
            span: Span::new(start, end.max(start)),
        })
    }

    /// `<<: *base` or `<<: [*a, *b]`: keys of the merged mappings that the mapping does not set itself.
    fn merge_into(
        &mut self,
        merged: &mut Vec<(Key, Node)>,
        names: &mut HashSet<String>,
        value: Node,
    ) -> Result<(), ParseError> {
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
                if names.insert(key.name.clone()) {
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

    /// Keeps an anchored node with what it expanded to since `mark`: its nodes, and its text plus
    /// what the aliases inside it added.
    fn remember(&mut self, anchor: usize, node: &Node, mark: Mark) {
        if anchor > 0 {
            let anchored = Anchored {
                node: node.clone(),
                nodes: self.nodes - mark.nodes,
                bytes: node.span.end.saturating_sub(mark.offset) + self.alias_bytes
                    - mark.alias_bytes,
            };
            self.anchors.insert(anchor, anchored);
        }
    }
}

/// Mapping keys become strings the way sigs.k8s.io/yaml writes them into JSON.
pub fn key_string(node: &Node) -> String {
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
    // sigs.k8s.io/yaml names these keys as YAML writes them.
    if f.is_infinite() {
        return if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        };
    }
    if f.is_nan() {
        return ".nan".into();
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

/// What a plain scalar resolves to.
pub fn resolve_plain(text: &str) -> NodeValue {
    resolve_non_string(text).unwrap_or_else(|| NodeValue::Str(text.to_string()))
}

/// What a plain scalar resolves to, when that is not a string.
pub fn resolve_non_string(text: &str) -> Option<NodeValue> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(NodeValue::Null),
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Some(NodeValue::Bool(true));
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Some(NodeValue::Bool(false));
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Some(NodeValue::Float(f64::INFINITY));
        }
        "-.inf" | "-.Inf" | "-.INF" => return Some(NodeValue::Float(f64::NEG_INFINITY)),
        ".nan" | ".NaN" | ".NAN" => return Some(NodeValue::Float(f64::NAN)),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.') {
        return None;
    }
    let plain: Cow<str> = if text.contains('_') {
        Cow::Owned(text.replace('_', ""))
    } else {
        Cow::Borrowed(text)
    };
    if let Some(i) = parse_go_int(&plain) {
        return Some(NodeValue::Int(i));
    }
    // Out of float64's range (`1e400`) go-yaml's resolver gives up and keeps the text: a string.
    if let Some(f) = is_yaml_float(&plain)
        .then(|| plain.parse::<f64>().ok())
        .flatten()
        .filter(|f| f.is_finite())
    {
        // Go writes an integral float64 below 1e21 without exponent, and the API server reads that
        // as an int64 when it fits one.
        const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;
        if f.fract() == 0.0 && (-TWO_POW_63..TWO_POW_63).contains(&f) {
            return Some(NodeValue::Int(f as i64));
        }
        return Some(NodeValue::Float(f));
    }
    None
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

    /// Documents of every shape the reader meets, separated in every way YAML allows, to be
    /// repeated past the size that is read in parts.
    const MIXED_DOCUMENTS: &str = "---
apiVersion: v1
kind: ConfigMap # a comment
metadata: {name: \"caf\u{e9}-\u{1F600}\", labels: {a: 'b'}}
data:
  script: |
    echo ---
    done
  folded: >-
    one
    two
base: &base {x: 1}
copy: *base
merged:
  <<: *base
  y: [1, 2.5, true, null, ~, 0755]
--- # a marker with a comment
- a
- b: c

---
...
--- |
  a literal document
---\r
crlf: yes\r
---\t
plain: multi
  line scalar
";

    fn large(middle: &str) -> String {
        let mut text = MIXED_DOCUMENTS.repeat(600);
        text.push_str(middle);
        text.push_str(&MIXED_DOCUMENTS.repeat(600));
        text
    }

    fn on_two_threads<T: Send>(f: impl FnOnce() -> T + Send) -> T {
        rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("a pool of two threads")
            .install(f)
    }

    fn same(a: &Parsed, b: &Parsed) -> bool {
        a.documents == b.documents && a.problems == b.problems && a.error == b.error
    }

    #[test]
    fn a_text_read_in_parts_is_the_text_read_once() {
        let text = large("");
        assert!(text.len() > PARTS_MIN_BYTES + 2 * PART_MIN_BYTES);
        let limits = Limits::fitting(text.len());
        let once = parse_range(&text, 0..text.len(), &limits);
        assert!(once.error.is_none() && once.problems.is_empty());
        assert_eq!(once.documents.len(), 1200 * 5);
        let parts = on_two_threads(|| parse_in_parts(&text, &limits)).expect("read in parts");
        assert!(same(&parts, &once));
    }

    #[test]
    fn a_text_that_does_not_read_cleanly_in_parts_reads_as_once() {
        let middles = [
            // a quoted scalar across a marker line, a literal holding one, a dangling alias
            "---\nkey: \"one\n--- two\"\n",
            "--- |\nliteral\n---\nmore\n",
            "---\nref: *base\n",
            // a duplicate key, a syntax error, a directive, a control character
            "---\na: 1\na: 2\n",
            "---\na: [\n",
            "%YAML 1.1\n---\na: 1\n",
            "---\na: \"\u{7}\"\n",
        ];
        for middle in middles {
            let text = large(middle);
            let limits = Limits::fitting(text.len());
            let once = parse_range(&text, 0..text.len(), &limits);
            let parsed = on_two_threads(|| parse(&text, &limits));
            assert!(same(&parsed, &once), "{middle:?}");
        }
    }

    #[test]
    fn document_markers_are_lines_that_start_a_document() {
        let text = b"---\na: 1\n--- # c\n---x\n ---\n---\tb\n---\r\n---";
        let found: Vec<usize> = document_markers(text).collect();
        // at `---\n`, `--- # c`, `---\tb`, `---\r\n` and the final `---`; not `---x` or ` ---`
        assert_eq!(found, vec![0, 9, 27, 33, 38]);
    }

    fn line_of(text: &str, offset: usize) -> (usize, usize) {
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }

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
    fn alias_expansion_is_budgeted_in_bytes() {
        let big = "x".repeat(100_000);
        let aliases = vec!["*a"; 200].join(", ");
        let text = format!("a: &a \"{big}\"\nb: [{aliases}]\n");
        let limits = Limits {
            max_document_bytes: 1 << 20,
            ..Limits::default()
        };
        match parse(&text, &limits).error {
            Some(ParseError::Limit(p)) => {
                assert_eq!(line_of(&text, p.offset).0, 2);
                assert!(p.message.contains("aliases expanded"), "{}", p.message);
            }
            other => panic!("expected the byte budget, got {other:?}"),
        }
        // Under the budget the same aliases are read.
        let few = format!("a: &a \"{big}\"\nb: [*a, *a]\n");
        assert!(parse(&few, &limits).error.is_none());
    }

    #[test]
    fn an_anchor_counts_what_its_own_aliases_added() {
        let big = "x".repeat(300_000);
        // b is short text but repeats a three times; each *b then costs 900 KB.
        let text = format!("a: &a \"{big}\"\nb: &b [*a, *a, *a]\nc: [*b, *b]\n");
        let limits = Limits {
            max_document_bytes: 2 << 20,
            ..Limits::default()
        };
        match parse(&text, &limits).error {
            Some(ParseError::Limit(p)) => assert_eq!(line_of(&text, p.offset).0, 3),
            other => panic!("expected the byte budget at c, got {other:?}"),
        }
    }

    #[test]
    fn a_duplicate_key_names_the_first_line_with_any_line_break_and_in_any_mapping_size() {
        let message = |text: &str| {
            let parsed = parse(text, &Limits::default());
            parsed
                .problems
                .iter()
                .map(|p| p.message.clone())
                .collect::<Vec<_>>()
        };
        let at_line_2 = ["mapping key \"b\" already defined at line 2"];
        assert_eq!(message("a: 1\nb: 2\nb: 3\n"), at_line_2);
        assert_eq!(message("a: 1\r\nb: 2\r\nb: 3\r\n"), at_line_2);
        assert_eq!(message("a: 1\rb: 2\rb: 3\r"), at_line_2);
        // A mapping larger than the searched size is indexed; the answer is the same.
        let mut large: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        large.push_str("k7: again\nk39: again\n");
        assert_eq!(
            message(&large),
            [
                "mapping key \"k7\" already defined at line 8",
                "mapping key \"k39\" already defined at line 40"
            ]
        );
        // Merged keys never override the mapping's own, whatever its size.
        let merged = format!(
            "b: &b {{k7: merged, extra: 1}}\no:\n  <<: *b\n{}",
            large.replace("k", "  k")
        );
        let v = parse(&merged, &Limits::default()).documents[0].to_json();
        assert_eq!(v["o"]["k7"], json!(7));
        assert_eq!(v["o"]["extra"], json!(1));
    }

    #[test]
    fn many_duplicate_keys_are_listed_up_to_a_bound() {
        let text: String = (0..5000).map(|i| format!("k{}: {i}\n", i % 10)).collect();
        let parsed = parse(&text, &Limits::default());
        assert!(parsed.error.is_none());
        assert_eq!(parsed.problems.len(), MAX_DUPLICATES_LISTED + 1);
        assert_eq!(
            parsed.problems[0].message,
            "mapping key \"k0\" already defined at line 1"
        );
        assert_eq!(
            parsed.problems[MAX_DUPLICATES_LISTED].message,
            format!(
                "{} more duplicate keys from here on, not listed one by one",
                4990 - MAX_DUPLICATES_LISTED
            )
        );
        let v = parsed.documents[0].to_json();
        assert_eq!(v.as_object().unwrap().len(), 10);
    }

    #[test]
    fn duplicate_after_a_merge_keeps_the_explicit_value() {
        let v = one("b: &b {x: 1, v: 2}\no:\n  <<: [*b, {x: 9, w: 3}]\n  v: 5\n");
        assert_eq!(v["o"], json!({"v": 5, "x": 1, "w": 3}));
    }

    #[test]
    fn numbers_beyond_float64_stay_strings_as_go_yaml_keeps_them() {
        let v = one("a: 1e400\nb: -1e400\nc: 1e16\nd: 1e19\ne: 1e-400\n");
        assert_eq!(v["a"], json!("1e400"));
        assert_eq!(v["b"], json!("-1e400"));
        // Go writes 1e16 as 10000000000000000, which the API server reads as an int64.
        assert_eq!(v["c"], json!(10_000_000_000_000_000_i64));
        assert_eq!(v["d"], json!(1e19));
        assert_eq!(v["e"], json!(0));
        let parsed = parse("a: .inf\nb: -.Inf\nc: .nan\n", &Limits::default());
        let root = &parsed.documents[0];
        assert_eq!(
            root.get("a").unwrap().value,
            NodeValue::Float(f64::INFINITY)
        );
        assert_eq!(
            root.get("b").unwrap().value,
            NodeValue::Float(f64::NEG_INFINITY)
        );
        assert!(matches!(root.get("c").unwrap().value, NodeValue::Float(f) if f.is_nan()));
    }

    #[test]
    fn infinite_keys_are_named_as_sigs_k8s_yaml_names_them() {
        assert_eq!(
            one(".inf: 1\n-.inf: 2\n.nan: 3\n"),
            json!({".inf": 1, "-.inf": 2, ".nan": 3})
        );
    }

    #[test]
    fn a_nul_byte_has_its_own_message_and_earlier_documents_stay() {
        let text = "a: 1\n---\nb: 2\u{0}\n";
        let parsed = parse(text, &Limits::default());
        assert_eq!(parsed.documents.len(), 1);
        match parsed.error {
            Some(ParseError::Syntax(p)) => {
                assert_eq!(p.code, "yaml/nul", "{p:?}");
                assert_eq!(p.offset, text.find('\0').unwrap());
                assert!(!p.message.contains("tab"), "{}", p.message);
            }
            other => panic!("expected a NUL error, got {other:?}"),
        }
    }

    #[test]
    fn control_characters_are_refused_as_go_yaml_refuses_them() {
        for (text, shown) in [
            ("a: \"x\u{1}\"\n", "U+0001"),
            ("a: x\u{7f}\n", "U+007F"),
            ("a: x\u{9b}\n", "U+009B"),
            ("a: \u{e9}\u{85}\u{1F600}\u{1}\n", "U+0001"),
        ] {
            match parse(text, &Limits::default()).error {
                Some(ParseError::Syntax(p)) => {
                    assert_eq!(p.code, "yaml/control-character");
                    let bad = text
                        .char_indices()
                        .find(|(_, c)| shown.ends_with(&format!("{:04X}", *c as u32)));
                    assert_eq!(Some(p.offset), bad.map(|(i, _)| i), "{text:?}");
                    assert!(p.message.contains(shown), "{}", p.message);
                }
                other => panic!("{text:?}: expected a control character error, got {other:?}"),
            }
        }
        // Tabs, CR, NEL and non-ASCII text are fine.
        assert!(
            parse("a: \"\t\"\r\nb: \u{85}é\n", &Limits::default())
                .error
                .is_none()
        );
    }

    #[test]
    fn deep_block_nesting_hits_the_depth_limit() {
        let text: String = (0..1000)
            .map(|i| format!("{}a:\n", "  ".repeat(i)))
            .collect();
        match parse(&text, &Limits::default()).error {
            Some(ParseError::Limit(p)) => assert!(p.message.contains("200"), "{}", p.message),
            other => panic!("expected the depth limit, got {other:?}"),
        }
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
