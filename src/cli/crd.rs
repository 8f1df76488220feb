//! `promagent crd`: prints the CustomResourceDefinitions promagent validates against, generated from
//! its typed model.

use super::{CmdResult, EXIT_CLEAN, Fatal};
use clap::{Args, ValueEnum};

/// Print the CustomResourceDefinitions promagent validates against.
#[derive(Debug, Args)]
#[command(after_help = "\
These are generated from promagent's typed model and match Prometheus Operator v0.93.0.

Examples:
  promagent crd --kind PrometheusAgent            the PrometheusAgent CRD as YAML
  promagent crd --format json > crds.json         all five CRDs as a JSON array
  kubectl get crd prometheusagents.monitoring.coreos.com -o yaml > cluster.yaml
  promagent lint --crds cluster.yaml agent.yaml   validate against the cluster's own CRD instead")]
pub struct CrdArgs {
    /// Only this kind: PrometheusAgent, PodMonitor, ServiceMonitor, Probe or ScrapeConfig.
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = CrdFormat::Yaml)]
    pub format: CrdFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CrdFormat {
    Yaml,
    Json,
}

pub fn run(args: CrdArgs) -> CmdResult {
    let crds = match &args.kind {
        None => crate::crd::all(),
        Some(kind) => vec![crate::crd::for_kind(kind).ok_or_else(|| {
            Fatal(format!(
                "unknown kind {kind:?}; expected one of PrometheusAgent, PodMonitor, ServiceMonitor, Probe, ScrapeConfig"
            ))
        })?],
    };
    let text = match args.format {
        CrdFormat::Json if args.kind.is_some() => serde_json::to_string_pretty(&crds[0])? + "\n",
        CrdFormat::Json => serde_json::to_string_pretty(&crds)? + "\n",
        CrdFormat::Yaml => crds
            .iter()
            .map(|crd| {
                format!(
                    "---\n{}",
                    crate::render::goyaml::to_string(&crate::render::goyaml::Yaml::from_json(crd))
                )
            })
            .collect(),
    };
    super::write_stdout(&text)?;
    Ok(EXIT_CLEAN)
}
