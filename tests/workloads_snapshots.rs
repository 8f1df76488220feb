//! Complete renders (every object, then the configuration) of the examples and fixtures, kept as
//! snapshots so any change to what promagent renders is reviewed.

use promagent::model::Inventory;
use promagent::render::options::OperatorOptions;
use promagent::render::workloads::{agent_mode, render_agent};
use std::path::{Path, PathBuf};

fn render_all(paths: &[&str]) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let paths: Vec<PathBuf> = paths.iter().map(|p| root.join(p)).collect();
    let inputs = promagent::load::load_paths(&paths).unwrap();
    let (inventory, errors) = Inventory::from_documents(&inputs.documents);
    assert!(errors.is_empty(), "{errors:?}");
    let options = OperatorOptions::default();
    let mut out = String::new();
    for agent in &inventory.agents {
        let render = render_agent(agent, &inventory, &options, agent_mode(&agent.value)).unwrap();
        let title = format!("PrometheusAgent {}/{}", render.namespace, render.name);
        out.push_str(&promagent::emit::yaml::titled_streams([(
            title,
            render.objects.as_slice(),
        )]));
        out.push_str("---\n# prometheus.yaml\n");
        out.push_str(&render.config);
    }
    out
}

#[test]
fn example_node_local() {
    insta::assert_snapshot!(render_all(&["testdata/examples/node-local"]));
}

#[test]
fn worked_example() {
    insta::assert_snapshot!(render_all(&[
        "testdata/workloads/worked-example/agent.yaml"
    ]));
}

#[test]
fn sharded_agent_with_storage_and_monitors() {
    insta::assert_snapshot!(render_all(&["testdata/workloads/switch"]));
}
