//! `promagent diff`: each agent rendered in StatefulSet mode against DaemonSet mode, or two inputs
//! against each other, as a summary and a unified diff.

use super::{CmdResult, ColorChoice, EXIT_CLEAN, EXIT_FINDINGS, Fatal, InputArgs, OperatorArgs};
use crate::model::{Inventory, Object, PrometheusAgent, PrometheusAgentMode};
use crate::render::diff;
use crate::render::options::OperatorOptions;
use crate::render::workloads::{AgentRender, agent_mode, render_agent};
use clap::Args;
use std::path::PathBuf;

/// Show what switching an agent to DaemonSet mode changes, or what changes between two inputs.
#[derive(Debug, Args)]
#[command(after_help = "\
Exit codes: 0 nothing differs, 1 something differs, 2 could not run.

Examples:
  promagent diff agent.yaml monitors/                      StatefulSet form against DaemonSet form
  promagent diff --against main-checkout/deploy deploy/    the render of main against this branch")]
pub struct DiffArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// Compare the render of this path (the old side; repeat for several) with the render of PATHs
    /// (the new side).
    #[arg(long, value_name = "PATH")]
    pub against: Vec<PathBuf>,

    /// Only this agent, as NAMESPACE/NAME.
    #[arg(long, value_name = "NAMESPACE/NAME")]
    pub agent: Option<String>,

    /// Show Secret values instead of redacting them.
    #[arg(long)]
    pub show_secrets: bool,

    /// Leave out the selected monitors the operator rejects at reconcile time, as its reconcile
    /// loop does. By default they are rendered as the operator's config generator renders them,
    /// with a warning.
    #[arg(long)]
    pub drop_rejected: bool,

    #[command(flatten)]
    pub operator: OperatorArgs,
}

pub fn run(args: DiffArgs, color: ColorChoice) -> CmdResult {
    let mut opts = super::render::operator_options(&args.operator)?;
    opts.show_secrets = args.show_secrets;
    opts.drop_rejected = args.drop_rejected;
    let colored = color.for_stdout();
    let new_side = load(&args.inputs)?;
    let mut out = String::new();
    let mut differs = false;
    if args.against.is_empty() {
        // Both forms are rendered whatever the operator's DaemonSet feature gate says.
        let mut both = opts.clone();
        both.feature_gates.prometheus_agent_daemon_set = true;
        for agent in chosen_agents(&new_side, args.agent.as_deref())? {
            let statefulset = render(agent, &new_side, &both, PrometheusAgentMode::StatefulSet)?;
            let daemonset = render(agent, &new_side, &both, PrometheusAgentMode::DaemonSet)?;
            out.push_str(&format!(
                "{}/{}: StatefulSet mode -> DaemonSet mode\n",
                agent.namespace(),
                agent.name()
            ));
            for line in diff::switch_summary(agent, &new_side, &both, &statefulset, &daemonset) {
                out.push_str(&format!("  {line}\n"));
            }
            out.push('\n');
            let text = diff::unified(&diff::texts(&statefulset), &diff::texts(&daemonset));
            differs |= !text.is_empty();
            out.push_str(&paint(&text, colored));
        }
    } else {
        let old_side = load(&InputArgs {
            paths: args.against.clone(),
            namespace: args.inputs.namespace.clone(),
            limits: args.inputs.limits,
        })?;
        let key = |a: &Object<PrometheusAgent>| format!("{}/{}", a.namespace(), a.name());
        let old_agents = chosen_agents_or_none(&old_side, args.agent.as_deref());
        let new_agents = chosen_agents_or_none(&new_side, args.agent.as_deref());
        if old_agents.is_empty() && new_agents.is_empty() {
            return Err(Fatal("neither input holds a PrometheusAgent".into()));
        }
        let mut keys: Vec<String> = old_agents
            .iter()
            .chain(&new_agents)
            .map(|a| key(a))
            .collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            let texts_of =
                |inv: &Inventory, agents: &[&Object<PrometheusAgent>]| -> Result<_, Fatal> {
                    match agents.iter().find(|a| key(a) == k) {
                        Some(agent) => Ok(diff::texts(&render(
                            agent,
                            inv,
                            &opts,
                            agent_mode(&agent.value),
                        )?)),
                        None => Ok(Default::default()),
                    }
                };
            let old_texts = texts_of(&old_side, &old_agents)?;
            let new_texts = texts_of(&new_side, &new_agents)?;
            let text = diff::unified(&old_texts, &new_texts);
            let state = match (old_texts.is_empty(), new_texts.is_empty()) {
                (true, _) => "only in the new input",
                (_, true) => "only in the old input",
                _ if text.is_empty() => "no changes",
                _ => "changed",
            };
            out.push_str(&format!("{k}: {state}\n"));
            differs |= !text.is_empty();
            out.push_str(&paint(&text, colored));
        }
    }
    super::write_stdout(&out)?;
    Ok(if differs { EXIT_FINDINGS } else { EXIT_CLEAN })
}

fn paint(diff: &str, colored: bool) -> String {
    if colored {
        diff::colorize(diff)
    } else {
        diff.to_string()
    }
}

/// Reads and decodes inputs; problems in them are reported on stderr and the rest is used.
fn load(inputs: &InputArgs) -> Result<Inventory, Fatal> {
    super::load_for_render(inputs, None).map(|(_, inventory)| inventory)
}

fn chosen_agents_or_none<'a>(
    inv: &'a Inventory,
    wanted: Option<&str>,
) -> Vec<&'a Object<PrometheusAgent>> {
    match wanted {
        Some(_) => super::render::pick_agent(inv, wanted)
            .map(|a| vec![a])
            .unwrap_or_default(),
        None => inv.agents.iter().collect(),
    }
}

fn chosen_agents<'a>(
    inv: &'a Inventory,
    wanted: Option<&str>,
) -> Result<Vec<&'a Object<PrometheusAgent>>, Fatal> {
    if wanted.is_some() {
        return super::render::pick_agent(inv, wanted)
            .map(|a| vec![a])
            .map_err(Fatal);
    }
    if inv.agents.is_empty() {
        return Err(Fatal("the input holds no PrometheusAgent".into()));
    }
    Ok(inv.agents.iter().collect())
}

fn render(
    agent: &Object<PrometheusAgent>,
    inv: &Inventory,
    opts: &OperatorOptions,
    mode: PrometheusAgentMode,
) -> Result<AgentRender, Fatal> {
    render_agent(agent, inv, opts, mode).map_err(|d| {
        Fatal(format!(
            "the operator would refuse {}/{} in {} mode: {}",
            agent.namespace(),
            agent.name(),
            mode.as_str(),
            d.message
        ))
    })
}
