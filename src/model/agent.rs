//! `PrometheusAgent` (monitoring.coreos.com/v1alpha1): its spec, with every field it shares with
//! `Prometheus`, and its status; remote write, scrape classes, storage, web and sharding settings.

use super::*;
use k8s_openapi::api::apps::v1 as apps;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A `PrometheusAgent` object.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrometheusAgent {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: meta::ObjectMeta,
    pub spec: PrometheusAgentSpec,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<PrometheusStatus>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [
    {
        "rule": "!(has(self.mode) && self.mode == 'DaemonSet' && has(self.replicas))",
        "message": "replicas cannot be set when mode is DaemonSet"
    },
    {
        "rule": "!(has(self.mode) && self.mode == 'DaemonSet' && has(self.storage))",
        "message": "storage cannot be set when mode is DaemonSet"
    },
    {
        "rule": "!(has(self.mode) && self.mode == 'DaemonSet' && has(self.shards) && self.shards > 1)",
        "message": "shards cannot be greater than 1 when mode is DaemonSet"
    },
    {
        "rule": "!(has(self.mode) && self.mode == 'DaemonSet' && has(self.persistentVolumeClaimRetentionPolicy))",
        "message": "persistentVolumeClaimRetentionPolicy cannot be set when mode is DaemonSet"
    },
    {
        "rule": "!(has(self.mode) && self.mode == 'DaemonSet' && has(self.scrapeConfigSelector))",
        "message": "scrapeConfigSelector cannot be set when mode is DaemonSet"
    },
    {
        "rule": "!(has(self.mode) && self.mode == 'DaemonSet' && has(self.probeSelector))",
        "message": "probeSelector cannot be set when mode is DaemonSet"
    },
    {
        "rule": "!(has(self.mode) && self.mode == 'DaemonSet' && has(self.scrapeConfigNamespaceSelector))",
        "message": "scrapeConfigNamespaceSelector cannot be set when mode is DaemonSet"
    },
    {
        "rule": "!(has(self.mode) && self.mode == 'DaemonSet' && has(self.probeNamespaceSelector))",
        "message": "probeNamespaceSelector cannot be set when mode is DaemonSet"
    },
    {
        "rule": "!(has(self.mode) && self.mode == 'DaemonSet' && has(self.serviceMonitorSelector))",
        "message": "serviceMonitorSelector cannot be set when mode is DaemonSet"
    },
    {
        "rule": "!(has(self.mode) && self.mode == 'DaemonSet' && has(self.serviceMonitorNamespaceSelector))",
        "message": "serviceMonitorNamespaceSelector cannot be set when mode is DaemonSet"
    },
    {
        "rule": "!(has(self.mode) && self.mode == 'DaemonSet' && has(self.additionalScrapeConfigs))",
        "message": "additionalScrapeConfigs cannot be set when mode is DaemonSet"
    },
    {
        "rule": "!(has(self.mode) && self.mode == 'DaemonSet' && has(self.shardingStrategy))",
        "message": "shardingStrategy cannot be set when mode is DaemonSet"
    },
    {
        "rule": "!has(self.shardingStrategy) || !has(self.shardingStrategy.mode) || self.shardingStrategy.mode != 'Topology' || !has(self.shardingStrategy.topology) || !has(self.shardingStrategy.topology.values) || self.shardingStrategy.topology.values.size() == 0 || (has(self.shards) ? self.shards : 1) >= self.shardingStrategy.topology.values.size()",
        "message": "shards must be greater than or equal to the number of topology values when sharding strategy mode is Topology"
    }
]))]
pub struct PrometheusAgentSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<PrometheusAgentMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_metadata: Option<EmbeddedObjectMetadata>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_monitor_selector: Option<meta::LabelSelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_monitor_namespace_selector: Option<meta::LabelSelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_monitor_selector: Option<meta::LabelSelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_monitor_namespace_selector: Option<meta::LabelSelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probe_selector: Option<meta::LabelSelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probe_namespace_selector: Option<meta::LabelSelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scrape_config_selector: Option<meta::LabelSelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scrape_config_namespace_selector: Option<meta::LabelSelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paused: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["", "Always", "Never", "IfNotPresent"]))]
    pub image_pull_policy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_pull_secrets: Option<Vec<core::LocalObjectReference>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = 1))]
    pub shards: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharding_strategy: Option<ShardingStrategy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replica_external_label_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prometheus_external_label_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["", "debug", "info", "warn", "error"]))]
    pub log_level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["", "logfmt", "json"]))]
    pub log_format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    #[schemars(extend("default" = "30s"))]
    pub scrape_interval: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub scrape_timeout: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-list-type" = "set"))]
    pub scrape_protocols: Option<Vec<ScrapeProtocol>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_labels: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_remote_write_receiver: Option<bool>,
    #[serde(rename = "enableOTLPReceiver", skip_serializing_if = "Option::is_none")]
    pub enable_otlp_receiver: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    #[schemars(extend("x-kubernetes-list-type" = "set"))]
    pub remote_write_receiver_message_versions: Option<Vec<RemoteWriteMessageVersion>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-list-type" = "set"))]
    #[schemars(inner(length(min = 1)))]
    pub enable_features: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage: Option<StorageSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volumes: Option<Vec<core::Volume>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_mounts: Option<Vec<core::VolumeMount>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persistent_volume_claim_retention_policy:
        Option<apps::StatefulSetPersistentVolumeClaimRetentionPolicy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web: Option<PrometheusWebSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<core::ResourceRequirements>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub scheduler_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub automount_service_account_token: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-list-type" = "set"))]
    pub secrets: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_maps: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affinity: Option<core::Affinity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tolerations: Option<Vec<core::Toleration>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topology_spread_constraints: Option<Vec<TopologySpreadConstraint>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_write: Option<Vec<RemoteWriteSpec>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub otlp: Option<OtlpConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_context: Option<core::PodSecurityContext>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns_policy: Option<DnsPolicy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns_config: Option<PodDnsConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen_local: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_management_policy: Option<PodManagementPolicyType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_strategy: Option<StatefulSetUpdateStrategy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_service_links: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub containers: Option<Vec<core::Container>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub init_containers: Option<Vec<core::Container>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_scrape_configs: Option<core::SecretKeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub apiserver_config: Option<ApiServerConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority_class_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = "web"))]
    pub port_name: Option<String>,
    #[serde(
        rename = "arbitraryFSAccessThroughSMs",
        skip_serializing_if = "Option::is_none"
    )]
    pub arbitrary_fs_access_through_s_ms: Option<ArbitraryFsAccessThroughSMsConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_honor_labels: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_honor_timestamps: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ignore_namespace_selectors: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enforced_namespace_label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub enforced_sample_limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub enforced_target_limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub enforced_label_limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub enforced_label_name_length_limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub enforced_label_value_length_limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub enforced_keep_dropped_targets: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = BYTE_SIZE_PATTERN))]
    pub enforced_body_size_limit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_validation_scheme: Option<NameValidationSchemeOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_escaping_scheme: Option<NameEscapingSchemeOptions>,
    #[serde(
        rename = "convertClassicHistogramsToNHCB",
        skip_serializing_if = "Option::is_none"
    )]
    pub convert_classic_histograms_to_nhcb: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scrape_native_histograms: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scrape_classic_histograms: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub min_ready_seconds: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-list-map-keys" = ["ip"], "x-kubernetes-list-type" = "map"))]
    pub host_aliases: Option<Vec<HostAlias>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_args: Option<Vec<Argument>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wal_compression: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excluded_from_enforcement: Option<Vec<ObjectReference>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_network: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_target_labels: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracing_config: Option<TracingConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = BYTE_SIZE_PATTERN))]
    pub body_size_limit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub sample_limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub target_limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub label_limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub label_name_length_limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub label_value_length_limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub keep_dropped_targets: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reload_strategy: Option<ReloadStrategyType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 60))]
    pub maximum_startup_duration_seconds: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-list-map-keys" = ["name"], "x-kubernetes-list-type" = "map"))]
    pub scrape_classes: Option<Vec<ScrapeClass>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_discovery_role: Option<ServiceDiscoveryRole>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tsdb: Option<TsdbSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub scrape_failure_log_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub service_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime: Option<RuntimeConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub termination_grace_period_seconds: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_users: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiServerConfig {
    pub host: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bearer_token_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<TlsConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<Authorization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bearer_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = PROXY_URL_PATTERN))]
    pub proxy_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_proxy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy_from_environment: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-map-type" = "atomic"))]
    pub proxy_connect_header: Option<BTreeMap<String, Vec<core::SecretKeySelector>>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Authorization {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credentials: Option<core::SecretKeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credentials_file: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OtlpConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promote_all_resource_attributes: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    #[schemars(extend("x-kubernetes-list-type" = "set"))]
    #[schemars(inner(length(min = 1)))]
    pub ignore_resource_attributes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    #[schemars(extend("x-kubernetes-list-type" = "set"))]
    #[schemars(inner(length(min = 1)))]
    pub promote_resource_attributes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translation_strategy: Option<TranslationStrategyOption>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keep_identifying_resource_attributes: Option<bool>,
    #[serde(
        rename = "convertHistogramsToNHCB",
        skip_serializing_if = "Option::is_none"
    )]
    pub convert_histograms_to_nhcb: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promote_scope_metadata: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_name_underscore_sanitization: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_name_preserve_multiple_underscores: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RemoteWriteSpec {
    #[schemars(regex(pattern = URL_PATTERN))]
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_version: Option<RemoteWriteMessageVersion>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub send_exemplars: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub send_native_histograms: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub remote_timeout: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub write_relabel_configs: Option<Vec<RelabelConfig>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<OAuth2>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bearer_token_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<Authorization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sigv4: Option<Sigv4>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub azure_ad: Option<AzureAd>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bearer_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<TlsConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = PROXY_URL_PATTERN))]
    pub proxy_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_proxy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy_from_environment: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-map-type" = "atomic"))]
    pub proxy_connect_header: Option<BTreeMap<String, Vec<core::SecretKeySelector>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_redirects: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue_config: Option<QueueConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata_config: Option<MetadataConfig>,
    #[serde(rename = "enableHTTP2", skip_serializing_if = "Option::is_none")]
    pub enable_http2: Option<bool>,
    #[serde(rename = "roundRobinDNS", skip_serializing_if = "Option::is_none")]
    pub round_robin_dns: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AzureAd {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["AzureChina", "AzureGovernment", "AzurePublic"]))]
    pub cloud: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub managed_identity: Option<ManagedIdentity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth: Option<AzureOAuth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sdk: Option<AzureSdk>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload_identity: Option<AzureWorkloadIdentity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r#"^[\w\s:/.\\-]+$"#))]
    pub scope: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ManagedIdentity {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub client_id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AzureOAuth {
    #[schemars(length(min = 1))]
    pub client_id: String,
    pub client_secret: core::SecretKeySelector,
    #[schemars(regex(pattern = "^[0-9a-zA-Z-.]+$"))]
    #[schemars(length(min = 1))]
    pub tenant_id: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AzureSdk {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = "^[0-9a-zA-Z-.]+$"))]
    pub tenant_id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AzureWorkloadIdentity {
    #[schemars(length(min = 1))]
    pub client_id: String,
    #[schemars(length(min = 1))]
    pub tenant_id: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MetadataConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub send: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub send_interval: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = -1))]
    pub max_samples_per_send: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueueConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(transform = unformatted_integer)]
    pub capacity: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(transform = unformatted_integer)]
    pub min_shards: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(transform = unformatted_integer)]
    pub max_shards: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(transform = unformatted_integer)]
    pub max_samples_per_send: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub batch_send_deadline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(transform = unformatted_integer)]
    pub max_retries: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub min_backoff: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub max_backoff: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_on_rate_limit: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub sample_age_limit: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [
    {
        "rule": "!has(self.externalId) || has(self.roleArn)",
        "message": "externalId can only be used when roleArn is specified"
    }
]))]
pub struct Sigv4 {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_key: Option<core::SecretKeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_key: Option<core::SecretKeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub external_id: Option<String>,
    #[serde(rename = "useFIPSSTSEndpoint", skip_serializing_if = "Option::is_none")]
    pub use_fipssts_endpoint: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RelabelConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_labels: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub separator: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub modulus: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = "replace", "enum" = ["replace", "Replace", "keep", "Keep", "drop", "Drop", "hashmod", "HashMod", "labelmap", "LabelMap", "labeldrop", "LabelDrop", "labelkeep", "LabelKeep", "lowercase", "Lowercase", "uppercase", "Uppercase", "keepequal", "KeepEqual", "dropequal", "DropEqual"]))]
    pub action: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeConfig {
    #[serde(rename = "goGC", skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = -1))]
    pub go_gc: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScrapeClass {
    #[schemars(length(min = 1))]
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback_scrape_protocol: Option<ScrapeProtocol>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<TlsConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<Authorization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relabelings: Option<Vec<RelabelConfig>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric_relabelings: Option<Vec<RelabelConfig>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attach_metadata: Option<AttachMetadata>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [
    {
        "rule": "!has(self.topology) || (has(self.mode) && self.mode == 'Topology')",
        "message": "topology can only be defined when mode is set to 'Topology'"
    }
]))]
pub struct ShardingStrategy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<ShardingStrategyMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topology: Option<TopologyShardingStrategy>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TopologyShardingStrategy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_label_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-list-type" = "atomic"))]
    pub values: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StorageSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_mount_sub_path: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub empty_dir: Option<core::EmptyDirVolumeSource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ephemeral: Option<core::EphemeralVolumeSource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume_claim_template: Option<EmbeddedPersistentVolumeClaim>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(transform = core_topology_markers)]
pub struct TopologySpreadConstraint {
    #[serde(flatten)]
    pub topology_spread_constraint: core::TopologySpreadConstraint,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_label_selectors: Option<AdditionalLabelSelectors>,
}

/// The flattened core fields keep the markers of `core::TopologySpreadConstraint`.
fn core_topology_markers(schema: &mut schemars::Schema) {
    crate::crd::add_core_markers("io.k8s.api.core.v1.TopologySpreadConstraint", schema);
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TsdbSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub out_of_order_time_window: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale_series_compaction_threshold: Option<Quantity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chunk_encoding: Option<ChunkEncodingSpec>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChunkEncodingSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub floats: Option<ChunkEncodingFloats>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PrometheusWebSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<WebTlsConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_config: Option<WebHttpConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub max_connections: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PrometheusStatus {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paused: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_replicas: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_replicas: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unavailable_replicas: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-list-map-keys" = ["type"], "x-kubernetes-list-type" = "map"))]
    pub conditions: Option<Vec<Condition>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-list-map-keys" = ["shardID"], "x-kubernetes-list-type" = "map"))]
    pub shard_statuses: Option<Vec<ShardStatus>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shards: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShardStatus {
    #[serde(rename = "shardID")]
    pub shard_id: String,
    pub replicas: i32,
    pub updated_replicas: i32,
    pub available_replicas: i32,
    pub unavailable_replicas: i32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SafeAuthorization {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credentials: Option<core::SecretKeySelector>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum PrometheusAgentMode {
    StatefulSet,
    DaemonSet,
}

impl PrometheusAgentMode {
    pub fn as_str(self) -> &'static str {
        match self {
            PrometheusAgentMode::StatefulSet => "StatefulSet",
            PrometheusAgentMode::DaemonSet => "DaemonSet",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum NameEscapingSchemeOptions {
    AllowUTF8,
    Underscores,
    Dots,
    Values,
}

impl NameEscapingSchemeOptions {
    pub fn as_str(self) -> &'static str {
        match self {
            NameEscapingSchemeOptions::AllowUTF8 => "AllowUTF8",
            NameEscapingSchemeOptions::Underscores => "Underscores",
            NameEscapingSchemeOptions::Dots => "Dots",
            NameEscapingSchemeOptions::Values => "Values",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum NameValidationSchemeOptions {
    #[serde(rename = "UTF8")]
    Utf8,
    Legacy,
}

impl NameValidationSchemeOptions {
    pub fn as_str(self) -> &'static str {
        match self {
            NameValidationSchemeOptions::Utf8 => "UTF8",
            NameValidationSchemeOptions::Legacy => "Legacy",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum TranslationStrategyOption {
    NoUTF8EscapingWithSuffixes,
    UnderscoreEscapingWithSuffixes,
    NoTranslation,
    UnderscoreEscapingWithoutSuffixes,
}

impl TranslationStrategyOption {
    pub fn as_str(self) -> &'static str {
        match self {
            TranslationStrategyOption::NoUTF8EscapingWithSuffixes => "NoUTF8EscapingWithSuffixes",
            TranslationStrategyOption::UnderscoreEscapingWithSuffixes => {
                "UnderscoreEscapingWithSuffixes"
            }
            TranslationStrategyOption::NoTranslation => "NoTranslation",
            TranslationStrategyOption::UnderscoreEscapingWithoutSuffixes => {
                "UnderscoreEscapingWithoutSuffixes"
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum ReloadStrategyType {
    #[serde(rename = "HTTP")]
    Http,
    ProcessSignal,
}

impl ReloadStrategyType {
    pub fn as_str(self) -> &'static str {
        match self {
            ReloadStrategyType::Http => "HTTP",
            ReloadStrategyType::ProcessSignal => "ProcessSignal",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum RemoteWriteMessageVersion {
    #[serde(rename = "V1.0")]
    V1,
    #[serde(rename = "V2.0")]
    V2,
}

impl RemoteWriteMessageVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            RemoteWriteMessageVersion::V1 => "V1.0",
            RemoteWriteMessageVersion::V2 => "V2.0",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum ScrapeProtocol {
    PrometheusProto,
    #[serde(rename = "OpenMetricsText0.0.1")]
    OpenMetricsText001,
    #[serde(rename = "OpenMetricsText1.0.0")]
    OpenMetricsText100,
    #[serde(rename = "PrometheusText0.0.4")]
    PrometheusText004,
    #[serde(rename = "PrometheusText1.0.0")]
    PrometheusText100,
}

impl ScrapeProtocol {
    pub fn as_str(self) -> &'static str {
        match self {
            ScrapeProtocol::PrometheusProto => "PrometheusProto",
            ScrapeProtocol::OpenMetricsText001 => "OpenMetricsText0.0.1",
            ScrapeProtocol::OpenMetricsText100 => "OpenMetricsText1.0.0",
            ScrapeProtocol::PrometheusText004 => "PrometheusText0.0.4",
            ScrapeProtocol::PrometheusText100 => "PrometheusText1.0.0",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum ServiceDiscoveryRole {
    Endpoints,
    EndpointSlice,
}

impl ServiceDiscoveryRole {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceDiscoveryRole::Endpoints => "Endpoints",
            ServiceDiscoveryRole::EndpointSlice => "EndpointSlice",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum ShardingStrategyMode {
    Address,
    Topology,
}

impl ShardingStrategyMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ShardingStrategyMode::Address => "Address",
            ShardingStrategyMode::Topology => "Topology",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum AdditionalLabelSelectors {
    OnResource,
    OnShard,
}

impl AdditionalLabelSelectors {
    pub fn as_str(self) -> &'static str {
        match self {
            AdditionalLabelSelectors::OnResource => "OnResource",
            AdditionalLabelSelectors::OnShard => "OnShard",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum ChunkEncodingFloats {
    Xor,
    Xor2,
}

impl ChunkEncodingFloats {
    pub fn as_str(self) -> &'static str {
        match self {
            ChunkEncodingFloats::Xor => "Xor",
            ChunkEncodingFloats::Xor2 => "Xor2",
        }
    }
}
