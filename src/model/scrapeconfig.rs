//! `ScrapeConfig` (monitoring.coreos.com/v1alpha1): a raw scrape job with static targets or any of
//! the service-discovery mechanisms Prometheus supports.

use super::*;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A `ScrapeConfig` object.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScrapeConfig {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: meta::ObjectMeta,
    pub spec: ScrapeConfigSpec,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ConfigResourceStatus>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [
    {
        "rule": "[has(self.basicAuth), has(self.authorization), has(self.oauth2)].filter(x, x).size() <= 1",
        "message": "at most one of basicAuth, authorization, or oauth2 can be configured"
    }
]))]
pub struct ScrapeConfigSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub job_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub static_configs: Option<Vec<StaticConfig>>,
    #[serde(rename = "fileSDConfigs", skip_serializing_if = "Option::is_none")]
    pub file_sd_configs: Option<Vec<FileSdConfig>>,
    #[serde(rename = "httpSDConfigs", skip_serializing_if = "Option::is_none")]
    pub http_sd_configs: Option<Vec<HttpsdConfig>>,
    #[serde(
        rename = "kubernetesSDConfigs",
        skip_serializing_if = "Option::is_none"
    )]
    pub kubernetes_sd_configs: Option<Vec<KubernetesSdConfig>>,
    #[serde(rename = "consulSDConfigs", skip_serializing_if = "Option::is_none")]
    pub consul_sd_configs: Option<Vec<ConsulSdConfig>>,
    #[serde(rename = "dnsSDConfigs", skip_serializing_if = "Option::is_none")]
    pub dns_sd_configs: Option<Vec<DnssdConfig>>,
    #[serde(rename = "ec2SDConfigs", skip_serializing_if = "Option::is_none")]
    pub ec2_sd_configs: Option<Vec<Ec2SdConfig>>,
    #[serde(rename = "azureSDConfigs", skip_serializing_if = "Option::is_none")]
    pub azure_sd_configs: Option<Vec<AzureSdConfig>>,
    #[serde(rename = "gceSDConfigs", skip_serializing_if = "Option::is_none")]
    pub gce_sd_configs: Option<Vec<GcesdConfig>>,
    #[serde(rename = "openstackSDConfigs", skip_serializing_if = "Option::is_none")]
    pub openstack_sd_configs: Option<Vec<OpenStackSdConfig>>,
    #[serde(
        rename = "digitalOceanSDConfigs",
        skip_serializing_if = "Option::is_none"
    )]
    pub digital_ocean_sd_configs: Option<Vec<DigitalOceanSdConfig>>,
    #[serde(rename = "kumaSDConfigs", skip_serializing_if = "Option::is_none")]
    pub kuma_sd_configs: Option<Vec<KumaSdConfig>>,
    #[serde(rename = "eurekaSDConfigs", skip_serializing_if = "Option::is_none")]
    pub eureka_sd_configs: Option<Vec<EurekaSdConfig>>,
    #[serde(rename = "dockerSDConfigs", skip_serializing_if = "Option::is_none")]
    pub docker_sd_configs: Option<Vec<DockerSdConfig>>,
    #[serde(rename = "linodeSDConfigs", skip_serializing_if = "Option::is_none")]
    pub linode_sd_configs: Option<Vec<LinodeSdConfig>>,
    #[serde(rename = "hetznerSDConfigs", skip_serializing_if = "Option::is_none")]
    pub hetzner_sd_configs: Option<Vec<HetznerSdConfig>>,
    #[serde(rename = "nomadSDConfigs", skip_serializing_if = "Option::is_none")]
    pub nomad_sd_configs: Option<Vec<NomadSdConfig>>,
    #[serde(
        rename = "dockerSwarmSDConfigs",
        skip_serializing_if = "Option::is_none"
    )]
    pub docker_swarm_sd_configs: Option<Vec<DockerSwarmSdConfig>>,
    #[serde(rename = "puppetDBSDConfigs", skip_serializing_if = "Option::is_none")]
    pub puppet_dbsd_configs: Option<Vec<PuppetDbsdConfig>>,
    #[serde(rename = "lightSailSDConfigs", skip_serializing_if = "Option::is_none")]
    pub light_sail_sd_configs: Option<Vec<LightSailSdConfig>>,
    #[serde(rename = "ovhcloudSDConfigs", skip_serializing_if = "Option::is_none")]
    pub ovhcloud_sd_configs: Option<Vec<OvhCloudSdConfig>>,
    #[serde(rename = "scalewaySDConfigs", skip_serializing_if = "Option::is_none")]
    pub scaleway_sd_configs: Option<Vec<ScalewaySdConfig>>,
    #[serde(rename = "ionosSDConfigs", skip_serializing_if = "Option::is_none")]
    pub ionos_sd_configs: Option<Vec<IonosSdConfig>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub relabelings: Option<Vec<RelabelConfig>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub metrics_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub scrape_interval: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub scrape_timeout: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    #[schemars(extend("x-kubernetes-list-type" = "set"))]
    pub scrape_protocols: Option<Vec<ScrapeProtocol>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback_scrape_protocol: Option<ScrapeProtocol>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub honor_timestamps: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub track_timestamps_staleness: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub honor_labels: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-map-type" = "atomic"))]
    pub params: Option<BTreeMap<String, Vec<String>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheme: Option<Scheme>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_compression: Option<bool>,
    #[serde(rename = "enableHTTP2", skip_serializing_if = "Option::is_none")]
    pub enable_http2: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<SafeAuthorization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<OAuth2>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<SafeTlsConfig>,
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
    #[schemars(regex(pattern = BYTE_SIZE_PATTERN))]
    pub body_size_limit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scrape_native_histograms: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scrape_classic_histograms: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub native_histogram_bucket_limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub native_histogram_min_bucket_factor: Option<Quantity>,
    #[serde(
        rename = "convertClassicHistogramsToNHCB",
        skip_serializing_if = "Option::is_none"
    )]
    pub convert_classic_histograms_to_nhcb: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub keep_dropped_targets: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub metric_relabelings: Option<Vec<RelabelConfig>>,
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
    pub name_validation_scheme: Option<NameValidationSchemeOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_escaping_scheme: Option<NameEscapingSchemeOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub scrape_class: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AzureSdConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub environment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_method: Option<AuthenticationMethodType>,
    #[serde(rename = "subscriptionID")]
    #[schemars(length(min = 1))]
    pub subscription_id: String,
    #[serde(rename = "tenantID", skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub tenant_id: Option<String>,
    #[serde(rename = "clientID", skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<core::SecretKeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub resource_group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub refresh_interval: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 65535))]
    pub port: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<SafeAuthorization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<OAuth2>,
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
    #[serde(rename = "enableHTTP2", skip_serializing_if = "Option::is_none")]
    pub enable_http2: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<SafeTlsConfig>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConsulSdConfig {
    #[schemars(length(min = 1))]
    pub server: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub path_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_ref: Option<core::SecretKeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub datacenter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub namespace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub partition: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheme: Option<Scheme>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-list-type" = "set"))]
    pub services: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-list-type" = "set"))]
    pub tags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub tag_separator: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-map-type" = "atomic"))]
    pub node_meta: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub filter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub health_filter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_stale: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub refresh_interval: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<SafeAuthorization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<OAuth2>,
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
    #[serde(rename = "enableHTTP2", skip_serializing_if = "Option::is_none")]
    pub enable_http2: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<SafeTlsConfig>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DigitalOceanSdConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<SafeAuthorization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<OAuth2>,
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
    #[serde(rename = "enableHTTP2", skip_serializing_if = "Option::is_none")]
    pub enable_http2: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<SafeTlsConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 65535))]
    pub port: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub refresh_interval: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DnssdConfig {
    #[schemars(length(min = 1))]
    #[schemars(inner(length(min = 1)))]
    pub names: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub refresh_interval: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<DnsRecordType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 65535))]
    pub port: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DockerSdConfig {
    #[schemars(regex(pattern = "^[a-zA-Z][a-zA-Z0-9+.-]*://.+$"))]
    #[schemars(length(min = 1))]
    pub host: String,
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
    pub tls_config: Option<SafeTlsConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 65535))]
    pub port: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub host_networking_host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub match_first_network: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-list-map-keys" = ["name"], "x-kubernetes-list-type" = "map"))]
    pub filters: Option<Vec<Filter>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub refresh_interval: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<SafeAuthorization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<OAuth2>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_redirects: Option<bool>,
    #[serde(rename = "enableHTTP2", skip_serializing_if = "Option::is_none")]
    pub enable_http2: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Filter {
    #[schemars(length(min = 1))]
    pub name: String,
    #[schemars(length(min = 1))]
    #[schemars(extend("x-kubernetes-list-type" = "set"))]
    #[schemars(inner(length(min = 1)))]
    pub values: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DockerSwarmSdConfig {
    #[schemars(regex(pattern = "^[a-zA-Z][a-zA-Z0-9+.-]*://.+$"))]
    pub host: String,
    #[schemars(extend("enum" = ["Services", "Tasks", "Nodes"]))]
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 65535))]
    pub port: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-list-map-keys" = ["name"], "x-kubernetes-list-type" = "map"))]
    pub filters: Option<Vec<Filter>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub refresh_interval: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<SafeAuthorization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<OAuth2>,
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
    pub tls_config: Option<SafeTlsConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_redirects: Option<bool>,
    #[serde(rename = "enableHTTP2", skip_serializing_if = "Option::is_none")]
    pub enable_http2: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Ec2SdConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_key: Option<core::SecretKeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_key: Option<core::SecretKeySelector>,
    #[serde(rename = "roleARN", skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub role_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 65535))]
    pub port: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub refresh_interval: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-list-map-keys" = ["name"], "x-kubernetes-list-type" = "map"))]
    pub filters: Option<Vec<Filter>>,
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
    pub tls_config: Option<SafeTlsConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_redirects: Option<bool>,
    #[serde(rename = "enableHTTP2", skip_serializing_if = "Option::is_none")]
    pub enable_http2: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EurekaSdConfig {
    #[schemars(regex(pattern = HTTP_URL_PATTERN))]
    pub server: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<SafeAuthorization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<OAuth2>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<SafeTlsConfig>,
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
    #[serde(rename = "enableHTTP2", skip_serializing_if = "Option::is_none")]
    pub enable_http2: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub refresh_interval: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FileSdConfig {
    #[schemars(length(min = 1))]
    #[schemars(extend("x-kubernetes-list-type" = "set"))]
    #[schemars(inner(regex(pattern = r#"^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$"#)))]
    pub files: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub refresh_interval: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GcesdConfig {
    #[schemars(length(min = 1))]
    pub project: String,
    #[schemars(length(min = 1))]
    pub zone: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub filter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub refresh_interval: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 65535))]
    pub port: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub tag_separator: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HetznerSdConfig {
    #[schemars(extend("enum" = ["hcloud", "Hcloud", "robot", "Robot"]))]
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<SafeAuthorization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<OAuth2>,
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
    #[serde(rename = "enableHTTP2", skip_serializing_if = "Option::is_none")]
    pub enable_http2: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<SafeTlsConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 65535))]
    pub port: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub refresh_interval: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub label_selector: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HttpsdConfig {
    #[schemars(regex(pattern = HTTP_URL_PATTERN))]
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub refresh_interval: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<SafeAuthorization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<OAuth2>,
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
    pub tls_config: Option<SafeTlsConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_redirects: Option<bool>,
    #[serde(rename = "enableHTTP2", skip_serializing_if = "Option::is_none")]
    pub enable_http2: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct IonosSdConfig {
    #[serde(rename = "datacenterID")]
    #[schemars(length(min = 1))]
    pub datacenter_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 65535))]
    pub port: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub refresh_interval: Option<String>,
    pub authorization: SafeAuthorization,
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
    pub tls_config: Option<SafeTlsConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_redirects: Option<bool>,
    #[serde(rename = "enableHTTP2", skip_serializing_if = "Option::is_none")]
    pub enable_http2: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<OAuth2>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct KubernetesSdConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub api_server: Option<String>,
    pub role: KubernetesRole,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespaces: Option<NamespaceDiscovery>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attach_metadata: Option<KubernetesSdAttachMetadata>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-list-map-keys" = ["role"], "x-kubernetes-list-type" = "map"))]
    pub selectors: Option<Vec<K8SSelectorConfig>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<SafeAuthorization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<OAuth2>,
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
    #[serde(rename = "enableHTTP2", skip_serializing_if = "Option::is_none")]
    pub enable_http2: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<SafeTlsConfig>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct KubernetesSdAttachMetadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceDiscovery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub own_namespace: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-list-type" = "set"))]
    pub names: Option<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct K8SSelectorConfig {
    pub role: KubernetesRole,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub field: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct KumaSdConfig {
    #[schemars(regex(pattern = HTTP_URL_PATTERN))]
    pub server: String,
    #[serde(rename = "clientID", skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub refresh_interval: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub fetch_timeout: Option<String>,
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
    pub tls_config: Option<SafeTlsConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<SafeAuthorization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<OAuth2>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_redirects: Option<bool>,
    #[serde(rename = "enableHTTP2", skip_serializing_if = "Option::is_none")]
    pub enable_http2: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LightSailSdConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_key: Option<core::SecretKeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_key: Option<core::SecretKeySelector>,
    #[serde(rename = "roleARN", skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub role_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub refresh_interval: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 65535))]
    pub port: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<SafeAuthorization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<OAuth2>,
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
    pub tls_config: Option<SafeTlsConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_redirects: Option<bool>,
    #[serde(rename = "enableHTTP2", skip_serializing_if = "Option::is_none")]
    pub enable_http2: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LinodeSdConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 65535))]
    pub port: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub tag_separator: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub refresh_interval: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<SafeAuthorization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<OAuth2>,
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
    pub tls_config: Option<SafeTlsConfig>,
    #[serde(rename = "enableHTTP2", skip_serializing_if = "Option::is_none")]
    pub enable_http2: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct NomadSdConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_stale: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub namespace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub refresh_interval: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub region: Option<String>,
    #[schemars(regex(pattern = HTTP_URL_PATTERN))]
    pub server: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub tag_separator: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<SafeAuthorization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<OAuth2>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<SafeTlsConfig>,
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
    #[serde(rename = "enableHTTP2", skip_serializing_if = "Option::is_none")]
    pub enable_http2: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OpenStackSdConfig {
    pub role: OpenStackRole,
    #[schemars(length(min = 1))]
    pub region: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = HTTP_URL_PATTERN))]
    pub identity_endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub userid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<core::SecretKeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub domain_name: Option<String>,
    #[serde(rename = "domainID", skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub domain_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub project_name: Option<String>,
    #[serde(rename = "projectID", skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub project_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub application_credential_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub application_credential_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_credential_secret: Option<core::SecretKeySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub all_tenants: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub refresh_interval: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 65535))]
    pub port: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["Public", "public", "Admin", "admin", "Internal", "internal"]))]
    pub availability: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<SafeTlsConfig>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OvhCloudSdConfig {
    #[schemars(length(min = 1))]
    pub application_key: String,
    pub application_secret: core::SecretKeySelector,
    pub consumer_key: core::SecretKeySelector,
    pub service: OvhService,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub refresh_interval: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PuppetDbsdConfig {
    #[schemars(regex(pattern = HTTP_URL_PATTERN))]
    pub url: String,
    #[schemars(length(min = 1))]
    pub query: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_parameters: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub refresh_interval: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 65535))]
    pub port: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<SafeAuthorization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<OAuth2>,
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
    pub tls_config: Option<SafeTlsConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_redirects: Option<bool>,
    #[serde(rename = "enableHTTP2", skip_serializing_if = "Option::is_none")]
    pub enable_http2: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScalewaySdConfig {
    #[schemars(length(min = 1))]
    pub access_key: String,
    pub secret_key: core::SecretKeySelector,
    #[serde(rename = "projectID")]
    #[schemars(length(min = 1))]
    pub project_id: String,
    pub role: ScalewayRole,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 65535))]
    pub port: Option<i32>,
    #[serde(rename = "apiURL", skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = HTTP_URL_PATTERN))]
    pub api_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub zone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub name_filter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    #[schemars(extend("x-kubernetes-list-type" = "set"))]
    #[schemars(inner(length(min = 1)))]
    pub tags_filter: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub refresh_interval: Option<String>,
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
    #[serde(rename = "enableHTTP2", skip_serializing_if = "Option::is_none")]
    pub enable_http2: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<SafeTlsConfig>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StaticConfig {
    #[schemars(length(min = 1))]
    #[schemars(extend("x-kubernetes-list-type" = "set"))]
    #[schemars(inner(length(min = 1)))]
    pub targets: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-map-type" = "atomic"))]
    pub labels: Option<BTreeMap<String, String>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum AuthenticationMethodType {
    OAuth,
    ManagedIdentity,
    #[serde(rename = "SDK")]
    Sdk,
    WorkloadIdentity,
}

impl AuthenticationMethodType {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthenticationMethodType::OAuth => "OAuth",
            AuthenticationMethodType::ManagedIdentity => "ManagedIdentity",
            AuthenticationMethodType::Sdk => "SDK",
            AuthenticationMethodType::WorkloadIdentity => "WorkloadIdentity",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum DnsRecordType {
    A,
    #[serde(rename = "AAAA")]
    Aaaa,
    #[serde(rename = "MX")]
    Mx,
    #[serde(rename = "NS")]
    Ns,
    #[serde(rename = "SRV")]
    Srv,
}

impl DnsRecordType {
    pub fn as_str(self) -> &'static str {
        match self {
            DnsRecordType::A => "A",
            DnsRecordType::Aaaa => "AAAA",
            DnsRecordType::Mx => "MX",
            DnsRecordType::Ns => "NS",
            DnsRecordType::Srv => "SRV",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum KubernetesRole {
    Pod,
    Endpoints,
    Ingress,
    Service,
    Node,
    EndpointSlice,
}

impl KubernetesRole {
    pub fn as_str(self) -> &'static str {
        match self {
            KubernetesRole::Pod => "Pod",
            KubernetesRole::Endpoints => "Endpoints",
            KubernetesRole::Ingress => "Ingress",
            KubernetesRole::Service => "Service",
            KubernetesRole::Node => "Node",
            KubernetesRole::EndpointSlice => "EndpointSlice",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum OpenStackRole {
    Instance,
    Hypervisor,
    LoadBalancer,
}

impl OpenStackRole {
    pub fn as_str(self) -> &'static str {
        match self {
            OpenStackRole::Instance => "Instance",
            OpenStackRole::Hypervisor => "Hypervisor",
            OpenStackRole::LoadBalancer => "LoadBalancer",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum OvhService {
    #[serde(rename = "VPS")]
    Vps,
    DedicatedServer,
}

impl OvhService {
    pub fn as_str(self) -> &'static str {
        match self {
            OvhService::Vps => "VPS",
            OvhService::DedicatedServer => "DedicatedServer",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum ScalewayRole {
    Instance,
    Baremetal,
}

impl ScalewayRole {
    pub fn as_str(self) -> &'static str {
        match self {
            ScalewayRole::Instance => "Instance",
            ScalewayRole::Baremetal => "Baremetal",
        }
    }
}
