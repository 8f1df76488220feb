//! The Secrets the operator writes for an agent: the gzipped configuration, the TLS assets (split
//! into shards under the Secret size limit) and the web server configuration.

use super::Agent;
use super::meta;
use crate::model::{SecretOrConfigMap, WebTlsConfig};
use crate::render::goyaml::{self, Yaml};
use crate::render::options::{OperatorOptions, REDACTED};
use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::Secret;
use std::collections::BTreeMap;
use std::io::Write;

/// Data of one TLS-assets Secret may use at most the Secret size limit minus room for metadata.
pub const MAX_SECRET_DATA_BYTES: usize = 1_048_576 - 50_000;

/// `prom-agent-<name>` with `prometheus.yaml.gz`: the configuration, gzipped.
pub fn config_secret(
    agent: &Agent<'_>,
    config: &str,
    options: &OperatorOptions,
) -> Result<Secret, String> {
    // Unless secret values are shown, a non-empty value is replaced with REDACTED in the
    // manifest: which bytes stand in for it does not matter, so the configuration is not copied.
    let data = match (config.is_empty(), options.show_secrets) {
        (true, _) => Vec::new(),
        (false, true) => gzip(config.as_bytes())?,
        (false, false) => REDACTED.as_bytes().to_vec(),
    };
    Ok(Secret {
        metadata: meta::secret_meta(agent, &agent.config_secret_name(), options),
        data: Some(BTreeMap::from([(
            super::CONFIG_FILENAME.to_string(),
            ByteString(data),
        )])),
        ..Secret::default()
    })
}

pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map_err(|e| format!("failed to gzip config: {e}"))
}

/// The TLS assets split over `prom-agent-<name>-tls-assets-<i>` Secrets (always at least one): keys in
/// sorted order, a new Secret whenever the next entry would pass [`MAX_SECRET_DATA_BYTES`].
pub fn tls_asset_secrets(
    agent: &Agent<'_>,
    assets: &BTreeMap<String, Vec<u8>>,
    options: &OperatorOptions,
) -> Vec<Secret> {
    let mut shards: Vec<BTreeMap<String, ByteString>> = vec![BTreeMap::new()];
    let mut size = 0;
    for (key, value) in assets {
        let entry = key.len() + value.len();
        if size + entry > MAX_SECRET_DATA_BYTES {
            shards.push(BTreeMap::new());
            size = 0;
        }
        size += entry;
        if let Some(current) = shards.last_mut() {
            current.insert(key.clone(), ByteString(value.clone()));
        }
    }
    shards
        .into_iter()
        .enumerate()
        .map(|(i, data)| Secret {
            metadata: meta::secret_meta(
                agent,
                &format!("{}-{i}", agent.tls_assets_secret_base()),
                options,
            ),
            data: (!data.is_empty()).then_some(data),
            ..Secret::default()
        })
        .collect()
}

/// `prom-agent-<name>-web-config` with `web-config.yaml` (empty without TLS or HTTP settings).
pub fn web_config_secret(agent: &Agent<'_>, options: &OperatorOptions) -> Result<Secret, String> {
    let text = web_config_text(agent).map_err(|e| {
        format!("synchronizing web config secret failed: failed to initialize web config: {e}")
    })?;
    Ok(Secret {
        metadata: meta::secret_meta(agent, &agent.web_config_secret_name(), options),
        data: Some(BTreeMap::from([(
            "web-config.yaml".to_string(),
            ByteString(text.into_bytes()),
        )])),
        ..Secret::default()
    })
}

/// The operator's checks of `spec.web.tlsConfig`, with its messages.
pub fn validate_web_tls(tls: &WebTlsConfig) -> Result<(), String> {
    let set = |s: &Option<SecretOrConfigMap>| {
        s.as_ref()
            .is_some_and(|s| s.secret.is_some() || s.config_map.is_some())
    };
    let non_empty = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.is_empty());
    let both = |s: &Option<SecretOrConfigMap>| {
        s.as_ref()
            .is_some_and(|s| s.secret.is_some() && s.config_map.is_some())
    };
    if set(&tls.client_ca) {
        if non_empty(&tls.client_ca_file) {
            return Err("cannot specify both clientCAFile and clientCA".into());
        }
        if both(&tls.client_ca) {
            return Err("invalid client CA: cannot specify both Secret and ConfigMap".into());
        }
    }
    if set(&tls.cert) {
        if non_empty(&tls.cert_file) {
            return Err("cannot specify both cert and certFile".into());
        }
        if both(&tls.cert) {
            return Err("invalid TLS certificate: cannot specify both Secret and ConfigMap".into());
        }
    }
    let key_secret_set = tls
        .key_secret
        .as_ref()
        .is_some_and(|k| !k.name.is_empty() || !k.key.is_empty() || k.optional.is_some());
    if non_empty(&tls.key_file) && key_secret_set {
        return Err("cannot specify both keyFile and keySecret".into());
    }
    if !non_empty(&tls.key_file) && !key_secret_set {
        return Err("TLS private key must be defined".into());
    }
    if !non_empty(&tls.cert_file) && !set(&tls.cert) {
        return Err("TLS certificate must be defined".into());
    }
    Ok(())
}

/// The content of `web-config.yaml`.
pub fn web_config_text(agent: &Agent<'_>) -> Result<String, String> {
    let web = agent.spec.web.as_ref();
    let tls = web.and_then(|w| w.tls_config.as_ref());
    let http = web.and_then(|w| w.http_config.as_ref());
    if let Some(tls) = tls {
        validate_web_tls(tls)?;
    }
    if tls.is_none() && http.is_none() {
        return Ok(String::new());
    }
    let dir = super::WEB_CONFIG_DIR;
    let mut doc = Yaml::map();
    if let Some(tls) = tls {
        let mut server = Yaml::map();
        let mounted = |source: &Option<SecretOrConfigMap>, what: &str| -> Option<String> {
            match source.as_ref()? {
                SecretOrConfigMap {
                    secret: Some(s), ..
                } => Some(join(&format!("{dir}/secret/{}-{what}", s.name), &s.key)),
                SecretOrConfigMap {
                    config_map: Some(c),
                    ..
                } => Some(join(&format!("{dir}/configmap/{}-{what}", c.name), &c.key)),
                _ => None,
            }
        };
        let given = |s: &Option<String>| s.clone().filter(|s| !s.is_empty());
        if let Some(cert) = given(&tls.cert_file).or_else(|| mounted(&tls.cert, "cert")) {
            server.push("cert_file", Yaml::str(cert));
        }
        let key = given(&tls.key_file).or_else(|| {
            let k = tls.key_secret.clone().unwrap_or_default();
            Some(join(&format!("{dir}/secret/{}-key", k.name), &k.key))
        });
        if let Some(key) = key {
            server.push("key_file", Yaml::str(key));
        }
        if let Some(auth) = given(&tls.client_auth_type) {
            server.push("client_auth_type", Yaml::str(auth));
        }
        if let Some(ca) = given(&tls.client_ca_file).or_else(|| mounted(&tls.client_ca, "ca")) {
            server.push("client_ca_file", Yaml::str(ca));
        }
        if let Some(v) = given(&tls.min_version) {
            server.push("min_version", Yaml::str(v));
        }
        if let Some(v) = given(&tls.max_version) {
            server.push("max_version", Yaml::str(v));
        }
        if let Some(suites) = tls.cipher_suites.as_ref().filter(|s| !s.is_empty()) {
            server.push("cipher_suites", Yaml::strs(suites.iter().cloned()));
        }
        if let Some(prefer) = tls.prefer_server_cipher_suites {
            server.push("prefer_server_cipher_suites", Yaml::Bool(prefer));
        }
        if let Some(curves) = tls.curve_preferences.as_ref().filter(|s| !s.is_empty()) {
            server.push("curve_preferences", Yaml::strs(curves.iter().cloned()));
        }
        doc.push("tls_server_config", server);
    }
    if let Some(http) = http {
        let mut server = Yaml::map();
        if let Some(h2) = http.http2 {
            server.push("http2", Yaml::Bool(h2));
        }
        if let Some(h) = &http.headers {
            let mut headers = Yaml::map();
            let entries = [
                ("Content-Security-Policy", h.content_security_policy.clone()),
                (
                    "Strict-Transport-Security",
                    h.strict_transport_security.clone(),
                ),
                (
                    "X-Content-Type-Options",
                    h.x_content_type_options.as_ref().map(|s| s.to_lowercase()),
                ),
                (
                    "X-Frame-Options",
                    h.x_frame_options.as_ref().map(|s| s.to_lowercase()),
                ),
                ("X-XSS-Protection", h.x_xss_protection.clone()),
            ];
            for (name, value) in entries {
                if let Some(value) = value.filter(|v| !v.is_empty()) {
                    headers.push(name, Yaml::str(value));
                }
            }
            server.push("headers", headers);
        }
        doc.push("http_server_config", server);
    }
    Ok(goyaml::to_string(&doc))
}

/// Go's `filepath.Join(dir, file)` for a file name that may be empty.
fn join(dir: &str, file: &str) -> String {
    super::names::clean_path(&format!("{dir}/{file}"))
}

/// The TLS assets a rendered configuration reads: every `/etc/prometheus/certs/<key>` file it names,
/// with the value of the Secret or ConfigMap key behind it (`0_<ns>_<secret>_<key>` or
/// `1_<ns>_<configmap>_<key>`). Keys whose object or value the input lacks, or whose value is
/// empty, are left out, as the operator leaves them out.
pub fn tls_assets(config: &str, inventory: &crate::model::Inventory) -> BTreeMap<String, Vec<u8>> {
    const DIR: &str = "/etc/prometheus/certs/";
    let mut out = BTreeMap::new();
    for (start, _) in config.match_indices(DIR) {
        let rest = &config[start + DIR.len()..];
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '"' || c == '\'')
            .unwrap_or(rest.len());
        let key = &rest[..end];
        let mut parts = key.splitn(4, '_');
        let (Some(source), Some(namespace), Some(name), Some(item)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let value = match source {
            "0" => inventory.secret(namespace, name).and_then(|s| {
                s.value
                    .data
                    .as_ref()
                    .and_then(|d| d.get(item))
                    .map(|b| b.0.clone())
                    .or_else(|| {
                        s.value
                            .string_data
                            .as_ref()
                            .and_then(|d| d.get(item))
                            .map(|v| v.clone().into_bytes())
                    })
            }),
            "1" => inventory.config_map(namespace, name).and_then(|c| {
                c.value
                    .data
                    .as_ref()
                    .and_then(|d| d.get(item))
                    .map(|v| v.clone().into_bytes())
            }),
            _ => None,
        };
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            out.insert(key.to_string(), value);
        }
    }
    out
}
