//! RF501 `secret-missing`: a referenced Secret is not among the input documents.
#![doc = include_str!("docs/RF501.md")]

use super::RuleInfo;
use super::context::{Cx, Out, Target};
use super::refs::{Lookup, Source, refs};
use crate::diag::Severity;

pub const INFO: RuleInfo = RuleInfo {
    code: "RF501",
    name: "secret-missing",
    summary: "A referenced Secret is not in the input (the operator would fail to read it if it is not in the cluster either)",
    doc: include_str!("docs/RF501.md"),
    default_severity: Severity::Warning,
};

/// Help text for a reference that misses: names other namespaces holding an object of that name.
pub fn elsewhere(cx: &Cx<'_>, source: Source, namespace: &str, name: &str) -> String {
    let others: Vec<&str> = match source {
        Source::Secret => cx.store.secrets.keys(),
        Source::ConfigMap => cx.store.config_maps.keys(),
    }
    .filter(|(ns, n)| n == name && ns != namespace)
    .map(|(ns, _)| ns.as_str())
    .collect();
    let noun = if source == Source::Secret {
        "Secret"
    } else {
        "ConfigMap"
    };
    if others.is_empty() {
        format!(
            "no {noun} {namespace}/{name} among the input documents; add it to the input, or run with --missing-refs warn if it exists only in the cluster"
        )
    } else {
        format!(
            "a {noun} named {name} exists in namespace {}, but references are resolved in the object's own namespace {namespace}",
            others.join(", ")
        )
    }
}

pub fn check(cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    let ns = &t.meta.namespace;
    for r in refs(t) {
        if r.source == Source::Secret && r.lookup(cx, ns) == Lookup::ObjectMissing {
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
