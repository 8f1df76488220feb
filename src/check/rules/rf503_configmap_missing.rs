//! RF503 `configmap-missing`: a referenced ConfigMap is not among the input documents.
#![doc = include_str!("docs/RF503.md")]

use super::RuleInfo;
use super::context::{Cx, Out, Target};
use super::refs::{Lookup, Source, refs};
use super::rf501_secret_missing::elsewhere;
use crate::diag::Severity;

pub const INFO: RuleInfo = RuleInfo {
    code: "RF503",
    name: "configmap-missing",
    summary: "A referenced ConfigMap is not in the input (the operator would fail to read it if it is not in the cluster either)",
    doc: include_str!("docs/RF503.md"),
    default_severity: Severity::Warning,
};

pub fn check(cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    let ns = &t.meta.namespace;
    for r in refs(t) {
        if r.source == Source::ConfigMap && r.lookup(cx, ns) == Lookup::ObjectMissing {
            out.push(
                INFO.code,
                cx.missing_refs,
                &r.name_path,
                r.missing_object_message(),
            );
            out.help(elsewhere(cx, r.source, ns, &r.name));
        }
    }
}
