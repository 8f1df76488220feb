//! The whole `promagent targets` simulation: every agent's pods ([`super::pods`]), what each pod's
//! configuration scrapes on the cluster snapshot, what a pod would scrape on the nodes its
//! DaemonSet does not land on, and the notes; gathered into a [`Report`].
//!
//! A pod's `prometheus.yml` is loaded through [`crate::promconfig`]; each job's
//! `kubernetes_sd_configs` run on the snapshot ([`super::kubernetes`]) and its targets are
//! populated and relabeled ([`super::scrape`]).

use super::kubernetes::{self, Cluster, Role, SdSpec};
use super::pods::{self, AgentPlan};
use super::pools::sd_spec;
use super::relabel::{LabelSet, Step};
use super::report::{
    ActiveTarget, AgentPod, AgentTargets, DroppedTarget, Placement, Report, Unplaced,
};
use super::scrape::{self, ScrapeSettings};
use crate::diag::Diagnostic;
use crate::model::{Inventory, Object, PrometheusAgent};
use crate::promconfig::{self, LoadOptions};
use crate::render::options::OperatorOptions;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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

/// One agent pod's configuration: the text it loads, and the agent's rendered config with the
/// pod's node (DaemonSet mode), from which the text was made.
#[derive(Clone, Copy, Debug)]
pub struct PodConfig<'a> {
    pub text: &'a str,
    pub template: &'a str,
    pub node: Option<&'a str>,
}

/// Simulates `agents` on the cluster snapshot of `documents`. `scrape` turns one pod's
/// configuration into its targets, given the agent's namespace (see [`scrape_pod`]).
pub fn simulate<'a>(
    agents: impl IntoIterator<Item = &'a Object<PrometheusAgent>>,
    documents: &[crate::load::Document],
    inventory: &Inventory,
    options: &OperatorOptions,
    scrape: &(dyn Fn(&str, &PodConfig<'_>) -> Result<PodTargets, String> + Sync),
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
            template,
            warnings,
        } = plan;
        outcome.warnings.extend(warnings);
        let mut report = AgentTargets {
            agent: key.clone(),
            mode,
            pods: Vec::new(),
            nodes_without_pod: Vec::new(),
        };
        // Each pod's simulation is independent: they run on every core, in the pods' order.
        let scraped: Vec<_> = pods
            .into_par_iter()
            .map(|pod| {
                let node = match &pod.placement {
                    Placement::Node(n) => Some(n.as_str()),
                    Placement::Shard { .. } => None,
                };
                let config = PodConfig {
                    text: &pod.config,
                    template: &template,
                    node,
                };
                (scrape(agent.namespace(), &config), pod)
            })
            .collect();
        for (result, pod) in scraped {
            match result {
                Ok(t) => report.pods.push(AgentPod {
                    pod: pod.pod,
                    placement: pod.placement,
                    active: t.active,
                    dropped: t.dropped,
                }),
                Err(e) => outcome.errors.push(format!("{key}: pod {}: {e}", pod.pod)),
            }
        }
        let scraped: Vec<_> = off_nodes
            .into_par_iter()
            .map(|off| {
                let config = PodConfig {
                    text: &off.config,
                    template: &template,
                    node: Some(&off.node.node),
                };
                (scrape(agent.namespace(), &config), off)
            })
            .collect();
        for (result, off) in scraped {
            match result {
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

/// The cluster snapshot as discovery reads it, with the pods of each node set apart: a DaemonSet
/// pod's pod discovery selects `spec.nodeName=<its node>`, so it only needs that node's pods.
pub struct Snapshot {
    pub cluster: Cluster,
    by_node: Mutex<HashMap<String, std::sync::Arc<Cluster>>>,
    /// Loaded node-independent configurations, by text (see [`scrape_pod`]).
    loaded: Mutex<HashMap<String, Arc<Loaded>>>,
}

impl Snapshot {
    pub fn new(cluster: Cluster) -> Snapshot {
        Snapshot {
            cluster,
            by_node: Mutex::new(HashMap::new()),
            loaded: Mutex::new(HashMap::new()),
        }
    }

    /// What pod discovery needs for the pods of one node: those pods, that node, the namespaces
    /// and the owners that `attach_metadata` reads.
    fn for_node(&self, node: &str) -> std::sync::Arc<Cluster> {
        let mut by_node = self.by_node.lock().unwrap_or_else(|e| e.into_inner());
        if by_node.is_empty() {
            let mut split: HashMap<String, Cluster> = HashMap::new();
            for pod in &self.cluster.pods {
                let on = pod
                    .spec
                    .as_ref()
                    .and_then(|s| s.node_name.clone())
                    .unwrap_or_default();
                split.entry(on).or_default().pods.push(pod.clone());
            }
            for n in &self.cluster.nodes {
                let name = n.metadata.name.clone().unwrap_or_default();
                split.entry(name).or_default().nodes.push(n.clone());
            }
            for (_, part) in split {
                let name = part
                    .nodes
                    .first()
                    .and_then(|n| n.metadata.name.clone())
                    .or_else(|| {
                        part.pods
                            .first()
                            .and_then(|p| p.spec.as_ref()?.node_name.clone())
                    })
                    .unwrap_or_default();
                let mut part = part;
                part.namespaces = self.cluster.namespaces.clone();
                part.replica_sets = self.cluster.replica_sets.clone();
                part.jobs = self.cluster.jobs.clone();
                by_node.insert(name, std::sync::Arc::new(part));
            }
            // Marks the split as done even for a cluster without pods or nodes.
            by_node.entry(String::new()).or_default();
        }
        by_node.get(node).cloned().unwrap_or_default()
    }

    /// The objects discovery of `spec` needs to look at.
    fn cluster_for(&self, spec: &SdSpec) -> Option<std::sync::Arc<Cluster>> {
        if spec.role != Role::Pod {
            return None;
        }
        let node = spec
            .selectors
            .get(&Role::Pod)?
            .field
            .requirements
            .iter()
            .find(|r| r.equal && r.field == "spec.nodeName")?;
        Some(self.for_node(&node.value))
    }
}

/// One job of a loaded configuration, with its discovered target groups.
pub struct DiscoveredJob {
    /// Shared by every pod that runs the same configuration: its relabel rules' regexes then
    /// build their matching caches once.
    pub settings: Arc<ScrapeSettings>,
    pub keep_dropped_targets: u64,
    pub groups: Vec<scrape::TargetGroup>,
}

/// Loads a pod's `prometheus.yml` as Prometheus in agent mode does, and runs each job's
/// Kubernetes and static discovery on the snapshot. `own_namespace` is the agent's namespace.
pub fn discover_config(
    config: &str,
    snapshot: &Snapshot,
    own_namespace: &str,
) -> Result<Vec<DiscoveredJob>, String> {
    discover_loaded(&Loaded::new(load(config)?), snapshot, own_namespace, None)
}

/// Loads a configuration as Prometheus in agent mode does.
fn load(config: &str) -> Result<promconfig::Config, String> {
    let options = LoadOptions {
        agent: true,
        ..LoadOptions::default()
    };
    promconfig::load(config, &options).map_err(|errors| {
        let messages: Vec<String> = errors.into_iter().map(|e| e.message).collect();
        format!(
            "Prometheus would not load the configuration: {}",
            messages.join("; ")
        )
    })
}

/// A loaded configuration and the scrape settings of each of its jobs.
pub struct Loaded {
    pub config: promconfig::Config,
    pub settings: Vec<Arc<ScrapeSettings>>,
}

impl Loaded {
    fn new(config: promconfig::Config) -> Self {
        let settings = config
            .scrape_configs
            .iter()
            .map(|job| Arc::new(super::pools::scrape_settings(job)))
            .collect();
        Loaded { config, settings }
    }
}

/// Each job's targets: Kubernetes discovery (with `node` in place of [`NODE_MARKER`] in field
/// selectors, for a DaemonSet pod) and static configs.
fn discover_loaded(
    loaded: &Loaded,
    snapshot: &Snapshot,
    own_namespace: &str,
    node: Option<&str>,
) -> Result<Vec<DiscoveredJob>, String> {
    let mut jobs = Vec::new();
    for (job, settings) in loaded.config.scrape_configs.iter().zip(&loaded.settings) {
        let mut groups = Vec::new();
        for (i, sd) in job.discovery.kubernetes.iter().enumerate() {
            let spec = match node {
                Some(node) => {
                    let mut sd = sd.clone();
                    for selector in &mut sd.selectors {
                        selector.field = selector.field.replace(NODE_MARKER, node);
                    }
                    sd_spec(&sd)
                }
                None => sd_spec(sd),
            }
            .map_err(|e| format!("job {}: {e}", job.job_name))?;
            let part = snapshot.cluster_for(&spec);
            let cluster = part.as_deref().unwrap_or(&snapshot.cluster);
            for g in kubernetes::discover(&spec, cluster, Some(own_namespace)) {
                groups.push(scrape::TargetGroup {
                    source: format!("kubernetes_sd/{i}/{}", g.source),
                    labels: g.labels,
                    targets: g.targets,
                });
            }
        }
        for (i, sc) in job.discovery.static_configs.iter().enumerate() {
            groups.push(scrape::TargetGroup {
                source: i.to_string(),
                labels: sc.labels.iter().cloned().collect(),
                targets: sc
                    .targets
                    .iter()
                    .map(|(t, _)| {
                        [("__address__".to_string(), t.clone())]
                            .into_iter()
                            .collect()
                    })
                    .collect(),
            });
        }
        jobs.push(DiscoveredJob {
            settings: settings.clone(),
            keep_dropped_targets: job.keep_dropped_targets,
            groups,
        });
    }
    Ok(jobs)
}

/// What a pod's `prometheus.yml` scrapes on the snapshot, as `/api/v1/targets` lists it.
pub fn scrape_config(
    config: &str,
    snapshot: &Snapshot,
    own_namespace: &str,
) -> Result<PodTargets, String> {
    targets_of(discover_config(config, snapshot, own_namespace)?)
}

const NODE_MARKER: &str = "promagent-node-name-marker";

/// [`scrape_config`] for an agent pod. The pods of a DaemonSet differ only in `$(NODE_NAME)`,
/// which the operator writes into the field selectors of discovery (and `$(POD_NAME)` into the
/// external labels, which targets do not carry): when that is all, the agent's configuration is
/// loaded once and only the selectors change per node.
pub fn scrape_pod(
    config: &PodConfig<'_>,
    snapshot: &Snapshot,
    own_namespace: &str,
) -> Result<PodTargets, String> {
    let Some(node) = config.node else {
        return scrape_config(config.text, snapshot, own_namespace);
    };
    let template = config.template.replace("$(POD_NAME)", "pod");
    let only_in_selectors = template
        .lines()
        .filter(|l| l.contains("$("))
        .all(|l| l.contains("$(NODE_NAME)") && l.trim_start().starts_with("field:"));
    if !only_in_selectors {
        return scrape_config(config.text, snapshot, own_namespace);
    }
    // Loading would read `$(NODE_NAME)` as the reloader's placeholder: a marker stands in for it.
    let template = template.replace("$(NODE_NAME)", NODE_MARKER);
    let shared = {
        let mut loaded = snapshot.loaded.lock().unwrap_or_else(|e| e.into_inner());
        match loaded.get(&template) {
            Some(c) => c.clone(),
            None => {
                let c = Arc::new(Loaded::new(load(&template)?));
                loaded.insert(template, c.clone());
                c
            }
        }
    };
    targets_of(discover_loaded(
        &shared,
        snapshot,
        own_namespace,
        Some(node),
    )?)
}

fn targets_of(jobs: Vec<DiscoveredJob>) -> Result<PodTargets, String> {
    let mut out = PodTargets::default();
    for job in jobs {
        let pool = scrape::sync(&job.groups, &job.settings, job.keep_dropped_targets);
        for t in pool.active {
            out.active.push(ActiveTarget {
                scrape_pool: job.settings.job_name.clone(),
                scrape_url: t.scrape_url.clone(),
                labels: t.public_labels(),
                scrape_interval: t.scrape_interval().to_string(),
                scrape_timeout: t.scrape_timeout().to_string(),
                discovered_labels: t.discovered_labels,
            });
        }
        for d in pool.dropped {
            out.dropped.push(DroppedTarget {
                scrape_pool: job.settings.job_name.clone(),
                discovered_labels: d,
            });
        }
    }
    Ok(out)
}

/// The relabeling of one discovered target, step by step.
pub struct Explained {
    pub job: String,
    pub discovered: LabelSet,
    pub result: Option<LabelSet>,
    pub steps: Vec<Step>,
}

/// Every discovered target of the pod's configuration whose `__address__` is `address`, with each
/// relabel rule's effect.
pub fn explain_address(
    config: &str,
    snapshot: &Snapshot,
    own_namespace: &str,
    address: &str,
) -> Result<Vec<Explained>, String> {
    let mut out = Vec::new();
    for job in discover_config(config, snapshot, own_namespace)? {
        for group in &job.groups {
            for target in &group.targets {
                let discovered = scrape::discovered_labels(target, &group.labels, &job.settings);
                if discovered.get("__address__").map(String::as_str) != Some(address) {
                    continue;
                }
                let (result, steps) = super::relabel::explain(
                    &discovered,
                    &job.settings.relabel_configs,
                    job.settings.name_validation,
                );
                out.push(Explained {
                    job: job.settings.job_name.clone(),
                    discovered,
                    result,
                    steps,
                });
            }
        }
    }
    Ok(out)
}

/// `key` labels changed by a step, one line each: `+ added`, `- removed`, `~ changed`.
pub fn step_changes(before: &LabelSet, after: &LabelSet) -> Vec<String> {
    let mut lines = Vec::new();
    let names: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for name in names {
        match (before.get(name), after.get(name)) {
            (None, Some(v)) => lines.push(format!("+ {name}={v:?}")),
            (Some(v), None) => lines.push(format!("- {name}={v:?}")),
            (Some(a), Some(b)) if a != b => lines.push(format!("~ {name}: {a:?} -> {b:?}")),
            _ => {}
        }
    }
    lines
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
    fn by_node(_namespace: &str, config: &PodConfig<'_>) -> Result<PodTargets, String> {
        let config = config.text;
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
