//! The default, human format: each finding as `file:line:col`, the source lines with a caret under
//! the field, the message and a hint, drawn by miette. Colour follows `--color` and `NO_COLOR`.
//! Snippets show [`crate::diag::SourceFile::display_text`] (Secret values masked); every other
//! piece of input text goes through [`crate::shown::escape`].

use crate::diag::{Diagnostic, Severity};
use crate::shown::escape;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};
use std::fmt;

/// One finding as miette sees it.
struct Report<'a> {
    d: &'a Diagnostic,
    title: String,
    help: Option<String>,
    source: Option<NamedSource<String>>,
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
        .with_width(100);
    let mut out = String::new();
    for d in diagnostics {
        let source = d
            .location
            .as_ref()
            .map(|l| NamedSource::new(escape(&l.file.name), l.file.display_text().to_string()));
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
