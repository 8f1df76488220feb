//! Typed decoding of the model fixtures: every kind decodes, survives a round trip unchanged, and a
//! value of the wrong type is reported with its field path and line.

use promagent::load::{Document, load_str};
use promagent::model::{self, Inventory, Named, PrometheusAgentMode, Resource};
use std::path::Path;

fn documents(name: &str) -> Vec<Document> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/model")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("fixture");
    let inputs = load_str(name, &text);
    assert!(inputs.diagnostics.is_empty(), "{:?}", inputs.diagnostics);
    inputs.documents
}

/// The object as the API server stores it: the input with its CRD's defaults applied.
fn stored(doc: &Document) -> serde_json::Value {
    let registry = promagent::crd::embedded_registry();
    let mut value = doc.value.clone();
    if let promagent::crd::Lookup::Found(v) = registry.lookup(doc.api_version(), doc.kind()) {
        promagent::crd::defaults::apply(&mut value, v.schema);
    }
    value
}

/// Decodes every document, then checks that serialising the typed value gives back the object as
/// the API server stores it (the input plus its CRD defaults).
fn round_trip(name: &str) -> Inventory {
    let docs = documents(name);
    for doc in &docs {
        let back = match model::decode(doc).unwrap_or_else(|d| panic!("{name}: {}", d.message)) {
            Resource::PrometheusAgent(v) => serde_json::to_value(v),
            Resource::PodMonitor(v) => serde_json::to_value(v),
            Resource::ServiceMonitor(v) => serde_json::to_value(v),
            Resource::Probe(v) => serde_json::to_value(v),
            Resource::ScrapeConfig(v) => serde_json::to_value(v),
            other => panic!("{name}: unexpected {other:?}"),
        }
        .expect("serialise");
        assert_eq!(
            back,
            stored(doc),
            "{name}: {} changed in a round trip",
            doc.name()
        );
    }
    let (inventory, diagnostics) = Inventory::from_documents(&docs);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    inventory
}

#[test]
fn decoding_applies_the_crd_defaults() {
    let docs = documents("agent-statefulset.yaml");
    let agent = match model::decode(&docs[0]).expect("decodes") {
        Resource::PrometheusAgent(a) => a,
        other => panic!("unexpected {other:?}"),
    };
    // portName's default `web` comes from the CRD, not from the input.
    let raw_has_default = docs[0].value["spec"].get("portName").is_some();
    assert!(!raw_has_default, "fixture must leave portName unset");
    assert_eq!(agent.spec.port_name.as_deref(), Some("web"));
}

#[test]
fn statefulset_agent() {
    let inventory = round_trip("agent-statefulset.yaml");
    let agent = &inventory.agents[0];
    assert_eq!((agent.namespace(), agent.name()), ("monitoring", "agent"));
    let spec = &agent.value.spec;
    assert_eq!(spec.mode, Some(PrometheusAgentMode::StatefulSet));
    assert_eq!(spec.shards, Some(2));
    assert_eq!(spec.scrape_interval.as_deref(), Some("30s"));
    let remote_write = spec.remote_write.as_deref().unwrap_or_default();
    assert_eq!(remote_write.len(), 2);
    let sigv4 = remote_write[0].sigv4.as_ref().expect("sigv4");
    assert_eq!(sigv4.region.as_deref(), Some("eu-west-1"));
    let ca = remote_write[0]
        .tls_config
        .as_ref()
        .and_then(|t| t.ca.as_ref())
        .and_then(|ca| ca.secret.as_ref());
    assert_eq!(ca.map(|s| s.key.as_str()), Some("ca.crt"));
    let basic = remote_write[1]
        .basic_auth
        .as_ref()
        .and_then(|b| b.password.as_ref());
    assert_eq!(basic.map(|s| s.name.as_str()), Some("backup-credentials"));
    let classes = spec.scrape_classes.as_deref().unwrap_or_default();
    assert_eq!(classes[0].default, Some(true));
}

#[test]
fn daemonset_agent() {
    let inventory = round_trip("agent-daemonset.yaml");
    let spec = &inventory.agents[0].value.spec;
    assert_eq!(spec.mode, Some(PrometheusAgentMode::DaemonSet));
    assert_eq!(
        spec.mode.map(PrometheusAgentMode::as_str),
        Some("DaemonSet")
    );
    assert!(spec.replicas.is_none());
    let update = spec.update_strategy.as_ref().expect("update strategy");
    assert!(update.rolling_update.is_some());
}

#[test]
fn pod_monitor() {
    let inventory = round_trip("podmonitor.yaml");
    let spec = &inventory.pod_monitors[0].value.spec;
    let endpoints = spec.pod_metrics_endpoints.as_deref().unwrap_or_default();
    assert_eq!(endpoints[0].port.as_deref(), Some("metrics"));
    assert_eq!(endpoints[0].honor_labels, Some(true));
    assert_eq!(endpoints[1].port_number, Some(9091));
    assert_eq!(spec.sample_limit, Some(50000));
}

#[test]
fn service_monitor() {
    let inventory = round_trip("servicemonitor.yaml");
    let monitor = &inventory.service_monitors[0];
    assert_eq!(
        monitor.value.labels().get("team").map(String::as_str),
        Some("platform")
    );
    let endpoints = &monitor.value.spec.endpoints;
    assert_eq!(endpoints.len(), 2);
    assert!(endpoints[0].oauth2.is_some());
}

#[test]
fn probe() {
    let inventory = round_trip("probe.yaml");
    let spec = &inventory.probes[0].value.spec;
    let targets = spec.targets.as_ref().and_then(|t| t.static_config.as_ref());
    assert_eq!(
        targets.and_then(|t| t.r#static.as_ref()).map(Vec::len),
        Some(2)
    );
}

#[test]
fn scrape_configs_with_several_discovery_kinds() {
    let inventory = round_trip("scrapeconfigs.yaml");
    assert_eq!(inventory.scrape_configs.len(), 2);
    let discovery = &inventory.scrape_configs[1].value.spec;
    assert_eq!(
        discovery.kubernetes_sd_configs.as_ref().map(Vec::len),
        Some(1)
    );
    assert_eq!(discovery.consul_sd_configs.as_ref().map(Vec::len), Some(1));
    assert_eq!(discovery.http_sd_configs.as_ref().map(Vec::len), Some(1));
    assert_eq!(discovery.file_sd_configs.as_ref().map(Vec::len), Some(1));
    assert_eq!(discovery.dns_sd_configs.as_ref().map(Vec::len), Some(1));
    assert_eq!(discovery.ec2_sd_configs.as_ref().map(Vec::len), Some(1));
}

#[test]
fn wrong_type_names_the_field_and_line() {
    let docs = documents("bad-type.yaml");
    let err = model::decode(&docs[0]).expect_err("honorLabels is not a boolean");
    assert_eq!(err.code, "schema/decode");
    assert_eq!(
        err.path.to_string(),
        "spec.podMetricsEndpoints[1].honorLabels"
    );
    assert!(
        err.message.starts_with("invalid type: string") && !err.message.contains("honorLabels"),
        "the path is the finding's own field, not part of its message: {}",
        err.message
    );
    assert_eq!(err.line_col().map(|(line, _)| line), Some(11));
    let (inventory, diagnostics) = Inventory::from_documents(&docs);
    assert!(inventory.pod_monitors.is_empty());
    assert_eq!(diagnostics.len(), 1);
}

#[test]
fn core_objects_and_other_kinds() {
    let inputs = load_str(
        "core.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: apps, labels: {team: a}}\n---\n\
         apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: apps}\nstringData: {token: x}\n---\n\
         apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n",
    );
    let (inventory, diagnostics) = Inventory::from_documents(&inputs.documents);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(inventory.namespace("apps").map(|n| n.doc), Some(0));
    assert_eq!(inventory.secret("apps", "s").map(|s| s.doc), Some(1));
    assert!(matches!(
        model::decode(&inputs.documents[2]),
        Ok(Resource::Other)
    ));
}
