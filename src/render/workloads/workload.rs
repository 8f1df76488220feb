//! The StatefulSets (one per shard), the DaemonSet and the governing Service.

use super::meta::{self, Labels};
use super::pod;
use super::{Agent, Mode};
use crate::model::EmbeddedPersistentVolumeClaim;
use crate::render::options::OperatorOptions;
use k8s_openapi::api::apps::v1::{
    DaemonSet, DaemonSetSpec, RollingUpdateStatefulSetStrategy, StatefulSet, StatefulSetSpec,
    StatefulSetUpdateStrategy,
};
use k8s_openapi::api::core::v1::{
    EmptyDirVolumeSource, PersistentVolumeClaim, PersistentVolumeClaimSpec, Service, ServicePort,
    ServiceSpec, Volume,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// The name of the Service the operator shares between the agents of a namespace.
pub const GOVERNING_SERVICE_NAME: &str = "prometheus-agent-operated";

/// Number of StatefulSets: `spec.shards` when above 1, else 1.
pub fn shard_count(agent: &Agent<'_>) -> i32 {
    agent.spec.shards.filter(|s| *s > 1).unwrap_or(1)
}

/// `prom-agent-<name>` for shard 0, `prom-agent-<name>-shard-<i>` for the others.
pub fn stateful_set_name(agent: &Agent<'_>, shard: i32) -> String {
    if shard == 0 {
        agent.prefixed_name()
    } else {
        format!("{}-shard-{shard}", agent.prefixed_name())
    }
}

fn selector(labels: Labels) -> LabelSelector {
    LabelSelector {
        match_labels: Some(labels),
        ..LabelSelector::default()
    }
}

pub fn stateful_set(
    agent: &Agent<'_>,
    shard: i32,
    tls_secret_count: usize,
    options: &OperatorOptions,
) -> Result<StatefulSet, String> {
    let spec = agent.spec;
    let name = stateful_set_name(agent, shard);
    let pod = pod::build(
        agent,
        Mode::StatefulSet { shard },
        tls_secret_count,
        options,
    )
    .map_err(|e| format!("making statefulset failed: make StatefulSet spec: {e}"))?;
    let mut template = pod.template;

    let mut claim_templates = None;
    let storage_volume = |source: Volume| Volume {
        name: agent.volume_name(),
        ..source
    };
    let data_volume = match &spec.storage {
        None => Some(storage_volume(Volume {
            empty_dir: Some(EmptyDirVolumeSource::default()),
            ..Volume::default()
        })),
        Some(storage) if storage.empty_dir.is_some() => Some(storage_volume(Volume {
            empty_dir: storage.empty_dir.clone(),
            ..Volume::default()
        })),
        Some(storage) if storage.ephemeral.is_some() => Some(storage_volume(Volume {
            ephemeral: storage.ephemeral.clone(),
            ..Volume::default()
        })),
        Some(storage) => {
            claim_templates = Some(vec![claim_template(
                agent,
                storage.volume_claim_template.as_ref(),
            )]);
            None
        }
    };
    if let Some(pod_spec) = template.spec.as_mut() {
        let volumes = pod_spec.volumes.get_or_insert_with(Vec::new);
        volumes.extend(data_volume);
        volumes.extend(spec.volumes.clone().unwrap_or_default());
    }

    let update_strategy = match &spec.update_strategy {
        None => StatefulSetUpdateStrategy {
            type_: Some("RollingUpdate".to_string()),
            ..StatefulSetUpdateStrategy::default()
        },
        Some(strategy) => StatefulSetUpdateStrategy {
            type_: Some(strategy.r#type.as_str().to_string()),
            rolling_update: strategy.rolling_update.as_ref().map(|r| {
                RollingUpdateStatefulSetStrategy {
                    max_unavailable: r.max_unavailable.clone(),
                    ..RollingUpdateStatefulSetStrategy::default()
                }
            }),
        },
    };
    let replicas = spec.replicas.filter(|r| *r >= 0).unwrap_or(1);

    Ok(StatefulSet {
        metadata: meta::workload_meta(agent, &name, &pod.selector, options),
        spec: Some(StatefulSetSpec {
            service_name: Some(
                spec.service_name
                    .clone()
                    .unwrap_or_else(|| GOVERNING_SERVICE_NAME.to_string()),
            ),
            replicas: Some(replicas),
            pod_management_policy: Some(
                spec.pod_management_policy
                    .map_or("Parallel", |p| p.as_str())
                    .to_string(),
            ),
            update_strategy: Some(update_strategy),
            min_ready_seconds: spec.min_ready_seconds.filter(|s| *s != 0),
            selector: selector(pod.selector),
            template,
            persistent_volume_claim_retention_policy: spec
                .persistent_volume_claim_retention_policy
                .clone(),
            volume_claim_templates: claim_templates,
            ..StatefulSetSpec::default()
        }),
        ..StatefulSet::default()
    })
}

/// The claim template of `spec.storage.volumeClaimTemplate`: its name (or `prom-agent-<name>-db`),
/// labels and annotations, its spec with `accessModes` defaulting to `[ReadWriteOnce]`, and its status.
fn claim_template(
    agent: &Agent<'_>,
    template: Option<&EmbeddedPersistentVolumeClaim>,
) -> PersistentVolumeClaim {
    let template = template.cloned().unwrap_or_default();
    let metadata = template.metadata.unwrap_or_default();
    let mut claim_spec = template
        .spec
        .unwrap_or_else(PersistentVolumeClaimSpec::default);
    if claim_spec.access_modes.is_none() {
        claim_spec.access_modes = Some(vec!["ReadWriteOnce".to_string()]);
    }
    PersistentVolumeClaim {
        metadata: ObjectMeta {
            name: Some(
                metadata
                    .name
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| agent.volume_name()),
            ),
            labels: metadata.labels.filter(|l| !l.is_empty()),
            annotations: metadata.annotations.filter(|a| !a.is_empty()),
            ..ObjectMeta::default()
        },
        spec: Some(claim_spec),
        status: template.status,
    }
}

pub fn daemon_set(
    agent: &Agent<'_>,
    tls_secret_count: usize,
    options: &OperatorOptions,
) -> Result<DaemonSet, String> {
    let pod = pod::build(agent, Mode::DaemonSet, tls_secret_count, options)
        .map_err(|e| format!("making daemonset failed: make DaemonSet spec: {e}"))?;
    Ok(DaemonSet {
        metadata: meta::workload_meta(agent, &agent.prefixed_name(), &pod.selector, options),
        spec: Some(DaemonSetSpec {
            selector: selector(pod.selector),
            min_ready_seconds: agent.spec.min_ready_seconds.filter(|s| *s != 0),
            template: pod.template,
            ..DaemonSetSpec::default()
        }),
        ..DaemonSet::default()
    })
}

/// The headless Service `prometheus-agent-operated` that governs the StatefulSets.
pub fn governing_service(agent: &Agent<'_>, options: &OperatorOptions) -> Service {
    let port_name = agent.port_name().to_string();
    let mut labels = meta::managed_by();
    labels.insert("operated-prometheus".to_string(), "true".to_string());
    meta::merge_into(&mut labels, meta::operator_labels(options));
    Service {
        metadata: meta::object_meta(
            GOVERNING_SERVICE_NAME,
            agent.namespace,
            labels,
            meta::operator_annotations(options),
            meta::owner_reference(agent, false),
        ),
        spec: Some(ServiceSpec {
            cluster_ip: Some("None".to_string()),
            ports: Some(vec![ServicePort {
                name: Some(port_name.clone()),
                port: 9090,
                target_port: Some(IntOrString::String(port_name)),
                ..ServicePort::default()
            }]),
            selector: Some(
                [(
                    meta::APP_NAME_KEY.to_string(),
                    meta::APP_NAME_VALUE.to_string(),
                )]
                .into_iter()
                .collect(),
            ),
            ..ServiceSpec::default()
        }),
        ..Service::default()
    }
}
