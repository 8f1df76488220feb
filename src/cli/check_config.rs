//! `promagent check-config`: whether Prometheus would load a prometheus.yml, offline, with each
//! refusal at file:line:col in Prometheus's own words.

use super::lint::LintFormat;
use super::{CmdResult, ColorChoice, EXIT_CLEAN, EXIT_FINDINGS, Fatal};
use crate::diag::{Severity, SourceFile};
use crate::emit;
use crate::load::{Budget, InputSource};
use crate::promconfig::{self, LoadOptions};
use crate::version::Version;
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;

/// Check Prometheus configuration files as `prometheus --config.file` checks them at load time.
#[derive(Debug, Args)]
#[command(after_help = "\
What is checked: everything Prometheus checks while it loads the file and before it starts
anything: YAML structure and unknown or repeated fields (with go-yaml's messages), value types,
durations and sizes, the global section, scrape configs (job names, timeouts, protocols, name
validation and escaping), relabel rules, the HTTP client configuration (authentication, TLS,
proxy, headers), Kubernetes service discovery (roles, selectors, namespaces, api_server and
kubeconfig_file) and the load-time checks of the other discovery kinds, remote write and read
(queue settings, headers, authentication), storage, tracing and otlp. --agent adds the checks of
agent mode. Rules that a Prometheus release introduced apply from that release on
(--prometheus-version). The operator's placeholders $(NODE_NAME), $(POD_NAME) and $(SHARD) are
expanded first, as its config reloader does; any other $(VAR) is reported.

What is not checked: promagent reads only the files given. It never opens files named in the
configuration (ca_file, bearer_token_file, rule_files, scrape_config_files, kubeconfig_file, …),
never resolves names or contacts a server, and cannot know what Prometheus's environment holds
($VAR in external labels expands to what promagent's own environment holds).

Examples:
  promagent check-config prometheus.yml
  promagent check-config --agent --format json out/prometheus.yml
  promagent render --only config agent.yaml | promagent check-config --agent -
  promagent check-config --prometheus-version v3.5.0 prometheus.yml

Exit codes: 0 Prometheus would load every file, 1 it would refuse one, 2 could not run.")]
pub struct CheckConfigArgs {
    /// Prometheus configuration files; - reads stdin.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// Check as `prometheus --agent` would (no alerting, rule_files or remote_read).
    #[arg(long)]
    pub agent: bool,

    /// The Prometheus release to check against.
    #[arg(long, value_name = "VERSION", default_value = crate::version::DEFAULT_PROMETHEUS_VERSION)]
    pub prometheus_version: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    pub format: LintFormat,

    #[command(flatten)]
    pub limits: super::LimitArgs,
}

fn read(path: &std::path::Path, budget: &mut Budget) -> Result<SourceFile, Fatal> {
    let source = if path.as_os_str() == "-" {
        InputSource::Stdin
    } else {
        InputSource::File(path.to_path_buf())
    };
    let text = budget.read_text(&source)?;
    Ok(promconfig::secrets::source_file(
        source.display_name(),
        text,
    ))
}

pub fn run(args: CheckConfigArgs, color: ColorChoice) -> CmdResult {
    let version = Version::parse_tolerant(&args.prometheus_version)
        .map_err(|e| Fatal(format!("--prometheus-version: {e}")))?;
    let options = LoadOptions {
        agent: args.agent,
        version,
        env: std::env::vars().collect(),
    };
    let mut diagnostics = Vec::new();
    let mut objects = Vec::new();
    let mut budget = args.limits.budget();
    for path in &args.files {
        let file = Arc::new(read(path, &mut budget)?);
        objects.push(emit::junit::Checked {
            file: file.name.clone(),
            object: file.name.clone(),
        });
        diagnostics.extend(promconfig::check_text(&file, &options));
    }
    let summary = emit::Summary::of(&diagnostics, args.files.len(), args.files.len());
    let text = match args.format {
        LintFormat::Human => emit::human::render(&diagnostics, color.for_stdout()),
        LintFormat::Concise => emit::concise::render(&diagnostics),
        LintFormat::Json => emit::json::render(&diagnostics, &summary),
        LintFormat::Sarif => emit::sarif::render(&diagnostics, &emit::sarif::Roots::current()),
        LintFormat::Junit => emit::junit::render(&diagnostics, &objects, Severity::Error),
        LintFormat::Github => emit::github::render(&diagnostics),
    };
    super::write_stdout(&text)?;
    if matches!(args.format, LintFormat::Human | LintFormat::Concise) {
        let files = args.files.len();
        let found = match summary.errors {
            0 => "no errors".to_string(),
            1 => "1 error".to_string(),
            n => format!("{n} errors"),
        };
        eprintln_escaped!(
            "{found} ({files} file{})",
            if files == 1 { "" } else { "s" }
        );
    }
    Ok(if summary.errors > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}
