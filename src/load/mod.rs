//! Loading: command-line paths and standard input become [`Document`]s, one per Kubernetes object,
//! each holding its YAML tree with source spans and the same content as JSON.
//!
//! Multi-document YAML and JSON are read as kubectl reads manifests: empty documents are skipped
//! (a file without any object gets a note), a document with `items` is a list whose items are
//! expanded, and a document or list item that is not an object, or a number JSON cannot hold
//! (`.inf`, `.nan`), is an error. Syntax errors and duplicate keys become `yaml`-layer findings; an
//! input that cannot be read at all, or that exceeds a bound, is a [`LoadError`]. A file that is
//! not Kubernetes YAML (a Helm chart's files, a kustomization, a JSON or YAML file with no
//! `apiVersion` or `kind`), or a walked file that is not UTF-8, is [`Skipped`] with its reason.

pub mod files;
pub mod json;
pub mod limits;
pub mod spans;
pub mod yaml;

use crate::diag::{Diagnostic, Layer, Location, ObjectRef, Severity, SourceFile, Span};
use crate::fieldpath::FieldPath;
pub use files::{Input, InputSource, LoadError, WalkOptions};
pub use limits::Budget;
use rayon::prelude::*;
use spans::Spans;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use yaml::{Limits, Node, NodeValue, ParseError};

/// One Kubernetes object from the input.
#[derive(Clone, Debug)]
pub struct Document {
    pub file: Arc<SourceFile>,
    pub value: serde_json::Value,
    /// Where each node of `value` is in the file.
    spans: Spans,
}

impl Document {
    fn new(file: Arc<SourceFile>, root: Node) -> Self {
        let value = root.to_json();
        Self::with_value(file, root, value)
    }

    /// The document read as `root`, whose JSON is `value`: the tree is kept only as spans.
    fn with_value(file: Arc<SourceFile>, root: Node, value: serde_json::Value) -> Self {
        let spans = Spans::new(root, &value);
        Document { file, value, spans }
    }

    /// The document's YAML tree, rebuilt from its JSON and spans when only those were kept.
    pub fn tree(&self) -> std::borrow::Cow<'_, Node> {
        self.spans.tree(&self.value)
    }

    /// The JSON of each mapping among `roots`, made on every core when there are many (`None`
    /// otherwise: each is made as its document is added).
    fn values_of(roots: &[Node]) -> Vec<Option<serde_json::Value>> {
        if roots.len() < 64 {
            return vec![None; roots.len()];
        }
        roots
            .par_iter()
            .map(|root| matches!(root.value, NodeValue::Map(_)).then(|| root.to_json()))
            .collect()
    }

    fn str_at(&self, path: &[&str]) -> &str {
        let mut v = &self.value;
        for key in path {
            match v.get(key) {
                Some(next) => v = next,
                None => return "",
            }
        }
        v.as_str().unwrap_or("")
    }

    pub fn api_version(&self) -> &str {
        self.str_at(&["apiVersion"])
    }

    pub fn kind(&self) -> &str {
        self.str_at(&["kind"])
    }

    pub fn name(&self) -> &str {
        self.str_at(&["metadata", "name"])
    }

    pub fn namespace(&self) -> &str {
        self.str_at(&["metadata", "namespace"])
    }

    pub fn object_ref(&self) -> ObjectRef {
        ObjectRef {
            kind: self.kind().to_string(),
            namespace: self.namespace().to_string(),
            name: self.name().to_string(),
        }
    }

    /// The span of the node at `path`, when every step exists.
    pub fn span_at(&self, path: &FieldPath) -> Option<Span> {
        self.spans.find(&self.value, path).node
    }

    /// Where `path` is in the file: the deepest node that exists along it. A mapping entry points at
    /// its key, so a finding about `spec.replicas` lands on the `replicas:` line.
    pub fn location(&self, path: &FieldPath) -> Location {
        Location {
            file: self.file.clone(),
            span: self.spans.find(&self.value, path).located,
        }
    }
}

/// Everything read from the inputs.
#[derive(Debug, Default)]
pub struct Inputs {
    pub documents: Vec<Document>,
    /// `yaml`-layer findings: syntax errors, tabs, duplicate keys.
    pub diagnostics: Vec<Diagnostic>,
    /// The files read, in order, including those that held no object.
    pub files: Vec<Arc<SourceFile>>,
    /// Files left out because they hold no Kubernetes objects, in order.
    pub skipped: Vec<Skipped>,
}

/// A file left out of the run, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub file: String,
    pub reason: String,
}

/// Kinds that live outside any namespace; every other kind gets the namespace kubectl would give it.
const CLUSTER_SCOPED_KINDS: &[&str] = &[
    "Namespace",
    "Node",
    "PersistentVolume",
    "StorageClass",
    "PriorityClass",
    "RuntimeClass",
    "IngressClass",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "CSIDriver",
    "CSINode",
    "VolumeAttachment",
    "CertificateSigningRequest",
    "List",
];

/// The code of the note that says which objects were placed in the default namespace.
pub const DEFAULT_NAMESPACE_CODE: &str = "promagent/namespace";

impl Inputs {
    /// Gives every namespaced object without `metadata.namespace` the namespace that
    /// `kubectl apply` (or `kubectl apply -n NAMESPACE`) gives it, so that no object is ever
    /// treated as living in the empty namespace. When `namespace` is `None` the objects go to
    /// `default`, and one note (at the first of them) says so.
    pub fn place_in_namespace(&mut self, namespace: Option<&str>) {
        let target = namespace.unwrap_or("default");
        let mut placed: Vec<usize> = Vec::new();
        for (i, doc) in self.documents.iter_mut().enumerate() {
            let kind = doc.kind();
            if kind.is_empty() || CLUSTER_SCOPED_KINDS.contains(&kind) {
                continue;
            }
            let Some(metadata) = doc
                .value
                .get_mut("metadata")
                .and_then(|m| m.as_object_mut())
            else {
                continue;
            };
            let missing = match metadata.get("namespace") {
                None | Some(serde_json::Value::Null) => true,
                Some(serde_json::Value::String(ns)) => ns.is_empty(),
                Some(_) => false,
            };
            if missing {
                metadata.insert("namespace".into(), target.into());
                placed.push(i);
            }
        }
        if namespace.is_some() {
            return;
        }
        let Some(&first) = placed.first() else {
            return;
        };
        let doc = &self.documents[first];
        let others = match placed.len() {
            1 => "no metadata.namespace".to_string(),
            n => format!(
                "no metadata.namespace, nor {} other object{}",
                n - 1,
                if n == 2 { "" } else { "s" }
            ),
        };
        let path = FieldPath::root().key("metadata");
        self.diagnostics.push(
            Diagnostic::new(
                Severity::Info,
                Layer::Yaml,
                DEFAULT_NAMESPACE_CODE,
                format!("{others}: placed in namespace \"default\", as kubectl apply does"),
            )
            .with_object(doc.object_ref())
            .with_path(path.clone())
            .with_help(
                "pass --namespace NS (or set namespace in .promagent.yaml) for the namespace your kustomization or `kubectl -n` sets",
            )
            .with_location(doc.location(&path)),
        );
    }

    /// Reads one text as YAML documents, whatever their shape. A bound being exceeded is reported
    /// as an error.
    pub fn add_text(&mut self, name: &str, text: String, limits: &Limits) -> Result<(), LoadError> {
        let parsed = yaml::parse(&text, limits);
        self.add_parsed(Arc::new(SourceFile::new(name, text)), parsed, false)
    }

    /// Reads one text of Kubernetes manifests, as kubectl reads a file (see the module comment).
    pub fn add_manifests(
        &mut self,
        name: &str,
        text: String,
        limits: &Limits,
    ) -> Result<(), LoadError> {
        let parsed = yaml::parse(&text, limits);
        self.add_parsed(Arc::new(SourceFile::new(name, text)), parsed, true)
    }

    fn add_parsed(
        &mut self,
        file: Arc<SourceFile>,
        parsed: yaml::Parsed,
        manifests: bool,
    ) -> Result<(), LoadError> {
        self.files.push(file.clone());
        for problem in &parsed.problems {
            self.diagnostics.push(yaml_finding(&file, problem));
        }
        let clean = parsed.problems.is_empty() && parsed.error.is_none();
        match parsed.error {
            None => {}
            Some(ParseError::Syntax(problem)) => {
                self.diagnostics.push(yaml_finding(&file, &problem))
            }
            Some(ParseError::Limit(problem)) => {
                let (line, column) = file.line_col(problem.offset);
                return Err(LoadError::Limit {
                    path: file.name.clone(),
                    line,
                    column,
                    message: problem.message,
                });
            }
        }
        if !manifests {
            for root in parsed.documents {
                self.push_any(&file, root);
            }
            return Ok(());
        }
        if parsed.documents.is_empty() && clean {
            self.diagnostics.push(
                Diagnostic::new(
                    Severity::Info,
                    Layer::Yaml,
                    EMPTY_CODE,
                    "no object in this file: it is empty or holds only comments and `---` (kubectl skips it)",
                )
                .with_location(Location {
                    file: file.clone(),
                    span: Span::new(0, 0),
                }),
            );
        }
        let values = Document::values_of(&parsed.documents);
        for (root, value) in parsed.documents.into_iter().zip(values) {
            // kubectl turns the whole document into JSON before it looks at it.
            if let Some(node) = non_finite(&root) {
                self.diagnostics
                    .push(shape_finding(&file, node.span, non_finite_message(node)));
                continue;
            }
            self.push_manifest(&file, root, None, value);
        }
        Ok(())
    }

    fn push_any(&mut self, file: &Arc<SourceFile>, root: Node) {
        if is_list(&root) {
            if let Some(NodeValue::Seq(items)) = root.get("items").map(|n| &n.value) {
                for item in items.clone() {
                    if item.value != NodeValue::Null {
                        self.push_any(file, item);
                    }
                }
            }
            return;
        }
        self.documents.push(Document::new(file.clone(), root));
    }

    /// One document, or one item of a list (`list`: the list's kind and apiVersion); `value`:
    /// its JSON, when already made.
    fn push_manifest(
        &mut self,
        file: &Arc<SourceFile>,
        node: Node,
        list: Option<(&str, &str)>,
        value: Option<serde_json::Value>,
    ) {
        if !matches!(node.value, NodeValue::Map(_)) {
            let message = match list {
                Some(_) if node.value == NodeValue::Null => {
                    "the list item is null, not an object: kubectl finds no kind in it".to_string()
                }
                None => format!(
                    "the document is {}, not an object: kubectl cannot decode it (json: cannot unmarshal {} into Go value of type unstructured.detector)",
                    shape_name(&node),
                    go_json_type(&node)
                ),
                Some(_) => format!(
                    "the list item is {}, not an object: kubectl cannot decode the list (json: cannot unmarshal {} into Go value of type map[string]interface {{}})",
                    shape_name(&node),
                    go_json_type(&node)
                ),
            };
            self.diagnostics
                .push(shape_finding(file, node.span, message));
            return;
        }
        // As the API machinery's unstructured decoder: any object with `items` is a list.
        if let Some(items) = node.get("items").filter(|n| n.value != NodeValue::Null) {
            let NodeValue::Seq(list_items) = &items.value else {
                let message = format!(
                    "items is {}, not a list of objects: kubectl cannot decode the list (json: cannot unmarshal {} into Go struct field decodeList.items of type []json.RawMessage)",
                    shape_name(items),
                    go_json_type(items)
                );
                self.diagnostics
                    .push(shape_finding(file, items.span, message));
                return;
            };
            let kind = node.get("kind").and_then(Node::as_str).unwrap_or("");
            let api_version = node.get("apiVersion").and_then(Node::as_str).unwrap_or("");
            for item in list_items.clone() {
                self.push_manifest(file, item, Some((kind, api_version)), None);
            }
            return;
        }
        let mut doc = match value {
            Some(value) => Document::with_value(file.clone(), node, value),
            None => Document::new(file.clone(), node),
        };
        // Items of a typed list (`kind: PodList`) without kind and apiVersion are of its item kind.
        if let Some((list_kind, list_api_version)) = list
            && doc.value.get("kind").is_none()
            && doc.value.get("apiVersion").is_none()
            && let Some(object) = doc.value.as_object_mut()
        {
            let item_kind = list_kind.strip_suffix("List").unwrap_or(list_kind);
            object.insert("kind".into(), item_kind.into());
            object.insert("apiVersion".into(), list_api_version.into());
        }
        self.documents.push(doc);
    }
}

/// The code of the note about a file that holds no object.
pub const EMPTY_CODE: &str = "yaml/empty";

fn is_list(root: &Node) -> bool {
    let kind = root.get("kind").and_then(Node::as_str).unwrap_or("");
    kind.ends_with("List") && matches!(root.get("items").map(|n| &n.value), Some(NodeValue::Seq(_)))
}

/// The first value JSON cannot hold: an infinite or NaN float (`.inf`, `-.inf`, `.nan`).
fn non_finite(node: &Node) -> Option<&Node> {
    match &node.value {
        NodeValue::Float(f) if !f.is_finite() => Some(node),
        NodeValue::Seq(items) => items.iter().find_map(non_finite),
        NodeValue::Map(entries) => entries.iter().find_map(|(_, v)| non_finite(v)),
        _ => None,
    }
}

fn non_finite_message(node: &Node) -> String {
    let go = match &node.value {
        NodeValue::Float(f) if f.is_nan() => "NaN",
        NodeValue::Float(f) if *f < 0.0 => "-Inf",
        _ => "+Inf",
    };
    format!(
        "{go} is not a JSON number: kubectl cannot convert the document to JSON (json: unsupported value: {go}); quote it if it is a string"
    )
}

fn shape_name(node: &Node) -> &'static str {
    match node.value {
        NodeValue::Null => "null",
        NodeValue::Bool(_) => "a boolean",
        NodeValue::Int(_) | NodeValue::Float(_) => "a number",
        NodeValue::Str(_) => "a string",
        NodeValue::Seq(_) => "a list",
        NodeValue::Map(_) => "an object",
    }
}

/// The JSON type name Go's `encoding/json` prints in an unmarshal error.
fn go_json_type(node: &Node) -> &'static str {
    match node.value {
        NodeValue::Null => "null",
        NodeValue::Bool(_) => "bool",
        NodeValue::Int(_) | NodeValue::Float(_) => "number",
        NodeValue::Str(_) => "string",
        NodeValue::Seq(_) => "array",
        NodeValue::Map(_) => "object",
    }
}

fn shape_finding(file: &Arc<SourceFile>, span: Span, message: String) -> Diagnostic {
    let code = if message.contains("json: unsupported value") {
        "yaml/non-finite-number"
    } else {
        "yaml/not-an-object"
    };
    Diagnostic::new(Severity::Error, Layer::Yaml, code, message).with_location(Location {
        file: file.clone(),
        span,
    })
}

fn yaml_finding(file: &Arc<SourceFile>, problem: &yaml::Problem) -> Diagnostic {
    let help = match problem.code {
        "yaml/tab" => Some("replace the tab with spaces"),
        "yaml/duplicate-key" => {
            Some("remove one of the two entries; the API server rejects duplicate keys")
        }
        _ => None,
    };
    let end = if problem.len > 0 {
        problem.offset + problem.len
    } else {
        file.text[problem.offset.min(file.text.len())..]
            .chars()
            .next()
            .map_or(problem.offset, |c| problem.offset + c.len_utf8())
    };
    let mut d = Diagnostic::new(
        Severity::Error,
        Layer::Yaml,
        problem.code,
        problem.message.clone(),
    )
    .with_location(Location {
        file: file.clone(),
        span: Span::new(problem.offset, end),
    });
    if let Some(help) = help {
        d = d.with_help(help);
    }
    d
}

/// Reads one text (handy in tests and for stdin). Bounds still apply; exceeding one is reported as
/// a `yaml/limit` finding.
pub fn load_str(name: &str, text: &str) -> Inputs {
    let mut inputs = Inputs::default();
    if let Err(e) = inputs.add_manifests(name, text.to_string(), &Limits::default()) {
        inputs.diagnostics.push(Diagnostic::new(
            Severity::Error,
            Layer::Yaml,
            "yaml/limit",
            e.to_string(),
        ));
    }
    inputs
}

/// Reads every file, directory and `-` on the command line, within the default byte budget.
pub fn load_paths(paths: &[PathBuf]) -> Result<Inputs, LoadError> {
    load_paths_with(
        paths,
        &Limits::default(),
        &WalkOptions::default(),
        &mut Budget::default(),
    )
}

/// Reads every file, directory and `-` on the command line; all of them together may not exceed
/// `budget`.
pub fn load_paths_with(
    paths: &[PathBuf],
    limits: &Limits,
    walk: &WalkOptions,
    budget: &mut Budget,
) -> Result<Inputs, LoadError> {
    if paths.is_empty() {
        return Err(LoadError::NoInput);
    }
    // Files are read in order (the budget and the first unreadable file decide as in a serial
    // run), parsed on every core, and added in order.
    let mut read = Vec::new();
    let mut failed = None;
    for input in files::expand(paths, walk)? {
        let name = input.source.display_name();
        match budget.read_text(&input.source) {
            Ok(text) => read.push(Ok((input, name, text))),
            Err(LoadError::NotUtf8 { .. }) if input.walked => read.push(Err(Skipped {
                file: name,
                reason: "not UTF-8 text".into(),
            })),
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    let parse = |entry: Result<(Input, String, String), Skipped>| {
        let (input, name, text) = entry?;
        let path = match &input.source {
            InputSource::File(p) => Some(p.as_path()),
            InputSource::Stdin => None,
        };
        let parsed = yaml::parse(&text, limits);
        if let Some(reason) = not_kubernetes(path, input.walked, &text, &parsed) {
            return Err(Skipped { file: name, reason });
        }
        Ok((SourceFile::new(name, text), parsed))
    };
    // One file (the pre-commit case) is parsed here: starting the threads would cost more.
    let parsed: Vec<Result<(SourceFile, yaml::Parsed), Skipped>> = if read.len() > 1 {
        read.into_par_iter().map(parse).collect()
    } else {
        read.into_iter().map(parse).collect()
    };
    let mut inputs = Inputs::default();
    for entry in parsed {
        match entry {
            Ok((file, parsed)) => inputs.add_parsed(Arc::new(file), parsed, true)?,
            Err(skipped) => inputs.skipped.push(skipped),
        }
    }
    match failed {
        Some(e) => Err(e),
        None => Ok(inputs),
    }
}

/// Why a text is not Kubernetes YAML, when it is not: a kustomization, a Helm chart's `Chart.yaml`
/// or template, or documents none of which has `apiVersion` or `kind` (`values.yaml`,
/// `package.json`, a CI workflow). An empty file, or one that holds an object, is read.
/// Why a file is not Kubernetes YAML, if it is not. A file without any `apiVersion` or `kind` is
/// skipped only when a directory walk met it: a file named on the command line is read as manifests,
/// so that an object that lost its kind is still an error.
fn not_kubernetes(
    path: Option<&Path>,
    walked: bool,
    text: &str,
    parsed: &yaml::Parsed,
) -> Option<String> {
    let name = path
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .unwrap_or("");
    if matches!(
        name,
        "kustomization.yaml" | "kustomization.yml" | "Kustomization"
    ) {
        return Some(
            "a kustomization, not a manifest: pass the output of `kustomize build` (- reads stdin)"
                .into(),
        );
    }
    if matches!(name, "Chart.yaml" | "Chart.lock") {
        return Some("a Helm chart's metadata, not a manifest".into());
    }
    if let Some(at) = text.find("{{") {
        let syntax_error = matches!(parsed.error, Some(ParseError::Syntax(_)));
        if syntax_error || path.is_some_and(in_chart_templates) {
            let line = text[..at].matches('\n').count() + 1;
            return Some(format!(
                "a Helm template (`{{{{` on line {line}), not a manifest: pass the output of `helm template` (- reads stdin)"
            ));
        }
    }
    if walked
        && parsed.error.is_none()
        && !parsed.documents.is_empty()
        && parsed
            .documents
            .iter()
            .all(|d| d.get("apiVersion").is_none() && d.get("kind").is_none())
    {
        return Some("no document in it has an apiVersion or a kind".into());
    }
    None
}

/// Whether `path` lies under the `templates/` directory of a Helm chart (beside its `Chart.yaml`).
fn in_chart_templates(path: &Path) -> bool {
    path.ancestors().any(|a| {
        a.file_name().is_some_and(|n| n == "templates")
            && a.parent()
                .is_some_and(|chart| chart.join("Chart.yaml").is_file())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_loads_the_same_on_one_thread_and_on_many() {
        let dir = tempfile::tempdir().unwrap();
        let pm = |i: usize| {
            format!(
                "apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata:\n  name: p{i}\n  namespace: m\nspec: {{}}\n"
            )
        };
        for i in 0..40 {
            std::fs::write(dir.path().join(format!("pm-{i:02}.yaml")), pm(i)).unwrap();
        }
        std::fs::write(
            dir.path().join("kustomization.yaml"),
            "resources: [a.yaml]\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("values.yaml"), "replicas: 2\n").unwrap();
        std::fs::write(dir.path().join("pm-05b.yaml"), [0xff, 0xfe, b'\n']).unwrap();
        std::fs::write(
            dir.path().join("pm-07b.yaml"),
            "kind: PodMonitor\n\tbad: tab\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("pm-09b.yaml"), "").unwrap();
        let load = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("thread pool");
            pool.install(|| {
                let inputs = load_paths_with(
                    &[dir.path().to_path_buf()],
                    &Limits::default(),
                    &WalkOptions::default(),
                    &mut Budget::default(),
                )
                .expect("loads");
                let files: Vec<&str> = inputs.files.iter().map(|f| f.name.as_str()).collect();
                let documents: Vec<String> = inputs
                    .documents
                    .iter()
                    .map(|d| format!("{} {}", d.file.name, d.object_ref()))
                    .collect();
                let diagnostics: Vec<String> = inputs
                    .diagnostics
                    .iter()
                    .map(|d| format!("{d:?}"))
                    .collect();
                format!(
                    "{files:#?}\n{documents:#?}\n{diagnostics:#?}\n{:#?}",
                    inputs.skipped
                )
            })
        };
        let serial = load(1);
        assert!(
            serial.contains("pm-39.yaml") && serial.contains("kustomization"),
            "{serial}"
        );
        assert!(
            serial.contains("not UTF-8") && serial.contains("yaml/tab"),
            "{serial}"
        );
        assert_eq!(load(4), serial);
    }

    #[test]
    fn a_file_of_many_documents_reads_as_its_documents_one_by_one() {
        let documents = [
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n",
            "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: s}}\n",
            "apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: p}\n",
            "kind: Thing\nitems: null\nmetadata: {name: n}\n",
            "- a sequence\n",
            "a string\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: inf}\ndata: {k: .inf}\n",
        ];
        let mut whole = String::new();
        for i in 0..20 {
            for d in documents {
                whole.push_str("---\n");
                whole.push_str(&d.replace("name: ", &format!("name: x{i}-")));
            }
        }
        let mut at_once = Inputs::default();
        at_once
            .add_manifests("all.yaml", whole.clone(), &Limits::default())
            .expect("loads");
        let mut one_by_one = Inputs::default();
        let mut offset = 0;
        for text in whole.split_inclusive("\n---\n") {
            // Each document alone, at its place in the file (after as many blank lines as the
            // text before it has bytes): the spans are the same.
            let placed = format!("{}{text}", "\n".repeat(offset));
            offset += text.len();
            one_by_one
                .add_manifests("all.yaml", placed, &Limits::default())
                .expect("loads");
        }
        let shown = |inputs: &Inputs| -> (Vec<String>, Vec<String>) {
            let documents = inputs
                .documents
                .iter()
                .map(|d| format!("{:?} {}", d.tree(), d.value))
                .collect();
            let diagnostics = inputs
                .diagnostics
                .iter()
                .map(|d| {
                    format!(
                        "{} {} {:?}",
                        d.code,
                        d.message,
                        d.location.as_ref().map(|l| l.span)
                    )
                })
                .collect();
            (documents, diagnostics)
        };
        let (documents, diagnostics) = shown(&at_once);
        assert_eq!(documents.len(), 20 * 4, "{documents:#?}");
        assert_eq!(diagnostics.len(), 20 * 3, "{diagnostics:#?}");
        assert_eq!((documents, diagnostics), shown(&one_by_one));
    }

    #[test]
    fn the_first_file_that_stops_the_run_decides_its_error() {
        let dir = tempfile::tempdir().unwrap();
        let run = |budget: u64| {
            load_paths_with(
                &[dir.path().to_path_buf()],
                &Limits::default(),
                &WalkOptions::default(),
                &mut Budget::new(budget),
            )
            .expect_err("stops")
        };
        std::fs::write(
            dir.path().join("a.yaml"),
            "kind: Namespace\nmetadata: {name: a}\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("b.yaml"), "x".repeat(64)).unwrap();
        let err = run(50);
        assert!(
            matches!(err, LoadError::TooLarge { ref path, .. } if path.ends_with("b.yaml")),
            "{err}"
        );
        // A file too deep to read comes before a later file over the budget.
        let deep = format!("a: {}{}\n", "[".repeat(300), "]".repeat(300));
        std::fs::write(dir.path().join("a.yaml"), &deep).unwrap();
        let err = run(deep.len() as u64 + 10);
        assert!(
            matches!(err, LoadError::Limit { ref path, .. } if path.ends_with("a.yaml")),
            "{err}"
        );
    }

    #[test]
    fn list_is_expanded_and_locations_point_at_keys() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: a\n- kind: Secret\n  metadata:\n    name: s\n    namespace: a\n";
        let inputs = load_str("list.yaml", text);
        assert!(inputs.diagnostics.is_empty());
        assert_eq!(inputs.documents.len(), 2);
        let secret = &inputs.documents[1];
        assert_eq!(secret.object_ref().to_string(), "Secret a/s");
        let loc = secret.location(&FieldPath::parse("metadata.namespace"));
        assert_eq!(loc.line_col(), (11, 5));
        // A missing field points at the deepest part that exists.
        let loc = secret.location(&FieldPath::parse("metadata.labels.app"));
        assert_eq!(loc.line_col(), (9, 3));
    }

    fn codes(inputs: &Inputs) -> Vec<(&str, (usize, usize))> {
        inputs
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.line_col().unwrap()))
            .collect()
    }

    #[test]
    fn a_file_without_objects_gets_a_note() {
        for text in ["", "---\n", "# only a comment\n---\n---\n"] {
            let inputs = load_str("e.yaml", text);
            assert!(inputs.documents.is_empty());
            assert_eq!(codes(&inputs), [(EMPTY_CODE, (1, 1))], "{text:?}");
            assert_eq!(inputs.diagnostics[0].severity, Severity::Info);
        }
        // Empty documents between objects are skipped silently.
        let inputs = load_str("e.yaml", "---\na: 1\n---\n---\n");
        assert!(inputs.diagnostics.is_empty());
    }

    #[test]
    fn documents_that_are_not_objects_are_errors() {
        let inputs = load_str("s.yaml", "hello\n---\n- a\n---\n42\n---\nkind: Namespace\n");
        assert_eq!(
            codes(&inputs),
            [
                ("yaml/not-an-object", (1, 1)),
                ("yaml/not-an-object", (3, 1)),
                ("yaml/not-an-object", (5, 1))
            ]
        );
        assert!(inputs.diagnostics[0].message.contains("a string"));
        assert!(
            inputs.diagnostics[1]
                .message
                .contains("cannot unmarshal array")
        );
        assert_eq!(inputs.documents.len(), 1);
    }

    #[test]
    fn list_items_must_be_objects() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- 1\n- kind: Namespace\n  metadata: {name: a}\n- null\n- [x]\n";
        let inputs = load_str("l.yaml", text);
        assert_eq!(
            codes(&inputs),
            [
                ("yaml/not-an-object", (4, 3)),
                ("yaml/not-an-object", (7, 3)),
                ("yaml/not-an-object", (8, 3))
            ]
        );
        assert_eq!(inputs.documents.len(), 1);
        let inputs = load_str("l.yaml", "kind: List\nitems: nope\n");
        assert_eq!(codes(&inputs), [("yaml/not-an-object", (2, 8))]);
        assert!(inputs.documents.is_empty());
    }

    #[test]
    fn items_of_a_typed_list_take_its_kind() {
        let text = "apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: p, namespace: x}\n- kind: Node\n  apiVersion: v1\n  metadata: {name: node1}\n";
        let inputs = load_str("p.yaml", text);
        assert!(inputs.diagnostics.is_empty(), "{:?}", inputs.diagnostics);
        let refs: Vec<String> = inputs
            .documents
            .iter()
            .map(|d| format!("{} {}", d.api_version(), d.object_ref()))
            .collect();
        assert_eq!(refs, ["v1 Pod x/p", "v1 Node node1"]);
    }

    #[test]
    fn infinity_and_nan_refuse_their_document() {
        let text = "kind: ConfigMap\nmetadata: {name: a}\ndata: {x: .inf}\n---\nkind: Namespace\nmetadata:\n  name: b\n  labels: {n: .nan}\n---\nkind: Namespace\nmetadata: {name: c}\n";
        let inputs = load_str("i.yaml", text);
        assert_eq!(
            codes(&inputs),
            [
                ("yaml/non-finite-number", (3, 11)),
                ("yaml/non-finite-number", (8, 15))
            ]
        );
        assert!(
            inputs.diagnostics[0]
                .message
                .contains("json: unsupported value: +Inf")
        );
        assert!(inputs.diagnostics[1].message.contains("NaN"));
        assert_eq!(inputs.documents.len(), 1);
        assert_eq!(inputs.documents[0].name(), "c");
    }

    #[test]
    fn raw_text_keeps_every_shape() {
        let mut inputs = Inputs::default();
        inputs
            .add_text("r.yaml", "- a\n- b\n".into(), &Limits::default())
            .unwrap();
        assert!(inputs.diagnostics.is_empty());
        assert_eq!(inputs.documents.len(), 1);
    }

    #[test]
    fn syntax_error_after_good_documents_keeps_them_and_reports_line() {
        let text = "a: 1\n---\nb: [1, 2\n";
        let inputs = load_str("bad.yaml", text);
        assert_eq!(inputs.documents.len(), 1);
        assert_eq!(inputs.diagnostics.len(), 1);
        let d = &inputs.diagnostics[0];
        assert_eq!(d.layer, Layer::Yaml);
        assert!(d.line_col().unwrap().0 >= 3, "{:?}", d.line_col());
    }

    fn skipped(dir: &Path, files: &[(&str, &[u8])], paths: &[PathBuf]) -> (Inputs, Vec<String>) {
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let inputs = load_paths(paths).unwrap();
        let notes = inputs
            .skipped
            .iter()
            .map(|s| {
                let file = Path::new(&s.file).strip_prefix(dir).unwrap().display();
                format!("{file}: {}", s.reason)
            })
            .collect();
        (inputs, notes)
    }

    const POD_MONITOR: &[u8] =
        b"apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata:\n  name: a\n";

    #[test]
    fn files_that_are_not_kubernetes_yaml_are_skipped_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let (inputs, notes) = skipped(
            root,
            &[
                ("blob.yaml", &[0xff, 0xfe, 0x00, 0x01]),
                ("chart/Chart.yaml", b"apiVersion: v2\nname: c\n"),
                ("chart/values.yaml", b"replicas: 1\n"),
                (
                    "chart/templates/pm.yaml",
                    b"apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata:\n  name: {{ .Release.Name }}\n",
                ),
                (
                    "loose/tpl.yaml",
                    b"{{- if .Values.on }}\napiVersion: v1\nkind: Secret\n{{- end }}\n",
                ),
                ("kustomization.yaml", b"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n"),
                ("package.json", b"{\"name\": \"x\"}\n"),
                ("a.yaml", POD_MONITOR),
                ("empty.yaml", b"# nothing yet\n"),
                (
                    "rule.yaml",
                    b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\ndata:\n  t: |\n    {{ range .Alerts }}{{ end }}\n",
                ),
            ],
            &[root.to_path_buf()],
        );
        assert_eq!(
            notes,
            [
                "blob.yaml: not UTF-8 text",
                "chart/Chart.yaml: a Helm chart's metadata, not a manifest",
                "chart/templates/pm.yaml: a Helm template (`{{` on line 4), not a manifest: pass the output of `helm template` (- reads stdin)",
                "chart/values.yaml: no document in it has an apiVersion or a kind",
                "kustomization.yaml: a kustomization, not a manifest: pass the output of `kustomize build` (- reads stdin)",
                "loose/tpl.yaml: a Helm template (`{{` on line 1), not a manifest: pass the output of `helm template` (- reads stdin)",
                "package.json: no document in it has an apiVersion or a kind",
            ]
        );
        let read: Vec<String> = inputs
            .files
            .iter()
            .map(|f| {
                Path::new(&f.name)
                    .strip_prefix(root)
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(read, ["a.yaml", "empty.yaml", "rule.yaml"]);
        let codes: Vec<&str> = inputs.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["yaml/empty"], "{:?}", inputs.diagnostics);
    }

    #[test]
    fn a_named_file_that_is_not_utf8_cannot_be_read() {
        let dir = tempfile::tempdir().unwrap();
        let blob = dir.path().join("blob.yaml");
        std::fs::write(&blob, [0xff, 0xfe]).unwrap();
        let err = load_paths(&[blob]).unwrap_err();
        assert!(matches!(err, LoadError::NotUtf8 { .. }), "{err:?}");
    }
}
