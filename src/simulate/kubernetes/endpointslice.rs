//! `role: endpointslice`: one target per endpoint address and port of each slice, joined with the
//! Service named by `kubernetes.io/service-name` and the Pods the endpoints point at. A slice of a
//! dual-stack Service whose address type is not the Service's primary family yields no targets.

use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::discovery::v1::{Endpoint, EndpointPort, EndpointSlice};

use super::cluster::View;
use super::endpoints::{SeenPods, container_for_port, resolve_pod};
use super::{
    ADDRESS_LABEL, Labels, NAMESPACE_LABEL, TargetGroup, add_namespace_labels, add_node_labels,
    add_object_meta, bool_text, join_host_port, meta, pod, port_text, sanitize_label_name, service,
    set, text,
};

const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";

/// Whether the slice carries the secondary address family of a dual-stack Service.
fn is_secondary_family(svc: Option<&Service>, eps: &EndpointSlice) -> bool {
    let Some(spec) = svc.and_then(|s| s.spec.as_ref()) else {
        return false;
    };
    let dual = matches!(
        spec.ip_family_policy.as_deref(),
        Some("PreferDualStack" | "RequireDualStack")
    );
    match spec.ip_families.as_deref() {
        Some([primary, ..]) if dual => eps.address_type != *primary,
        _ => false,
    }
}

fn target<'a>(
    view: &View<'a>,
    seen: &mut SeenPods<'a>,
    addr: &str,
    ep: &Endpoint,
    port: &EndpointPort,
) -> Labels {
    let mut t = Labels::new();
    let address = match port.port {
        Some(p) => join_host_port(addr, &port_text(p)),
        None => addr.to_string(),
    };
    set(&mut t, ADDRESS_LABEL, address);
    if let Some(name) = &port.name {
        meta(&mut t, "endpointslice_port_name", name.clone());
    }
    if let Some(protocol) = &port.protocol {
        meta(&mut t, "endpointslice_port_protocol", protocol.clone());
    }
    if let Some(p) = port.port {
        meta(&mut t, "endpointslice_port", port_text(p));
    }
    if let Some(app) = &port.app_protocol {
        meta(&mut t, "endpointslice_port_app_protocol", app.clone());
    }
    let conditions = ep.conditions.as_ref();
    let condition_labels = [
        ("ready", conditions.and_then(|c| c.ready)),
        ("serving", conditions.and_then(|c| c.serving)),
        ("terminating", conditions.and_then(|c| c.terminating)),
    ];
    for (name, value) in condition_labels {
        if let Some(v) = value {
            meta(
                &mut t,
                &format!("endpointslice_endpoint_conditions_{name}"),
                bool_text(v),
            );
        }
    }
    if let Some(host) = &ep.hostname {
        meta(&mut t, "endpointslice_endpoint_hostname", host.clone());
    }
    let target_ref = ep.target_ref.as_ref();
    if let Some(r) = target_ref {
        meta(&mut t, "endpointslice_address_target_kind", text(&r.kind));
        meta(&mut t, "endpointslice_address_target_name", text(&r.name));
    }
    if let Some(node) = &ep.node_name {
        meta(&mut t, "endpointslice_endpoint_node_name", node.clone());
    }
    if let Some(zone) = &ep.zone {
        meta(&mut t, "endpointslice_endpoint_zone", zone.clone());
    }
    for (k, v) in ep.deprecated_topology.iter().flatten() {
        let name = sanitize_label_name(k);
        meta(
            &mut t,
            &format!("endpointslice_endpoint_topology_{name}"),
            v.clone(),
        );
        meta(
            &mut t,
            &format!("endpointslice_endpoint_topology_present_{name}"),
            "true",
        );
    }
    if view.attach().node {
        match target_ref.filter(|r| r.kind.as_deref() == Some("Node")) {
            Some(r) => add_node_labels(&mut t, view, r.name.as_deref()),
            None => add_node_labels(&mut t, view, ep.node_name.as_deref()),
        }
    }
    let pod = target_ref.and_then(|r| {
        resolve_pod(
            view,
            r.kind.as_deref(),
            r.namespace.as_deref(),
            r.name.as_deref(),
        )
    });
    let Some(pod) = pod else { return t };
    seen.record(pod, port.port);
    t.extend(pod::pod_labels(view, pod));
    if let Some(number) = port.port
        && let Some((name, image, port_name, protocol, is_init)) = container_for_port(pod, number)
    {
        meta(&mut t, "pod_container_name", name);
        meta(&mut t, "pod_container_image", image);
        meta(&mut t, "pod_container_port_name", port_name);
        meta(&mut t, "pod_container_port_number", port_text(number));
        meta(&mut t, "pod_container_port_protocol", protocol);
        meta(&mut t, "pod_container_init", bool_text(is_init));
    }
    t
}

pub(super) fn build(view: &View<'_>, eps: &EndpointSlice) -> TargetGroup {
    let namespace = eps.metadata.namespace.clone().unwrap_or_default();
    let name = eps.metadata.name.clone().unwrap_or_default();
    let mut tg = TargetGroup {
        source: format!("endpointslice/{namespace}/{name}"),
        ..TargetGroup::default()
    };
    set(&mut tg.labels, NAMESPACE_LABEL, namespace.clone());
    meta(
        &mut tg.labels,
        "endpointslice_address_type",
        eps.address_type.clone(),
    );
    add_object_meta(&mut tg.labels, &eps.metadata, "endpointslice");
    let svc = eps
        .metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(SERVICE_NAME_LABEL))
        .and_then(|svc_name| view.service(&namespace, svc_name));
    if let Some(svc) = svc {
        tg.labels.extend(service::service_labels(svc));
    }
    if view.attach().namespace {
        add_namespace_labels(&mut tg.labels, view, &namespace);
    }
    if is_secondary_family(svc, eps) {
        return tg;
    }

    let mut seen = SeenPods::default();
    for ep in eps.endpoints.iter().flatten() {
        for port in eps.ports.iter().flatten() {
            for addr in &ep.addresses {
                let t = target(view, &mut seen, addr, ep, port);
                tg.targets.push(t);
            }
        }
    }
    tg.targets.extend(seen.uncovered_targets(view));
    tg
}
