//! `role: node`: one target per node at its preferred address and kubelet port, with its
//! conditions, provider ID and every address type.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Node;

use super::{
    ADDRESS_LABEL, Labels, META, TargetGroup, add_object_meta, join_host_port, meta,
    sanitize_label_name, set, text,
};

/// The address types in the order Prometheus prefers them for `__address__`.
const ADDRESS_PREFERENCE: [&str; 6] = [
    "InternalIP",
    "InternalDNS",
    "ExternalIP",
    "ExternalDNS",
    "LegacyHostIP",
    "Hostname",
];

fn node_labels(node: &Node) -> Labels {
    let mut ls = Labels::new();
    meta(
        &mut ls,
        "node_provider_id",
        node.spec
            .as_ref()
            .map(|s| text(&s.provider_id))
            .unwrap_or_default(),
    );
    let conditions = node.status.as_ref().and_then(|s| s.conditions.as_ref());
    for c in conditions.into_iter().flatten() {
        let name = sanitize_label_name(&c.type_.to_lowercase());
        meta(
            &mut ls,
            &format!("node_condition_{name}"),
            c.status.to_lowercase(),
        );
    }
    add_object_meta(&mut ls, &node.metadata, "node");
    ls
}

/// `None` when the node has no address at all (Prometheus drops the node with a warning).
pub(super) fn build(node: &Node) -> Option<TargetGroup> {
    let name = node.metadata.name.clone().unwrap_or_default();
    let status = node.status.as_ref();
    let mut by_type: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for a in status
        .and_then(|s| s.addresses.as_ref())
        .into_iter()
        .flatten()
    {
        by_type
            .entry(a.type_.as_str())
            .or_default()
            .push(a.address.as_str());
    }
    let address = ADDRESS_PREFERENCE
        .iter()
        .find_map(|ty| by_type.get(ty).map(|a| a[0]))?;
    let port = status
        .and_then(|s| s.daemon_endpoints.as_ref())
        .and_then(|d| d.kubelet_endpoint.as_ref())
        .map_or(0, |k| k.port);

    let mut t = Labels::new();
    set(
        &mut t,
        ADDRESS_LABEL,
        join_host_port(address, &port.to_string()),
    );
    set(&mut t, "instance", name.clone());
    for (ty, addresses) in &by_type {
        t.insert(
            sanitize_label_name(&format!("{META}node_address_{ty}")),
            addresses[0].to_string(),
        );
    }
    Some(TargetGroup {
        source: format!("node/{name}"),
        labels: node_labels(node),
        targets: vec![t],
    })
}
