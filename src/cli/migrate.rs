//! `promagent migrate`: rewrites PrometheusAgents from StatefulSet mode to DaemonSet mode (or back),
//! keeping comments and layout, and reports what cannot move along.

use super::{CmdResult, ColorChoice, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, Fatal};
use crate::migrate;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Move PrometheusAgents to DaemonSet mode (or back), keeping the file's comments and layout.
#[derive(Debug, Args)]
#[command(after_help = "\
The migrated file goes to stdout unless --write is given; the report goes to stderr.

Examples:
  promagent migrate agent.yaml                    print the migrated file
  promagent migrate --diff agent.yaml             show the change as a unified diff
  promagent migrate --write agent.yaml            rewrite the file in place (atomically)
  promagent migrate --check deploy/*.yaml         exit 1 when an agent still needs migrating
  promagent migrate --to statefulset agent.yaml   the reverse migration")]
pub struct MigrateArgs {
    /// Files to migrate; - reads stdin.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// The mode to migrate to.
    #[arg(long, value_enum, default_value_t = TargetMode::Daemonset)]
    pub to: TargetMode,

    /// Rewrite the files in place.
    #[arg(long, conflicts_with_all = ["diff", "check"])]
    pub write: bool,

    /// Print a unified diff instead of the migrated file; Secret values in it are masked.
    #[arg(long, conflicts_with = "check")]
    pub diff: bool,

    /// Write nothing; exit 1 when a migration is due, 0 when not.
    #[arg(long)]
    pub check: bool,

    /// Also write a PodMonitor for each selected ServiceMonitor whose Service is in the input.
    #[arg(long)]
    pub convert_servicemonitors: bool,

    /// Format of the report on stderr.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,

    #[command(flatten)]
    pub settings: super::SettingsArgs,

    #[command(flatten)]
    pub limits: super::LimitArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TargetMode {
    Daemonset,
    Statefulset,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Human,
    Json,
}

pub fn run(args: MigrateArgs, color: ColorChoice) -> CmdResult {
    let _ = color;
    if args.write && args.files.iter().any(|f| f.as_os_str() == "-") {
        return Err(Fatal(
            "--write cannot rewrite standard input; pass files".into(),
        ));
    }
    let settings = args.settings.find(&args.files)?;
    let inputs = super::load_paths(&args.files, settings.as_ref(), &mut args.limits.budget())?;
    let options = migrate::Options {
        target: match args.to {
            TargetMode::Daemonset => migrate::Target::DaemonSet,
            TargetMode::Statefulset => migrate::Target::StatefulSet,
        },
        convert_service_monitors: args.convert_servicemonitors,
    };
    if options.convert_service_monitors && options.target == migrate::Target::StatefulSet {
        return Err(Fatal(
            "--convert-servicemonitors only applies to --to daemonset".into(),
        ));
    }
    let result = migrate::migrate(&inputs, &options);
    let report = match args.format {
        ReportFormat::Human => migrate::report::human(&result),
        ReportFormat::Json => migrate::report::json(&result),
    };
    eprint!("{}", crate::shown::escape(&report));
    if result.failed() {
        // Nothing is written when any file cannot be migrated.
        return Ok(EXIT_ERROR);
    }
    if args.check {
        return Ok(if result.due() {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        });
    }
    if args.write {
        for f in result.files.iter().filter(|f| f.changed()) {
            write_atomically(Path::new(&f.name), &f.migrated)
                .map_err(|e| Fatal(format!("{}: cannot write: {e}", f.name)))?;
        }
        return Ok(EXIT_CLEAN);
    }
    let mut out = String::new();
    if args.diff {
        for f in result.files.iter().filter(|f| f.changed()) {
            let shown = f.name.trim_start_matches('/');
            // The Secrets a file holds beside the agent are context lines: their values are masked.
            let original = crate::shown::source_for_display(&f.original);
            let migrated = crate::shown::source_for_display(&f.migrated);
            let diff = similar::TextDiff::from_lines(&original, &migrated);
            out.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{shown}"), &format!("b/{shown}"))
                    .to_string(),
            );
        }
    } else {
        let several = result.files.len() > 1;
        for (i, f) in result.files.iter().enumerate() {
            if several {
                if i > 0 {
                    out.push_str("---\n");
                }
                out.push_str(&format!("# Source: {}\n", f.name));
            }
            out.push_str(&f.migrated);
            if several && !f.migrated.is_empty() && !f.migrated.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    super::write_stdout(&out)?;
    Ok(EXIT_CLEAN)
}

/// Replaces `path` with `text` through a temporary file in the same directory, keeping the file's
/// permissions, so a reader never sees a half-written file.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let permissions = std::fs::metadata(path)?.permissions();
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.as_file().set_permissions(permissions)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
