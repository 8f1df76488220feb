//! RF502 `secret-key-missing`: a referenced key is missing from a Secret of the input.
#![doc = include_str!("docs/RF502.md")]

use super::RuleInfo;
use super::context::{Cx, Out, Target};
use super::refs::{Lookup, Source, refs};
use crate::diag::Severity;

pub const INFO: RuleInfo = RuleInfo {
    code: "RF502",
    name: "secret-key-missing",
    summary: "A referenced key does not exist in the Secret",
    doc: include_str!("docs/RF502.md"),
    default_severity: Severity::Error,
};

pub fn check(cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    let ns = &t.meta.namespace;
    for r in refs(t) {
        if r.source == Source::Secret && r.lookup(cx, ns) == Lookup::KeyMissing {
            out.error(INFO.code, &r.key_path, r.missing_key_message());
            if let Some(data) = cx.store.secret(ns, &r.name) {
                let keys: Vec<&str> = data.keys().map(String::as_str).collect();
                out.help(format!(
                    "Secret {ns}/{} has the keys: {}",
                    r.name,
                    keys.join(", ")
                ));
            }
        }
    }
}
