//! A strict decoder over [`crate::load::yaml::Node`] that reads a configuration the way go-yaml v2
//! (`UnmarshalStrict`) and Prometheus's `UnmarshalYAML` methods read it: unknown and repeated
//! fields, scalar type errors with go-yaml's wording and Go's type names, `!!binary` scalars,
//! Prometheus durations, and the split between errors go-yaml collects and errors that stop it.

use super::{ConfigError, ErrorKind};
use crate::diag::Span;
use crate::load::yaml::{Key, Node, NodeValue};
use base64::Engine;

/// A key that a mapping repeats (the YAML reader keeps the first value and records the repeat).
#[derive(Clone, Debug)]
pub struct RepeatedKey {
    pub name: String,
    pub span: Span,
}

/// Decoding state: the source text (for raw scalars and tags, when known), the repeated keys of
/// the document, and the errors found so far.
#[derive(Debug, Default)]
pub struct Decoder<'t> {
    text: Option<&'t str>,
    repeated: Vec<RepeatedKey>,
    pub errors: Vec<ConfigError>,
}

/// The entries of one mapping decoded as a Go struct.
pub struct Fields<'n> {
    pub node: &'n Node,
    entries: &'n [(Key, Node)],
}

impl<'n> Fields<'n> {
    pub fn get(&self, name: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(_, v)| v)
    }

    /// The key node of a field, for findings that point at the key.
    pub fn key(&self, name: &str) -> Option<&'n Key> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(k, _)| k)
    }

    /// The field's value unless it is absent or null.
    pub fn present(&self, name: &str) -> Option<&'n Node> {
        self.get(name).filter(|n| !is_null(n))
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The span of the key, or the mapping's when the field is absent.
    pub fn span_of(&self, name: &str) -> Span {
        self.key(name).map_or(self.node.span, |k| k.span)
    }

    pub fn entries(&self) -> &'n [(Key, Node)] {
        self.entries
    }
}

pub fn is_null(node: &Node) -> bool {
    matches!(node.value, NodeValue::Null)
}

/// Chars standing for bytes of a `!!binary` value that are not UTF-8: U+10FF00 + byte.
const RAW_BYTE_BASE: u32 = 0x10FF00;

/// A decoded `!!binary` value as a string; bytes that are not UTF-8 keep their value as private
/// chars so that label validation refuses them and [`go_quote`] prints them as `\xNN`.
pub fn bytes_to_string(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let good = e.valid_up_to();
                out.push_str(std::str::from_utf8(&rest[..good]).unwrap_or_default());
                let bad = e.error_len().unwrap_or(rest.len() - good);
                for &b in &rest[good..good + bad] {
                    out.push(char::from_u32(RAW_BYTE_BASE + b as u32).unwrap_or('\u{FFFD}'));
                }
                rest = &rest[good + bad..];
            }
        }
    }
    out
}

/// Whether the string is valid UTF-8 in Go's sense (no byte stood in by [`bytes_to_string`]).
pub fn is_go_utf8(s: &str) -> bool {
    !s.chars().any(|c| (c as u32) >= RAW_BYTE_BASE)
}

/// Go's `strconv.Quote` (`%q`).
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        let code = c as u32;
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
            _ if code >= RAW_BYTE_BASE => out.push_str(&format!("\\x{:02x}", code - RAW_BYTE_BASE)),
            _ if code < 0x20 || code == 0x7f => out.push_str(&format!("\\x{code:02x}")),
            _ if c.is_control() || code == 0xFEFF => {
                if code > 0xFFFF {
                    out.push_str(&format!("\\U{code:08x}"));
                } else {
                    out.push_str(&format!("\\u{code:04x}"));
                }
            }
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

impl<'t> Decoder<'t> {
    pub fn new(text: Option<&'t str>, repeated: Vec<RepeatedKey>) -> Self {
        Decoder {
            text,
            repeated,
            errors: Vec::new(),
        }
    }

    pub fn error_count(&self) -> usize {
        self.errors.len()
    }

    /// Whether an error of the given kind was added since `mark` (an [`Self::error_count`]).
    pub fn failed_since(&self, mark: usize) -> bool {
        self.errors.len() > mark
    }

    /// Whether go-yaml type errors were added since `mark`: Prometheus then skips the validation
    /// of the struct being decoded.
    pub fn unmarshal_failed_since(&self, mark: usize) -> bool {
        self.errors[mark.min(self.errors.len())..]
            .iter()
            .any(|e| e.kind == ErrorKind::Unmarshal)
    }

    /// A go-yaml type error (collected; decoding goes on).
    pub fn unmarshal_error(&mut self, span: Span, message: impl Into<String>) {
        self.errors.push(ConfigError {
            span,
            message: message.into(),
            kind: ErrorKind::Unmarshal,
        });
    }

    /// An error of an `UnmarshalYAML` or validation step (Prometheus stops at it).
    pub fn error(&mut self, span: Span, message: impl Into<String>) {
        self.errors.push(ConfigError {
            span,
            message: message.into(),
            kind: ErrorKind::Validation,
        });
    }

    /// The source text of a node, when the text is known.
    fn source(&self, node: &Node) -> Option<&'t str> {
        self.text
            .and_then(|t| t.get(node.span.start..node.span.end))
    }

    /// The tag written before a scalar (`!!binary`), when the text is known.
    fn tag(&self, node: &Node) -> Option<&'t str> {
        let text = self.text?;
        let own = self.source(node)?;
        if own.starts_with('!') {
            return own.split_whitespace().next();
        }
        let before = text.get(..node.span.start)?.trim_end_matches([' ', '\t']);
        let token_start = before
            .rfind(|c: char| c.is_whitespace() || c == ':' || c == '[' || c == '{' || c == ',')
            .map_or(0, |i| i + 1);
        let token = &before[token_start..];
        token.starts_with('!').then_some(token)
    }

    /// go-yaml's short tag of a node (`!!str`, `!!int`, …) and the value it prints in type errors.
    fn tag_and_value(&self, node: &Node) -> (&'static str, Option<String>) {
        let raw = |d: &Self| {
            d.source(node)
                .map(str::to_string)
                .unwrap_or_else(|| plain_text(node))
        };
        match &node.value {
            NodeValue::Null => ("!!null", Some(raw(self))),
            NodeValue::Bool(_) => ("!!bool", Some(raw(self))),
            NodeValue::Int(_) => ("!!int", Some(raw(self))),
            NodeValue::Float(_) => ("!!float", Some(raw(self))),
            NodeValue::Str(s) => {
                if self.tag(node) == Some("!!binary") {
                    ("!!binary", Some(s.clone()))
                } else {
                    ("!!str", Some(s.clone()))
                }
            }
            NodeValue::Seq(_) => ("!!seq", None),
            NodeValue::Map(_) => ("!!map", None),
        }
    }

    /// `cannot unmarshal !!str `abc` into int`.
    pub fn type_error(&mut self, node: &Node, go_type: &str) {
        let (tag, value) = self.tag_and_value(node);
        let shown = match value {
            None => String::new(),
            Some(v) if v.chars().count() > 10 => {
                format!(" `{}...`", v.chars().take(7).collect::<String>())
            }
            Some(v) => format!(" `{v}`"),
        };
        self.unmarshal_error(
            node.span,
            format!("cannot unmarshal {tag}{shown} into {go_type}"),
        );
    }

    /// A mapping decoded as the Go struct `go_type`: unknown fields and repeated fields are
    /// reported; `None` when the node is null (the struct keeps its defaults) or not a mapping.
    pub fn fields<'n>(
        &mut self,
        node: &'n Node,
        go_type: &str,
        known: &[&str],
    ) -> Option<Fields<'n>> {
        let entries = match &node.value {
            NodeValue::Map(entries) => entries.as_slice(),
            NodeValue::Null => return None,
            _ => {
                self.type_error(node, go_type);
                return None;
            }
        };
        for (key, _) in entries {
            if !known.contains(&key.name.as_str()) {
                self.unmarshal_error(
                    key.span,
                    format!("field {} not found in type {go_type}", key.name),
                );
            }
        }
        let repeats: Vec<RepeatedKey> = self
            .repeated
            .iter()
            .filter(|r| directly_in(node, entries, r.span))
            .cloned()
            .collect();
        for r in repeats {
            if known.contains(&r.name.as_str()) {
                self.unmarshal_error(
                    r.span,
                    format!("field {} already set in type {go_type}", r.name),
                );
            } else {
                self.unmarshal_error(
                    r.span,
                    format!("field {} not found in type {go_type}", r.name),
                );
            }
        }
        Some(Fields { node, entries })
    }

    /// Repeated keys of a mapping decoded as a Go map: `key "x" already set in map`.
    pub fn check_map_keys(&mut self, node: &Node) {
        let NodeValue::Map(entries) = &node.value else {
            return;
        };
        let repeats: Vec<RepeatedKey> = self
            .repeated
            .iter()
            .filter(|r| directly_in(node, entries, r.span))
            .cloned()
            .collect();
        for r in repeats {
            self.unmarshal_error(
                r.span,
                format!("key {} already set in map", go_quote(&r.name)),
            );
        }
    }

    /// A scalar decoded into a Go `string`: go-yaml keeps the scalar's text whatever it resolves
    /// to; `!!binary` is base64-decoded. Null is the empty string.
    pub fn string(&mut self, node: &Node) -> Option<String> {
        match &node.value {
            NodeValue::Null => Some(String::new()),
            NodeValue::Str(s) => {
                if self.tag(node) == Some("!!binary") {
                    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
                    match base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) {
                        Ok(bytes) => Some(bytes_to_string(&bytes)),
                        Err(_) => {
                            self.error(node.span, "!!binary value contains invalid base64 data");
                            None
                        }
                    }
                } else {
                    Some(s.clone())
                }
            }
            NodeValue::Bool(_) | NodeValue::Int(_) | NodeValue::Float(_) => Some(
                self.source(node)
                    .map(str::to_string)
                    .unwrap_or_else(|| plain_text(node)),
            ),
            NodeValue::Seq(_) | NodeValue::Map(_) => {
                self.type_error(node, "string");
                None
            }
        }
    }

    /// A scalar decoded into a Go `bool`.
    pub fn bool(&mut self, node: &Node) -> Option<bool> {
        match &node.value {
            NodeValue::Null => Some(false),
            NodeValue::Bool(b) => Some(*b),
            _ => {
                self.type_error(node, "bool");
                None
            }
        }
    }

    /// A scalar decoded into a Go integer type (`int`, `uint64`, …) within `min..=max`.
    pub fn integer(&mut self, node: &Node, go_type: &str, min: i128, max: i128) -> Option<i128> {
        let value = match &node.value {
            NodeValue::Null => return Some(0),
            NodeValue::Int(i) => Some(*i as i128),
            NodeValue::Float(f) if f.fract() == 0.0 && f.is_finite() => Some(*f as i128),
            _ => None,
        };
        match value {
            Some(v) if v >= min && v <= max => Some(v),
            _ => {
                self.type_error(node, go_type);
                None
            }
        }
    }

    pub fn int(&mut self, node: &Node) -> Option<i64> {
        self.integer(node, "int", i64::MIN as i128, i64::MAX as i128)
            .map(|v| v as i64)
    }

    pub fn uint(&mut self, node: &Node, go_type: &str) -> Option<u64> {
        self.integer(node, go_type, 0, u64::MAX as i128)
            .map(|v| v as u64)
    }

    /// A scalar decoded into a Go `float64`.
    pub fn float(&mut self, node: &Node) -> Option<f64> {
        match &node.value {
            NodeValue::Null => Some(0.0),
            NodeValue::Int(i) => Some(*i as f64),
            NodeValue::Float(f) => Some(*f),
            _ => {
                self.type_error(node, "float64");
                None
            }
        }
    }

    /// Prometheus's `model.Duration`: a string in Prometheus's duration syntax, in milliseconds.
    pub fn duration(&mut self, node: &Node) -> Option<u64> {
        let text = self.string(node)?;
        match parse_duration(&text) {
            Ok(ms) => Some(ms),
            Err(message) => {
                self.error(node.span, message);
                None
            }
        }
    }

    /// A sequence decoded into a Go slice; null is an empty slice. Items are returned with their nodes.
    pub fn seq<'n>(&mut self, node: &'n Node, go_type: &str) -> Option<&'n [Node]> {
        match &node.value {
            NodeValue::Null => Some(&[]),
            NodeValue::Seq(items) => Some(items),
            _ => {
                self.type_error(node, go_type);
                None
            }
        }
    }

    /// A sequence of strings (`[]string`).
    pub fn strings(&mut self, node: &Node) -> Option<Vec<String>> {
        let items = self.seq(node, "[]string")?;
        let mut out = Vec::new();
        for item in items {
            if let Some(s) = self.string(item) {
                out.push(s);
            }
        }
        Some(out)
    }

    /// A mapping decoded into a Go `map[string]string`, with each key's node.
    pub fn string_map<'n>(&mut self, node: &'n Node) -> Option<Vec<(&'n Key, String, &'n Node)>> {
        let entries = match &node.value {
            NodeValue::Null => return Some(Vec::new()),
            NodeValue::Map(entries) => entries,
            _ => {
                self.type_error(node, "map[string]string");
                return None;
            }
        };
        self.check_map_keys(node);
        let mut out = Vec::new();
        for (key, value) in entries {
            if let Some(s) = self.string(value) {
                out.push((key, s, value));
            }
        }
        Some(out)
    }

    /// A mapping key as go-yaml decodes it into a string: `!!binary` keys are base64-decoded.
    pub fn key_string(&mut self, key: &Key) -> Option<String> {
        let node = Node {
            value: NodeValue::Str(key.name.clone()),
            span: key.span,
        };
        self.string(&node)
    }
}

/// Whether `span` is a key of this mapping itself rather than of a nested value.
fn directly_in(node: &Node, entries: &[(Key, Node)], span: Span) -> bool {
    if span.start < node.span.start || span.start >= node.span.end.max(node.span.start + 1) {
        return false;
    }
    !entries
        .iter()
        .any(|(_, v)| span.start >= v.span.start && span.start < v.span.end)
}

fn plain_text(node: &Node) -> String {
    match &node.value {
        NodeValue::Null => "null".into(),
        NodeValue::Bool(b) => b.to_string(),
        NodeValue::Int(i) => i.to_string(),
        NodeValue::Float(f) => f.to_string(),
        NodeValue::Str(s) => s.clone(),
        NodeValue::Seq(_) | NodeValue::Map(_) => String::new(),
    }
}

/// Prometheus's `model.ParseDuration` (`1h30m`, `5m`, `0`; units y w d h m s ms), in milliseconds.
pub fn parse_duration(text: &str) -> Result<u64, String> {
    match text {
        "0" => return Ok(0),
        "" => return Err("empty duration string".into()),
        _ => {}
    }
    let invalid = || format!("not a valid duration string: {}", go_quote(text));
    // Units from the biggest to the smallest, in nanoseconds; each may appear once, in this order.
    const UNITS: [(&str, u128); 7] = [
        ("y", 365 * 24 * 3_600_000_000_000),
        ("w", 7 * 24 * 3_600_000_000_000),
        ("d", 24 * 3_600_000_000_000),
        ("h", 3_600_000_000_000),
        ("m", 60_000_000_000),
        ("s", 1_000_000_000),
        ("ms", 1_000_000),
    ];
    let mut rest = text;
    let mut total: u128 = 0;
    let mut last = 0usize;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return Err(invalid());
        }
        let number: u128 = rest[..digits].parse::<u64>().map_err(|_| invalid())? as u128;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        if unit_len == 0 {
            return Err(invalid());
        }
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let Some(index) = UNITS.iter().position(|(u, _)| *u == unit) else {
            return Err(format!(
                "unknown unit {} in duration {}",
                go_quote(unit),
                go_quote(text)
            ));
        };
        if index < last {
            return Err(invalid());
        }
        last = index + 1;
        let mult = UNITS[index].1;
        if number > (1u128 << 63) / mult {
            return Err("duration out of range".into());
        }
        total += number * mult;
        if total > (1u128 << 63) - 1 {
            return Err("duration out of range".into());
        }
    }
    Ok((total / 1_000_000) as u64)
}

/// A duration in Prometheus's own notation (`1m30s`), as `model.Duration.String` prints it.
pub fn format_duration(ms: u64) -> String {
    if ms == 0 {
        return "0s".into();
    }
    let mut rest = ms;
    let mut out = String::new();
    for (unit, size) in [
        ("y", 365 * 24 * 3_600_000u64),
        ("w", 7 * 24 * 3_600_000),
        ("d", 24 * 3_600_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1000),
        ("ms", 1),
    ] {
        if rest >= size {
            out.push_str(&format!("{}{unit}", rest / size));
            rest %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::{Limits, parse};

    fn doc(text: &str) -> Node {
        parse(text, &Limits::default()).documents.remove(0)
    }

    #[test]
    fn durations_follow_prometheus_syntax() {
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("15s"), Ok(15_000));
        assert_eq!(parse_duration("1d2h"), Ok(93_600_000));
        assert_eq!(parse_duration("100ms"), Ok(100));
        assert_eq!(
            parse_duration("-1h"),
            Err("not a valid duration string: \"-1h\"".into())
        );
        assert!(parse_duration("1m1h").is_err());
        assert_eq!(
            parse_duration("1.5h"),
            Err("unknown unit \".\" in duration \"1.5h\"".into())
        );
        assert_eq!(parse_duration(""), Err("empty duration string".into()));
        assert_eq!(format_duration(5_400_000), "1h30m");
    }

    #[test]
    fn unknown_and_type_errors_use_go_yaml_wording() {
        let text = "a: abc\nb: [1]\nzz: 1\n";
        let node = doc(text);
        let mut d = Decoder::new(Some(text), Vec::new());
        let f = d.fields(&node, "config.plain", &["a", "b"]).unwrap();
        d.int(f.get("a").unwrap());
        d.string(f.get("b").unwrap());
        let messages: Vec<&str> = d.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "field zz not found in type config.plain",
                "cannot unmarshal !!str `abc` into int",
                "cannot unmarshal !!seq into string",
            ]
        );
    }

    #[test]
    fn long_values_are_shortened_in_type_errors() {
        let text = "a: abcdefghijkl\n";
        let node = doc(text);
        let mut d = Decoder::new(Some(text), Vec::new());
        d.int(node.get("a").unwrap());
        assert_eq!(
            d.errors[0].message,
            "cannot unmarshal !!str `abcdefg...` into int"
        );
    }

    #[test]
    fn strings_keep_the_scalar_text_and_binary_is_decoded() {
        let text =
            "a: 0755\nb: yes\nc: !!binary \"/w==\"\nd: !!binary aGk=\ne: !!binary \"/w==$1\"\n";
        let node = doc(text);
        let mut d = Decoder::new(Some(text), Vec::new());
        assert_eq!(d.string(node.get("a").unwrap()).unwrap(), "0755");
        assert_eq!(d.string(node.get("b").unwrap()).unwrap(), "yes");
        let raw = d.string(node.get("c").unwrap()).unwrap();
        assert!(!is_go_utf8(&raw));
        assert_eq!(go_quote(&raw), "\"\\xff\"");
        assert_eq!(d.string(node.get("d").unwrap()).unwrap(), "hi");
        assert!(d.string(node.get("e").unwrap()).is_none());
        assert_eq!(
            d.errors[0].message,
            "!!binary value contains invalid base64 data"
        );
    }

    #[test]
    fn go_quote_escapes_like_strconv() {
        assert_eq!(go_quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(go_quote("é"), "\"é\"");
        assert_eq!(go_quote("\u{1}"), "\"\\x01\"");
    }
}
