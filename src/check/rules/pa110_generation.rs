//! PA110 `generation-refused`: the operator's configuration or workload generator refuses the agent.
#![doc = include_str!("docs/PA110.md")]

use super::RuleInfo;
use super::context::Finding;
use crate::diag::Severity;
use crate::fieldpath::FieldPath;
use crate::model::{Inventory, Object, PrometheusAgent};
use crate::render::options::OperatorOptions;
use crate::render::workloads::{
    RenderedObject, WorkloadInputs, agent_mode, render_objects, tls_assets,
};
use crate::check::selection::Selection;

pub const INFO: RuleInfo = RuleInfo {
    code: "PA110",
    name: "generation-refused",
    summary: "The operator cannot generate the agent's configuration or workload",
    doc: include_str!("docs/PA110.md"),
    default_severity: Severity::Error,
};

/// What the generators made of an agent: the first refusal, or every object the operator creates.
#[derive(Debug, Default)]
pub struct Generated {
    pub refusal: Option<Finding>,
    /// The generated `prometheus.yml`, when the config generator accepted the agent.
    pub config: Option<String>,
    /// The tree `config` was written from (see [`crate::render::config::RenderedConfig::tree`]).
    pub config_tree: Option<crate::render::goyaml::WrittenTree>,
    pub objects: Vec<RenderedObject>,
}

/// Runs the configuration and workload generators on the agent with the monitors it selects, in
/// the agent's mode. The objects feed the checks of what the API server does with them (PA111,
/// PA112), so they are built once per agent.
pub fn generate(
    agent: &Object<PrometheusAgent>,
    inv: &Inventory,
    operator: &OperatorOptions,
    selection: &Selection<'_>,
) -> Generated {
    let config = match crate::render::config::render_selected(agent, inv, operator, selection) {
        Ok(config) => config,
        Err(d) => {
            return Generated {
                refusal: Some(refusal(d.path, d.message)),
                config: None,
                config_tree: None,
                objects: Vec::new(),
            };
        }
    };
    let assets = tls_assets(&config.text, inv);
    let inputs = WorkloadInputs {
        config: &config.text,
        tls_assets: &assets,
    };
    match render_objects(&agent.value, agent_mode(&agent.value), &inputs, operator) {
        Ok(objects) => Generated {
            refusal: None,
            config: Some(config.text),
            config_tree: config.tree,
            objects,
        },
        Err(message) => Generated {
            refusal: Some(refusal(workload_field(&message), message)),
            config: Some(config.text),
            config_tree: config.tree,
            objects: Vec::new(),
        },
    }
}

/// The spec field a workload refusal is about, from the generator's message.
fn workload_field(message: &str) -> FieldPath {
    let spec = FieldPath::root().key("spec");
    if message.contains("web config") {
        spec.key("web")
    } else if message.contains("arguments") {
        spec.key("additionalArgs")
    } else if message.contains("image") {
        spec.key("image")
    } else {
        spec
    }
}

fn refusal(path: FieldPath, message: String) -> Finding {
    Finding {
        code: INFO.code,
        severity: INFO.default_severity,
        path,
        message,
        help: Some("the operator stops reconciling the agent until this is fixed".into()),
        anchor: None,
    }
}

#[cfg(test)]
mod tests {
    use crate::check::{LintOptions, lint, rules::RuleOptions};

    fn codes_and_paths(text: &str) -> Vec<(String, String, usize)> {
        let inputs = crate::load::load_str("agent.yaml", text);
        let options = LintOptions {
            registry: crate::crd::embedded_registry(),
            rules: RuleOptions::default(),
            select: vec!["PA110".into()],
            ignore: Vec::new(),
        };
        lint(&inputs, &options)
            .diagnostics
            .iter()
            .map(|d| (d.code.clone(), d.path.to_string(), d.line_col().map_or(0, |l| l.0)))
            .collect()
    }

    #[test]
    fn web_tls_settings_the_workload_generator_refuses() {
        let found = codes_and_paths(
            "apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: a\n  namespace: m\nspec:\n  podMonitorSelector: {}\n  web:\n    tlsConfig:\n      keySecret: {name: tls, key: k}\n      cert:\n        secret: {name: tls, key: c}\n      certFile: /etc/tls/c\n",
        );
        assert_eq!(found, [("PA110".to_string(), "spec.web".to_string(), 8)]);
    }

    #[test]
    fn a_valid_agent_is_not_refused() {
        let found = codes_and_paths(
            "apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: a\n  namespace: m\nspec:\n  podMonitorSelector: {}\n  web:\n    pageTitle: agent\n",
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
