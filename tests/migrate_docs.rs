//! docs/daemonset-mode.md carries the field table that `migrate::field_table_markdown` generates
//! from the CRD's rules; this test keeps the two equal.

use std::fs;

const DOC: &str = "docs/daemonset-mode.md";
const BEGIN: &str =
    "<!-- BEGIN GENERATED: field-table (PROMAGENT_BLESS=1 cargo test --test migrate_docs) -->\n";
const END: &str = "<!-- END GENERATED: field-table -->";

#[test]
fn field_table_in_the_guide_is_up_to_date() {
    let text = fs::read_to_string(DOC).unwrap();
    let start = text.find(BEGIN).expect("begin marker") + BEGIN.len();
    let end = text[start..].find(END).expect("end marker") + start;
    let table = promagent::migrate::field_table_markdown();
    if text[start..end] == table {
        return;
    }
    if std::env::var_os("PROMAGENT_BLESS").is_some_and(|v| v == "1") {
        let updated = format!("{}{}{}", &text[..start], table, &text[end..]);
        fs::write(DOC, updated).unwrap();
        return;
    }
    panic!(
        "{DOC} is out of date: run `PROMAGENT_BLESS=1 cargo test --test migrate_docs` to regenerate its field table"
    );
}
