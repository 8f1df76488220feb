//! The agent pods the operator's workloads would run for an agent, and the `prometheus.yml` each
//! one loads: the DaemonSet's pod on every node it lands on (and, for the nodes it does not land
//! on, what keeps it off), or every replica of every shard's StatefulSet.
//!
//! Each pod's config is the rendered one with `$(NODE_NAME)`, `$(POD_NAME)` and `$(SHARD)`
//! replaced, as the config reloader does before Prometheus reads it.

use super::report::{AgentMode, NodeWithoutPod, Placement};
use super::schedule;
use crate::diag::Diagnostic;
use crate::model::{Inventory, Object, PrometheusAgent, PrometheusAgentMode};
use crate::render::options::OperatorOptions;
use crate::render::workloads::{ObjectKind, agent_mode, render_agent};
use k8s_openapi::api::core::v1::{Node, PodSpec};

/// One agent pod and the config it runs.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedPod {
    pub pod: String,
    pub placement: Placement,
    pub config: String,
}

/// A node a DaemonSet-mode agent has no pod on: why, and the config a pod there would run.
#[derive(Clone, Debug, PartialEq)]
pub struct UnplacedNode {
    pub node: NodeWithoutPod,
    pub config: String,
}

/// The pods of one agent.
#[derive(Clone, Debug)]
pub struct AgentPlan {
    /// `NAMESPACE/NAME`.
    pub agent: String,
    pub mode: AgentMode,
    pub pods: Vec<PlannedPod>,
    pub unplaced: Vec<UnplacedNode>,
    /// The rendered config, before the reloader's variables are replaced.
    pub template: String,
    /// What the config renderer noticed (missing Secrets, rejected monitors…).
    pub warnings: Vec<Diagnostic>,
}

/// `prom-agent-NAME@NODE`: a DaemonSet pod's real name has a random suffix, so the node stands in.
pub fn daemon_pod_name(agent: &str, node: &str) -> String {
    format!("prom-agent-{agent}@{node}")
}

/// The pod of a StatefulSet replica: `prom-agent-NAME-R` for shard 0,
/// `prom-agent-NAME-shard-S-R` for the others.
pub fn stateful_pod_name(agent: &str, shard: u32, replica: u32) -> String {
    if shard == 0 {
        format!("prom-agent-{agent}-{replica}")
    } else {
        format!("prom-agent-{agent}-shard-{shard}-{replica}")
    }
}

/// Replaces `$(VAR)` for each given variable, as the config reloader does.
pub fn expand(config: &str, vars: &[(&str, &str)]) -> String {
    let mut out = config.to_string();
    for (var, value) in vars {
        out = out.replace(&format!("$({var})"), value);
    }
    out
}

/// The pods of `agent` on `nodes`, each with its config. Fails when the operator would refuse the
/// agent.
pub fn plan(
    agent: &Object<PrometheusAgent>,
    inventory: &Inventory,
    nodes: &[Node],
    options: &OperatorOptions,
) -> Result<AgentPlan, Diagnostic> {
    let mode = agent_mode(&agent.value);
    let rendered = render_agent(agent, inventory, options, mode)?;
    let name = agent.name();
    let mut plan = AgentPlan {
        agent: format!("{}/{}", agent.namespace(), name),
        mode: match mode {
            PrometheusAgentMode::DaemonSet => AgentMode::DaemonSet,
            PrometheusAgentMode::StatefulSet => AgentMode::StatefulSet,
        },
        pods: Vec::new(),
        unplaced: Vec::new(),
        template: rendered.config.clone(),
        warnings: rendered.warnings.clone(),
    };
    match mode {
        PrometheusAgentMode::DaemonSet => {
            let template = rendered
                .objects
                .iter()
                .find(|o| o.kind == ObjectKind::DaemonSet)
                .and_then(|o| o.manifest.pointer("/spec/template/spec"))
                .cloned()
                .unwrap_or_default();
            let spec: PodSpec = serde_json::from_value(template).unwrap_or_default();
            for node in nodes {
                let node_name = node.metadata.name.as_deref().unwrap_or("");
                let pod = daemon_pod_name(name, node_name);
                let config = expand(
                    &rendered.config,
                    &[("NODE_NAME", node_name), ("POD_NAME", &pod)],
                );
                match schedule::schedule(node, &spec) {
                    Ok(()) => plan.pods.push(PlannedPod {
                        pod,
                        placement: Placement::Node(node_name.to_string()),
                        config,
                    }),
                    Err(why) => plan.unplaced.push(UnplacedNode {
                        node: NodeWithoutPod {
                            node: node_name.to_string(),
                            reason: why.to_string(),
                        },
                        config,
                    }),
                }
            }
        }
        PrometheusAgentMode::StatefulSet => {
            let shards = agent.value.spec.shards.filter(|s| *s > 1).unwrap_or(1) as u32;
            let replicas = agent.value.spec.replicas.filter(|r| *r >= 0).unwrap_or(1) as u32;
            for shard in 0..shards {
                for replica in 0..replicas {
                    let pod = stateful_pod_name(name, shard, replica);
                    let config = expand(
                        &rendered.config,
                        &[("SHARD", &shard.to_string()), ("POD_NAME", &pod)],
                    );
                    plan.pods.push(PlannedPod {
                        pod,
                        placement: Placement::Shard { shard, replica },
                        config,
                    });
                }
            }
        }
    }
    Ok(plan)
}

/// The Nodes of the input (a `kubectl get nodes -o yaml` snapshot), in input order.
pub fn nodes(documents: &[crate::load::Document]) -> Vec<Node> {
    documents
        .iter()
        .filter(|d| d.kind() == "Node" && d.api_version() == "v1")
        .filter_map(|d| serde_json::from_value(d.value.clone()).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_names_follow_the_workload_names() {
        assert_eq!(stateful_pod_name("a", 0, 0), "prom-agent-a-0");
        assert_eq!(stateful_pod_name("a", 0, 1), "prom-agent-a-1");
        assert_eq!(stateful_pod_name("a", 2, 1), "prom-agent-a-shard-2-1");
        assert_eq!(daemon_pod_name("a", "w1"), "prom-agent-a@w1");
    }

    #[test]
    fn expand_replaces_only_the_given_variables() {
        assert_eq!(
            expand(
                "a $(NODE_NAME) $(SHARD) $(X)",
                &[("NODE_NAME", "n"), ("SHARD", "3")]
            ),
            "a n 3 $(X)"
        );
    }

    fn inputs(text: &str) -> (crate::load::Inputs, Inventory) {
        let inputs = crate::load::load_str("test.yaml", text);
        let (inv, _) = Inventory::from_documents(&inputs.documents);
        (inputs, inv)
    }

    const NODES: &str = "
apiVersion: v1
kind: Node
metadata: {name: n1, labels: {kubernetes.io/os: linux}}
---
apiVersion: v1
kind: Node
metadata: {name: n2, labels: {kubernetes.io/os: linux}}
spec:
  taints: [{key: dedicated, value: db, effect: NoSchedule}]
";

    #[test]
    fn daemon_set_pods_land_where_the_rendered_template_allows() {
        let text = format!(
            "{NODES}---
apiVersion: monitoring.coreos.com/v1alpha1
kind: PrometheusAgent
metadata: {{name: a, namespace: mon}}
spec:
  mode: DaemonSet
  nodeSelector: {{kubernetes.io/os: linux}}
"
        );
        let (inputs, inv) = inputs(&text);
        let nodes = nodes(&inputs.documents);
        assert_eq!(nodes.len(), 2);
        let mut opts = OperatorOptions::default();
        opts.feature_gates.prometheus_agent_daemon_set = true;
        let plan = plan(&inv.agents[0], &inv, &nodes, &opts).unwrap();
        assert_eq!(plan.mode, AgentMode::DaemonSet);
        assert_eq!(plan.pods.len(), 1);
        assert_eq!(plan.pods[0].pod, "prom-agent-a@n1");
        assert!(!plan.pods[0].config.contains("$(NODE_NAME)"));
        assert_eq!(plan.unplaced.len(), 1);
        assert_eq!(
            plan.unplaced[0].node.reason,
            "the node's taint dedicated=db:NoSchedule is not tolerated"
        );
    }

    #[test]
    fn stateful_set_pods_are_shards_times_replicas() {
        let text = format!(
            "{NODES}---
apiVersion: monitoring.coreos.com/v1alpha1
kind: PrometheusAgent
metadata: {{name: a, namespace: mon}}
spec: {{shards: 2, replicas: 2}}
"
        );
        let (inputs, inv) = inputs(&text);
        let plan = plan(
            &inv.agents[0],
            &inv,
            &nodes(&inputs.documents),
            &OperatorOptions::default(),
        )
        .unwrap();
        let names: Vec<&str> = plan.pods.iter().map(|p| p.pod.as_str()).collect();
        assert_eq!(
            names,
            [
                "prom-agent-a-0",
                "prom-agent-a-1",
                "prom-agent-a-shard-1-0",
                "prom-agent-a-shard-1-1"
            ]
        );
        assert!(plan.unplaced.is_empty());
    }
}
