//! The CustomResourceDefinitions promagent validates against: the five `monitoring.coreos.com` CRDs
//! ([`all`], [`for_kind`]), the [`Registry`] the checks look schemas up in, built from those or
//! from CRD files the user gives (`--crds`), and structural defaulting ([`defaults`]).
//!
//! The CRDs are generated from the typed model (`crate::model::crd_schema`) and committed as
//! compact JSON under `generated/`, so that a run only parses the kinds it meets; a test there
//! keeps that JSON equal to what the types generate. This module knows no model type.

pub mod core_markers;
pub mod defaults;
mod json;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The API group of the operator's resources.
pub const GROUP: &str = "monitoring.coreos.com";

/// What the CRD of one kind is made of besides its schema.
pub struct KindInfo {
    pub kind: &'static str,
    pub plural: &'static str,
    pub short_name: &'static str,
    pub version: &'static str,
    pub scale: bool,
    pub printer_columns: fn() -> Value,
}

pub const KINDS: [KindInfo; 5] = [
    KindInfo {
        kind: "PrometheusAgent",
        plural: "prometheusagents",
        short_name: "promagent",
        version: "v1alpha1",
        scale: true,
        printer_columns: agent_columns,
    },
    KindInfo {
        kind: "PodMonitor",
        plural: "podmonitors",
        short_name: "pmon",
        version: "v1",
        scale: false,
        printer_columns: no_columns,
    },
    KindInfo {
        kind: "ServiceMonitor",
        plural: "servicemonitors",
        short_name: "smon",
        version: "v1",
        scale: false,
        printer_columns: no_columns,
    },
    KindInfo {
        kind: "Probe",
        plural: "probes",
        short_name: "prb",
        version: "v1",
        scale: false,
        printer_columns: no_columns,
    },
    KindInfo {
        kind: "ScrapeConfig",
        plural: "scrapeconfigs",
        short_name: "scfg",
        version: "v1alpha1",
        scale: false,
        printer_columns: no_columns,
    },
];

fn no_columns() -> Value {
    Value::Null
}

fn agent_columns() -> Value {
    json!([
        {"jsonPath": ".spec.version", "name": "Version", "type": "string"},
        {"jsonPath": ".spec.replicas", "name": "Desired", "type": "integer"},
        {"jsonPath": ".status.availableReplicas", "name": "Ready", "type": "integer"},
        {"jsonPath": ".status.conditions[?(@.type == 'Reconciled')].status", "name": "Reconciled", "type": "string"},
        {"jsonPath": ".status.conditions[?(@.type == 'Available')].status", "name": "Available", "type": "string"},
        {"jsonPath": ".metadata.creationTimestamp", "name": "Age", "type": "date"},
        {"jsonPath": ".status.paused", "name": "Paused", "priority": 1, "type": "boolean"}
    ])
}

/// The committed CRD JSON, in the order of [`KINDS`].
const EMBEDDED: [&str; 5] = [
    include_str!("generated/prometheusagents.json"),
    include_str!("generated/podmonitors.json"),
    include_str!("generated/servicemonitors.json"),
    include_str!("generated/probes.json"),
    include_str!("generated/scrapeconfigs.json"),
];

/// The five CRDs: PrometheusAgent, PodMonitor, ServiceMonitor, Probe, ScrapeConfig.
pub fn all() -> Vec<Value> {
    (0..EMBEDDED.len()).map(embedded_crd).collect()
}

/// The CRD of one kind (`PrometheusAgent`, `PodMonitor`, … matched without regard to case, or its
/// plural), if promagent has it.
pub fn for_kind(kind: &str) -> Option<Value> {
    KINDS
        .iter()
        .position(|k| k.kind.eq_ignore_ascii_case(kind) || k.plural.eq_ignore_ascii_case(kind))
        .map(embedded_crd)
}

fn embedded_crd(index: usize) -> Value {
    read_embedded(EMBEDDED[index])
}

/// A committed CRD's JSON, which a test keeps valid.
fn read_embedded(text: &str) -> Value {
    json::parse(text).unwrap_or(Value::Null)
}

/// Adds the list/map markers of the Kubernetes type `name` to a schema that embeds its fields.
pub fn add_core_markers(name: &str, schema: &mut schemars::Schema) {
    let mut value = Value::Object(std::mem::take(schema.ensure_object()));
    core_markers::patch(name, &mut value);
    if let Value::Object(map) = value {
        *schema.ensure_object() = map;
    }
}

/// A set of CRDs to validate objects against.
#[derive(Debug)]
pub struct Registry {
    entries: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    group: String,
    kind: String,
    plural: String,
    namespaced: bool,
    /// Version names in the CRD's order, with whether they are served.
    versions: Vec<(String, bool)>,
    crd: Crd,
}

#[derive(Debug)]
enum Crd {
    /// Parsed on first use.
    Embedded(&'static str, OnceLock<Value>),
    /// A CRD given by the user, with the document it came from (for the places of findings).
    Loaded(Box<crate::load::Document>),
}

impl Crd {
    fn value(&self) -> &Value {
        match self {
            Crd::Embedded(text, cell) => cell.get_or_init(|| read_embedded(text)),
            Crd::Loaded(doc) => &doc.value,
        }
    }
}

/// The schema of one served version of a kind.
#[derive(Clone, Copy, Debug)]
pub struct VersionSchema<'a> {
    pub kind: &'a str,
    pub version: &'a str,
    pub namespaced: bool,
    /// The version's `schema.openAPIV3Schema`.
    pub schema: &'a Value,
}

/// One version of a CRD the user gave.
#[derive(Clone, Debug)]
pub struct UserVersion<'a> {
    pub api_version: String,
    pub kind: &'a str,
    /// Its index in `spec.versions`.
    pub index: usize,
    /// Its `schema.openAPIV3Schema`.
    pub schema: &'a Value,
    pub document: &'a crate::load::Document,
}

/// What the registry knows about an `apiVersion` + `kind`.
#[derive(Clone, Debug)]
pub enum Lookup<'a> {
    Found(VersionSchema<'a>),
    /// The kind exists in the group, but not in that version: `served` lists the versions it has.
    OtherVersion {
        served: Vec<String>,
    },
    Unknown,
}

/// Why CRDs given by the user could not be used.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("cannot read CRDs from {path}: {message}")]
    Read { path: String, message: String },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    #[error("{path}: no CustomResourceDefinition found")]
    Empty { path: String },
}

/// The embedded registry, shared by the whole process so each CRD is parsed at most once.
pub fn embedded_registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(Registry::embedded)
}

impl Registry {
    /// The five CRDs promagent generates from its model.
    pub fn embedded() -> Registry {
        let entries = KINDS
            .iter()
            .zip(EMBEDDED)
            .map(|(info, text)| Entry {
                group: GROUP.to_string(),
                kind: info.kind.to_string(),
                plural: info.plural.to_string(),
                namespaced: true,
                versions: vec![(info.version.to_string(), true)],
                crd: Crd::Embedded(text, OnceLock::new()),
            })
            .collect();
        Registry { entries }
    }

    /// The CRDs in a file or a directory of YAML/JSON files (`kubectl get crd -o yaml` output, a
    /// `List`, several documents). Objects of other kinds are skipped.
    pub fn from_path(path: &Path) -> Result<Registry, RegistryError> {
        Registry::from_path_within(path, &mut crate::load::Budget::default())
    }

    /// [`Registry::from_path`], reading within `budget`.
    pub fn from_path_within(
        path: &Path,
        budget: &mut crate::load::Budget,
    ) -> Result<Registry, RegistryError> {
        let limits = crate::load::yaml::Limits::default();
        let walk = crate::load::WalkOptions::default();
        let inputs = crate::load::load_paths_with(&[PathBuf::from(path)], &limits, &walk, budget)
            .map_err(|e| RegistryError::Read {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Registry::from_inputs(&inputs, &path.display().to_string())
    }

    /// The CRDs among loaded inputs (read from `path`, named in errors).
    pub fn from_inputs(
        inputs: &crate::load::Inputs,
        path: &str,
    ) -> Result<Registry, RegistryError> {
        if let Some(problem) = inputs
            .diagnostics
            .iter()
            .find(|d| d.severity == crate::diag::Severity::Error)
        {
            let file = problem.file_name().unwrap_or("").to_string();
            let at = problem
                .line_col()
                .map(|(line, col)| format!(" (line {line}, column {col})"))
                .unwrap_or_default();
            return Err(RegistryError::Invalid {
                file,
                message: format!("{}{at}", problem.message),
            });
        }
        let mut entries = Vec::new();
        for doc in &inputs.documents {
            if doc.kind() != "CustomResourceDefinition" {
                continue;
            }
            let entry = entry_from_crd(doc).map_err(|message| RegistryError::Invalid {
                file: doc.file.name.clone(),
                message: format!("CustomResourceDefinition {:?}: {message}", doc.name()),
            })?;
            entries.push(entry);
        }
        if entries.is_empty() {
            return Err(RegistryError::Empty {
                path: path.to_string(),
            });
        }
        Ok(Registry { entries })
    }

    /// Looks up the schema of `kind` in `api_version` (`group/version`, or `version` for the core group).
    pub fn lookup(&self, api_version: &str, kind: &str) -> Lookup<'_> {
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        let Some(entry) = self
            .entries
            .iter()
            .find(|e| e.group == group && e.kind == kind)
        else {
            return Lookup::Unknown;
        };
        if !entry
            .versions
            .iter()
            .any(|(v, served)| v == version && *served)
        {
            let served = entry
                .versions
                .iter()
                .filter(|(_, served)| *served)
                .map(|(v, _)| v.clone())
                .collect();
            return Lookup::OtherVersion { served };
        }
        match version_schema(entry.crd.value(), version) {
            Some(schema) => Lookup::Found(VersionSchema {
                kind: &entry.kind,
                version: entry
                    .versions
                    .iter()
                    .find(|(v, _)| v == version)
                    .map_or("", |(v, _)| v.as_str()),
                namespaced: entry.namespaced,
                schema,
            }),
            None => Lookup::Unknown,
        }
    }

    /// Every version of the CRDs the user gave (`--crds`), with its schema and the document it
    /// came from, in registry order. The embedded CRDs are not listed.
    pub fn user_versions(&self) -> Vec<UserVersion<'_>> {
        let mut out = Vec::new();
        for entry in &self.entries {
            let Crd::Loaded(doc) = &entry.crd else {
                continue;
            };
            let versions = doc
                .value
                .pointer("/spec/versions")
                .and_then(Value::as_array);
            for (index, version) in versions.into_iter().flatten().enumerate() {
                let (Some(name), Some(schema)) = (
                    version.get("name").and_then(Value::as_str),
                    version.pointer("/schema/openAPIV3Schema"),
                ) else {
                    continue;
                };
                out.push(UserVersion {
                    api_version: format!("{}/{name}", entry.group),
                    kind: &entry.kind,
                    index,
                    schema,
                    document: doc,
                });
            }
        }
        out
    }

    /// `(apiVersion, kind)` of every served version, in registry order.
    pub fn served_kinds(&self) -> Vec<(String, String)> {
        self.entries
            .iter()
            .flat_map(|e| {
                e.versions
                    .iter()
                    .filter(|(_, served)| *served)
                    .map(move |(v, _)| (format!("{}/{v}", e.group), e.kind.clone()))
            })
            .collect()
    }

    /// True when some CRD of the registry belongs to `group`.
    pub fn knows_group(&self, group: &str) -> bool {
        self.entries.iter().any(|e| e.group == group)
    }

    /// A hint for a kind the registry does not serve as written: the apiVersion it is served in,
    /// or the spelling of a kind that differs only in case or is its plural.
    pub fn suggest(&self, kind: &str) -> Option<String> {
        let entry = self.entries.iter().find(|e| e.kind == kind).or_else(|| {
            self.entries
                .iter()
                .find(|e| e.kind.eq_ignore_ascii_case(kind) || e.plural.eq_ignore_ascii_case(kind))
        })?;
        let served: Vec<String> = entry
            .versions
            .iter()
            .filter(|(_, served)| *served)
            .map(|(v, _)| format!("{}/{v}", entry.group))
            .collect();
        Some(format!(
            "kind {} is served as apiVersion {}",
            entry.kind,
            served.join(", ")
        ))
    }
}

fn version_schema<'a>(crd: &'a Value, version: &str) -> Option<&'a Value> {
    crd.pointer("/spec/versions")?
        .as_array()?
        .iter()
        .find(|v| v.get("name").and_then(Value::as_str) == Some(version))?
        .pointer("/schema/openAPIV3Schema")
}

fn entry_from_crd(doc: &crate::load::Document) -> Result<Entry, String> {
    let crd = &doc.value;
    let text = |pointer: &str| {
        crd.pointer(pointer)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .ok_or_else(|| {
                format!(
                    "{} is missing",
                    pointer.trim_start_matches('/').replace('/', ".")
                )
            })
    };
    let group = text("/spec/group")?;
    let kind = text("/spec/names/kind")?;
    let plural = text("/spec/names/plural")?;
    let namespaced = crd.pointer("/spec/scope").and_then(Value::as_str) != Some("Cluster");
    let Some(versions) = crd.pointer("/spec/versions").and_then(Value::as_array) else {
        return Err("spec.versions is missing".into());
    };
    let mut names = Vec::new();
    for (i, version) in versions.iter().enumerate() {
        let name = version
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("spec.versions[{i}].name is missing"))?;
        if !version
            .pointer("/schema/openAPIV3Schema")
            .is_some_and(Value::is_object)
        {
            return Err(format!(
                "spec.versions[{i}] ({name}) has no schema.openAPIV3Schema"
            ));
        }
        let served = version
            .get("served")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        names.push((name.to_string(), served));
    }
    Ok(Entry {
        group,
        kind,
        plural,
        namespaced,
        versions: names,
        crd: Crd::Loaded(Box::new(doc.clone())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_the_five_kinds_in_order() {
        let kinds: Vec<String> = all()
            .iter()
            .map(|c| {
                c["spec"]["names"]["kind"]
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "PrometheusAgent",
                "PodMonitor",
                "ServiceMonitor",
                "Probe",
                "ScrapeConfig"
            ]
        );
    }

    #[test]
    fn agent_crd_carries_the_sixteen_cel_rules() {
        let crd = for_kind("PrometheusAgent").expect("PrometheusAgent CRD");
        let mut rules = Vec::new();
        collect_rules(&crd, &mut rules);
        assert_eq!(rules.len(), 16, "{rules:#?}");
        assert!(rules.contains(&(
            "!(has(self.mode) && self.mode == 'DaemonSet' && has(self.replicas))".to_string(),
            "replicas cannot be set when mode is DaemonSet".to_string()
        )));
        assert!(rules.contains(&(
            "!has(self.externalId) || has(self.roleArn)".to_string(),
            "externalId can only be used when roleArn is specified".to_string()
        )));
    }

    #[test]
    fn agent_cel_rules_snapshot() {
        let crd = for_kind("PrometheusAgent").expect("PrometheusAgent CRD");
        let mut rules = Vec::new();
        collect_rules(&crd, &mut rules);
        let text: String = rules
            .iter()
            .map(|(rule, message)| format!("{message}\n    {rule}\n"))
            .collect();
        insta::assert_snapshot!(text);
    }

    fn collect_rules(node: &Value, out: &mut Vec<(String, String)>) {
        match node {
            Value::Object(map) => {
                if let Some(Value::Array(rules)) = map.get("x-kubernetes-validations") {
                    for rule in rules {
                        out.push((
                            rule["rule"].as_str().unwrap_or("").to_string(),
                            rule["message"].as_str().unwrap_or("").to_string(),
                        ));
                    }
                }
                map.values().for_each(|v| collect_rules(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| collect_rules(v, out)),
            _ => {}
        }
    }

    #[test]
    fn embedded_registry_finds_versions() {
        let registry = Registry::embedded();
        match registry.lookup("monitoring.coreos.com/v1alpha1", "PrometheusAgent") {
            Lookup::Found(v) => {
                assert_eq!(v.version, "v1alpha1");
                assert!(v.schema["properties"]["spec"]["properties"]["mode"].is_object());
            }
            other => panic!("expected Found, got {other:?}"),
        }
        match registry.lookup("monitoring.coreos.com/v1", "PrometheusAgent") {
            Lookup::OtherVersion { served } => assert_eq!(served, ["v1alpha1"]),
            other => panic!("expected OtherVersion, got {other:?}"),
        }
        assert!(matches!(
            registry.lookup("v1", "ConfigMap"),
            Lookup::Unknown
        ));
        assert!(registry.knows_group("monitoring.coreos.com"));
        assert_eq!(registry.served_kinds().len(), 5);
        assert_eq!(
            registry.suggest("podmonitor").as_deref(),
            Some("kind PodMonitor is served as apiVersion monitoring.coreos.com/v1")
        );
    }

    #[test]
    fn registry_from_a_crd_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("crds.yaml");
        std::fs::write(
            &file,
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: apiextensions.k8s.io/v1\n  kind: CustomResourceDefinition\n  metadata: {name: widgets.example.com}\n  spec:\n    group: example.com\n    scope: Cluster\n    names: {kind: Widget, plural: widgets}\n    versions:\n    - name: v2\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema: {type: object}\n",
        )
        .expect("write");
        let registry = Registry::from_path(&file).expect("registry");
        match registry.lookup("example.com/v2", "Widget") {
            Lookup::Found(v) => assert!(!v.namespaced),
            other => panic!("expected Found, got {other:?}"),
        }
        assert!(matches!(
            registry.lookup("monitoring.coreos.com/v1", "PodMonitor"),
            Lookup::Unknown
        ));
    }

    #[test]
    fn unusable_crd_names_its_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("broken.yaml");
        std::fs::write(
            &file,
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x.example.com}\nspec:\n  group: example.com\n  names: {kind: X, plural: xs}\n  versions:\n  - name: v1\n    served: true\n",
        )
        .expect("write");
        let err = Registry::from_path(&file)
            .expect_err("no schema")
            .to_string();
        assert!(err.contains("broken.yaml"), "{err}");
        assert!(err.contains("has no schema.openAPIV3Schema"), "{err}");
    }
}
