//! PA111 `workload-refused`: the API server would refuse an object the operator generates for the
//! agent (or, for a StatefulSet, the pods its controller creates).
#![doc = include_str!("docs/PA111.md")]

use super::RuleInfo;
use super::context::Finding;
use crate::diag::Severity;
use crate::fieldpath::{FieldPath, Segment};
use crate::render::validate::{self, FieldError, Refusal, Stage};
use crate::render::workloads::RenderedObject;
use serde_json::Value;

pub const INFO: RuleInfo = RuleInfo {
    code: "PA111",
    name: "workload-refused",
    summary: "The API server would refuse a workload the operator generates for the agent",
    doc: include_str!("docs/PA111.md"),
    default_severity: Severity::Error,
};

/// One finding per API-server error on the generated objects, at the agent field that caused it,
/// leaving out the mounts `reported` (PA112's findings) already cover.
pub fn findings(agent: &Value, objects: &[RenderedObject], reported: &[Finding]) -> Vec<Finding> {
    let mut out = Vec::new();
    for object in objects {
        for refusal in validate::validate(object) {
            for error in &refusal.errors {
                let path = agent_field(agent, object, &refusal, error);
                if reported.iter().any(|f| path.starts_with(&f.path)) {
                    continue;
                }
                out.push(finding(path, &refusal, error));
            }
        }
    }
    out
}

fn finding(path: FieldPath, refusal: &Refusal, error: &FieldError) -> Finding {
    let one = Refusal {
        errors: vec![error.clone()],
        ..refusal.clone()
    };
    let help = match refusal.stage {
        Stage::Create => "the operator's reconcile fails with this error and the object is not created or updated",
        Stage::Pod(_) => "the StatefulSet is created, but its controller cannot create any pod from it",
    };
    Finding {
        code: INFO.code,
        severity: INFO.default_severity,
        path,
        message: one.summary(),
        help: Some(help.into()),
        anchor: None,
    }
}

/// The agent field an error on a generated object comes from: a container of the pod spec from
/// the `spec.containers[]` entry of the same name (or the agent fields the operator builds its own
/// containers from), a volume from `spec.volumes`, pod labels from `spec.podMetadata`, other pod
/// fields from the `spec` field of the same name. Falls back to `spec`.
fn agent_field(
    agent: &Value,
    object: &RenderedObject,
    refusal: &Refusal,
    error: &FieldError,
) -> FieldPath {
    let path = error.full_path();
    let spec = FieldPath::root().key("spec");
    let segments = path.segments();
    let pod_spec_path = refusal.pod_spec_path();
    let mapped = if path.starts_with(&pod_spec_path) {
        let generated = object.manifest.pointer("/spec/template/spec");
        pod_field(agent, generated, &segments[pod_spec_path.segments().len()..])
    } else {
        let text = path.to_string();
        if text.starts_with("spec.template.labels")
            || text.starts_with("spec.template.metadata.labels")
            || text.starts_with("spec.selector")
        {
            Some(spec.key("podMetadata").key("labels"))
        } else if text.starts_with("spec.template.annotations") {
            Some(spec.key("podMetadata").key("annotations"))
        } else if text.starts_with("spec.ports") {
            Some(spec.key("portName"))
        } else if text.starts_with("metadata") {
            Some(FieldPath::root().key("metadata").key("name"))
        } else {
            None
        }
    };
    existing(agent, &mapped.unwrap_or(spec))
}

/// The longest prefix of `path` present in `agent`, at least `spec` (or `metadata`).
fn existing(agent: &Value, path: &FieldPath) -> FieldPath {
    let mut out = FieldPath::root();
    let mut node = agent;
    for segment in path.segments() {
        let next = match segment {
            Segment::Key(k) => node.get(k.as_str()),
            Segment::Index(i) => node.get(*i),
        };
        match next {
            Some(n) => {
                node = n;
                out.0.push(segment.clone());
            }
            None => break,
        }
    }
    if out.is_root() {
        FieldPath::root().key("spec")
    } else {
        out
    }
}

fn key_at(segments: &[Segment], i: usize) -> Option<&str> {
    match segments.get(i) {
        Some(Segment::Key(k)) => Some(k),
        _ => None,
    }
}

fn index_at(segments: &[Segment], i: usize) -> Option<usize> {
    match segments.get(i) {
        Some(Segment::Index(n)) => Some(*n),
        _ => None,
    }
}

/// Maps a path below the generated pod spec (`containers[0].volumeMounts[2].name`) to the agent.
fn pod_field(agent: &Value, generated: Option<&Value>, rest: &[Segment]) -> Option<FieldPath> {
    let spec = FieldPath::root().key("spec");
    let agent_spec = agent.get("spec")?;
    let first = key_at(rest, 0)?;
    match first {
        "containers" | "initContainers" => {
            let i = index_at(rest, 1)?;
            let container = generated?.get(first)?.get(i)?;
            let name = container.get("name")?.as_str()?;
            container_field(agent_spec, first, name, container, &rest[2..])
        }
        "volumes" => {
            let i = index_at(rest, 1)?;
            let name = generated?.get("volumes")?.get(i)?.get("name")?.as_str()?;
            let k = position(agent_spec.get("volumes"), "name", name)?;
            Some(spec.key("volumes").index(k).extend_with(&rest[2..]))
        }
        _ => Some(spec.key(first).extend_with(&rest[1..])),
    }
}

/// A container's field: the agent's `spec.containers[]` entry of the same name when it sets that
/// field, else (for the operator's `prometheus` container) the agent field it is built from.
fn container_field(
    agent_spec: &Value,
    list: &str,
    name: &str,
    generated: &Value,
    rest: &[Segment],
) -> Option<FieldPath> {
    let spec = FieldPath::root().key("spec");
    let own = position(agent_spec.get(list), "name", name);
    let field = key_at(rest, 0);
    // An entry of a list merged by key: find the agent's entry with the same key.
    let merged_entry = |agent_list: Option<&Value>, base: FieldPath| -> Option<FieldPath> {
        let field = field?;
        let merge_key = match field {
            "volumeMounts" => "mountPath",
            "ports" => "containerPort",
            _ => "name",
        };
        let j = index_at(rest, 1)?;
        let value = generated.get(field)?.get(j)?.get(merge_key)?;
        let k = agent_list?
            .as_array()?
            .iter()
            .position(|e| e.get(merge_key) == Some(value))?;
        Some(base.index(k).extend_with(&rest[2..]))
    };
    if let Some(j) = own {
        let base = spec.key(list).index(j);
        let entry = agent_spec.get(list)?.get(j)?;
        if let Some(f) = field {
            if let Some(p) = merged_entry(entry.get(f), base.key(f)) {
                return Some(p);
            }
            if entry.get(f).is_some() && index_at(rest, 1).is_none() {
                return Some(base.extend_with(rest));
            }
        }
        if name != "prometheus" {
            return Some(base.extend_with(rest));
        }
    }
    if name != "prometheus" {
        return None;
    }
    match field? {
        "volumeMounts" => merged_entry(agent_spec.get("volumeMounts"), spec.key("volumeMounts")),
        "resources" => Some(spec.key("resources").extend_with(&rest[1..])),
        "image" => Some(spec.key("image")),
        "imagePullPolicy" => Some(spec.key("imagePullPolicy")),
        "ports" => Some(spec.key("portName")),
        // The operator's probes reach Prometheus through the named port.
        "livenessProbe" | "readinessProbe" | "startupProbe"
            if rest.last() == Some(&Segment::Key("port".into())) =>
        {
            Some(spec.key("portName"))
        }
        _ => None,
    }
}

fn position(list: Option<&Value>, key: &str, value: &str) -> Option<usize> {
    list?
        .as_array()?
        .iter()
        .position(|e| e.get(key).and_then(Value::as_str) == Some(value))
}

trait Extend {
    fn extend_with(self, rest: &[Segment]) -> FieldPath;
}

impl Extend for FieldPath {
    fn extend_with(mut self, rest: &[Segment]) -> FieldPath {
        self.0.extend(rest.iter().cloned());
        self
    }
}

#[cfg(test)]
mod tests {
    use crate::check::{LintOptions, lint, rules::RuleOptions};

    fn found(text: &str) -> Vec<(String, String, String)> {
        let inputs = crate::load::load_str("agent.yaml", text);
        let options = LintOptions {
            registry: crate::crd::embedded_registry(),
            rules: RuleOptions::default(),
            select: vec!["PA111".into(), "PA112".into()],
            ignore: Vec::new(),
        };
        lint(&inputs, &options)
            .diagnostics
            .iter()
            .map(|d| (d.code.clone(), d.path.to_string(), d.message.clone()))
            .collect()
    }

    const HEAD: &str = "apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: a\n  namespace: m\nspec:\n  podMonitorSelector: {}\n";

    fn paths(text: &str) -> Vec<(String, String)> {
        found(text).into_iter().map(|(c, p, _)| (c, p)).collect()
    }

    #[test]
    fn a_mount_without_its_volume_points_at_spec_volume_mounts() {
        let text = format!("{HEAD}  volumeMounts:\n  - name: missing\n    mountPath: /m\n");
        let found = found(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, "spec.volumeMounts[0].name");
        assert_eq!(
            found[0].2,
            "the API server would accept StatefulSet m/prom-agent-a but refuse the pods its controller creates: Pod \"prom-agent-a-0\" is invalid: spec.containers[0].volumeMounts[3].name: Not found: \"missing\""
        );
    }

    #[test]
    fn a_user_container_field_points_at_the_container() {
        let text = format!(
            "{HEAD}  containers:\n  - name: sidecar\n    image: busybox\n    env:\n    - name: A=B\n      value: x\n"
        );
        assert_eq!(
            paths(&text),
            [("PA111".to_string(), "spec.containers[0].env[0].name".to_string())]
        );
    }

    #[test]
    fn a_port_name_points_at_spec_port_name() {
        let text = format!("{HEAD}  portName: Web_UI\n");
        let found = paths(&text);
        assert!(!found.is_empty());
        assert!(found.iter().all(|(c, p)| c == "PA111" && p == "spec.portName"), "{found:?}");
    }

    #[test]
    fn pod_labels_point_at_pod_metadata() {
        let text = format!("{HEAD}  podMetadata:\n    labels:\n      team: a b\n");
        assert_eq!(
            paths(&text),
            [("PA111".to_string(), "spec.podMetadata.labels".to_string())]
        );
    }

    #[test]
    fn a_daemonset_mount_is_reported_once_by_pa112() {
        let text = format!(
            "{HEAD}  mode: DaemonSet\n  volumes:\n  - name: extra\n    emptyDir: {{}}\n  volumeMounts:\n  - name: extra\n    mountPath: /extra\n"
        );
        assert_eq!(
            paths(&text),
            [("PA112".to_string(), "spec.volumeMounts[0]".to_string())]
        );
    }

    #[test]
    fn a_valid_agent_is_not_refused() {
        let text = format!(
            "{HEAD}  volumes:\n  - name: extra\n    emptyDir: {{}}\n  volumeMounts:\n  - name: extra\n    mountPath: /extra\n  containers:\n  - name: prometheus\n    env:\n    - name: GOMAXPROCS\n      value: \"2\"\n"
        );
        assert!(found(&text).is_empty());
    }
}
