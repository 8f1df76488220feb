//! `remote_write` and `remote_read`: URL, headers, relabeling, queue configuration (with the
//! checks Prometheus v3.12 added), protobuf message, and the exclusivity of authentication kinds.

use super::decode::{Decoder, Fields, is_null};
use super::http::{self, HttpClientConfig};
use super::relabel::{self, NameValidation, RelabelConfig};
use super::url::{self, Url};
use crate::diag::Span;
use crate::load::yaml::Node;
use crate::version::Version;

#[derive(Clone, Debug, PartialEq)]
pub struct QueueConfig {
    pub capacity: i64,
    pub max_shards: i64,
    pub min_shards: i64,
    pub max_samples_per_send: i64,
    /// Milliseconds.
    pub batch_send_deadline: u64,
    pub min_backoff: u64,
    pub max_backoff: u64,
    pub retry_on_http_429: bool,
}

impl Default for QueueConfig {
    fn default() -> Self {
        QueueConfig {
            capacity: 10_000,
            max_shards: 50,
            min_shards: 1,
            max_samples_per_send: 2000,
            batch_send_deadline: 5000,
            min_backoff: 30,
            max_backoff: 5000,
            retry_on_http_429: false,
        }
    }
}

#[derive(Clone, Debug)]
pub struct RemoteWriteConfig {
    pub url: Option<Url>,
    pub name: String,
    pub headers: Vec<String>,
    pub protobuf_message: String,
    pub write_relabel_configs: Vec<RelabelConfig>,
    pub http: HttpClientConfig,
    pub queue: QueueConfig,
    pub sigv4: bool,
    pub azuread: bool,
    pub google_iam: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct RemoteReadConfig {
    pub url: Option<Url>,
    pub name: String,
    pub headers: Vec<String>,
    pub http: HttpClientConfig,
    pub span: Span,
}

const WRITE_FIELDS: &[&str] = &[
    "url",
    "remote_timeout",
    "headers",
    "write_relabel_configs",
    "name",
    "send_exemplars",
    "send_native_histograms",
    "round_robin_dns",
    "protobuf_message",
    "queue_config",
    "metadata_config",
    "sigv4",
    "azuread",
    "google_iam",
];

const READ_FIELDS: &[&str] = &[
    "url",
    "remote_timeout",
    "chunked_read_limit",
    "headers",
    "read_recent",
    "name",
    "required_matchers",
    "filter_external_labels",
];

const QUEUE_FIELDS: &[&str] = &[
    "capacity",
    "max_shards",
    "min_shards",
    "max_samples_per_send",
    "batch_send_deadline",
    "min_backoff",
    "max_backoff",
    "retry_on_http_429",
    "sample_age_limit",
];

const RESERVED_HEADERS: &[&str] = &[
    "host",
    "authorization",
    "content-encoding",
    "content-length",
    "content-type",
    "user-agent",
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "www-authenticate",
    "accept-encoding",
    "x-prometheus-remote-write-version",
    "x-prometheus-remote-read-version",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
];

const PROTOBUF_MESSAGES: &[&str] = &["prometheus.WriteRequest", "io.prometheus.write.v2.Request"];

/// `validateHeaders` (`tracing` = `validateHeadersForTracing`).
pub fn check_headers(headers: &[String], tracing: bool) -> Result<(), String> {
    for header in headers {
        let lower = header.to_lowercase();
        if lower == "authorization" {
            return Err(if tracing {
                "custom authorization header configuration is not yet supported".into()
            } else {
                "authorization header must be changed via the basic_auth, authorization, oauth2, sigv4, azuread or google_iam parameter".into()
            });
        }
        if RESERVED_HEADERS.contains(&lower.as_str()) {
            return Err(format!(
                "{header} is a reserved header. It must not be changed"
            ));
        }
    }
    Ok(())
}

/// Header names of a `headers` map.
pub fn decode_headers(d: &mut Decoder, node: &Node) -> Vec<String> {
    d.string_map(node)
        .unwrap_or_default()
        .into_iter()
        .map(|(k, _, _)| k.name.clone())
        .collect()
}

fn known(fields: &'static [&'static str]) -> Vec<&'static str> {
    let mut all = fields.to_vec();
    all.extend_from_slice(http::FIELDS);
    all
}

fn decode_queue(d: &mut Decoder, node: &Node, version: &Version) -> QueueConfig {
    let mut q = QueueConfig::default();
    let mut known = QUEUE_FIELDS.to_vec();
    // Removed in Prometheus 2.11.0.
    if version.less_than(2, 11, 0) {
        known.push("max_retries");
    }
    let Some(f) = d.fields(node, "config.QueueConfig", &known) else {
        return q;
    };
    for (key, value) in f.entries() {
        match key.name.as_str() {
            "capacity" => q.capacity = d.int(value).unwrap_or(q.capacity),
            "max_shards" => q.max_shards = d.int(value).unwrap_or(q.max_shards),
            "min_shards" => q.min_shards = d.int(value).unwrap_or(q.min_shards),
            "max_samples_per_send" => {
                q.max_samples_per_send = d.int(value).unwrap_or(q.max_samples_per_send)
            }
            "batch_send_deadline" => {
                q.batch_send_deadline = d.duration(value).unwrap_or(q.batch_send_deadline)
            }
            "min_backoff" => q.min_backoff = d.duration(value).unwrap_or(q.min_backoff),
            "max_backoff" => q.max_backoff = d.duration(value).unwrap_or(q.max_backoff),
            "retry_on_http_429" => q.retry_on_http_429 = d.bool(value).unwrap_or_default(),
            "sample_age_limit" => {
                d.duration(value);
            }
            "max_retries" => {
                d.int(value);
            }
            _ => {}
        }
    }
    q
}

/// `QueueConfig.Validate`, which Prometheus runs from v3.12.0 on.
fn check_queue(q: &QueueConfig) -> Result<(), (&'static str, &'static str)> {
    if q.max_shards <= 0 {
        return Err((
            "max_shards",
            "remote write queue max_shards must be positive",
        ));
    }
    if q.min_shards <= 0 {
        return Err((
            "min_shards",
            "remote write queue min_shards must be positive",
        ));
    }
    if q.min_shards > q.max_shards {
        return Err((
            "min_shards",
            "remote write queue min_shards must not be greater than max_shards",
        ));
    }
    if q.max_samples_per_send <= 0 {
        return Err((
            "max_samples_per_send",
            "remote write queue max_samples_per_send must be positive",
        ));
    }
    if q.capacity <= 0 {
        return Err(("capacity", "remote write queue capacity must be positive"));
    }
    if q.max_backoff < q.min_backoff {
        return Err((
            "max_backoff",
            "remote write queue max_backoff must not be less than min_backoff",
        ));
    }
    Ok(())
}

fn present(f: &Fields, name: &str) -> bool {
    f.get(name).is_some_and(|n| !is_null(n))
}

pub fn decode_write(
    d: &mut Decoder,
    node: &Node,
    scheme: NameValidation,
    version: &Version,
) -> Option<RemoteWriteConfig> {
    let mark = d.error_count();
    let f = d.fields(node, "config.plain", &known(WRITE_FIELDS))?;
    let mut c = RemoteWriteConfig {
        url: None,
        name: String::new(),
        headers: Vec::new(),
        protobuf_message: "prometheus.WriteRequest".into(),
        write_relabel_configs: Vec::new(),
        http: HttpClientConfig {
            enable_http2: false,
            ..HttpClientConfig::default()
        },
        queue: QueueConfig::default(),
        sigv4: present(&f, "sigv4"),
        azuread: present(&f, "azuread"),
        google_iam: present(&f, "google_iam"),
        span: node.span,
    };
    let mut queue_node = None;
    for (key, value) in f.entries() {
        match key.name.as_str() {
            "url" => {
                c.url = if is_null(value) {
                    None
                } else {
                    url::decode(d, value)
                }
            }
            "remote_timeout" => {
                d.duration(value);
            }
            "headers" => c.headers = decode_headers(d, value),
            "write_relabel_configs" => {
                c.write_relabel_configs = relabel::decode_rules(
                    d,
                    value,
                    scheme,
                    "empty or null relabeling rule in remote write config",
                )
            }
            "name" => c.name = d.string(value).unwrap_or_default(),
            "send_exemplars" | "send_native_histograms" | "round_robin_dns" => {
                d.bool(value);
            }
            "protobuf_message" => c.protobuf_message = d.string(value).unwrap_or_default(),
            "queue_config" => {
                queue_node = Some(value);
                c.queue = decode_queue(d, value, version);
            }
            "metadata_config" => {
                if let Some(m) = d.fields(
                    value,
                    "config.MetadataConfig",
                    &["send", "send_interval", "max_samples_per_send"],
                ) {
                    if let Some(v) = m.get("send") {
                        d.bool(v);
                    }
                    if let Some(v) = m.get("send_interval") {
                        d.duration(v);
                    }
                    if let Some(v) = m.get("max_samples_per_send") {
                        d.int(v);
                    }
                }
            }
            _ => {}
        }
    }
    if d.unmarshal_failed_since(mark) {
        return None;
    }
    let fail = |d: &mut Decoder, span: Span, m: String| {
        d.error(span, m);
        None
    };
    if c.url.is_none() {
        return fail(d, f.span_of("url"), "url for remote_write is empty".into());
    }
    if d.failed_since(mark) {
        return None;
    }
    if let Err(m) = check_headers(&c.headers, false) {
        return fail(d, f.span_of("headers"), m);
    }
    let pm = c.protobuf_message.as_str();
    if !pm.is_empty() && !PROTOBUF_MESSAGES.contains(&pm) {
        return fail(
            d,
            f.span_of("protobuf_message"),
            format!(
                "invalid protobuf_message value: unknown type for remote write protobuf message {pm}, supported: {}",
                PROTOBUF_MESSAGES.join(", ")
            ),
        );
    }
    let mut http_config = http::decode_and_validate(d, &f)?;
    http_config.enable_http2 = f
        .get("enable_http2")
        .and_then(|n| d.bool(n))
        .unwrap_or(false);
    c.http = http_config;
    if version.at_least(3, 12, 0)
        && let Err((field, m)) = check_queue(&c.queue)
    {
        let span = queue_node
            .and_then(|q| q.entry(field).map(|(k, _)| k.span))
            .unwrap_or(node.span);
        return fail(d, span, m.into());
    }
    let mut auth = Vec::new();
    if c.http.basic_auth.is_some() {
        auth.push("basic_auth");
    }
    if c.http.authorization.is_some()
        || !c.http.bearer_token.is_empty()
        || !c.http.bearer_token_file.is_empty()
    {
        auth.push("authorization");
    }
    if c.http.oauth2.is_some() {
        auth.push("oauth2");
    }
    if c.sigv4 {
        auth.push("sigv4");
    }
    if c.azuread {
        auth.push("azuread");
    }
    if c.google_iam {
        auth.push("google_iam");
    }
    if auth.len() > 1 {
        return fail(
            d,
            node.span,
            format!(
                "at most one of basic_auth, authorization, oauth2, sigv4, azuread or google_iam must be configured. Currently configured: [{}]",
                auth.join(" ")
            ),
        );
    }
    Some(c)
}

pub fn decode_read(d: &mut Decoder, node: &Node) -> Option<RemoteReadConfig> {
    let mark = d.error_count();
    let f = d.fields(node, "config.plain", &known(READ_FIELDS))?;
    let mut c = RemoteReadConfig {
        url: None,
        name: String::new(),
        headers: Vec::new(),
        http: HttpClientConfig::default(),
        span: node.span,
    };
    for (key, value) in f.entries() {
        match key.name.as_str() {
            "url" => {
                c.url = if is_null(value) {
                    None
                } else {
                    url::decode(d, value)
                }
            }
            "remote_timeout" => {
                d.duration(value);
            }
            "chunked_read_limit" => {
                d.uint(value, "uint64");
            }
            "headers" => c.headers = decode_headers(d, value),
            "read_recent" | "filter_external_labels" => {
                d.bool(value);
            }
            "name" => c.name = d.string(value).unwrap_or_default(),
            "required_matchers" => {
                super::sd::decode_label_set(d, value);
            }
            _ => {}
        }
    }
    if d.failed_since(mark) {
        return None;
    }
    if c.url.is_none() {
        d.error(f.span_of("url"), "url for remote_read is empty");
        return None;
    }
    if let Err(m) = check_headers(&c.headers, false) {
        d.error(f.span_of("headers"), m);
        return None;
    }
    c.http = http::decode_and_validate(d, &f)?;
    Some(c)
}
