//! A rule's text before the `cel` parser sees it. Two things are settled here, in one pass over the
//! tokens and without recursion:
//!
//! - the API server's parser limits: at most 100,000 code points, and a bounded nesting depth, so
//!   that no expression (`1+1+…` with 20,000 terms) can exhaust the stack of the recursive parser
//!   and evaluator behind it;
//! - runs of unary operators: `cel` 0.13 reads `!!x` as `!x` and `--x` as `-x`. An even run means
//!   the operand itself, as in cel-go, so every operator of such a pair is replaced by a space
//!   (columns in error messages stay right).

/// cel-go's default `ExpressionSizeCodePointLimit`, which the API server keeps.
pub const MAX_CODE_POINTS: usize = 100_000;
/// cel-go's default parser recursion limit, which the API server keeps. promagent counts nesting
/// on tokens (see [`prepare`]), so the count near the limit is close to cel-go's, not equal.
pub const MAX_DEPTH: usize = 250;
/// Parse-tree levels a parenthesised or bracketed sub-expression adds by itself in cel-go's
/// grammar (expr → conditionalOr → … → member → primary).
const GROUP_DEPTH: usize = 9;

/// A limit the rule's text breaks, worded as cel-go words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ERROR: <input>:{}:{}: {}",
            self.line, self.column, self.message
        )
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    /// Start of the text, an operator, an opening bracket, a comma.
    Operator,
    /// An identifier, literal or closing bracket: a following `-` is binary.
    Operand,
}

/// One open bracket (or the whole text) and the operators met in it so far.
struct Group {
    close: char,
    /// Nesting of everything outside this group.
    outer: usize,
    operators: usize,
}

/// Checks the limits and returns the text with every even run of unary `!` or `-` blanked.
/// Nesting is the sum, over the open brackets, of [`GROUP_DEPTH`] and the operators (binary,
/// unary, member selection, calls, indexing, `?`) met in that bracket since its last comma.
pub fn prepare(source: &str) -> Result<String, SourceError> {
    let code_points = source.chars().count();
    if code_points > MAX_CODE_POINTS {
        return Err(SourceError {
            line: 1,
            column: 1,
            message: format!(
                "expression code point size exceeds limit: size: {code_points}, limit {MAX_CODE_POINTS}"
            ),
        });
    }
    let chars: Vec<(usize, char)> = source.char_indices().collect();
    let mut out: Vec<char> = chars.iter().map(|(_, c)| *c).collect();
    let mut groups = vec![Group {
        close: '\0',
        outer: 0,
        operators: 0,
    }];
    let mut prev = Prev::Operator;
    let mut i = 0;
    let position = |index: usize| {
        let before = &chars[..index.min(chars.len())];
        let line = 1 + before.iter().filter(|(_, c)| *c == '\n').count();
        let column = 1 + before.iter().rev().take_while(|(_, c)| *c != '\n').count();
        (line, column)
    };
    let too_deep = |index: usize| {
        let (line, column) = position(index);
        SourceError {
            line,
            column,
            message: "max recursion depth exceeded".to_string(),
        }
    };
    // Adds one operator to the innermost group and checks the depth.
    let operator = |groups: &mut Vec<Group>, index: usize| -> Result<(), SourceError> {
        let g = groups
            .last_mut()
            .expect("the outermost group is never closed");
        g.operators += 1;
        if g.outer + GROUP_DEPTH + g.operators > MAX_DEPTH {
            return Err(too_deep(index));
        }
        Ok(())
    };
    while i < chars.len() {
        let c = chars[i].1;
        let next = chars.get(i + 1).map(|(_, c)| *c);
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i].1 != '\n' {
                i += 1;
            }
            continue;
        }
        if let Some(end) = string_literal(&chars, i) {
            i = end;
            prev = Prev::Operand;
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].1.is_ascii_alphanumeric() || chars[i].1 == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().map(|(_, c)| *c).collect();
            if word == "in" {
                operator(&mut groups, start)?;
                prev = Prev::Operator;
            } else {
                prev = Prev::Operand;
            }
            continue;
        }
        if c.is_ascii_digit() || (c == '.' && next.is_some_and(|n| n.is_ascii_digit())) {
            i = number_end(&chars, i);
            prev = Prev::Operand;
            continue;
        }
        match c {
            '(' | '[' | '{' => {
                if prev == Prev::Operand {
                    // A call or an index is one more member level.
                    operator(&mut groups, i)?;
                }
                let g = groups.last().expect("outermost group");
                let outer = g.outer + GROUP_DEPTH + g.operators;
                if outer + GROUP_DEPTH > MAX_DEPTH {
                    return Err(too_deep(i));
                }
                groups.push(Group {
                    close: match c {
                        '(' => ')',
                        '[' => ']',
                        _ => '}',
                    },
                    outer,
                    operators: 0,
                });
                prev = Prev::Operator;
                i += 1;
            }
            ')' | ']' | '}' => {
                // A stray closing bracket is the parser's to report.
                if groups.len() > 1 && groups.last().is_some_and(|g| g.close == c) {
                    groups.pop();
                }
                prev = Prev::Operand;
                i += 1;
            }
            ',' => {
                if let Some(g) = groups.last_mut() {
                    g.operators = 0;
                }
                prev = Prev::Operator;
                i += 1;
            }
            '!' if next == Some('=') => {
                operator(&mut groups, i)?;
                prev = Prev::Operator;
                i += 2;
            }
            '!' | '-' if c == '!' || prev == Prev::Operator => {
                operator(&mut groups, i)?;
                i = unary_run(&chars, &mut out, i, c);
                prev = Prev::Operator;
            }
            _ => {
                // Binary operators (one or two characters), `.`, `?`, `:`.
                let two = matches!(
                    (c, next),
                    ('&', Some('&'))
                        | ('|', Some('|'))
                        | ('=', Some('='))
                        | ('<', Some('='))
                        | ('>', Some('='))
                );
                if c != ':' {
                    operator(&mut groups, i)?;
                }
                prev = Prev::Operator;
                i += if two { 2 } else { 1 };
            }
        }
    }
    Ok(out.into_iter().collect())
}

/// Blanks all but the last `count % 2` operators of the run of unary `op` starting at `start`, and
/// returns the index after the run.
fn unary_run(chars: &[(usize, char)], out: &mut [char], start: usize, op: char) -> usize {
    let mut members = Vec::new();
    let mut i = start;
    while i < chars.len() {
        let c = chars[i].1;
        if c == op && !(op == '!' && chars.get(i + 1).is_some_and(|(_, n)| *n == '=')) {
            members.push(i);
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else {
            break;
        }
    }
    let keep = members.len() % 2;
    for &m in &members[..members.len() - keep] {
        out[m] = ' ';
    }
    match members.last() {
        Some(&last) => last + 1,
        None => start + 1,
    }
}

/// The end of the string or bytes literal (with its `r`/`b` prefixes) that starts at `i`, if one
/// does.
fn string_literal(chars: &[(usize, char)], i: usize) -> Option<usize> {
    let mut j = i;
    let mut raw = false;
    while j < chars.len() && j - i < 2 && matches!(chars[j].1, 'r' | 'R' | 'b' | 'B') {
        raw |= matches!(chars[j].1, 'r' | 'R');
        j += 1;
    }
    let quote = chars.get(j).map(|(_, c)| *c)?;
    if quote != '\'' && quote != '"' {
        return None;
    }
    if j > i && i > 0 && (chars[i - 1].1.is_ascii_alphanumeric() || chars[i - 1].1 == '_') {
        return None; // `xr'…'` is not a prefix
    }
    let triple = chars.get(j + 1).is_some_and(|(_, c)| *c == quote)
        && chars.get(j + 2).is_some_and(|(_, c)| *c == quote);
    let mut k = if triple { j + 3 } else { j + 1 };
    while k < chars.len() {
        let c = chars[k].1;
        if c == '\\' && !raw {
            k += 2;
            continue;
        }
        if c == quote {
            if !triple {
                return Some(k + 1);
            }
            if chars.get(k + 1).is_some_and(|(_, c)| *c == quote)
                && chars.get(k + 2).is_some_and(|(_, c)| *c == quote)
            {
                return Some(k + 3);
            }
        }
        if c == '\n' && !triple {
            return Some(k); // unterminated: the parser reports it
        }
        k += 1;
    }
    Some(chars.len())
}

/// The end of the number literal starting at `i` (`12`, `0x1F`, `3u`, `1.5e-3`).
fn number_end(chars: &[(usize, char)], mut i: usize) -> usize {
    let hex = chars[i].1 == '0'
        && chars
            .get(i + 1)
            .is_some_and(|(_, c)| matches!(c, 'x' | 'X'));
    while i < chars.len() {
        let c = chars[i].1;
        let exponent_sign =
            !hex && matches!(c, '+' | '-') && i > 0 && matches!(chars[i - 1].1, 'e' | 'E');
        let fraction = c == '.' && chars.get(i + 1).is_some_and(|(_, n)| n.is_ascii_digit());
        if c.is_ascii_alphanumeric() || exponent_sign || fraction {
            i += 1;
        } else {
            break;
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn even_runs_of_unary_operators_are_blanked() {
        assert_eq!(prepare("!!true").unwrap(), "  true");
        assert_eq!(prepare("!!!true").unwrap(), "  !true");
        assert_eq!(prepare("--1 == 1").unwrap(), "  1 == 1");
        assert_eq!(prepare("- - 1").unwrap(), "    1");
        assert_eq!(prepare("a--1").unwrap(), "a--1");
        assert_eq!(prepare("a - - -1").unwrap(), "a -    1");
        assert_eq!(prepare("a != !!b").unwrap(), "a !=   b");
        assert_eq!(prepare("'!!' + \"--\"").unwrap(), "'!!' + \"--\"");
        assert_eq!(prepare("r'\\'!!x").unwrap(), "r'\\'  x");
        assert_eq!(prepare("x // !!\n!!y").unwrap(), "x // !!\n  y");
    }

    #[test]
    fn size_and_depth_limits() {
        let long = "1+".repeat(60_000) + "1";
        assert!(
            prepare(&long)
                .unwrap_err()
                .message
                .starts_with("expression code point size exceeds limit: size: 120001")
        );
        let chain = "1+".repeat(300) + "1";
        let err = prepare(&chain).unwrap_err();
        assert_eq!(err.message, "max recursion depth exceeded");
        assert_eq!((err.line, err.column), (1, 484), "the 242nd `+`");
        let nested = "(".repeat(40) + "1" + &")".repeat(40);
        assert!(prepare(&nested).is_err());
        // Arguments are siblings, not nested; a long `&&` of short terms is fine.
        let args = format!("f({})", vec!["a.b.c + 1"; 200].join(", "));
        assert!(prepare(&args).is_ok());
        let typical =
            "!(has(self.mode) && self.mode == 'DaemonSet' && has(self.shards) && self.shards > 1)";
        assert_eq!(prepare(typical).unwrap(), typical);
    }
}
