//! The default, human format: each finding as `file:line:col`, the source lines with a caret under
//! the field, the message and a hint, drawn by miette. Colour follows `--color` and `NO_COLOR`.
//! Snippets show [`crate::diag::SourceFile::display_text`] (Secret values masked); every other
//! piece of input text goes through [`crate::shown::escape`].

use crate::diag::{Diagnostic, Severity, SourceFile, Span};
use crate::shown::escape;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;

/// A file's display text as miette reads it, one window of lines at a time: a finding costs the
/// lines it shows, not a copy and a scan of the whole file (a 5 MB file with many findings).
struct Snippet<'a> {
    name: String,
    file: &'a SourceFile,
}

impl SourceCode for Snippet<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let text = self.file.display_text();
        let start = span.offset();
        // A line more on each side than asked for, so miette sees the same surroundings as in
        // the whole text.
        let window =
            self.file
                .lines_around(Span::new(start, start + span.len()), before + 1, after + 1);
        let local = SourceSpan::new((start.saturating_sub(window.start)).into(), span.len());
        let inner = text[window.clone()].read_span(&local, before, after)?;
        let first_line = self.file.line_col(window.start).0 - 1;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new(
                (inner.span().offset() + window.start).into(),
                inner.span().len(),
            ),
            inner.line() + first_line,
            inner.column(),
            inner.line_count() + first_line,
        )))
    }
}

/// One finding as miette sees it.
struct Report<'a> {
    d: &'a Diagnostic,
    title: String,
    help: Option<String>,
    source: Option<Snippet<'a>>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let location = self.d.location.as_ref()?;
        let span = location.span;
        let label = if self.d.path.is_root() {
            None
        } else {
            Some(escape(&self.d.path.to_string()).into_owned())
        };
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(label, span.start..span.end.max(span.start)),
        )))
    }
}

fn title(d: &Diagnostic) -> String {
    let mut title = String::new();
    if let Some(object) = d.object.as_ref().filter(|o| !o.kind.is_empty()) {
        title.push_str(&format!("{object}: "));
    }
    title.push_str(&d.message);
    escape(&title).into_owned()
}

/// Renders every finding, each preceded by its `file:line:col` so editors and terminals can jump to it.
pub fn render(diagnostics: &[Diagnostic], color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_context_lines(1)
        .with_width(100)
        // Messages break at spaces; Unicode line breaking costs more than the rest of a one-file run.
        .with_word_separator(textwrap::WordSeparator::AsciiSpace);
    let mut out = String::new();
    for d in diagnostics {
        let source = d.location.as_ref().map(|l| Snippet {
            name: escape(&l.file.name).into_owned(),
            file: &l.file,
        });
        if let (Some(file), Some((line, col))) = (d.file_name(), d.line_col()) {
            out.push_str(&format!(
                "{}:{line}:{col}: {}[{}]\n",
                escape(file),
                d.severity.as_str(),
                escape(&d.code)
            ));
        } else {
            out.push_str(&format!("{}[{}]\n", d.severity.as_str(), escape(&d.code)));
        }
        let report = Report {
            d,
            title: title(d),
            help: d.help.as_deref().map(|h| escape(h).into_owned()),
            source,
        };
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&format!("{}\n", report.title));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::NamedSource;

    type Read = (Vec<u8>, SourceSpan, usize, usize, usize, Option<String>);

    /// Everything miette takes from a read: the text, its span, line, column, line count, name.
    fn read(source: &dyn SourceCode, span: &SourceSpan, context: usize) -> Option<Read> {
        let c = source.read_span(span, context, context).ok()?;
        Some((
            c.data().to_vec(),
            *c.span(),
            c.line(),
            c.column(),
            c.line_count(),
            c.name().map(str::to_string),
        ))
    }

    /// The windowed snippet reads exactly what miette reads from the whole text, wherever the
    /// span is: first and last line, a last line without a newline, empty and multi-line spans.
    #[test]
    fn a_snippet_reads_what_the_whole_text_reads() {
        for text in [
            "a: 1\nb:\n  c: 2\n  d: [x, y]\n\ne: last",
            "only line",
            "kind: X\r\nspec:\r\n  a: 1\r\n",
            "\n\n\nx: 1\n\n\n",
        ] {
            let file = SourceFile::new("f.yaml", text.to_string());
            let snippet = Snippet {
                name: "f.yaml".into(),
                file: &file,
            };
            let whole = NamedSource::new("f.yaml", file.display_text().to_string());
            for start in 0..=text.len() {
                for len in [0, 1, 3, 9] {
                    let len = len.min(text.len() - start);
                    for context in [0, 1, 2] {
                        let span = SourceSpan::new(start.into(), len);
                        let ours = read(&snippet, &span, context);
                        let theirs = read(&whole, &span, context);
                        assert_eq!(
                            ours, theirs,
                            "{text:?} at {start}+{len}, {context} lines of context"
                        );
                    }
                }
            }
        }
    }
}
