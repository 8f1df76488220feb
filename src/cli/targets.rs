//! `promagent targets`: which agent pod would scrape which target, from the agents, their monitors
//! and a snapshot of the cluster; overlaps and missed targets fail the run.

use super::render::pick_agent;
use super::{CmdResult, ColorChoice, EXIT_CLEAN, EXIT_FINDINGS, Fatal, InputArgs, OperatorArgs};
use crate::model::{Object, PrometheusAgent};
use crate::simulate::pods;
use crate::simulate::report::{Filter, Placement};
use crate::simulate::targets::{self, Snapshot};
use clap::{Args, ValueEnum};
use std::fmt::Write as _;

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

Exit codes: 0 every target scraped once, 1 overlaps or missed targets, 2 could not run.")]
pub struct TargetsArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

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

pub fn run(args: TargetsArgs, _color: ColorChoice) -> CmdResult {
    let mut opts = super::render::operator_options(&args.operator)?;
    // A DaemonSet-mode agent runs nowhere without the operator's gate: simulate it as enabled.
    opts.feature_gates.prometheus_agent_daemon_set = true;
    let (inputs, inventory) = super::load_for_render(&args.inputs.paths, None)?;
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
        eprintln!("promagent: warning: {}", p.message);
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
            &wanted, &inventory, &inputs, &opts, &snapshot, address, &args,
        );
    }
    let scrape = |agent_ns: &str, config: &targets::PodConfig<'_>| {
        targets::scrape_pod(config, &snapshot, agent_ns)
    };
    let outcome = targets::simulate(
        agents.iter().copied(),
        &inputs.documents,
        &inventory,
        &opts,
        &scrape,
    );
    for w in &outcome.warnings {
        eprintln!("promagent: warning: {}", w.message);
    }
    for e in &outcome.errors {
        eprintln!("promagent: {e}");
    }
    let mut report = outcome.report;
    report.filter(&Filter {
        node: args.node.clone(),
        agent: chosen,
        job: args.job.clone(),
    });
    let text = match args.format {
        TargetsFormat::Human => report.to_human(),
        TargetsFormat::Json => {
            serde_json::to_string_pretty(&report.to_json()).map_err(Fatal::from)? + "\n"
        }
    };
    print_out(&text);
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
    print_out(&out);
    Ok(EXIT_CLEAN)
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
fn print_out(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
