//! `role: endpoints`: one target per address and port of each subset (not-ready addresses too),
//! joined with the Service of the same name and the Pods the addresses point at; container ports
//! of those Pods that no endpoint port covers become targets of their own.

use k8s_openapi::api::core::v1::{EndpointAddress, EndpointPort, Endpoints, Pod};

use super::cluster::View;
use super::{
    ADDRESS_LABEL, Labels, NAMESPACE_LABEL, TargetGroup, add_namespace_labels, add_node_labels,
    add_object_meta, bool_text, join_host_port, meta, pod, port_text, service, set, text,
};

/// The pods reached through an object's endpoints, with the ports already turned into targets.
#[derive(Default)]
pub(super) struct SeenPods<'a> {
    pods: Vec<(&'a Pod, Vec<i32>)>,
}

impl<'a> SeenPods<'a> {
    pub(super) fn record(&mut self, pod: &'a Pod, port: Option<i32>) {
        let key = (pod::namespace(pod), pod.metadata.name.as_deref());
        let at = match self
            .pods
            .iter()
            .position(|(p, _)| (pod::namespace(p), p.metadata.name.as_deref()) == key)
        {
            Some(i) => i,
            None => {
                self.pods.push((pod, Vec::new()));
                self.pods.len() - 1
            }
        };
        if let Some(port) = port {
            self.pods[at].1.push(port);
        }
    }

    /// A target for every container port of the seen pods that no endpoint port covered.
    pub(super) fn uncovered_targets(&self, view: &View<'_>) -> Vec<Labels> {
        let mut targets = Vec::new();
        for (p, covered) in &self.pods {
            let ip = pod::ip(p);
            if ip.is_empty() {
                continue;
            }
            for (c, is_init) in pod::containers(p) {
                for cport in c.ports.iter().flatten() {
                    if covered.contains(&cport.container_port) {
                        continue;
                    }
                    let number = port_text(cport.container_port);
                    let mut t = Labels::new();
                    set(&mut t, ADDRESS_LABEL, join_host_port(&ip, &number));
                    meta(&mut t, "pod_container_name", c.name.clone());
                    meta(&mut t, "pod_container_image", text(&c.image));
                    meta(&mut t, "pod_container_port_name", text(&cport.name));
                    meta(&mut t, "pod_container_port_number", number);
                    meta(&mut t, "pod_container_port_protocol", text(&cport.protocol));
                    meta(&mut t, "pod_container_init", bool_text(is_init));
                    t.extend(pod::pod_labels(view, p));
                    targets.push(t);
                }
            }
        }
        targets
    }
}

/// The pod an address's `targetRef` names, when it is a watched Pod.
pub(super) fn resolve_pod<'a>(
    view: &View<'a>,
    kind: Option<&str>,
    namespace: Option<&str>,
    name: Option<&str>,
) -> Option<&'a Pod> {
    if kind != Some("Pod") {
        return None;
    }
    view.pod(namespace.unwrap_or(""), name.unwrap_or(""))
}

/// The container of `pod` declaring `port`, first match in container order:
/// (name, image, port name, protocol of the declared port, init).
pub(super) fn container_for_port(
    pod: &Pod,
    port: i32,
) -> Option<(String, String, String, String, bool)> {
    pod::containers(pod).into_iter().find_map(|(c, is_init)| {
        c.ports
            .iter()
            .flatten()
            .find(|cp| cp.container_port == port)
            .map(|cp| {
                (
                    c.name.clone(),
                    text(&c.image),
                    text(&cp.name),
                    text(&cp.protocol),
                    is_init,
                )
            })
    })
}

fn target<'a>(
    view: &View<'a>,
    seen: &mut SeenPods<'a>,
    addr: &EndpointAddress,
    port: &EndpointPort,
    ready: bool,
) -> Labels {
    let number = port_text(port.port);
    let mut t = Labels::new();
    set(&mut t, ADDRESS_LABEL, join_host_port(&addr.ip, &number));
    meta(&mut t, "endpoint_port_name", text(&port.name));
    meta(&mut t, "endpoint_port_protocol", text(&port.protocol));
    meta(&mut t, "endpoint_ready", bool_text(ready));
    let target_ref = addr.target_ref.as_ref();
    if let Some(r) = target_ref {
        meta(&mut t, "endpoint_address_target_kind", text(&r.kind));
        meta(&mut t, "endpoint_address_target_name", text(&r.name));
    }
    if let Some(node) = &addr.node_name {
        meta(&mut t, "endpoint_node_name", node.clone());
    }
    if let Some(host) = addr.hostname.as_deref().filter(|h| !h.is_empty()) {
        meta(&mut t, "endpoint_hostname", host);
    }
    if view.attach().node {
        if let Some(node) = &addr.node_name {
            add_node_labels(&mut t, view, Some(node));
        } else if let Some(r) = target_ref.filter(|r| r.kind.as_deref() == Some("Node")) {
            add_node_labels(&mut t, view, r.name.as_deref());
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
    seen.record(pod, Some(port.port));
    t.extend(pod::pod_labels(view, pod));
    if let Some((name, image, port_name, _, is_init)) = container_for_port(pod, port.port) {
        meta(&mut t, "pod_container_name", name);
        meta(&mut t, "pod_container_image", image);
        meta(&mut t, "pod_container_port_name", port_name);
        meta(&mut t, "pod_container_port_number", number);
        meta(&mut t, "pod_container_port_protocol", text(&port.protocol));
        meta(&mut t, "pod_container_init", bool_text(is_init));
    }
    t
}

pub(super) fn build(view: &View<'_>, eps: &Endpoints) -> TargetGroup {
    let namespace = eps.metadata.namespace.clone().unwrap_or_default();
    let name = eps.metadata.name.clone().unwrap_or_default();
    let mut labels = Labels::new();
    set(&mut labels, NAMESPACE_LABEL, namespace.clone());
    if let Some(svc) = view.service(&namespace, &name) {
        labels.extend(service::service_labels(svc));
    }
    add_object_meta(&mut labels, &eps.metadata, "endpoints");
    if view.attach().namespace {
        add_namespace_labels(&mut labels, view, &namespace);
    }

    let mut seen = SeenPods::default();
    let mut targets = Vec::new();
    for subset in eps.subsets.iter().flatten() {
        for port in subset.ports.iter().flatten() {
            for addr in subset.addresses.iter().flatten() {
                targets.push(target(view, &mut seen, addr, port, true));
            }
            for addr in subset.not_ready_addresses.iter().flatten() {
                targets.push(target(view, &mut seen, addr, port, false));
            }
        }
    }
    targets.extend(seen.uncovered_targets(view));
    TargetGroup {
        source: format!("endpoints/{namespace}/{name}"),
        labels,
        targets,
    }
}
