//! Building blocks shared by every scrape-job and remote-write renderer: the version gate ([`Gen`]),
//! Secret/ConfigMap look-ups with redaction ([`Assets`], [`Store`]), and the sub-renderers for TLS,
//! basic auth, authorization, OAuth2, proxy settings, SigV4, relabel configs, limits, scrape protocols,
//! native-histogram keys, Kubernetes service discovery and sharding relabelings.
//!
//! Each renderer appends keys to an ordered map (`&mut Vec<(String, Yaml)>`) in the operator's order and
//! only when the Prometheus version supports them (unsupported keys are dropped, as the operator does).

use crate::diag::{Diagnostic, Layer};
use crate::model::{
    ApiServerConfig, Authorization, BasicAuth, Inventory, NamespaceSelector, OAuth2,
    ObjectReference, Quantity, RelabelConfig, SafeAuthorization, SafeTlsConfig, ScrapeClass,
    ScrapeProtocol, SecretOrConfigMap, Sigv4, TlsConfig,
};
use crate::render::goyaml::{MapKey, Yaml};
use crate::render::options::OperatorOptions;
use crate::version::Version;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// An ordered YAML mapping under construction.
pub type Entries = Vec<(MapKey, Yaml)>;

/// Where TLS assets are mounted in the Prometheus container.
pub const TLS_ASSETS_DIR: &str = "/etc/prometheus/certs";

/// Directory for bare log file names (`scrapeFailureLogFile: file.log`).
pub const DEFAULT_LOG_DIRECTORY: &str = "/var/log/prometheus";

/// The version gate: keys are appended only while `compatible` holds. [`Gen::min`] and [`Gen::max`]
/// narrow it, like the operator's `WithMinimumVersion` / `WithMaximumVersion`.
#[derive(Clone, Copy, Debug)]
pub struct Gen<'a> {
    pub version: &'a Version,
    pub compatible: bool,
}

impl<'a> Gen<'a> {
    pub fn new(version: &'a Version) -> Self {
        Gen {
            version,
            compatible: true,
        }
    }

    /// Compatible only when the version is at least `min` (e.g. `"2.45.0"` or `"3.0.0-rc.0"`).
    pub fn min(self, min: &str) -> Gen<'a> {
        match Version::parse_strict(min) {
            Ok(m) if *self.version < m => Gen {
                compatible: false,
                ..self
            },
            _ => self,
        }
    }

    /// Compatible only when the version is below `max`.
    pub fn max(self, max: &str) -> Gen<'a> {
        match Version::parse_strict(max) {
            Ok(m) if *self.version >= m => Gen {
                compatible: false,
                ..self
            },
            _ => self,
        }
    }

    pub fn at_least(&self, min: &str) -> bool {
        self.min(min).compatible
    }

    /// Appends `key: value` when compatible.
    pub fn push(&self, map: &mut Entries, key: impl Into<MapKey>, value: Yaml) {
        if self.compatible {
            map.push((key.into(), value));
        }
    }
}

/// Appends `key: value` unconditionally.
pub fn push(map: &mut Entries, key: impl Into<MapKey>, value: impl Into<Yaml>) {
    map.push((key.into(), value.into()));
}

/// One Secret (or ConfigMap) key whose value the config needs.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SecretUse {
    /// `Secret` or `ConfigMap`.
    pub kind: &'static str,
    pub namespace: String,
    pub name: String,
    pub key: String,
    /// Whether the input held the value.
    pub found: bool,
}

/// The Secrets and ConfigMaps of the input, seen as the operator's asset store. Records every
/// reference, and a warning for each one the input does not hold.
pub struct Assets<'a> {
    pub inventory: &'a Inventory,
    pub options: &'a OperatorOptions,
    used: RefCell<Vec<SecretUse>>,
    warnings: RefCell<Vec<Diagnostic>>,
}

impl<'a> Assets<'a> {
    pub fn new(inventory: &'a Inventory, options: &'a OperatorOptions) -> Self {
        Assets {
            inventory,
            options,
            used: RefCell::new(Vec::new()),
            warnings: RefCell::new(Vec::new()),
        }
    }

    /// A view of the store limited to one namespace (references are namespace-local).
    pub fn for_namespace<'s>(&'s self, namespace: &'s str) -> Store<'s> {
        Store {
            assets: self,
            namespace,
        }
    }

    /// Records a warning produced while rendering.
    pub fn warn(&self, diagnostic: Diagnostic) {
        self.warnings.borrow_mut().push(diagnostic);
    }

    /// Adds what `other` recorded after what this one has.
    pub fn absorb(&self, other: Assets) {
        self.used.borrow_mut().extend(other.used.into_inner());
        self.warnings
            .borrow_mut()
            .extend(other.warnings.into_inner());
    }

    /// Everything recorded so far: the references (sorted, deduplicated) and the warnings.
    pub fn finish(self) -> (Vec<SecretUse>, Vec<Diagnostic>) {
        let mut used = self.used.into_inner();
        used.sort();
        used.dedup();
        (used, self.warnings.into_inner())
    }

    fn record(&self, kind: &'static str, namespace: &str, name: &str, key: &str, found: bool) {
        self.used.borrow_mut().push(SecretUse {
            kind,
            namespace: namespace.to_string(),
            name: name.to_string(),
            key: key.to_string(),
            found,
        });
    }

    fn missing(&self, message: String) {
        self.warn(Diagnostic::warning(Layer::Operator, "render/missing-reference", message).with_help(
            "add the object to the input; the config is rendered as the operator would render it without the value",
        ));
    }

    fn raw_secret(&self, namespace: &str, sel: &core::SecretKeySelector) -> Result<String, String> {
        let Some(secret) = self.inventory.secret(namespace, &sel.name) else {
            self.record("Secret", namespace, &sel.name, &sel.key, false);
            let message = format!("secret {namespace}/{} not found", sel.name);
            self.missing(format!("{message} (key {:?} is referenced)", sel.key));
            return Err(message);
        };
        let value = secret
            .value
            .string_data
            .as_ref()
            .and_then(|d| d.get(&sel.key).cloned())
            .or_else(|| {
                secret
                    .value
                    .data
                    .as_ref()
                    .and_then(|d| d.get(&sel.key))
                    .map(|b| String::from_utf8_lossy(&b.0).into_owned())
            });
        match value {
            Some(v) => {
                self.record("Secret", namespace, &sel.name, &sel.key, true);
                Ok(v)
            }
            None => {
                self.record("Secret", namespace, &sel.name, &sel.key, false);
                let message = format!(
                    "key {:?} in secret {namespace}/{} not found",
                    sel.key, sel.name
                );
                self.missing(message.clone());
                Err(message)
            }
        }
    }

    fn raw_config_map(
        &self,
        namespace: &str,
        sel: &core::ConfigMapKeySelector,
    ) -> Result<String, String> {
        let Some(cm) = self.inventory.config_map(namespace, &sel.name) else {
            self.record("ConfigMap", namespace, &sel.name, &sel.key, false);
            let message = format!("configmap {namespace}/{} not found", sel.name);
            self.missing(format!("{message} (key {:?} is referenced)", sel.key));
            return Err(message);
        };
        let value = cm
            .value
            .data
            .as_ref()
            .and_then(|d| d.get(&sel.key).cloned())
            .or_else(|| {
                cm.value
                    .binary_data
                    .as_ref()
                    .and_then(|d| d.get(&sel.key))
                    .map(|b| String::from_utf8_lossy(&b.0).into_owned())
            });
        match value {
            Some(v) => {
                self.record("ConfigMap", namespace, &sel.name, &sel.key, true);
                Ok(v)
            }
            None => {
                self.record("ConfigMap", namespace, &sel.name, &sel.key, false);
                let message = format!(
                    "key {:?} in configmap {namespace}/{} not found",
                    sel.key, sel.name
                );
                self.missing(message.clone());
                Err(message)
            }
        }
    }
}

/// The asset store of one namespace.
#[derive(Clone, Copy)]
pub struct Store<'a> {
    pub assets: &'a Assets<'a>,
    pub namespace: &'a str,
}

impl<'a> Store<'a> {
    /// A Secret value as it goes into the config (redacted unless secrets are shown).
    pub fn secret(&self, sel: &core::SecretKeySelector) -> Result<String, String> {
        self.assets
            .raw_secret(self.namespace, sel)
            .map(|v| self.assets.options.secret(&v))
    }

    /// The unredacted value, for values that are configuration rather than credentials (for example
    /// the additional scrape configs, which are parsed).
    pub fn secret_plain(&self, sel: &core::SecretKeySelector) -> Result<String, String> {
        self.assets.raw_secret(self.namespace, sel)
    }

    /// A Secret value (redacted) or a ConfigMap value (as is).
    pub fn secret_or_config_map(&self, sel: &SecretOrConfigMap) -> Result<String, String> {
        if let Some(s) = &sel.secret {
            return self.secret(s);
        }
        if let Some(c) = &sel.config_map {
            return self.assets.raw_config_map(self.namespace, c);
        }
        Err("secret or configmap key selector is empty".into())
    }

    /// The file name of a TLS asset in the TLS assets Secret: `<0|1>_<namespace>_<name>_<key>`.
    pub fn tls_asset(&self, sel: &SecretOrConfigMap) -> String {
        if let Some(s) = &sel.secret {
            self.tls_asset_secret(s)
        } else if let Some(c) = &sel.config_map {
            let _ = self.assets.raw_config_map(self.namespace, c);
            format!("1_{}_{}_{}", self.namespace, c.name, c.key)
        } else {
            String::new()
        }
    }

    pub fn tls_asset_secret(&self, s: &core::SecretKeySelector) -> String {
        let _ = self.assets.raw_secret(self.namespace, s);
        format!("0_{}_{}_{}", self.namespace, s.name, s.key)
    }
}

/// Replaces every character outside `[a-zA-Z0-9_]` with `_`.
pub fn sanitize_label_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A relabel rule built from `(key, value)` pairs.
pub fn rule(entries: Vec<(&'static str, Yaml)>) -> Yaml {
    Yaml::Map(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
}

/// The user-facing relabel renderer (`relabelings`, `metricRelabelings`, `writeRelabelConfigs`).
pub fn relabel_configs(configs: &[RelabelConfig]) -> Vec<Yaml> {
    configs.iter().map(relabel_config).collect()
}

pub fn relabel_config(c: &RelabelConfig) -> Yaml {
    let mut m = Entries::new();
    if let Some(sl) = c.source_labels.as_ref().filter(|s| !s.is_empty()) {
        push(&mut m, "source_labels", Yaml::strs(sl.iter().cloned()));
    }
    if let Some(sep) = &c.separator {
        push(&mut m, "separator", sep.as_str());
    }
    if let Some(t) = c.target_label.as_ref().filter(|t| !t.is_empty()) {
        push(&mut m, "target_label", t.as_str());
    }
    if let Some(r) = c.regex.as_ref().filter(|r| !r.is_empty()) {
        push(&mut m, "regex", r.as_str());
    }
    if let Some(n) = c.modulus.filter(|n| *n != 0) {
        push(&mut m, "modulus", n);
    }
    if let Some(r) = &c.replacement {
        push(&mut m, "replacement", r.as_str());
    }
    if let Some(a) = c.action.as_ref().filter(|a| !a.is_empty()) {
        push(&mut m, "action", a.to_lowercase());
    }
    Yaml::Map(m)
}

/// The `enforcedNamespaceLabel` of an agent and its exclusions.
pub struct NamespaceEnforcer<'a> {
    pub label: &'a str,
    pub excluded: &'a [ObjectReference],
}

impl NamespaceEnforcer<'_> {
    /// Whether a monitor of `kind` (PodMonitor, ServiceMonitor, Probe, ScrapeConfig) is exempt.
    pub fn is_excluded(&self, kind: &str, namespace: &str, name: &str) -> bool {
        if self.label.is_empty() {
            return true;
        }
        self.excluded.iter().any(|r| {
            let group = r.group.as_deref().unwrap_or(crate::model::GROUP);
            let ref_kind = match r.resource.as_str() {
                "servicemonitors" => "ServiceMonitor",
                "podmonitors" => "PodMonitor",
                "probes" => "Probe",
                "scrapeconfigs" => "ScrapeConfig",
                "prometheusrules" => "PrometheusRule",
                _ => "",
            };
            !r.namespace.is_empty()
                && !ref_kind.is_empty()
                && !group.is_empty()
                && r.namespace == namespace
                && group == crate::model::GROUP
                && ref_kind == kind
                && r.name.as_deref().is_none_or(|n| n.is_empty() || n == name)
        })
    }

    /// The user's relabel configs, plus the enforced-namespace rule unless the monitor is exempt.
    pub fn apply(
        &self,
        kind: &str,
        namespace: &str,
        name: &str,
        configs: &[RelabelConfig],
    ) -> Vec<RelabelConfig> {
        let mut out = configs.to_vec();
        if !self.is_excluded(kind, namespace, name) {
            out.push(RelabelConfig {
                target_label: Some(self.label.to_string()),
                replacement: Some(namespace.to_string()),
                ..RelabelConfig::default()
            });
        }
        out
    }
}

/// `basic_auth: {username, password}`; a missing value becomes an empty string.
pub fn basic_auth(vg: Gen, store: Store, m: &mut Entries, auth: Option<&BasicAuth>) {
    let Some(auth) = auth else { return };
    let value = |sel: &Option<core::SecretKeySelector>| {
        sel.as_ref()
            .map(|s| store.secret(s).unwrap_or_default())
            .unwrap_or_default()
    };
    let username = value(&auth.username);
    let password = value(&auth.password);
    vg.push(
        m,
        "basic_auth",
        Yaml::Map(vec![
            ("username".into(), Yaml::Str(username)),
            ("password".into(), Yaml::Str(password)),
        ]),
    );
}

/// `authorization: {type, credentials, credentials_file}` for the full Authorization type.
pub fn authorization(vg: Gen, store: Store, m: &mut Entries, auth: Option<&Authorization>) {
    let Some(auth) = auth else { return };
    let mut a = Entries::new();
    let ty = match auth.r#type.as_deref() {
        None | Some("") => "Bearer",
        Some(t) => t,
    };
    push(&mut a, "type", ty.trim());
    if let Some(c) = &auth.credentials
        && let Ok(v) = store.secret(c)
    {
        push(&mut a, "credentials", v);
    }
    if let Some(f) = auth.credentials_file.as_ref().filter(|f| !f.is_empty()) {
        push(&mut a, "credentials_file", f.as_str());
    }
    vg.min("2.26.0").push(m, "authorization", Yaml::Map(a));
}

/// `authorization` for the SafeAuthorization type (no credentials file).
pub fn safe_authorization(
    vg: Gen,
    store: Store,
    m: &mut Entries,
    auth: Option<&SafeAuthorization>,
) {
    let full = auth.map(|a| Authorization {
        r#type: a.r#type.clone(),
        credentials: a.credentials.clone(),
        credentials_file: None,
    });
    authorization(vg, store, m, full.as_ref());
}

/// The scrape class's authorization fills in what the monitor leaves unset.
pub fn merge_authorization(
    auth: Option<&SafeAuthorization>,
    class: &ScrapeClass,
) -> Option<Authorization> {
    let auth = auth.filter(|a| a.r#type.is_some() || a.credentials.is_some());
    let Some(auth) = auth else {
        return class.authorization.clone();
    };
    let mut merged = Authorization {
        r#type: auth.r#type.clone(),
        credentials: auth.credentials.clone(),
        credentials_file: None,
    };
    if let Some(class_auth) = &class.authorization
        && merged.credentials.is_none()
    {
        merged.credentials = class_auth.credentials.clone();
        if merged.credentials.is_none() {
            merged.credentials_file = class_auth.credentials_file.clone();
        }
    }
    Some(merged)
}

/// A full TLS config from the Safe variant.
pub fn tls_from_safe(safe: &SafeTlsConfig) -> TlsConfig {
    TlsConfig {
        ca: safe.ca.clone(),
        cert: safe.cert.clone(),
        key_secret: safe.key_secret.clone(),
        server_name: safe.server_name.clone(),
        insecure_skip_verify: safe.insecure_skip_verify,
        min_version: safe.min_version,
        max_version: safe.max_version,
        ca_file: None,
        cert_file: None,
        key_file: None,
    }
}

fn selector_set(s: &Option<SecretOrConfigMap>) -> bool {
    s.as_ref()
        .is_some_and(|s| s.secret.is_some() || s.config_map.is_some())
}

/// Merges a monitor's TLS config with its scrape class: no monitor TLS → the class's; otherwise the
/// class's file paths fill empty CA / cert / key slots.
pub fn merge_tls(tls: Option<&TlsConfig>, class: &ScrapeClass) -> Option<TlsConfig> {
    let Some(tls) = tls else {
        return class.tls_config.clone();
    };
    let Some(class_tls) = &class.tls_config else {
        return Some(tls.clone());
    };
    let mut t = tls.clone();
    if t.ca_file.as_deref().unwrap_or("").is_empty() && !selector_set(&t.ca) {
        t.ca_file = class_tls.ca_file.clone();
    }
    if t.cert_file.as_deref().unwrap_or("").is_empty() && !selector_set(&t.cert) {
        t.cert_file = class_tls.cert_file.clone();
    }
    if t.key_file.as_deref().unwrap_or("").is_empty() && t.key_secret.is_none() {
        t.key_file = class_tls.key_file.clone();
    }
    Some(t)
}

/// Merges a Safe TLS config with the scrape class (a zero Safe config counts as absent).
pub fn merge_safe_tls(tls: Option<&SafeTlsConfig>, class: &ScrapeClass) -> Option<TlsConfig> {
    match tls {
        Some(t) if *t != SafeTlsConfig::default() => merge_tls(Some(&tls_from_safe(t)), class),
        _ => merge_tls(None, class),
    }
}

/// The keys of a Safe TLS config (asset files under [`TLS_ASSETS_DIR`]).
pub fn safe_tls_entries(vg: Gen, store: Store, t: &TlsConfig) -> Entries {
    let mut m = Entries::new();
    if let Some(v) = t.insecure_skip_verify {
        push(&mut m, "insecure_skip_verify", v);
    }
    if let Some(ca) =
        t.ca.as_ref()
            .filter(|c| c.secret.is_some() || c.config_map.is_some())
    {
        push(
            &mut m,
            "ca_file",
            format!("{TLS_ASSETS_DIR}/{}", store.tls_asset(ca)),
        );
    }
    if let Some(cert) = t
        .cert
        .as_ref()
        .filter(|c| c.secret.is_some() || c.config_map.is_some())
    {
        push(
            &mut m,
            "cert_file",
            format!("{TLS_ASSETS_DIR}/{}", store.tls_asset(cert)),
        );
    }
    if let Some(key) = &t.key_secret {
        push(
            &mut m,
            "key_file",
            format!("{TLS_ASSETS_DIR}/{}", store.tls_asset_secret(key)),
        );
    }
    if let Some(sn) = t.server_name.as_ref().filter(|s| !s.is_empty()) {
        push(&mut m, "server_name", sn.as_str());
    }
    if let Some(v) = t.min_version {
        vg.min("2.35.0")
            .push(&mut m, "min_version", Yaml::str(v.as_str()));
    }
    if let Some(v) = t.max_version {
        vg.min("2.41.0")
            .push(&mut m, "max_version", Yaml::str(v.as_str()));
    }
    m
}

/// `tls_config` for a Safe TLS config.
pub fn safe_tls_config(vg: Gen, store: Store, m: &mut Entries, tls: Option<&SafeTlsConfig>) {
    let Some(t) = tls else { return };
    let entries = safe_tls_entries(vg, store, &tls_from_safe(t));
    vg.push(m, "tls_config", Yaml::Map(entries));
}

/// `tls_config` for a full TLS config (asset files, then literal file paths).
pub fn tls_config(vg: Gen, store: Store, m: &mut Entries, tls: Option<&TlsConfig>) {
    let Some(t) = tls else { return };
    let mut entries = safe_tls_entries(vg, store, t);
    for (key, value) in [
        ("ca_file", &t.ca_file),
        ("cert_file", &t.cert_file),
        ("key_file", &t.key_file),
    ] {
        if let Some(v) = value.as_ref().filter(|v| !v.is_empty()) {
            push(&mut entries, key, v.as_str());
        }
    }
    vg.push(m, "tls_config", Yaml::Map(entries));
}

/// The proxy settings embedded in many types.
#[derive(Clone, Copy, Default)]
pub struct Proxy<'a> {
    pub proxy_url: Option<&'a str>,
    pub no_proxy: Option<&'a str>,
    pub proxy_from_environment: Option<bool>,
    pub proxy_connect_header: Option<&'a BTreeMap<String, Vec<core::SecretKeySelector>>>,
}

impl<'a> Proxy<'a> {
    pub fn new(
        proxy_url: &'a Option<String>,
        no_proxy: &'a Option<String>,
        proxy_from_environment: Option<bool>,
        proxy_connect_header: &'a Option<BTreeMap<String, Vec<core::SecretKeySelector>>>,
    ) -> Self {
        Proxy {
            proxy_url: proxy_url.as_deref(),
            no_proxy: no_proxy.as_deref(),
            proxy_from_environment,
            proxy_connect_header: proxy_connect_header.as_ref(),
        }
    }

    fn is_zero(&self) -> bool {
        self.proxy_url.is_none()
            && self.no_proxy.is_none()
            && self.proxy_from_environment.is_none()
            && self.proxy_connect_header.is_none()
    }
}

/// `proxy_url`, `no_proxy`, `proxy_from_environment`, `proxy_connect_header` (values are Secret values).
pub fn proxy(vg: Gen, store: Store, m: &mut Entries, p: Proxy) {
    if p.is_zero() {
        return;
    }
    if let Some(u) = p.proxy_url {
        vg.push(m, "proxy_url", Yaml::str(u));
    }
    let g = vg.min("2.43.0");
    if let Some(n) = p.no_proxy {
        g.push(m, "no_proxy", Yaml::str(n));
    }
    if let Some(e) = p.proxy_from_environment {
        g.push(m, "proxy_from_environment", Yaml::Bool(e));
    }
    if let Some(headers) = p.proxy_connect_header {
        let entries = headers
            .iter()
            .map(|(k, sels)| {
                let values = sels
                    .iter()
                    .map(|s| Yaml::Str(store.secret(s).unwrap_or_default()))
                    .collect();
                (k.clone(), Yaml::Seq(values))
            })
            .collect();
        g.push(m, "proxy_connect_header", Yaml::sorted_map(entries));
    }
}

/// `oauth2: {client_id, client_secret, token_url, scopes, endpoint_params, proxy…, tls_config}`; left
/// out entirely when the client id or secret cannot be read.
pub fn oauth2(vg: Gen, store: Store, m: &mut Entries, o: Option<&OAuth2>) {
    let Some(o) = o else { return };
    let Ok(client_id) = store.secret_or_config_map(&o.client_id) else {
        return;
    };
    let Ok(client_secret) = store.secret(&o.client_secret) else {
        return;
    };
    let mut c = Entries::new();
    push(&mut c, "client_id", client_id);
    push(&mut c, "client_secret", client_secret);
    push(&mut c, "token_url", o.token_url.as_str());
    if let Some(s) = o.scopes.as_ref().filter(|s| !s.is_empty()) {
        push(&mut c, "scopes", Yaml::strs(s.iter().cloned()));
    }
    if let Some(p) = o.endpoint_params.as_ref().filter(|p| !p.is_empty()) {
        let entries = p
            .iter()
            .map(|(k, v)| (k.clone(), Yaml::str(v.as_str())))
            .collect();
        push(&mut c, "endpoint_params", Yaml::sorted_map(entries));
    }
    let g = vg.min("2.43.0");
    proxy(
        g,
        store,
        &mut c,
        Proxy::new(
            &o.proxy_url,
            &o.no_proxy,
            o.proxy_from_environment,
            &o.proxy_connect_header,
        ),
    );
    safe_tls_config(g, store, &mut c, o.tls_config.as_ref());
    vg.min("2.27.0").push(m, "oauth2", Yaml::Map(c));
}

/// `sigv4: {region, access_key, secret_key, profile, role_arn, external_id, use_fips_sts_endpoint}`.
pub fn sigv4(vg: Gen, store: Store, m: &mut Entries, s: Option<&Sigv4>) {
    let Some(s) = s else { return };
    let mut c = Entries::new();
    if let Some(r) = s.region.as_ref().filter(|r| !r.is_empty()) {
        push(&mut c, "region", r.as_str());
    }
    if let (Some(ak), Some(sk)) = (&s.access_key, &s.secret_key) {
        let ak = store.secret(ak).unwrap_or_default();
        let sk = store.secret(sk).unwrap_or_default();
        if !ak.is_empty() && !sk.is_empty() {
            push(&mut c, "access_key", ak);
            push(&mut c, "secret_key", sk);
        }
    }
    if let Some(p) = s.profile.as_ref().filter(|p| !p.is_empty()) {
        push(&mut c, "profile", p.as_str());
    }
    if let Some(r) = s.role_arn.as_ref().filter(|r| !r.is_empty()) {
        push(&mut c, "role_arn", r.as_str());
    }
    if let Some(e) = s.external_id.as_ref().filter(|e| !e.is_empty()) {
        vg.min("3.11.0")
            .push(&mut c, "external_id", Yaml::str(e.as_str()));
    }
    if let Some(f) = s.use_fipssts_endpoint {
        vg.min("2.54.0")
            .push(&mut c, "use_fips_sts_endpoint", Yaml::Bool(f));
    }
    vg.push(m, "sigv4", Yaml::Map(c));
}

/// HTTP client keys of monitor endpoints: `follow_redirects`, `enable_http2`, then the (class-merged)
/// `tls_config`.
pub fn http_config(
    vg: Gen,
    store: Store,
    m: &mut Entries,
    follow_redirects: Option<bool>,
    enable_http2: Option<bool>,
    tls: Option<&TlsConfig>,
) {
    if let Some(f) = follow_redirects {
        vg.min("2.26.0").push(m, "follow_redirects", Yaml::Bool(f));
    }
    if let Some(h) = enable_http2 {
        vg.min("2.35.0").push(m, "enable_http2", Yaml::Bool(h));
    }
    tls_config(vg, store, m, tls);
}

/// The per-job value of a limit: the user's value bounded by the enforced one.
pub fn job_limit(version: &Version, user: Option<i64>, enforced: Option<i64>) -> Option<i64> {
    let e = enforced.unwrap_or(0);
    let u = user.unwrap_or(0);
    if e == 0 {
        return user;
    }
    if u == 0 {
        return if version.at_least(2, 45, 0) {
            None
        } else {
            enforced
        };
    }
    if e > u { user } else { enforced }
}

/// The agent-wide `enforced*` limits.
#[derive(Clone, Copy, Default)]
pub struct EnforcedLimits {
    pub sample: Option<i64>,
    pub target: Option<i64>,
    pub label: Option<i64>,
    pub label_name_length: Option<i64>,
    pub label_value_length: Option<i64>,
    pub keep_dropped_targets: Option<i64>,
}

/// A monitor's limits.
#[derive(Clone, Copy, Default)]
pub struct Limits {
    pub sample: Option<i64>,
    pub target: Option<i64>,
    pub label: Option<i64>,
    pub label_name_length: Option<i64>,
    pub label_value_length: Option<i64>,
    pub keep_dropped_targets: Option<i64>,
}

/// `sample_limit`, `target_limit`, `label_limit`, `label_name_length_limit`,
/// `label_value_length_limit`, `keep_dropped_targets`.
pub fn limits(vg: Gen, m: &mut Entries, l: Limits, e: EnforcedLimits) {
    let v = vg.version;
    let items = [
        ("sample_limit", l.sample, e.sample, None),
        ("target_limit", l.target, e.target, Some("2.21.0")),
        ("label_limit", l.label, e.label, Some("2.27.0")),
        (
            "label_name_length_limit",
            l.label_name_length,
            e.label_name_length,
            Some("2.27.0"),
        ),
        (
            "label_value_length_limit",
            l.label_value_length,
            e.label_value_length,
            Some("2.27.0"),
        ),
        (
            "keep_dropped_targets",
            l.keep_dropped_targets,
            e.keep_dropped_targets,
            Some("2.47.0"),
        ),
    ];
    for (key, user, enforced, min) in items {
        if let Some(value) = job_limit(v, user, enforced) {
            let g = match min {
                Some(min) => vg.min(min),
                None => vg,
            };
            g.push(m, key, Yaml::Int(value));
        }
    }
}

/// `honor_labels` (forced false by `overrideHonorLabels`).
pub fn honor_labels(vg: Gen, m: &mut Entries, honor: bool, override_honor_labels: bool) {
    vg.push(
        m,
        "honor_labels",
        Yaml::Bool(honor && !override_honor_labels),
    );
}

/// `honor_timestamps`, only when the user set it or `overrideHonorTimestamps` is on.
pub fn honor_timestamps(
    vg: Gen,
    m: &mut Entries,
    user: Option<bool>,
    override_honor_timestamps: bool,
) {
    if user.is_none() && !override_honor_timestamps {
        return;
    }
    let honor = user.unwrap_or(false);
    vg.min("2.9.0").push(
        m,
        "honor_timestamps",
        Yaml::Bool(honor && !override_honor_timestamps),
    );
}

pub fn track_timestamps_staleness(vg: Gen, m: &mut Entries, v: Option<bool>) {
    if let Some(v) = v {
        vg.min("2.48.0")
            .push(m, "track_timestamps_staleness", Yaml::Bool(v));
    }
}

/// `scrape_protocols` (≥ 2.49.0); `PrometheusText1.0.0` needs 3.0.0-rc.0.
pub fn scrape_protocols(vg: Gen, m: &mut Entries, protocols: Option<&[ScrapeProtocol]>) {
    let Some(ps) = protocols.filter(|p| !p.is_empty()) else {
        return;
    };
    let text1_ok = vg.at_least("3.0.0-rc.0");
    let values = ps
        .iter()
        .filter(|p| text1_ok || **p != ScrapeProtocol::PrometheusText100)
        .map(|p| Yaml::str(p.as_str()))
        .collect();
    vg.min("2.49.0")
        .push(m, "scrape_protocols", Yaml::Seq(values));
}

pub fn fallback_scrape_protocol(vg: Gen, m: &mut Entries, p: Option<ScrapeProtocol>) {
    if let Some(p) = p {
        vg.min("3.0.0")
            .push(m, "fallback_scrape_protocol", Yaml::str(p.as_str()));
    }
}

/// A monitor's native-histogram settings.
#[derive(Clone, Copy, Default)]
pub struct NativeHistograms<'a> {
    pub scrape_native_histograms: Option<bool>,
    pub native_histogram_bucket_limit: Option<i64>,
    pub native_histogram_min_bucket_factor: Option<&'a Quantity>,
    pub scrape_classic_histograms: Option<bool>,
    pub convert_classic_histograms_to_nhcb: Option<bool>,
}

pub fn native_histograms(vg: Gen, m: &mut Entries, n: NativeHistograms) {
    if let Some(v) = n.scrape_native_histograms {
        vg.min("3.8.0")
            .push(m, "scrape_native_histograms", Yaml::Bool(v));
    }
    if let Some(v) = n.native_histogram_bucket_limit {
        vg.min("2.45.0")
            .push(m, "native_histogram_bucket_limit", Yaml::Int(v));
    }
    if let Some(q) = n.native_histogram_min_bucket_factor {
        vg.min("2.50.0").push(
            m,
            "native_histogram_min_bucket_factor",
            Yaml::Float(quantity_to_f64(&q.0)),
        );
    }
    if let Some(v) = n.scrape_classic_histograms {
        if vg.version.major == 3 {
            vg.push(m, "always_scrape_classic_histograms", Yaml::Bool(v));
        } else {
            vg.min("2.45.0")
                .push(m, "scrape_classic_histograms", Yaml::Bool(v));
        }
    }
    if let Some(v) = n.convert_classic_histograms_to_nhcb {
        vg.min("3.0.0")
            .push(m, "convert_classic_histograms_to_nhcb", Yaml::Bool(v));
    }
}

/// A Kubernetes quantity (`0.5`, `100m`, `1Ki`, `1e3`) as an approximate float; 0 when it is not
/// one (the CRD's schema admits only quantities).
pub fn quantity_to_f64(q: &str) -> f64 {
    crate::kube::quantity::parse(q).unwrap_or(0.0)
}

/// Bytes of a base-2 size such as `1KB` (= 1024), `10MiB`, `512B`; `None` when unparsable.
pub fn parse_base2_bytes(s: &str) -> Option<u128> {
    let s = s.trim();
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (num, unit) = s.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mult: u128 = match unit {
        "B" => 1,
        "KB" | "KiB" => 1 << 10,
        "MB" | "MiB" => 1 << 20,
        "GB" | "GiB" => 1 << 30,
        "TB" | "TiB" => 1 << 40,
        "PB" | "PiB" => 1 << 50,
        "EB" | "EiB" => 1 << 60,
        _ => return None,
    };
    Some((n * mult as f64) as u128)
}

/// The per-job body size limit: the monitor's value unless the enforced one is smaller.
pub fn lower_byte_size<'a>(monitor: Option<&'a str>, enforced: Option<&'a str>) -> Option<&'a str> {
    let enforced = enforced.filter(|e| !e.is_empty());
    let monitor = monitor.filter(|m| !m.is_empty());
    let Some(e) = enforced else { return monitor };
    let Some(v) = monitor else { return Some(e) };
    let vb = parse_base2_bytes(v).unwrap_or(0);
    let eb = parse_base2_bytes(e).unwrap_or(0);
    if vb > eb { Some(e) } else { Some(v) }
}

/// The scrape class a monitor uses: the named one, else the default one, else none.
pub fn scrape_class(classes: &[ScrapeClass], name: Option<&str>) -> ScrapeClass {
    if let Some(n) = name
        && let Some(c) = classes.iter().find(|c| c.name == n)
    {
        return c.clone();
    }
    classes
        .iter()
        .find(|c| c.default == Some(true))
        .cloned()
        .unwrap_or_default()
}

/// The namespaces a monitor's service discovery watches: its own unless `namespaceSelector` says
/// otherwise; an empty list means all namespaces.
pub fn sd_namespaces(
    selector: Option<&NamespaceSelector>,
    namespace: &str,
    ignore_selectors: bool,
) -> Vec<String> {
    if ignore_selectors {
        return vec![namespace.to_string()];
    }
    let sel = selector.cloned().unwrap_or_default();
    if sel.any == Some(true) {
        return Vec::new();
    }
    match sel.match_names {
        Some(names) if !names.is_empty() => names,
        _ => vec![namespace.to_string()],
    }
}

/// The Kubernetes label-selector string of a selector (`a=b,c in (d,e),!f`), as `labels.Selector.String()`.
pub fn label_selector_string(sel: &LabelSelector) -> String {
    let mut reqs: Vec<(String, String)> = Vec::new();
    for (k, v) in sel.match_labels.iter().flatten() {
        reqs.push((k.clone(), format!("{k}={v}")));
    }
    for e in sel.match_expressions.iter().flatten() {
        let mut values = e.values.clone().unwrap_or_default();
        values.sort();
        let text = match e.operator.as_str() {
            "In" => format!("{} in ({})", e.key, values.join(",")),
            "NotIn" => format!("{} notin ({})", e.key, values.join(",")),
            "Exists" => e.key.clone(),
            "DoesNotExist" => format!("!{}", e.key),
            other => format!("{} {other} ({})", e.key, values.join(",")),
        };
        reqs.push((e.key.clone(), text));
    }
    reqs.sort_by(|a, b| a.0.cmp(&b.0));
    reqs.into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(",")
}

/// The relabel rules that keep only targets whose `<prefix>_label_*` match a label selector.
pub fn selector_relabelings(prefix: &str, sel: &LabelSelector) -> Vec<Yaml> {
    let mut out = Vec::new();
    for (k, v) in sel.match_labels.iter().flatten() {
        let k2 = sanitize_label_name(k);
        out.push(rule(vec![
            ("action", Yaml::str("keep")),
            (
                "source_labels",
                Yaml::strs([
                    format!("{prefix}_label_{k2}"),
                    format!("{prefix}_labelpresent_{k2}"),
                ]),
            ),
            ("regex", Yaml::Str(format!("({v});true"))),
        ]));
    }
    for e in sel.match_expressions.iter().flatten() {
        let k2 = sanitize_label_name(&e.key);
        let values = e.values.clone().unwrap_or_default().join("|");
        let both = Yaml::strs([
            format!("{prefix}_label_{k2}"),
            format!("{prefix}_labelpresent_{k2}"),
        ]);
        let present = Yaml::strs([format!("{prefix}_labelpresent_{k2}")]);
        let r = match e.operator.as_str() {
            "In" => rule(vec![
                ("action", Yaml::str("keep")),
                ("source_labels", both),
                ("regex", Yaml::Str(format!("({values});true"))),
            ]),
            "NotIn" => rule(vec![
                ("action", Yaml::str("drop")),
                ("source_labels", both),
                ("regex", Yaml::Str(format!("({values});true"))),
            ]),
            "Exists" => rule(vec![
                ("action", Yaml::str("keep")),
                ("source_labels", present),
                ("regex", Yaml::str("true")),
            ]),
            "DoesNotExist" => rule(vec![
                ("action", Yaml::str("drop")),
                ("source_labels", present),
                ("regex", Yaml::str("true")),
            ]),
            _ => continue,
        };
        out.push(r);
    }
    out
}

/// How sharding relabelings are generated for one agent.
#[derive(Clone, Debug)]
pub struct Sharding {
    pub shards: i32,
    /// `Some(number of zones)` when topology sharding is active.
    pub topology_zones: Option<i32>,
    pub pod_topology_labels: bool,
}

/// The `hashmod` sharding rules on `label` (`__address__` or `__param_target`).
pub fn sharding_relabelings(s: &Sharding, label: &str) -> Vec<Yaml> {
    let mut out = Vec::new();
    let mut modulus = s.shards as i64;
    let mut var = "SHARD";
    if let Some(zones) = s.topology_zones {
        modulus = (s.shards / zones.max(1)).max(1) as i64;
        var = "INZONE_SHARD";
        out.push(rule(vec![
            (
                "source_labels",
                Yaml::strs([
                    "__meta_kubernetes_endpointslice_endpoint_zone",
                    "__tmp_topology",
                ]),
            ),
            ("target_label", Yaml::str("__tmp_topology")),
            ("regex", Yaml::str("(.+);")),
            ("replacement", Yaml::str("$1")),
            ("action", Yaml::str("replace")),
        ]));
        let (zone, present) = if s.pod_topology_labels {
            (
                "__meta_kubernetes_pod_label_topology_kubernetes_io_zone",
                "__meta_kubernetes_pod_labelpresent_topology_kubernetes_io_zone",
            )
        } else {
            (
                "__meta_kubernetes_node_label_topology_kubernetes_io_zone",
                "__meta_kubernetes_node_labelpresent_topology_kubernetes_io_zone",
            )
        };
        out.push(rule(vec![
            (
                "source_labels",
                Yaml::strs([zone, present, "__tmp_topology"]),
            ),
            ("target_label", Yaml::str("__tmp_topology")),
            ("regex", Yaml::str("(.+);true;")),
            ("replacement", Yaml::str("$1")),
            ("action", Yaml::str("replace")),
        ]));
        out.push(rule(vec![
            (
                "source_labels",
                Yaml::strs(["__tmp_topology", "__tmp_disable_sharding"]),
            ),
            ("regex", Yaml::str("$(TOPOLOGY_ZONE);|.+;.+")),
            ("action", Yaml::str("keep")),
        ]));
    }
    out.push(rule(vec![
        ("source_labels", Yaml::strs([label, "__tmp_hash"])),
        ("target_label", Yaml::str("__tmp_hash")),
        ("regex", Yaml::str("(.+);")),
        ("replacement", Yaml::str("$1")),
        ("action", Yaml::str("replace")),
    ]));
    out.push(rule(vec![
        ("source_labels", Yaml::strs(["__tmp_hash"])),
        ("target_label", Yaml::str("__tmp_hash")),
        ("modulus", Yaml::Int(modulus)),
        ("action", Yaml::str("hashmod")),
    ]));
    out.push(rule(vec![
        (
            "source_labels",
            Yaml::strs(["__tmp_hash", "__tmp_disable_sharding"]),
        ),
        ("regex", Yaml::Str(format!("$({var});|.+;.+"))),
        ("action", Yaml::str("keep")),
    ]));
    out
}

/// `attach_metadata` settings resolved for one monitor.
#[derive(Clone, Copy, Debug)]
pub struct AttachMetadata {
    pub node: bool,
    pub min_version: &'static str,
}

/// Everything a `kubernetes_sd_configs` entry depends on.
pub struct K8sSd<'a> {
    pub role: &'a str,
    pub namespaces: Vec<String>,
    pub apiserver: Option<&'a ApiServerConfig>,
    pub attach_metadata: Option<AttachMetadata>,
    pub daemon_set: bool,
    /// With `selectorMechanism: RoleSelector`: the roles and the selector to filter on.
    pub role_selector: Option<(Vec<&'a str>, &'a LabelSelector)>,
}

/// `kubernetes_sd_configs: [ {role, namespaces, api_server…, attach_metadata, selectors} ]`.
pub fn kubernetes_sd_configs(vg: Gen, store: Store, sd: &K8sSd) -> Yaml {
    let mut c = Entries::new();
    push(&mut c, "role", sd.role);
    if !sd.namespaces.is_empty() {
        push(
            &mut c,
            "namespaces",
            Yaml::Map(vec![(
                "names".into(),
                Yaml::strs(sd.namespaces.iter().cloned()),
            )]),
        );
    }
    if let Some(api) = sd.apiserver {
        push(&mut c, "api_server", api.host.as_str());
        basic_auth(vg, store, &mut c, api.basic_auth.as_ref());
        if let Some(t) = api.bearer_token.as_ref().filter(|t| !t.is_empty()) {
            push(&mut c, "bearer_token", t.as_str());
        }
        if let Some(f) = api.bearer_token_file.as_ref().filter(|f| !f.is_empty()) {
            push(&mut c, "bearer_token_file", f.as_str());
        }
        authorization(vg, store, &mut c, api.authorization.as_ref());
        tls_config(vg, store, &mut c, api.tls_config.as_ref());
        proxy(
            vg,
            store,
            &mut c,
            Proxy::new(
                &api.proxy_url,
                &api.no_proxy,
                api.proxy_from_environment,
                &api.proxy_connect_header,
            ),
        );
    }
    if let Some(am) = sd.attach_metadata {
        vg.min(am.min_version).push(
            &mut c,
            "attach_metadata",
            Yaml::Map(vec![("node".into(), Yaml::Bool(am.node))]),
        );
    }
    let mut selectors: Vec<Yaml> = Vec::new();
    let mut have_selectors = false;
    if sd.daemon_set && vg.compatible {
        selectors.push(rule(vec![
            ("role", Yaml::str("pod")),
            ("field", Yaml::str("spec.nodeName=$(NODE_NAME)")),
        ]));
        have_selectors = true;
    }
    if let Some((roles, sel)) = &sd.role_selector {
        let text = label_selector_string(sel);
        for r in roles {
            selectors.push(rule(vec![
                ("role", Yaml::str(*r)),
                ("label", Yaml::Str(text.clone())),
            ]));
        }
        have_selectors = have_selectors || vg.compatible;
    }
    if have_selectors {
        push(&mut c, "selectors", Yaml::Seq(selectors));
    }
    Yaml::Seq(vec![Yaml::Map(c)])
}

/// `{source_labels: [job], target_label: __tmp_prometheus_job_name}`, the first rule of every job.
pub fn init_relabelings() -> Vec<Yaml> {
    vec![rule(vec![
        ("source_labels", Yaml::strs(["job"])),
        ("target_label", Yaml::str("__tmp_prometheus_job_name")),
    ])]
}

/// Drops targets of pods that are no longer running.
pub fn running_filter() -> Yaml {
    rule(vec![
        ("action", Yaml::str("drop")),
        ("source_labels", Yaml::strs(["__meta_kubernetes_pod_phase"])),
        ("regex", Yaml::str("(Failed|Succeeded)")),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse_tolerant(s).unwrap()
    }

    #[test]
    fn version_gates() {
        let old = v("2.26.0");
        let g = Gen::new(&old);
        let mut m = Entries::new();
        g.min("2.27.0").push(&mut m, "a", Yaml::Int(1));
        g.min("2.26.0").push(&mut m, "b", Yaml::Int(2));
        g.max("2.11.0").push(&mut m, "c", Yaml::Int(3));
        assert_eq!(m, vec![("b".into(), Yaml::Int(2))]);
        let rc = v("3.0.0-rc.0");
        assert!(Gen::new(&rc).at_least("3.0.0-rc.0"));
        assert!(!Gen::new(&rc).at_least("3.0.0"));
    }

    #[test]
    fn limits_follow_the_enforced_rule() {
        let new = v("2.45.0");
        let old = v("2.44.0");
        assert_eq!(job_limit(&new, None, Some(10)), None);
        assert_eq!(job_limit(&old, None, Some(10)), Some(10));
        assert_eq!(job_limit(&new, Some(20), Some(10)), Some(10));
        assert_eq!(job_limit(&new, Some(5), Some(10)), Some(5));
        assert_eq!(job_limit(&new, Some(5), None), Some(5));
    }

    #[test]
    fn selector_strings() {
        let sel: LabelSelector = serde_json::from_value(serde_json::json!({
            "matchLabels": {"b": "2", "a": "1"},
            "matchExpressions": [{"key": "c", "operator": "In", "values": ["y", "x"]},
                                 {"key": "0d", "operator": "DoesNotExist"}]
        }))
        .unwrap();
        assert_eq!(label_selector_string(&sel), "!0d,a=1,b=2,c in (x,y)");
    }

    #[test]
    fn byte_sizes_and_quantities() {
        assert_eq!(parse_base2_bytes("1KB"), Some(1024));
        assert_eq!(lower_byte_size(Some("2GB"), Some("1GB")), Some("1GB"));
        assert_eq!(lower_byte_size(Some("1MB"), Some("1GB")), Some("1MB"));
        assert_eq!(lower_byte_size(None, Some("1GB")), Some("1GB"));
        assert_eq!(quantity_to_f64("0.5"), 0.5);
        assert_eq!(quantity_to_f64("100m"), 0.1);
        assert_eq!(quantity_to_f64("1Ki"), 1024.0);
    }

    #[test]
    fn sanitizes_label_names() {
        assert_eq!(
            sanitize_label_name("app.kubernetes.io/name"),
            "app_kubernetes_io_name"
        );
    }
}
