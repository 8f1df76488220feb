//! `promagent render`: what the operator would create for each agent: the prometheus.yml, the
//! workloads, the Service and the Secrets, to stdout or to a directory.

use super::config::Settings;
use super::{CmdResult, ColorChoice, EXIT_CLEAN, EXIT_FINDINGS, Fatal, InputArgs, OperatorArgs};
use crate::model::{Inventory, Object, PrometheusAgent};
use crate::render::options::{self, FeatureGates, OperatorOptions};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// Print what the operator would create for each PrometheusAgent.
#[derive(Debug, Args)]
#[command(after_help = "\
Secret values are redacted unless --show-secrets is given: values read from Secrets, the
config.Secret fields of additionalScrapeConfigs (whatever their type) and URL passwords.

Examples:
  promagent render agent.yaml monitors/ --only config      the prometheus.yml of the agent
  promagent render manifests/ --agent monitoring/agent     pick one agent when there are several
  promagent render agent.yaml --only config --expand node=worker-1
                                                           the config the agent pod on worker-1 runs
  promagent render manifests/ -o rendered/ --prune         one file per object, stale files removed")]
pub struct RenderArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// Render only this part: config (the prometheus.yml), workloads or secrets.
    #[arg(long, value_enum, value_name = "PART")]
    pub only: Option<RenderPart>,

    /// The agent to render, as NAMESPACE/NAME, when the input holds several.
    #[arg(long, value_name = "NAMESPACE/NAME")]
    pub agent: Option<String>,

    /// Print Secret values instead of redacting them (values read from Secrets, the config.Secret
    /// fields of additional scrape configs, URL passwords).
    #[arg(long)]
    pub show_secrets: bool,

    /// Leave out the selected monitors the operator rejects at reconcile time, as its reconcile
    /// loop does. By default they are rendered as the operator's config generator renders them,
    /// with a warning.
    #[arg(long)]
    pub drop_rejected: bool,

    /// Replace $(NODE_NAME), $(POD_NAME) and $(SHARD) as the config reloader does: node=NAME,pod=NAME,shard=N.
    #[arg(long, value_name = "KEY=VALUE,...")]
    pub expand: Option<String>,

    /// Write one file per object into this directory instead of printing.
    #[arg(short = 'o', long = "output-dir", value_name = "DIR")]
    pub output_dir: Option<PathBuf>,

    /// With --output-dir: remove files left over from an earlier render.
    #[arg(long, requires = "output_dir")]
    pub prune: bool,

    /// Check the input against the CRDs in this file or directory (e.g. `kubectl get crd -o yaml`)
    /// instead of the embedded ones; what the API server would reject is reported on stderr.
    #[arg(long, value_name = "PATH")]
    pub crds: Option<PathBuf>,

    #[command(flatten)]
    pub operator: OperatorArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RenderPart {
    Config,
    Workloads,
    Secrets,
}

/// The operator settings: the command line's, over the settings file's, over the operator's
/// defaults; and the labels of namespaces the input does not hold.
pub fn operator_options(
    args: &OperatorArgs,
    inputs: &InputArgs,
    settings: Option<&Settings>,
) -> Result<OperatorOptions, Fatal> {
    let file = settings.map(|s| s.operator.clone()).unwrap_or_default();
    let mut o = OperatorOptions::default();
    if let Some(v) = args
        .kubernetes_version
        .as_ref()
        .or(file.kubernetes_version.as_ref())
    {
        o.kubernetes_version = options::parse_kubernetes_version(v).map_err(Fatal)?;
    }
    // The file's gates first, so that a gate on the command line wins.
    let gates: Vec<&str> = file
        .feature_gates
        .iter()
        .map(String::as_str)
        .chain(args.feature_gates.as_deref())
        .collect();
    if !gates.is_empty() {
        o.feature_gates = FeatureGates::parse(&gates.join(","))
            .map_err(|e| Fatal(format!("--feature-gates: {e}")))?;
    }
    let set = |target: &mut String, flag: &Option<String>, from_file: &Option<String>| {
        if let Some(v) = flag.as_ref().or(from_file.as_ref()) {
            *target = v.clone();
        }
    };
    set(
        &mut o.config_reloader_image,
        &args.config_reloader_image,
        &file.config_reloader_image,
    );
    set(
        &mut o.config_reloader_cpu_request,
        &args.config_reloader_cpu_request,
        &file.config_reloader_cpu_request,
    );
    set(
        &mut o.config_reloader_cpu_limit,
        &args.config_reloader_cpu_limit,
        &file.config_reloader_cpu_limit,
    );
    set(
        &mut o.config_reloader_memory_request,
        &args.config_reloader_memory_request,
        &file.config_reloader_memory_request,
    );
    set(
        &mut o.config_reloader_memory_limit,
        &args.config_reloader_memory_limit,
        &file.config_reloader_memory_limit,
    );
    set(
        &mut o.default_base_image,
        &args.prometheus_default_base_image,
        &file.prometheus_default_base_image,
    );
    set(&mut o.localhost, &args.localhost, &file.localhost);
    o.enable_config_reloader_probes =
        args.enable_config_reloader_probes || file.enable_config_reloader_probes == Some(true);
    match &args.labels {
        Some(l) => {
            o.labels = options::parse_key_values(l).map_err(|e| Fatal(format!("--labels: {e}")))?
        }
        None => o.labels = file.labels.unwrap_or_default(),
    }
    match &args.annotations {
        Some(a) => {
            o.annotations =
                options::parse_key_values(a).map_err(|e| Fatal(format!("--annotations: {e}")))?
        }
        None => o.annotations = file.annotations.unwrap_or_default(),
    }
    o.namespace_labels = inputs.namespace_labels(settings)?;
    Ok(o)
}

/// The values `--expand` substitutes for `$(NODE_NAME)`, `$(POD_NAME)` and `$(SHARD)`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expansion {
    pub vars: Vec<(&'static str, String)>,
}

impl Expansion {
    /// Reads `node=NAME,pod=NAME,shard=N`.
    pub fn parse(text: &str) -> Result<Expansion, String> {
        let mut vars = Vec::new();
        for (k, v) in options::parse_key_values(text)? {
            let var = match k.as_str() {
                "node" => "NODE_NAME",
                "pod" => "POD_NAME",
                "shard" => {
                    if v.parse::<u32>().is_err() {
                        return Err(format!("shard must be a number, got {v:?}"));
                    }
                    "SHARD"
                }
                other => {
                    return Err(format!(
                        "unknown key {other:?} (expected node, pod or shard)"
                    ));
                }
            };
            vars.push((var, v));
        }
        Ok(Expansion { vars })
    }

    /// Replaces `$(VAR)` for each given variable, as the config reloader does; other references stay.
    pub fn apply(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (var, value) in &self.vars {
            out = out.replace(&format!("$({var})"), value);
        }
        out
    }
}

/// Picks the agent to render: the one named by `--agent NS/NAME`, or the only one.
pub fn pick_agent<'a>(
    inv: &'a Inventory,
    wanted: Option<&str>,
) -> Result<&'a Object<PrometheusAgent>, String> {
    let key = |a: &Object<PrometheusAgent>| format!("{}/{}", a.namespace(), a.name());
    if let Some(w) = wanted {
        return inv
            .agents
            .iter()
            .find(|a| key(a) == w || (!w.contains('/') && a.name() == w))
            .ok_or_else(|| {
                let all: Vec<String> = inv.agents.iter().map(key).collect();
                format!(
                    "no PrometheusAgent {w} in the input (found: {})",
                    if all.is_empty() {
                        "none".to_string()
                    } else {
                        all.join(", ")
                    }
                )
            });
    }
    match inv.agents.as_slice() {
        [] => Err("the input holds no PrometheusAgent".into()),
        [one] => Ok(one),
        many => {
            let all: Vec<String> = many.iter().map(key).collect();
            Err(format!(
                "the input holds {} PrometheusAgents; pick one with --agent: {}",
                many.len(),
                all.join(", ")
            ))
        }
    }
}

pub fn run(args: RenderArgs, color: ColorChoice) -> CmdResult {
    let settings = args.inputs.settings()?;
    let settings = settings.as_ref();
    let mut opts = operator_options(&args.operator, &args.inputs, settings)?;
    opts.show_secrets = args.show_secrets;
    opts.drop_rejected = args.drop_rejected;
    let expansion = match &args.expand {
        Some(e) => Expansion::parse(e).map_err(|e| Fatal(format!("--expand: {e}")))?,
        None => Expansion::default(),
    };
    if args.only != Some(RenderPart::Config) || args.output_dir.is_some() {
        return render_objects(&args, settings, &opts, &expansion, color);
    }
    let (inputs, inventory) = super::load_for_render(&args.inputs, settings, args.crds.as_deref())?;
    let agent = pick_agent(&inventory, args.agent.as_deref()).map_err(Fatal)?;
    match crate::render::config::render_config(agent, &inventory, &opts) {
        Ok(rendered) => {
            for w in &rendered.warnings {
                eprintln_escaped!("promagent: warning: {}", w.message);
            }
            super::write_stdout(&expansion.apply(&rendered.text))?;
            let file = agent_file(&inputs, agent);
            Ok(
                if config_refused(agent, &rendered.text, rendered.tree, file) {
                    EXIT_FINDINGS
                } else {
                    EXIT_CLEAN
                },
            )
        }
        Err(d) => {
            eprintln_escaped!(
                "promagent: the operator would refuse {}/{}: {}",
                agent.namespace(),
                agent.name(),
                d.message
            );
            Ok(EXIT_FINDINGS)
        }
    }
}

/// The file an agent was read from.
fn agent_file<'i>(
    inputs: &'i crate::load::Inputs,
    agent: &Object<PrometheusAgent>,
) -> Option<&'i str> {
    inputs
        .documents
        .get(agent.doc)
        .map(|d| d.file.name.as_str())
}

/// Checks the agent's generated `prometheus.yml` as the agent's Prometheus (its `spec.version`, or
/// the operator's default) loads it, and reports each refusal on stderr. True when it is refused.
fn config_refused(
    agent: &Object<PrometheusAgent>,
    config: &str,
    tree: Option<crate::render::goyaml::WrittenTree>,
    file: Option<&str>,
) -> bool {
    let options = crate::promconfig::LoadOptions::for_agent(agent.value.spec.version.as_deref());
    let name = format!(
        "prometheus.yml of PrometheusAgent {}/{}",
        agent.namespace(),
        agent.name()
    );
    let source = std::sync::Arc::new(crate::diag::SourceFile::new(name, config.to_string()));
    let refusals: Vec<_> = crate::render::config::check_rendered(&source, tree, &options)
        .into_iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .collect();
    for d in &refusals {
        let line = d
            .line_col()
            .map(|(l, _)| format!(" (line {l})"))
            .unwrap_or_default();
        eprintln_escaped!(
            "promagent: {}PrometheusAgent {}/{}: Prometheus {} would refuse the generated prometheus.yml{line}: {} (the config-reloader's reload fails; see promagent lint)",
            file.map(|f| format!("{f}: ")).unwrap_or_default(),
            agent.namespace(),
            agent.name(),
            options.version,
            d.message.replace('\n', " "),
        );
    }
    !refusals.is_empty()
}

/// Renders every agent (or the one of `--agent`): the objects as a YAML stream, or with `-o DIR`
/// one file per object plus each agent's `prometheus.yaml`.
fn render_objects(
    args: &RenderArgs,
    settings: Option<&Settings>,
    opts: &OperatorOptions,
    expansion: &Expansion,
    color: ColorChoice,
) -> CmdResult {
    use crate::render::workloads::{AgentRender, ObjectKind, agent_mode, render_agent};
    let (inputs, inventory) = super::load_for_render(&args.inputs, settings, args.crds.as_deref())?;
    let agents: Vec<&Object<PrometheusAgent>> = match &args.agent {
        Some(_) => vec![pick_agent(&inventory, args.agent.as_deref()).map_err(Fatal)?],
        None if inventory.agents.is_empty() => {
            return Err(Fatal("the input holds no PrometheusAgent".into()));
        }
        None => inventory.agents.iter().collect(),
    };
    let keep = |kind: ObjectKind| match args.only {
        None => true,
        Some(RenderPart::Workloads) => kind.is_workload(),
        Some(RenderPart::Secrets) => kind == ObjectKind::Secret,
        Some(RenderPart::Config) => false,
    };
    let mut renders: Vec<AgentRender> = Vec::new();
    let mut refused = false;
    for agent in agents {
        match render_agent(agent, &inventory, opts, agent_mode(&agent.value)) {
            Ok(mut r) => {
                for w in &r.warnings {
                    eprintln_escaped!("promagent: warning: {}", w.message);
                }
                if agent.value.spec.paused == Some(true) {
                    eprintln_escaped!(
                        "promagent: note: {}/{} is paused: the operator leaves its objects as they are",
                        r.namespace,
                        r.name
                    );
                }
                r.objects.retain(|o| keep(o.kind));
                let file = agent_file(&inputs, agent);
                refused |= config_refused(agent, &r.config, r.config_tree.take(), file);
                for refusal in r.objects.iter().flat_map(crate::render::validate::validate) {
                    eprintln_escaped!(
                        "promagent: {}PrometheusAgent {}/{}: {}",
                        file.map(|f| format!("{f}: ")).unwrap_or_default(),
                        r.namespace,
                        r.name,
                        refusal.summary()
                    );
                    refused = true;
                }
                renders.push(r);
            }
            Err(d) => {
                eprintln_escaped!(
                    "promagent: the operator would refuse {}/{}: {}",
                    agent.namespace(),
                    agent.name(),
                    d.message
                );
                refused = true;
            }
        }
    }
    if let Some(dir) = &args.output_dir {
        let mut files = Vec::new();
        for r in &renders {
            for o in &r.objects {
                files.push(crate::emit::dir::OutputFile {
                    path: crate::emit::dir::object_path(
                        &r.namespace,
                        &r.name,
                        o.kind.as_str(),
                        &o.name,
                    )
                    .map_err(Fatal)?,
                    contents: crate::emit::yaml::object(o),
                });
            }
            if matches!(args.only, None | Some(RenderPart::Config)) {
                files.push(crate::emit::dir::OutputFile {
                    path: crate::emit::dir::config_path(&r.namespace, &r.name).map_err(Fatal)?,
                    contents: expansion.apply(&r.config),
                });
            }
        }
        let report = crate::emit::dir::write(dir, &files, args.prune).map_err(Fatal)?;
        eprintln_escaped!(
            "promagent: {}: {} written, {} unchanged, {} removed",
            dir.display(),
            report.written.len(),
            report.unchanged.len(),
            report.removed.len()
        );
        if !report.stale.is_empty() {
            eprintln_escaped!(
                "promagent: {} file(s) from an earlier render are no longer produced (remove them with --prune)",
                report.stale.len()
            );
        }
    } else {
        let _ = color;
        let groups = renders.iter().map(|r| {
            (
                format!(
                    "PrometheusAgent {}/{} ({} mode)",
                    r.namespace,
                    r.name,
                    r.mode.as_str()
                ),
                r.objects.as_slice(),
            )
        });
        super::write_stdout(&crate::emit::yaml::titled_streams(groups))?;
    }
    Ok(if refused { EXIT_FINDINGS } else { EXIT_CLEAN })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expansion_replaces_known_variables() {
        let e = Expansion::parse("node=worker-1,shard=2").unwrap();
        assert_eq!(
            e.apply("field: spec.nodeName=$(NODE_NAME)\nr: $(SHARD);|.+;.+\np: $(POD_NAME)"),
            "field: spec.nodeName=worker-1\nr: 2;|.+;.+\np: $(POD_NAME)"
        );
        assert!(Expansion::parse("shard=x").is_err());
        assert!(Expansion::parse("zone=a").is_err());
    }
}
