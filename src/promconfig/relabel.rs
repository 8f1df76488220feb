//! Prometheus's relabel configuration (`model/relabel`): the rule type with its defaults, the
//! anchored regular expression, label-name validation by scheme, and the load-time checks of
//! `UnmarshalYAML` and `Validate` with their messages.

use super::ConfigError;
use super::decode::{Decoder, go_quote, is_go_utf8};
use crate::diag::Span;
use crate::load::yaml::Node;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// How label names are validated: Prometheus's legacy character set or any UTF-8.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameValidation {
    Legacy,
    Utf8,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Replace,
    Keep,
    Drop,
    KeepEqual,
    DropEqual,
    HashMod,
    LabelMap,
    LabelDrop,
    LabelKeep,
    Lowercase,
    Uppercase,
}

impl Action {
    pub const ALL: [Action; 11] = [
        Action::Replace,
        Action::Keep,
        Action::Drop,
        Action::KeepEqual,
        Action::DropEqual,
        Action::HashMod,
        Action::LabelMap,
        Action::LabelDrop,
        Action::LabelKeep,
        Action::Lowercase,
        Action::Uppercase,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Replace => "replace",
            Action::Keep => "keep",
            Action::Drop => "drop",
            Action::KeepEqual => "keepequal",
            Action::DropEqual => "dropequal",
            Action::HashMod => "hashmod",
            Action::LabelMap => "labelmap",
            Action::LabelDrop => "labeldrop",
            Action::LabelKeep => "labelkeep",
            Action::Lowercase => "lowercase",
            Action::Uppercase => "uppercase",
        }
    }

    /// Prometheus reads the action case-insensitively.
    pub fn parse(text: &str) -> Option<Action> {
        let lower = text.to_lowercase();
        Action::ALL.into_iter().find(|a| a.as_str() == lower)
    }
}

/// Prometheus's `relabel.Regexp`: the expression as written and its compiled form, anchored at
/// both ends with `.` matching new lines (`^(?s:EXPR)$`).
#[derive(Clone, Debug)]
pub struct Regex {
    source: Arc<str>,
    /// Compiled on first match: checking a configuration only needs to know that the expression
    /// parses. Shared, as cloning a `regex::Regex` builds a new matching-cache pool.
    compiled: Arc<OnceLock<regex::Regex>>,
}

/// Whether `source` is made of literal characters, `.`, `|` and balanced groups only (as the
/// `(value);true` the operator writes for a label selector): such an expression always parses, in
/// Go's syntax and the regex crate's.
fn is_plainly_valid(source: &str) -> bool {
    let mut depth = 0usize;
    for b in source.bytes() {
        match b {
            b'(' => depth += 1,
            b')' => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => {}
            b'_' | b'-' | b';' | b':' | b'/' | b'=' | b',' | b'@' | b'%' | b'.' | b'|' | b' ' => {}
            _ => return false,
        }
    }
    depth == 0
}

/// Expressions at most this long and without a counted repetition are compiled on first use: the
/// compiled form of such an expression stays below the regex crate's size limit (the densest,
/// `\w` repeated, passes it only past 400 bytes), so parsing alone tells whether it compiles.
/// Others are compiled at once, so a size error is reported where the expression is.
const LAZY_MAX_LEN: usize = 256;

impl Regex {
    /// Parses `source`; each distinct expression is parsed once per process, as a config
    /// generated from thousands of monitors repeats the same few.
    pub fn new(source: &str) -> Result<Regex, String> {
        type Cache = Mutex<HashMap<String, Result<Regex, String>>>;
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let cache = CACHE.get_or_init(Cache::default);
        if let Ok(guard) = cache.lock()
            && let Some(hit) = guard.get(source)
        {
            return hit.clone();
        }
        let parsed = Regex::parse(source);
        if let Ok(mut guard) = cache.lock() {
            guard.insert(source.to_string(), parsed.clone());
        }
        parsed
    }

    fn parse(source: &str) -> Result<Regex, String> {
        if source.len() <= LAZY_MAX_LEN && is_plainly_valid(source) {
            return Ok(Regex {
                source: source.into(),
                compiled: Arc::new(OnceLock::new()),
            });
        }
        let anchored = Regex::anchored(source);
        if let Some(message) = go_syntax_error(&anchored) {
            return Err(format!("error parsing regexp: {message}"));
        }
        let regex = Regex {
            source: source.into(),
            compiled: Arc::new(OnceLock::new()),
        };
        let checked = if source.len() <= LAZY_MAX_LEN && !source.contains('{') {
            regex_syntax::Parser::new()
                .parse(&anchored)
                .map(|_| ())
                .map_err(|e| e.to_string())
        } else {
            regex::Regex::new(&anchored)
                .map(|compiled| {
                    let _ = regex.compiled.set(compiled);
                })
                .map_err(|e| e.to_string())
        };
        checked.map(|()| regex).map_err(|detail| {
            let last = detail
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("invalid expression")
                .trim()
                .trim_start_matches("error: ")
                .to_string();
            format!("error parsing regexp: {last}: `{anchored}`")
        })
    }

    fn anchored(source: &str) -> String {
        format!("^(?s:{source})$")
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn compiled(&self) -> &regex::Regex {
        self.compiled.get_or_init(|| {
            // `parse` compiled every expression whose compiled size it could not vouch for; the
            // size limit is lifted all the same, as parsing succeeded.
            regex::RegexBuilder::new(&Regex::anchored(&self.source))
                .size_limit(usize::MAX)
                .build()
                .unwrap_or_else(|_| {
                    unreachable!("a parsed expression compiles without a size limit")
                })
        })
    }
}

impl PartialEq for Regex {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

/// One relabel rule, with Prometheus's defaults for what it does not set.
#[derive(Clone, Debug)]
pub struct RelabelConfig {
    pub source_labels: Vec<String>,
    pub separator: String,
    pub regex: Regex,
    pub modulus: u64,
    pub target_label: String,
    pub replacement: String,
    pub action: Action,
    /// The rule's mapping in the file.
    pub span: Span,
}

impl Default for RelabelConfig {
    fn default() -> Self {
        RelabelConfig {
            source_labels: Vec::new(),
            separator: ";".into(),
            regex: default_regex(),
            modulus: 0,
            target_label: String::new(),
            replacement: "$1".into(),
            action: Action::Replace,
            span: Span::default(),
        }
    }
}

fn default_regex() -> Regex {
    static DEFAULT: OnceLock<Regex> = OnceLock::new();
    DEFAULT
        .get_or_init(|| Regex {
            source: "(.*)".into(),
            compiled: Arc::new(OnceLock::new()),
        })
        .clone()
}

/// Whether `name` is a valid label name under `scheme`.
pub fn is_valid_label_name(name: &str, scheme: NameValidation) -> bool {
    match scheme {
        NameValidation::Legacy => {
            !name.is_empty()
                && name.chars().enumerate().all(|(i, c)| {
                    c.is_ascii_alphabetic() || c == '_' || (i > 0 && c.is_ascii_digit())
                })
        }
        NameValidation::Utf8 => !name.is_empty() && is_go_utf8(name),
    }
}

/// Prometheus's legacy target-label pattern that also allows `$1` and `${name}` references.
fn is_valid_legacy_template(value: &str) -> bool {
    static PATTERN: OnceLock<regex::Regex> = OnceLock::new();
    PATTERN
        .get_or_init(|| {
            regex::Regex::new(
                r"^(?:(?:[a-zA-Z_]|\$(?:\{[0-9A-Za-z_]+\}|[0-9A-Za-z_]+))+[0-9A-Za-z_]*)+$",
            )
            .unwrap_or_else(|_| unreachable!())
        })
        .is_match(value)
}

/// A list of relabel configs as Prometheus decodes and validates them (UnmarshalYAML then Validate(scheme)).
pub fn decode_list(
    node: &Node,
    scheme: NameValidation,
) -> Result<Vec<RelabelConfig>, Vec<ConfigError>> {
    let mut decoder = Decoder::new(None, Vec::new());
    let list = decode_rules(&mut decoder, node, scheme, "empty or null relabeling rule");
    if decoder.errors.is_empty() {
        Ok(list)
    } else {
        Err(decoder.errors)
    }
}

/// Like [`decode_list`], with the source text so that scalar text and `!!binary` tags are seen.
pub fn decode_list_in(
    text: &str,
    node: &Node,
    scheme: NameValidation,
) -> Result<Vec<RelabelConfig>, Vec<ConfigError>> {
    let mut decoder = Decoder::new(Some(text), Vec::new());
    let list = decode_rules(&mut decoder, node, scheme, "empty or null relabeling rule");
    if decoder.errors.is_empty() {
        Ok(list)
    } else {
        Err(decoder.errors)
    }
}

/// Decodes a `[]*relabel.Config` field; a null item is refused with `null_message`.
pub(crate) fn decode_rules(
    d: &mut Decoder,
    node: &Node,
    scheme: NameValidation,
    null_message: &str,
) -> Vec<RelabelConfig> {
    let mut out = Vec::new();
    let Some(items) = d.seq(node, "[]*relabel.Config") else {
        return out;
    };
    for item in items {
        if super::decode::is_null(item) {
            d.error(item.span, null_message);
            continue;
        }
        if let Some(rule) = decode_rule(d, item, scheme) {
            out.push(rule);
        }
    }
    out
}

const FIELDS: &[&str] = &[
    "source_labels",
    "separator",
    "regex",
    "modulus",
    "target_label",
    "replacement",
    "action",
];

/// One rule: `UnmarshalYAML` (defaults, then the fields) followed by `Validate`.
pub(crate) fn decode_rule(
    d: &mut Decoder,
    node: &Node,
    scheme: NameValidation,
) -> Option<RelabelConfig> {
    let mark = d.error_count();
    let fields = d.fields(node, "relabel.plain", FIELDS)?;
    let mut rule = RelabelConfig {
        span: node.span,
        ..RelabelConfig::default()
    };
    let mut action_text = Some("replace".to_string());
    let mut regex_is_default = true;
    let mut action_span = node.span;
    for (key, value) in fields.entries() {
        match key.name.as_str() {
            "source_labels" => {
                let Some(items) = d.seq(value, "model.LabelNames") else {
                    continue;
                };
                let mut labels = Vec::new();
                for item in items {
                    let Some(name) = d.string(item) else { continue };
                    if !is_valid_label_name(&name, NameValidation::Utf8) {
                        d.error(
                            item.span,
                            format!("{} is not a valid label name", go_quote(&name)),
                        );
                        continue;
                    }
                    labels.push(name);
                }
                rule.source_labels = labels;
            }
            "separator" => {
                if let Some(s) = d.string(value) {
                    rule.separator = s;
                }
            }
            "regex" => {
                regex_is_default = false;
                if super::decode::is_null(value) {
                    rule.regex = Regex::new("").unwrap_or_else(|_| default_regex());
                    continue;
                }
                let Some(source) = d.string(value) else {
                    continue;
                };
                match Regex::new(&source) {
                    Ok(regex) => rule.regex = regex,
                    Err(message) => d.error(value.span, message),
                }
            }
            "modulus" => {
                if let Some(m) = d.uint(value, "uint64") {
                    rule.modulus = m;
                }
            }
            "target_label" => {
                if let Some(s) = d.string(value) {
                    rule.target_label = s;
                }
            }
            "replacement" => {
                if let Some(s) = d.string(value) {
                    rule.replacement = s;
                }
            }
            "action" => {
                action_span = value.span;
                let Some(s) = d.string(value) else {
                    action_text = None;
                    continue;
                };
                if s.is_empty() {
                    action_text = Some(String::new());
                    continue;
                }
                match Action::parse(&s) {
                    Some(action) => {
                        rule.action = action;
                        action_text = Some(action.as_str().to_string());
                    }
                    None => {
                        d.error(
                            value.span,
                            format!("unknown relabel action {}", go_quote(&s)),
                        );
                        action_text = None;
                    }
                }
            }
            _ => {}
        }
    }
    if d.failed_since(mark) {
        return None;
    }
    let empty_action = action_text.as_deref() == Some("");
    let source_labels_set = fields.has("source_labels");
    match validate(
        &rule,
        scheme,
        empty_action,
        source_labels_set,
        regex_is_default,
    ) {
        Ok(()) => Some(rule),
        Err((field, message)) => {
            let span = match field {
                "action" => action_span,
                "" => node.span,
                other => fields.span_of(other),
            };
            d.error(span, message);
            None
        }
    }
}

/// `relabel.Config.Validate`; the error names the field to point at.
fn validate(
    rule: &RelabelConfig,
    scheme: NameValidation,
    empty_action: bool,
    source_labels_set: bool,
    regex_is_default: bool,
) -> Result<(), (&'static str, String)> {
    use Action::*;
    let action = rule.action;
    let name = action.as_str();
    if empty_action {
        return Err(("action", "relabel action cannot be empty".into()));
    }
    if rule.modulus == 0 && action == HashMod {
        return Err((
            "modulus",
            "relabel configuration for hashmod requires non-zero modulus".into(),
        ));
    }
    let needs_target = matches!(
        action,
        Replace | HashMod | Lowercase | Uppercase | KeepEqual | DropEqual
    );
    if needs_target && rule.target_label.is_empty() {
        return Err((
            "action",
            format!("relabel configuration for {name} action requires 'target_label' value"),
        ));
    }
    let invalid_target = || {
        (
            "target_label",
            format!(
                "{} is invalid 'target_label' for {name} action",
                go_quote(&rule.target_label)
            ),
        )
    };
    let with_vars_ok = |value: &str| match scheme {
        NameValidation::Utf8 => is_valid_label_name(value, scheme),
        NameValidation::Legacy => is_valid_legacy_template(value),
    };
    let has_var = rule.target_label.contains('$');
    if action == Replace && !has_var && !is_valid_label_name(&rule.target_label, scheme) {
        return Err(invalid_target());
    }
    if action == Replace && has_var && !with_vars_ok(&rule.target_label) {
        return Err(invalid_target());
    }
    let case_or_equal = matches!(action, Lowercase | Uppercase | KeepEqual | DropEqual);
    if case_or_equal && !is_valid_label_name(&rule.target_label, scheme) {
        return Err(invalid_target());
    }
    if case_or_equal && rule.replacement != "$1" {
        return Err((
            "replacement",
            format!("'replacement' can not be set for {name} action"),
        ));
    }
    if action == LabelMap && !with_vars_ok(&rule.replacement) {
        return Err((
            "replacement",
            format!(
                "{} is invalid 'replacement' for {name} action",
                go_quote(&rule.replacement)
            ),
        ));
    }
    if action == HashMod && !is_valid_label_name(&rule.target_label, scheme) {
        return Err(invalid_target());
    }
    if matches!(action, KeepEqual | DropEqual)
        && (!regex_is_default
            || rule.modulus != 0
            || rule.separator != ";"
            || rule.replacement != "$1")
    {
        return Err((
            "",
            format!(
                "{name} action requires only 'source_labels' and `target_label`, and no other fields"
            ),
        ));
    }
    if matches!(action, LabelDrop | LabelKeep)
        && (source_labels_set
            || !rule.target_label.is_empty()
            || rule.modulus != 0
            || rule.separator != ";"
            || rule.replacement != "$1")
    {
        return Err((
            "",
            format!("{name} action requires only 'regex', and no other fields"),
        ));
    }
    Ok(())
}

/// The syntax errors Go's `regexp/syntax` reports, in its words, for what it refuses and
/// Rust's `regex` reports differently or accepts: unbalanced brackets, bad escapes,
/// repetitions without argument or nested, repeat counts above 1000, look-around.
fn go_syntax_error(expr: &str) -> Option<String> {
    let chars: Vec<char> = expr.chars().collect();
    let text = |from: usize, to: usize| chars[from..to.min(chars.len())].iter().collect::<String>();
    let mut depth = 0usize;
    // Whether the previous item can take a repetition, and whether it was one.
    let mut has_operand = false;
    let mut after_repeat = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let Some(&next) = chars.get(i + 1) else {
                    return Some("trailing backslash at end of expression: ``".into());
                };
                match next {
                    '1'..='9' => {
                        return Some(format!("invalid escape sequence: `\\{next}`"));
                    }
                    'p' | 'P' => {
                        if chars.get(i + 2) == Some(&'{') {
                            let close = chars[i + 2..].iter().position(|&c| c == '}');
                            i += close.map_or(2, |p| p + 3);
                        } else {
                            i += 3;
                        }
                        has_operand = true;
                        after_repeat = false;
                        continue;
                    }
                    'Q' => {
                        let rest = text(i + 2, chars.len());
                        let skip = rest
                            .find("\\E")
                            .map_or(rest.chars().count(), |p| rest[..p].chars().count() + 2);
                        i += 2 + skip;
                        has_operand = true;
                        after_repeat = false;
                        continue;
                    }
                    c if c.is_ascii_alphanumeric() && !"aftnrvxdDsSwWbBAz0".contains(c) => {
                        return Some(format!("invalid escape sequence: `\\{c}`"));
                    }
                    _ => {}
                }
                i += 2;
                has_operand = true;
                after_repeat = false;
                continue;
            }
            '[' => {
                let start = i;
                let mut j = i + 1;
                if chars.get(j) == Some(&'^') {
                    j += 1;
                }
                if chars.get(j) == Some(&']') {
                    j += 1;
                }
                let mut closed = false;
                let mut previous: Option<char> = None;
                while j < chars.len() {
                    match chars[j] {
                        ']' => {
                            closed = true;
                            break;
                        }
                        '\\' => {
                            previous = chars.get(j + 1).copied();
                            j += 2;
                            continue;
                        }
                        '[' if chars.get(j + 1) == Some(&':') => {
                            let rest = text(j, chars.len());
                            if let Some(p) = rest.find(":]") {
                                j += rest[..p].chars().count() + 2;
                                previous = None;
                                continue;
                            }
                        }
                        '-' if previous.is_some()
                            && chars.get(j + 1).is_some_and(|&n| n != ']') =>
                        {
                            let low = previous.unwrap_or_default();
                            let high = chars[j + 1];
                            if high != '\\' && high < low {
                                return Some(format!(
                                    "invalid character class range: `{low}-{high}`"
                                ));
                            }
                            previous = None;
                            j += 2;
                            continue;
                        }
                        other => previous = Some(other),
                    }
                    j += 1;
                }
                if !closed {
                    return Some(format!("missing closing ]: `{}`", text(start, chars.len())));
                }
                i = j + 1;
                has_operand = true;
                after_repeat = false;
                continue;
            }
            '(' => {
                if chars.get(i + 1) == Some(&'?') {
                    match chars.get(i + 2) {
                        Some('=') | Some('!') => {
                            return Some(format!(
                                "invalid or unsupported Perl syntax: `{}`",
                                text(i, i + 3)
                            ));
                        }
                        Some('<') if matches!(chars.get(i + 3), Some('=') | Some('!')) => {
                            return Some(format!(
                                "invalid or unsupported Perl syntax: `{}`",
                                text(i, i + 3)
                            ));
                        }
                        _ => {}
                    }
                    // Skip the group's flags or name: `(?i:`, `(?s)`, `(?P<name>`, `(?<name>`.
                    let end = chars[i..]
                        .iter()
                        .position(|&c| c == ':' || c == ')' || c == '>');
                    let Some(offset) = end else {
                        return Some(format!("missing closing ): `{expr}`"));
                    };
                    if chars[i + offset] == ')' {
                        i += offset + 1;
                        continue;
                    }
                    depth += 1;
                    has_operand = false;
                    after_repeat = false;
                    i += offset + 1;
                    continue;
                }
                depth += 1;
                has_operand = false;
                after_repeat = false;
            }
            ')' => {
                if depth == 0 {
                    return Some(format!("unexpected ): `{expr}`"));
                }
                depth -= 1;
                has_operand = true;
                after_repeat = false;
            }
            '|' => {
                has_operand = false;
                after_repeat = false;
            }
            '*' | '+' | '?' => {
                if after_repeat {
                    if c == '?' && chars[i - 1] != '?' {
                        // A non-greedy marker.
                        i += 1;
                        after_repeat = true;
                        continue;
                    }
                    return Some(format!(
                        "invalid nested repetition operator: `{}`",
                        text(i - 1, i + 1)
                    ));
                }
                if !has_operand {
                    return Some(format!("missing argument to repetition operator: `{c}`"));
                }
                after_repeat = true;
                i += 1;
                continue;
            }
            '{' => {
                if let Some((len, min, max)) = repeat_braces(&chars[i..]) {
                    let op = text(i, i + len);
                    if min > 1000 || max.is_some_and(|m| m > 1000 || m < min) {
                        return Some(format!("invalid repeat count: `{op}`"));
                    }
                    if !has_operand {
                        return Some(format!("missing argument to repetition operator: `{op}`"));
                    }
                    if after_repeat {
                        return Some(format!("invalid nested repetition operator: `{op}`"));
                    }
                    after_repeat = true;
                    i += len;
                    continue;
                }
                has_operand = true;
                after_repeat = false;
            }
            '^' | '$' => {
                has_operand = true;
                after_repeat = false;
            }
            _ => {
                has_operand = true;
                after_repeat = false;
            }
        }
        i += 1;
    }
    if depth > 0 {
        return Some(format!("missing closing ): `{expr}`"));
    }
    None
}

/// `{n}`, `{n,}` or `{n,m}` at the start of `chars`: its length, n and m.
fn repeat_braces(chars: &[char]) -> Option<(usize, u64, Option<u64>)> {
    let close = chars.iter().position(|&c| c == '}')?;
    let inner: String = chars[1..close].iter().collect();
    let (min, max) = match inner.split_once(',') {
        None => {
            let n = parse_count(&inner)?;
            (n, Some(n))
        }
        Some((a, "")) => (parse_count(a)?, None),
        Some((a, b)) => (parse_count(a)?, Some(parse_count(b)?)),
    };
    Some((close + 1, min, max))
}

fn parse_count(s: &str) -> Option<u64> {
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(s.parse::<u64>().unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::{Limits, parse};

    fn rules(text: &str, scheme: NameValidation) -> Result<Vec<RelabelConfig>, Vec<String>> {
        let node = parse(text, &Limits::default()).documents.remove(0);
        decode_list_in(text, &node, scheme)
            .map_err(|errors| errors.into_iter().map(|e| e.message).collect())
    }

    fn error(text: &str) -> String {
        rules(text, NameValidation::Utf8).unwrap_err().remove(0)
    }

    #[test]
    fn defaults_are_prometheus_defaults() {
        let list = rules("- target_label: x\n", NameValidation::Utf8).unwrap();
        let rule = &list[0];
        assert_eq!(rule.action, Action::Replace);
        assert_eq!(rule.separator, ";");
        assert_eq!(rule.replacement, "$1");
        assert_eq!(rule.regex.source(), "(.*)");
        assert!(rule.regex.compiled().is_match("a\nb"));
        assert!(!Regex::new("a").unwrap().compiled().is_match("ab"));
    }

    #[test]
    fn action_is_case_insensitive_and_unknown_ones_are_refused() {
        let list = rules("- action: KeeP\n", NameValidation::Utf8).unwrap();
        assert_eq!(list[0].action, Action::Keep);
        assert_eq!(error("- action: foo\n"), "unknown relabel action \"foo\"");
        assert_eq!(error("- action: null\n"), "relabel action cannot be empty");
        assert_eq!(Action::KeepEqual.as_str(), "keepequal");
    }

    #[test]
    fn validate_messages() {
        assert_eq!(
            error("- action: hashmod\n  target_label: x\n"),
            "relabel configuration for hashmod requires non-zero modulus"
        );
        assert_eq!(
            error("- action: replace\n"),
            "relabel configuration for replace action requires 'target_label' value"
        );
        assert_eq!(
            error("- action: lowercase\n  target_label: x\n  replacement: y\n"),
            "'replacement' can not be set for lowercase action"
        );
        assert_eq!(
            error("- action: keepequal\n  target_label: x\n  regex: (.*)\n"),
            "keepequal action requires only 'source_labels' and `target_label`, and no other fields"
        );
        assert_eq!(
            error("- action: labeldrop\n  source_labels: []\n"),
            "labeldrop action requires only 'regex', and no other fields"
        );
        assert!(rules("- action: labeldrop\n  regex: x\n", NameValidation::Utf8).is_ok());
    }

    #[test]
    fn target_label_follows_the_scheme() {
        let text = "- target_label: \"a.b\"\n";
        assert!(rules(text, NameValidation::Utf8).is_ok());
        assert_eq!(
            rules(text, NameValidation::Legacy).unwrap_err()[0],
            "\"a.b\" is invalid 'target_label' for replace action"
        );
        assert!(rules("- target_label: \"x_${1}\"\n", NameValidation::Legacy).is_ok());
        assert!(
            rules(
                "- action: labelmap\n  replacement: \"a-$1\"\n",
                NameValidation::Legacy
            )
            .is_err()
        );
        assert!(is_valid_label_name("_a1", NameValidation::Legacy));
        assert!(!is_valid_label_name("1a", NameValidation::Legacy));
        assert!(!is_valid_label_name("", NameValidation::Utf8));
    }

    #[test]
    fn null_items_and_binary_replacements() {
        assert_eq!(error("- null\n"), "empty or null relabeling rule");
        assert_eq!(
            error("- action: labelmap\n  replacement: !!binary \"/w==$1\"\n"),
            "!!binary value contains invalid base64 data"
        );
        assert_eq!(
            error("- foo: 1\n"),
            "field foo not found in type relabel.plain"
        );
    }

    #[test]
    fn null_regex_is_the_empty_expression() {
        let list = rules("- action: keep\n  regex:\n", NameValidation::Utf8).unwrap();
        assert!(list[0].regex.compiled().is_match(""));
        assert!(!list[0].regex.compiled().is_match("a"));
    }

    #[test]
    fn short_expressions_are_compiled_on_first_match_and_long_ones_at_once() {
        let short = Regex::new("(app-1);true").unwrap();
        assert!(is_plainly_valid("(app-1);true") && is_plainly_valid("(a|b.c)|(d())"));
        assert!(short.compiled.get().is_none());
        assert!(short.compiled().is_match("app-1;true"));
        assert!(!short.compiled().is_match("app-1;true;x"));
        let counted = Regex::new("a{2}").unwrap();
        assert!(counted.compiled.get().is_some());
        let long = Regex::new(&"a".repeat(LAZY_MAX_LEN + 1)).unwrap();
        assert!(long.compiled.get().is_some());
        // Clones, and the same expression parsed again, share one compiled form.
        assert!(Arc::ptr_eq(
            &short.compiled,
            &Regex::new("(app-1);true").unwrap().compiled
        ));
    }

    /// The shortcut for plain expressions accepts only what the full parse accepts, on every
    /// expression of up to four characters from an alphabet of groups, alternations and literals.
    #[test]
    fn plain_expressions_are_those_that_parse() {
        let alphabet = ['a', '(', ')', '|', '.', ';', '-', '*', '['];
        let mut exprs = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = exprs
                .iter()
                .flat_map(|e| alphabet.iter().map(move |c| format!("{e}{c}")))
                .collect();
            exprs.extend(longer);
        }
        let mut plain = 0;
        for e in &exprs {
            if is_plainly_valid(e) {
                plain += 1;
                let anchored = Regex::anchored(e);
                assert_eq!(go_syntax_error(&anchored), None, "{e}");
                assert!(regex::Regex::new(&anchored).is_ok(), "{e}");
            }
        }
        assert!(plain > 100, "{plain}");
        assert!(!is_plainly_valid("a)") && !is_plainly_valid("(a") && !is_plainly_valid("a*"));
    }

    #[test]
    fn regex_errors_read_like_go() {
        assert_eq!(
            Regex::new("abc(def").unwrap_err(),
            "error parsing regexp: missing closing ): `^(?s:abc(def)$`"
        );
        assert_eq!(
            Regex::new("a)").unwrap_err(),
            "error parsing regexp: unexpected ): `^(?s:a))$`"
        );
        assert_eq!(
            Regex::new("[abc").unwrap_err(),
            "error parsing regexp: missing closing ]: `[abc)$`"
        );
        assert_eq!(
            Regex::new("\\C").unwrap_err(),
            "error parsing regexp: invalid escape sequence: `\\C`"
        );
        assert_eq!(
            Regex::new("*a").unwrap_err(),
            "error parsing regexp: missing argument to repetition operator: `*`"
        );
        assert_eq!(
            Regex::new("a{1001}").unwrap_err(),
            "error parsing regexp: invalid repeat count: `{1001}`"
        );
        assert_eq!(
            Regex::new("a**").unwrap_err(),
            "error parsing regexp: invalid nested repetition operator: `**`"
        );
        assert_eq!(
            Regex::new("(?=a)").unwrap_err(),
            "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"
        );
        for ok in [
            "a*?",
            "[]a]",
            "[^]a]",
            "\\d+\\.\\z",
            "(?i)abc",
            "(?P<x>a)|b{2,3}",
            "[[:alpha:]-]",
            "\\pL",
            "\\p{Greek}",
        ] {
            assert!(Regex::new(ok).is_ok(), "{ok}");
        }
    }
}
