//! ScrapeConfig jobs rendered from the fixtures in `testdata/render/scrapeconfig/`, checked against
//! reviewed snapshots, plus the failure the operator reports when a required credential is missing.

use promagent::load::load_str;
use promagent::model::{Inventory, Object, ScrapeConfig};
use promagent::render::config::common::{Assets, Sharding};
use promagent::render::config::scrapeconfig::{ScrapeConfigContext, render};
use promagent::render::goyaml::{self, Yaml};
use promagent::render::options::OperatorOptions;
use promagent::version::prometheus_version;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/render/scrapeconfig");

fn inventory(text: &str) -> Inventory {
    let inputs = load_str("fixture.yaml", text);
    assert!(inputs.diagnostics.is_empty(), "{:?}", inputs.diagnostics);
    let (inventory, diagnostics) = Inventory::from_documents(&inputs.documents);
    assert!(diagnostics.is_empty(), "{:?}", diagnostics);
    inventory
}

/// Renders every ScrapeConfig of the text (sorted by namespace/name) as the `scrape_configs` list.
fn render_text(text: &str, show_secrets: bool) -> Result<String, String> {
    let inventory = inventory(text);
    let agent = &inventory.agents[0].value.spec;
    let version = prometheus_version(agent.version.as_deref())?;
    let options = OperatorOptions {
        show_secrets,
        ..OperatorOptions::default()
    };
    let assets = Assets::new(&inventory, &options);
    let sharding = Sharding {
        shards: agent.shards.unwrap_or(1).max(1),
        topology_zones: None,
        pod_topology_labels: true,
    };
    let cx = ScrapeConfigContext {
        agent,
        version: &version,
        assets: &assets,
        sharding: &sharding,
    };
    let mut objects: Vec<&Object<ScrapeConfig>> = inventory.scrape_configs.iter().collect();
    objects.sort_by_key(|o| format!("{}/{}", o.namespace(), o.name()));
    let mut jobs = Vec::new();
    for sc in objects {
        jobs.extend(render(sc, &cx).map_err(|d| d.message)?);
    }
    Ok(goyaml::to_string(&Yaml::Map(vec![(
        "scrape_configs".into(),
        Yaml::Seq(jobs),
    )])))
}

fn render_fixture(name: &str, show_secrets: bool) -> String {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{name}.yaml")).expect("fixture");
    render_text(&text, show_secrets).expect("renders")
}

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/render/scrapeconfig/snapshots"), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

#[test]
fn static_targets_with_relabelings_enforcement_and_sharding() {
    snapshot!(
        "static_relabelings",
        render_fixture("static_relabelings", true)
    );
}

#[test]
fn kubernetes_sd_with_auth_tls_and_selectors() {
    snapshot!("kubernetes_auth", render_fixture("kubernetes_auth", true));
}

#[test]
fn consul_sd_with_token_oauth2_and_proxy() {
    snapshot!("consul", render_fixture("consul", true));
}

#[test]
fn dns_and_http_sd_with_version_gates() {
    snapshot!("dns_http", render_fixture("dns_http", true));
}

#[test]
fn ec2_sd_with_secrets_shown() {
    snapshot!("ec2_shown", render_fixture("ec2", true));
}

#[test]
fn ec2_sd_with_secrets_redacted() {
    let out = render_fixture("ec2", false);
    assert!(!out.contains("AKIAEXAMPLE") && !out.contains("wJalrXUtnFEMI"));
    snapshot!("ec2_redacted", out);
}

#[test]
fn a_missing_consul_token_fails_like_the_operator() {
    let text = std::fs::read_to_string(format!("{FIXTURES}/consul.yaml")).expect("fixture");
    let without_secret = text
        .split("\n---\napiVersion: v1\nkind: Secret")
        .next()
        .expect("documents");
    let err = render_text(without_secret, true).expect_err("the token cannot be read");
    assert_eq!(
        err,
        "failed to read consul secret scrapeConfig/monitoring/consul: secret monitoring/consul not found"
    );
}

#[test]
fn azure_environment_discards_the_http_client_keys_before_it() {
    let text = r#"
apiVersion: monitoring.coreos.com/v1alpha1
kind: PrometheusAgent
metadata: {name: agent, namespace: ns}
spec: {}
---
apiVersion: monitoring.coreos.com/v1alpha1
kind: ScrapeConfig
metadata: {name: azure, namespace: ns}
spec:
  azureSDConfigs:
  - environment: AzurePublicCloud
    subscriptionID: sub
    proxyUrl: http://proxy:3128
    port: 9100
"#;
    let out = render_text(text, true).expect("renders");
    assert!(
        out.contains(
            "  - environment: AzurePublicCloud\n    subscription_id: sub\n    port: 9100\n"
        ),
        "{out}"
    );
    assert!(!out.contains("proxy_url"), "{out}");
}

#[test]
fn attach_metadata_is_dropped_for_roles_without_it_and_gated_by_version() {
    let text = r#"
apiVersion: monitoring.coreos.com/v1alpha1
kind: PrometheusAgent
metadata: {name: agent, namespace: ns}
spec: {version: v2.36.0}
---
apiVersion: monitoring.coreos.com/v1alpha1
kind: ScrapeConfig
metadata: {name: k8s, namespace: ns}
spec:
  kubernetesSDConfigs:
  - role: Node
    attachMetadata: {node: true}
  - role: Pod
    attachMetadata: {}
  - role: Endpoints
    attachMetadata: {node: true}
"#;
    let out = render_text(text, true).expect("renders");
    assert_eq!(out.matches("attach_metadata").count(), 1, "{out}");
    assert!(
        out.contains("  - role: pod\n    attach_metadata:\n      node: null\n"),
        "{out}"
    );
}
