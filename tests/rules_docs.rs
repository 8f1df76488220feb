//! `docs/rules.md` is generated from the rules' documentation; this test fails when it is stale.
//! Regenerate with `PROMAGENT_BLESS=1 cargo test --test rules_docs`.

use std::path::Path;

#[test]
fn rules_md_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let expected = promagent::check::rules::rules_markdown();
    if std::env::var_os("PROMAGENT_BLESS").is_some() {
        std::fs::write(&path, &expected).expect("docs/rules.md is writable");
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == expected,
        "docs/rules.md is out of date; regenerate it with `PROMAGENT_BLESS=1 cargo test --test rules_docs`"
    );
}
