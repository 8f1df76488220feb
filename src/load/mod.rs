//! Loading: command-line paths and standard input become [`Document`]s, one per Kubernetes object,
//! each holding its YAML tree with source spans and the same content as JSON.
//!
//! Multi-document YAML and JSON are read; `kind: List` (and any `*List` with `items`) is expanded;
//! empty documents are skipped. Syntax errors and duplicate keys become `yaml`-layer findings; an
//! input that cannot be read at all, or that exceeds a bound, is a [`LoadError`]. A file that is
//! not Kubernetes YAML (a Helm chart's files, a kustomization, a JSON or YAML file with no
//! `apiVersion` or `kind`), or a walked file that is not UTF-8, is [`Skipped`] with its reason.

pub mod files;
pub mod yaml;

use crate::diag::{Diagnostic, Layer, Location, ObjectRef, Severity, SourceFile, Span};
use crate::fieldpath::{FieldPath, Segment};
pub use files::{Input, InputSource, LoadError, WalkOptions};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use yaml::{Limits, Node, NodeValue, ParseError};

/// One Kubernetes object from the input.
#[derive(Clone, Debug)]
pub struct Document {
    pub file: Arc<SourceFile>,
    pub root: Node,
    pub value: serde_json::Value,
}

impl Document {
    fn new(file: Arc<SourceFile>, root: Node) -> Self {
        let value = root.to_json();
        Document { file, root, value }
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

    /// The node at `path`, when every step exists.
    pub fn node(&self, path: &FieldPath) -> Option<&Node> {
        let mut node = &self.root;
        for segment in path.segments() {
            node = step(node, segment)?.1;
        }
        Some(node)
    }

    /// Where `path` is in the file: the deepest node that exists along it. A mapping entry points at
    /// its key, so a finding about `spec.replicas` lands on the `replicas:` line.
    pub fn location(&self, path: &FieldPath) -> Location {
        let mut node = &self.root;
        let mut span = self.root.span;
        for segment in path.segments() {
            match step(node, segment) {
                Some((key_span, next)) => {
                    span = key_span.unwrap_or(next.span);
                    node = next;
                }
                None => break,
            }
        }
        Location {
            file: self.file.clone(),
            span,
        }
    }
}

fn step<'a>(node: &'a Node, segment: &Segment) -> Option<(Option<Span>, &'a Node)> {
    match (segment, &node.value) {
        (Segment::Key(k), NodeValue::Map(_)) => node.entry(k).map(|(key, v)| (Some(key.span), v)),
        (Segment::Index(i), NodeValue::Seq(items)) => items.get(*i).map(|n| (None, n)),
        _ => None,
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

    /// Reads one text. A bound being exceeded is reported as an error.
    pub fn add_text(&mut self, name: &str, text: String, limits: &Limits) -> Result<(), LoadError> {
        let parsed = yaml::parse(&text, limits);
        self.add_parsed(Arc::new(SourceFile::new(name, text)), parsed)
    }

    fn add_parsed(&mut self, file: Arc<SourceFile>, parsed: yaml::Parsed) -> Result<(), LoadError> {
        self.files.push(file.clone());
        for problem in &parsed.problems {
            self.diagnostics.push(yaml_finding(&file, problem));
        }
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
        for root in parsed.documents {
            self.push_object(&file, root);
        }
        Ok(())
    }

    fn push_object(&mut self, file: &Arc<SourceFile>, root: Node) {
        if is_list(&root) {
            if let Some(NodeValue::Seq(items)) = root.get("items").map(|n| &n.value) {
                for item in items.clone() {
                    if item.value != NodeValue::Null {
                        self.push_object(file, item);
                    }
                }
            }
            return;
        }
        self.documents.push(Document::new(file.clone(), root));
    }
}

fn is_list(root: &Node) -> bool {
    let kind = root.get("kind").and_then(Node::as_str).unwrap_or("");
    kind.ends_with("List") && matches!(root.get("items").map(|n| &n.value), Some(NodeValue::Seq(_)))
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
    if let Err(e) = inputs.add_text(name, text.to_string(), &Limits::default()) {
        inputs.diagnostics.push(Diagnostic::new(
            Severity::Error,
            Layer::Yaml,
            "yaml/limit",
            e.to_string(),
        ));
    }
    inputs
}

/// Reads every file, directory and `-` on the command line.
pub fn load_paths(paths: &[PathBuf]) -> Result<Inputs, LoadError> {
    load_paths_with(paths, &Limits::default(), &WalkOptions::default())
}

pub fn load_paths_with(
    paths: &[PathBuf],
    limits: &Limits,
    walk: &WalkOptions,
) -> Result<Inputs, LoadError> {
    if paths.is_empty() {
        return Err(LoadError::NoInput);
    }
    let mut inputs = Inputs::default();
    for input in files::expand(paths, walk)? {
        let name = input.source.display_name();
        let text = match files::read(&input.source) {
            Err(LoadError::NotUtf8 { .. }) if input.walked => {
                inputs.skipped.push(Skipped {
                    file: name,
                    reason: "not UTF-8 text".into(),
                });
                continue;
            }
            read => read?,
        };
        let path = match &input.source {
            InputSource::File(p) => Some(p.as_path()),
            InputSource::Stdin => None,
        };
        let parsed = yaml::parse(&text, limits);
        if let Some(reason) = not_kubernetes(path, &text, &parsed) {
            inputs.skipped.push(Skipped { file: name, reason });
            continue;
        }
        inputs.add_parsed(Arc::new(SourceFile::new(name, text)), parsed)?;
    }
    Ok(inputs)
}

/// Why a text is not Kubernetes YAML, when it is not: a kustomization, a Helm chart's `Chart.yaml`
/// or template, or documents none of which has `apiVersion` or `kind` (`values.yaml`,
/// `package.json`, a CI workflow). An empty file, or one that holds an object, is read.
fn not_kubernetes(path: Option<&Path>, text: &str, parsed: &yaml::Parsed) -> Option<String> {
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
    if parsed.error.is_none()
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
        assert!(inputs.diagnostics.is_empty(), "{:?}", inputs.diagnostics);
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
