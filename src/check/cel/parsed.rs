//! The rules of promagent's own CRDs, already parsed: `parsed.txt` holds each rule's syntax tree
//! in a compact text form, so that a run reads those trees instead of running the CEL parser on
//! every rule at every start. A test keeps the file equal to what the parser gives; any other
//! rule text is parsed as usual.
//!
//! The form, one token after another separated by spaces, strings quoted as in JSON: an
//! expression is its id followed by a tag and the tag's fields — `I name`, `S test field operand`,
//! `C function has-target [target] count args…`, `L count elements… count indices…`,
//! `M count entries…`, `T type count entries…`, `K var var2|- accumulator range init condition
//! step result`, `V literal`, `U`. Literals are `b 0|1`, `i n`, `u n`, `d bits`, `s "…"`,
//! `y hex`, `n`. Entries are an id, then `F "field" optional value` or `E optional key value`.

use kube_cel::cel::common::ast::{
    CallExpr, ComprehensionExpr, EntryExpr, Expr, IdedEntryExpr, IdedExpr, ListExpr, LiteralValue,
    MapEntryExpr, MapExpr, SelectExpr, StructExpr, StructFieldExpr,
};

const PARSED: &str = include_str!("parsed.txt");

/// The syntax tree of `rule` when it is one of the embedded CRDs' rules.
pub fn lookup(rule: &str) -> Option<IdedExpr> {
    let quoted = serde_json::to_string(rule).ok()?;
    let mut lines = PARSED.lines().filter(|l| !l.starts_with('#'));
    while let (Some(text), Some(tree)) = (lines.next(), lines.next()) {
        if text == quoted {
            let mut reader = Reader { rest: tree };
            return reader.expr().filter(|_| reader.rest.trim().is_empty());
        }
    }
    None
}

struct Reader<'a> {
    rest: &'a str,
}

impl<'a> Reader<'a> {
    fn token(&mut self) -> Option<&'a str> {
        let rest = self.rest.trim_start_matches(' ');
        let end = if let Some(quoted) = rest.strip_prefix('"') {
            let mut escaped = false;
            quoted.char_indices().find_map(|(i, c)| {
                let found = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                found.then_some(i + 2)
            })?
        } else {
            rest.find(' ').unwrap_or(rest.len())
        };
        if end == 0 {
            return None;
        }
        let (token, after) = rest.split_at(end);
        self.rest = after;
        Some(token)
    }

    fn string(&mut self) -> Option<String> {
        serde_json::from_str(self.token()?).ok()
    }

    fn number<T: std::str::FromStr>(&mut self) -> Option<T> {
        self.token()?.parse().ok()
    }

    fn flag(&mut self) -> Option<bool> {
        match self.token()? {
            "0" => Some(false),
            "1" => Some(true),
            _ => None,
        }
    }

    fn exprs(&mut self) -> Option<Vec<IdedExpr>> {
        let count: usize = self.number()?;
        (0..count).map(|_| self.expr()).collect()
    }

    fn entries(&mut self) -> Option<Vec<IdedEntryExpr>> {
        let count: usize = self.number()?;
        (0..count).map(|_| self.entry()).collect()
    }

    fn entry(&mut self) -> Option<IdedEntryExpr> {
        let id = self.number()?;
        let expr = match self.token()? {
            "F" => EntryExpr::StructField(StructFieldExpr {
                field: self.string()?,
                optional: self.flag()?,
                value: self.expr()?,
            }),
            "E" => {
                let optional = self.flag()?;
                EntryExpr::MapEntry(MapEntryExpr {
                    optional,
                    key: self.expr()?,
                    value: self.expr()?,
                })
            }
            _ => return None,
        };
        Some(IdedEntryExpr { id, expr })
    }

    fn expr(&mut self) -> Option<IdedExpr> {
        let id = self.number()?;
        let expr = match self.token()? {
            "U" => Expr::Unspecified,
            "I" => Expr::Ident(self.string()?),
            "S" => {
                let test = self.flag()?;
                let field = self.string()?;
                Expr::Select(SelectExpr {
                    test,
                    field,
                    operand: Box::new(self.expr()?),
                })
            }
            "C" => {
                let func_name = self.string()?;
                let target = match self.flag()? {
                    true => Some(Box::new(self.expr()?)),
                    false => None,
                };
                Expr::Call(CallExpr {
                    func_name,
                    target,
                    args: self.exprs()?,
                })
            }
            "L" => {
                let elements = self.exprs()?;
                let count: usize = self.number()?;
                let optional_indices = (0..count).map(|_| self.number()).collect::<Option<_>>()?;
                Expr::List(ListExpr {
                    elements,
                    optional_indices,
                })
            }
            "M" => Expr::Map(MapExpr {
                entries: self.entries()?,
            }),
            "T" => Expr::Struct(StructExpr {
                type_name: self.string()?,
                entries: self.entries()?,
            }),
            "K" => {
                let iter_var = self.string()?;
                let iter_var2 = match self.token()? {
                    "-" => None,
                    quoted => Some(serde_json::from_str(quoted).ok()?),
                };
                Expr::Comprehension(Box::new(ComprehensionExpr {
                    iter_var,
                    iter_var2,
                    accu_var: self.string()?,
                    iter_range: self.expr()?,
                    accu_init: self.expr()?,
                    loop_cond: self.expr()?,
                    loop_step: self.expr()?,
                    result: self.expr()?,
                }))
            }
            "V" => Expr::Literal(self.literal()?),
            _ => return None,
        };
        Some(IdedExpr { id, expr })
    }

    fn literal(&mut self) -> Option<LiteralValue> {
        Some(match self.token()? {
            "b" => LiteralValue::Boolean(self.flag()?.into()),
            "i" => LiteralValue::Int(self.number::<i64>()?.into()),
            "u" => LiteralValue::UInt(self.number::<u64>()?.into()),
            "d" => LiteralValue::Double(f64::from_bits(self.number()?).into()),
            "s" => LiteralValue::String(self.string()?.into()),
            "y" => {
                let hex = self.token()?;
                let bytes = (0..hex.len() / 2)
                    .map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
                    .collect::<Option<Vec<u8>>>()?;
                LiteralValue::Bytes(bytes.into())
            }
            "n" => LiteralValue::Null,
            _ => return None,
        })
    }
}

/// The text form of a syntax tree, as [`lookup`] reads it.
#[cfg(test)]
fn encode(e: &IdedExpr, out: &mut String) {
    use std::fmt::Write;
    let quote = |s: &str| serde_json::to_string(s).expect("strings serialise");
    let flag = |b: bool| if b { "1" } else { "0" };
    let _ = write!(out, " {}", e.id);
    match &e.expr {
        Expr::Unspecified => out.push_str(" U"),
        Expr::Ident(name) => {
            let _ = write!(out, " I {}", quote(name));
        }
        Expr::Select(s) => {
            let _ = write!(out, " S {} {}", flag(s.test), quote(&s.field));
            encode(&s.operand, out);
        }
        Expr::Call(c) => {
            let _ = write!(
                out,
                " C {} {}",
                quote(&c.func_name),
                flag(c.target.is_some())
            );
            if let Some(target) = &c.target {
                encode(target, out);
            }
            let _ = write!(out, " {}", c.args.len());
            c.args.iter().for_each(|a| encode(a, out));
        }
        Expr::List(l) => {
            let _ = write!(out, " L {}", l.elements.len());
            l.elements.iter().for_each(|a| encode(a, out));
            let _ = write!(out, " {}", l.optional_indices.len());
            l.optional_indices.iter().for_each(|i| {
                let _ = write!(out, " {i}");
            });
        }
        Expr::Map(m) => {
            let _ = write!(out, " M {}", m.entries.len());
            m.entries.iter().for_each(|e| encode_entry(e, out));
        }
        Expr::Struct(s) => {
            let _ = write!(out, " T {} {}", quote(&s.type_name), s.entries.len());
            s.entries.iter().for_each(|e| encode_entry(e, out));
        }
        Expr::Comprehension(c) => {
            let second = c.iter_var2.as_deref().map_or("-".to_string(), quote);
            let _ = write!(
                out,
                " K {} {second} {}",
                quote(&c.iter_var),
                quote(&c.accu_var)
            );
            for part in [
                &c.iter_range,
                &c.accu_init,
                &c.loop_cond,
                &c.loop_step,
                &c.result,
            ] {
                encode(part, out);
            }
        }
        Expr::Literal(value) => {
            out.push_str(" V ");
            match value {
                LiteralValue::Boolean(b) => out.push_str(&format!("b {}", flag(*b.inner()))),
                LiteralValue::Int(i) => out.push_str(&format!("i {}", i.inner())),
                LiteralValue::UInt(u) => out.push_str(&format!("u {}", u.inner())),
                LiteralValue::Double(d) => out.push_str(&format!("d {}", d.inner().to_bits())),
                LiteralValue::String(s) => out.push_str(&format!("s {}", quote(s.inner()))),
                LiteralValue::Bytes(b) => {
                    out.push_str("y ");
                    b.inner().iter().for_each(|byte| {
                        let _ = write!(out, "{byte:02x}");
                    });
                }
                LiteralValue::Null => out.push('n'),
            }
        }
    }
}

#[cfg(test)]
fn encode_entry(e: &IdedEntryExpr, out: &mut String) {
    use std::fmt::Write;
    let flag = |b: bool| if b { "1" } else { "0" };
    let _ = write!(out, " {}", e.id);
    match &e.expr {
        EntryExpr::StructField(f) => {
            let quoted = serde_json::to_string(&f.field).expect("strings serialise");
            let _ = write!(out, " F {quoted} {}", flag(f.optional));
            encode(&f.value, out);
        }
        EntryExpr::MapEntry(m) => {
            let _ = write!(out, " E {}", flag(m.optional));
            encode(&m.key, out);
            encode(&m.value, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Every `rule` and `messageExpression` of the embedded CRDs, in order, once each.
    fn embedded_rule_texts() -> Vec<String> {
        fn collect(node: &Value, out: &mut Vec<String>) {
            match node {
                Value::Object(map) => {
                    for rule in map
                        .get("x-kubernetes-validations")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        for key in ["rule", "messageExpression"] {
                            if let Some(text) = rule.get(key).and_then(Value::as_str)
                                && !out.iter().any(|t| t == text)
                            {
                                out.push(text.to_string());
                            }
                        }
                    }
                    map.values().for_each(|v| collect(v, out));
                }
                Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        crate::crd::all()
            .iter()
            .for_each(|crd| collect(crd, &mut out));
        out
    }

    fn parse(text: &str) -> IdedExpr {
        let prepared = super::super::source::prepare(text).expect("within the parser limits");
        kube_cel::cel::Program::compile(&prepared)
            .expect("embedded rules parse")
            .expression()
            .clone()
    }

    /// `parsed.txt` must hold what the parser gives for the embedded CRDs' rules.
    /// `PROMAGENT_BLESS=1 cargo test --lib check::cel::parsed` rewrites it.
    #[test]
    fn committed_trees_match_the_parser() {
        let texts = embedded_rule_texts();
        assert!(
            texts.len() >= 17,
            "the agent's 16 rules and the ScrapeConfig's"
        );
        let mut file = String::from(
            "# The embedded CRDs' CEL rules, parsed (see parsed.rs). Generated: \
             PROMAGENT_BLESS=1 cargo test --lib check::cel::parsed\n",
        );
        for text in &texts {
            let mut tree = String::new();
            encode(&parse(text), &mut tree);
            file.push_str(&serde_json::to_string(text).expect("strings serialise"));
            file.push('\n');
            file.push_str(tree.trim_start());
            file.push('\n');
        }
        if std::env::var_os("PROMAGENT_BLESS").is_some() {
            let path =
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/check/cel/parsed.txt");
            std::fs::write(path, &file).expect("write parsed.txt");
            return;
        }
        assert!(
            PARSED == file,
            "src/check/cel/parsed.txt is stale; regenerate it with \
             `PROMAGENT_BLESS=1 cargo test --lib check::cel::parsed`"
        );
        for text in &texts {
            assert_eq!(lookup(text).as_ref(), Some(&parse(text)), "{text}");
        }
    }

    #[test]
    fn every_form_reads_back_as_written() {
        let sources = [
            "[1, 2u, 3.5, -0.0, 'a \"b\" c', b'\\x00\\xff', null, true][0]",
            "{'k': 1, 'o': 2}.exists(k, k == 'k')",
            "google.protobuf.Int64Value{value: 1}",
            "self.all(k, v, v > 0) && has(self.x) && self.x.y in [1]",
            "a ? b : c",
        ];
        for source in sources {
            let program = kube_cel::cel::Program::compile(source).expect("parses");
            let tree = program.expression();
            let mut text = String::new();
            encode(tree, &mut text);
            let mut reader = Reader { rest: &text };
            assert_eq!(reader.expr().as_ref(), Some(tree), "{source}: {text}");
            assert!(reader.rest.trim().is_empty());
        }
    }

    #[test]
    fn other_rules_and_damaged_trees_are_not_found() {
        assert_eq!(lookup("self.a > 1"), None);
        let mut reader = Reader {
            rest: "1 C \"_+_\" 0 2 2 V i 1",
        };
        assert_eq!(reader.expr(), None, "a missing argument");
        let mut reader = Reader { rest: "1 Q" };
        assert_eq!(reader.expr(), None, "an unknown tag");
    }
}
