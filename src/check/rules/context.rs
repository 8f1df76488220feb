//! What every operator rule sees: the agent's settings that checks depend on ([`AgentCx`]), the
//! Secrets and ConfigMaps of the input ([`Store`]), the object under check ([`Target`]) and the
//! collector for findings ([`Out`]).

use crate::diag::Severity;
use crate::fieldpath::FieldPath;
use crate::render::options::FeatureGates;
pub use crate::select::Kind;
use crate::select::view::{Meta, View};
use crate::version::{Version, prometheus_version};
use base64::Engine;
use serde_json::Value;
use std::collections::BTreeMap;

/// The agent-level settings that monitor checks depend on.
#[derive(Clone, Debug)]
pub struct AgentCx {
    pub meta: Meta,
    /// The parsed `spec.version` (or the default); `Err` holds the operator's error text.
    pub version: Result<Version, String>,
    /// `spec.scrapeClasses[*].name`; `None` when checks run without an agent.
    pub scrape_classes: Option<Vec<String>>,
    /// `spec.scrapeInterval`, `30s` when absent (the API server's default).
    pub scrape_interval: String,
    /// `spec.arbitraryFSAccessThroughSMs.deny`.
    pub deny_fs_access: bool,
    pub daemonset: bool,
}

impl AgentCx {
    pub fn from_json(value: &Value) -> AgentCx {
        let root = View::root(value);
        let spec = root.get("spec");
        let version = prometheus_version(spec.get("version").str());
        let interval = spec.get("scrapeInterval").string();
        AgentCx {
            meta: Meta::of(value),
            version,
            scrape_classes: Some(
                spec.get("scrapeClasses")
                    .items()
                    .iter()
                    .map(|c| c.get("name").string().to_string())
                    .collect(),
            ),
            scrape_interval: if interval.is_empty() {
                "30s".to_string()
            } else {
                interval.to_string()
            },
            deny_fs_access: spec.at("arbitraryFSAccessThroughSMs.deny").is_true(),
            daemonset: spec.get("mode").string() == "DaemonSet",
        }
    }

    /// Operator defaults, for checking monitors when the input holds no agent.
    pub fn standalone() -> AgentCx {
        AgentCx {
            meta: Meta::default(),
            version: prometheus_version(None),
            scrape_classes: None,
            scrape_interval: "30s".to_string(),
            deny_fs_access: false,
            daemonset: false,
        }
    }

    /// True when the agent's version is known and at least `major.minor.patch`.
    pub fn at_least(&self, (major, minor, patch): (u64, u64, u64)) -> bool {
        match &self.version {
            Ok(v) => v.at_least(major, minor, patch),
            Err(_) => true,
        }
    }

    /// UTF-8 label names are valid from Prometheus 3.0.0 on.
    pub fn utf8_names(&self) -> bool {
        self.at_least((3, 0, 0))
    }
}

/// The data of one Secret or ConfigMap: key → decoded bytes.
pub type Data = BTreeMap<String, Vec<u8>>;

/// Secrets and ConfigMaps of the input, by namespace and name.
#[derive(Clone, Debug, Default)]
pub struct Store {
    pub secrets: BTreeMap<(String, String), Data>,
    pub config_maps: BTreeMap<(String, String), Data>,
}

impl Store {
    pub fn add_secret(&mut self, value: &Value) {
        let meta = Meta::of(value);
        let root = View::root(value);
        let mut data = Data::new();
        for (k, v) in root.get("data").entries() {
            let text = v.string();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .unwrap_or_else(|_| text.as_bytes().to_vec());
            data.insert(k.to_string(), bytes);
        }
        for (k, v) in root.get("stringData").entries() {
            data.insert(k.to_string(), v.string().as_bytes().to_vec());
        }
        self.secrets.insert((meta.namespace, meta.name), data);
    }

    /// ConfigMap keys as the operator reads them: only `data` (not `binaryData`).
    pub fn add_config_map(&mut self, value: &Value) {
        let meta = Meta::of(value);
        let root = View::root(value);
        let mut data = Data::new();
        for (k, v) in root.get("data").entries() {
            data.insert(k.to_string(), v.string().as_bytes().to_vec());
        }
        self.config_maps.insert((meta.namespace, meta.name), data);
    }

    pub fn secret(&self, namespace: &str, name: &str) -> Option<&Data> {
        self.secrets.get(&(namespace.to_string(), name.to_string()))
    }

    pub fn config_map(&self, namespace: &str, name: &str) -> Option<&Data> {
        self.config_maps
            .get(&(namespace.to_string(), name.to_string()))
    }
}

/// The object a rule checks.
#[derive(Clone, Debug)]
pub struct Target<'a> {
    pub kind: Kind,
    pub meta: Meta,
    pub root: View<'a>,
}

impl<'a> Target<'a> {
    pub fn new(kind: Kind, value: &'a Value) -> Self {
        Target {
            kind,
            meta: Meta::of(value),
            root: View::root(value),
        }
    }

    pub fn spec(&self) -> View<'a> {
        self.root.get("spec")
    }
}

/// Everything a rule may consult.
pub struct Cx<'a> {
    pub agent: &'a AgentCx,
    pub store: &'a Store,
    /// Severity of a reference to a Secret/ConfigMap that is absent from the input.
    pub missing_refs: Severity,
    /// The operator's feature gates, and whether `PrometheusAgentDaemonSet` was stated.
    pub feature_gates: &'a FeatureGates,
}

/// One finding of a rule, before it is tied to a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub path: FieldPath,
    pub message: String,
    pub help: Option<String>,
    /// Where to point in the file when that differs from `path` (an object-level finding points
    /// at the object's `kind`).
    pub anchor: Option<FieldPath>,
}

/// Collects the findings of one rule run.
#[derive(Default, Debug)]
pub struct Out {
    pub findings: Vec<Finding>,
}

impl Out {
    pub fn push(
        &mut self,
        code: &'static str,
        severity: Severity,
        path: &FieldPath,
        message: impl Into<String>,
    ) {
        self.findings.push(Finding {
            code,
            severity,
            path: path.clone(),
            message: message.into(),
            help: None,
            anchor: None,
        });
    }

    pub fn error(&mut self, code: &'static str, path: &FieldPath, message: impl Into<String>) {
        self.push(code, Severity::Error, path, message);
    }

    /// Points the last finding's location at `anchor` instead of its path.
    pub fn anchor(&mut self, anchor: FieldPath) {
        if let Some(last) = self.findings.last_mut() {
            last.anchor = Some(anchor);
        }
    }

    /// Adds help text to the last finding.
    pub fn help(&mut self, help: impl Into<String>) {
        if let Some(last) = self.findings.last_mut() {
            last.help = Some(help.into());
        }
    }
}
