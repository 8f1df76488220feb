//! RF504 `configmap-key-missing`: a referenced key is missing from a ConfigMap of the input.
#![doc = include_str!("docs/RF504.md")]

use super::RuleInfo;
use super::context::{Cx, Out, Target};
use super::refs::{Lookup, Source, refs};
use crate::diag::Severity;

pub const INFO: RuleInfo = RuleInfo {
    code: "RF504",
    name: "configmap-key-missing",
    summary: "A referenced key does not exist in the ConfigMap's data",
    doc: include_str!("docs/RF504.md"),
    default_severity: Severity::Error,
};

pub fn check(cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    let ns = &t.meta.namespace;
    for r in refs(t) {
        if r.source == Source::ConfigMap && r.lookup(cx, ns) == Lookup::KeyMissing {
            out.error(INFO.code, &r.key_path, r.missing_key_message());
            out.help("the operator reads only the ConfigMap's data, not binaryData");
        }
    }
}
