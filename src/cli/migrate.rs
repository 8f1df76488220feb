//! `promagent migrate`: rewrites PrometheusAgents from StatefulSet mode to DaemonSet mode (or back),
//! keeping comments and layout, and reports what cannot move along.

use super::{CmdResult, ColorChoice, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, Fatal};
use crate::{load, migrate};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// Move PrometheusAgents to DaemonSet mode (or back), keeping the file's comments and layout.
#[derive(Debug, Args)]
#[command(after_help = "\
The migrated file goes to stdout unless --write is given; the report goes to stderr. Bytes
outside the edited entries stay as they were: byte order mark, CRLF line endings, no final line break.

Examples:
  promagent migrate agent.yaml                    print the migrated file
  promagent migrate --diff agent.yaml             show the change as a unified diff
  promagent migrate --write agent.yaml            rewrite the file in place
  promagent migrate --check deploy/*.yaml         exit 1 when an agent still needs migrating
  promagent migrate --to statefulset agent.yaml   the reverse migration")]
pub struct MigrateArgs {
    /// Files to migrate; - reads stdin.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// The mode to migrate to.
    #[arg(long, value_enum, default_value_t = TargetMode::Daemonset)]
    pub to: TargetMode,

    /// Rewrite the files in place: all of them or none. A symbolic link is written through; a file
    /// with several hard links, or read-only, is refused.
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
    let walk = super::walk_options(settings.as_ref());
    let mut budget = args.limits.budget();
    // The sources in the order of `inputs.files`, with whether each started with a byte order mark.
    let mut sources = Vec::new();
    let mut inputs = load::Inputs::default();
    for input in load::files::expand(&args.files, &walk)? {
        let source = input.source;
        let (text, bom) = match budget.read_text_with_bom(&source) {
            Err(load::LoadError::NotUtf8 { path }) if input.walked => {
                eprintln!("promagent: note: {path}: skipped: not UTF-8 text");
                continue;
            }
            read => read?,
        };
        inputs.add_text(&source.display_name(), text, &load::yaml::Limits::default())?;
        sources.push((source, bom));
    }
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
    let with_bom = |bom: bool, text: &str| {
        if bom {
            format!("\u{feff}{text}")
        } else {
            text.to_string()
        }
    };
    if args.write {
        let mut outputs = Vec::new();
        for (f, (source, bom)) in result.files.iter().zip(&sources) {
            if !f.changed() {
                continue;
            }
            let load::InputSource::File(path) = source else {
                return Err(Fatal(
                    "--write cannot rewrite standard input; pass files".into(),
                ));
            };
            outputs.push(migrate::write::Output {
                path: path.clone(),
                current: with_bom(*bom, &f.original).into_bytes(),
                new: with_bom(*bom, &f.migrated).into_bytes(),
            });
        }
        let notes = migrate::write::write_all(&outputs).map_err(Fatal)?;
        for note in notes {
            eprintln!("note: {note}");
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
    } else if let [f] = result.files.as_slice() {
        // One file prints exactly what --write would write, byte order mark included.
        out = with_bom(sources.first().is_some_and(|(_, bom)| *bom), &f.migrated);
    } else {
        for (i, f) in result.files.iter().enumerate() {
            if i > 0 {
                out.push_str("---\n");
            }
            out.push_str(&format!("# Source: {}\n", f.name));
            out.push_str(&f.migrated);
            if !f.migrated.is_empty() && !f.migrated.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    super::write_stdout(&out)?;
    Ok(EXIT_CLEAN)
}
