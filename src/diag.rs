//! The finding type shared by every check layer and every output format.
//!
//! A [`Diagnostic`] says what is wrong (message, code, severity), which layer found it, which object
//! and field it concerns, and where that field is in the user's file.

use crate::fieldpath::FieldPath;
use serde::Serialize;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Which stage found the problem: the YAML reader, the CRD's OpenAPI schema, the CRD's CEL rules,
/// the operator's own reconcile-time checks, or Prometheus loading its configuration file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Yaml,
    Schema,
    Cel,
    Operator,
    Prometheus,
}

impl Layer {
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Yaml => "yaml",
            Layer::Schema => "schema",
            Layer::Cel => "cel",
            Layer::Operator => "operator",
            Layer::Prometheus => "prometheus",
        }
    }
}

/// A loaded input file: its display name and full text, shared by every finding that points into it.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user gave it (or `<stdin>`).
    pub name: String,
    pub text: String,
    /// Byte offset of the start of every line, for offset → line/column.
    line_starts: Vec<usize>,
    /// Ranges whose text is a secret (a `config.Secret` of a Prometheus configuration), masked
    /// in [`SourceFile::display_text`].
    hidden: Vec<Span>,
    display: std::sync::OnceLock<String>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            name: name.into(),
            text,
            line_starts,
            hidden: Vec::new(),
            display: std::sync::OnceLock::new(),
        }
    }

    /// The same file with `spans` masked whenever its text is shown.
    pub fn with_hidden(mut self, spans: Vec<Span>) -> Self {
        self.hidden = spans;
        self.display = std::sync::OnceLock::new();
        self
    }

    /// The text as a source snippet shows it: Secret values and hidden spans masked with `*`,
    /// control characters replaced (see [`crate::shown::source_for_display`]); offsets unchanged.
    pub fn display_text(&self) -> &str {
        self.display.get_or_init(|| {
            let text = &self.text;
            let mut bytes = text.as_bytes().to_vec();
            for span in &self.hidden {
                let mut start = span.start.min(text.len());
                let mut end = span.end.min(text.len()).max(start);
                while !text.is_char_boundary(start) {
                    start -= 1;
                }
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                for b in &mut bytes[start..end] {
                    if !matches!(*b, b'\n' | b'\r') {
                        *b = b'*';
                    }
                }
            }
            // Whole characters were replaced with ASCII, so the bytes are still UTF-8.
            let text = String::from_utf8(bytes).unwrap_or_default();
            crate::shown::source_for_display(&text)
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self.text[start..offset].chars().count() + 1;
        (line + 1, col)
    }

    /// The byte range of whole lines around `span`: `before` lines before its first line and `after`
    /// lines after its last, so a snippet reads a few lines instead of the whole file.
    pub fn lines_around(&self, span: Span, before: usize, after: usize) -> std::ops::Range<usize> {
        let line_of = |offset: usize| self.line_starts.partition_point(|&s| s <= offset) - 1;
        let first = line_of(span.start.min(self.text.len())).saturating_sub(before);
        let last = line_of(span.end.max(span.start).min(self.text.len())) + after + 1;
        let start = self.line_starts[first];
        let end = self
            .line_starts
            .get(last)
            .copied()
            .unwrap_or(self.text.len());
        start..end
    }

    /// Byte offset of a 1-based line and column (in characters).
    pub fn offset(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        self.text[start..]
            .char_indices()
            .nth(col.saturating_sub(1))
            .map(|(i, _)| start + i)
            .unwrap_or(self.text.len())
    }
}

/// A byte range in a [`SourceFile`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// Where a finding points: the file and a byte range in it.
#[derive(Clone, Debug)]
pub struct Location {
    pub file: Arc<SourceFile>,
    pub span: Span,
}

impl Location {
    pub fn line_col(&self) -> (usize, usize) {
        self.file.line_col(self.span.start)
    }
}

/// The object a finding is about. Printed `Kind ns/name`, `Kind name` for a cluster-scoped
/// object, or `Kind <unnamed>` when the object has no name.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ObjectRef {
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl std::fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.name.is_empty() {
            write!(f, "{} <unnamed>", self.kind)
        } else if self.namespace.is_empty() {
            write!(f, "{} {}", self.kind, self.name)
        } else {
            write!(f, "{} {}/{}", self.kind, self.namespace, self.name)
        }
    }
}

/// One finding.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable code: `yaml/...`, `schema/...`, `cel/...` or an operator rule code such as `PA003`.
    pub code: String,
    pub layer: Layer,
    pub object: Option<ObjectRef>,
    pub path: FieldPath,
    pub message: String,
    /// What to do about it, when there is something to say.
    pub help: Option<String>,
    pub location: Option<Location>,
}

impl Diagnostic {
    pub fn new(
        severity: Severity,
        layer: Layer,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            code: code.into(),
            layer,
            object: None,
            path: FieldPath::root(),
            message: message.into(),
            help: None,
            location: None,
        }
    }

    pub fn error(layer: Layer, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, layer, code, message)
    }

    pub fn warning(layer: Layer, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, layer, code, message)
    }

    pub fn with_path(mut self, path: FieldPath) -> Self {
        self.path = path;
        self
    }

    pub fn with_object(mut self, object: ObjectRef) -> Self {
        self.object = Some(object);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_location(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// 1-based line and column, when the finding has a location.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        self.location.as_ref().map(Location::line_col)
    }

    pub fn file_name(&self) -> Option<&str> {
        self.location.as_ref().map(|l| l.file.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let file = SourceFile::new("x.yaml", "# héllo\nkey: välue\n".to_string());
        let offset = file.text.find("välue").unwrap();
        assert_eq!(file.line_col(offset), (2, 6));
        assert_eq!(file.offset(2, 6), offset);
        let after = file.text.find("lue").unwrap();
        assert_eq!(file.line_col(after), (2, 8));
    }

    #[test]
    fn objects_print_as_kind_namespace_name() {
        let object = |ns: &str, name: &str| ObjectRef {
            kind: "PodMonitor".into(),
            namespace: ns.into(),
            name: name.into(),
        };
        assert_eq!(object("m", "web").to_string(), "PodMonitor m/web");
        assert_eq!(object("", "web").to_string(), "PodMonitor web");
        assert_eq!(object("m", "").to_string(), "PodMonitor <unnamed>");
        assert_eq!(object("", "").to_string(), "PodMonitor <unnamed>");
    }

    #[test]
    fn line_col_at_end_of_file() {
        let file = SourceFile::new("x.yaml", "a: 1\n".to_string());
        assert_eq!(file.line_col(5), (2, 1));
    }
}
