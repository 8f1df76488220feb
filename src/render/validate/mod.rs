//! Kubernetes' built-in validation of the objects render generates: what the API server checks when
//! the operator creates the DaemonSet, the StatefulSets, the Service and the Secrets (`apps/v1` and
//! `core/v1` validation), and for StatefulSets what it checks when the StatefulSet controller creates
//! their pods. Messages and field paths are the API server's (`field.ErrorList` text).
//!
//! Only what the operator can generate is covered; admission webhooks, quotas, LimitRanges and Pod
//! Security admission depend on the cluster and are not.

mod errors;
mod names;
mod pod;

pub use errors::{BadValue, ErrorType, FieldError, aggregate};

use crate::fieldpath::FieldPath;
use crate::render::workloads::{ObjectKind, RenderedObject};
use errors::go_string_map;
use k8s_openapi::api::apps::v1::{DaemonSet, StatefulSet};
use k8s_openapi::api::core::v1::{PodTemplateSpec, Service, Volume};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use serde::Deserialize;
use std::collections::BTreeMap;

/// What refuses the object: the API server when the operator creates it, or (StatefulSets) the API
/// server when the StatefulSet controller creates the named pod from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stage {
    Create,
    Pod(String),
}

/// The API server's refusal of one generated object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub kind: ObjectKind,
    pub namespace: String,
    pub name: String,
    pub stage: Stage,
    pub errors: Vec<FieldError>,
}

impl Refusal {
    /// The API server's message: `DaemonSet.apps "prom-agent-a" is invalid: <errors>`.
    pub fn api_message(&self) -> String {
        let (kind, name) = match &self.stage {
            Stage::Create => (qualified_kind(self.kind), self.name.as_str()),
            Stage::Pod(pod) => ("Pod", pod.as_str()),
        };
        format!(
            "{kind} {} is invalid: {}",
            crate::check::schema::go_quote(name),
            aggregate(&self.errors)
        )
    }

    /// Who refuses what, then the API server's message.
    pub fn summary(&self) -> String {
        match &self.stage {
            Stage::Create => format!(
                "the API server would refuse {} {}/{}: {}",
                self.kind.as_str(),
                self.namespace,
                self.name,
                self.api_message()
            ),
            Stage::Pod(_) => format!(
                "the API server would accept {} {}/{} but refuse the pods its controller creates: {}",
                self.kind.as_str(),
                self.namespace,
                self.name,
                self.api_message()
            ),
        }
    }

    /// The path of the pod spec the errors are under: `spec.template.spec` or a pod's `spec`.
    pub fn pod_spec_path(&self) -> FieldPath {
        match self.stage {
            Stage::Create => FieldPath::parse("spec.template.spec"),
            Stage::Pod(_) => FieldPath::parse("spec"),
        }
    }
}

fn qualified_kind(kind: ObjectKind) -> &'static str {
    match kind {
        ObjectKind::DaemonSet => "DaemonSet.apps",
        ObjectKind::StatefulSet => "StatefulSet.apps",
        ObjectKind::Service => "Service",
        ObjectKind::Secret => "Secret",
    }
}

/// Validates one generated object; empty when the API server accepts it (and its pods).
pub fn validate(object: &RenderedObject) -> Vec<Refusal> {
    let refusal = |stage: Stage, errors: Vec<FieldError>| Refusal {
        kind: object.kind,
        namespace: object.namespace.clone(),
        name: object.name.clone(),
        stage,
        errors,
    };
    let mut out = Vec::new();
    match object.kind {
        ObjectKind::DaemonSet => {
            if let Ok(ds) = DaemonSet::deserialize(&object.manifest) {
                out.push(refusal(Stage::Create, daemon_set(&ds)));
            }
        }
        ObjectKind::StatefulSet => {
            if let Ok(sts) = StatefulSet::deserialize(&object.manifest) {
                out.push(refusal(Stage::Create, stateful_set(&sts)));
                let pod_name = format!("{}-0", object.name);
                out.push(refusal(
                    Stage::Pod(pod_name.clone()),
                    stateful_set_pod(&sts, &pod_name),
                ));
            }
        }
        ObjectKind::Service => {
            if let Ok(svc) = Service::deserialize(&object.manifest) {
                out.push(refusal(Stage::Create, service(&svc)));
            }
        }
        ObjectKind::Secret => {
            let meta = object
                .manifest
                .get("metadata")
                .and_then(|m| ObjectMeta::deserialize(m).ok())
                .unwrap_or_default();
            out.push(refusal(Stage::Create, object_meta(&meta, names::subdomain)));
        }
    }
    out.retain(|r| !r.errors.is_empty());
    out
}

/// `ValidateObjectMeta` for what the operator sets: the name (checked with `name_check`), labels
/// and annotations.
fn object_meta(meta: &ObjectMeta, name_check: fn(&str) -> Vec<String>) -> Vec<FieldError> {
    let base = FieldPath::root().key("metadata");
    let mut errs = Vec::new();
    let name = meta.name.as_deref().unwrap_or("");
    if name.is_empty() {
        errs.push(FieldError::required(
            base.key("name"),
            "name or generateName is required",
        ));
    } else {
        for msg in name_check(name) {
            errs.push(FieldError::invalid_str(base.key("name"), name, &msg));
        }
    }
    let empty = BTreeMap::new();
    errs.extend(names::labels(
        meta.labels.as_ref().unwrap_or(&empty),
        &base.key("labels"),
    ));
    errs.extend(names::annotations(
        meta.annotations.as_ref().unwrap_or(&empty),
        &base.key("annotations"),
    ));
    errs
}

/// `ValidateLabelSelector` for a `matchLabels`-only selector.
fn selector(selector: &LabelSelector, path: &FieldPath) -> Vec<FieldError> {
    let empty = BTreeMap::new();
    names::labels(
        selector.match_labels.as_ref().unwrap_or(&empty),
        &path.key("matchLabels"),
    )
}

fn selector_matches(selector: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    selector
        .match_labels
        .iter()
        .flatten()
        .all(|(k, v)| labels.get(k) == Some(v))
}

fn template_labels(template: &PodTemplateSpec) -> BTreeMap<String, String> {
    template
        .metadata
        .as_ref()
        .and_then(|m| m.labels.clone())
        .unwrap_or_default()
}

/// The selector checks both workloads share, with the kind named in the empty-selector message.
fn workload_selector(
    sel: &LabelSelector,
    template: &PodTemplateSpec,
    kind: &str,
    errs: &mut Vec<FieldError>,
) {
    let spec = FieldPath::root().key("spec");
    errs.extend(selector(sel, &spec.key("selector")));
    let labels = template_labels(template);
    if !selector_matches(sel, &labels) {
        errs.push(FieldError::invalid(
            spec.key("template").key("metadata").key("labels"),
            BadValue::Raw(go_string_map(&labels)),
            "`selector` does not match template `labels`",
        ));
    }
    let count = sel.match_labels.as_ref().map_or(0, BTreeMap::len)
        + sel.match_expressions.as_ref().map_or(0, Vec::len);
    if count == 0 {
        errs.push(FieldError::invalid(
            spec.key("selector"),
            BadValue::Raw("&v1.LabelSelector{}".into()),
            &format!("empty selector is invalid for {kind}"),
        ));
    }
}

fn template_metadata(template: &PodTemplateSpec) -> Vec<FieldError> {
    let meta = template.metadata.clone().unwrap_or_default();
    pod::template_metadata(
        &meta.labels.unwrap_or_default(),
        &meta.annotations.unwrap_or_default(),
        &FieldPath::parse("spec.template"),
    )
}

fn restart_policy_always(template: &PodTemplateSpec, errs: &mut Vec<FieldError>) {
    let policy = template
        .spec
        .as_ref()
        .and_then(|s| s.restart_policy.as_deref())
        .unwrap_or("Always");
    if policy != "Always" {
        errs.push(FieldError::not_supported(
            FieldPath::parse("spec.template.spec.restartPolicy"),
            policy,
            &["Always"],
        ));
    }
}

fn nonnegative(value: Option<i32>, path: &str, errs: &mut Vec<FieldError>) {
    if let Some(v) = value
        && v < 0
    {
        errs.push(FieldError::invalid(
            FieldPath::parse(path),
            BadValue::Int(v.into()),
            "must be greater than or equal to 0",
        ));
    }
}

/// `ValidateDaemonSet`: the whole pod template is validated.
fn daemon_set(ds: &DaemonSet) -> Vec<FieldError> {
    let mut errs = object_meta(&ds.metadata, names::subdomain);
    let Some(spec) = &ds.spec else {
        return errs;
    };
    workload_selector(&spec.selector, &spec.template, "daemonset", &mut errs);
    errs.extend(template_metadata(&spec.template));
    if let Some(pod_spec) = &spec.template.spec {
        errs.extend(pod::pod_spec(
            pod_spec,
            &FieldPath::parse("spec.template.spec"),
        ));
    }
    restart_policy_always(&spec.template, &mut errs);
    nonnegative(spec.min_ready_seconds, "spec.minReadySeconds", &mut errs);
    errs
}

/// `ValidateStatefulSet`: the API server checks the template's labels and annotations but not its
/// pod spec, which is validated when the controller creates the pods.
fn stateful_set(sts: &StatefulSet) -> Vec<FieldError> {
    let mut errs = object_meta(&sts.metadata, names::label);
    let Some(spec) = &sts.spec else {
        return errs;
    };
    let policy = spec
        .pod_management_policy
        .as_deref()
        .unwrap_or("OrderedReady");
    if !["OrderedReady", "Parallel"].contains(&policy) {
        errs.push(FieldError::invalid_str(
            FieldPath::parse("spec.podManagementPolicy"),
            policy,
            "must be 'OrderedReady' or 'Parallel'",
        ));
    }
    nonnegative(spec.replicas, "spec.replicas", &mut errs);
    nonnegative(spec.min_ready_seconds, "spec.minReadySeconds", &mut errs);
    workload_selector(&spec.selector, &spec.template, "statefulset", &mut errs);
    errs.extend(template_metadata(&spec.template));
    restart_policy_always(&spec.template, &mut errs);
    errs
}

/// The first pod the StatefulSet controller creates: the template with a volume per claim template,
/// named `<statefulset>-0`, with the controller's pod-name label.
fn stateful_set_pod(sts: &StatefulSet, pod_name: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(spec) = &sts.spec else {
        return errs;
    };
    let meta_path = FieldPath::root().key("metadata");
    for msg in names::subdomain(pod_name) {
        errs.push(FieldError::invalid_str(
            meta_path.key("name"),
            pod_name,
            &msg,
        ));
    }
    // The template's own labels were checked with the StatefulSet; the controller adds this one.
    for msg in names::label_value(pod_name) {
        errs.push(FieldError::invalid_str(
            meta_path.key("labels"),
            pod_name,
            &msg,
        ));
    }
    let Some(mut pod_spec) = spec.template.spec.clone() else {
        return errs;
    };
    let volumes = pod_spec.volumes.get_or_insert_with(Vec::new);
    for claim in spec.volume_claim_templates.iter().flatten() {
        let claim_name = claim.metadata.name.clone().unwrap_or_default();
        if volumes.iter().any(|v| v.name == claim_name) {
            continue;
        }
        volumes.push(Volume {
            name: claim_name.clone(),
            persistent_volume_claim: Some(
                k8s_openapi::api::core::v1::PersistentVolumeClaimVolumeSource {
                    claim_name: format!("{claim_name}-{pod_name}"),
                    ..Default::default()
                },
            ),
            ..Volume::default()
        });
    }
    errs.extend(pod::pod_spec(&pod_spec, &FieldPath::root().key("spec")));
    errs
}

/// `ValidateService` for the headless Service: its port name and target port.
fn service(svc: &Service) -> Vec<FieldError> {
    let mut errs = object_meta(&svc.metadata, names::label);
    let ports = FieldPath::parse("spec.ports");
    for (i, port) in svc
        .spec
        .iter()
        .flat_map(|s| s.ports.iter().flatten())
        .enumerate()
    {
        let at = ports.index(i);
        if let Some(name) = port.name.as_deref().filter(|n| !n.is_empty()) {
            for msg in names::label(name) {
                errs.push(FieldError::invalid_str(at.key("name"), name, &msg));
            }
        }
        if let Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(target)) =
            &port.target_port
        {
            for msg in names::port_name(target) {
                errs.push(FieldError::invalid_str(at.key("targetPort"), target, &msg));
            }
        }
    }
    errs
}

#[cfg(test)]
mod tests;
