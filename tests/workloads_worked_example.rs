//! The worked example of the operator reference: the StatefulSet and the DaemonSet rendered for one
//! simple agent must equal the hand-derived manifests, including the order of arguments, volumes,
//! mounts and environment variables.

use promagent::model::{Inventory, PrometheusAgentMode};
use promagent::render::options::OperatorOptions;
use promagent::render::workloads::{ObjectKind, RenderedObject, WorkloadInputs, render_objects};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

const DIR: &str = "testdata/workloads/worked-example";

fn yaml_file(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR).join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let inputs = promagent::load::load_str(name, &text);
    assert!(inputs.diagnostics.is_empty(), "{:?}", inputs.diagnostics);
    inputs.documents[0].value.clone()
}

fn render(mode: PrometheusAgentMode) -> Vec<RenderedObject> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(DIR)
        .join("agent.yaml");
    let inputs = promagent::load::load_str("agent.yaml", &std::fs::read_to_string(path).unwrap());
    let (inventory, diagnostics) = Inventory::from_documents(&inputs.documents);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let config = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(DIR)
            .join("prometheus.yaml"),
    )
    .unwrap();
    let assets = BTreeMap::new();
    let inputs = WorkloadInputs {
        config: &config,
        tls_assets: &assets,
    };
    render_objects(
        &inventory.agents[0].value,
        mode,
        &inputs,
        &OperatorOptions::default(),
    )
    .unwrap()
}

/// Compares two manifests and names the first differing path, so a failure says where.
fn assert_same(actual: &Value, expected: &Value, path: &str) {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            let mut keys: Vec<&String> = a.keys().chain(e.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let here = format!("{path}.{k}");
                match (a.get(k), e.get(k)) {
                    (Some(av), Some(ev)) => assert_same(av, ev, &here),
                    (Some(av), None) => panic!("{here}: unexpected {av}"),
                    (None, Some(ev)) => panic!("{here}: missing, expected {ev}"),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            for (i, (av, ev)) in a.iter().zip(e).enumerate() {
                assert_same(av, ev, &format!("{path}[{i}]"));
            }
            assert_eq!(
                a.len(),
                e.len(),
                "{path}: length differs:\n{actual:#}\nexpected\n{expected:#}"
            );
        }
        _ => assert_eq!(actual, expected, "{path}"),
    }
}

#[test]
fn statefulset_matches_the_worked_example() {
    let objects = render(PrometheusAgentMode::StatefulSet);
    let sts = objects
        .iter()
        .find(|o| o.kind == ObjectKind::StatefulSet)
        .unwrap();
    assert_same(&sts.manifest, &yaml_file("statefulset.yaml"), "");
}

#[test]
fn daemonset_matches_the_worked_example() {
    let objects = render(PrometheusAgentMode::DaemonSet);
    let ds = objects
        .iter()
        .find(|o| o.kind == ObjectKind::DaemonSet)
        .unwrap();
    assert_same(&ds.manifest, &yaml_file("daemonset.yaml"), "");
}

#[test]
fn the_objects_and_their_order() {
    let names = |objects: Vec<RenderedObject>| -> Vec<String> {
        objects
            .iter()
            .map(|o| format!("{} {}", o.kind.as_str(), o.name))
            .collect()
    };
    assert_eq!(
        names(render(PrometheusAgentMode::StatefulSet)),
        [
            "Secret prom-agent-agent",
            "Secret prom-agent-agent-tls-assets-0",
            "Secret prom-agent-agent-web-config",
            "Service prometheus-agent-operated",
            "StatefulSet prom-agent-agent",
        ]
    );
    assert_eq!(
        names(render(PrometheusAgentMode::DaemonSet)),
        [
            "Secret prom-agent-agent",
            "Secret prom-agent-agent-tls-assets-0",
            "Secret prom-agent-agent-web-config",
            "DaemonSet prom-agent-agent",
        ]
    );
}
