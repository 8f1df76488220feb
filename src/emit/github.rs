//! `--format github`: GitHub Actions workflow commands, so findings show up as annotations on the
//! pull request (`::error file=…,line=…,col=…,title=…::message`). Data and properties are escaped
//! as the Actions runner unescapes them (`%`, CR, LF; `:` and `,` in properties), and other
//! control characters are written as `\x1b`, so input text can neither end a command early nor
//! reach the log's terminal raw.

use super::flat;
use crate::diag::{Diagnostic, Severity};

fn escape_data(s: &str) -> String {
    let s = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    crate::shown::escape(&s).into_owned()
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let f = flat(d);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if !f.file.is_empty() {
            props.push(format!("file={}", escape_property(f.file)));
            props.push(format!("line={}", f.line));
            props.push(format!("col={}", f.column));
        }
        let title = if f.object.is_empty() {
            format!("promagent {}", d.code)
        } else {
            format!("promagent {} {}", d.code, f.object)
        };
        props.push(format!("title={}", escape_property(&title)));
        let mut message = String::new();
        if !f.object.is_empty() {
            message.push_str(&format!("{}: ", f.object));
        }
        if !f.path.is_empty() {
            message.push_str(&format!("{}: ", f.path));
        }
        message.push_str(&d.message);
        if let Some(help) = &d.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        out.push_str(&format!(
            "::{command} {}::{}\n",
            props.join(","),
            escape_data(&message)
        ));
    }
    out
}
