//! `promagent lint`: the pre-commit hook and CI gate. Runs every check layer and prints the
//! findings in the chosen format; exit 1 when any error is found.

use super::{CmdResult, ColorChoice, EXIT_CLEAN, EXIT_FINDINGS, Fatal, InputArgs, OperatorArgs};
use crate::check::{self, LintOptions};
use crate::diag::Severity;
use crate::emit;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// Check manifests as the API server and the operator would, with each finding at file:line:col.
#[derive(Debug, Args)]
#[command(after_help = "\
Three layers run, in the cluster's order: the CRD's OpenAPI schema, the CRD's CEL rules, and the
operator's reconcile-time checks (rule codes are listed in docs/rules.md). A Secret or ConfigMap
that is referenced but not in the input is a warning unless --missing-refs error is given. The
operator options are its defaults unless given (flags, or .promagent.yaml): a DaemonSet-mode agent
gets PA102, a warning while the PrometheusAgentDaemonSet gate is not stated and an error with
--feature-gates PrometheusAgentDaemonSet=false, as the operator then refuses to reconcile it.
Silence a rule for one object with the annotation  promagent.dev/ignore: \"PM201,PA101\".

Examples:
  promagent lint deploy/                           every manifest under deploy/
  kustomize build overlays/prod | promagent lint -  a kustomize build on stdin
  promagent lint --format sarif deploy/ > promagent.sarif
  promagent lint --format github deploy/           annotations on the pull request
  promagent lint --ignore PA101 --missing-refs error deploy/
  promagent lint --format concise --fail-on warning deploy/

A --select/--ignore code or a promagent.dev/ignore entry that matches no rule is an error, so a
typo never turns a check off.

The nearest .promagent.yaml (from the inputs' directories upward, or --settings FILE) gives the
operator settings, the default namespace, namespace labels, select/ignore, missing-refs,
fail-on, severity overrides, per-path ignores and exclude patterns; flags override it
(docs/configuration.md). --isolated reads no settings file.

Exit codes: 0 nothing at or above --fail-on (default: error), 1 findings, 2 could not run.")]
pub struct LintArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    pub format: LintFormat,

    /// How to treat a referenced Secret or ConfigMap that is not in the input [default: warn].
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub missing_refs: Option<MissingRefs>,

    /// Validate against the CRDs in this file or directory (e.g. `kubectl get crd -o yaml`) instead of the embedded ones.
    /// A CEL rule of theirs that the API server would refuse (it does not compile, or its estimated
    /// cost is over the limit) is an error at the rule, and is not run.
    #[arg(long, value_name = "PATH")]
    pub crds: Option<PathBuf>,

    /// Report only these rule codes or code prefixes (comma-separated, repeatable).
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Never report these rule codes or code prefixes (comma-separated, repeatable).
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// The lowest severity that makes the run fail (exit 1) [default: error].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,

    /// Report the findings of these codes or code prefixes at another severity: CODE=error,
    /// CODE=warning or CODE=note (comma-separated, repeatable; the last match wins).
    #[arg(long, value_name = "CODE=LEVEL", value_delimiter = ',')]
    pub severity: Vec<String>,

    /// Print the findings only: no summary line.
    #[arg(short, long)]
    pub quiet: bool,

    #[command(flatten)]
    pub operator: OperatorArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
}

impl FailOn {
    /// The lowest severity that fails the run.
    fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Note => Severity::Info,
        }
    }

    fn fails(self, summary: &emit::Summary) -> bool {
        match self {
            FailOn::Error => summary.errors > 0,
            FailOn::Warning => summary.errors + summary.warnings > 0,
            FailOn::Note => summary.errors + summary.warnings + summary.infos > 0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    Human,
    /// One line per finding: `file:line:col: CODE severity: message`.
    Concise,
    /// One JSON document: format version, summary, findings (see docs/json-output.md).
    Json,
    /// SARIF 2.1.0, each code with its documentation, paths relative to the git work tree.
    Sarif,
    /// JUnit XML: one test case per finding and per clean object.
    Junit,
    /// GitHub Actions annotations titled with the code and `Kind ns/name`.
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MissingRefs {
    Warn,
    Error,
}

pub fn run(args: LintArgs, color: ColorChoice) -> CmdResult {
    for (flag, patterns) in [("--select", &args.select), ("--ignore", &args.ignore)] {
        for p in patterns {
            check::codes::validate(p).map_err(|e| Fatal(format!("{flag}: {e}")))?;
        }
    }
    let mut severities = Vec::new();
    for item in &args.severity {
        let Some((code, level)) = item.split_once('=') else {
            return Err(Fatal(format!("--severity: {item:?} is not CODE=LEVEL")));
        };
        check::codes::validate(code).map_err(|e| Fatal(format!("--severity: {e}")))?;
        let level = super::config::parse_severity(level)
            .map_err(|e| Fatal(format!("--severity {code}: {e}")))?;
        severities.push((code.trim().to_string(), level));
    }
    let settings = args.inputs.settings()?;
    let settings = settings.as_ref();
    let policy = settings.map(|s| s.lint.clone()).unwrap_or_default();
    // The file's overrides first, so that a flag's wins.
    severities.splice(0..0, policy.severity.iter().cloned());
    let select = if args.select.is_empty() {
        policy.select.clone()
    } else {
        args.select.clone()
    };
    let ignore = if args.ignore.is_empty() {
        policy.ignore.clone()
    } else {
        args.ignore.clone()
    };
    let missing_refs = args
        .missing_refs
        .or(policy.missing_refs)
        .unwrap_or(MissingRefs::Warn);
    let fail_on = args.fail_on.or(policy.fail_on).unwrap_or(FailOn::Error);
    let mut budget = args.inputs.limits.budget();
    let inputs = args.inputs.load_within(settings, &mut budget)?;
    let loaded;
    let registry = match &args.crds {
        Some(path) => {
            loaded = crate::crd::Registry::from_path_within(path, &mut budget)
                .map_err(|e| Fatal(e.to_string()))?;
            &loaded
        }
        None => crate::crd::embedded_registry(),
    };
    let operator = super::render::operator_options(&args.operator, &args.inputs, settings)?;
    let options = LintOptions {
        registry,
        rules: check::rules::RuleOptions {
            operator,
            missing_refs: match missing_refs {
                MissingRefs::Warn => Severity::Warning,
                MissingRefs::Error => Severity::Error,
            },
        },
        select,
        ignore,
    };
    let mut report = check::lint(&inputs, &options);
    if let Some(s) = settings {
        report.diagnostics.retain(|d| {
            let ignored = d
                .file_name()
                .map(|f| s.ignored_codes(f))
                .unwrap_or_default();
            !ignored.iter().any(|p| check::codes::matches(&d.code, p))
        });
    }
    for d in &mut report.diagnostics {
        if let Some((_, level)) = severities
            .iter()
            .rev()
            .find(|(p, _)| check::codes::matches(&d.code, p))
        {
            d.severity = *level;
        }
    }
    let diagnostics = &report.diagnostics;
    let summary = emit::Summary::of(diagnostics, inputs.files.len(), report.objects);
    let text = match args.format {
        LintFormat::Human => emit::human::render(diagnostics, color.for_stdout()),
        LintFormat::Concise => emit::concise::render(diagnostics),
        LintFormat::Json => emit::json::render(diagnostics, &summary),
        LintFormat::Sarif => emit::sarif::render(diagnostics, &emit::sarif::Roots::current()),
        LintFormat::Junit => {
            let objects: Vec<emit::junit::Checked> = inputs
                .documents
                .iter()
                .map(|d| emit::junit::Checked {
                    file: d.file.name.clone(),
                    object: d.object_ref().to_string(),
                })
                .collect();
            emit::junit::render(diagnostics, &objects, fail_on.severity())
        }
        LintFormat::Github => emit::github::render(diagnostics),
    };
    super::write_stdout(&text)?;
    if matches!(args.format, LintFormat::Human | LintFormat::Concise) && !args.quiet {
        eprintln_escaped!("{}", summary.line());
    }
    // The process ends here: the system takes back the input's memory at once, where freeing
    // each of its nodes and values took a tenth of a large run.
    std::mem::forget(inputs);
    Ok(if fail_on.fails(&summary) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}
