//! Byte-range edits of a YAML text, driven by the spans of the loader's node tree: remove a mapping
//! entry (with the comment lines directly above it), replace a scalar, insert an entry, rename a key.
//! Everything outside the edited ranges is left byte for byte as it was.
//!
//! Block mappings are edited line by line; flow mappings (`{…}`, and JSON) token by token. Inserted
//! lines end the way the file's lines do (`\n` or `\r\n`). An edit that cannot be made safely is an
//! error, never a guess: the caller then leaves the file alone.

use crate::load::yaml::{Key, Node, NodeValue};

/// Replace `text[start..end]` with `replacement`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

/// Applies edits that do not overlap (an insertion may touch a removal that starts where it is).
pub fn apply(text: &str, edits: &[Edit]) -> Result<String, String> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.start, e.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in sorted {
        if e.start < at || e.end < e.start || e.end > text.len() {
            return Err("two changes overlap in the same place of the file".into());
        }
        if !text.is_char_boundary(e.start) || !text.is_char_boundary(e.end) {
            return Err("a change does not fall on a character boundary".into());
        }
        out.push_str(&text[at..e.start]);
        out.push_str(&e.replacement);
        at = e.end;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

/// The line break the file uses: that of its first line (`\n` when it has none).
pub fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if text[..i].ends_with('\r') => "\r\n",
        _ => "\n",
    }
}

fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind('\n').map_or(0, |i| i + 1)
}

/// The end of the line holding `pos`, past its newline.
fn line_end(text: &str, pos: usize) -> usize {
    text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1)
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// The lines of `text` from `pos` on, each with its start offset and without its newline.
fn lines_from(text: &str, pos: usize) -> impl Iterator<Item = (usize, &str)> {
    let mut at = pos;
    std::iter::from_fn(move || {
        if at >= text.len() {
            return None;
        }
        let end = line_end(text, at);
        let line = text[at..end].trim_end_matches('\n').trim_end_matches('\r');
        let item = (at, line);
        at = end;
        Some(item)
    })
}

/// Where a key really starts: a quoted key's span may or may not include its opening quote.
fn key_start(text: &str, key: &Key) -> usize {
    let start = key.span.start.min(text.len());
    let here = text[start..].chars().next();
    let before = text[..start].chars().next_back();
    match (before, here) {
        (Some(q @ ('"' | '\'')), Some(c)) if c != q => start - 1,
        _ => start,
    }
}

/// Whether a key is written in double quotes (as in JSON).
pub fn key_is_double_quoted(text: &str, key: &Key) -> bool {
    text[key_start(text, key)..].starts_with('"')
}

/// True when the mapping is written in flow style (`{a: 1}`) rather than block style.
pub fn is_flow(text: &str, map: &Node) -> bool {
    match &map.value {
        NodeValue::Map(entries) => match entries.first() {
            Some((key, _)) => {
                let first = key_start(text, key);
                let from = map.span.start.min(first);
                text[from..first].contains('{')
            }
            None => text[map.span.start.min(text.len())..]
                .trim_start()
                .starts_with('{'),
        },
        _ => false,
    }
}

/// The first line of the comment block directly above the line at `line_start_pos` (comments at the
/// same indentation with no blank line between), or `line_start_pos` when there is none.
fn leading_comments_start(text: &str, line_start_pos: usize, indent: usize) -> usize {
    let mut start = line_start_pos;
    while start > 0 {
        let prev = line_start(text, start - 1);
        let line = text[prev..start]
            .trim_end_matches('\n')
            .trim_end_matches('\r');
        if is_comment(line) && indentation(line) == indent {
            start = prev;
        } else {
            break;
        }
    }
    start
}

/// The edit that removes `key: value` from `map`, with a trailing comment on its lines and the
/// comment lines directly above it.
pub fn remove_entry(text: &str, map: &Node, key: &Key, value: &Node) -> Result<Edit, String> {
    check_inside(map, key)?;
    if is_flow(text, map) {
        return remove_flow_entry(text, map, key, value);
    }
    let start = key_start(text, key);
    let ls = line_start(text, start);
    if !text[ls..start].chars().all(|c| c == ' ') {
        return Err(format!("`{}` does not start its own line", key.name));
    }
    let indent = start - ls;
    let first_line_end = line_end(text, start);
    // A block collection starts on a later line: after the key there is only `:` and maybe a comment.
    let rest_of_line = text[key.span.end.min(first_line_end)..first_line_end]
        .trim_start_matches(['"', '\''])
        .trim_start()
        .trim_start_matches(':')
        .trim();
    let block_value = rest_of_line.is_empty() || rest_of_line.starts_with('#');
    let block_seq_value = matches!(value.value, NodeValue::Seq(_)) && block_value;
    let mut end = first_line_end;
    for (at, line) in lines_from(text, first_line_end) {
        if is_blank(line) {
            continue;
        }
        let ind = indentation(line);
        let seq_item = block_seq_value && ind == indent && line[ind..].starts_with('-');
        if ind > indent || seq_item {
            end = line_end(text, at);
        } else {
            break;
        }
    }
    if is_scalar(value) && value.span.end > end {
        return Err(format!(
            "the value of `{}` could not be delimited",
            key.name
        ));
    }
    let start = leading_comments_start(text, ls, indent);
    // An entry set apart by blank lines takes the blank lines after it along, so that its removal
    // leaves one separation where there were two.
    let first_entry = matches!(&map.value, NodeValue::Map(entries)
        if entries.first().is_some_and(|(k, _)| k.span == key.span));
    let blank_before = start > 0 && is_blank(&text[line_start(text, start - 1)..start]);
    if first_entry || blank_before {
        let mut blank_end = end;
        for (at, line) in lines_from(text, end) {
            if is_blank(line) {
                blank_end = line_end(text, at);
                continue;
            }
            if indentation(line) == indent {
                end = blank_end;
            }
            break;
        }
    }
    Ok(Edit {
        start,
        end,
        replacement: String::new(),
    })
}

fn is_scalar(node: &Node) -> bool {
    !matches!(node.value, NodeValue::Map(_) | NodeValue::Seq(_))
}

/// A key set through a merge (`<<: *anchor`) has its span elsewhere: editing it would change the
/// anchor's other users.
fn check_inside(map: &Node, key: &Key) -> Result<(), String> {
    if key.span.start < map.span.start {
        return Err(format!(
            "`{}` comes from a YAML anchor or merge key; change it by hand",
            key.name
        ));
    }
    Ok(())
}

/// The end of a flow value starting at (or after whitespace from) `pos`.
fn flow_value_end(text: &str, pos: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = pos;
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
        i += 1;
    }
    if i >= bytes.len() {
        return i;
    }
    match bytes[i] {
        b'{' | b'[' => {
            let mut depth = 0usize;
            while i < bytes.len() {
                match bytes[i] {
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return i + 1;
                        }
                    }
                    b'"' => i = quoted_end(bytes, i, b'"') - 1,
                    b'\'' => i = quoted_end(bytes, i, b'\'') - 1,
                    _ => {}
                }
                i += 1;
            }
            bytes.len()
        }
        q @ (b'"' | b'\'') => quoted_end(bytes, i, q),
        _ => {
            let mut end = i;
            while end < bytes.len() && !matches!(bytes[end], b',' | b'}' | b']' | b'\n') {
                if bytes[end] == b'#' && end > 0 && bytes[end - 1] == b' ' {
                    break;
                }
                end += 1;
            }
            while end > i && bytes[end - 1] == b' ' {
                end -= 1;
            }
            end
        }
    }
}

/// The end (past the closing quote) of a quoted scalar opening at `open`.
fn quoted_end(bytes: &[u8], open: usize, quote: u8) -> usize {
    let mut i = open + 1;
    while i < bytes.len() {
        if quote == b'"' && bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i] == quote {
            if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

fn skip_ws(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

fn remove_flow_entry(text: &str, map: &Node, key: &Key, value: &Node) -> Result<Edit, String> {
    let start = key_start(text, key);
    let value_start = if value.span.start > start {
        value.span.start
    } else {
        // An empty value: continue after the colon.
        text[start..].find(':').map_or(start, |i| start + i + 1)
    };
    let quoted_start = match text[..value_start].chars().next_back() {
        Some(q @ ('"' | '\'')) if !text[value_start..].starts_with(q) => value_start - 1,
        _ => value_start,
    };
    let value_end = flow_value_end(text, quoted_start);
    let after = skip_ws(text, value_end);
    if text[after..].starts_with(',') {
        // Not the last entry: take the comma and the space up to the next key.
        let next = skip_ws(text, after + 1);
        return Ok(Edit {
            start,
            end: next,
            replacement: String::new(),
        });
    }
    let bytes = text.as_bytes();
    let mut before = start;
    while before > map.span.start && matches!(bytes[before - 1], b' ' | b'\t' | b'\n' | b'\r') {
        before -= 1;
    }
    if before > 0 && bytes[before - 1] == b',' {
        Ok(Edit {
            start: before - 1,
            end: value_end,
            replacement: String::new(),
        })
    } else {
        // The only entry.
        Ok(Edit {
            start,
            end: value_end,
            replacement: String::new(),
        })
    }
}

/// The edit that replaces a scalar value with `new`, keeping its quotes if it had any.
pub fn set_scalar(text: &str, value: &Node, new: &str) -> Result<Edit, String> {
    let NodeValue::Str(current) = &value.value else {
        return Err("expected a string value".into());
    };
    // The span may or may not include the quotes; find the scalar's extent from its start.
    let mut start = value.span.start.min(text.len());
    if let Some(q @ ('"' | '\'')) = text[..start].chars().next_back()
        && !text[start..].starts_with(q)
    {
        start -= 1;
    }
    let end = flow_value_end(text, start);
    let raw = &text[start..end];
    let inner = match raw.chars().next() {
        Some('"' | '\'') if raw.len() >= 2 => (start + 1, end - 1),
        _ => (start, end),
    };
    if text[inner.0..inner.1] != **current {
        return Err("the value is written in a form promagent does not rewrite".into());
    }
    Ok(Edit {
        start: inner.0,
        end: inner.1,
        replacement: new.to_string(),
    })
}

/// The edit that inserts `key: value` as the first entry of `map` (before the comments that
/// belong to the current first entry). `value` is a plain scalar.
pub fn insert_first(text: &str, map: &Node, key: &str, value: &str) -> Result<Edit, String> {
    let NodeValue::Map(entries) = &map.value else {
        return Err("expected a mapping".into());
    };
    let Some((first, _)) = entries.first() else {
        // `{}`: write the entry inside the braces.
        let open = map.span.start + text[map.span.start..].find('{').ok_or("expected `{}`")?;
        return Ok(Edit {
            start: open + 1,
            end: open + 1,
            replacement: format!("{key}: {value}"),
        });
    };
    check_inside(map, first)?;
    let json = key_is_double_quoted(text, first);
    let entry = if json {
        format!("\"{key}\": \"{value}\"")
    } else {
        format!("{key}: {value}")
    };
    let start = key_start(text, first);
    let ls = line_start(text, start);
    let own_line = text[ls..start].chars().all(|c| c == ' ');
    if is_flow(text, map) {
        let replacement = if own_line {
            format!("{entry},{}{}", line_ending(text), &text[ls..start])
        } else {
            format!("{entry}, ")
        };
        return Ok(Edit {
            start,
            end: start,
            replacement,
        });
    }
    if !own_line {
        return Err(format!("`{}` does not start its own line", first.name));
    }
    let indent = start - ls;
    let at = leading_comments_start(text, ls, indent);
    Ok(Edit {
        start: at,
        end: at,
        replacement: format!("{}{entry}{}", " ".repeat(indent), line_ending(text)),
    })
}

/// The edit that renames a key, keeping its quotes.
pub fn rename_key(text: &str, key: &Key, new: &str) -> Result<Edit, String> {
    let start = key_start(text, key);
    let raw_end = key.span.end.min(text.len());
    let raw = &text[start..raw_end];
    let (start, end) = match raw.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let inner_end = text[start + 1..].find(q).map_or(raw_end, |i| start + 1 + i);
            (start + 1, inner_end)
        }
        _ => (start, raw_end),
    };
    if text[start..end] != key.name {
        return Err(format!(
            "the key `{}` is written in a form promagent does not rewrite",
            key.name
        ));
    }
    Ok(Edit {
        start,
        end,
        replacement: new.to_string(),
    })
}

/// Text that appends `documents` (each a complete YAML document without `---`, its lines ending in
/// `\n`) to `text`, in the file's line endings. Nothing when there is nothing to append: a file
/// without a final line break keeps it that way.
pub fn append_documents(text: &str, documents: &[String]) -> String {
    let eol = line_ending(text);
    let mut out = String::new();
    if documents.is_empty() {
        return out;
    }
    if !text.is_empty() && !text.ends_with('\n') {
        out.push_str(eol);
    }
    for doc in documents {
        out.push_str("---");
        out.push_str(eol);
        for line in doc.lines() {
            out.push_str(line);
            out.push_str(eol);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::{Limits, parse};

    fn spec_of(text: &str) -> Node {
        let parsed = parse(text, &Limits::default());
        assert!(parsed.error.is_none(), "{:?}", parsed.error);
        parsed.documents[0].get("spec").unwrap().clone()
    }

    fn remove(text: &str, field: &str) -> String {
        let spec = spec_of(text);
        let (k, v) = spec.entry(field).unwrap();
        let e = remove_entry(text, &spec, k, v).unwrap();
        apply(text, &[e]).unwrap()
    }

    #[test]
    fn block_entry_goes_with_its_comment_and_nested_lines() {
        let text = "spec:\n  # keep me\n  version: v3\n\n  # two replicas\n  replicas: 2 # HA\n  storage:\n    volumeClaimTemplate:\n      spec: {}\n    # old setting\n  # about scrape\n  scrapeInterval: 30s\n";
        assert_eq!(
            remove(text, "replicas"),
            "spec:\n  # keep me\n  version: v3\n\n  storage:\n    volumeClaimTemplate:\n      spec: {}\n    # old setting\n  # about scrape\n  scrapeInterval: 30s\n"
        );
        assert_eq!(
            remove(text, "storage"),
            "spec:\n  # keep me\n  version: v3\n\n  # two replicas\n  replicas: 2 # HA\n  # about scrape\n  scrapeInterval: 30s\n"
        );
    }

    #[test]
    fn block_sequence_at_key_indentation_and_block_scalars() {
        let text = "spec:\n  additionalScrapeConfigs:\n  - name: x\n    key: y\n  other: |\n    # not a comment\n  last: 1";
        assert_eq!(
            remove(text, "additionalScrapeConfigs"),
            "spec:\n  other: |\n    # not a comment\n  last: 1"
        );
        assert_eq!(
            remove(text, "last"),
            "spec:\n  additionalScrapeConfigs:\n  - name: x\n    key: y\n  other: |\n    # not a comment\n"
        );
    }

    #[test]
    fn blank_lines_around_a_removed_entry_collapse_to_one() {
        let text = "spec:\n  version: v3\n\n  # two replicas\n  replicas: 2\n\n  shards: 1\n";
        assert_eq!(
            remove(text, "replicas"),
            "spec:\n  version: v3\n\n  shards: 1\n"
        );
        let first = "spec:\n  replicas: 2\n\n  shards: 1\n\n  version: v3\n";
        assert_eq!(
            remove(first, "replicas"),
            "spec:\n  shards: 1\n\n  version: v3\n"
        );
        // A last entry keeps the blank line that separates the mapping from what follows.
        let last = "spec:\n  version: v3\n\n  replicas: 2\n\nstatus: {}\n";
        assert_eq!(
            remove(last, "replicas"),
            "spec:\n  version: v3\n\n\nstatus: {}\n"
        );
    }

    #[test]
    fn inserted_lines_follow_the_file_line_endings() {
        let text = "spec:\r\n  # first\r\n  version: v3\r\n";
        let spec = spec_of(text);
        let ins = insert_first(text, &spec, "mode", "DaemonSet").unwrap();
        assert_eq!(
            apply(text, &[ins]).unwrap(),
            "spec:\r\n  mode: DaemonSet\r\n  # first\r\n  version: v3\r\n"
        );
        assert_eq!(
            append_documents("a: 1\r\n", &["b: 2\nc: |-\n  x\n".into()]),
            "---\r\nb: 2\r\nc: |-\r\n  x\r\n"
        );
        assert_eq!(append_documents("a: 1", &[]), "");
        assert_eq!(
            append_documents("a: 1", &["b: 2\n".into()]),
            "\n---\nb: 2\n"
        );
    }

    #[test]
    fn flow_and_json_entries() {
        assert_eq!(
            remove("spec: {replicas: 2, version: v3}\n", "replicas"),
            "spec: {version: v3}\n"
        );
        assert_eq!(
            remove("spec: {version: v3, replicas: 2}\n", "replicas"),
            "spec: {version: v3}\n"
        );
        let json = "{\n  \"spec\": {\n    \"replicas\": 2,\n    \"storage\": {\"a\": [1, \"}\"]},\n    \"version\": \"v3\"\n  }\n}\n";
        assert_eq!(
            remove(json, "storage"),
            "{\n  \"spec\": {\n    \"replicas\": 2,\n    \"version\": \"v3\"\n  }\n}\n"
        );
        assert_eq!(
            remove(json, "version"),
            "{\n  \"spec\": {\n    \"replicas\": 2,\n    \"storage\": {\"a\": [1, \"}\"]}\n  }\n}\n"
        );
    }

    #[test]
    fn insert_set_and_rename() {
        let text = "spec:\n  # first\n  version: v3\n  mode: 'StatefulSet'\n";
        let spec = spec_of(text);
        let ins = insert_first(text, &spec, "mode", "DaemonSet").unwrap();
        assert_eq!(
            apply(text, &[ins]).unwrap(),
            "spec:\n  mode: DaemonSet\n  # first\n  version: v3\n  mode: 'StatefulSet'\n"
        );
        let set = set_scalar(text, spec.get("mode").unwrap(), "DaemonSet").unwrap();
        assert_eq!(
            apply(text, &[set]).unwrap(),
            "spec:\n  # first\n  version: v3\n  mode: 'DaemonSet'\n"
        );
        let (k, _) = spec.entry("version").unwrap();
        let ren = rename_key(text, k, "image").unwrap();
        assert_eq!(
            apply(text, &[ren]).unwrap(),
            "spec:\n  # first\n  image: v3\n  mode: 'StatefulSet'\n"
        );
        let json = "{\"spec\": {\n    \"replicas\": 2\n}}";
        let spec = spec_of(json);
        let ins = insert_first(json, &spec, "mode", "DaemonSet").unwrap();
        assert_eq!(
            apply(json, &[ins]).unwrap(),
            "{\"spec\": {\n    \"mode\": \"DaemonSet\",\n    \"replicas\": 2\n}}"
        );
    }

    #[test]
    fn overlapping_edits_are_refused() {
        let a = Edit {
            start: 0,
            end: 4,
            replacement: String::new(),
        };
        let b = Edit {
            start: 2,
            end: 5,
            replacement: String::new(),
        };
        assert!(apply("abcdef", &[a, b]).is_err());
    }
}
