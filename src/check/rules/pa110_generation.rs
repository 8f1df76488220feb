//! PA110 `generation-refused`: the operator's configuration or workload generator refuses the agent.
#![doc = include_str!("docs/PA110.md")]

use super::RuleInfo;
use super::context::Finding;
use crate::diag::Severity;
use crate::fieldpath::FieldPath;
use crate::model::{Inventory, Object, PrometheusAgent};
use crate::render::options::OperatorOptions;
use crate::render::workloads::{WorkloadInputs, agent_mode, render_objects, tls_assets};
use crate::select::Selection;

pub const INFO: RuleInfo = RuleInfo {
    code: "PA110",
    name: "generation-refused",
    summary: "The operator cannot generate the agent's configuration or workload",
    doc: include_str!("docs/PA110.md"),
    default_severity: Severity::Error,
};

/// Runs the configuration and workload generators on the agent with the monitors it selects, and
/// returns the first refusal.
pub fn finding(
    agent: &Object<PrometheusAgent>,
    inv: &Inventory,
    operator: &OperatorOptions,
    selection: &Selection<'_>,
) -> Option<Finding> {
    let config = match crate::render::config::render_selected(agent, inv, operator, selection) {
        Ok(config) => config,
        Err(d) => return Some(refusal(d.path, d.message)),
    };
    let assets = tls_assets(&config.text, inv);
    let inputs = WorkloadInputs {
        config: &config.text,
        tls_assets: &assets,
    };
    render_objects(&agent.value, agent_mode(&agent.value), &inputs, operator)
        .err()
        .map(|message| refusal(FieldPath::root().key("spec"), message))
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
