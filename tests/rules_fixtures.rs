//! Every operator rule against its fixtures in `testdata/rules/<CODE>/`: `fail.yaml` must produce the
//! snapshot of findings (and at least one finding of that code), `pass.yaml` no finding of that code
//! and no error at all.

use promagent::check::rules::{self, RuleOptions};
use promagent::diag::{Diagnostic, Severity};
use promagent::load::load_str;
use promagent::model::Inventory;
use std::path::Path;

fn findings(path: &Path) -> Vec<Diagnostic> {
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    let name = format!(
        "{}/{}",
        path.parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy(),
        path.file_name().unwrap().to_string_lossy()
    );
    let inputs = load_str(&name, &text);
    assert!(
        inputs.diagnostics.is_empty(),
        "{name}: {:?}",
        inputs.diagnostics
    );
    let (inventory, decode) = Inventory::from_documents(&inputs.documents);
    assert!(
        decode.is_empty(),
        "{name}: {:?}",
        decode.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    let options = RuleOptions {
        missing_refs: Severity::Error,
        ..RuleOptions::default()
    };
    let mut found = rules::check(&inputs, &inventory, &options);
    found.sort_by_key(|d| (d.line_col(), d.code.clone(), d.message.clone()));
    found
}

fn render(found: &[Diagnostic]) -> String {
    found
        .iter()
        .map(|d| {
            let (line, col) = d.line_col().unwrap_or((0, 0));
            let object = d
                .object
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            format!(
                "{} {} {line}:{col} {object} {}: {}",
                d.code,
                d.severity.as_str(),
                d.path,
                d.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_rule_has_fixtures_that_fail_and_pass() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules");
    for rule in rules::all() {
        let dir = root.join(rule.code);
        let fail = findings(&dir.join("fail.yaml"));
        assert!(
            fail.iter().any(|d| d.code == rule.code),
            "{}: fail.yaml does not trigger the rule:\n{}",
            rule.code,
            render(&fail)
        );
        insta::assert_snapshot!(format!("{}_fail", rule.code), render(&fail));
        let pass = findings(&dir.join("pass.yaml"));
        assert!(
            !pass
                .iter()
                .any(|d| d.code == rule.code || d.severity == Severity::Error),
            "{}: pass.yaml has findings:\n{}",
            rule.code,
            render(&pass)
        );
    }
}
