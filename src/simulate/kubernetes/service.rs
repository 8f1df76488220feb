//! `role: service`: one target per service port, addressed `<name>.<namespace>.svc:<port>`.

use k8s_openapi::api::core::v1::Service;

use super::cluster::View;
use super::{
    ADDRESS_LABEL, Labels, NAMESPACE_LABEL, TargetGroup, add_namespace_labels, add_object_meta,
    join_host_port, meta, set, text,
};

/// `serviceLabels`: the namespace and the service's name, labels and annotations.
pub(super) fn service_labels(svc: &Service) -> Labels {
    let mut ls = Labels::new();
    set(
        &mut ls,
        NAMESPACE_LABEL,
        svc.metadata.namespace.clone().unwrap_or_default(),
    );
    add_object_meta(&mut ls, &svc.metadata, "service");
    ls
}

pub(super) fn build(view: &View<'_>, svc: &Service) -> TargetGroup {
    let namespace = svc.metadata.namespace.clone().unwrap_or_default();
    let name = svc.metadata.name.clone().unwrap_or_default();
    let mut tg = TargetGroup {
        source: format!("svc/{namespace}/{name}"),
        labels: service_labels(svc),
        targets: Vec::new(),
    };
    if view.attach().namespace {
        add_namespace_labels(&mut tg.labels, view, &namespace);
    }
    let Some(spec) = &svc.spec else { return tg };
    let service_type = text(&spec.type_);
    for port in spec.ports.iter().flatten() {
        let number = port.port.to_string();
        let mut t = Labels::new();
        set(
            &mut t,
            ADDRESS_LABEL,
            join_host_port(&format!("{name}.{namespace}.svc"), &number),
        );
        meta(&mut t, "service_port_name", text(&port.name));
        meta(&mut t, "service_port_number", number);
        meta(&mut t, "service_port_protocol", text(&port.protocol));
        meta(&mut t, "service_type", service_type.clone());
        if service_type == "ExternalName" {
            meta(&mut t, "service_external_name", text(&spec.external_name));
        } else {
            meta(&mut t, "service_cluster_ip", text(&spec.cluster_ip));
        }
        if service_type == "LoadBalancer" {
            meta(
                &mut t,
                "service_loadbalancer_ip",
                text(&spec.load_balancer_ip),
            );
        }
        tg.targets.push(t);
    }
    tg
}
