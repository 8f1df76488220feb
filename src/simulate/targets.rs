//! The whole `promagent targets` simulation: every agent's pods ([`super::pods`]), what each pod's
//! configuration scrapes on the cluster snapshot, what a pod would scrape on the nodes its
//! DaemonSet does not land on, and the notes; gathered into a [`Report`].

use super::pods::{self, AgentPlan};
use super::report::{ActiveTarget, AgentPod, AgentTargets, DroppedTarget, Report, Unplaced};
use crate::diag::Diagnostic;
use crate::model::{Inventory, Object, PrometheusAgent};
use crate::render::options::OperatorOptions;

/// What one agent pod's configuration scrapes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodTargets {
    pub active: Vec<ActiveTarget>,
    pub dropped: Vec<DroppedTarget>,
}

/// The report, and what kept it from being complete: agents the operator would refuse, and agent
/// pods whose configuration could not be simulated.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub report: Report,
    pub warnings: Vec<Diagnostic>,
    pub errors: Vec<String>,
}

/// Simulates `agents` on the cluster snapshot of `documents`. `scrape` turns one pod's
/// `prometheus.yml` into its targets.
pub fn simulate<'a>(
    agents: impl IntoIterator<Item = &'a Object<PrometheusAgent>>,
    documents: &[crate::load::Document],
    inventory: &Inventory,
    options: &OperatorOptions,
    scrape: &dyn Fn(&str) -> Result<PodTargets, String>,
) -> Outcome {
    let nodes = pods::nodes(documents);
    let cluster_pods = super::notes::pods(documents);
    let mut outcome = Outcome::default();
    let mut agent_reports = Vec::new();
    let mut unplaced = Vec::new();
    let mut notes = Vec::new();
    for agent in agents {
        let plan = match pods::plan(agent, inventory, &nodes, options) {
            Ok(plan) => plan,
            Err(d) => {
                outcome.errors.push(format!(
                    "the operator would refuse {}/{}: {}",
                    agent.namespace(),
                    agent.name(),
                    d.message
                ));
                continue;
            }
        };
        let AgentPlan {
            agent: key,
            mode,
            pods,
            unplaced: off_nodes,
            warnings,
        } = plan;
        outcome.warnings.extend(warnings);
        let mut report = AgentTargets {
            agent: key.clone(),
            mode,
            pods: Vec::new(),
            nodes_without_pod: Vec::new(),
        };
        for pod in pods {
            match scrape(&pod.config) {
                Ok(t) => report.pods.push(AgentPod {
                    pod: pod.pod,
                    placement: pod.placement,
                    active: t.active,
                    dropped: t.dropped,
                }),
                Err(e) => outcome.errors.push(format!("{key}: pod {}: {e}", pod.pod)),
            }
        }
        for off in off_nodes {
            match scrape(&off.config) {
                Ok(t) => unplaced.push(Unplaced {
                    agent: key.clone(),
                    node: off.node.node.clone(),
                    reason: off.node.reason.clone(),
                    active: t.active,
                }),
                Err(e) => outcome
                    .errors
                    .push(format!("{key}: a pod on node {}: {e}", off.node.node)),
            }
            report.nodes_without_pod.push(off.node);
        }
        for note in super::notes::notes(agent, inventory, &cluster_pods, options) {
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
        agent_reports.push(report);
    }
    outcome.report = Report::new(agent_reports, unplaced, notes);
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    const INPUT: &str = "
apiVersion: monitoring.coreos.com/v1alpha1
kind: PrometheusAgent
metadata: {name: a, namespace: mon}
spec:
  mode: DaemonSet
  podMonitorSelector: {}
  podMonitorNamespaceSelector: {}
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: p, namespace: mon}
spec:
  selector: {}
  podMetricsEndpoints: [{port: metrics}]
---
apiVersion: v1
kind: Node
metadata: {name: n1}
---
apiVersion: v1
kind: Node
metadata: {name: n2}
spec: {taints: [{key: k, effect: NoExecute}]}
";

    /// A stand-in for service discovery: one target per node named in the pod's field selector.
    fn by_node(config: &str) -> Result<PodTargets, String> {
        let node = config
            .split("spec.nodeName=")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .ok_or("no node selector")?;
        let target = ActiveTarget {
            scrape_pool: "p".into(),
            scrape_url: format!("http://{node}:8080/metrics"),
            labels: [("job".to_string(), "p".to_string())].into_iter().collect(),
            discovered_labels: Default::default(),
            scrape_interval: "30s".into(),
            scrape_timeout: "10s".into(),
        };
        Ok(PodTargets {
            active: vec![target],
            dropped: vec![],
        })
    }

    #[test]
    fn each_pod_runs_its_own_config_and_unplaced_nodes_give_misses() {
        let inputs = crate::load::load_str("t.yaml", INPUT);
        let (inv, _) = Inventory::from_documents(&inputs.documents);
        let mut opts = OperatorOptions::default();
        opts.feature_gates.prometheus_agent_daemon_set = true;
        let out = simulate(&inv.agents, &inputs.documents, &inv, &opts, &by_node);
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        let r = &out.report;
        assert_eq!(r.agents[0].pods.len(), 1);
        assert_eq!(
            r.agents[0].pods[0].active[0].scrape_url,
            "http://n1:8080/metrics"
        );
        assert_eq!(r.missed.len(), 1);
        assert_eq!(r.missed[0].scrape_url, "http://n2:8080/metrics");
        assert_eq!(
            r.missed[0].reason,
            "the node's taint k:NoExecute is not tolerated"
        );
    }
}
