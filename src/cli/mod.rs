//! The command line: clap definitions for every subcommand, the flags they share, and the dispatch
//! from a parsed command to its runner (one file per subcommand).
//!
//! Exit codes are the same everywhere: 0 clean, 1 findings (or differences), 2 could not run.
//! Messages on stderr go through [`eprintln_escaped!`]: they carry names and values from the input.

/// `eprintln!` with control characters escaped ([`crate::shown::escape`]).
macro_rules! eprintln_escaped {
    ($($arg:tt)*) => {
        eprintln!("{}", $crate::shown::escape(&format!($($arg)*)))
    };
}

pub mod check_config;
pub mod completions;
pub mod config;
pub mod crd;
pub mod diff;
pub mod lint;
pub mod migrate;
pub mod relabel;
pub mod render;
pub mod targets;

use crate::load::Budget;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code: nothing to report.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: findings (lint), differences (diff), a migration is due (migrate --check).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: promagent could not do its job (bad flag, unreadable input, …).
pub const EXIT_ERROR: u8 = 2;

const ABOUT: &str =
    "Lint, render, migrate and simulate Prometheus Operator PrometheusAgent manifests, offline.";

const LONG_ABOUT: &str = "\
Lint, render, migrate and simulate Prometheus Operator PrometheusAgent manifests, offline.

promagent reads PrometheusAgent objects and what they select (PodMonitors, ServiceMonitors,
Probes, ScrapeConfigs, Namespaces, Secrets, ConfigMaps) from files, directories or stdin, and
answers before anything reaches a cluster: would the API server accept it, would the operator
use it, what would the operator create, would the agent's Prometheus load its configuration, and
which agent pod would scrape which target. No cluster access and no network are needed.
The behaviour it reproduces is that of Prometheus Operator v0.93.0 and Prometheus v3.13.1.

A repository's settings (the operator's feature gates and versions, the default namespace,
namespace labels, the lint policy, paths to leave out) live in .promagent.yaml, found from the
inputs' directories upward; --settings FILE names one, and flags override it. See
docs/configuration.md.";

const AFTER_HELP: &str = "\
Examples:
  promagent lint manifests/                     check every manifest under a directory
  promagent render agent.yaml --only config     print the prometheus.yml the agent would run
  promagent diff agent.yaml                     StatefulSet mode against DaemonSet mode
  promagent migrate --diff agent.yaml           preview the switch to DaemonSet mode
  promagent check-config --agent prometheus.yml would Prometheus load this file
  promagent targets manifests/ cluster.yaml     which agent pod scrapes which target
  promagent targets deploy/ cluster.yaml        which agent pod scrapes which target
  promagent relabel --labels a=b rules.yaml     what relabel rules make of one label set
  promagent targets --config prometheus.yml cluster.yaml   the targets Prometheus would scrape

Exit codes: 0 clean, 1 findings or differences, 2 could not run.";

#[derive(Debug, Parser)]
#[command(name = "promagent", version, about = ABOUT, long_about = LONG_ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    /// When to use colours: auto (a terminal, and NO_COLOR unset), always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour output written to a stream, honouring `NO_COLOR` in `auto` mode.
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }

    pub fn for_stdout(self) -> bool {
        self.enabled(std::io::stdout().is_terminal())
    }

    pub fn for_stderr(self) -> bool {
        self.enabled(std::io::stderr().is_terminal())
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Lint(lint::LintArgs),
    Render(render::RenderArgs),
    Diff(diff::DiffArgs),
    Migrate(migrate::MigrateArgs),
    Targets(targets::TargetsArgs),
    Relabel(relabel::RelabelArgs),
    Crd(crd::CrdArgs),
    CheckConfig(check_config::CheckConfigArgs),
    Completions(completions::CompletionsArgs),
}

/// Where the project settings come from, for every command that reads manifests.
#[derive(Clone, Debug, Default, Args)]
pub struct SettingsArgs {
    /// Read the project settings from FILE instead of the nearest .promagent.yaml (searched from
    /// the inputs' directories upward). Flags override the settings. See docs/configuration.md.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub settings: Option<PathBuf>,

    /// Read no settings file.
    #[arg(long)]
    pub isolated: bool,
}

impl SettingsArgs {
    /// The settings of a run over `inputs`: see [`config::discover`].
    pub fn find(&self, inputs: &[PathBuf]) -> Result<Option<config::Settings>, Fatal> {
        if self.isolated {
            return Ok(None);
        }
        config::discover(self.settings.as_deref(), inputs)
    }
}

/// What a directory walk leaves out under these settings.
pub fn walk_options(settings: Option<&config::Settings>) -> crate::load::WalkOptions {
    crate::load::WalkOptions {
        exclude: settings.and_then(config::Settings::exclude_matcher),
        skip_names: vec![config::FILE_NAME.to_string()],
    }
}

/// Reads every path with the walk of `settings`; each skipped file gets one note on stderr.
pub fn load_paths(
    paths: &[PathBuf],
    settings: Option<&config::Settings>,
    budget: &mut Budget,
) -> Result<crate::load::Inputs, Fatal> {
    let inputs = crate::load::load_paths_with(
        paths,
        &crate::load::yaml::Limits::default(),
        &walk_options(settings),
        budget,
    )?;
    for s in &inputs.skipped {
        eprintln!("promagent: note: {}: skipped: {}", s.file, s.reason);
    }
    Ok(inputs)
}

/// Manifest inputs, shared by every command that reads them.
#[derive(Clone, Debug, Args)]
pub struct InputArgs {
    /// Files or directories to read (directories recursively: *.yaml, *.yml, *.json, leaving out
    /// what .gitignore, the settings' exclude, .git/ and node_modules/ leave out); - reads stdin.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,

    /// The namespace of objects that have no metadata.namespace, as `kubectl apply -n NS` or a
    /// kustomization's `namespace:` gives it [default: the settings' namespace, else default].
    #[arg(short = 'n', long, value_name = "NS")]
    pub namespace: Option<String>,

    /// Labels of a namespace the input has no Namespace object for (it is otherwise assumed to
    /// carry only kubernetes.io/metadata.name); repeat for several namespaces.
    #[arg(long, value_name = "NS=K=V,...")]
    pub namespace_labels: Vec<String>,

    #[command(flatten)]
    pub settings: SettingsArgs,

    #[command(flatten)]
    pub limits: LimitArgs,
}

impl InputArgs {
    /// The settings file of this run, if any.
    pub fn settings(&self) -> Result<Option<config::Settings>, Fatal> {
        self.settings.find(&self.paths)
    }

    /// Reads the inputs and places namespace-less objects in their namespace.
    pub fn load(&self, settings: Option<&config::Settings>) -> Result<crate::load::Inputs, Fatal> {
        self.load_within(settings, &mut self.limits.budget())
    }

    /// [`InputArgs::load`], sharing `budget` with the other inputs of the command.
    pub fn load_within(
        &self,
        settings: Option<&config::Settings>,
        budget: &mut Budget,
    ) -> Result<crate::load::Inputs, Fatal> {
        let namespace = self
            .namespace
            .clone()
            .or_else(|| settings.and_then(|s| s.namespace.clone()));
        if let Some(ns) = &namespace
            && let Some(why) = crate::check::metadata::dns1123_label_errors(ns).first()
        {
            return Err(Fatal(format!("--namespace {ns:?}: {why}")));
        }
        let mut inputs = load_paths(&self.paths, settings, budget)?;
        inputs.place_in_namespace(namespace.as_deref());
        Ok(inputs)
    }

    /// The labels of namespaces without a Namespace object: the settings', then the flags'.
    pub fn namespace_labels(
        &self,
        settings: Option<&config::Settings>,
    ) -> Result<crate::render::options::NamespaceLabels, Fatal> {
        let mut out: crate::render::options::NamespaceLabels = settings
            .map(|s| s.namespace_labels.clone())
            .unwrap_or_default();
        for text in &self.namespace_labels {
            let (ns, labels) = config::parse_namespace_labels(text)
                .map_err(|e| Fatal(format!("--namespace-labels: {e}")))?;
            match out.iter_mut().find(|(n, _)| *n == ns) {
                Some(entry) => entry.1 = labels,
                None => out.push((ns, labels)),
            }
        }
        Ok(out)
    }
}

/// The bound on how much a command reads, shared by every command that reads files or stdin.
#[derive(Clone, Copy, Debug, Args)]
pub struct LimitArgs {
    /// Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config)
    /// exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000).
    #[arg(long, value_name = "SIZE", default_value = "256MiB", value_parser = parse_size)]
    pub max_input_bytes: u64,
}

impl LimitArgs {
    pub fn budget(&self) -> Budget {
        Budget::new(self.max_input_bytes)
    }
}

fn parse_size(text: &str) -> Result<u64, String> {
    crate::load::limits::parse_size(text)
}

/// Settings of the operator deployment that change what it accepts and what it renders.
#[derive(Clone, Debug, Default, Args)]
#[command(next_help_heading = "Operator settings")]
pub struct OperatorArgs {
    /// The cluster's Kubernetes version [default: 1.37] (EndpointSlice discovery from 1.21, pod
    /// topology labels from 1.35).
    #[arg(long, value_name = "X.Y")]
    pub kubernetes_version: Option<String>,

    /// The operator's --feature-gates, e.g. PrometheusAgentDaemonSet=true.
    #[arg(long, value_name = "NAME=BOOL,...")]
    pub feature_gates: Option<String>,

    /// The operator's --prometheus-config-reloader image.
    #[arg(long, value_name = "IMAGE")]
    pub config_reloader_image: Option<String>,

    /// The operator's --config-reloader-cpu-request (0 leaves it out).
    #[arg(long, value_name = "QUANTITY")]
    pub config_reloader_cpu_request: Option<String>,

    /// The operator's --config-reloader-cpu-limit (0 leaves it out).
    #[arg(long, value_name = "QUANTITY")]
    pub config_reloader_cpu_limit: Option<String>,

    /// The operator's --config-reloader-memory-request (0 leaves it out).
    #[arg(long, value_name = "QUANTITY")]
    pub config_reloader_memory_request: Option<String>,

    /// The operator's --config-reloader-memory-limit (0 leaves it out).
    #[arg(long, value_name = "QUANTITY")]
    pub config_reloader_memory_limit: Option<String>,

    /// The operator's --enable-config-reloader-probes.
    #[arg(long)]
    pub enable_config_reloader_probes: bool,

    /// The operator's --prometheus-default-base-image.
    #[arg(long, value_name = "IMAGE")]
    pub prometheus_default_base_image: Option<String>,

    /// The operator's --localhost.
    #[arg(long, value_name = "HOST")]
    pub localhost: Option<String>,

    /// The operator's --labels, added to every generated object.
    #[arg(long, value_name = "K=V,...")]
    pub labels: Option<String>,

    /// The operator's --annotations, added to every generated object.
    #[arg(long, value_name = "K=V,...")]
    pub annotations: Option<String>,
}

/// An error that stops a command: printed as `promagent: <message>` with exit code 2.
#[derive(Debug)]
pub struct Fatal(pub String);

impl<E: std::fmt::Display> From<E> for Fatal {
    fn from(e: E) -> Self {
        Fatal(e.to_string())
    }
}

pub type CmdResult = Result<u8, Fatal>;

/// Writes a command's output to standard output. A closed pipe (`promagent crd | head`) ends the
/// program quietly with exit code 0, as ripgrep does; any other write error (a full disk, say)
/// stops the command with a message.
pub fn write_stdout(text: &str) -> Result<(), Fatal> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(Fatal(format!("could not write to standard output: {e}"))),
    }
}

/// Loads the inputs of `render` and `diff`. What the API server would reject (checked against the
/// CRDs of `crds`, or the embedded ones) is reported on stderr as warnings; every object that
/// decodes is still used, so that a render shows as much as it can.
pub fn load_for_render(
    args: &InputArgs,
    settings: Option<&config::Settings>,
    crds: Option<&std::path::Path>,
) -> Result<(crate::load::Inputs, crate::model::Inventory), Fatal> {
    let mut budget = args.limits.budget();
    let inputs = args.load_within(settings, &mut budget)?;
    let loaded;
    let registry = match crds {
        Some(path) => {
            loaded = crate::crd::Registry::from_path_within(path, &mut budget)?;
            &loaded
        }
        None => crate::crd::embedded_registry(),
    };
    let mut admission = crate::check::admission(&inputs, registry);
    // Render reads every object, as the operator's generator would if the cluster held it; those
    // the API server rejects are decoded here, with a warning below.
    let decoded: Vec<_> = std::mem::take(&mut admission.decoded)
        .into_iter()
        .zip(&inputs.documents)
        .map(|(decoded, doc)| Some(decoded.unwrap_or_else(|| crate::model::decode(doc))))
        .collect();
    let (inventory, decode_errors) = crate::model::Inventory::from_decoded(decoded);
    let errors = admission
        .diagnostics
        .iter()
        .chain(&decode_errors)
        .filter(|d| d.severity == crate::diag::Severity::Error);
    for d in errors {
        let place = match (d.file_name(), d.line_col()) {
            (Some(file), Some((line, col))) => format!("{file}:{line}:{col}: "),
            _ => String::new(),
        };
        let object = d
            .object
            .as_ref()
            .map(|o| format!("{o}: "))
            .unwrap_or_default();
        let path = if d.path.is_root() {
            String::new()
        } else {
            format!("{}: ", d.path)
        };
        eprintln_escaped!(
            "promagent: warning: {place}{object}{path}{} (the API server would reject this; see promagent lint)",
            d.message
        );
    }
    Ok((inputs, inventory))
}

/// The clap command, for completions and the man page.
pub fn command() -> clap::Command {
    Cli::command()
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let color = cli.color;
    let result = match cli.command {
        Command::Lint(args) => lint::run(args, color),
        Command::Render(args) => render::run(args, color),
        Command::Diff(args) => diff::run(args, color),
        Command::Migrate(args) => migrate::run(args, color),
        Command::Targets(args) => targets::run(args, color),
        Command::Relabel(args) => relabel::run(args, color),
        Command::Crd(args) => crd::run(args),
        Command::CheckConfig(args) => check_config::run(args, color),
        Command::Completions(args) => completions::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Fatal(message)) => {
            eprintln_escaped!("promagent: {message}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
