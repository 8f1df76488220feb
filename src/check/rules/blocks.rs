//! Where an object keeps its HTTP client settings (auth, TLS, proxy, OAuth2) and which of the
//! operator's checks apply to each place: PodMonitor/ServiceMonitor endpoints, the Probe spec
//! and prober, the ScrapeConfig spec and every service-discovery entry, remote-write entries,
//! the API server config and scrape classes.

use super::context::{Kind, Target};
use crate::select::view::View;

/// When the operator resolves `bearerTokenSecret`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BearerRule {
    /// Never looked up here.
    No,
    /// When the field is set (Probe).
    IfSet,
    /// When its name is non-empty (ServiceMonitor endpoints).
    IfName,
    /// When name and key are non-empty (PodMonitor endpoints).
    IfNameAndKey,
}

/// One place holding client settings, with the checks the operator runs on it.
#[derive(Clone, Debug)]
pub struct Block<'a> {
    pub view: View<'a>,
    /// `tlsConfig` may hold `caFile`/`certFile`/`keyFile` (validated as `TLSConfig`).
    pub tls_files: bool,
    /// The auth-exclusivity and `authorization` checks of `HTTPConfig.Validate` run.
    pub http_validate: bool,
    /// `authorization` is the variant with `credentialsFile` (remote write, API server).
    pub authz_with_file: bool,
    /// Where the proxy fields live and whether `ProxyConfig.Validate` runs on them.
    pub proxy: Option<View<'a>>,
    pub proxy_validate: bool,
    pub bearer: BearerRule,
    pub basic_auth: bool,
    pub oauth2: bool,
    pub authorization: bool,
    pub tls: bool,
}

impl<'a> Block<'a> {
    fn monitor(view: View<'a>) -> Self {
        Block {
            proxy: Some(view.clone()),
            view,
            tls_files: false,
            http_validate: false,
            authz_with_file: false,
            proxy_validate: true,
            bearer: BearerRule::No,
            basic_auth: true,
            oauth2: true,
            authorization: true,
            tls: true,
        }
    }
}

/// Service-discovery lists of a ScrapeConfig whose entries carry client settings.
pub const SD_WITH_CLIENT: [&str; 18] = [
    "httpSDConfigs",
    "kubernetesSDConfigs",
    "consulSDConfigs",
    "ec2SDConfigs",
    "azureSDConfigs",
    "openstackSDConfigs",
    "digitalOceanSDConfigs",
    "kumaSDConfigs",
    "eurekaSDConfigs",
    "dockerSDConfigs",
    "linodeSDConfigs",
    "hetznerSDConfigs",
    "nomadSDConfigs",
    "dockerSwarmSDConfigs",
    "puppetDBSDConfigs",
    "lightSailSDConfigs",
    "scalewaySDConfigs",
    "ionosSDConfigs",
];

/// Azure SD entries with these authentication methods skip every client check.
fn azure_without_client(entry: &View<'_>) -> bool {
    matches!(
        entry.get("authenticationMethod").string(),
        "ManagedIdentity" | "SDK" | "WorkloadIdentity"
    )
}

/// The client-settings blocks of a monitor, in the order the operator checks them.
pub fn monitor_blocks<'a>(t: &Target<'a>) -> Vec<Block<'a>> {
    let spec = t.spec();
    match t.kind {
        Kind::PodMonitor => spec
            .get("podMetricsEndpoints")
            .items()
            .into_iter()
            .map(|ep| Block {
                http_validate: true,
                bearer: BearerRule::IfNameAndKey,
                ..Block::monitor(ep)
            })
            .collect(),
        Kind::ServiceMonitor => spec
            .get("endpoints")
            .items()
            .into_iter()
            .map(|ep| Block {
                http_validate: true,
                tls_files: true,
                bearer: BearerRule::IfName,
                ..Block::monitor(ep)
            })
            .collect(),
        Kind::Probe => vec![Block {
            proxy: Some(spec.get("prober")),
            bearer: BearerRule::IfSet,
            ..Block::monitor(spec.clone())
        }],
        Kind::ScrapeConfig => {
            let mut blocks = vec![Block::monitor(spec.clone())];
            for list in SD_WITH_CLIENT {
                for entry in spec.get(list).items() {
                    if list == "azureSDConfigs" && azure_without_client(&entry) {
                        continue;
                    }
                    blocks.push(Block::monitor(entry));
                }
            }
            blocks
        }
        Kind::PrometheusAgent => Vec::new(),
    }
}

/// The client-settings blocks of an agent: remote-write entries, the API server config and the
/// scrape classes' TLS settings.
pub fn agent_blocks<'a>(t: &Target<'a>) -> Vec<Block<'a>> {
    let spec = t.spec();
    let mut blocks = Vec::new();
    for rw in spec.get("remoteWrite").items() {
        blocks.push(Block {
            tls_files: true,
            authz_with_file: true,
            proxy_validate: false,
            ..Block::monitor(rw)
        });
    }
    let api = spec.get("apiserverConfig");
    if api.is_set() {
        blocks.push(Block {
            tls_files: true,
            authz_with_file: true,
            proxy_validate: false,
            oauth2: false,
            ..Block::monitor(api)
        });
    }
    for class in spec.get("scrapeClasses").items() {
        blocks.push(Block {
            proxy: None,
            tls_files: true,
            proxy_validate: false,
            basic_auth: false,
            oauth2: false,
            authorization: false,
            ..Block::monitor(class)
        });
    }
    blocks
}

/// Blocks of any target.
pub fn blocks<'a>(t: &Target<'a>) -> Vec<Block<'a>> {
    match t.kind {
        Kind::PrometheusAgent => agent_blocks(t),
        _ => monitor_blocks(t),
    }
}
