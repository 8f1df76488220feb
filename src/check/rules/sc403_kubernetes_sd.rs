//! SC403 `kubernetes-sd`: Kubernetes service discovery entries the operator rejects.
#![doc = include_str!("docs/SC403.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use crate::diag::Severity;
use crate::select::labels::{label_key_error, label_value_error};

pub const INFO: RuleInfo = RuleInfo {
    code: "SC403",
    name: "kubernetes-sd",
    summary: "A kubernetesSDConfigs entry has a selector for the wrong role, a bad selector, or apiServer with ownNamespace",
    doc: include_str!("docs/SC403.md"),
    default_severity: Severity::Error,
};

/// The selector roles each discovery role accepts.
fn allowed(role: &str) -> Option<&'static [&'static str]> {
    Some(match role {
        "pod" => &["pod"],
        "service" => &["service"],
        "endpointslice" => &["pod", "service", "endpointslice"],
        "endpoints" => &["pod", "service", "endpoints"],
        "node" => &["node"],
        "ingress" => &["ingress"],
        _ => return None,
    })
}

/// Checks a label selector string (`app=web,tier in (a,b),!legacy`).
pub fn parse_label_selector(text: &str) -> Result<(), String> {
    for raw in split_outside_parens(text) {
        let term = raw.trim();
        if term.is_empty() {
            if text.trim().is_empty() {
                return Ok(());
            }
            return Err(format!("found '', expected: identifier in {text:?}"));
        }
        let (key, values): (&str, Vec<&str>) = if let Some(key) = term.strip_prefix('!') {
            (key.trim(), Vec::new())
        } else if let Some((k, rest)) = split_set_op(term) {
            let inner = rest.trim();
            let Some(inner) = inner.strip_prefix('(').and_then(|s| s.strip_suffix(')')) else {
                return Err(format!("found '{inner}', expected: '('"));
            };
            (k.trim(), inner.split(',').map(str::trim).collect())
        } else if let Some(i) = term.find(['=', '!', '<', '>']) {
            let key = term[..i].trim();
            let value = term[i..].trim_start_matches(['=', '!', '<', '>']).trim();
            if matches!(term.as_bytes()[i], b'<' | b'>') && value.parse::<i64>().is_err() {
                return Err(format!(
                    "for 'Gt', 'Lt' operators, the value must be an integer: {value:?}"
                ));
            }
            (key, vec![value])
        } else {
            (term, Vec::new())
        };
        if let Some(e) = label_key_error(key) {
            return Err(format!(
                "unable to parse requirement: key: Invalid value: {key:?}: {e}"
            ));
        }
        for v in values {
            if let Some(e) = label_value_error(v) {
                return Err(format!(
                    "unable to parse requirement: values[0]: Invalid value: {v:?}: {e}"
                ));
            }
        }
    }
    Ok(())
}

fn split_set_op(term: &str) -> Option<(&str, &str)> {
    for op in [" notin ", " in "] {
        if let Some(i) = term.find(op) {
            return Some((&term[..i], &term[i + op.len()..]));
        }
    }
    None
}

fn split_outside_parens(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// Checks a field selector string (`metadata.name=web,status.phase!=Failed`).
pub fn parse_field_selector(text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Ok(());
    }
    for term in text.split(',') {
        if !term.contains('=') {
            return Err(format!(
                "invalid selector: '{text}'; can't understand '{term}'"
            ));
        }
    }
    Ok(())
}

pub fn check(_cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if t.kind != Kind::ScrapeConfig {
        return;
    }
    for (i, e) in t
        .spec()
        .get("kubernetesSDConfigs")
        .items()
        .iter()
        .enumerate()
    {
        if e.get("apiServer").is_set() && e.at("namespaces.ownNamespace").is_true() {
            out.error(
                INFO.code,
                &e.at("namespaces.ownNamespace").path(),
                format!(
                    "[{i}]: cannot use 'apiServer' and 'namespaces.ownNamespace' simultaneously"
                ),
            );
        }
        let role = e.get("role").string();
        let selectors = e.get("selectors").items();
        for s in &selectors {
            let Some(ok) = allowed(&role.to_lowercase()) else {
                out.error(
                    INFO.code,
                    &e.get("role").path(),
                    format!(
                        "[{i}]: invalid role: {:?}, expecting one of: pod, service, endpoints, endpointslice, node or ingress",
                        s.get("role").string()
                    ),
                );
                break;
            };
            if !ok.contains(&s.get("role").string().to_lowercase().as_str()) {
                out.error(
                    INFO.code,
                    &s.get("role").path(),
                    format!(
                        "[{i}] : {role} role supports only {} selectors",
                        ok.join(", ")
                    ),
                );
            }
        }
        for s in &selectors {
            if let Some(f) = s.get("field").str()
                && let Err(err) = parse_field_selector(f)
            {
                out.error(INFO.code, &s.get("field").path(), format!("[{i}]: {err}"));
            }
            if let Some(l) = s.get("label").str()
                && let Err(err) = parse_label_selector(l)
            {
                out.error(INFO.code, &s.get("label").path(), format!("[{i}]: {err}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_selector_strings() {
        assert!(parse_label_selector("app=web").is_ok());
        assert!(parse_label_selector("app in (a, b),!legacy,tier!=x").is_ok());
        assert!(parse_label_selector("bad key=x").is_err());
        assert!(parse_field_selector("metadata.name=web").is_ok());
        assert!(parse_field_selector("metadata.name").is_err());
    }
}
