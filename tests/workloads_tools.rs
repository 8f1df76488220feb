//! Rendered output checked by the real tools: the Kubernetes objects with `kubernetes-validate`
//! (the API's OpenAPI schemas, strict about unknown fields) and a configuration without Kubernetes
//! discovery with `promtool check config --agent`. A test whose tool is not installed prints a note
//! and passes; a problem the tool reports fails it.

use promagent::model::Inventory;
use promagent::render::options::OperatorOptions;
use promagent::render::workloads::{AgentRender, agent_mode, render_agent};
use std::path::{Path, PathBuf};
use std::process::Command;

fn render_fixture(dir: &str, options: &OperatorOptions) -> Vec<AgentRender> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let inputs = promagent::load::load_paths(&[path]).unwrap();
    let (inventory, errors) = Inventory::from_documents(&inputs.documents);
    assert!(errors.is_empty(), "{errors:?}");
    inventory
        .agents
        .iter()
        .map(|a| render_agent(a, &inventory, options, agent_mode(&a.value)).unwrap())
        .collect()
}

/// Runs `tool args…`; `None` when the tool is not installed.
fn run(tool: &str, args: &[PathBuf], leading: &[&str]) -> Option<std::process::Output> {
    match Command::new(tool).args(leading).args(args).output() {
        Ok(out) => Some(out),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("note: {tool} is not installed; skipping this check");
            None
        }
        Err(e) => panic!("cannot run {tool}: {e}"),
    }
}

#[test]
fn rendered_objects_pass_kubernetes_validate() {
    let options = OperatorOptions {
        // Secret values must be real base64 for the schema; fixtures hold no real credentials.
        show_secrets: true,
        ..OperatorOptions::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for fixture in [
        "testdata/workloads/switch",
        "testdata/workloads/worked-example/agent.yaml",
    ] {
        for render in render_fixture(fixture, &options) {
            for object in &render.objects {
                let path = dir.path().join(format!(
                    "{}-{}-{}.yaml",
                    render.name,
                    object.kind.as_str().to_lowercase(),
                    object.name
                ));
                std::fs::write(&path, promagent::emit::yaml::object(object)).unwrap();
                files.push(path);
            }
        }
    }
    // The DaemonSet form too, from the same agents.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/workloads/switch");
    let inputs = promagent::load::load_paths(&[path]).unwrap();
    let (inventory, _) = Inventory::from_documents(&inputs.documents);
    let ds = render_agent(
        &inventory.agents[0],
        &inventory,
        &options,
        promagent::model::PrometheusAgentMode::DaemonSet,
    )
    .unwrap();
    for object in &ds.objects {
        let path = dir.path().join(format!(
            "ds-{}-{}.yaml",
            object.kind.as_str().to_lowercase(),
            object.name
        ));
        std::fs::write(&path, promagent::emit::yaml::object(object)).unwrap();
        files.push(path);
    }
    assert!(files.len() >= 12, "{files:?}");

    let Some(out) = run("kubernetes-validate", &files, &["--strict", "--quiet"]) else {
        return;
    };
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "kubernetes-validate reported problems:\n{report}"
    );
    assert!(!report.contains("ERROR"), "{report}");
}

#[test]
fn kubernetes_validate_catches_a_broken_object() {
    // Guards the check above: the tool must fail on an object with a wrong field.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: x\nspec:\n  replicas: 2\n",
    )
    .unwrap();
    let Some(out) = run("kubernetes-validate", &[bad], &["--strict", "--quiet"]) else {
        return;
    };
    assert!(!out.status.success());
}

#[test]
fn static_only_config_passes_promtool() {
    let renders = render_fixture(
        "testdata/workloads/static-only",
        &OperatorOptions::default(),
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("prometheus.yaml");
    std::fs::write(&file, &renders[0].config).unwrap();
    assert!(
        !renders[0].config.contains("kubernetes_sd_configs"),
        "{}",
        renders[0].config
    );
    assert!(
        renders[0].config.contains("job_name: node"),
        "{}",
        renders[0].config
    );
    let Some(out) = run("promtool", &[file], &["check", "config", "--agent"]) else {
        return;
    };
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "promtool rejected the rendered config:\n{report}"
    );
}
