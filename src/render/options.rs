//! The operator-level settings that change what the operator renders (its command-line flags and what it
//! discovers about the cluster), as plain data with the operator's defaults, plus their text parsers.

use std::fmt;

/// The Kubernetes version assumed when none is given: the newest release whose API promagent's
/// Kubernetes types describe (1.37). Every version-dependent behaviour is on from there: EndpointSlice
/// discovery (from 1.21) and pod topology labels (from 1.35).
pub const DEFAULT_KUBERNETES_VERSION: (u32, u32) = (1, 37);

/// The operator's build version, used in the default config-reloader image.
pub const OPERATOR_VERSION: &str = "0.93.0";

pub const DEFAULT_CONFIG_RELOADER_IMAGE: &str =
    "quay.io/prometheus-operator/prometheus-config-reloader:v0.93.0";
pub const DEFAULT_PROMETHEUS_BASE_IMAGE: &str = "quay.io/prometheus/prometheus";

/// The operator's feature gates (`--feature-gates`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureGates {
    pub prometheus_agent_daemon_set: bool,
    /// `PrometheusAgentDaemonSet` was given a value (a flag or the settings file), rather than
    /// left at the operator's default.
    pub prometheus_agent_daemon_set_stated: bool,
    pub prometheus_topology_sharding: bool,
    pub prometheus_shard_retention_policy: bool,
    pub status_for_configuration_resources: bool,
    pub remote_write_custom_resource_definition: bool,
}

impl Default for FeatureGates {
    fn default() -> Self {
        FeatureGates {
            prometheus_agent_daemon_set: false,
            prometheus_agent_daemon_set_stated: false,
            prometheus_topology_sharding: true,
            prometheus_shard_retention_policy: true,
            status_for_configuration_resources: false,
            remote_write_custom_resource_definition: false,
        }
    }
}

/// The gate names, sorted as the operator lists them.
pub const FEATURE_GATE_NAMES: [&str; 5] = [
    "PrometheusAgentDaemonSet",
    "PrometheusShardRetentionPolicy",
    "PrometheusTopologySharding",
    "RemoteWriteCustomResourceDefinition",
    "StatusForConfigurationResources",
];

impl FeatureGates {
    fn slot(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "PrometheusAgentDaemonSet" => &mut self.prometheus_agent_daemon_set,
            "PrometheusTopologySharding" => &mut self.prometheus_topology_sharding,
            "PrometheusShardRetentionPolicy" => &mut self.prometheus_shard_retention_policy,
            "StatusForConfigurationResources" => &mut self.status_for_configuration_resources,
            "RemoteWriteCustomResourceDefinition" => {
                &mut self.remote_write_custom_resource_definition
            }
            _ => return None,
        })
    }

    pub fn enabled(&self, name: &str) -> Option<bool> {
        self.clone().slot(name).map(|b| *b)
    }

    /// Applies `Name=bool,Name=bool` to the defaults. Booleans are read as Go's `strconv.ParseBool`.
    pub fn parse(text: &str) -> Result<FeatureGates, String> {
        let mut gates = FeatureGates::default();
        for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let Some((name, value)) = item.split_once('=') else {
                return Err(format!(
                    "missing bool value for {item:?} (expected NAME=true|false)"
                ));
            };
            let name = name.trim();
            let value = parse_go_bool(value.trim()).ok_or_else(|| {
                format!(
                    "invalid value of {name}: {:?}, err: invalid syntax",
                    value.trim()
                )
            })?;
            let current = gates.to_string();
            let Some(slot) = gates.slot(name) else {
                return Err(format!(
                    "feature gate {name:?} is unknown (supported feature gates: {current})"
                ));
            };
            *slot = value;
            if name == "PrometheusAgentDaemonSet" {
                gates.prometheus_agent_daemon_set_stated = true;
            }
        }
        Ok(gates)
    }
}

impl fmt::Display for FeatureGates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = FEATURE_GATE_NAMES
            .iter()
            .map(|n| format!("{n}={}", self.enabled(n).unwrap_or(false)))
            .collect();
        f.write_str(&parts.join(","))
    }
}

fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Everything outside the agent's own spec that shapes the operator's output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperatorOptions {
    /// The cluster's Kubernetes (major, minor) version.
    pub kubernetes_version: (u32, u32),
    pub feature_gates: FeatureGates,
    pub config_reloader_image: String,
    pub config_reloader_cpu_request: String,
    pub config_reloader_cpu_limit: String,
    pub config_reloader_memory_request: String,
    pub config_reloader_memory_limit: String,
    pub enable_config_reloader_probes: bool,
    pub default_base_image: String,
    pub localhost: String,
    /// `--labels`, in the order given.
    pub labels: Vec<(String, String)>,
    /// `--annotations`, in the order given.
    pub annotations: Vec<(String, String)>,
    /// Whether the ScrapeConfig CRD is installed (otherwise ScrapeConfigs are never selected).
    pub scrape_config_crd_installed: bool,
    /// Not an operator setting: the labels of namespaces the input has no Namespace object for
    /// (`--namespace-labels`), besides `kubernetes.io/metadata.name`.
    pub namespace_labels: NamespaceLabels,
    /// Not an operator setting: print Secret values in the output instead of [`REDACTED`].
    pub show_secrets: bool,
    /// Not an operator setting: leave out of the config the selected objects the operator rejects
    /// at reconcile time, as its reconcile loop does. By default they are rendered as the config
    /// generator renders them (and reported as warnings).
    pub drop_rejected: bool,
}

/// Label names and values, in order.
pub type Labels = Vec<(String, String)>;

/// Namespaces and the labels given for them.
pub type NamespaceLabels = Vec<(String, Labels)>;

/// What a Secret value is replaced with when secrets are not shown.
pub const REDACTED: &str = "<secret>";

impl Default for OperatorOptions {
    fn default() -> Self {
        OperatorOptions {
            kubernetes_version: DEFAULT_KUBERNETES_VERSION,
            feature_gates: FeatureGates::default(),
            config_reloader_image: DEFAULT_CONFIG_RELOADER_IMAGE.to_string(),
            config_reloader_cpu_request: "10m".into(),
            config_reloader_cpu_limit: "10m".into(),
            config_reloader_memory_request: "50Mi".into(),
            config_reloader_memory_limit: "50Mi".into(),
            enable_config_reloader_probes: false,
            default_base_image: DEFAULT_PROMETHEUS_BASE_IMAGE.to_string(),
            localhost: "localhost".into(),
            labels: Vec::new(),
            annotations: Vec::new(),
            scrape_config_crd_installed: true,
            namespace_labels: Vec::new(),
            show_secrets: false,
            drop_rejected: false,
        }
    }
}

impl OperatorOptions {
    /// EndpointSlice discovery is available from Kubernetes 1.21.
    pub fn endpoint_slice_supported(&self) -> bool {
        self.kubernetes_version >= (1, 21)
    }

    /// The API server adds `topology.kubernetes.io/zone` to pods from Kubernetes 1.35.
    pub fn pod_topology_labels_supported(&self) -> bool {
        self.kubernetes_version >= (1, 35)
    }

    /// The text for a Secret value: itself when secrets are shown, [`REDACTED`] otherwise.
    pub fn secret(&self, value: &str) -> String {
        if self.show_secrets {
            value.to_string()
        } else {
            REDACTED.to_string()
        }
    }
}

/// Reads `1.34`, `v1.34`, `1.34.2` or `v1.34.2-gke.100` as (1, 34).
pub fn parse_kubernetes_version(text: &str) -> Result<(u32, u32), String> {
    let t = text.trim();
    let t = t.strip_prefix('v').unwrap_or(t);
    let mut parts = t.splitn(3, '.');
    let major = parts.next().unwrap_or("");
    let minor = parts.next().unwrap_or("");
    let minor: String = minor.chars().take_while(char::is_ascii_digit).collect();
    match (major.parse::<u32>(), minor.parse::<u32>()) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        _ => Err(format!(
            "invalid Kubernetes version {text:?} (expected MAJOR.MINOR, e.g. 1.34)"
        )),
    }
}

/// Reads `k=v,k2=v2` (the operator's `--labels` / `--annotations`).
pub fn parse_key_values(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let Some((k, v)) = item.split_once('=') else {
            return Err(format!("{item:?} is not KEY=VALUE"));
        };
        let k = k.trim().to_string();
        match out.iter_mut().find(|(key, _)| *key == k) {
            Some(entry) => entry.1 = v.trim().to_string(),
            None => out.push((k, v.trim().to_string())),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_gate_defaults_and_parsing() {
        let g = FeatureGates::default();
        assert!(!g.prometheus_agent_daemon_set && g.prometheus_topology_sharding);
        let g =
            FeatureGates::parse("PrometheusAgentDaemonSet=true,PrometheusTopologySharding=false")
                .unwrap();
        assert!(g.prometheus_agent_daemon_set && !g.prometheus_topology_sharding);
        assert!(
            FeatureGates::parse("PrometheusAgentDaemonSet=T")
                .unwrap()
                .prometheus_agent_daemon_set
        );
        let err = FeatureGates::parse("Nope=true").unwrap_err();
        assert!(err.starts_with("feature gate \"Nope\" is unknown (supported feature gates: PrometheusAgentDaemonSet=false,"), "{err}");
        assert!(FeatureGates::parse("PrometheusAgentDaemonSet=maybe").is_err());
        assert!(FeatureGates::parse("PrometheusAgentDaemonSet").is_err());
    }

    #[test]
    fn kubernetes_versions() {
        assert_eq!(parse_kubernetes_version("1.34").unwrap(), (1, 34));
        assert_eq!(parse_kubernetes_version("v1.20.3-gke.1").unwrap(), (1, 20));
        assert!(parse_kubernetes_version("one").is_err());
        let mut o = OperatorOptions::default();
        assert!(o.endpoint_slice_supported() && o.pod_topology_labels_supported());
        o.kubernetes_version = (1, 34);
        assert!(o.endpoint_slice_supported() && !o.pod_topology_labels_supported());
        o.kubernetes_version = (1, 20);
        assert!(!o.endpoint_slice_supported());
    }

    #[test]
    fn key_values() {
        assert_eq!(
            parse_key_values("a=1, b=2,a=3").unwrap(),
            vec![("a".into(), "3".into()), ("b".into(), "2".into())]
        );
        assert!(parse_key_values("a").is_err());
    }

    #[test]
    fn secrets_are_redacted_unless_shown() {
        let mut o = OperatorOptions::default();
        assert_eq!(o.secret("pw"), REDACTED);
        o.show_secrets = true;
        assert_eq!(o.secret("pw"), "pw");
    }
}
