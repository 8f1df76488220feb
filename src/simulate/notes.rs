//! Notes of the targets report that do not fail a run: pods a PodMonitor of an agent selects but
//! that Prometheus cannot scrape yet (no pod IP) or at all (no container port matching the
//! monitor's endpoint).

use crate::model::{Inventory, Object, PodMetricsEndpoint, PodMonitor, PrometheusAgent};
use crate::render::options::OperatorOptions;
use crate::select::labels::Selector;
use crate::select::view::View;
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Deserialize;
use std::collections::BTreeSet;

/// The Pods of the input (a `kubectl get pods -A -o yaml` snapshot), in input order.
pub fn pods(documents: &[crate::load::Document]) -> Vec<Pod> {
    documents
        .iter()
        .filter(|d| d.kind() == "Pod" && d.api_version() == "v1")
        .filter_map(|d| Pod::deserialize(&d.value).ok())
        .collect()
}

/// The notes for the PodMonitors `agent` selects, one line each, without repeats.
pub fn notes(
    agent: &Object<PrometheusAgent>,
    inventory: &Inventory,
    pods: &[Pod],
    options: &OperatorOptions,
) -> Vec<String> {
    let selection = crate::check::selection::select(agent, inventory, options);
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for monitor in &selection.pod_monitors {
        for note in monitor_notes(monitor, pods) {
            if seen.insert(note.clone()) {
                out.push(note);
            }
        }
    }
    out
}

/// The notes of one PodMonitor against the pods.
pub fn monitor_notes(monitor: &Object<PodMonitor>, pods: &[Pod]) -> Vec<String> {
    let spec = &monitor.value.spec;
    let selector_json = serde_json::to_value(&spec.selector).unwrap_or_default();
    let Ok(Some(selector)) = Selector::parse(&View::root(&selector_json)) else {
        return Vec::new();
    };
    let own_namespace = monitor.namespace();
    let in_namespace = |ns: &str| match &spec.namespace_selector {
        Some(s) if s.any == Some(true) => true,
        Some(s) if s.match_names.as_ref().is_some_and(|n| !n.is_empty()) => {
            s.match_names.iter().flatten().any(|n| n == ns)
        }
        _ => ns == own_namespace,
    };
    let endpoints = spec.pod_metrics_endpoints.as_deref().unwrap_or(&[]);
    let mut out = Vec::new();
    for pod in pods {
        let ns = pod.metadata.namespace.as_deref().unwrap_or("");
        if !in_namespace(ns) {
            continue;
        }
        let labels: Vec<(String, String)> = pod
            .metadata
            .labels
            .iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !selector.matches(&labels) {
            continue;
        }
        let pod_name = format!("{ns}/{}", pod.metadata.name.as_deref().unwrap_or(""));
        let monitor_name = format!("{own_namespace}/{}", monitor.name());
        let status = pod.status.as_ref();
        if status
            .and_then(|s| s.pod_ip.as_deref())
            .is_none_or(str::is_empty)
        {
            let phase = status.and_then(|s| s.phase.as_deref()).unwrap_or("unknown");
            out.push(format!(
                "Pod {pod_name} (phase {phase}) is selected by PodMonitor {monitor_name} but has no IP yet: it is not discovered until it gets one"
            ));
            continue;
        }
        for (i, endpoint) in endpoints.iter().enumerate() {
            if let Some(wanted) = endpoint_port(endpoint)
                && !has_port(pod, endpoint)
            {
                out.push(format!(
                    "Pod {pod_name} is selected by PodMonitor {monitor_name} but has no container port {wanted} (podMetricsEndpoints[{i}]): it is not scraped"
                ));
            }
        }
    }
    out
}

/// How an endpoint names the port it scrapes, for notes; `None` when it names none.
fn endpoint_port(endpoint: &PodMetricsEndpoint) -> Option<String> {
    if let Some(name) = endpoint.port.as_deref().filter(|p| !p.is_empty()) {
        return Some(format!("named {name:?}"));
    }
    if let Some(number) = endpoint.port_number.filter(|n| *n != 0) {
        return Some(format!("number {number}"));
    }
    match &endpoint.target_port {
        Some(IntOrString::Int(n)) => Some(format!("number {n}")),
        Some(IntOrString::String(s)) if !s.is_empty() => Some(format!("named {s:?}")),
        _ => None,
    }
}

/// Whether a container port of the pod is the one the endpoint scrapes, in the order the
/// operator's relabeling checks them: `port`, then `portNumber`, then `targetPort`.
fn has_port(pod: &Pod, endpoint: &PodMetricsEndpoint) -> bool {
    let ports = pod
        .spec
        .iter()
        .flat_map(|s| {
            s.containers
                .iter()
                .chain(s.init_containers.iter().flatten())
        })
        .flat_map(|c| c.ports.iter().flatten());
    let mut ports = ports.peekable();
    if let Some(name) = endpoint.port.as_deref().filter(|p| !p.is_empty()) {
        return ports.any(|p| p.name.as_deref() == Some(name));
    }
    if let Some(number) = endpoint.port_number.filter(|n| *n != 0) {
        return ports.any(|p| p.container_port == number);
    }
    match &endpoint.target_port {
        Some(IntOrString::Int(n)) => ports.any(|p| p.container_port == *n),
        Some(IntOrString::String(s)) => ports.any(|p| p.name.as_deref() == Some(s.as_str())),
        None => ports.peek().is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INPUT: &str = "
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: shop, namespace: shop}
spec:
  selector: {matchLabels: {app: shop}}
  podMetricsEndpoints: [{port: metrics}]
---
apiVersion: v1
kind: Pod
metadata: {name: ok, namespace: shop, labels: {app: shop}}
spec: {containers: [{name: c, ports: [{name: metrics, containerPort: 8080}]}]}
status: {podIP: 10.0.0.1, phase: Running}
---
apiVersion: v1
kind: Pod
metadata: {name: pending, namespace: shop, labels: {app: shop}}
spec: {containers: [{name: c, ports: [{name: metrics, containerPort: 8080}]}]}
status: {phase: Pending}
---
apiVersion: v1
kind: Pod
metadata: {name: other-port, namespace: shop, labels: {app: shop}}
spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
status: {podIP: 10.0.0.2, phase: Running}
---
apiVersion: v1
kind: Pod
metadata: {name: elsewhere, namespace: web, labels: {app: shop}}
spec: {containers: [{name: c}]}
status: {phase: Pending}
";

    #[test]
    fn pods_without_ip_or_port_are_noted() {
        let inputs = crate::load::load_str("t.yaml", INPUT);
        let (inv, _) = Inventory::from_documents(&inputs.documents);
        let pods = pods(&inputs.documents);
        assert_eq!(pods.len(), 4);
        let notes = monitor_notes(&inv.pod_monitors[0], &pods);
        assert_eq!(
            notes,
            [
                "Pod shop/pending (phase Pending) is selected by PodMonitor shop/shop but has no IP yet: it is not discovered until it gets one",
                "Pod shop/other-port is selected by PodMonitor shop/shop but has no container port named \"metrics\" (podMetricsEndpoints[0]): it is not scraped",
            ]
        );
    }
}
