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
that is referenced but not in the input is a warning unless --missing-refs error is given.
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

Exit codes: 0 nothing at or above --fail-on (default: error), 1 findings, 2 could not run.")]
pub struct LintArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    pub format: LintFormat,

    /// How to treat a referenced Secret or ConfigMap that is not in the input.
    #[arg(long, value_enum, default_value_t = MissingRefs::Warn, value_name = "LEVEL")]
    pub missing_refs: MissingRefs,

    /// Validate against the CRDs in this file or directory (e.g. `kubectl get crd -o yaml`) instead of the embedded ones.
    #[arg(long, value_name = "PATH")]
    pub crds: Option<PathBuf>,

    /// Report only these rule codes or code prefixes (comma-separated, repeatable).
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Never report these rule codes or code prefixes (comma-separated, repeatable).
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// The lowest severity that makes the run fail (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "SEVERITY")]
    pub fail_on: FailOn,

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
    Json,
    Sarif,
    Junit,
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
    let mut budget = args.inputs.limits.budget();
    let inputs = args.inputs.load_within(&mut budget)?;
    let loaded;
    let registry = match &args.crds {
        Some(path) => {
            loaded = crate::crd::Registry::from_path_within(path, &mut budget)
                .map_err(|e| Fatal(e.to_string()))?;
            &loaded
        }
        None => crate::crd::embedded_registry(),
    };
    let operator = super::render::operator_options(&args.operator)?;
    let options = LintOptions {
        registry,
        rules: check::rules::RuleOptions {
            operator,
            missing_refs: match args.missing_refs {
                MissingRefs::Warn => Severity::Warning,
                MissingRefs::Error => Severity::Error,
            },
        },
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    };
    let report = check::lint(&inputs, &options);
    let diagnostics = &report.diagnostics;
    let summary = emit::Summary::of(diagnostics, inputs.files.len(), report.objects);
    let text = match args.format {
        LintFormat::Human => emit::human::render(diagnostics, color.for_stdout()),
        LintFormat::Concise => emit::concise::render(diagnostics),
        LintFormat::Json => emit::json::render(diagnostics),
        LintFormat::Sarif => emit::sarif::render(diagnostics, &|code| {
            check::rules::all()
                .iter()
                .find(|r| r.code == code)
                .map(|r| r.summary.to_string())
        }),
        LintFormat::Junit => {
            let objects: Vec<(String, String, String)> = inputs
                .documents
                .iter()
                .map(|d| {
                    let name = if d.namespace().is_empty() {
                        d.name().to_string()
                    } else {
                        format!("{}/{}", d.namespace(), d.name())
                    };
                    (d.file.name.clone(), d.kind().to_string(), name)
                })
                .collect();
            emit::junit::render(diagnostics, &objects)
        }
        LintFormat::Github => emit::github::render(diagnostics),
    };
    super::write_stdout(&text)?;
    if matches!(args.format, LintFormat::Human | LintFormat::Concise) && !args.quiet {
        eprintln!("{}", summary.line());
    }
    Ok(if args.fail_on.fails(&summary) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}
