//! Discovery on the fixture cluster of `testdata/simulate/kubernetes/`, label for label.

use super::*;
use crate::kube::selector::{parse_field_selector, parse_label_selector};

fn cluster() -> Cluster {
    let text = include_str!("../../../testdata/simulate/kubernetes/cluster.yaml");
    let inputs = crate::load::load_str("cluster.yaml", text);
    let (cluster, problems) = Cluster::from_documents(&inputs.documents);
    assert!(problems.is_empty(), "{problems:?}");
    cluster
}

/// Every discovered target as `source → labels`, the shape the snapshots hold.
fn run(spec: &SdSpec, own: Option<&str>) -> Vec<(String, Labels)> {
    discover(spec, &cluster(), own)
        .iter()
        .flat_map(|g| {
            discovered_labels(g)
                .into_iter()
                .map(|l| (g.source.clone(), l))
        })
        .collect()
}

fn addresses(spec: &SdSpec, own: Option<&str>) -> Vec<String> {
    run(spec, own)
        .into_iter()
        .map(|(_, l)| l[ADDRESS_LABEL].clone())
        .collect()
}

fn select(spec: &mut SdSpec, role: Role, label: &str, field: &str) {
    spec.selectors.insert(
        role,
        ObjectSelector {
            label: parse_label_selector(label).unwrap(),
            field: parse_field_selector(field).unwrap(),
        },
    );
}

#[test]
fn pod_role_targets_every_port_and_portless_container() {
    let mut spec = SdSpec::new(Role::Pod);
    spec.attach_metadata.deployment = true;
    spec.attach_metadata.job = true;
    spec.attach_metadata.cronjob = true;
    insta::assert_yaml_snapshot!(run(&spec, None));
}

#[test]
fn pod_role_with_node_and_namespace_metadata() {
    let mut spec = SdSpec::new(Role::Pod);
    spec.attach_metadata.node = true;
    spec.attach_metadata.namespace = true;
    // node-b is filtered out by the node selector, so its pod is dropped from discovery.
    select(&mut spec, Role::Node, "pool!=spot", "");
    let got = run(&spec, None);
    assert!(
        got.iter()
            .all(|(source, _)| source == "pod/shop/web-5d8f-x1")
    );
    let labels = &got[0].1;
    assert_eq!(labels["__meta_kubernetes_node_name"], "node-a");
    assert_eq!(
        labels["__meta_kubernetes_node_label_topology_kubernetes_io_zone"],
        "eu-1a"
    );
    assert_eq!(labels["__meta_kubernetes_namespace_label_team"], "web");
    assert_eq!(
        labels["__meta_kubernetes_namespace_annotationpresent_owner_example_com_contact"],
        "true"
    );
    assert!(!labels.contains_key("__meta_kubernetes_pod_deployment_name"));
}

#[test]
fn pod_role_selectors_are_applied_as_the_api_server_does() {
    let mut spec = SdSpec::new(Role::Pod);
    select(
        &mut spec,
        Role::Pod,
        "app in (web,report)",
        "status.phase=Running",
    );
    assert_eq!(
        addresses(&spec, None),
        vec!["10.1.0.5:8080", "10.1.0.5:9090", "10.1.0.5", "10.1.0.5"]
    );
    select(&mut spec, Role::Pod, "", "spec.unknownField=x");
    assert!(addresses(&spec, None).is_empty());
    select(&mut spec, Role::Pod, "!app", "");
    assert!(
        addresses(&spec, None).is_empty(),
        "the pod without labels has no IP"
    );
}

#[test]
fn namespaces_and_own_namespace() {
    let mut spec = SdSpec::new(Role::Pod);
    spec.namespaces = vec!["batch".into()];
    assert_eq!(addresses(&spec, None), vec!["[fd00::7]:9100"]);
    spec.namespaces.clear();
    spec.own_namespace = true;
    assert!(addresses(&spec, None).is_empty(), "no own namespace known");
    assert_eq!(addresses(&spec, Some("batch")), vec!["[fd00::7]:9100"]);
    spec.namespaces = vec!["batch".into(), "batch".into()];
    assert_eq!(
        addresses(&spec, Some("batch")),
        vec!["[fd00::7]:9100"],
        "one group per object, however often its namespace is listed"
    );
}

#[test]
fn service_role() {
    let mut spec = SdSpec::new(Role::Service);
    spec.attach_metadata.namespace = true;
    insta::assert_yaml_snapshot!(run(&spec, None));
    select(&mut spec, Role::Service, "", "spec.type=ExternalName");
    assert_eq!(addresses(&spec, None), vec!["legacy.batch.svc:443"]);
}

#[test]
fn endpoints_role_joins_service_and_pod() {
    let spec = SdSpec::new(Role::Endpoints);
    insta::assert_yaml_snapshot!(run(&spec, None));
}

#[test]
fn endpoints_role_without_the_pod_watched() {
    let mut spec = SdSpec::new(Role::Endpoints);
    select(&mut spec, Role::Pod, "app=other", "");
    select(&mut spec, Role::Service, "app=other", "");
    let got = run(&spec, None);
    assert_eq!(got.len(), 2);
    assert!(got.iter().all(|(_, l)| {
        !l.contains_key("__meta_kubernetes_pod_name")
            && !l.contains_key("__meta_kubernetes_service_name")
    }));
}

#[test]
fn endpointslice_role_skips_the_secondary_family_of_a_dual_stack_service() {
    let mut spec = SdSpec::new(Role::EndpointSlice);
    spec.attach_metadata.node = true;
    insta::assert_yaml_snapshot!(run(&spec, None));
    let groups = discover(&spec, &cluster(), None);
    let v6 = groups
        .iter()
        .find(|g| g.source == "endpointslice/shop/web-v6")
        .unwrap();
    assert!(v6.targets.is_empty());
    assert_eq!(v6.labels["__meta_kubernetes_service_name"], "web");
}

#[test]
fn node_role_prefers_internal_ip() {
    let mut spec = SdSpec::new(Role::Node);
    insta::assert_yaml_snapshot!(run(&spec, None));
    select(&mut spec, Role::Node, "", "spec.unschedulable=true");
    assert_eq!(addresses(&spec, None), vec!["b.example.com:10250"]);
}

#[test]
fn ingress_role_paths_and_schemes() {
    let spec = SdSpec::new(Role::Ingress);
    insta::assert_yaml_snapshot!(run(&spec, None));
}

#[test]
fn objects_that_cannot_be_read_are_reported() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    ports:\n    - containerPort: http\n";
    let inputs = crate::load::load_str("bad.yaml", text);
    let (cluster, problems) = Cluster::from_documents(&inputs.documents);
    assert!(cluster.pods.is_empty());
    assert_eq!(problems.len(), 1);
    let p = &problems[0];
    assert_eq!(
        p.path.to_string(),
        "spec.containers[0].ports[0].containerPort"
    );
    assert_eq!(p.line_col(), Some((9, 7)));
    assert!(
        p.message.starts_with("cannot read this Pod: invalid type") && !p.message.contains("spec."),
        "{}",
        p.message
    );
}

#[test]
fn label_names_are_sanitised() {
    assert_eq!(
        sanitize_label_name("app.kubernetes.io/name-x_1"),
        "app_kubernetes_io_name_x_1"
    );
    assert_eq!(sanitize_label_name("é"), "_");
    assert_eq!(join_host_port("fd00::1", "80"), "[fd00::1]:80");
    assert_eq!(port_text(-1), "18446744073709551615");
}
