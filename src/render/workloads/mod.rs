//! The Kubernetes objects the operator creates for a `PrometheusAgent`, as v0.93.0 builds them: the
//! config, TLS-assets and web-config Secrets, then either the governing Service and one StatefulSet per
//! shard (StatefulSet mode) or one DaemonSet (DaemonSet mode).
//!
//! Each object is returned as its JSON manifest (keys in the order `kubectl get -o yaml` prints them).
//! Left out on purpose: the `prometheus-operator-input-hash` annotation (a hash of cluster state that
//! cannot be computed offline) and, when the input has none, the owner references' `uid`. Secret values
//! are replaced with [`REDACTED`] unless `OperatorOptions::show_secrets` is set.

mod merge;
mod meta;
mod names;
mod pod;
mod reloader;
mod secrets;
mod workload;

pub use merge::merge_containers;
pub use names::{clean_path, xxhash64};
pub use secrets::{gzip, tls_assets, web_config_text};
pub use workload::{GOVERNING_SERVICE_NAME, shard_count, stateful_set_name};

use crate::model::{PrometheusAgent, PrometheusAgentMode, PrometheusAgentSpec};
use crate::render::options::{OperatorOptions, REDACTED};
use crate::version::Version;
use serde_json::Value;
use std::collections::BTreeMap;

pub(crate) const CONF_DIR: &str = "/etc/prometheus/config";
pub(crate) const CONF_OUT_DIR: &str = "/etc/prometheus/config_out";
pub(crate) const WEB_CONFIG_DIR: &str = "/etc/prometheus/web_config";
pub(crate) const CONFIG_FILENAME: &str = "prometheus.yaml.gz";
pub(crate) const CONFIG_ENVSUBST_FILENAME: &str = "prometheus.env.yaml";

/// Which workload a pod template is built for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    StatefulSet { shard: i32 },
    DaemonSet,
}

/// The kinds of object the operator creates for an agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectKind {
    Secret,
    Service,
    StatefulSet,
    DaemonSet,
}

impl ObjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Secret => "Secret",
            ObjectKind::Service => "Service",
            ObjectKind::StatefulSet => "StatefulSet",
            ObjectKind::DaemonSet => "DaemonSet",
        }
    }

    /// StatefulSets, DaemonSets and the Service: what `--only workloads` prints.
    pub fn is_workload(self) -> bool {
        self != ObjectKind::Secret
    }
}

/// One object the operator would create, as its complete manifest.
#[derive(Clone, Debug, PartialEq)]
pub struct RenderedObject {
    pub kind: ObjectKind,
    pub name: String,
    pub namespace: String,
    pub manifest: Value,
}

/// What the workloads need from the config renderer: the `prometheus.yml` text and the TLS assets it
/// collected (Secret key → bytes, keys such as `0_<namespace>_<secret>_<key>`).
#[derive(Clone, Copy, Debug)]
pub struct WorkloadInputs<'a> {
    pub config: &'a str,
    pub tls_assets: &'a BTreeMap<String, Vec<u8>>,
}

/// The agent's fields the builders read, with the values the operator derives up front.
pub struct Agent<'a> {
    pub name: &'a str,
    pub namespace: &'a str,
    pub uid: &'a str,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub spec: &'a PrometheusAgentSpec,
    pub version: Version,
}

impl<'a> Agent<'a> {
    /// Reads an agent; fails with the operator's message when `spec.version` is not usable.
    pub fn new(agent: &'a PrometheusAgent) -> Result<Agent<'a>, String> {
        let version = crate::version::prometheus_version(agent.spec.version.as_deref())?;
        let meta = &agent.metadata;
        Ok(Agent {
            name: meta.name.as_deref().unwrap_or(""),
            namespace: meta.namespace.as_deref().unwrap_or(""),
            uid: meta.uid.as_deref().unwrap_or(""),
            labels: meta.labels.clone().unwrap_or_default(),
            annotations: meta.annotations.clone().unwrap_or_default(),
            spec: &agent.spec,
            version,
        })
    }

    pub fn prefixed_name(&self) -> String {
        format!("prom-agent-{}", self.name)
    }

    pub fn config_secret_name(&self) -> String {
        self.prefixed_name()
    }

    /// The TLS-assets Secrets are this name with `-0`, `-1`, ….
    pub fn tls_assets_secret_base(&self) -> String {
        format!("{}-tls-assets", self.prefixed_name())
    }

    pub fn web_config_secret_name(&self) -> String {
        format!("{}-web-config", self.prefixed_name())
    }

    /// `prom-agent-<name>-db`: the data volume (StatefulSet mode).
    pub fn volume_name(&self) -> String {
        format!("{}-db", self.prefixed_name())
    }

    /// The name of the data volume or of its claim template.
    pub fn volume_claim_name(&self) -> String {
        self.spec
            .storage
            .as_ref()
            .and_then(|s| s.volume_claim_template.as_ref())
            .and_then(|t| t.metadata.as_ref())
            .and_then(|m| m.name.clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| self.volume_name())
    }

    /// `spec.portName`, `web` when empty.
    pub fn port_name(&self) -> &str {
        self.spec
            .port_name
            .as_deref()
            .filter(|p| !p.is_empty())
            .unwrap_or("web")
    }

    /// `spec.routePrefix`, `/` when empty.
    pub fn route_prefix(&self) -> &str {
        self.spec
            .route_prefix
            .as_deref()
            .filter(|p| !p.is_empty())
            .unwrap_or("/")
    }

    /// Whether Prometheus serves HTTPS (`spec.web.tlsConfig` is set).
    pub fn web_tls(&self) -> bool {
        self.spec
            .web
            .as_ref()
            .is_some_and(|w| w.tls_config.is_some())
    }
}

/// The agent's mode: `spec.mode`, StatefulSet when absent.
pub fn agent_mode(agent: &PrometheusAgent) -> PrometheusAgentMode {
    agent.spec.mode.unwrap_or(PrometheusAgentMode::StatefulSet)
}

/// The operator refuses DaemonSet mode unless its `PrometheusAgentDaemonSet` feature gate is on.
pub fn check_mode_enabled(
    agent: &PrometheusAgent,
    options: &OperatorOptions,
) -> Result<(), String> {
    if agent_mode(agent) == PrometheusAgentMode::DaemonSet
        && !options.feature_gates.prometheus_agent_daemon_set
    {
        return Err(
            "feature gate for Prometheus Agent's DaemonSet mode is not enabled".to_string(),
        );
    }
    Ok(())
}

/// Every object the operator would create for `agent` in `mode`, in the order it reconciles them:
/// the config Secret, the TLS-assets Secrets, the web-config Secret, then the DaemonSet, or the
/// governing Service (unless `spec.serviceName` is set) and the StatefulSets.
pub fn render_objects(
    agent: &PrometheusAgent,
    mode: PrometheusAgentMode,
    inputs: &WorkloadInputs<'_>,
    options: &OperatorOptions,
) -> Result<Vec<RenderedObject>, String> {
    let view = Agent::new(agent)?;
    let mut objects = Vec::new();
    let config = secrets::config_secret(&view, inputs.config, options)
        .map_err(|e| format!("creating config failed: {e}"))?;
    objects.push(manifest(ObjectKind::Secret, &config, &view, options)?);
    let tls = secrets::tls_asset_secrets(&view, inputs.tls_assets, options);
    for secret in &tls {
        objects.push(manifest(ObjectKind::Secret, secret, &view, options)?);
    }
    let web = secrets::web_config_secret(&view, options)?;
    objects.push(manifest(ObjectKind::Secret, &web, &view, options)?);
    match mode {
        PrometheusAgentMode::DaemonSet => {
            let ds = workload::daemon_set(&view, tls.len(), options)?;
            objects.push(manifest(ObjectKind::DaemonSet, &ds, &view, options)?);
        }
        PrometheusAgentMode::StatefulSet => {
            if agent.spec.service_name.is_none() {
                let svc = workload::governing_service(&view, options);
                objects.push(manifest(ObjectKind::Service, &svc, &view, options)?);
            }
            for shard in 0..shard_count(&view) {
                let sts = workload::stateful_set(&view, shard, tls.len(), options)?;
                objects.push(manifest(ObjectKind::StatefulSet, &sts, &view, options)?);
            }
        }
    }
    Ok(objects)
}

/// A typed object as JSON, with the owner's `uid` left out when unknown, claim templates without
/// `apiVersion`/`kind`, and Secret values redacted.
fn manifest<T: serde::Serialize>(
    kind: ObjectKind,
    object: &T,
    agent: &Agent<'_>,
    options: &OperatorOptions,
) -> Result<RenderedObject, String> {
    let mut value = serde_json::to_value(object)
        .map_err(|e| format!("cannot serialise {}: {e}", kind.as_str()))?;
    if agent.uid.is_empty()
        && let Some(owners) = value
            .pointer_mut("/metadata/ownerReferences")
            .and_then(Value::as_array_mut)
    {
        for owner in owners.iter_mut().filter_map(Value::as_object_mut) {
            owner.shift_remove("uid");
        }
    }
    // The operator blanks the type fields of claim templates.
    if let Some(claims) = value
        .pointer_mut("/spec/volumeClaimTemplates")
        .and_then(Value::as_array_mut)
    {
        for claim in claims.iter_mut().filter_map(Value::as_object_mut) {
            claim.shift_remove("apiVersion");
            claim.shift_remove("kind");
        }
    }
    if kind == ObjectKind::Secret && !options.show_secrets {
        redact_secret(&mut value);
    }
    let name = value
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    Ok(RenderedObject {
        kind,
        name,
        namespace: agent.namespace.to_string(),
        manifest: value,
    })
}

/// Replaces every non-empty value of a Secret's `data` with [`REDACTED`].
pub fn redact_secret(secret: &mut Value) {
    if let Some(data) = secret.get_mut("data").and_then(Value::as_object_mut) {
        for value in data.values_mut() {
            if value.as_str().is_some_and(|s| !s.is_empty()) {
                *value = Value::String(REDACTED.to_string());
            }
        }
    }
}

/// Everything rendered for one agent: its configuration and its objects.
#[derive(Clone, Debug)]
pub struct AgentRender {
    pub namespace: String,
    pub name: String,
    pub mode: PrometheusAgentMode,
    /// The `prometheus.yml` (secret values redacted unless shown).
    pub config: String,
    /// The tree `config` was written from (see [`crate::render::config::RenderedConfig::tree`]).
    pub config_tree: Option<crate::render::goyaml::WrittenTree>,
    /// What the config renderer noticed (missing Secrets, rejected monitors…).
    pub warnings: Vec<crate::diag::Diagnostic>,
    pub objects: Vec<RenderedObject>,
}

/// Renders the configuration and the objects of `agent` as the operator would in `mode` (which may
/// differ from the agent's own `spec.mode`, to compare both forms).
pub fn render_agent(
    agent: &crate::model::Object<PrometheusAgent>,
    inventory: &crate::model::Inventory,
    options: &OperatorOptions,
    mode: PrometheusAgentMode,
) -> Result<AgentRender, crate::diag::Diagnostic> {
    let mut in_mode = agent.clone();
    if agent_mode(&agent.value) != mode {
        in_mode.value.spec.mode = Some(mode);
    }
    let config = crate::render::config::render_config(&in_mode, inventory, options)?;
    let assets = tls_assets(&config.text, inventory);
    let inputs = WorkloadInputs {
        config: &config.text,
        tls_assets: &assets,
    };
    let objects = render_objects(&in_mode.value, mode, &inputs, options).map_err(|message| {
        crate::diag::Diagnostic::error(crate::diag::Layer::Operator, "render/refused", message)
            .with_object(crate::diag::ObjectRef {
                kind: "PrometheusAgent".into(),
                namespace: agent.namespace().to_string(),
                name: agent.name().to_string(),
            })
    })?;
    Ok(AgentRender {
        namespace: agent.namespace().to_string(),
        name: agent.name().to_string(),
        mode,
        config: config.text,
        config_tree: config.tree,
        warnings: config.warnings,
        objects,
    })
}
