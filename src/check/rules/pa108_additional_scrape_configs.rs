//! PA108 `additional-scrape-configs`: the agent's additional scrape configs Secret cannot be used.
#![doc = include_str!("docs/PA108.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use super::refs::Source;
use super::rf501_secret_missing::elsewhere;
use crate::diag::Severity;

pub const INFO: RuleInfo = RuleInfo {
    code: "PA108",
    name: "additional-scrape-configs",
    summary: "spec.additionalScrapeConfigs names a missing Secret or key, or its content is not a YAML list",
    doc: include_str!("docs/PA108.md"),
    default_severity: Severity::Error,
};

const PREFIX: &str = "loading additional scrape configs from Secret failed";

pub fn check(cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if t.kind != Kind::PrometheusAgent {
        return;
    }
    let sel = t.spec().get("additionalScrapeConfigs");
    if !sel.is_set() {
        return;
    }
    let ns = &t.meta.namespace;
    let (name, key) = (sel.get("name").string(), sel.get("key").string());
    let optional = sel.get("optional").is_true();
    let Some(data) = cx.store.secret(ns, name) else {
        if !optional {
            out.push(
                INFO.code,
                cx.missing_refs,
                &sel.path(),
                format!("{PREFIX}: secrets {name:?} not found"),
            );
            out.help(elsewhere(cx, Source::Secret, ns, name));
        }
        return;
    };
    let Some(content) = data.get(key) else {
        if !optional {
            out.error(
                INFO.code,
                &sel.get("key").path(),
                format!("{PREFIX}: key {key} could not be found in secret {name}"),
            );
        }
        return;
    };
    let text = String::from_utf8_lossy(content);
    if text.trim().is_empty() {
        return;
    }
    // A list of scrape configs, not manifests: read as plain YAML.
    let mut parsed = crate::load::Inputs::default();
    let read = parsed.add_text(
        "additional-scrape-configs",
        text.into_owned(),
        &Default::default(),
    );
    let problem = if let Err(e) = read {
        Some(e.to_string())
    } else if let Some(d) = parsed.diagnostics.first() {
        Some(d.message.clone())
    } else {
        parsed
            .documents
            .first()
            .filter(|d| !d.value.is_array() && !d.value.is_null())
            .map(|_| "cannot unmarshal the content into a list of scrape configs".to_string())
    };
    if let Some(p) = problem {
        out.error(
            INFO.code,
            &sel.get("key").path(),
            format!("generating config failed: generate additional scrape configs: unmarshalling additional scrape configs failed: {p}"),
        );
    }
}
