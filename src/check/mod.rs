//! Checking: every loaded object goes through the three layers the cluster would apply later,
//! in the cluster's order: the CRD's OpenAPI schema (with metadata rules), the CRD's CEL rules on
//! the defaulted object, and the operator's reconcile-time checks on the objects that got that far.
//!
//! [`lint`] runs them all and returns the findings sorted by file and position.

pub mod cel;
pub mod codes;
pub mod metadata;
pub mod rules;
pub mod schema;
pub mod selection;

use crate::crd::{Lookup, Registry};
use crate::diag::{Diagnostic, Layer, Severity};
use crate::fieldpath::FieldPath;
use crate::load::{Document, Inputs};
use crate::model::{Inventory, Resource};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// What `lint` needs besides the inputs.
pub struct LintOptions<'r> {
    /// The CRDs to validate against: usually [`crate::crd::embedded_registry`], whose CRDs the
    /// typed model also reads, so each is parsed once per run.
    pub registry: &'r Registry,
    pub rules: rules::RuleOptions,
    /// Codes (or prefixes such as `PM2`) to report exclusively; empty means all.
    pub select: Vec<String>,
    /// Codes (or prefixes) never to report.
    pub ignore: Vec<String>,
}

/// The API group whose kinds promagent must know; an object of another group that no loaded CRD
/// describes is passed over, as kubeconform does with `-ignore-missing-schemas`.
const OPERATOR_GROUP: &str = "monitoring.coreos.com";

/// The operator's other kinds and the versions it serves: promagent does not check them, but it
/// knows them, so that only a wrong version is reported as a missing kind.
const OTHER_OPERATOR_KINDS: &[(&str, &[&str])] = &[
    ("Prometheus", &["v1"]),
    ("Alertmanager", &["v1"]),
    ("PrometheusRule", &["v1"]),
    ("ThanosRuler", &["v1"]),
    ("AlertmanagerConfig", &["v1alpha1", "v1beta1"]),
];

fn is_other_operator_kind(api_version: &str, kind: &str) -> bool {
    let version = api_version.rsplit_once('/').map_or("", |(_, v)| v);
    OTHER_OPERATOR_KINDS
        .iter()
        .any(|(k, versions)| *k == kind && versions.contains(&version))
}

/// Everything `lint` learned: the findings and how many objects it checked.
pub struct LintReport {
    pub diagnostics: Vec<Diagnostic>,
    pub objects: usize,
}

/// What the API server would say about the inputs: the YAML, schema and CEL findings, and for each
/// document whether it would be stored.
pub struct Admission {
    pub diagnostics: Vec<Diagnostic>,
    /// One entry per document: `None` when an error concerns it; for an admitted one, its typed object as the operator reads it
    /// from the API server (decoded from the value the CEL rules saw, so defaults are applied
    /// once), or why it does not decode.
    pub decoded: Vec<Option<Decoded>>,
}

/// A typed object, or why it does not decode.
pub type Decoded = Result<Resource, Diagnostic>;

impl Admission {
    /// The inventory of the admitted objects, and the findings of those that do not decode.
    pub fn inventory(&mut self) -> (Inventory, Vec<Diagnostic>) {
        Inventory::from_decoded(std::mem::take(&mut self.decoded))
    }
}

/// The code of a CEL rule of a `--crds` CRD that does not compile.
pub const CEL_COMPILE_CODE: &str = "cel/compile";
/// The code of a CEL rule over the API server's cost limits (estimated when the CRD is created, or
/// spent when an object is validated).
pub const CEL_COST_CODE: &str = "cel/cost";

/// Runs the layers the API server applies (YAML, schema, CEL) on every object of `inputs`. The
/// CEL rules of the CRDs the user gave are checked first, as the API server checks them when the
/// CRD is created: a rule it would refuse is an error at the rule, and does not run.
pub fn admission(inputs: &Inputs, registry: &Registry) -> Admission {
    let mut diagnostics = inputs.diagnostics.clone();
    let mut compiled: HashMap<(String, String), cel::CelRules> = HashMap::new();
    for version in registry.user_versions() {
        let rules = match cel::compile(version.schema) {
            Ok(rules) => rules,
            Err(refused) => {
                diagnostics.extend(
                    refused
                        .problems
                        .iter()
                        .map(|p| crd_rule_problem(&version, p)),
                );
                *refused.rules
            }
        };
        compiled
            .entry((version.api_version.clone(), version.kind.to_string()))
            .or_insert(rules);
    }
    // The embedded CRDs' rules all compile (a test says so); `--crds` CRDs were compiled, and
    // their refused rules reported, above.
    let mut kinds: HashSet<(&str, &str)> = HashSet::new();
    for doc in &inputs.documents {
        let (api_version, kind) = (doc.api_version(), doc.kind());
        if !kinds.insert((api_version, kind)) {
            continue;
        }
        let key = (api_version.to_string(), kind.to_string());
        if let (false, Lookup::Found(version)) = (
            compiled.contains_key(&key),
            registry.lookup(api_version, kind),
        ) {
            let rules = match cel::compile(version.schema) {
                Ok(rules) => rules,
                Err(refused) => *refused.rules,
            };
            compiled.insert(key, rules);
        }
    }
    // The typed model reads the embedded CRDs' defaults: the value defaulted for CEL is what it
    // would decode only when the checks ran against those CRDs.
    let embedded = std::ptr::eq(registry, crate::crd::embedded_registry());
    // Each document is checked on its own: they run on every core, and come back in order.
    let checked: Vec<(Vec<Diagnostic>, Option<Decoded>)> = cel::on_rule_threads(|| {
        inputs
            .documents
            .par_iter()
            .map(|doc| {
                let mut found = Vec::new();
                let stored = check_document(doc, registry, &compiled, &mut found);
                let rejected = found.iter().any(|d| d.severity == Severity::Error);
                let decoded = (!rejected).then(|| match stored.filter(|_| embedded) {
                    Some(value) => crate::model::decode_stored(doc, &value),
                    None => crate::model::decode(doc),
                });
                (found, decoded)
            })
            .collect()
    });
    let mut decoded = Vec::with_capacity(checked.len());
    for (found, result) in checked {
        decoded.push(result);
        diagnostics.extend(found);
    }
    Admission {
        diagnostics,
        decoded,
    }
}

/// Lints every object of `inputs`.
pub fn lint(inputs: &Inputs, options: &LintOptions<'_>) -> LintReport {
    let mut admitted = admission(inputs, options.registry);
    // The operator only ever sees objects the API server stored.
    let (inventory, decode_findings) = admitted.inventory();
    let mut diagnostics = admitted.diagnostics;
    diagnostics.extend(decode_findings);
    diagnostics.extend(rules::check(inputs, &inventory, &options.rules));
    diagnostics.extend(duplicates(inputs));
    diagnostics.retain(|d| wanted(&d.code, &options.select, &options.ignore));
    sort(&mut diagnostics);
    LintReport {
        diagnostics,
        objects: inputs.documents.len(),
    }
}

/// The code of the error for an object that appears twice in the input.
pub const DUPLICATE_CODE: &str = "promagent/duplicate";

/// Two objects with the same group, kind, namespace and name: the cluster holds only one of them
/// (the last one applied), so the second is an error that names the first.
fn duplicates(inputs: &Inputs) -> Vec<Diagnostic> {
    let mut first: HashMap<(String, String, String, String), &Document> = HashMap::new();
    let mut out = Vec::new();
    for doc in &inputs.documents {
        if doc.kind().is_empty() || doc.name().is_empty() {
            continue;
        }
        let group = doc.api_version().rsplit_once('/').map_or("", |(g, _)| g);
        let key = (
            group.to_string(),
            doc.kind().to_string(),
            doc.namespace().to_string(),
            doc.name().to_string(),
        );
        match first.get(&key) {
            None => {
                first.insert(key, doc);
            }
            Some(earlier) => {
                let path = FieldPath::root().key("metadata").key("name");
                let (line, col) = earlier.location(&path).line_col();
                out.push(
                    Diagnostic::error(
                        Layer::Yaml,
                        DUPLICATE_CODE,
                        format!(
                            "{} is already defined at {}:{line}:{col}; the cluster keeps only the one applied last",
                            doc.object_ref(),
                            earlier.file.name
                        ),
                    )
                    .with_object(doc.object_ref())
                    .with_path(path.clone())
                    .with_location(doc.location(&path)),
                );
            }
        }
    }
    out
}

fn wanted(code: &str, select: &[String], ignore: &[String]) -> bool {
    let selected = select.is_empty() || select.iter().any(|p| codes::matches(code, p));
    selected && !ignore.iter().any(|p| codes::matches(code, p))
}

/// Findings in file order, then position, then code: stable output for snapshots and CI logs.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            let file = d.file_name().unwrap_or("").to_string();
            let start = d.location.as_ref().map_or(0, |l| l.span.start);
            (file, start, d.severity, d.code.clone(), d.message.clone())
        };
        key(a).cmp(&key(b))
    });
}

/// Checks one document against its CRD. Returns the object as the API server would store it
/// (defaults applied) when it got as far as the CEL rules.
fn check_document(
    doc: &Document,
    registry: &Registry,
    compiled: &HashMap<(String, String), cel::CelRules>,
    out: &mut Vec<Diagnostic>,
) -> Option<serde_json::Value> {
    let object = doc.object_ref();
    let found = |layer: Layer, code: &str, path: FieldPath, message: String| {
        Diagnostic::error(layer, code, message)
            .with_location(doc.location(&path))
            .with_path(path)
            .with_object(object.clone())
    };
    let (api_version, kind) = (doc.api_version(), doc.kind());
    if !doc.value.is_object() || (api_version.is_empty() && kind.is_empty()) {
        // Not a Kubernetes object (a values file, a CI config): nothing for promagent to check.
        return None;
    }
    if api_version.is_empty() || kind.is_empty() {
        let missing = if api_version.is_empty() {
            "apiVersion"
        } else {
            "kind"
        };
        out.push(found(
            Layer::Schema,
            "schema/required",
            FieldPath::root().key(missing),
            format!("{missing}: Required value: every Kubernetes object needs apiVersion and kind"),
        ));
        return None;
    }
    let group = group_of(api_version);
    let schema = match registry.lookup(api_version, kind) {
        Lookup::Found(version) => version,
        Lookup::OtherVersion { .. } | Lookup::Unknown
            if (group == OPERATOR_GROUP || registry.knows_group(group))
                && !is_other_operator_kind(api_version, kind) =>
        {
            let help = registry
                .suggest(kind)
                .unwrap_or_else(|| "check apiVersion and kind against the installed CRDs".into());
            out.push(
                found(
                    Layer::Schema,
                    "schema/no-match",
                    FieldPath::root().key("apiVersion"),
                    format!("no matches for kind \"{kind}\" in version \"{api_version}\""),
                )
                .with_help(help),
            );
            return None;
        }
        _ => return None,
    };
    let mut structural = Vec::new();
    match doc.value.get("metadata") {
        Some(metadata) => structural.extend(metadata::validate(metadata, schema.namespaced)),
        None => structural.push(schema::SchemaError {
            path: FieldPath::root().key("metadata").key("name"),
            kind: schema::SchemaErrorKind::Required,
            message: "Required value: name or generateName is required".into(),
        }),
    }
    structural.extend(schema::validate(&doc.value, schema.schema));
    let failed_paths: Vec<FieldPath> = structural
        .iter()
        .filter(|e| e.blocks_cel())
        .map(|e| e.path.clone())
        .collect();
    for e in structural {
        out.push(found(Layer::Schema, e.kind.code(), e.path, e.message));
    }
    let compiled_here;
    let rules = match compiled.get(&(api_version.to_string(), kind.to_string())) {
        Some(rules) => rules,
        None => {
            compiled_here = match cel::compile(schema.schema) {
                Ok(rules) => rules,
                Err(refused) => *refused.rules,
            };
            &compiled_here
        }
    };
    let mut defaulted = doc.value.clone();
    crate::crd::defaults::apply(&mut defaulted, schema.schema);
    for e in cel::validate(rules, &defaulted, &failed_paths) {
        let code = if e.cost_exceeded {
            CEL_COST_CODE
        } else {
            "cel/rule"
        };
        let help = match &e.reason {
            Some(reason) => format!("rule `{}` ({reason})", e.rule),
            None => format!("rule `{}`", e.rule),
        };
        out.push(
            Diagnostic::error(Layer::Cel, code, e.field_error_text())
                .with_location(doc.location(&e.location_hint))
                .with_path(e.path)
                .with_object(object.clone())
                .with_help(help),
        );
    }
    Some(defaulted)
}

/// A rule of a `--crds` CRD the API server would refuse, reported at the rule's field in the CRD
/// file, worded as the API server words it.
fn crd_rule_problem(
    version: &crate::crd::UserVersion<'_>,
    problem: &cel::RuleProblem,
) -> Diagnostic {
    let doc = version.document;
    let mut path = FieldPath::root()
        .key("spec")
        .key("versions")
        .index(version.index)
        .key("schema")
        .key("openAPIV3Schema");
    path.0.extend(problem.field.0.iter().cloned());
    let code = if problem.cost {
        CEL_COST_CODE
    } else {
        CEL_COMPILE_CODE
    };
    Diagnostic::error(Layer::Cel, code, problem.message.clone())
        .with_location(doc.location(&path))
        .with_path(path)
        .with_object(doc.object_ref())
        .with_help(
            "the API server refuses to create this CustomResourceDefinition; the rule is not run",
        )
}

fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every fixture under testdata/{lint,rules,model,cel}, read as one run.
    fn fixtures() -> Inputs {
        let mut files: Vec<std::path::PathBuf> = ["lint", "rules", "model", "cel"]
            .iter()
            .flat_map(|dir| walkdir::WalkDir::new(format!("testdata/{dir}")))
            .filter_map(Result::ok)
            .map(|e| e.into_path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        let mut inputs = Inputs::default();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("fixture");
            let name = file.display().to_string();
            inputs
                .add_manifests(&name, text, &crate::load::yaml::Limits::default())
                .expect("within limits");
        }
        inputs
    }

    #[test]
    fn lint_on_one_thread_reports_what_it_reports_on_every_core() {
        let inputs = fixtures();
        assert!(inputs.documents.len() > 100, "{}", inputs.documents.len());
        let mut options = LintOptions {
            registry: crate::crd::embedded_registry(),
            rules: rules::RuleOptions::default(),
            select: Vec::new(),
            ignore: Vec::new(),
        };
        options
            .rules
            .operator
            .feature_gates
            .prometheus_agent_daemon_set = true;
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("thread pool");
            pool.install(|| format!("{:#?}", lint(&inputs, &options).diagnostics))
        };
        let serial = run(1);
        for layer in ["Schema", "Cel", "Operator", "Yaml"] {
            assert!(
                serial.contains(&format!("layer: {layer}")),
                "no {layer} finding"
            );
        }
        assert_eq!(serial, run(4));
    }

    #[test]
    fn select_and_ignore_take_codes_and_prefixes() {
        let select = vec!["PM2".to_string()];
        let ignore = vec!["PM205".to_string()];
        assert!(wanted("PM201", &select, &ignore));
        assert!(!wanted("PM205", &select, &ignore));
        assert!(!wanted("PA101", &select, &ignore));
        assert!(wanted("PA101", &[], &[]));
        assert!(!wanted("schema/required", &[], &["all".to_string()]));
    }
}

#[cfg(test)]
mod layer_tests {
    use super::*;

    fn lint_text(text: &str) -> Vec<Diagnostic> {
        let inputs = crate::load::load_str("t.yaml", text);
        let options = LintOptions {
            registry: crate::crd::embedded_registry(),
            rules: rules::RuleOptions::default(),
            select: Vec::new(),
            ignore: Vec::new(),
        };
        lint(&inputs, &options).diagnostics
    }

    #[test]
    fn schema_and_cel_layers_run_in_order() {
        let found = lint_text(
            "apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: a\n  namespace: m\nspec:\n  mode: DaemonSet\n  replica: 2\n  minReadySeconds: -1\n  storage: {}\n",
        );
        let got: Vec<(String, String, String)> = found
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| (d.code.clone(), d.path.to_string(), d.message.clone()))
            .collect();
        assert!(
            got.iter().any(|(c, p, m)| c == "schema/unknown-field"
                && p == "spec.replica"
                && m.contains("unknown field \"spec.replica\"")),
            "{got:#?}"
        );
        assert!(
            got.iter()
                .any(|(c, p, _)| c == "schema/bounds" && p == "spec.minReadySeconds"),
            "{got:#?}"
        );
        assert!(
            got.iter().any(|(c, p, m)| c == "cel/rule"
                && p == "spec"
                && m.contains("storage cannot be set when mode is DaemonSet")),
            "{got:#?}"
        );
    }

    #[test]
    fn wrong_api_version_is_no_match() {
        let found = lint_text(
            "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusAgent\nmetadata:\n  name: a\n",
        );
        assert_eq!(
            found[0].message,
            "no matches for kind \"PrometheusAgent\" in version \"monitoring.coreos.com/v1\""
        );
        assert_eq!(found[0].path.to_string(), "apiVersion");
    }

    #[test]
    fn the_operators_other_kinds_are_passed_over_unless_the_version_is_wrong() {
        assert!(
            lint_text(
                "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: a\n"
            )
            .is_empty()
        );
        let found = lint_text(
            "apiVersion: monitoring.coreos.com/v2\nkind: Prometheus\nmetadata:\n  name: a\n",
        );
        assert_eq!(found[0].code, "schema/no-match");
    }

    #[test]
    fn documents_that_are_not_kubernetes_objects_are_passed_over() {
        assert!(lint_text("jobs:\n  build:\n    runs-on: ubuntu-latest\n").is_empty());
    }
}
