//! Snapshot tests of the rendered `prometheus.yml` for the fixtures in testdata/render/.

use promagent::model::Inventory;
use promagent::render::config::{RenderedConfig, render_config};
use promagent::render::options::{OperatorOptions, REDACTED};

fn render(fixture: &str, opts: &OperatorOptions) -> RenderedConfig {
    let path = format!("{}/testdata/render/{fixture}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    let inputs = promagent::load::load_str(fixture, &text);
    assert!(inputs.diagnostics.is_empty(), "{:?}", inputs.diagnostics);
    let (inv, errors) = Inventory::from_documents(&inputs.documents);
    assert!(errors.is_empty(), "{errors:?}");
    render_config(&inv.agents[0], &inv, opts).expect("renders")
}

fn shown() -> OperatorOptions {
    OperatorOptions {
        show_secrets: true,
        ..OperatorOptions::default()
    }
}

#[test]
fn statefulset_agent_with_pod_service_monitor_and_probe() {
    let out = render("statefulset.yaml", &shown());
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    insta::assert_snapshot!(out.text);
}

#[test]
fn daemonset_agent_renders_only_pod_monitors_with_node_selector() {
    let out = render("daemonset.yaml", &shown());
    assert!(!out.text.contains("serviceMonitor/"));
    assert!(!out.text.contains("probe/"));
    assert!(!out.text.contains("hashmod"));
    assert!(out.text.contains("field: spec.nodeName=$(NODE_NAME)"));
    insta::assert_snapshot!(out.text);
}

#[test]
fn remote_write_with_auth_and_a_missing_secret() {
    let out = render("remote-write.yaml", &shown());
    assert!(
        out.warnings
            .iter()
            .any(|w| w.message.contains("missing-secret")),
        "{:?}",
        out.warnings
    );
    insta::assert_snapshot!(out.text);
}

#[test]
fn secrets_are_redacted_by_default() {
    let out = render("statefulset.yaml", &OperatorOptions::default());
    assert!(!out.text.contains("s3cr3t"));
    assert!(out.text.contains(REDACTED));
    let used: Vec<String> = out
        .secrets_used
        .iter()
        .map(|s| format!("{}/{}/{}", s.namespace, s.name, s.key))
        .collect();
    assert_eq!(
        used,
        ["monitoring/api-auth/pass", "monitoring/api-auth/user"]
    );
}

#[test]
fn kubernetes_version_selects_the_endpoint_role() {
    let path = format!(
        "{}/testdata/render/statefulset.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap().replace(
        "  enforcedSampleLimit: 5000\n",
        "  enforcedSampleLimit: 5000\n  serviceDiscoveryRole: EndpointSlice\n",
    );
    let inputs = promagent::load::load_str("x.yaml", &text);
    let (inv, _) = Inventory::from_documents(&inputs.documents);
    let new = render_config(&inv.agents[0], &inv, &shown()).unwrap();
    assert!(new.text.contains("role: endpointslice"));
    let old = OperatorOptions {
        kubernetes_version: (1, 20),
        ..shown()
    };
    let old = render_config(&inv.agents[0], &inv, &old).unwrap();
    assert!(old.text.contains("role: endpoints\n"));
}

#[test]
fn unsupported_version_is_refused() {
    let text = "apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: a\n  namespace: ns1\nspec:\n  version: v1.8.0\n";
    let inputs = promagent::load::load_str("x.yaml", text);
    let (inv, errors) = Inventory::from_documents(&inputs.documents);
    assert!(errors.is_empty(), "{errors:?}");
    let err = render_config(&inv.agents[0], &inv, &OperatorOptions::default()).unwrap_err();
    assert_eq!(err.message, "unsupported Prometheus version \"v1.8.0\"");
}

/// The tree a rendered configuration is checked from is the one a YAML reader reads from its
/// text, spans included, for every agent of every manifest in testdata/ (in both modes, secrets
/// shown and redacted); a configuration with a repeated key has none.
#[test]
fn every_rendered_config_reads_back_as_its_tree() {
    use promagent::load::yaml::{Limits, parse};
    use promagent::render::workloads::render_agent;
    let root = format!("{}/testdata", env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if !path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let inputs = promagent::load::load_str(&path.display().to_string(), &text);
        let (inv, _) = Inventory::from_documents(&inputs.documents);
        for agent in &inv.agents {
            for mode in [
                promagent::model::PrometheusAgentMode::StatefulSet,
                promagent::model::PrometheusAgentMode::DaemonSet,
            ] {
                for opts in [OperatorOptions::default(), shown()] {
                    let Ok(out) = render_agent(agent, &inv, &opts, mode) else {
                        continue;
                    };
                    let read = parse(&out.config, &Limits::fitting(out.config.len()));
                    assert_eq!(read.documents.len(), 1, "{}", path.display());
                    let tree = out.config_tree.expect("the writer knows the spans");
                    match tree.read_back() {
                        Some(tree) => assert_eq!(read.documents[0], tree, "{}", path.display()),
                        // A key the operator writes twice: the text is read instead.
                        None => assert!(
                            read.problems.iter().any(|p| p.code == "yaml/duplicate-key"),
                            "{}",
                            path.display()
                        ),
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 100, "{checked}");
}
