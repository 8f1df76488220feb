//! `role: pod`: one target per declared container port (or one per container without ports),
//! init containers included, with the pod's metadata, readiness, phase and controller.

use k8s_openapi::api::core::v1::{Container, ContainerStatus, Pod};

use super::cluster::View;
use super::{
    ADDRESS_LABEL, Labels, NAMESPACE_LABEL, TargetGroup, add_namespace_labels, add_node_labels,
    add_object_meta, bool_text, controller_of, join_host_port, meta, port_text, set, text,
};

pub(super) fn namespace(pod: &Pod) -> &str {
    pod.metadata.namespace.as_deref().unwrap_or("")
}

fn name(pod: &Pod) -> &str {
    pod.metadata.name.as_deref().unwrap_or("")
}

pub(super) fn ip(pod: &Pod) -> String {
    pod.status
        .as_ref()
        .map(|s| text(&s.pod_ip))
        .unwrap_or_default()
}

/// The regular containers then the init containers, each with whether it is an init container.
pub(super) fn containers(pod: &Pod) -> Vec<(&Container, bool)> {
    let Some(spec) = &pod.spec else {
        return Vec::new();
    };
    spec.containers
        .iter()
        .map(|c| (c, false))
        .chain(spec.init_containers.iter().flatten().map(|c| (c, true)))
        .collect()
}

fn ready(pod: &Pod) -> String {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"))
        .map(|c| c.status.to_lowercase())
        .unwrap_or_else(|| "unknown".to_string())
}

/// `podLabels`: what every target of the pod carries, in every role that reaches pods.
pub(super) fn pod_labels(view: &View<'_>, pod: &Pod) -> Labels {
    let status = pod.status.as_ref();
    let spec = pod.spec.as_ref();
    let mut ls = Labels::new();
    meta(&mut ls, "pod_ip", ip(pod));
    meta(&mut ls, "pod_ready", ready(pod));
    meta(
        &mut ls,
        "pod_phase",
        status.map(|s| text(&s.phase)).unwrap_or_default(),
    );
    meta(
        &mut ls,
        "pod_node_name",
        spec.map(|s| text(&s.node_name)).unwrap_or_default(),
    );
    meta(
        &mut ls,
        "pod_host_ip",
        status.map(|s| text(&s.host_ip)).unwrap_or_default(),
    );
    meta(&mut ls, "pod_uid", text(&pod.metadata.uid));
    add_object_meta(&mut ls, &pod.metadata, "pod");

    let Some(owner) = controller_of(&pod.metadata) else {
        return ls;
    };
    if !owner.kind.is_empty() {
        meta(&mut ls, "pod_controller_kind", owner.kind.clone());
    }
    if !owner.name.is_empty() {
        meta(&mut ls, "pod_controller_name", owner.name.clone());
    }
    let attach = view.attach();
    match owner.kind.as_str() {
        "ReplicaSet" if attach.deployment => {
            let deployment = view
                .replica_set(namespace(pod), &owner.name)
                .and_then(|rs| controller_of(&rs.metadata))
                .filter(|o| o.kind == "Deployment");
            if let Some(d) = deployment {
                meta(&mut ls, "pod_deployment_name", d.name.clone());
            }
        }
        "Job" => {
            if attach.job {
                meta(&mut ls, "pod_job_name", owner.name.clone());
            }
            if attach.cronjob {
                let cronjob = view
                    .job(namespace(pod), &owner.name)
                    .and_then(|job| controller_of(&job.metadata))
                    .filter(|o| o.kind == "CronJob");
                if let Some(c) = cronjob {
                    meta(&mut ls, "pod_cronjob_name", c.name.clone());
                }
            }
        }
        _ => {}
    }
    ls
}

fn container_id(statuses: Option<&Vec<ContainerStatus>>, container: &str) -> String {
    statuses
        .into_iter()
        .flatten()
        .find(|s| s.name == container)
        .map(|s| text(&s.container_id))
        .unwrap_or_default()
}

pub(super) fn build(view: &View<'_>, pod: &Pod) -> TargetGroup {
    let mut tg = TargetGroup {
        source: format!("pod/{}/{}", namespace(pod), name(pod)),
        ..TargetGroup::default()
    };
    let pod_ip = ip(pod);
    if pod_ip.is_empty() {
        return tg;
    }
    let node_name = pod.spec.as_ref().and_then(|s| s.node_name.clone());
    let attach = view.attach();
    if attach.node && view.node(node_name.as_deref().unwrap_or("")).is_none() {
        return tg;
    }

    tg.labels = pod_labels(view, pod);
    set(&mut tg.labels, NAMESPACE_LABEL, namespace(pod));
    if attach.node {
        add_node_labels(&mut tg.labels, view, node_name.as_deref());
    }
    if attach.namespace {
        add_namespace_labels(&mut tg.labels, view, namespace(pod));
    }

    let status = pod.status.as_ref();
    for (c, is_init) in containers(pod) {
        let statuses = status.and_then(|s| {
            if is_init {
                s.init_container_statuses.as_ref()
            } else {
                s.container_statuses.as_ref()
            }
        });
        let mut base = Labels::new();
        meta(&mut base, "pod_container_name", c.name.clone());
        meta(
            &mut base,
            "pod_container_id",
            container_id(statuses, &c.name),
        );
        meta(&mut base, "pod_container_image", text(&c.image));
        meta(&mut base, "pod_container_init", bool_text(is_init));
        let ports = c.ports.as_deref().unwrap_or_default();
        if ports.is_empty() {
            let mut t = base;
            set(&mut t, ADDRESS_LABEL, pod_ip.clone());
            tg.targets.push(t);
            continue;
        }
        for port in ports {
            let number = port_text(port.container_port);
            let mut t = base.clone();
            set(&mut t, ADDRESS_LABEL, join_host_port(&pod_ip, &number));
            meta(&mut t, "pod_container_port_number", number);
            meta(&mut t, "pod_container_port_name", text(&port.name));
            meta(&mut t, "pod_container_port_protocol", text(&port.protocol));
            tg.targets.push(t);
        }
    }
    tg
}
