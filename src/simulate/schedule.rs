//! Where the DaemonSet controller puts an agent pod: a Node against the pod template of the
//! rendered DaemonSet (`nodeSelector`, required node affinity, tolerations plus the ones the
//! controller adds to every DaemonSet pod), with the reason when the pod stays off the node.
//!
//! Scheduling on resources, ports, volumes and preferred affinity is not simulated: those decide
//! whether a pod that the controller creates starts, not whether it is created.

use k8s_openapi::api::core::v1::{
    Node, NodeSelectorRequirement, NodeSelectorTerm, PodSpec, Taint, Toleration,
};
use std::collections::BTreeMap;
use std::fmt;

/// Why an agent pod is not placed on a node.
#[derive(Clone, Debug, PartialEq)]
pub enum Unschedulable {
    /// A `nodeSelector` entry the node's labels lack (or hold with another value).
    NodeSelector {
        key: String,
        wanted: String,
        found: Option<String>,
    },
    /// No term of the required node affinity matches; one line per term saying why.
    NodeAffinity { terms: Vec<String> },
    /// A `NoSchedule` or `NoExecute` taint that no toleration of the pod tolerates.
    Taint(Taint),
}

impl fmt::Display for Unschedulable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unschedulable::NodeSelector { key, wanted, found } => match found {
                Some(v) => write!(
                    f,
                    "nodeSelector {key}={wanted} does not match the node's label {key}={v}"
                ),
                None => write!(
                    f,
                    "nodeSelector {key}={wanted} does not match: the node has no label {key}"
                ),
            },
            Unschedulable::NodeAffinity { terms } => {
                write!(f, "required node affinity does not match the node")?;
                if !terms.is_empty() {
                    write!(f, " ({})", terms.join("; "))?;
                }
                Ok(())
            }
            Unschedulable::Taint(t) => {
                write!(f, "the node's taint {} is not tolerated", taint_text(t))
            }
        }
    }
}

/// `key=value:Effect` (or `key:Effect` without a value), as `kubectl taint` writes a taint.
pub fn taint_text(taint: &Taint) -> String {
    match taint.value.as_deref().filter(|v| !v.is_empty()) {
        Some(v) => format!("{}={v}:{}", taint.key, taint.effect),
        None => format!("{}:{}", taint.key, taint.effect),
    }
}

/// The tolerations the DaemonSet controller adds to every pod it creates (Kubernetes'
/// `AddOrUpdateDaemonPodTolerations`); `network-unavailable` only for host-network pods.
pub fn daemon_tolerations(host_network: bool) -> Vec<Toleration> {
    let mut keys = vec![
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];
    if host_network {
        keys.push(("node.kubernetes.io/network-unavailable", "NoSchedule"));
    }
    keys.into_iter()
        .map(|(key, effect)| Toleration {
            key: Some(key.to_string()),
            operator: Some("Exists".to_string()),
            effect: Some(effect.to_string()),
            ..Toleration::default()
        })
        .collect()
}

/// The pod's own tolerations followed by the controller's, as a DaemonSet pod carries them.
pub fn daemon_pod_tolerations(spec: &PodSpec) -> Vec<Toleration> {
    let mut all = spec.tolerations.clone().unwrap_or_default();
    for added in daemon_tolerations(spec.host_network == Some(true)) {
        // The controller replaces a toleration with the same key, operator, value and effect.
        let same = |t: &Toleration| {
            t.key == added.key
                && t.effect == added.effect
                && t.operator.as_deref().unwrap_or("Equal") == "Exists"
                && t.value.as_deref().unwrap_or("").is_empty()
        };
        if !all.iter().any(same) {
            all.push(added);
        }
    }
    all
}

/// Whether `toleration` tolerates `taint` (Kubernetes' `Toleration.ToleratesTaint`). `Lt` and `Gt`
/// sit behind the alpha gate `TaintTolerationComparisonOperators`, off by default: they tolerate
/// nothing.
pub fn tolerates(toleration: &Toleration, taint: &Taint) -> bool {
    let effect = toleration.effect.as_deref().unwrap_or("");
    if !effect.is_empty() && effect != taint.effect {
        return false;
    }
    let key = toleration.key.as_deref().unwrap_or("");
    if !key.is_empty() && key != taint.key {
        return false;
    }
    match toleration.operator.as_deref().unwrap_or("") {
        "" | "Equal" => {
            toleration.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or("")
        }
        "Exists" => true,
        _ => false,
    }
}

/// Whether the DaemonSet controller creates a pod of `spec` on `node`, or the first reason it does not.
pub fn schedule(node: &Node, spec: &PodSpec) -> Result<(), Unschedulable> {
    let empty = BTreeMap::new();
    let labels = node.metadata.labels.as_ref().unwrap_or(&empty);
    let name = node.metadata.name.as_deref().unwrap_or("");
    if let Some(selector) = &spec.node_selector {
        for (key, wanted) in selector {
            let found = labels.get(key);
            if found != Some(wanted) {
                return Err(Unschedulable::NodeSelector {
                    key: key.clone(),
                    wanted: wanted.clone(),
                    found: found.cloned(),
                });
            }
        }
    }
    let required = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|n| {
            n.required_during_scheduling_ignored_during_execution
                .as_ref()
        });
    if let Some(required) = required {
        let mut terms = Vec::new();
        let mut matched = false;
        for (i, term) in required.node_selector_terms.iter().enumerate() {
            match term_matches(term, labels, name) {
                Ok(()) => {
                    matched = true;
                    break;
                }
                Err(why) => terms.push(format!("term {i}: {why}")),
            }
        }
        if !matched {
            return Err(Unschedulable::NodeAffinity { terms });
        }
    }
    let tolerations = daemon_pod_tolerations(spec);
    let taints = node
        .spec
        .as_ref()
        .and_then(|s| s.taints.as_deref())
        .unwrap_or(&[]);
    for taint in taints {
        if !matches!(taint.effect.as_str(), "NoSchedule" | "NoExecute") {
            continue;
        }
        if !tolerations.iter().any(|t| tolerates(t, taint)) {
            return Err(Unschedulable::Taint(taint.clone()));
        }
    }
    Ok(())
}

/// One node selector term: every label expression and every field expression must hold. An empty
/// term matches nothing; a term with an invalid requirement is ignored (it matches nothing), as the
/// scheduler's `nodeaffinity` helper does.
fn term_matches(
    term: &NodeSelectorTerm,
    labels: &BTreeMap<String, String>,
    node_name: &str,
) -> Result<(), String> {
    let expressions = term.match_expressions.as_deref().unwrap_or(&[]);
    let fields = term.match_fields.as_deref().unwrap_or(&[]);
    if expressions.is_empty() && fields.is_empty() {
        return Err("an empty term matches no node".to_string());
    }
    for r in expressions {
        validate_label_requirement(r).map_err(|e| format!("invalid, ignored: {e}"))?;
    }
    for r in fields {
        validate_field_requirement(r).map_err(|e| format!("invalid, ignored: {e}"))?;
    }
    for r in expressions {
        if !label_requirement_holds(r, labels) {
            let found = match labels.get(&r.key) {
                Some(v) => format!("the node has {}={v}", r.key),
                None => format!("the node has no label {}", r.key),
            };
            return Err(format!("{} ({found})", requirement_text(r)));
        }
    }
    for r in fields {
        let value = if r.key == "metadata.name" {
            node_name
        } else {
            ""
        };
        let wanted = r
            .values
            .as_deref()
            .unwrap_or(&[])
            .first()
            .map(String::as_str)
            .unwrap_or("");
        let holds = match r.operator.as_str() {
            "In" => value == wanted,
            _ => value != wanted,
        };
        if !holds {
            return Err(format!(
                "{} (the node's {} is {value:?})",
                requirement_text(r),
                r.key
            ));
        }
    }
    Ok(())
}

/// `key Operator [values]`, for reasons.
fn requirement_text(r: &NodeSelectorRequirement) -> String {
    let values = r.values.as_deref().unwrap_or(&[]);
    if values.is_empty() {
        format!("{} {}", r.key, r.operator)
    } else {
        format!("{} {} [{}]", r.key, r.operator, values.join(", "))
    }
}

fn validate_label_requirement(r: &NodeSelectorRequirement) -> Result<(), String> {
    let values = r.values.as_deref().unwrap_or(&[]);
    validate_label_key(&r.key)?;
    match r.operator.as_str() {
        "In" | "NotIn" if values.is_empty() => {
            return Err(format!(
                "{}: for 'in', 'notin' operators, values set can't be empty",
                r.key
            ));
        }
        "Exists" | "DoesNotExist" if !values.is_empty() => {
            return Err(format!(
                "{}: values set must be empty for exists and does not exist",
                r.key
            ));
        }
        "Gt" | "Lt" => {
            if values.len() != 1 {
                return Err(format!(
                    "{}: for 'Gt', 'Lt' operators, exactly one value is required",
                    r.key
                ));
            }
            if values[0].parse::<i64>().is_err() {
                return Err(format!(
                    "{}: for 'Gt', 'Lt' operators, the value must be an integer",
                    r.key
                ));
            }
        }
        "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
        other => return Err(format!("{}: operator {other:?} is not supported", r.key)),
    }
    for v in values {
        validate_label_value(v)?;
    }
    Ok(())
}

fn validate_field_requirement(r: &NodeSelectorRequirement) -> Result<(), String> {
    match r.operator.as_str() {
        "In" | "NotIn" if r.values.as_deref().unwrap_or(&[]).len() == 1 => Ok(()),
        "In" | "NotIn" => Err(format!("{}: must have one element", r.key)),
        other => Err(format!(
            "{}: field operator {other:?} is not supported (In, NotIn)",
            r.key
        )),
    }
}

/// A label key: an optional DNS-1123 subdomain prefix and `/`, then a name of at most 63
/// characters of alphanumerics, `-`, `_` and `.`, starting and ending alphanumeric.
fn validate_label_key(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(p) = prefix {
        let ok = !p.is_empty()
            && p.len() <= 253
            && p.split('.').all(|part| {
                !part.is_empty()
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && !part.starts_with('-')
                    && !part.ends_with('-')
            });
        if !ok {
            return Err(format!(
                "{key}: the prefix of a label key must be a DNS-1123 subdomain"
            ));
        }
    }
    if name.is_empty() || name.len() > 63 || !name_chars_ok(name) {
        return Err(format!("{key}: not a valid label key"));
    }
    Ok(())
}

fn validate_label_value(value: &str) -> Result<(), String> {
    if value.is_empty() || (value.len() <= 63 && name_chars_ok(value)) {
        Ok(())
    } else {
        Err(format!("{value:?}: not a valid label value"))
    }
}

fn name_chars_ok(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

fn label_requirement_holds(r: &NodeSelectorRequirement, labels: &BTreeMap<String, String>) -> bool {
    let values = r.values.as_deref().unwrap_or(&[]);
    let found = labels.get(&r.key);
    match r.operator.as_str() {
        "In" => found.is_some_and(|v| values.contains(v)),
        "NotIn" => found.is_none_or(|v| !values.contains(v)),
        "Exists" => found.is_some(),
        "DoesNotExist" => found.is_none(),
        "Gt" | "Lt" => {
            let (Some(found), Some(bound)) = (found, values.first()) else {
                return false;
            };
            let (Ok(found), Ok(bound)) = (found.parse::<i64>(), bound.parse::<i64>()) else {
                return false;
            };
            if r.operator == "Gt" {
                found > bound
            } else {
                found < bound
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(value: serde_json::Value) -> Node {
        serde_json::from_value(value).unwrap()
    }

    fn pod(value: serde_json::Value) -> PodSpec {
        let mut v = value;
        v["containers"] = json!([]);
        serde_json::from_value(v).unwrap()
    }

    fn plain_node() -> Node {
        node(json!({"metadata": {"name": "worker-1", "labels": {
            "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "cores": "8"}}}))
    }

    fn with_taint(key: &str, value: Option<&str>, effect: &str) -> Node {
        let mut n = plain_node();
        n.spec.get_or_insert_with(Default::default).taints = Some(vec![Taint {
            key: key.into(),
            value: value.map(String::from),
            effect: effect.into(),
            time_added: None,
        }]);
        n
    }

    fn affinity(terms: serde_json::Value) -> PodSpec {
        pod(json!({"affinity": {"nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": terms}}}}))
    }

    #[test]
    fn node_selector_needs_every_label() {
        let n = plain_node();
        assert!(
            schedule(
                &n,
                &pod(json!({"nodeSelector": {"kubernetes.io/os": "linux"}}))
            )
            .is_ok()
        );
        let err = schedule(
            &n,
            &pod(json!({"nodeSelector": {"kubernetes.io/os": "windows"}})),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "nodeSelector kubernetes.io/os=windows does not match the node's label kubernetes.io/os=linux"
        );
        let err = schedule(&n, &pod(json!({"nodeSelector": {"pool": "gpu"}}))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "nodeSelector pool=gpu does not match: the node has no label pool"
        );
    }

    #[test]
    fn affinity_operators() {
        let n = plain_node();
        let ok = |expr: serde_json::Value| {
            schedule(&n, &affinity(json!([{"matchExpressions": [expr]}]))).is_ok()
        };
        assert!(ok(
            json!({"key": "kubernetes.io/arch", "operator": "In", "values": ["arm64", "amd64"]})
        ));
        assert!(!ok(
            json!({"key": "kubernetes.io/arch", "operator": "In", "values": ["arm64"]})
        ));
        assert!(ok(
            json!({"key": "kubernetes.io/arch", "operator": "NotIn", "values": ["arm64"]})
        ));
        assert!(ok(
            json!({"key": "pool", "operator": "NotIn", "values": ["gpu"]})
        ));
        assert!(!ok(
            json!({"key": "kubernetes.io/arch", "operator": "NotIn", "values": ["amd64"]})
        ));
        assert!(ok(json!({"key": "cores", "operator": "Exists"})));
        assert!(!ok(json!({"key": "pool", "operator": "Exists"})));
        assert!(ok(json!({"key": "pool", "operator": "DoesNotExist"})));
        assert!(!ok(json!({"key": "cores", "operator": "DoesNotExist"})));
        assert!(ok(
            json!({"key": "cores", "operator": "Gt", "values": ["4"]})
        ));
        assert!(!ok(
            json!({"key": "cores", "operator": "Gt", "values": ["8"]})
        ));
        assert!(ok(
            json!({"key": "cores", "operator": "Lt", "values": ["16"]})
        ));
        assert!(!ok(
            json!({"key": "cores", "operator": "Lt", "values": ["8"]})
        ));
        // A label that is not a number never satisfies Gt or Lt.
        assert!(!ok(
            json!({"key": "kubernetes.io/os", "operator": "Gt", "values": ["1"]})
        ));
        // Invalid requirements make their term match nothing.
        assert!(!ok(
            json!({"key": "cores", "operator": "Gt", "values": ["many"]})
        ));
        assert!(!ok(
            json!({"key": "cores", "operator": "Exists", "values": ["8"]})
        ));
        assert!(!ok(json!({"key": "cores", "operator": "In", "values": []})));
        assert!(!ok(
            json!({"key": "cores", "operator": "Near", "values": ["8"]})
        ));
    }

    #[test]
    fn affinity_terms_are_alternatives_and_expressions_all_hold() {
        let n = plain_node();
        let arm = json!({"key": "kubernetes.io/arch", "operator": "In", "values": ["arm64"]});
        let linux = json!({"key": "kubernetes.io/os", "operator": "In", "values": ["linux"]});
        assert!(
            schedule(
                &n,
                &affinity(json!([{"matchExpressions": [arm]}, {"matchExpressions": [linux]}]))
            )
            .is_ok()
        );
        let err = schedule(&n, &affinity(json!([{"matchExpressions": [linux, arm]}]))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "required node affinity does not match the node (term 0: kubernetes.io/arch In [arm64] (the node has kubernetes.io/arch=amd64))"
        );
        // An empty term selects nothing, and no terms at all select nothing.
        assert!(schedule(&n, &affinity(json!([{}]))).is_err());
        assert!(schedule(&n, &affinity(json!([]))).is_err());
    }

    #[test]
    fn affinity_match_fields_on_the_node_name() {
        let n = plain_node();
        let field = |op: &str, values: serde_json::Value| {
            affinity(
                json!([{"matchFields": [{"key": "metadata.name", "operator": op, "values": values}]}]),
            )
        };
        assert!(schedule(&n, &field("In", json!(["worker-1"]))).is_ok());
        assert!(schedule(&n, &field("In", json!(["worker-2"]))).is_err());
        assert!(schedule(&n, &field("NotIn", json!(["worker-2"]))).is_ok());
        assert!(schedule(&n, &field("NotIn", json!(["worker-1"]))).is_err());
        // Field requirements take exactly one value and only In or NotIn.
        assert!(schedule(&n, &field("In", json!(["worker-1", "worker-2"]))).is_err());
        assert!(schedule(&n, &field("Exists", json!([]))).is_err());
    }

    #[test]
    fn taints_block_unless_tolerated() {
        let tainted = with_taint("dedicated", Some("db"), "NoSchedule");
        let err = schedule(&tainted, &pod(json!({}))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the node's taint dedicated=db:NoSchedule is not tolerated"
        );
        let tolerate =
            |t: serde_json::Value| schedule(&tainted, &pod(json!({"tolerations": [t]}))).is_ok();
        assert!(tolerate(
            json!({"key": "dedicated", "operator": "Equal", "value": "db", "effect": "NoSchedule"})
        ));
        assert!(tolerate(json!({"key": "dedicated", "value": "db"})));
        assert!(tolerate(json!({"key": "dedicated", "operator": "Exists"})));
        assert!(tolerate(json!({"operator": "Exists"})));
        assert!(!tolerate(
            json!({"key": "dedicated", "operator": "Equal", "value": "web"})
        ));
        assert!(!tolerate(
            json!({"key": "dedicated", "operator": "Exists", "effect": "NoExecute"})
        ));
        assert!(!tolerate(json!({"key": "other", "operator": "Exists"})));
        assert!(!tolerate(
            json!({"key": "dedicated", "operator": "Gt", "value": "1"})
        ));

        let no_execute = with_taint("dedicated", None, "NoExecute");
        assert_eq!(
            schedule(&no_execute, &pod(json!({})))
                .unwrap_err()
                .to_string(),
            "the node's taint dedicated:NoExecute is not tolerated"
        );
        let prefer = with_taint("dedicated", Some("db"), "PreferNoSchedule");
        assert!(schedule(&prefer, &pod(json!({}))).is_ok());
    }

    #[test]
    fn the_controller_tolerates_node_conditions() {
        for (key, effect) in [
            ("node.kubernetes.io/not-ready", "NoExecute"),
            ("node.kubernetes.io/unreachable", "NoExecute"),
            ("node.kubernetes.io/disk-pressure", "NoSchedule"),
            ("node.kubernetes.io/memory-pressure", "NoSchedule"),
            ("node.kubernetes.io/pid-pressure", "NoSchedule"),
            ("node.kubernetes.io/unschedulable", "NoSchedule"),
        ] {
            assert!(
                schedule(&with_taint(key, None, effect), &pod(json!({}))).is_ok(),
                "{key}"
            );
        }
        // not-ready is only tolerated with NoExecute; a NoSchedule form still blocks.
        assert!(
            schedule(
                &with_taint("node.kubernetes.io/not-ready", None, "NoSchedule"),
                &pod(json!({}))
            )
            .is_err()
        );
        let network = with_taint("node.kubernetes.io/network-unavailable", None, "NoSchedule");
        assert!(schedule(&network, &pod(json!({}))).is_err());
        assert!(schedule(&network, &pod(json!({"hostNetwork": true}))).is_ok());
    }

    #[test]
    fn unschedulable_nodes_still_get_daemon_pods() {
        let mut n = with_taint("node.kubernetes.io/unschedulable", None, "NoSchedule");
        n.spec.get_or_insert_with(Default::default).unschedulable = Some(true);
        assert!(schedule(&n, &pod(json!({}))).is_ok());
    }

    #[test]
    fn controller_tolerations_are_not_duplicated() {
        let spec = pod(
            json!({"tolerations": [{"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"}]}),
        );
        let all = daemon_pod_tolerations(&spec);
        assert_eq!(all.len(), 6);
        assert_eq!(
            all[0].key.as_deref(),
            Some("node.kubernetes.io/unreachable")
        );
    }
}
