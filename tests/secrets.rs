//! No Secret value reaches any output: distinctive values are planted in every secret-bearing field
//! of every kind (the Secrets monitors and the agent reference, the `config.Secret` fields of the
//! additional scrape configs, URL passwords), then every command and format runs and none of them
//! may print one, on stdout, on stderr or in the files `render -o` writes. `--show-secrets` shows
//! them where it is documented to.

use assert_cmd::Command;
use base64::Engine;
use std::path::Path;

fn promagent() -> Command {
    let mut cmd = Command::cargo_bin("promagent").unwrap();
    cmd.env_remove("NO_COLOR").env("COLUMNS", "100");
    cmd
}

/// Every planted value; each is unique so that a leak names its field.
const PLANTS: &[&str] = &[
    "PLANTpmBasicUser",
    "PLANTpmBasicPass",
    "PLANTpmBearer",
    "PLANTpmAuthz",
    "PLANTpmOauthId",
    "PLANTpmOauthSecret",
    "PLANTsmBasicPass",
    "PLANTsmAuthz",
    "PLANTprobeBasicPass",
    "PLANTscBasicPass",
    "PLANTscAuthz",
    "PLANTrwBasicPass",
    "PLANTrwSigv4Access",
    "PLANTrwSigv4Secret",
    "PLANTrwAzureSecret",
    "PLANTrwOauthSecret",
    "PLANTrwUrlPass",
    "PLANTtlsKeyBlock",
    "PLANTascPassword",
    "PLANTascCredentials",
    "PLANTascClientSecret",
    "PLANTascCertKey",
    "PLANTascBearer",
    "PLANTascTlsKey",
    "PLANTascHeaderSecret",
    "PLANTascProxyHeader",
    "PLANTascProxyPass",
    "PLANTascConsulToken",
    "PLANTascConsulPass",
    "PLANTascOpenstackPass",
    "PLANTascOpenstackApp",
    "PLANTascEc2Secret",
    "PLANTascAzureSecret",
    "PLANTascMarathon",
    "PLANTascOvhSecret",
    "PLANTascOvhConsumer",
    "PLANTascStackitKey",
    "PLANTascKubeSdPass",
    "31415926535",
    "PLANTbadBase64",
    "PLANTduplicate",
    "PLANTlastApplied",
    "PLANTmigrate",
];

/// Values the configuration needs as they are (user names, access key IDs) are planted too: they
/// come from Secrets, so they are redacted like every other Secret value.
const ADDITIONAL: &str = r#"- job_name: hand-written
  basic_auth:
    username: u
    password: PLANTascPassword
  tls_config:
    cert: c
    key: PLANTascTlsKey
  proxy_url: http://proxyuser:PLANTascProxyPass@proxy.example.com:3128
  proxy_connect_header:
    Proxy-Authorization: [PLANTascProxyHeader]
  http_headers:
    X-Token:
      secrets: [PLANTascHeaderSecret]
  static_configs:
  - targets: [a.example.com]
- job_name: number
  basic_auth:
    username: u
    password: 31415926535
  static_configs:
  - targets: [b.example.com]
- job_name: authz
  authorization:
    credentials: PLANTascCredentials
  static_configs:
  - targets: [c.example.com]
- job_name: oauth
  oauth2:
    client_id: id
    client_secret: PLANTascClientSecret
    client_certificate_key: PLANTascCertKey
    token_url: https://token.example.com
  static_configs:
  - targets: [d.example.com]
- job_name: bearer
  bearer_token: PLANTascBearer
  consul_sd_configs:
  - server: consul.example.com:8500
    token: PLANTascConsulToken
    password: PLANTascConsulPass
  openstack_sd_configs:
  - role: instance
    region: r
    identity_endpoint: https://keystone.example.com
    password: PLANTascOpenstackPass
    application_credential_secret: PLANTascOpenstackApp
  ec2_sd_configs:
  - region: eu-west-1
    access_key: AKIA
    secret_key: PLANTascEc2Secret
  azure_sd_configs:
  - subscription_id: s
    tenant_id: t
    client_id: c
    client_secret: PLANTascAzureSecret
  marathon_sd_configs:
  - servers: [https://marathon.example.com]
    auth_token: PLANTascMarathon
  ovhcloud_sd_configs:
  - application_key: k
    application_secret: PLANTascOvhSecret
    consumer_key: PLANTascOvhConsumer
    service: vps
  stackit_sd_configs:
  - project: p
    private_key: PLANTascStackitKey
  kubernetes_sd_configs:
  - role: pod
    basic_auth:
      username: u
      password: PLANTascKubeSdPass
"#;

fn manifests() -> String {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let key_pem = "-----BEGIN PLANTtlsKeyBlock-----\nMAEA\n-----END PLANTtlsKeyBlock-----\n";
    let cert_pem = "-----BEGIN CERTIFICATE-----\nMAEA\n-----END CERTIFICATE-----\n";
    let additional = ADDITIONAL
        .lines()
        .map(|l| format!("    {l}\n"))
        .collect::<String>();
    format!(
        r#"apiVersion: monitoring.coreos.com/v1alpha1
kind: PrometheusAgent
metadata:
  name: agent
  namespace: monitoring
spec:
  podMonitorSelector: {{}}
  serviceMonitorSelector: {{}}
  probeSelector: {{}}
  scrapeConfigSelector: {{}}
  additionalScrapeConfigs:
    name: additional
    key: jobs.yaml
  remoteWrite:
  - url: https://rw.example.com/push
    basicAuth:
      username: {{name: creds, key: rw-user}}
      password: {{name: creds, key: rw-pass}}
  - url: https://rwuser:PLANTrwUrlPass@rw2.example.com/push
    sigv4:
      region: eu-west-1
      accessKey: {{name: creds, key: sigv4-access}}
      secretKey: {{name: creds, key: sigv4-secret}}
  - url: https://rw3.example.com/push
    azureAd:
      cloud: AzurePublic
      oauth:
        clientId: 00000000-0000-0000-0000-000000000000
        clientSecret: {{name: creds, key: azure-secret}}
        tenantId: tenant
  - url: https://rw4.example.com/push
    oauth2:
      clientId: {{secret: {{name: creds, key: pm-oauth-id}}}}
      clientSecret: {{name: creds, key: rw-oauth-secret}}
      tokenUrl: https://token.example.com
---
apiVersion: v1
kind: Secret
metadata:
  name: additional
  namespace: monitoring
stringData:
  jobs.yaml: |
{additional}---
apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: monitoring
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {{"stringData":{{"old":"PLANTlastApplied"}}}}
stringData:
  pm-user: PLANTpmBasicUser
  pm-pass: PLANTpmBasicPass
  pm-bearer: PLANTpmBearer
  pm-authz: PLANTpmAuthz
  pm-oauth-id: PLANTpmOauthId
  pm-oauth-secret: PLANTpmOauthSecret
  sm-pass: PLANTsmBasicPass
  sm-authz: PLANTsmAuthz
  probe-pass: PLANTprobeBasicPass
  sc-pass: PLANTscBasicPass
  sc-authz: PLANTscAuthz
  rw-user: u
  rw-pass: PLANTrwBasicPass
  sigv4-access: PLANTrwSigv4Access
  sigv4-secret: PLANTrwSigv4Secret
  azure-secret: PLANTrwAzureSecret
  rw-oauth-secret: PLANTrwOauthSecret
data:
  tls-key: {key}
  tls-cert: {cert}
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  name: pm
  namespace: monitoring
spec:
  selector: {{matchLabels: {{app: a}}}}
  podMetricsEndpoints:
  - port: web
    basicAuth:
      username: {{name: creds, key: pm-user}}
      password: {{name: creds, key: pm-pass}}
    tlsConfig:
      cert: {{secret: {{name: creds, key: tls-cert}}}}
      keySecret: {{name: creds, key: tls-key}}
  - port: web2
    bearerTokenSecret: {{name: creds, key: pm-bearer}}
  - port: web3
    authorization:
      credentials: {{name: creds, key: pm-authz}}
  - port: web4
    oauth2:
      clientId: {{secret: {{name: creds, key: pm-oauth-id}}}}
      clientSecret: {{name: creds, key: pm-oauth-secret}}
      tokenUrl: https://token.example.com
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: sm
  namespace: monitoring
spec:
  selector: {{matchLabels: {{app: a}}}}
  endpoints:
  - port: web
    basicAuth:
      username: {{name: creds, key: pm-user}}
      password: {{name: creds, key: sm-pass}}
  - port: web2
    authorization:
      credentials: {{name: creds, key: sm-authz}}
---
apiVersion: monitoring.coreos.com/v1
kind: Probe
metadata:
  name: probe
  namespace: monitoring
spec:
  prober: {{url: blackbox.example.com:9115}}
  basicAuth:
    username: {{name: creds, key: pm-user}}
    password: {{name: creds, key: probe-pass}}
  targets:
    staticConfig:
      static: [https://example.com]
---
apiVersion: monitoring.coreos.com/v1alpha1
kind: ScrapeConfig
metadata:
  name: sc
  namespace: monitoring
spec:
  basicAuth:
    username: {{name: creds, key: pm-user}}
    password: {{name: creds, key: sc-pass}}
  staticConfigs:
  - targets: [e.example.com]
---
apiVersion: monitoring.coreos.com/v1alpha1
kind: ScrapeConfig
metadata:
  name: sc2
  namespace: monitoring
spec:
  authorization:
    credentials: {{name: creds, key: sc-authz}}
  staticConfigs:
  - targets: [f.example.com]
"#,
        key = b64(key_pem),
        cert = b64(cert_pem),
    )
}

/// A Secret the API server refuses: a value that is not base64 and a repeated key, so that lint
/// shows snippets of its lines.
fn broken_secret() -> String {
    let dup = base64::engine::general_purpose::STANDARD.encode("PLANTduplicate");
    format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: broken\n  namespace: monitoring\ndata:\n  bad: PLANTbadBase64!\n  dup: {dup}\n  dup: {dup}\n"
    )
}

/// An agent that migrate changes right before a Secret's values, which become context lines.
const MIGRATE: &str = "apiVersion: monitoring.coreos.com/v1alpha1
kind: PrometheusAgent
metadata:
  name: m
  namespace: monitoring
spec:
  podMonitorSelector: {}
  replicas: 2
---
stringData:
  mig-pass: PLANTmigrate
kind: Secret
apiVersion: v1
metadata: {name: m, namespace: monitoring}
";

/// A `prometheus.yml` for check-config: every secret field next to a field Prometheus refuses, so
/// that each refusal's snippet shows the lines around a secret.
const PROMETHEUS_YML: &str = r#"global:
  scrape_interval: 15s
scrape_configs:
- job_name: a
  basic_auth:
    username: u
    password: PLANTascPassword
    unknown_field: 1
  static_configs:
  - targets: [a.example.com]
- job_name: b
  authorization:
    credentials: PLANTascCredentials
  bearer_token: PLANTascBearer
  static_configs:
  - targets: [b.example.com]
- job_name: c
  proxy_url: http://proxyuser:PLANTascProxyPass@proxy.example.com:3128
  consul_sd_configs:
  - server: consul.example.com:8500
    token: PLANTascConsulToken
    bogus: 2
remote_write:
- url: https://rwuser:PLANTrwUrlPass@rw.example.com/push
  sigv4:
    secret_key: PLANTrwSigv4Secret
    access_key: a
    nope: 3
"#;

/// Each plant, and the base64 form of those planted in `data`, that `text` contains.
fn leaks(text: &str) -> Vec<String> {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let mut out = Vec::new();
    for plant in PLANTS {
        if text.contains(plant) {
            out.push(plant.to_string());
        }
    }
    for plant in ["PLANTduplicate", "PLANTtlsKeyBlock"] {
        let encoded = b64(plant);
        // The encoded plant's stable middle, whatever precedes it in the value.
        let middle = &encoded[4..encoded.len() - 4];
        if text.contains(middle) {
            out.push(format!("base64 of {plant}"));
        }
    }
    out
}

struct Run {
    what: String,
    stdout: String,
    stderr: String,
}

fn run(what: &str, cmd: &mut Command) -> Run {
    run_with(what, cmd, &[0, 1])
}

fn run_with(what: &str, cmd: &mut Command, codes: &[i32]) -> Run {
    let out = cmd.output().unwrap();
    let code = out.status.code();
    assert!(
        code.is_some_and(|c| codes.contains(&c)),
        "{what}: exit {code:?}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Run {
        what: what.to_string(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn assert_no_leak(r: &Run) {
    let found = leaks(&r.stdout);
    assert!(
        found.is_empty(),
        "{}: stdout shows {found:?}\n{}",
        r.what,
        r.stdout
    );
    let found = leaks(&r.stderr);
    assert!(
        found.is_empty(),
        "{}: stderr shows {found:?}\n{}",
        r.what,
        r.stderr
    );
}

fn write_fixture(dir: &Path) -> std::path::PathBuf {
    let file = dir.join("all.yaml");
    std::fs::write(&file, manifests()).unwrap();
    std::fs::write(dir.join("broken.yaml"), broken_secret()).unwrap();
    std::fs::write(dir.join("migrate.yaml"), MIGRATE).unwrap();
    file
}

#[test]
fn no_output_channel_shows_a_planted_secret() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write_fixture(tmp.path());
    let config = tmp.path().join("prometheus.yml");
    std::fs::write(&config, PROMETHEUS_YML).unwrap();

    let mut runs = Vec::new();
    for format in ["human", "concise", "json", "sarif", "junit", "github"] {
        let r = run(
            &format!("lint --format {format}"),
            promagent()
                .args(["lint", "--format", format])
                .arg(&file)
                .arg(tmp.path().join("broken.yaml")),
        );
        assert!(
            r.stdout.contains("RF505") || format == "junit",
            "{}: the TLS key finding is missing\n{}",
            r.what,
            r.stdout
        );
        runs.push(r);
        let r = run(
            &format!("check-config --format {format}"),
            promagent()
                .args(["check-config", "--format", format])
                .arg(&config),
        );
        runs.push(r);
    }
    runs.push(run("render", promagent().arg("render").arg(&file)));
    runs.push(run(
        "render --only config",
        promagent().args(["render", "--only", "config"]).arg(&file),
    ));
    let out_dir = tmp.path().join("out");
    runs.push(run(
        "render -o",
        promagent().arg("render").arg("-o").arg(&out_dir).arg(&file),
    ));
    runs.push(run("diff", promagent().arg("diff").arg(&file)));
    runs.push(run(
        "migrate --diff",
        promagent()
            .args(["migrate", "--diff"])
            .arg(tmp.path().join("migrate.yaml")),
    ));
    runs.push(run("targets", promagent().arg("targets").arg(&file)));
    // The configuration is refused: its errors are the output.
    runs.push(run_with(
        "targets --config",
        promagent()
            .arg("targets")
            .arg("--config")
            .arg(&config)
            .arg(&file),
        &[2],
    ));
    for r in &runs {
        assert_no_leak(r);
    }

    // What the render wrote, file by file.
    let mut written = 0;
    for entry in walk(&out_dir) {
        let text = std::fs::read(&entry).unwrap();
        let text = String::from_utf8_lossy(&text);
        let found = leaks(&text);
        assert!(found.is_empty(), "{}: {found:?}\n{text}", entry.display());
        written += 1;
    }
    assert!(written > 0, "render -o wrote nothing");

    // The snippets of the Secret findings still show the keys, the values masked.
    let human = &runs[0].stdout;
    assert!(human.contains("  bad: ***************\n"), "{human}");
    assert!(human.contains("  dup: "), "{human}");
    let migrate = runs.iter().find(|r| r.what == "migrate --diff").unwrap();
    assert!(
        migrate.stdout.contains("-  replicas: 2\n"),
        "{}",
        migrate.stdout
    );
    assert!(
        migrate.stdout.contains("\n   mig-pass: ************\n"),
        "{}",
        migrate.stdout
    );
    // The redaction marks where the secrets were.
    let config_text = &runs
        .iter()
        .find(|r| r.what == "render --only config")
        .unwrap()
        .stdout;
    assert!(config_text.contains("password: <secret>"), "{config_text}");
    assert!(
        config_text.contains("http://proxyuser:xxxxx@proxy.example.com:3128"),
        "{config_text}"
    );
    assert!(
        config_text.contains("https://rwuser:xxxxx@rw2.example.com/push"),
        "{config_text}"
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn show_secrets_shows_the_configuration_secrets() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write_fixture(tmp.path());
    let r = run(
        "render --only config --show-secrets",
        promagent()
            .args(["render", "--only", "config", "--show-secrets"])
            .arg(&file),
    );
    for plant in [
        "PLANTpmBasicPass",
        "PLANTrwBasicPass",
        "PLANTrwSigv4Secret",
        "PLANTascPassword",
        "PLANTascConsulToken",
        "PLANTascProxyPass",
        "PLANTrwUrlPass",
        "31415926535",
    ] {
        assert!(r.stdout.contains(plant), "{plant} not shown\n{}", r.stdout);
    }
}
