//! Scrape targets: what Prometheus v3.13.1 (`scrape/target.go` `PopulateLabels`, `Target.URL`, and
//! the scrape pool's `Sync`) makes of discovered label sets under one scrape config.
//!
//! For each discovered label set: the config's defaults are added (`job`, `__scheme__`,
//! `__metrics_path__`, `__scrape_interval__`, `__scrape_timeout__`, the histogram switches,
//! `__param_<name>`), the relabel rules run, and the result is dropped (a rule dropped it), refused
//! (no `__address__`, a bad address, interval or timeout: Prometheus logs it and lists it nowhere),
//! or an active target whose `__meta_*` labels are removed, whose `instance` defaults to its
//! address, and whose scrape URL comes from its labels. Within a pool, targets with equal labels and
//! URL are one target.

use crate::promconfig::decode::{go_quote, parse_duration};
use crate::promconfig::relabel::{NameValidation, RelabelConfig};
use crate::simulate::relabel::{LabelBuilder, LabelSet, process_builder};
use std::collections::BTreeMap;

/// What one scrape config contributes to its targets.
#[derive(Clone, Debug)]
pub struct ScrapeSettings {
    pub job_name: String,
    /// `http` or `https`.
    pub scheme: String,
    pub metrics_path: String,
    /// The config's `params`: each name with its values, in order.
    pub params: BTreeMap<String, Vec<String>>,
    pub scrape_interval_ms: u64,
    pub scrape_timeout_ms: u64,
    /// The effective `convert_classic_histograms_to_nhcb`, `always_scrape_classic_histograms` and
    /// `scrape_native_histograms` of the config (after the global defaults).
    pub convert_classic_histograms_to_nhcb: bool,
    pub always_scrape_classic_histograms: bool,
    pub scrape_native_histograms: bool,
    pub relabel_configs: Vec<RelabelConfig>,
    /// The name validation scheme the rules were validated with.
    pub name_validation: NameValidation,
}

impl ScrapeSettings {
    /// The settings of a decoded scrape config (global defaults already applied).
    ///
    /// [`crate::promconfig::scrape::ScrapeConfig`] does not keep the three histogram switches
    /// (`scrape_native_histograms`, `always_scrape_classic_histograms`,
    /// `convert_classic_histograms_to_nhcb`, each the job's value or else the global one); they are
    /// left `false`, Prometheus's default, for the caller to set when the config sets them.
    pub fn from_scrape_config(config: &crate::promconfig::scrape::ScrapeConfig) -> Self {
        ScrapeSettings {
            job_name: config.job_name.clone(),
            scheme: config.scheme.clone(),
            metrics_path: config.metrics_path.clone(),
            params: config.params.iter().cloned().collect(),
            scrape_interval_ms: config.scrape_interval,
            scrape_timeout_ms: config.scrape_timeout,
            convert_classic_histograms_to_nhcb: false,
            always_scrape_classic_histograms: false,
            scrape_native_histograms: false,
            relabel_configs: config.relabel_configs.clone(),
            name_validation: config.name_validation,
        }
    }
}

/// A target Prometheus scrapes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveTarget {
    /// The labels before relabeling (discovered, plus the config's defaults).
    pub discovered_labels: LabelSet,
    /// Every label after relabeling, `__`-prefixed ones included (`__address__`, `__scheme__`, …).
    pub labels: LabelSet,
    pub scrape_url: String,
}

impl ActiveTarget {
    /// The labels the target's series carry: those not starting with `__`.
    pub fn public_labels(&self) -> LabelSet {
        self.labels
            .iter()
            .filter(|(name, _)| !name.starts_with("__"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// `__scrape_interval__` after relabeling.
    pub fn scrape_interval(&self) -> &str {
        self.labels.get(SCRAPE_INTERVAL).map_or("", String::as_str)
    }

    /// `__scrape_timeout__` after relabeling.
    pub fn scrape_timeout(&self) -> &str {
        self.labels.get(SCRAPE_TIMEOUT).map_or("", String::as_str)
    }
}

/// What became of one discovered label set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TargetOutcome {
    Active(ActiveTarget),
    /// A relabel rule dropped it.
    Dropped {
        discovered_labels: LabelSet,
    },
    /// Prometheus refused to create the target, with this error, and lists it nowhere.
    Refused {
        discovered_labels: LabelSet,
        error: String,
    },
}

const ADDRESS: &str = "__address__";
const SCHEME: &str = "__scheme__";
const METRICS_PATH: &str = "__metrics_path__";
const SCRAPE_INTERVAL: &str = "__scrape_interval__";
const SCRAPE_TIMEOUT: &str = "__scrape_timeout__";
const PARAM_PREFIX: &str = "__param_";
const META_PREFIX: &str = "__meta_";
const CONVERT_NHCB: &str = "__convert_classic_histograms_to_nhcb__";
const ALWAYS_CLASSIC: &str = "__always_scrape_classic_histograms__";
const NATIVE_HISTOGRAMS: &str = "__scrape_native_histograms__";

/// The labels of a target before relabeling: its own labels, its group's labels where it has none
/// of that name, then the config's defaults where neither gives a value. Empty values count as
/// absent and are not kept.
pub fn discovered_labels(
    target: &LabelSet,
    group: &LabelSet,
    settings: &ScrapeSettings,
) -> LabelSet {
    let mut out: LabelSet = target
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (name, value) in group {
        if !value.is_empty() && !target.contains_key(name) {
            out.insert(name.clone(), value.clone());
        }
    }
    let mut default = |name: &str, value: &dyn Fn() -> String| {
        if out.get(name).is_none_or(String::is_empty) {
            let value = value();
            if !value.is_empty() {
                out.insert(name.to_string(), value);
            }
        }
    };
    default("job", &|| settings.job_name.clone());
    default(SCRAPE_INTERVAL, &|| {
        format_duration(settings.scrape_interval_ms)
    });
    default(SCRAPE_TIMEOUT, &|| {
        format_duration(settings.scrape_timeout_ms)
    });
    default(METRICS_PATH, &|| settings.metrics_path.clone());
    default(SCHEME, &|| settings.scheme.clone());
    default(CONVERT_NHCB, &|| {
        settings.convert_classic_histograms_to_nhcb.to_string()
    });
    default(ALWAYS_CLASSIC, &|| {
        settings.always_scrape_classic_histograms.to_string()
    });
    default(NATIVE_HISTOGRAMS, &|| {
        settings.scrape_native_histograms.to_string()
    });
    for (param, values) in &settings.params {
        if let Some(first) = values.first() {
            default(&format!("{PARAM_PREFIX}{param}"), &|| first.clone());
        }
    }
    out
}

/// One discovered label set (`target`, within a group whose common labels are `group`) under one
/// scrape config.
pub fn populate(target: &LabelSet, group: &LabelSet, settings: &ScrapeSettings) -> TargetOutcome {
    let discovered = discovered_labels(target, group, settings);
    let relabeled = {
        let mut builder = LabelBuilder::new(&discovered);
        process_builder(
            &mut builder,
            &settings.relabel_configs,
            settings.name_validation,
        )
        .then(|| finish(builder))
    };
    match relabeled {
        None => TargetOutcome::Dropped {
            discovered_labels: discovered,
        },
        Some(Ok(labels)) => {
            let scrape_url = scrape_url(&labels, &settings.params);
            TargetOutcome::Active(ActiveTarget {
                discovered_labels: discovered,
                labels,
                scrape_url,
            })
        }
        Some(Err(error)) => TargetOutcome::Refused {
            discovered_labels: discovered,
            error,
        },
    }
}

/// The checks after relabeling and the final touches, with Prometheus's error texts.
fn finish(builder: LabelBuilder<'_>) -> Result<LabelSet, String> {
    let address = builder.get(ADDRESS).to_string();
    if address.is_empty() {
        return Err("no address".to_string());
    }
    if address.contains('/') {
        return Err(format!("{} is not a valid hostname", go_quote(&address)));
    }
    let interval = builder.get(SCRAPE_INTERVAL);
    let interval_ms =
        parse_duration(interval).map_err(|e| format!("error parsing scrape interval: {e}"))?;
    if interval_ms == 0 {
        return Err("scrape interval cannot be 0".to_string());
    }
    let timeout = builder.get(SCRAPE_TIMEOUT);
    let timeout_ms =
        parse_duration(timeout).map_err(|e| format!("error parsing scrape timeout: {e}"))?;
    if timeout_ms == 0 {
        return Err("scrape timeout cannot be 0".to_string());
    }
    if timeout_ms > interval_ms {
        return Err(format!(
            "scrape timeout cannot be greater than scrape interval ({} > {})",
            go_quote(timeout),
            go_quote(interval)
        ));
    }
    for (name, what) in [
        (CONVERT_NHCB, "convert classic histograms to nhcb"),
        (ALWAYS_CLASSIC, "always scrape classic histograms"),
        (NATIVE_HISTOGRAMS, "scrape native histograms"),
    ] {
        let value = builder.get(name);
        if !value.is_empty() && parse_go_bool(value).is_none() {
            return Err(format!(
                "error parsing {what}: strconv.ParseBool: parsing {}: invalid syntax",
                go_quote(value)
            ));
        }
    }
    let mut labels = builder.into_labels();
    labels.retain(|name, _| !name.starts_with(META_PREFIX));
    labels.entry("instance".to_string()).or_insert(address);
    // Prometheus also refuses label values that are not valid UTF-8; Rust strings always are.
    Ok(labels)
}

/// The URL Prometheus scrapes for a target with these final labels.
pub fn scrape_url(labels: &LabelSet, config_params: &BTreeMap<String, Vec<String>>) -> String {
    let mut params = config_params.clone();
    for (name, value) in labels {
        if let Some(param) = name.strip_prefix(PARAM_PREFIX) {
            match params.get_mut(param) {
                Some(values) if !values.is_empty() => values[0] = value.clone(),
                _ => {
                    params.insert(param.to_string(), vec![value.clone()]);
                }
            }
        }
    }
    let get = |name: &str| labels.get(name).map_or("", String::as_str);
    let (scheme, host, path) = (get(SCHEME), get(ADDRESS), get(METRICS_PATH));
    let mut url = String::new();
    if !scheme.is_empty() {
        url.push_str(scheme);
        url.push(':');
    }
    if !scheme.is_empty() || !host.is_empty() {
        if !host.is_empty() || !path.is_empty() {
            url.push_str("//");
        }
        url.push_str(&escape(host, Component::Host));
    }
    let path = if path == "*" {
        "*".to_string()
    } else {
        escape(path, Component::Path)
    };
    if !path.is_empty() && !path.starts_with('/') && !host.is_empty() {
        url.push('/');
    }
    // A relative reference whose first segment holds a colon needs `./` to stay one.
    if url.is_empty() && path.split('/').next().is_some_and(|s| s.contains(':')) {
        url.push_str("./");
    }
    url.push_str(&path);
    let query = encode_query(&params);
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query);
    }
    url
}

/// Go's `url.Values.Encode`: names sorted, every value as `name=value`, both query-escaped.
fn encode_query(params: &BTreeMap<String, Vec<String>>) -> String {
    let mut pairs = Vec::new();
    for (name, values) in params {
        let name = escape(name, Component::Query);
        for value in values {
            pairs.push(format!("{name}={}", escape(value, Component::Query)));
        }
    }
    pairs.join("&")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Component {
    Host,
    Path,
    Query,
}

/// Go's `net/url` percent-escaping of one URL component.
fn escape(text: &str, component: Component) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte == b' ' && component == Component::Query {
            out.push('+');
        } else if must_escape(byte, component) {
            out.push_str(&format!("%{byte:02X}"));
        } else {
            out.push(char::from(byte));
        }
    }
    out
}

fn must_escape(byte: u8, component: Component) -> bool {
    if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
        return false;
    }
    if component == Component::Host
        && matches!(
            byte,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
        )
    {
        return false;
    }
    if matches!(
        byte,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@'
    ) {
        return match component {
            Component::Path => byte == b'?',
            Component::Query => true,
            // A reserved character the host list above does not allow (`/`, `?`, `@`).
            Component::Host => true,
        };
    }
    true
}

/// Go's `strconv.ParseBool`.
fn parse_go_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// A duration as Prometheus prints one (`model.Duration.String`): `1m30s`, `2h`, `90d`, `0s`;
/// years and weeks only when they divide it exactly.
pub fn format_duration(ms: u64) -> String {
    if ms == 0 {
        return "0s".to_string();
    }
    let mut rest = ms;
    let mut out = String::new();
    const DAY: u64 = 24 * 3_600_000;
    for (unit, size, exact) in [
        ("y", 365 * DAY, true),
        ("w", 7 * DAY, true),
        ("d", DAY, false),
        ("h", 3_600_000, false),
        ("m", 60_000, false),
        ("s", 1_000, false),
        ("ms", 1, false),
    ] {
        if exact && !rest.is_multiple_of(size) {
            continue;
        }
        let count = rest / size;
        if count > 0 {
            out.push_str(&format!("{count}{unit}"));
            rest -= count * size;
        }
    }
    out
}

/// One group of discovered targets, as a service discovery gives it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TargetGroup {
    /// Names the group in error messages (`kubernetes_sd/pod/default/web-0`, …).
    pub source: String,
    /// Labels common to every target of the group; a target's own label of the same name wins.
    pub labels: LabelSet,
    pub targets: Vec<LabelSet>,
}

/// The targets of one scrape pool after a sync.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pool {
    /// Active targets in the order first discovered; equal targets appear once.
    pub active: Vec<ActiveTarget>,
    /// Dropped targets, at most `keep_dropped_targets` of them when that is not 0.
    pub dropped: Vec<LabelSet>,
    /// Every dropped target, kept or not.
    pub dropped_count: usize,
    /// The targets Prometheus refused, with its log message (`instance N in group G: …`).
    pub refused: Vec<String>,
}

/// A scrape pool's sync of `groups`: every target populated, equal active targets merged.
///
/// Two targets are the same target when their labels and scrape URL are equal (Prometheus keys
/// its scrape loops by a hash of both). The merged target keeps the discovered labels of the last
/// one, as Prometheus updates an existing target with each duplicate it meets.
pub fn sync(groups: &[TargetGroup], settings: &ScrapeSettings, keep_dropped_targets: u64) -> Pool {
    let mut pool = Pool::default();
    let mut index: BTreeMap<(LabelSet, String), usize> = BTreeMap::new();
    for group in groups {
        for (i, target) in group.targets.iter().enumerate() {
            match populate(target, &group.labels, settings) {
                TargetOutcome::Active(active) => {
                    let key = (active.labels.clone(), active.scrape_url.clone());
                    match index.get(&key) {
                        Some(&at) => pool.active[at].discovered_labels = active.discovered_labels,
                        None => {
                            index.insert(key, pool.active.len());
                            pool.active.push(active);
                        }
                    }
                }
                TargetOutcome::Dropped { discovered_labels } => {
                    let limit = usize::try_from(keep_dropped_targets).unwrap_or(usize::MAX);
                    if limit == 0 || pool.dropped.len() < limit {
                        pool.dropped.push(discovered_labels);
                    }
                    pool.dropped_count += 1;
                }
                TargetOutcome::Refused { error, .. } => pool
                    .refused
                    .push(format!("instance {i} in group {}: {error}", group.source)),
            }
        }
    }
    pool
}

#[cfg(test)]
mod tests;
