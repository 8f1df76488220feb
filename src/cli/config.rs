//! The project settings file, `.promagent.yaml`: where a run finds it (`--settings FILE`, or the
//! nearest one from the inputs upward), its keys, and their validation with the flags' own parsers.
//! An unknown key, a bad value or an unknown rule code is an error at file:line:col, so a typo
//! never silently turns a setting or a check off. Flags override what the file says.

use super::Fatal;
use super::lint::{FailOn, MissingRefs};
use crate::diag::{Severity, SourceFile};
use crate::load::yaml::{self, Node, NodeValue};
use clap::ValueEnum;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::path::{Path, PathBuf};

/// The name of the settings file.
pub const FILE_NAME: &str = ".promagent.yaml";

/// What a settings file says. Every value has been checked.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// The file, as it is shown in messages.
    pub file: String,
    /// The directory patterns are relative to (absolute).
    pub dir: PathBuf,
    pub namespace: Option<String>,
    pub namespace_labels: crate::render::options::NamespaceLabels,
    pub exclude: Vec<String>,
    pub operator: OperatorSettings,
    pub lint: LintSettings,
}

/// The `operator:` section: the operator's command-line settings, in the flags' text form.
#[derive(Clone, Debug, Default)]
pub struct OperatorSettings {
    pub kubernetes_version: Option<String>,
    /// `Name=bool` items, in the file's order.
    pub feature_gates: Vec<String>,
    pub config_reloader_image: Option<String>,
    pub config_reloader_cpu_request: Option<String>,
    pub config_reloader_cpu_limit: Option<String>,
    pub config_reloader_memory_request: Option<String>,
    pub config_reloader_memory_limit: Option<String>,
    pub enable_config_reloader_probes: Option<bool>,
    pub prometheus_default_base_image: Option<String>,
    pub localhost: Option<String>,
    pub labels: Option<Vec<(String, String)>>,
    pub annotations: Option<Vec<(String, String)>>,
}

/// The `lint:` section.
#[derive(Clone, Debug, Default)]
pub struct LintSettings {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub missing_refs: Option<MissingRefs>,
    pub fail_on: Option<FailOn>,
    /// Code pattern → the severity its findings get, in the file's order.
    pub severity: Vec<(String, Severity)>,
    /// `.gitignore`-style pattern → the code patterns never reported for files it matches.
    pub per_path_ignores: Vec<(String, Vec<String>)>,
}

const TOP_KEYS: &[&str] = &[
    "namespace",
    "namespace-labels",
    "exclude",
    "operator",
    "lint",
];
const OPERATOR_KEYS: &[&str] = &[
    "operator-version",
    "kubernetes-version",
    "feature-gates",
    "config-reloader-image",
    "config-reloader-cpu-request",
    "config-reloader-cpu-limit",
    "config-reloader-memory-request",
    "config-reloader-memory-limit",
    "enable-config-reloader-probes",
    "prometheus-default-base-image",
    "localhost",
    "labels",
    "annotations",
];
const LINT_KEYS: &[&str] = &[
    "select",
    "ignore",
    "missing-refs",
    "fail-on",
    "severity",
    "per-path-ignores",
];

/// Finds the settings of a run: `explicit` when given; otherwise the nearest `.promagent.yaml` in
/// the directory of each input or above it, up to the filesystem root (the current directory when
/// the only input is `-`). Inputs under two different settings files are an error.
pub fn discover(explicit: Option<&Path>, inputs: &[PathBuf]) -> Result<Option<Settings>, Fatal> {
    if let Some(path) = explicit {
        return read(path).map(Some);
    }
    let mut starts: Vec<(PathBuf, String)> = Vec::new();
    for p in inputs.iter().filter(|p| p.as_os_str() != "-") {
        let abs = std::path::absolute(p).map_err(|e| Fatal(format!("{}: {e}", p.display())))?;
        let dir = if abs.is_dir() {
            abs
        } else {
            abs.parent().map(Path::to_path_buf).unwrap_or(abs)
        };
        starts.push((dir, p.display().to_string()));
    }
    if starts.is_empty() {
        let cwd = std::env::current_dir().map_err(|e| Fatal(format!("current directory: {e}")))?;
        starts.push((cwd, "<stdin>".into()));
    }
    let mut found: Option<(PathBuf, &str)> = None;
    for (start, input) in &starts {
        let Some(file) = nearest(start) else {
            continue;
        };
        match &found {
            None => found = Some((file, input)),
            Some((first, first_input)) if *first != file => {
                return Err(Fatal(format!(
                    "{first_input} and {input} lie under different settings files ({} and {}); pass --settings FILE to pick one, or lint them in separate runs",
                    first.display(),
                    file.display()
                )));
            }
            Some(_) => {}
        }
    }
    let Some((file, _)) = found else {
        return Ok(None);
    };
    // Shown relative to the working directory when it lies below it.
    let shown = std::env::current_dir()
        .ok()
        .and_then(|cwd| file.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| file.clone());
    read(&shown).map(Some)
}

fn nearest(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|f| f.is_file())
}

/// Reads and checks one settings file.
pub fn read(path: &Path) -> Result<Settings, Fatal> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Fatal(format!("{shown}: {e}")))?;
    let abs = std::path::absolute(path).map_err(|e| Fatal(format!("{shown}: {e}")))?;
    let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    parse(&shown, text, dir)
}

/// Checks the text of a settings file; `dir` is where its patterns are rooted.
pub fn parse(name: &str, text: String, dir: PathBuf) -> Result<Settings, Fatal> {
    let file = SourceFile::new(name, text);
    let parsed = yaml::parse(&file.text, &yaml::Limits::default());
    let mut r = Reader {
        file: &file,
        errors: Vec::new(),
    };
    if let Some(yaml::ParseError::Syntax(p) | yaml::ParseError::Limit(p)) = &parsed.error {
        r.error_at(p.offset, &p.message);
    }
    for p in &parsed.problems {
        r.error_at(p.offset, &p.message);
    }
    if parsed.documents.len() > 1 {
        r.error(
            &parsed.documents[1],
            "a settings file holds one YAML document",
        );
    }
    let mut settings = Settings {
        file: name.to_string(),
        dir,
        ..Settings::default()
    };
    if let Some(root) = parsed.documents.first()
        && r.errors.is_empty()
    {
        r.top(root, &mut settings);
    }
    if r.errors.is_empty() {
        return Ok(settings);
    }
    r.errors.sort_by_key(|(offset, _)| *offset);
    let errors: Vec<String> = r.errors.into_iter().map(|(_, e)| e).collect();
    Err(Fatal(errors.join("\npromagent: ")))
}

struct Reader<'f> {
    file: &'f SourceFile,
    /// Each error with its byte offset, to print them in the file's order.
    errors: Vec<(usize, String)>,
}

impl Reader<'_> {
    fn error_at(&mut self, offset: usize, message: &str) {
        let (line, col) = self.file.line_col(offset);
        self.errors.push((
            offset,
            format!("{}:{line}:{col}: {message}", self.file.name),
        ));
    }

    fn error(&mut self, node: &Node, message: &str) {
        self.error_at(node.span.start, message);
    }

    /// The entries of a mapping, each unknown key reported with the closest known one.
    fn entries<'n>(
        &mut self,
        node: &'n Node,
        section: &str,
        known: &[&str],
    ) -> Vec<(&'n str, &'n Node)> {
        let NodeValue::Map(entries) = &node.value else {
            if node.value != NodeValue::Null {
                self.error(node, &format!("{section} must be a mapping"));
            }
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, value) in entries {
            if known.contains(&key.name.as_str()) {
                out.push((key.name.as_str(), value));
                continue;
            }
            let hint = closest(&key.name, known)
                .map(|k| format!(" (did you mean {k:?}?)"))
                .unwrap_or_default();
            self.error_at(
                key.span.start,
                &format!(
                    "unknown key {:?} in {section}{hint}; the keys are: {}",
                    key.name,
                    known.join(", ")
                ),
            );
        }
        out
    }

    /// A scalar as the text written in the file (so `1.30` stays `1.30`).
    fn scalar(&mut self, node: &Node, what: &str) -> Option<String> {
        match &node.value {
            NodeValue::Str(s) => Some(s.clone()),
            NodeValue::Int(_) | NodeValue::Float(_) | NodeValue::Bool(_) => {
                let raw = &self.file.text[node.span.start..node.span.end.min(self.file.text.len())];
                Some(raw.trim().trim_matches(['"', '\'']).to_string())
            }
            _ => {
                self.error(node, &format!("{what} must be a string"));
                None
            }
        }
    }

    fn bool(&mut self, node: &Node, what: &str) -> Option<bool> {
        match node.value {
            NodeValue::Bool(b) => Some(b),
            _ => {
                self.error(node, &format!("{what} must be true or false"));
                None
            }
        }
    }

    /// A list of strings; a single string is a list of one.
    fn strings(&mut self, node: &Node, what: &str) -> Vec<(String, Node)> {
        match &node.value {
            NodeValue::Seq(items) => items
                .iter()
                .filter_map(|i| self.scalar(i, what).map(|s| (s, i.clone())))
                .collect(),
            _ => self
                .scalar(node, what)
                .map(|s| vec![(s, node.clone())])
                .unwrap_or_default(),
        }
    }

    /// Rule codes or prefixes, each checked as `--select`/`--ignore` check theirs.
    fn codes(&mut self, node: &Node, what: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (code, at) in self.strings(node, what) {
            match crate::check::codes::validate(&code) {
                Ok(()) => out.push(code),
                Err(why) => self.error(&at, &format!("{what}: {why}")),
            }
        }
        out
    }

    /// A mapping of label names to values.
    fn key_values(&mut self, node: &Node, what: &str) -> Vec<(String, String)> {
        let NodeValue::Map(entries) = &node.value else {
            self.error(
                node,
                &format!("{what} must be a mapping of names to values"),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, v) in entries {
            if let Some(v) = self.scalar(v, &format!("{what}.{}", k.name)) {
                out.push((k.name.clone(), v));
            }
        }
        out
    }

    fn top(&mut self, root: &Node, s: &mut Settings) {
        for (key, value) in self.entries(root, "the settings", TOP_KEYS) {
            match key {
                "namespace" => {
                    if let Some(ns) = self.scalar(value, key) {
                        match crate::check::metadata::dns1123_label_errors(&ns).first() {
                            Some(why) => self.error(value, &format!("namespace {ns:?}: {why}")),
                            None => s.namespace = Some(ns),
                        }
                    }
                }
                "namespace-labels" => {
                    let NodeValue::Map(entries) = &value.value else {
                        self.error(
                            value,
                            "namespace-labels must map namespaces to their labels",
                        );
                        continue;
                    };
                    for (ns, labels) in entries {
                        let what = format!("namespace-labels.{}", ns.name);
                        let labels = self.key_values(labels, &what);
                        match check_namespace_labels(&ns.name, &labels) {
                            Ok(()) => s.namespace_labels.push((ns.name.clone(), labels)),
                            Err(why) => self.error_at(ns.span.start, &format!("{what}: {why}")),
                        }
                    }
                }
                "exclude" => {
                    for (pattern, at) in self.strings(value, key) {
                        let mut b = GitignoreBuilder::new(&s.dir);
                        match b.add_line(None, &pattern) {
                            Ok(_) => s.exclude.push(pattern),
                            Err(e) => self.error(&at, &format!("exclude: {e}")),
                        }
                    }
                }
                "operator" => self.operator(value, &mut s.operator),
                "lint" => self.lint(value, &mut s.lint, &s.dir),
                _ => {}
            }
        }
    }

    fn operator(&mut self, node: &Node, o: &mut OperatorSettings) {
        use crate::render::options;
        for (key, value) in self.entries(node, "operator", OPERATOR_KEYS) {
            let what = format!("operator.{key}");
            match key {
                "operator-version" => {
                    if let Some(v) = self.scalar(value, &what) {
                        let v = v.trim_start_matches('v');
                        if v != options::OPERATOR_VERSION {
                            self.error(
                                value,
                                &format!(
                                    "{what}: promagent reproduces Prometheus Operator v{}, not v{v}",
                                    options::OPERATOR_VERSION
                                ),
                            );
                        }
                    }
                }
                "kubernetes-version" => {
                    if let Some(v) = self.scalar(value, &what) {
                        match options::parse_kubernetes_version(&v) {
                            Ok(_) => o.kubernetes_version = Some(v),
                            Err(e) => self.error(value, &format!("{what}: {e}")),
                        }
                    }
                }
                "feature-gates" => {
                    let items: Vec<(String, Node)> = match &value.value {
                        NodeValue::Map(entries) => entries
                            .iter()
                            .filter_map(|(k, v)| {
                                self.scalar(v, &format!("{what}.{}", k.name)).map(|b| {
                                    let at = Node {
                                        value: NodeValue::Null,
                                        span: k.span,
                                    };
                                    (format!("{}={b}", k.name), at)
                                })
                            })
                            .collect(),
                        _ => self
                            .scalar(value, &what)
                            .map(|t| vec![(t, value.clone())])
                            .unwrap_or_default(),
                    };
                    for (item, at) in items {
                        match options::FeatureGates::parse(&item) {
                            Ok(_) => o.feature_gates.push(item),
                            Err(e) => {
                                let name = item.split('=').next().unwrap_or("").trim();
                                let hint = closest(name, &options::FEATURE_GATE_NAMES)
                                    .filter(|k| *k != name)
                                    .map(|k| format!(" (did you mean {k}?)"))
                                    .unwrap_or_default();
                                self.error(&at, &format!("{what}: {e}{hint}"))
                            }
                        }
                    }
                }
                "enable-config-reloader-probes" => {
                    o.enable_config_reloader_probes = self.bool(value, &what)
                }
                "labels" => o.labels = Some(self.key_values(value, &what)),
                "annotations" => o.annotations = Some(self.key_values(value, &what)),
                _ => {
                    let v = self.scalar(value, &what);
                    let slot = match key {
                        "config-reloader-image" => &mut o.config_reloader_image,
                        "config-reloader-cpu-request" => &mut o.config_reloader_cpu_request,
                        "config-reloader-cpu-limit" => &mut o.config_reloader_cpu_limit,
                        "config-reloader-memory-request" => &mut o.config_reloader_memory_request,
                        "config-reloader-memory-limit" => &mut o.config_reloader_memory_limit,
                        "prometheus-default-base-image" => &mut o.prometheus_default_base_image,
                        _ => &mut o.localhost,
                    };
                    *slot = v;
                }
            }
        }
    }

    fn lint(&mut self, node: &Node, l: &mut LintSettings, dir: &Path) {
        for (key, value) in self.entries(node, "lint", LINT_KEYS) {
            let what = format!("lint.{key}");
            match key {
                "select" => l.select = self.codes(value, &what),
                "ignore" => l.ignore = self.codes(value, &what),
                "missing-refs" => l.missing_refs = self.choice(value, &what),
                "fail-on" => l.fail_on = self.choice(value, &what),
                "severity" => {
                    let NodeValue::Map(entries) = &value.value else {
                        self.error(
                            value,
                            &format!("{what} must map codes to error, warning or note"),
                        );
                        continue;
                    };
                    for (code, level) in entries {
                        let at = format!("{what}.{}", code.name);
                        if let Err(why) = crate::check::codes::validate(&code.name) {
                            self.error_at(code.span.start, &format!("{at}: {why}"));
                            continue;
                        }
                        let Some(text) = self.scalar(level, &at) else {
                            continue;
                        };
                        match parse_severity(&text) {
                            Ok(sev) => l.severity.push((code.name.clone(), sev)),
                            Err(e) => self.error(level, &format!("{at}: {e}")),
                        }
                    }
                }
                "per-path-ignores" => {
                    let NodeValue::Map(entries) = &value.value else {
                        self.error(value, &format!("{what} must map path patterns to codes"));
                        continue;
                    };
                    for (pattern, codes) in entries {
                        let mut b = GitignoreBuilder::new(dir);
                        if let Err(e) = b.add_line(None, &pattern.name) {
                            self.error_at(pattern.span.start, &format!("{what}: {e}"));
                            continue;
                        }
                        let codes = self.codes(codes, &format!("{what}.{}", pattern.name));
                        l.per_path_ignores.push((pattern.name.clone(), codes));
                    }
                }
                _ => {}
            }
        }
    }

    /// One of a flag's values (`warn`, `error`, …), read as clap reads it.
    fn choice<T: ValueEnum>(&mut self, node: &Node, what: &str) -> Option<T> {
        let text = self.scalar(node, what)?;
        match T::from_str(&text, false) {
            Ok(v) => Some(v),
            Err(_) => {
                let names: Vec<String> = T::value_variants()
                    .iter()
                    .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
                    .collect();
                self.error(
                    node,
                    &format!("{what}: {text:?} is not one of {}", names.join(", ")),
                );
                None
            }
        }
    }
}

/// The closest of `known` to `given`, when it is close enough to be a typo.
fn closest<'k>(given: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (crate::check::codes::distance(k, given), *k))
        .min()
        .filter(|(d, _)| *d <= 3)
        .map(|(_, k)| k)
}

/// Reads a `--severity` level: `error`, `warning` or `note`.
pub fn parse_severity(text: &str) -> Result<Severity, String> {
    match text.trim() {
        "error" => Ok(Severity::Error),
        "warning" => Ok(Severity::Warning),
        "note" | "info" => Ok(Severity::Info),
        other => Err(format!(
            "{other:?} is not a severity (expected error, warning or note)"
        )),
    }
}

/// Checks a namespace name and the label names and values given for it.
pub fn check_namespace_labels(namespace: &str, labels: &[(String, String)]) -> Result<(), String> {
    use crate::check::metadata;
    if let Some(why) = metadata::dns1123_label_errors(namespace).first() {
        return Err(format!("namespace {namespace:?}: {why}"));
    }
    for (k, v) in labels {
        if let Some(why) = metadata::qualified_name_errors(k).first() {
            return Err(format!("label {k:?}: {why}"));
        }
        if let Some(why) = metadata::label_value_errors(v).first() {
            return Err(format!("label {k}={v:?}: {why}"));
        }
    }
    Ok(())
}

/// Reads `--namespace-labels NS=k=v,k2=v2`.
pub fn parse_namespace_labels(text: &str) -> Result<(String, Vec<(String, String)>), String> {
    let Some((ns, labels)) = text.split_once('=') else {
        return Err(format!("{text:?} is not NAMESPACE=KEY=VALUE,..."));
    };
    let labels = crate::render::options::parse_key_values(labels)?;
    check_namespace_labels(ns.trim(), &labels)?;
    Ok((ns.trim().to_string(), labels))
}

impl Settings {
    /// The `exclude` patterns as one matcher rooted at the settings file's directory.
    pub fn exclude_matcher(&self) -> Option<Gitignore> {
        if self.exclude.is_empty() {
            return None;
        }
        let mut b = GitignoreBuilder::new(&self.dir);
        for p in &self.exclude {
            let _ = b.add_line(None, p);
        }
        b.build().ok()
    }

    /// The code patterns `per-path-ignores` silences for the file shown as `file`.
    pub fn ignored_codes(&self, file: &str) -> Vec<&str> {
        let Ok(abs) = std::path::absolute(file) else {
            return Vec::new();
        };
        if !abs.starts_with(&self.dir) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (pattern, codes) in &self.lint.per_path_ignores {
            let mut b = GitignoreBuilder::new(&self.dir);
            let _ = b.add_line(None, pattern);
            if let Ok(m) = b.build()
                && m.matched_path_or_any_parents(&abs, false).is_ignore()
            {
                out.extend(codes.iter().map(String::as_str));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> String {
        parse(".promagent.yaml", text.into(), PathBuf::from("/p"))
            .unwrap_err()
            .0
    }

    #[test]
    fn every_key_is_read() {
        let s = parse(
            ".promagent.yaml",
            "namespace: monitoring\nnamespace-labels:\n  shop: {team: shop}\nexclude: [vendor/]\noperator:\n  operator-version: v0.93.0\n  kubernetes-version: 1.30\n  feature-gates: {PrometheusAgentDaemonSet: true}\n  config-reloader-cpu-request: 0\n  enable-config-reloader-probes: true\n  labels: {a: b}\nlint:\n  select: PM\n  ignore: [PA101]\n  missing-refs: error\n  fail-on: warning\n  severity: {SEL604: warning}\n  per-path-ignores:\n    legacy/: [PM2]\n".into(),
            PathBuf::from("/p"),
        )
        .unwrap();
        assert_eq!(s.namespace.as_deref(), Some("monitoring"));
        assert_eq!(
            s.namespace_labels,
            [("shop".into(), vec![("team".into(), "shop".into())])]
        );
        assert_eq!(s.operator.kubernetes_version.as_deref(), Some("1.30"));
        assert_eq!(s.operator.feature_gates, ["PrometheusAgentDaemonSet=true"]);
        assert_eq!(s.operator.config_reloader_cpu_request.as_deref(), Some("0"));
        assert_eq!(s.operator.enable_config_reloader_probes, Some(true));
        assert_eq!(s.lint.select, ["PM"]);
        assert_eq!(s.lint.missing_refs, Some(MissingRefs::Error));
        assert_eq!(s.lint.fail_on, Some(FailOn::Warning));
        assert_eq!(s.lint.severity, [("SEL604".into(), Severity::Warning)]);
        assert_eq!(s.ignored_codes("/p/legacy/a.yaml"), ["PM2"]);
        assert!(s.ignored_codes("/p/deploy/a.yaml").is_empty());
        assert!(s.ignored_codes("/elsewhere/legacy/a.yaml").is_empty());
    }

    #[test]
    fn typos_are_errors_at_their_place() {
        insta::assert_snapshot!(errors(
            "namespace: Bad_NS\nlnt: {}\noperator:\n  feature-gate: {}\n  feature-gates: {PrometheusAgentDaemonSe: true}\n  kubernetes-version: one\n  operator-version: 0.80.0\nlint:\n  ignore: [PM2O1]\n  fail-on: warnings\n  severity: {PA101: fatal, XX1: error}\n  per-path-ignores: {\"a/\": [PA1O1]}\n"
        ));
        insta::assert_snapshot!("not_a_mapping", errors("- a\n"));
        insta::assert_snapshot!("bad_yaml", errors("a: [1\n"));
    }

    #[test]
    fn namespace_labels_flag() {
        assert_eq!(
            parse_namespace_labels("shop=team=shop,env=prod").unwrap(),
            (
                "shop".into(),
                vec![
                    ("team".into(), "shop".into()),
                    ("env".into(), "prod".into())
                ]
            )
        );
        assert!(parse_namespace_labels("shop").is_err());
        assert!(parse_namespace_labels("Shop=a=b").is_err());
        assert!(parse_namespace_labels("shop=a=b c").is_err());
    }
}
