//! PA103 `scrape-classes`: scrape classes the operator cannot parse.
#![doc = include_str!("docs/PA103.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use super::pm201_relabeling::validate as validate_relabel;
use super::pm205_authorization::validate_with_file;
use super::pm207_tls_config::validate_tls_with_files;
use crate::diag::Severity;

pub const INFO: RuleInfo = RuleInfo {
    code: "PA103",
    name: "scrape-classes",
    summary: "Two default scrape classes, or a scrape class with invalid relabelings, TLS or authorization",
    doc: include_str!("docs/PA103.md"),
    default_severity: Severity::Error,
};

const PREFIX: &str = "failed to parse scrape classes";

pub fn check(cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if t.kind != Kind::PrometheusAgent {
        return;
    }
    let mut default: Option<String> = None;
    for class in t.spec().get("scrapeClasses").items() {
        let name = class.get("name").string();
        for (field, what) in [
            ("relabelings", "relabelings"),
            ("metricRelabelings", "metric relabelings"),
        ] {
            for (i, rc) in class.get(field).items().iter().enumerate() {
                if let Some((path, e)) = validate_relabel(cx.agent, rc) {
                    out.error(
                        INFO.code,
                        &path,
                        format!("{PREFIX}: invalid {what} for scrapeClass {name}: [{i}]: {e}"),
                    );
                }
            }
        }
        if let Some((path, e)) = validate_tls_with_files(&class.get("tlsConfig")) {
            out.error(
                INFO.code,
                &path,
                format!("{PREFIX}: invalid TLS config for scrapeClass {name}: {e}"),
            );
        }
        let authz = class.get("authorization");
        if authz.is_set()
            && let Some((path, e)) = validate_with_file(&authz)
        {
            out.error(
                INFO.code,
                &path,
                format!("{PREFIX}: invalid authorization for scrapeClass {name}: {e}"),
            );
        }
        if class.get("default").is_true() {
            if let Some(first) = &default {
                out.error(
                    INFO.code,
                    &class.get("default").path(),
                    format!("{PREFIX}: multiple default scrape classes defined"),
                );
                out.help(format!("scrape class {first} is already the default"));
            } else {
                default = Some(name.to_string());
            }
        }
    }
}
