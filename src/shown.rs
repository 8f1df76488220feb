//! What promagent prints of text it did not write: control characters escaped for terminals
//! ([`escape`], [`source_for_display`]), the values of a Secret's `data` / `stringData` masked in
//! source snippets ([`mask_secret_data`]), and the password of a URL's userinfo replaced as
//! Prometheus replaces it ([`redact_url`]).

use std::borrow::Cow;

/// What a URL's password is replaced with (prometheus/common's `URL.Redacted`).
pub const URL_PASSWORD: &str = "xxxxx";

/// The text with every control character except newline and tab written as `\x1b` or `\u{9b}`,
/// so that a name or value cannot move the cursor, retitle a terminal or clear it.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_escaped(c) {
            if (c as u32) < 0x80 {
                out.push_str(&format!("\\x{:02x}", c as u32));
            } else {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn is_escaped(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// A source file's text as a snippet may show it: the same bytes, except that the values of every
/// Secret's `data` and `stringData` are masked with `*` and control characters (other than newline,
/// tab and the carriage return of a line end) become `?`. Byte offsets stay valid.
pub fn source_for_display(text: &str) -> String {
    let mut bytes = mask_secret_data(text).into_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        match b {
            b'\n' | b'\t' => {}
            b'\r' if next == Some(b'\n') => {}
            0x00..=0x1f | 0x7f => bytes[i] = b'?',
            // U+0080..U+009F (C1 controls, such as the 8-bit CSI) are 0xC2 0x80..0x9F in UTF-8.
            0xc2 if next.is_some_and(|n| (0x80..=0x9f).contains(&n)) => {
                bytes[i] = b'?';
                bytes[i + 1] = b'?';
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    // Only whole ASCII bytes or whole two-byte characters were replaced with ASCII.
    String::from_utf8(bytes).unwrap_or_default()
}

/// Masks, byte for byte, what a Secret holds in the text of a manifest file: in every document
/// (or `kind: List`) that contains a Secret, the value of each entry under `data` and `stringData`
/// (keys and layout stay) and the `kubectl.kubernetes.io/last-applied-configuration` annotation,
/// which repeats them. It works on lines rather than on the parsed tree so that text the YAML
/// reader could not read (a tab, a duplicate key, a syntax error) is masked as well.
pub fn mask_secret_data(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let lines = line_ranges(text);
    let mut start = 0;
    while start < lines.len() {
        let mut end = start;
        while end < lines.len() && (end == start || !is_document_marker(&text[lines[end].clone()]))
        {
            end += 1;
        }
        let chunk = &lines[start..end];
        if chunk.iter().any(|r| is_secret_kind_line(&text[r.clone()])) {
            mask_chunk(text, chunk, &mut bytes);
        }
        start = end;
    }
    String::from_utf8(bytes).unwrap_or_default()
}

/// The byte range of every line, without its `\n` (and without a `\r` before it).
fn line_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices('\n') {
        let end = if i > start && text.as_bytes()[i - 1] == b'\r' {
            i - 1
        } else {
            i
        };
        out.push(start..end);
        start = i + 1;
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

fn is_document_marker(line: &str) -> bool {
    line.starts_with("---") || line.starts_with("...")
}

/// `kind: Secret` (YAML or JSON, quoted or not, inline in a flow mapping too).
fn is_secret_kind_line(line: &str) -> bool {
    // The value `Secret` itself is never split by quotes or spaces.
    if !line.contains("Secret") {
        return false;
    }
    let compact: String = line
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'')
        .collect();
    compact.match_indices("kind:Secret").any(|(i, _)| {
        let after = compact[i + "kind:Secret".len()..].chars().next();
        let before = compact[..i].chars().next_back();
        !after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-')
            && !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Region {
    /// Under `data` / `stringData`: keys stay, values are masked.
    Data,
    /// Under the last-applied annotation: everything is masked.
    All,
}

fn mask_chunk(text: &str, lines: &[std::ops::Range<usize>], bytes: &mut [u8]) {
    // (region, column of its key, column of its first entry)
    let mut open: Option<(Region, usize, Option<usize>)> = None;
    for range in lines {
        let line = &text[range.clone()];
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let content = &line[indent..];
        if content.is_empty() {
            continue;
        }
        if let Some((region, column, entries)) = open.as_mut() {
            if indent > *column {
                let body_start = range.start + indent;
                match region {
                    Region::All => mask(bytes, body_start, range.end),
                    Region::Data => {
                        let entry = *entries.get_or_insert(indent);
                        match key_end(content) {
                            Some(k) if indent == entry => {
                                mask_value(text, bytes, body_start + k, range.end)
                            }
                            _ => mask(bytes, body_start, range.end),
                        }
                    }
                }
                continue;
            }
            open = None;
        }
        let (dash, rest) = match content.strip_prefix("- ") {
            Some(rest) => (2, rest.trim_start_matches(' ')),
            None => (0, content),
        };
        let column = indent + (content.len() - rest.len()).max(dash);
        let value_start = range.start + column;
        match key_end(rest) {
            Some(k) => {
                let key = unquote(rest[..k].trim_end_matches(':').trim_end());
                let region = match key {
                    "data" | "stringData" => Some(Region::Data),
                    "kubectl.kubernetes.io/last-applied-configuration" => Some(Region::All),
                    _ => None,
                };
                if let Some(region) = region {
                    mask_value(text, bytes, value_start + k, range.end);
                    open = Some((region, column, None));
                } else {
                    mask_inline_data(text, bytes, range.clone());
                }
            }
            None => mask_inline_data(text, bytes, range.clone()),
        }
    }
}

/// JSON or a flow mapping on one line: everything after a `data` / `stringData` key is masked.
fn mask_inline_data(text: &str, bytes: &mut [u8], range: std::ops::Range<usize>) {
    let line = &text[range.clone()];
    let mut first: Option<usize> = None;
    for key in ["data", "stringData"] {
        for (i, _) in line.match_indices(key) {
            let before = line[..i].chars().next_back();
            let quoted = matches!(before, Some('"' | '\''));
            let opens = match before {
                None => false,
                Some(c) => quoted || c == '{' || c == ',' || c == ' ',
            };
            let mut after = &line[i + key.len()..];
            if quoted {
                after = &after[after.starts_with(['"', '\'']) as usize..];
            }
            if opens && after.trim_start().starts_with(':') {
                let colon = line.len() - after.trim_start().len() + 1;
                first = Some(first.map_or(colon, |f| f.min(colon)));
            }
        }
    }
    if let Some(colon) = first {
        mask_value(text, bytes, range.start + colon, range.end);
    }
}

/// Masks `start..end` after the whitespace that follows a key's colon.
fn mask_value(text: &str, bytes: &mut [u8], start: usize, end: usize) {
    let value = &text[start..end];
    let skip = value.len() - value.trim_start_matches([' ', '\t']).len();
    mask(bytes, start + skip, end);
}

fn mask(bytes: &mut [u8], start: usize, end: usize) {
    for b in &mut bytes[start..end] {
        *b = b'*';
    }
}

/// The length of `key:` at the start of `content` (a plain or quoted key followed by a colon and
/// whitespace or the line end).
fn key_end(content: &str) -> Option<usize> {
    let colon_ok = |i: usize| {
        content[i..].starts_with(':')
            && content[i + 1..]
                .chars()
                .next()
                .is_none_or(|c| c == ' ' || c == '\t')
    };
    if let Some(quote) = content.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let close = content[1..].find(quote)? + 1;
        let after = close + 1;
        let spaces = content[after..].len() - content[after..].trim_start_matches(' ').len();
        return colon_ok(after + spaces).then_some(after + spaces + 1);
    }
    if content.starts_with(['{', '[', '#', '-', '|', '>', '&', '*', '!']) {
        return None;
    }
    for (j, c) in content.char_indices() {
        if c == ':' && colon_ok(j) {
            return Some(j + 1);
        }
        if c == '#' && content[..j].ends_with([' ', '\t']) {
            return None;
        }
    }
    None
}

fn unquote(key: &str) -> &str {
    key.trim_matches(['"', '\''])
}

/// `scheme://user:password@host…` with the password replaced by [`URL_PASSWORD`]; `None` when the
/// text is not such a URL.
pub fn redact_url(text: &str) -> Option<String> {
    let scheme_end = text.find("://")?;
    let scheme = &text[..scheme_end];
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    let authority_start = scheme_end + 3;
    let rest = &text[authority_start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let at = authority.rfind('@')?;
    let userinfo = &authority[..at];
    let colon = userinfo.find(':')?;
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..authority_start + colon + 1]);
    out.push_str(URL_PASSWORD);
    out.push_str(&text[authority_start + at..]);
    Some(out)
}

/// Every URL with a password inside `text` (a message, a label value) redacted.
pub fn redact_urls_in(text: &str) -> Cow<'_, str> {
    if !text.contains("://") || !text.contains('@') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        // The URL starts at the scheme: the run of scheme characters before "://".
        let start = rest[..i]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
            .map_or(0, |j| j + 1);
        let end = rest[i..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '<' | '>'))
            .map_or(rest.len(), |j| i + j);
        out.push_str(&rest[..start]);
        let url = &rest[start..end];
        out.push_str(&redact_url(url).unwrap_or_else(|| url.to_string()));
        rest = &rest[end..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape("plain\nline\tx"), "plain\nline\tx");
        assert_eq!(
            escape("x\u{1b}]0;t\u{7}\u{1b}[2J\r\u{9b}y"),
            "x\\x1b]0;t\\x07\\x1b[2J\\x0d\\u{9b}y"
        );
    }

    #[test]
    fn display_source_keeps_offsets_and_drops_controls() {
        let text = "a: \"x\u{1b}[2J\"\r\nb: \u{9b}c\r\n";
        let shown = source_for_display(text);
        assert_eq!(shown.len(), text.len());
        assert_eq!(shown, "a: \"x?[2J\"\r\nb: ??c\r\n");
    }

    #[test]
    fn secret_values_are_masked_keys_and_layout_stay() {
        let text = "\
apiVersion: v1
kind: Secret
metadata:
  name: s
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {\"data\":{\"password\":\"aHVudGVyMg==\"}}
data:
  password: aHVudGVyMg==
  other:\tTABBED
  other: DUP
  block: |
    line: one
    two
stringData: {token: FLOW}
---
kind: ConfigMap
data:
  shown: yes
";
        let masked = mask_secret_data(text);
        assert_eq!(masked.len(), text.len());
        for hidden in ["aHVudGVyMg", "TABBED", "DUP", "line: one", "two", "FLOW"] {
            assert!(!masked.contains(hidden), "{hidden} in\n{masked}");
        }
        for kept in [
            "  password: ************\n",
            "  other:\t******\n",
            "  block: *\n    *********\n    ***\n",
            "stringData: *************\n",
            "name: s\n",
            "  shown: yes\n",
        ] {
            assert!(masked.contains(kept), "{kept:?} not in\n{masked}");
        }
    }

    #[test]
    fn secrets_in_lists_json_and_tab_indented_text_are_masked() {
        let list = "kind: List\nitems:\n- kind: Secret\n  data:\n    a: SECRETA\n  metadata:\n    name: n\n- data:\n    b: SECRETB\n";
        let masked = mask_secret_data(list);
        assert!(
            !masked.contains("SECRETA") && !masked.contains("SECRETB"),
            "{masked}"
        );
        assert!(masked.contains("    name: n\n"), "{masked}");
        let json = "{\"kind\": \"Secret\", \"data\": {\"a\": \"SECRETJ\"}}\n";
        assert!(!mask_secret_data(json).contains("SECRETJ"));
        let pretty = "{\n  \"kind\": \"Secret\",\n  \"data\": {\n    \"a\": \"SECRETP\"\n  }\n}\n";
        let masked = mask_secret_data(pretty);
        assert!(
            !masked.contains("SECRETP") && masked.contains("\"a\": "),
            "{masked}"
        );
        let tabs = "kind: Secret\nstringData:\n  a: x\n\tb: SECRETT\n";
        assert!(!mask_secret_data(tabs).contains("SECRETT"));
        let other = "kind: Secretary\ndata:\n  a: shown\n";
        assert_eq!(mask_secret_data(other), other);
    }

    #[test]
    fn url_passwords_are_redacted() {
        assert_eq!(
            redact_url("https://user:pw@example.com:8443/p?q=1").as_deref(),
            Some("https://user:xxxxx@example.com:8443/p?q=1")
        );
        assert_eq!(redact_url("https://user@example.com"), None);
        assert_eq!(redact_url("https://example.com/a@b"), None);
        assert_eq!(
            redact_urls_in("parse \"http://u:p@h x\": bad"),
            "parse \"http://u:xxxxx@h x\": bad"
        );
    }
}
