//! Label selectors (`app=web,tier in (a,b),!canary`) and field selectors
//! (`metadata.name=x,status.phase!=Running`) in the string syntax of the Kubernetes API machinery
//! (`labels.Parse`, `fields.ParseSelector`): parsing with the machinery's error messages, and
//! matching as the API server filters a list or watch.

use std::collections::BTreeMap;

use super::validation::{go_quote, go_string_slice, label_value_errors, qualified_name_errors};

/// The operator of one label requirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelOperator {
    In,
    NotIn,
    Equals,
    DoubleEquals,
    NotEquals,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

/// One `key op values` term of a label selector; `values` are sorted and deduplicated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelRequirement {
    pub key: String,
    pub operator: LabelOperator,
    pub values: Vec<String>,
}

/// A parsed label selector: all requirements must hold. The empty selector matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelector {
    pub requirements: Vec<LabelRequirement>,
}

impl LabelRequirement {
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let value = labels.get(&self.key);
        let listed = |v: &String| self.values.iter().any(|x| x == v);
        match self.operator {
            LabelOperator::In | LabelOperator::Equals | LabelOperator::DoubleEquals => {
                value.is_some_and(listed)
            }
            LabelOperator::NotIn | LabelOperator::NotEquals => !value.is_some_and(listed),
            LabelOperator::Exists => value.is_some(),
            LabelOperator::DoesNotExist => value.is_none(),
            LabelOperator::GreaterThan | LabelOperator::LessThan => {
                let (Some(have), [want]) = (value, self.values.as_slice()) else {
                    return false;
                };
                match (have.parse::<i64>(), want.parse::<i64>()) {
                    (Ok(have), Ok(want)) if self.operator == LabelOperator::GreaterThan => {
                        have > want
                    }
                    (Ok(have), Ok(want)) => have < want,
                    _ => false,
                }
            }
        }
    }
}

impl LabelSelector {
    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.requirements.iter().all(|r| r.matches(labels))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Error,
    EndOfString,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}

fn keyword(s: &str) -> Option<Token> {
    Some(match s {
        ")" => Token::ClosedPar,
        "," => Token::Comma,
        "!" => Token::DoesNotExist,
        "==" => Token::DoubleEquals,
        "=" => Token::Equals,
        ">" => Token::GreaterThan,
        "in" => Token::In,
        "<" => Token::LessThan,
        "!=" => Token::NotEquals,
        "notin" => Token::NotIn,
        "(" => Token::OpenPar,
        _ => return None,
    })
}

fn is_whitespace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_special(c: u8) -> bool {
    matches!(c, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

/// Splits the selector into tokens the way the machinery's lexer does (byte-wise, longest operator).
fn lex(s: &str) -> Vec<(Token, String)> {
    let b = s.as_bytes();
    let mut pos = 0;
    let mut items = Vec::new();
    loop {
        while pos < b.len() && is_whitespace(b[pos]) {
            pos += 1;
        }
        if pos >= b.len() || b[pos] == 0 {
            items.push((Token::EndOfString, String::new()));
            return items;
        }
        let start = pos;
        if is_special(b[pos]) {
            let mut last: Option<(Token, usize)> = None;
            while pos < b.len() && is_special(b[pos]) {
                pos += 1;
                match keyword(&s[start..pos]) {
                    Some(tok) => last = Some((tok, pos)),
                    None if last.is_some() => {
                        pos -= 1;
                        break;
                    }
                    None => {}
                }
            }
            match last {
                Some((tok, end)) => {
                    pos = end;
                    items.push((tok, s[start..end].to_string()));
                }
                None => items.push((
                    Token::Error,
                    format!("error expected: keyword found '{}'", &s[start..pos]),
                )),
            }
        } else {
            while pos < b.len() && b[pos] != 0 && !is_special(b[pos]) && !is_whitespace(b[pos]) {
                pos += 1;
            }
            let word = &s[start..pos];
            let tok = keyword(word).unwrap_or(Token::Identifier);
            items.push((tok, word.to_string()));
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    KeyAndOperator,
    Values,
}

struct Parser {
    items: Vec<(Token, String)>,
    position: usize,
}

impl Parser {
    fn item(&self, context: Context) -> (Token, String) {
        let (tok, lit) = self
            .items
            .get(self.position)
            .cloned()
            .unwrap_or((Token::EndOfString, String::new()));
        let tok = match tok {
            Token::In | Token::NotIn if context == Context::Values => Token::Identifier,
            other => other,
        };
        (tok, lit)
    }

    fn lookahead(&self, context: Context) -> (Token, String) {
        self.item(context)
    }

    fn consume(&mut self, context: Context) -> (Token, String) {
        let item = self.item(context);
        if self.position < self.items.len() {
            self.position += 1;
        }
        item
    }

    fn parse(&mut self) -> Result<Vec<LabelRequirement>, String> {
        let mut requirements = Vec::new();
        loop {
            let (tok, lit) = self.lookahead(Context::Values);
            match tok {
                Token::Identifier | Token::DoesNotExist => {
                    let r = self
                        .requirement()
                        .map_err(|e| format!("unable to parse requirement: {e}"))?;
                    requirements.push(r);
                    let (t, l) = self.consume(Context::Values);
                    match t {
                        Token::EndOfString => return Ok(requirements),
                        Token::Comma => {
                            let (t2, l2) = self.lookahead(Context::Values);
                            if t2 != Token::Identifier && t2 != Token::DoesNotExist {
                                return Err(format!(
                                    "found '{l2}', expected: identifier after ','"
                                ));
                            }
                        }
                        _ => return Err(format!("found '{l}', expected: ',' or 'end of string'")),
                    }
                }
                Token::EndOfString => return Ok(requirements),
                _ => {
                    return Err(format!(
                        "found '{lit}', expected: !, identifier, or 'end of string'"
                    ));
                }
            }
        }
    }

    fn requirement(&mut self) -> Result<LabelRequirement, String> {
        let (key, inferred) = self.key_and_inferred_operator()?;
        if let Some(op) = inferred {
            return new_requirement(key, op, Vec::new());
        }
        let op = self.operator()?;
        let values = match op {
            LabelOperator::In | LabelOperator::NotIn => self.value_set()?,
            _ => vec![self.exact_value()?],
        };
        let mut values = values;
        values.sort();
        values.dedup();
        new_requirement(key, op, values)
    }

    fn key_and_inferred_operator(&mut self) -> Result<(String, Option<LabelOperator>), String> {
        let (mut tok, mut lit) = self.consume(Context::Values);
        let mut op = None;
        if tok == Token::DoesNotExist {
            op = Some(LabelOperator::DoesNotExist);
            (tok, lit) = self.consume(Context::Values);
        }
        if tok != Token::Identifier {
            return Err(format!("found '{lit}', expected: identifier"));
        }
        let errs = qualified_name_errors(&lit);
        if !errs.is_empty() {
            return Err(format!(
                "<nil>: Invalid value: {}: {}",
                go_quote(&lit),
                errs.join("; ")
            ));
        }
        let (next, _) = self.lookahead(Context::Values);
        if matches!(next, Token::EndOfString | Token::Comma) && op.is_none() {
            op = Some(LabelOperator::Exists);
        }
        Ok((lit, op))
    }

    fn operator(&mut self) -> Result<LabelOperator, String> {
        let (tok, lit) = self.consume(Context::KeyAndOperator);
        Ok(match tok {
            Token::In => LabelOperator::In,
            Token::Equals => LabelOperator::Equals,
            Token::DoubleEquals => LabelOperator::DoubleEquals,
            Token::GreaterThan => LabelOperator::GreaterThan,
            Token::LessThan => LabelOperator::LessThan,
            Token::NotIn => LabelOperator::NotIn,
            Token::NotEquals => LabelOperator::NotEquals,
            _ => {
                return Err(format!(
                    "found '{lit}', expected: in, notin, =, ==, !=, gt, lt"
                ));
            }
        })
    }

    fn value_set(&mut self) -> Result<Vec<String>, String> {
        let (tok, lit) = self.consume(Context::Values);
        if tok != Token::OpenPar {
            return Err(format!("found '{lit}', expected: '('"));
        }
        let (tok, lit) = self.lookahead(Context::Values);
        match tok {
            Token::Identifier | Token::Comma => {
                let values = self.identifiers()?;
                let (closing, _) = self.consume(Context::Values);
                if closing != Token::ClosedPar {
                    return Err(format!("found '{lit}', expected: ')'"));
                }
                Ok(values)
            }
            Token::ClosedPar => {
                self.consume(Context::Values);
                Ok(vec![String::new()])
            }
            _ => Err(format!("found '{lit}', expected: ',', ')' or identifier")),
        }
    }

    fn identifiers(&mut self) -> Result<Vec<String>, String> {
        let mut values: Vec<String> = Vec::new();
        loop {
            let (tok, lit) = self.consume(Context::Values);
            match tok {
                Token::Identifier => {
                    values.push(lit);
                    let (next, next_lit) = self.lookahead(Context::Values);
                    match next {
                        Token::Comma => continue,
                        Token::ClosedPar => return Ok(values),
                        _ => return Err(format!("found '{next_lit}', expected: ',' or ')'")),
                    }
                }
                Token::Comma => {
                    if values.is_empty() {
                        values.push(String::new());
                    }
                    let (next, _) = self.lookahead(Context::Values);
                    if next == Token::ClosedPar {
                        values.push(String::new());
                        return Ok(values);
                    }
                    if next == Token::Comma {
                        self.consume(Context::Values);
                        values.push(String::new());
                    }
                }
                _ => return Err(format!("found '{lit}', expected: ',', or identifier")),
            }
        }
    }

    fn exact_value(&mut self) -> Result<String, String> {
        let (tok, _) = self.lookahead(Context::Values);
        if matches!(tok, Token::EndOfString | Token::Comma) {
            return Ok(String::new());
        }
        let (tok, lit) = self.consume(Context::Values);
        if tok == Token::Identifier {
            return Ok(lit);
        }
        Err(format!("found '{lit}', expected: identifier"))
    }
}

/// `NewRequirement`'s checks of the operator's values, reported as an aggregated field error list.
fn new_requirement(
    key: String,
    operator: LabelOperator,
    values: Vec<String>,
) -> Result<LabelRequirement, String> {
    let mut errs: Vec<String> = Vec::new();
    let invalid_values = |detail: &str| {
        format!(
            "values: Invalid value: {}: {detail}",
            go_string_slice(&values)
        )
    };
    match operator {
        LabelOperator::In | LabelOperator::NotIn if values.is_empty() => {
            errs.push(invalid_values(
                "for 'in', 'notin' operators, values set can't be empty",
            ));
        }
        LabelOperator::Equals | LabelOperator::DoubleEquals | LabelOperator::NotEquals
            if values.len() != 1 =>
        {
            errs.push(invalid_values(
                "exact-match compatibility requires one single value",
            ));
        }
        LabelOperator::GreaterThan | LabelOperator::LessThan => {
            if values.len() != 1 {
                errs.push(invalid_values(
                    "for 'Gt', 'Lt' operators, exactly one value is required",
                ));
            }
            for (i, v) in values.iter().enumerate() {
                if v.parse::<i64>().is_err() {
                    errs.push(format!(
                        "values[{i}]: Invalid value: {}: for 'Gt', 'Lt' operators, the value must be an integer",
                        go_quote(v)
                    ));
                }
            }
        }
        _ => {}
    }
    for (i, v) in values.iter().enumerate() {
        let problems = label_value_errors(v);
        if !problems.is_empty() {
            errs.push(format!(
                "values[{i}][{key}]: Invalid value: {}: {}",
                go_quote(v),
                problems.join("; ")
            ));
        }
    }
    match aggregate(errs) {
        Some(message) => Err(message),
        None => Ok(LabelRequirement {
            key,
            operator,
            values,
        }),
    }
}

/// An aggregated error's text: one message alone, several (deduplicated) in brackets.
fn aggregate(errs: Vec<String>) -> Option<String> {
    let mut seen: Vec<String> = Vec::new();
    for e in errs {
        if !seen.contains(&e) {
            seen.push(e);
        }
    }
    match seen.len() {
        0 => None,
        1 => seen.pop(),
        _ => Some(format!("[{}]", seen.join(", "))),
    }
}

/// `labels.Parse`: the selector, or the machinery's error text.
pub fn parse_label_selector(selector: &str) -> Result<LabelSelector, String> {
    let mut parser = Parser {
        items: lex(selector),
        position: 0,
    };
    let mut requirements = parser.parse()?;
    requirements.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(LabelSelector { requirements })
}

/// One `field op value` term of a field selector (`value` unescaped).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldRequirement {
    pub field: String,
    pub equal: bool,
    pub value: String,
}

/// A parsed field selector: all terms must hold. The empty selector matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldSelector {
    pub requirements: Vec<FieldRequirement>,
}

impl FieldSelector {
    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    /// Whether an object passes the selector. `field` gives the object's value of a selectable
    /// field, or `None` when the resource does not support selecting on that field (the API
    /// server refuses such a list, so nothing matches).
    pub fn matches(&self, field: &dyn Fn(&str) -> Option<String>) -> bool {
        self.requirements.iter().all(|r| match field(&r.field) {
            Some(have) => (have == r.value) == r.equal,
            None => false,
        })
    }

    /// The fields the selector names, for checking them against what a resource supports.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.requirements.iter().map(|r| r.field.as_str())
    }
}

/// Splits on commas that are not escaped by a backslash (the backslashes stay).
fn split_field_terms(selector: &str) -> Vec<&str> {
    if selector.is_empty() {
        return Vec::new();
    }
    let mut terms = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in selector.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ',' {
            terms.push(&selector[start..i]);
            start = i + 1;
        }
    }
    terms.push(&selector[start..]);
    terms
}

/// The first `!=`, `==` or `=` in the term (checked in that order at each position).
fn split_field_term(term: &str) -> Option<(&str, bool, &str)> {
    for (i, _) in term.char_indices() {
        let rest = &term[i..];
        for (op, equal) in [("!=", false), ("==", true), ("=", true)] {
            if let Some(value) = rest.strip_prefix(op) {
                return Some((&term[..i], equal, value));
            }
        }
    }
    None
}

fn unescape_field_value(s: &str) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            match c {
                '\\' | ',' | '=' => out.push(c),
                other => {
                    return Err(format!(
                        "invalid field selector: invalid escape sequence: \\{other}"
                    ));
                }
            }
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            ',' | '=' => {
                return Err(format!(
                    "invalid field selector: unescaped character in value: {}",
                    c as u32
                ));
            }
            other => out.push(other),
        }
    }
    if escaped {
        return Err("invalid field selector: invalid escape sequence: \\".to_string());
    }
    Ok(out)
}

/// `fields.ParseSelector`: the selector, or the machinery's error text.
pub fn parse_field_selector(selector: &str) -> Result<FieldSelector, String> {
    let mut terms = split_field_terms(selector);
    terms.sort_unstable();
    let mut requirements = Vec::new();
    for term in terms {
        if term.is_empty() {
            continue;
        }
        let Some((field, equal, raw)) = split_field_term(term) else {
            return Err(format!(
                "invalid selector: '{selector}'; can't understand '{term}'"
            ));
        };
        requirements.push(FieldRequirement {
            field: field.to_string(),
            equal,
            value: unescape_field_value(raw)?,
        });
    }
    Ok(FieldSelector { requirements })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn err(s: &str) -> String {
        parse_label_selector(s).unwrap_err()
    }

    #[test]
    fn label_selector_grammar() {
        let sel = parse_label_selector("x in (foo,,baz),y,z notin ()").unwrap();
        let got: Vec<_> = sel
            .requirements
            .iter()
            .map(|r| (r.key.as_str(), r.operator, r.values.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "x",
                    LabelOperator::In,
                    vec!["".into(), "baz".into(), "foo".into()]
                ),
                ("y", LabelOperator::Exists, vec![]),
                ("z", LabelOperator::NotIn, vec!["".into()]),
            ]
        );
        assert!(parse_label_selector("").unwrap().is_empty());
        assert!(parse_label_selector("  ").unwrap().is_empty());
        let sel =
            parse_label_selector("!canary, app == web, tier!=db, n>3, m<10, in in (in)").unwrap();
        let ops: Vec<_> = sel.requirements.iter().map(|r| r.operator).collect();
        assert_eq!(
            ops,
            vec![
                LabelOperator::DoubleEquals,
                LabelOperator::DoesNotExist,
                LabelOperator::In,
                LabelOperator::LessThan,
                LabelOperator::GreaterThan,
                LabelOperator::NotEquals,
            ]
        );
        assert_eq!(
            parse_label_selector("a=").unwrap().requirements[0].values,
            vec![""]
        );
    }

    #[test]
    fn label_selector_errors() {
        assert_eq!(err("a=b,"), "found '', expected: identifier after ','");
        assert_eq!(err("a=b c"), "found 'c', expected: ',' or 'end of string'");
        assert_eq!(
            err(",a"),
            "found ',', expected: !, identifier, or 'end of string'"
        );
        assert_eq!(
            err("a ~ b"),
            "unable to parse requirement: found '~', expected: in, notin, =, ==, !=, gt, lt"
        );
        assert_eq!(
            err("a in b"),
            "unable to parse requirement: found 'b', expected: '('"
        );
        assert_eq!(
            err("a in (b c)"),
            "unable to parse requirement: found 'c', expected: ',' or ')'"
        );
        assert_eq!(
            err("a in (b"),
            "unable to parse requirement: found '', expected: ',' or ')'"
        );
        assert_eq!(
            err("a in (="),
            "unable to parse requirement: found '=', expected: ',', ')' or identifier"
        );
        assert_eq!(
            err("a=(b)"),
            "unable to parse requirement: found '(', expected: identifier"
        );
        assert_eq!(
            err("!=a"),
            "found '!=', expected: !, identifier, or 'end of string'"
        );
        assert_eq!(
            err("! =a"),
            "unable to parse requirement: found '=', expected: identifier"
        );
        assert_eq!(err("!a=b"), "found '=', expected: ',' or 'end of string'");
        assert_eq!(
            err("-a=b"),
            "unable to parse requirement: <nil>: Invalid value: \"-a\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        );
        assert_eq!(
            err("a>b"),
            "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer"
        );
        assert_eq!(
            err("a=-b"),
            "unable to parse requirement: values[0][a]: Invalid value: \"-b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        );
        assert_eq!(
            err("a>-x"),
            "unable to parse requirement: [values[0]: Invalid value: \"-x\": for 'Gt', 'Lt' operators, the value must be an integer, values[0][a]: Invalid value: \"-x\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')]"
        );
        assert_eq!(
            err("a=>b"),
            "unable to parse requirement: found '>', expected: identifier"
        );
    }

    #[test]
    fn label_selector_matching() {
        let sel = parse_label_selector("app=web,tier notin (db),!canary,n>3").unwrap();
        assert!(sel.matches(&labels(&[("app", "web"), ("n", "4")])));
        assert!(!sel.matches(&labels(&[("app", "web"), ("n", "3")])));
        assert!(!sel.matches(&labels(&[("app", "web"), ("n", "x")])));
        assert!(!sel.matches(&labels(&[("app", "web"), ("n", "4"), ("canary", "")])));
        assert!(!sel.matches(&labels(&[("app", "web"), ("n", "4"), ("tier", "db")])));
        assert!(sel.matches(&labels(&[("app", "web"), ("n", "4"), ("tier", "fe")])));
        assert!(!sel.matches(&labels(&[("n", "4")])));
        let sel = parse_label_selector("env in (a,b),x!=y,m<0").unwrap();
        assert!(sel.matches(&labels(&[("env", "b"), ("m", "-1")])));
        assert!(!sel.matches(&labels(&[("env", "c"), ("m", "-1")])));
        assert!(!sel.matches(&labels(&[("env", "a"), ("m", "-1"), ("x", "y")])));
        assert!(parse_label_selector("").unwrap().matches(&labels(&[])));
    }

    #[test]
    fn field_selectors() {
        let sel =
            parse_field_selector("status.phase!=Running,metadata.name==a\\,b,spec.nodeName=n1")
                .unwrap();
        assert_eq!(
            sel.fields().collect::<Vec<_>>(),
            vec!["metadata.name", "spec.nodeName", "status.phase"]
        );
        assert_eq!(sel.requirements[0].value, "a,b");
        let obj = |f: &str| match f {
            "metadata.name" => Some("a,b".to_string()),
            "spec.nodeName" => Some("n1".to_string()),
            "status.phase" => Some("Pending".to_string()),
            _ => None,
        };
        assert!(sel.matches(&obj));
        let running = |f: &str| {
            if f == "status.phase" {
                Some("Running".to_string())
            } else {
                obj(f)
            }
        };
        assert!(!sel.matches(&running));
        assert!(
            !parse_field_selector("spec.unknown=x")
                .unwrap()
                .matches(&obj)
        );
        assert!(parse_field_selector("").unwrap().matches(&obj));
        assert!(parse_field_selector(",").unwrap().is_empty());
    }

    #[test]
    fn field_selector_errors() {
        assert_eq!(
            parse_field_selector("metadata.status-Running").unwrap_err(),
            "invalid selector: 'metadata.status-Running'; can't understand 'metadata.status-Running'"
        );
        assert_eq!(
            parse_field_selector("a=b,c").unwrap_err(),
            "invalid selector: 'a=b,c'; can't understand 'c'"
        );
        assert_eq!(
            parse_field_selector("a=b=c").unwrap_err(),
            "invalid field selector: unescaped character in value: 61"
        );
        assert_eq!(
            parse_field_selector("a=b\\x").unwrap_err(),
            "invalid field selector: invalid escape sequence: \\x"
        );
        assert_eq!(
            parse_field_selector("a=b\\").unwrap_err(),
            "invalid field selector: invalid escape sequence: \\"
        );
    }
}
