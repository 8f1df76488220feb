//! `promagent targets`: which agent pod would scrape which target, from the agents, their
//! monitors and a snapshot of the cluster (overlaps and missed targets fail the run); and, with
//! `--config prometheus.yml`, what Prometheus's targets page would show for one configuration on
//! the Kubernetes objects given (each job's discovery and static targets, relabeled).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, ValueEnum};
use serde_json::{Value, json};

use super::render::pick_agent;
use super::{CmdResult, ColorChoice, EXIT_CLEAN, EXIT_FINDINGS, Fatal, InputArgs, OperatorArgs};
use crate::diag::{Diagnostic, SourceFile};
use crate::emit;
use crate::load::{Budget, InputSource};
use crate::model::{Object, PrometheusAgent};
use crate::promconfig::{self, LoadOptions};
use crate::simulate::kubernetes::Cluster;
use crate::simulate::pods;
use crate::simulate::pools::{JobTargets, config_targets};
use crate::simulate::report::{Filter, Placement};
use crate::simulate::scrape::TargetOutcome;
use crate::simulate::targets::{self, Snapshot};

/// Show which agent pod would scrape which target: overlaps, and targets no agent pod scrapes.
#[derive(Debug, Args)]
#[command(after_help = "\
Give the agents, their monitors and a snapshot of the cluster, taken with
  kubectl get nodes,pods,services,endpointslices,namespaces -A -o yaml > cluster.yaml
DaemonSet-mode agents get one pod per node the DaemonSet controller would place them on
(nodeSelector, required node affinity, taints and tolerations); StatefulSet-mode agents one pod
per replica of each shard. Nothing is scraped and nothing is read from the cluster: see
docs/targets.md for what is simulated.

Examples:
  promagent targets deploy/monitoring/ cluster.yaml            every agent, every target
  promagent targets deploy/ cluster.yaml --node worker-3       what the agent pod on worker-3 scrapes
  promagent targets deploy/ cluster.yaml --format json         /api/v1/targets of every agent pod
  promagent targets deploy/ cluster.yaml --explain 10.244.3.31:8080
                                                               each relabeling step for that target
  promagent targets deploy/ cluster.yaml --allow-overlap       during a migration

With --config FILE, PATH holds only the cluster's objects and the targets of that one
Prometheus configuration are shown (Kubernetes discovery as Prometheus v3.13.1 runs it, and
static_configs), as Prometheus's /api/v1/targets lists them:
  promagent targets --config prometheus.yml --own-namespace monitoring objects.yaml

Exit codes: 0 every target scraped once, 1 overlaps or missed targets, 2 could not run.
With --config: 0 done, 1 an object could not be read (it is left out), 2 could not run.")]
pub struct TargetsArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// A Prometheus configuration file to simulate instead of the agents' (- reads stdin).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// With --config: the namespace Prometheus runs in, for `namespaces.own_namespace`.
    #[arg(long, value_name = "NS", requires = "config")]
    pub own_namespace: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = TargetsFormat::Human)]
    pub format: TargetsFormat,

    /// Show only the agent pod on this node (and what is missed there).
    #[arg(long, value_name = "NAME")]
    pub node: Option<String>,

    /// Simulate only this agent.
    #[arg(long, value_name = "NAMESPACE/NAME")]
    pub agent: Option<String>,

    /// Show only the targets of this job (scrape pool).
    #[arg(long, value_name = "NAME")]
    pub job: Option<String>,

    /// Print each relabeling step for the discovered target of this address (host:port).
    #[arg(long, value_name = "ADDRESS")]
    pub explain: Option<String>,

    /// Do not fail when two agent pods scrape the same target.
    #[arg(long)]
    pub allow_overlap: bool,

    /// Do not fail when a target is left unscraped because no agent pod runs on its node.
    #[arg(long)]
    pub allow_missed: bool,

    #[command(flatten)]
    pub operator: OperatorArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TargetsFormat {
    Human,
    Json,
}

pub fn run(args: TargetsArgs, color: ColorChoice) -> CmdResult {
    let settings = args.inputs.settings()?;
    match &args.config {
        Some(config) => run_config(
            config,
            args.own_namespace.as_deref(),
            &args.inputs.paths,
            settings.as_ref(),
            &mut args.inputs.limits.budget(),
            args.format,
            color,
        ),
        None => run_agents(&args, settings.as_ref()),
    }
}

fn read_config(path: &Path, budget: &mut Budget) -> Result<Arc<SourceFile>, Fatal> {
    let source = if path.as_os_str() == "-" {
        InputSource::Stdin
    } else {
        InputSource::File(path.to_path_buf())
    };
    let text = budget.read_text(&source)?;
    Ok(Arc::new(crate::promconfig::secrets::source_file(
        source.display_name(),
        text,
    )))
}

/// `targets --config`: discovery, relabeling and target population for every job of `config`.
pub fn run_config(
    config: &Path,
    own_namespace: Option<&str>,
    paths: &[PathBuf],
    settings: Option<&super::config::Settings>,
    budget: &mut Budget,
    format: TargetsFormat,
    color: ColorChoice,
) -> CmdResult {
    let file = read_config(config, budget)?;
    let options = LoadOptions {
        env: std::env::vars().collect(),
        ..LoadOptions::default()
    };
    let loaded = match promconfig::load(&file.text, &options) {
        Ok(c) => c,
        Err(_) => {
            let diagnostics = promconfig::check_text(&file, &options);
            eprint!("{}", emit::human::render(&diagnostics, color.for_stderr()));
            return Err(Fatal(format!(
                "{}: Prometheus would not load this configuration",
                file.name
            )));
        }
    };
    let inputs = super::load_paths(paths, settings, budget)?;
    let (cluster, decode_problems) = Cluster::from_documents(&inputs.documents);
    let problems: Vec<Diagnostic> = inputs
        .diagnostics
        .iter()
        .cloned()
        .chain(decode_problems)
        .collect();
    let jobs = config_targets(&loaded, &cluster, own_namespace).map_err(Fatal)?;
    if !problems.is_empty() {
        eprint!("{}", emit::human::render(&problems, color.for_stderr()));
    }
    for job in &jobs {
        for refusal in &job.pool.refused {
            eprintln_escaped!(
                "promagent: note: job {}: Prometheus would skip {refusal}",
                job.job_name
            );
        }
    }
    let text = match format {
        TargetsFormat::Json => {
            serde_json::to_string_pretty(&targets_json(&jobs)).map_err(Fatal::from)? + "\n"
        }
        TargetsFormat::Human => crate::shown::escape(&targets_human(&jobs)).into_owned(),
    };
    super::write_stdout(&text)?;
    Ok(if problems.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_FINDINGS
    })
}

/// The `data` of `/api/v1/targets`: active targets with their labels before and after
/// relabeling, dropped targets with their discovered labels, and the dropped count per pool.
///
/// Every discovered label set that becomes an active target is listed, so that each one can be
/// followed; Prometheus itself shows equal targets (same labels and URL) once. Those are marked
/// with `"sameTargetAs"`, the index of the first of them.
pub fn targets_json(jobs: &[JobTargets]) -> Value {
    let mut active = Vec::new();
    let mut dropped = Vec::new();
    let mut dropped_counts = serde_json::Map::new();
    for job in jobs {
        let first = active.len();
        let actives: Vec<_> = job
            .discovered
            .iter()
            .filter_map(|d| d.active().map(|a| (d, a)))
            .collect();
        for (i, (d, t)) in actives.iter().enumerate() {
            let same = actives[..i]
                .iter()
                .position(|(_, o)| o.labels == t.labels && o.scrape_url == t.scrape_url);
            let mut entry = json!({
                "discoveredLabels": d.discovered_labels(),
                "labels": t.public_labels(),
                "scrapePool": job.job_name,
                "scrapeUrl": t.scrape_url,
                "globalUrl": t.scrape_url,
                "lastError": "",
                "lastScrape": "0001-01-01T00:00:00Z",
                "lastScrapeDuration": 0,
                "health": "unknown",
                "scrapeInterval": t.scrape_interval(),
                "scrapeTimeout": t.scrape_timeout(),
            });
            if let Some(at) = same {
                entry["sameTargetAs"] = json!(first + at);
            }
            active.push(entry);
        }
        let limit = usize::try_from(job.keep_dropped_targets).unwrap_or(usize::MAX);
        let dropped_here = job
            .discovered
            .iter()
            .filter(|d| matches!(d.outcome, TargetOutcome::Dropped { .. }));
        for d in dropped_here.take(if limit == 0 { usize::MAX } else { limit }) {
            dropped.push(json!({
                "discoveredLabels": d.discovered_labels(),
                "scrapePool": job.job_name,
            }));
        }
        dropped_counts.insert(job.job_name.clone(), json!(job.pool.dropped_count));
    }
    json!({
        "activeTargets": active,
        "droppedTargets": dropped,
        "droppedTargetCounts": dropped_counts,
    })
}

fn label_text(labels: &crate::simulate::relabel::LabelSet) -> String {
    let pairs: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{k}={}", crate::kube::validation::go_quote(v)))
        .collect();
    format!("{{{}}}", pairs.join(", "))
}

/// Per job: the active targets (URL and labels) and the dropped ones (their address).
pub fn targets_human(jobs: &[JobTargets]) -> String {
    let mut out = String::new();
    for job in jobs {
        out.push_str(&format!(
            "job {}: {} active, {} dropped\n",
            job.job_name,
            job.pool.active.len(),
            job.pool.dropped_count
        ));
        let discovered_active = job
            .discovered
            .iter()
            .filter(|d| d.active().is_some())
            .count();
        let merged = discovered_active - job.pool.active.len();
        if merged > 0 {
            out.push_str(&format!(
                "  ({merged} more discovered targets have the labels and URL of another one: Prometheus scrapes each such target once)\n"
            ));
        }
        for t in &job.pool.active {
            out.push_str(&format!(
                "  active  {} {}\n",
                t.scrape_url,
                label_text(&t.public_labels())
            ));
        }
        for labels in &job.pool.dropped {
            let address = labels.get("__address__").map_or("", String::as_str);
            out.push_str(&format!("  dropped {address}\n"));
        }
    }
    out
}

/// `targets PATH…` without `--config`: the agents' pods on a cluster snapshot.
pub fn run_agents(args: &TargetsArgs, settings: Option<&super::config::Settings>) -> CmdResult {
    let mut opts = super::render::operator_options(&args.operator, &args.inputs, settings)?;
    // A DaemonSet-mode agent runs nowhere without the operator's gate: simulate it as enabled.
    opts.feature_gates.prometheus_agent_daemon_set = true;
    let (inputs, inventory) = super::load_for_render(&args.inputs, settings, None)?;
    // Every agent is simulated, so that overlaps with the others show; --agent filters the report.
    let chosen = match &args.agent {
        Some(wanted) => {
            let a = pick_agent(&inventory, Some(wanted)).map_err(Fatal)?;
            Some(format!("{}/{}", a.namespace(), a.name()))
        }
        None => None,
    };
    if inventory.agents.is_empty() {
        return Err(Fatal("the input holds no PrometheusAgent".into()));
    }
    let agents: Vec<&Object<PrometheusAgent>> = inventory.agents.iter().collect();
    let (cluster, problems) =
        crate::simulate::kubernetes::Cluster::from_documents(&inputs.documents);
    for p in &problems {
        eprintln_escaped!("promagent: warning: {}", p.message);
    }
    let snapshot = Snapshot::new(cluster);
    if let Some(address) = &args.explain {
        let wanted: Vec<&Object<PrometheusAgent>> = agents
            .iter()
            .filter(|a| {
                chosen
                    .as_ref()
                    .is_none_or(|c| *c == format!("{}/{}", a.namespace(), a.name()))
            })
            .copied()
            .collect();
        return explain(
            &wanted, &inventory, &inputs, &opts, &snapshot, address, args,
        );
    }
    // Only the JSON report lists dropped targets; the human one would hold them for nothing.
    let keep_dropped = args.format == TargetsFormat::Json;
    let scrape = |agent_ns: &str, config: &targets::PodConfig<'_>| {
        let mut scraped = targets::scrape_pod(config, &snapshot, agent_ns)?;
        if !keep_dropped {
            scraped.dropped = Vec::new();
        }
        Ok(scraped)
    };
    let outcome = targets::simulate(
        agents.iter().copied(),
        &inputs.documents,
        &inventory,
        &opts,
        &scrape,
    );
    for w in &outcome.warnings {
        eprintln_escaped!("promagent: warning: {}", w.message);
    }
    for e in &outcome.errors {
        eprintln_escaped!("promagent: {e}");
    }
    let mut report = outcome.report;
    report.filter(&Filter {
        node: args.node.clone(),
        agent: chosen,
        job: args.job.clone(),
    });
    let text = match args.format {
        TargetsFormat::Human => crate::shown::escape(&report.to_human()).into_owned(),
        TargetsFormat::Json => {
            serde_json::to_string_pretty(&report.to_json()).map_err(Fatal::from)? + "\n"
        }
    };
    super::write_stdout(&text)?;
    if !outcome.errors.is_empty() && report.agents.is_empty() {
        return Err(Fatal("no agent could be simulated".into()));
    }
    Ok(
        if report.has_findings(args.allow_overlap, args.allow_missed) || !outcome.errors.is_empty()
        {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        },
    )
}

/// `--explain ADDRESS`: for each agent pod (within the filters) that discovers a target of that
/// address, every relabel rule and what it changed.
fn explain(
    agents: &[&Object<PrometheusAgent>],
    inventory: &crate::model::Inventory,
    inputs: &crate::load::Inputs,
    opts: &crate::render::options::OperatorOptions,
    snapshot: &Snapshot,
    address: &str,
    args: &TargetsArgs,
) -> CmdResult {
    let nodes = pods::nodes(&inputs.documents);
    let mut out = String::new();
    let mut found = false;
    for agent in agents {
        let plan = pods::plan(agent, inventory, &nodes, opts).map_err(|d| {
            Fatal(format!(
                "the operator would refuse {}/{}: {}",
                agent.namespace(),
                agent.name(),
                d.message
            ))
        })?;
        let placed = plan
            .pods
            .iter()
            .map(|p| (p.pod.clone(), p.placement.clone(), p.config.as_str()));
        let unplaced = plan.unplaced.iter().map(|u| {
            (
                format!("(none: {})", u.node.reason),
                Placement::Node(u.node.node.clone()),
                u.config.as_str(),
            )
        });
        for (pod, placement, config) in placed.chain(unplaced) {
            if let (Some(node), Placement::Node(on)) = (&args.node, &placement)
                && node != on
            {
                continue;
            }
            if let Placement::Shard { replica, .. } = placement
                && replica > 0
            {
                continue;
            }
            let on = match &placement {
                Placement::Node(n) => format!(" on node {n}"),
                Placement::Shard { shard, .. } => format!(" (shard {shard})"),
            };
            let explained = targets::explain_address(config, snapshot, agent.namespace(), address)
                .map_err(|e| Fatal(format!("{}: pod {pod}: {e}", plan.agent)))?;
            for e in explained {
                if args.job.as_ref().is_some_and(|j| *j != e.job) {
                    continue;
                }
                found = true;
                let _ = writeln!(out, "{} pod {pod}{on}, job {}:", plan.agent, e.job);
                let _ = writeln!(out, "  discovered:");
                for (k, v) in &e.discovered {
                    let _ = writeln!(out, "    {k}={v:?}");
                }
                for step in &e.steps {
                    let _ = writeln!(out, "  rule {} ({}):", step.index, step.action.as_str());
                    match &step.after {
                        None => {
                            let _ = writeln!(out, "    dropped the target");
                        }
                        Some(after) => {
                            let changes = targets::step_changes(&step.before, after);
                            if changes.is_empty() {
                                let _ = writeln!(out, "    (no change)");
                            }
                            for c in changes {
                                let _ = writeln!(out, "    {c}");
                            }
                        }
                    }
                }
                match &e.result {
                    None => {
                        let _ = writeln!(out, "  result: dropped\n");
                    }
                    Some(labels) => {
                        let _ = writeln!(out, "  result:");
                        for (k, v) in labels {
                            let _ = writeln!(out, "    {k}={v:?}");
                        }
                        out.push('\n');
                    }
                }
            }
        }
    }
    if !found {
        return Err(Fatal(format!(
            "no agent pod discovers a target with __address__ {address:?}"
        )));
    }
    super::write_stdout(&crate::shown::escape(&out))?;
    Ok(EXIT_CLEAN)
}
