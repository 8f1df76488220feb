//! prometheus/common's HTTP client configuration (`config.HTTPClientConfig`): authentication
//! (basic, authorization, OAuth2, bearer token) and its exclusivity rules, TLS, proxy and custom
//! headers, as checked when Prometheus loads its file. Files named here are never read.

use super::decode::{Decoder, Fields, go_quote, is_null};
use super::url::Url;

/// The keys an HTTP client configuration adds, inline, to the struct that embeds it.
pub const FIELDS: &[&str] = &[
    "basic_auth",
    "authorization",
    "oauth2",
    "bearer_token",
    "bearer_token_file",
    "tls_config",
    "follow_redirects",
    "enable_http2",
    "proxy_url",
    "no_proxy",
    "proxy_from_environment",
    "proxy_connect_header",
    "http_headers",
];

#[derive(Clone, Debug, Default, PartialEq)]
pub struct BasicAuth {
    pub username: String,
    pub username_file: String,
    pub username_ref: String,
    pub password: String,
    pub password_file: String,
    pub password_ref: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Authorization {
    pub kind: String,
    pub credentials: String,
    pub credentials_file: String,
    pub credentials_ref: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct OAuth2 {
    pub client_id: String,
    pub client_secret: String,
    pub client_secret_file: String,
    pub client_secret_ref: String,
    pub client_certificate_key: String,
    pub client_certificate_key_file: String,
    pub client_certificate_key_ref: String,
    pub grant_type: String,
    pub signature_algorithm: String,
    pub token_url: String,
    pub scopes: Vec<String>,
    pub tls: TlsConfig,
    pub proxy: ProxyConfig,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TlsConfig {
    pub ca: String,
    pub ca_file: String,
    pub ca_ref: String,
    pub cert: String,
    pub cert_file: String,
    pub cert_ref: String,
    pub key: String,
    pub key_file: String,
    pub key_ref: String,
    pub server_name: String,
    pub insecure_skip_verify: bool,
    pub min_version: String,
    pub max_version: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProxyConfig {
    pub proxy_url: Option<Url>,
    pub no_proxy: String,
    pub proxy_from_environment: bool,
    pub proxy_connect_header: Vec<(String, Vec<String>)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HttpClientConfig {
    pub basic_auth: Option<BasicAuth>,
    pub authorization: Option<Authorization>,
    pub oauth2: Option<OAuth2>,
    pub bearer_token: String,
    pub bearer_token_file: String,
    pub tls: TlsConfig,
    pub follow_redirects: bool,
    pub enable_http2: bool,
    pub proxy: ProxyConfig,
    /// `http_headers`: header name → number of values, secrets and files it sets.
    pub http_headers: Vec<String>,
}

impl Default for HttpClientConfig {
    /// `config.DefaultHTTPClientConfig`.
    fn default() -> Self {
        HttpClientConfig {
            basic_auth: None,
            authorization: None,
            oauth2: None,
            bearer_token: String::new(),
            bearer_token_file: String::new(),
            tls: TlsConfig::default(),
            follow_redirects: true,
            enable_http2: true,
            proxy: ProxyConfig::default(),
            http_headers: Vec::new(),
        }
    }
}

const TLS_FIELDS: &[&str] = &[
    "ca",
    "cert",
    "key",
    "ca_file",
    "cert_file",
    "key_file",
    "ca_ref",
    "cert_ref",
    "key_ref",
    "server_name",
    "insecure_skip_verify",
    "min_version",
    "max_version",
];

const TLS_VERSIONS: &[&str] = &["TLS13", "TLS12", "TLS11", "TLS10"];

/// Headers no `http_headers` entry may set.
const RESERVED_HEADERS: &[&str] = &[
    "Connection",
    "Keep-Alive",
    "Proxy-Authenticate",
    "Proxy-Authorization",
    "Www-Authenticate",
    "Accept-Encoding",
    "X-Prometheus-Remote-Write-Version",
    "X-Prometheus-Remote-Read-Version",
    "X-Prometheus-Scrape-Timeout-Seconds",
    "X-Amz-Date",
    "X-Amz-Security-Token",
    "X-Amz-Content-Sha256",
];

/// Go's `http.CanonicalHeaderKey`.
pub fn canonical_header_key(name: &str) -> String {
    if name
        .chars()
        .any(|c| c == ' ' || !c.is_ascii() || c.is_ascii_control())
    {
        return name.to_string();
    }
    let mut upper = true;
    name.chars()
        .map(|c| {
            let out = if upper {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            };
            upper = c == '-';
            out
        })
        .collect()
}

/// Decodes the inline HTTP client fields of `fields`.
pub fn decode_inline(d: &mut Decoder, fields: &Fields) -> HttpClientConfig {
    let mut c = HttpClientConfig::default();
    if let Some(n) = fields.get("basic_auth").filter(|n| !is_null(n)) {
        c.basic_auth = decode_basic_auth(d, n);
    }
    if let Some(n) = fields.get("authorization").filter(|n| !is_null(n)) {
        c.authorization = decode_authorization(d, n);
    }
    if let Some(n) = fields.get("oauth2").filter(|n| !is_null(n)) {
        c.oauth2 = decode_oauth2(d, n);
    }
    if let Some(n) = fields.get("bearer_token") {
        c.bearer_token = d.string(n).unwrap_or_default();
    }
    if let Some(n) = fields.get("bearer_token_file") {
        c.bearer_token_file = d.string(n).unwrap_or_default();
    }
    if let Some(n) = fields.get("tls_config") {
        c.tls = decode_tls(d, n);
    }
    if let Some(n) = fields.get("follow_redirects") {
        c.follow_redirects = d.bool(n).unwrap_or(true);
    }
    if let Some(n) = fields.get("enable_http2") {
        c.enable_http2 = d.bool(n).unwrap_or(true);
    }
    c.proxy = decode_proxy(d, fields);
    if let Some(n) = fields.get("http_headers").filter(|n| !is_null(n)) {
        c.http_headers = decode_headers(d, n);
    }
    c
}

fn str_field(d: &mut Decoder, f: &Fields, name: &str) -> String {
    f.get(name).and_then(|n| d.string(n)).unwrap_or_default()
}

fn decode_basic_auth(d: &mut Decoder, node: &crate::load::yaml::Node) -> Option<BasicAuth> {
    let f = d.fields(
        node,
        "config.plain",
        &[
            "username",
            "username_file",
            "username_ref",
            "password",
            "password_file",
            "password_ref",
        ],
    )?;
    Some(BasicAuth {
        username: str_field(d, &f, "username"),
        username_file: str_field(d, &f, "username_file"),
        username_ref: str_field(d, &f, "username_ref"),
        password: str_field(d, &f, "password"),
        password_file: str_field(d, &f, "password_file"),
        password_ref: str_field(d, &f, "password_ref"),
    })
}

fn decode_authorization(d: &mut Decoder, node: &crate::load::yaml::Node) -> Option<Authorization> {
    let f = d.fields(
        node,
        "config.Authorization",
        &["type", "credentials", "credentials_file", "credentials_ref"],
    )?;
    Some(Authorization {
        kind: str_field(d, &f, "type"),
        credentials: str_field(d, &f, "credentials"),
        credentials_file: str_field(d, &f, "credentials_file"),
        credentials_ref: str_field(d, &f, "credentials_ref"),
    })
}

fn decode_oauth2(d: &mut Decoder, node: &crate::load::yaml::Node) -> Option<OAuth2> {
    let mut known = vec![
        "client_id",
        "client_secret",
        "client_secret_file",
        "client_secret_ref",
        "client_certificate_key_id",
        "client_certificate_key",
        "client_certificate_key_file",
        "client_certificate_key_ref",
        "grant_type",
        "signature_algorithm",
        "iss",
        "audience",
        "claims",
        "scopes",
        "token_url",
        "endpoint_params",
        "tls_config",
    ];
    known.extend([
        "proxy_url",
        "no_proxy",
        "proxy_from_environment",
        "proxy_connect_header",
    ]);
    let f = d.fields(node, "config.OAuth2", &known)?;
    let mut o = OAuth2 {
        client_id: str_field(d, &f, "client_id"),
        client_secret: str_field(d, &f, "client_secret"),
        client_secret_file: str_field(d, &f, "client_secret_file"),
        client_secret_ref: str_field(d, &f, "client_secret_ref"),
        client_certificate_key: str_field(d, &f, "client_certificate_key"),
        client_certificate_key_file: str_field(d, &f, "client_certificate_key_file"),
        client_certificate_key_ref: str_field(d, &f, "client_certificate_key_ref"),
        grant_type: str_field(d, &f, "grant_type"),
        signature_algorithm: str_field(d, &f, "signature_algorithm"),
        token_url: str_field(d, &f, "token_url"),
        ..OAuth2::default()
    };
    for name in ["client_certificate_key_id", "iss", "audience"] {
        str_field(d, &f, name);
    }
    if let Some(n) = f.get("scopes") {
        o.scopes = d.strings(n).unwrap_or_default();
    }
    if let Some(n) = f.get("endpoint_params") {
        d.string_map(n);
    }
    if let Some(n) = f.get("tls_config") {
        o.tls = decode_tls(d, n);
    }
    o.proxy = decode_proxy(d, &f);
    Some(o)
}

/// A `tls_config` block, validated as `TLSConfig.UnmarshalYAML` does.
pub fn decode_tls(d: &mut Decoder, node: &crate::load::yaml::Node) -> TlsConfig {
    let mark = d.error_count();
    let Some(f) = d.fields(node, "config.plain", TLS_FIELDS) else {
        return TlsConfig::default();
    };
    let mut t = TlsConfig {
        ca: str_field(d, &f, "ca"),
        ca_file: str_field(d, &f, "ca_file"),
        ca_ref: str_field(d, &f, "ca_ref"),
        cert: str_field(d, &f, "cert"),
        cert_file: str_field(d, &f, "cert_file"),
        cert_ref: str_field(d, &f, "cert_ref"),
        key: str_field(d, &f, "key"),
        key_file: str_field(d, &f, "key_file"),
        key_ref: str_field(d, &f, "key_ref"),
        server_name: str_field(d, &f, "server_name"),
        ..TlsConfig::default()
    };
    if let Some(n) = f.get("insecure_skip_verify") {
        t.insecure_skip_verify = d.bool(n).unwrap_or_default();
    }
    for (name, slot) in [
        ("min_version", &mut t.min_version),
        ("max_version", &mut t.max_version),
    ] {
        if let Some(n) = f.get(name)
            && let Some(v) = d.string(n)
        {
            if TLS_VERSIONS.contains(&v.as_str()) {
                *slot = v;
            } else {
                d.error(n.span, format!("unknown TLS version: {v}"));
            }
        }
    }
    if d.failed_since(mark) {
        return t;
    }
    let count = |a: &str, b: &str, c: &str| [a, b, c].iter().filter(|s| !s.is_empty()).count();
    let message = if count(&t.ca, &t.ca_file, &t.ca_ref) > 1 {
        Some("at most one of ca, ca_file & ca_ref must be configured")
    } else if count(&t.cert, &t.cert_file, &t.cert_ref) > 1 {
        Some("at most one of cert, cert_file & cert_ref must be configured")
    } else if count(&t.key, &t.key_file, &t.key_ref) > 1 {
        Some("at most one of key and key_file must be configured")
    } else {
        let cert = count(&t.cert, &t.cert_file, &t.cert_ref) > 0;
        let key = count(&t.key, &t.key_file, &t.key_ref) > 0;
        if cert && !key {
            Some(
                "exactly one of key or key_file must be configured when a client certificate is configured",
            )
        } else if key && !cert {
            Some(
                "exactly one of cert or cert_file must be configured when a client key is configured",
            )
        } else {
            None
        }
    };
    if let Some(message) = message {
        d.error(node.span, message);
    }
    t
}

fn decode_proxy(d: &mut Decoder, f: &Fields) -> ProxyConfig {
    let mut p = ProxyConfig::default();
    if let Some(n) = f.get("proxy_url") {
        p.proxy_url = super::url::decode(d, n);
    }
    p.no_proxy = str_field(d, f, "no_proxy");
    if let Some(n) = f.get("proxy_from_environment") {
        p.proxy_from_environment = d.bool(n).unwrap_or_default();
    }
    if let Some(n) = f.get("proxy_connect_header").filter(|n| !is_null(n)) {
        if let crate::load::yaml::NodeValue::Map(entries) = &n.value {
            d.check_map_keys(n);
            for (key, value) in entries {
                let values = d
                    .seq(value, "[]config.Secret")
                    .map(|items| items.iter().filter_map(|i| d.string(i)).collect::<Vec<_>>());
                p.proxy_connect_header
                    .push((key.name.clone(), values.unwrap_or_default()));
            }
        } else {
            d.type_error(n, "config.ProxyHeader");
        }
    }
    p
}

fn decode_headers(d: &mut Decoder, node: &crate::load::yaml::Node) -> Vec<String> {
    let mut names = Vec::new();
    let crate::load::yaml::NodeValue::Map(entries) = &node.value else {
        d.type_error(node, "config.plain");
        return names;
    };
    d.check_map_keys(node);
    for (key, value) in entries {
        if let Some(f) = d.fields(value, "config.Header", &["values", "secrets", "files"]) {
            for name in ["values", "secrets", "files"] {
                if let Some(n) = f.get(name) {
                    d.strings(n);
                }
            }
        }
        names.push(key.name.clone());
    }
    names
}

impl HttpClientConfig {
    /// `HTTPClientConfig.Validate`: the first refusal, with the key to point at.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let err = |field: &'static str, m: &str| Err((field, m.to_string()));
        let bearer = !self.bearer_token.is_empty() || !self.bearer_token_file.is_empty();
        if !self.bearer_token.is_empty() && !self.bearer_token_file.is_empty() {
            return err(
                "bearer_token",
                "at most one of bearer_token & bearer_token_file must be configured",
            );
        }
        if (self.basic_auth.is_some() || self.oauth2.is_some()) && bearer {
            return err(
                "bearer_token",
                "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured",
            );
        }
        let count = |v: [&str; 3]| v.iter().filter(|s| !s.is_empty()).count();
        if let Some(b) = &self.basic_auth {
            if count([&b.username, &b.username_file, &b.username_ref]) > 1 {
                return err(
                    "basic_auth",
                    "at most one of basic_auth username, username_file & username_ref must be configured",
                );
            }
            if count([&b.password, &b.password_file, &b.password_ref]) > 1 {
                return err(
                    "basic_auth",
                    "at most one of basic_auth password, password_file & password_ref must be configured",
                );
            }
        }
        if let Some(a) = &self.authorization {
            if bearer {
                return err(
                    "authorization",
                    "authorization is not compatible with bearer_token & bearer_token_file",
                );
            }
            if count([&a.credentials, &a.credentials_file, &a.credentials_ref]) > 1 {
                return err(
                    "authorization",
                    "at most one of authorization credentials & credentials_file must be configured",
                );
            }
            if a.kind.trim().eq_ignore_ascii_case("basic") {
                return err(
                    "authorization",
                    "authorization type cannot be set to \"basic\", use \"basic_auth\" instead",
                );
            }
            if self.basic_auth.is_some() || self.oauth2.is_some() {
                return err(
                    "authorization",
                    "at most one of basic_auth, oauth2 & authorization must be configured",
                );
            }
        }
        if let Some(o) = &self.oauth2 {
            if self.basic_auth.is_some() {
                return err(
                    "oauth2",
                    "at most one of basic_auth, oauth2 & authorization must be configured",
                );
            }
            if o.client_id.is_empty() {
                return err("oauth2", "oauth2 client_id must be configured");
            }
            if o.token_url.is_empty() {
                return err("oauth2", "oauth2 token_url must be configured");
            }
            if o.grant_type == "urn:ietf:params:oauth:grant-type:jwt-bearer" {
                if count([
                    &o.client_certificate_key,
                    &o.client_certificate_key_file,
                    &o.client_certificate_key_ref,
                ]) > 1
                {
                    return err(
                        "oauth2",
                        "at most one of oauth2 client_certificate_key, client_certificate_key_file & client_certificate_key_ref must be configured using grant-type=urn:ietf:params:oauth:grant-type:jwt-bearer",
                    );
                }
                if !o.signature_algorithm.is_empty()
                    && !["RS256", "RS384", "RS512"].contains(&o.signature_algorithm.as_str())
                {
                    return err(
                        "oauth2",
                        "valid signature algorithms are RS256, RS384 and RS512",
                    );
                }
            } else if count([
                &o.client_secret,
                &o.client_secret_file,
                &o.client_secret_ref,
            ]) > 1
            {
                return err(
                    "oauth2",
                    "at most one of oauth2 client_secret, client_secret_file & client_secret_ref must be configured using grant-type=client_credentials",
                );
            }
        }
        self.proxy.validate()?;
        for name in &self.http_headers {
            let canonical = canonical_header_key(name);
            if RESERVED_HEADERS.contains(&canonical.as_str()) {
                return Err((
                    "http_headers",
                    format!("setting header {} is not allowed", go_quote(&canonical)),
                ));
            }
        }
        Ok(())
    }

    /// Whether the configuration differs from `config.DefaultHTTPClientConfig` once validated
    /// (Kubernetes SD compares them).
    pub fn is_default(&self) -> bool {
        self == &HttpClientConfig::default()
    }

    /// The authentication kinds set, in Prometheus's order of naming them.
    pub fn has_auth(&self) -> bool {
        self.basic_auth.is_some()
            || self.authorization.is_some()
            || self.oauth2.is_some()
            || !self.bearer_token.is_empty()
            || !self.bearer_token_file.is_empty()
    }
}

impl ProxyConfig {
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let has_url = self.proxy_url.as_ref().is_some_and(|u| !u.text.is_empty());
        if !self.proxy_connect_header.is_empty() && !self.proxy_from_environment && !has_url {
            return Err((
                "proxy_connect_header",
                "if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured".into(),
            ));
        }
        if self.proxy_from_environment && has_url {
            return Err((
                "proxy_from_environment",
                "if proxy_from_environment is configured, proxy_url must not be configured".into(),
            ));
        }
        if self.proxy_from_environment && !self.no_proxy.is_empty() {
            return Err((
                "proxy_from_environment",
                "if proxy_from_environment is configured, no_proxy must not be configured".into(),
            ));
        }
        if self.proxy_url.is_none() && !self.no_proxy.is_empty() {
            return Err((
                "no_proxy",
                "if no_proxy is configured, proxy_url must also be configured".into(),
            ));
        }
        Ok(())
    }
}

/// Decodes the inline HTTP client fields and runs `Validate`, reporting at the offending key.
pub fn decode_and_validate(d: &mut Decoder, fields: &Fields) -> Option<HttpClientConfig> {
    let mark = d.error_count();
    let c = decode_inline(d, fields);
    if d.failed_since(mark) {
        return None;
    }
    match c.validate() {
        Ok(()) => Some(c),
        Err((field, message)) => {
            d.error(fields.span_of(field), message);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::{Limits, parse};

    fn check(text: &str) -> Result<HttpClientConfig, String> {
        let node = parse(text, &Limits::default()).documents.remove(0);
        let mut d = Decoder::new(Some(text), Vec::new());
        let f = d.fields(&node, "t", FIELDS).unwrap();
        decode_and_validate(&mut d, &f).ok_or_else(|| d.errors[0].message.clone())
    }

    #[test]
    fn auth_exclusivity() {
        assert_eq!(
            check("bearer_token: a\nbearer_token_file: b\n").unwrap_err(),
            "at most one of bearer_token & bearer_token_file must be configured"
        );
        assert_eq!(
            check("bearer_token: a\nbasic_auth: {username: u}\n").unwrap_err(),
            "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured"
        );
        assert_eq!(
            check("authorization: {credentials: x}\nbasic_auth: {username: u}\n").unwrap_err(),
            "at most one of basic_auth, oauth2 & authorization must be configured"
        );
        assert_eq!(
            check("authorization: {type: Basic}\n").unwrap_err(),
            "authorization type cannot be set to \"basic\", use \"basic_auth\" instead"
        );
        assert_eq!(
            check("oauth2: {client_id: a}\n").unwrap_err(),
            "oauth2 token_url must be configured"
        );
        assert!(check("oauth2: {client_id: a, token_url: http://x}\n").is_ok());
    }

    #[test]
    fn tls_proxy_and_headers() {
        assert_eq!(
            check("tls_config: {cert_file: a}\n").unwrap_err(),
            "exactly one of key or key_file must be configured when a client certificate is configured"
        );
        assert_eq!(
            check("tls_config: {min_version: TLS99}\n").unwrap_err(),
            "unknown TLS version: TLS99"
        );
        assert_eq!(
            check("no_proxy: x\n").unwrap_err(),
            "if no_proxy is configured, proxy_url must also be configured"
        );
        assert_eq!(
            check("http_headers: {connection: {values: [a]}}\n").unwrap_err(),
            "setting header \"Connection\" is not allowed"
        );
        assert_eq!(
            check("tls_config: {foo: 1}\n").unwrap_err(),
            "field foo not found in type config.plain"
        );
        assert!(check("follow_redirects: true\n").unwrap().is_default());
        assert!(!check("follow_redirects: false\n").unwrap().is_default());
    }
}
