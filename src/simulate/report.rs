//! The `promagent targets` report: for each agent, its pods and what each of them scrapes; the
//! targets two agent pods would both scrape (overlaps); the targets no agent pod scrapes because
//! the DaemonSet does not land on their node (misses); and notes that do not fail a run. Printed
//! as a human summary or as JSON whose targets have the shape of Prometheus's `/api/v1/targets`.

use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// A label set, sorted by name as Prometheus prints it.
pub type Labels = BTreeMap<String, String>;

/// The workload kind of an agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum AgentMode {
    DaemonSet,
    StatefulSet,
}

impl AgentMode {
    pub fn as_str(self) -> &'static str {
        match self {
            AgentMode::DaemonSet => "DaemonSet",
            AgentMode::StatefulSet => "StatefulSet",
        }
    }
}

/// Where an agent pod runs: on one node (DaemonSet mode), or as a replica of a shard.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Placement {
    Node(String),
    Shard { shard: u32, replica: u32 },
}

/// A target an agent pod scrapes, as `/api/v1/targets` lists it under `activeTargets`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveTarget {
    pub scrape_pool: String,
    pub scrape_url: String,
    /// The target's labels after relabeling, without the `__` labels.
    pub labels: Labels,
    /// The labels service discovery gave, before relabeling.
    pub discovered_labels: Labels,
    pub scrape_interval: String,
    pub scrape_timeout: String,
}

/// A discovered target that relabeling drops, as listed under `droppedTargets`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DroppedTarget {
    pub scrape_pool: String,
    pub discovered_labels: Labels,
}

/// One agent pod and its targets.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentPod {
    pub pod: String,
    pub placement: Placement,
    pub active: Vec<ActiveTarget>,
    pub dropped: Vec<DroppedTarget>,
}

/// A node that a DaemonSet-mode agent has no pod on, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeWithoutPod {
    pub node: String,
    pub reason: String,
}

/// Everything simulated for one agent.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentTargets {
    /// `NAMESPACE/NAME`.
    pub agent: String,
    pub mode: AgentMode,
    pub pods: Vec<AgentPod>,
    pub nodes_without_pod: Vec<NodeWithoutPod>,
}

/// An agent pod, named for overlaps.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PodRef {
    pub agent: String,
    pub pod: String,
}

/// A target (scrape URL and labels) that more than one agent pod scrapes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overlap {
    pub scrape_url: String,
    pub labels: Labels,
    pub scraped_by: Vec<PodRef>,
}

/// A target no agent pod scrapes, which an agent pod would scrape if one ran on its node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Missed {
    pub scrape_url: String,
    pub labels: Labels,
    pub agent: String,
    pub node: String,
    pub reason: String,
}

/// What would be scraped if the agent had a pod on a node it does not land on.
#[derive(Clone, Debug, PartialEq)]
pub struct Unplaced {
    pub agent: String,
    pub node: String,
    pub reason: String,
    pub active: Vec<ActiveTarget>,
}

/// The whole report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    pub agents: Vec<AgentTargets>,
    pub overlaps: Vec<Overlap>,
    pub missed: Vec<Missed>,
    /// Facts worth knowing that do not fail a run (a selected pod without an IP yet, …).
    pub notes: Vec<String>,
}

/// Which agent pod scrapes a target: replicas of one shard count once, since they scrape the same
/// targets on purpose.
fn scraper(agent: &str, pod: &AgentPod) -> (String, Placement) {
    let placement = match &pod.placement {
        Placement::Shard { shard, .. } => Placement::Shard {
            shard: *shard,
            replica: 0,
        },
        node => node.clone(),
    };
    (agent.to_string(), placement)
}

type TargetKey = (String, Labels);

/// A scraper (agent and placement, replicas folded) and the pod named for it.
type ScrapedBy = Vec<((String, Placement), PodRef)>;

fn key(t: &ActiveTarget) -> TargetKey {
    (t.scrape_url.clone(), t.labels.clone())
}

impl Report {
    /// Builds the report: overlaps between the agents' pods, and misses from what the agents would
    /// scrape on the nodes they do not land on (less what some agent pod scrapes anyway).
    pub fn new(agents: Vec<AgentTargets>, unplaced: Vec<Unplaced>, notes: Vec<String>) -> Report {
        let mut scrapers: BTreeMap<TargetKey, ScrapedBy> = BTreeMap::new();
        for agent in &agents {
            for pod in &agent.pods {
                let who = scraper(&agent.agent, pod);
                for t in &pod.active {
                    let entry = scrapers.entry(key(t)).or_default();
                    if !entry.iter().any(|(w, _)| *w == who) {
                        entry.push((
                            who.clone(),
                            PodRef {
                                agent: agent.agent.clone(),
                                pod: pod.pod.clone(),
                            },
                        ));
                    }
                }
            }
        }
        let overlaps = scrapers
            .iter()
            .filter(|(_, by)| by.len() > 1)
            .map(|((url, labels), by)| Overlap {
                scrape_url: url.clone(),
                labels: labels.clone(),
                scraped_by: by.iter().map(|(_, p)| p.clone()).collect(),
            })
            .collect();
        let mut missed = Vec::new();
        let mut seen = BTreeSet::new();
        for u in &unplaced {
            for t in &u.active {
                let k = key(t);
                if scrapers.contains_key(&k) || !seen.insert(k) {
                    continue;
                }
                missed.push(Missed {
                    scrape_url: t.scrape_url.clone(),
                    labels: t.labels.clone(),
                    agent: u.agent.clone(),
                    node: u.node.clone(),
                    reason: u.reason.clone(),
                });
            }
        }
        missed.sort_by(|a, b| (&a.scrape_url, &a.labels).cmp(&(&b.scrape_url, &b.labels)));
        Report {
            agents,
            overlaps,
            missed,
            notes,
        }
    }

    /// Keeps what concerns the given node, agent and job (each when given). Overlaps and misses
    /// were computed on the whole input, so filtering shows them, it does not change them.
    pub fn filter(&mut self, filter: &Filter) {
        let job_ok = |labels: &Labels| {
            filter
                .job
                .as_ref()
                .is_none_or(|j| labels.get("job") == Some(j))
        };
        let agent_ok = |agent: &str| filter.agent.as_ref().is_none_or(|a| a == agent);
        self.agents.retain(|a| agent_ok(&a.agent));
        for agent in &mut self.agents {
            if let Some(node) = &filter.node {
                agent.pods.retain(|p| {
                    matches!(&p.placement, Placement::Node(n) if n == node)
                        || !matches!(p.placement, Placement::Node(_))
                });
                agent.nodes_without_pod.retain(|n| &n.node == node);
            }
            for pod in &mut agent.pods {
                pod.active.retain(|t| job_ok(&t.labels));
                pod.dropped
                    .retain(|t| filter.job.as_ref().is_none_or(|j| &t.scrape_pool == j));
            }
        }
        let node_of: BTreeMap<PodRef, Option<String>> = self
            .agents
            .iter()
            .flat_map(|a| {
                a.pods.iter().map(|p| {
                    let node = match &p.placement {
                        Placement::Node(n) => Some(n.clone()),
                        Placement::Shard { .. } => None,
                    };
                    (
                        PodRef {
                            agent: a.agent.clone(),
                            pod: p.pod.clone(),
                        },
                        node,
                    )
                })
            })
            .collect();
        self.overlaps.retain(|o| {
            job_ok(&o.labels)
                && o.scraped_by.iter().any(|p| node_of.contains_key(p))
                && (filter.agent.is_none() || o.scraped_by.iter().any(|p| agent_ok(&p.agent)))
        });
        self.missed.retain(|m| {
            job_ok(&m.labels)
                && agent_ok(&m.agent)
                && filter.node.as_ref().is_none_or(|n| &m.node == n)
        });
    }

    /// Exit status: findings when there are overlaps or misses that are not allowed.
    pub fn has_findings(&self, allow_overlap: bool, allow_missed: bool) -> bool {
        (!allow_overlap && !self.overlaps.is_empty()) || (!allow_missed && !self.missed.is_empty())
    }

    /// The report as JSON.
    pub fn to_json(&self) -> Value {
        let agents: Vec<Value> = self.agents.iter().map(agent_json).collect();
        let overlaps: Vec<Value> = self
            .overlaps
            .iter()
            .map(|o| {
                json!({
                    "scrapeUrl": o.scrape_url,
                    "labels": o.labels,
                    "scrapedBy": o.scraped_by.iter().map(|p| json!({"agent": p.agent, "pod": p.pod})).collect::<Vec<_>>(),
                })
            })
            .collect();
        let missed: Vec<Value> = self
            .missed
            .iter()
            .map(|m| {
                json!({
                    "scrapeUrl": m.scrape_url,
                    "labels": m.labels,
                    "agent": m.agent,
                    "node": m.node,
                    "reason": m.reason,
                })
            })
            .collect();
        let mut out = json!({"agents": agents, "overlaps": overlaps, "missed": missed});
        if !self.notes.is_empty() {
            out["notes"] = json!(self.notes);
        }
        out
    }

    /// The report for a terminal: per agent a table of its pods, then their targets; then the
    /// overlaps, the misses and the notes.
    pub fn to_human(&self) -> String {
        let mut out = String::new();
        for (i, agent) in self.agents.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            human_agent(&mut out, agent);
        }
        if self.agents.is_empty() {
            out.push_str("No agent in the input matches.\n");
        }
        if !self.overlaps.is_empty() {
            let _ = writeln!(
                out,
                "\nOverlaps: {} target(s) scraped by more than one agent pod",
                self.overlaps.len()
            );
            for o in &self.overlaps {
                let _ = writeln!(out, "  {} {}", o.scrape_url, labels_text(&o.labels));
                for p in &o.scraped_by {
                    let _ = writeln!(out, "    scraped by {} ({})", p.pod, p.agent);
                }
            }
        }
        if !self.missed.is_empty() {
            let _ = writeln!(
                out,
                "\nMissed: {} target(s) no agent pod scrapes",
                self.missed.len()
            );
            for m in &self.missed {
                let _ = writeln!(out, "  {} {}", m.scrape_url, labels_text(&m.labels));
                let _ = writeln!(
                    out,
                    "    on node {}: {} has no pod there: {}",
                    m.node, m.agent, m.reason
                );
            }
        }
        if !self.notes.is_empty() {
            out.push_str("\nNotes:\n");
            for n in &self.notes {
                let _ = writeln!(out, "  {n}");
            }
        }
        if self.overlaps.is_empty() && self.missed.is_empty() && !self.agents.is_empty() {
            out.push_str("\nNo overlaps, no missed targets.\n");
        }
        out
    }
}

/// What `--node`, `--agent` and `--job` keep.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub node: Option<String>,
    pub agent: Option<String>,
    pub job: Option<String>,
}

fn agent_json(agent: &AgentTargets) -> Value {
    let pods: Vec<Value> = agent
        .pods
        .iter()
        .map(|p| {
            let mut pod = serde_json::Map::new();
            pod.insert("pod".into(), json!(p.pod));
            match &p.placement {
                Placement::Node(n) => {
                    pod.insert("node".into(), json!(n));
                }
                Placement::Shard { shard, replica } => {
                    pod.insert("shard".into(), json!(shard));
                    pod.insert("replica".into(), json!(replica));
                }
            }
            pod.insert(
                "activeTargets".into(),
                Value::Array(p.active.iter().map(active_json).collect()),
            );
            pod.insert(
                "droppedTargets".into(),
                Value::Array(p.dropped.iter().map(dropped_json).collect()),
            );
            Value::Object(pod)
        })
        .collect();
    let mut out = json!({"agent": agent.agent, "mode": agent.mode.as_str(), "pods": pods});
    if !agent.nodes_without_pod.is_empty() {
        out["nodesWithoutPod"] = agent
            .nodes_without_pod
            .iter()
            .map(|n| json!({"node": n.node, "reason": n.reason}))
            .collect();
    }
    out
}

/// A target as `/api/v1/targets` prints it before its first scrape.
pub fn active_json(t: &ActiveTarget) -> Value {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Shape<'a> {
        discovered_labels: &'a Labels,
        labels: &'a Labels,
        scrape_pool: &'a str,
        scrape_url: &'a str,
        global_url: &'a str,
        last_error: &'a str,
        last_scrape: &'a str,
        last_scrape_duration: u8,
        health: &'a str,
        scrape_interval: &'a str,
        scrape_timeout: &'a str,
    }
    serde_json::to_value(Shape {
        discovered_labels: &t.discovered_labels,
        labels: &t.labels,
        scrape_pool: &t.scrape_pool,
        scrape_url: &t.scrape_url,
        global_url: &t.scrape_url,
        last_error: "",
        last_scrape: "0001-01-01T00:00:00Z",
        last_scrape_duration: 0,
        health: "unknown",
        scrape_interval: &t.scrape_interval,
        scrape_timeout: &t.scrape_timeout,
    })
    .unwrap_or(Value::Null)
}

pub fn dropped_json(t: &DroppedTarget) -> Value {
    json!({"discoveredLabels": t.discovered_labels, "scrapePool": t.scrape_pool})
}

fn human_agent(out: &mut String, agent: &AgentTargets) {
    let _ = writeln!(
        out,
        "PrometheusAgent {} ({} mode)",
        agent.agent,
        agent.mode.as_str()
    );
    let where_header = match agent.mode {
        AgentMode::DaemonSet => "NODE",
        AgentMode::StatefulSet => "SHARD",
    };
    let rows: Vec<[String; 3]> = agent
        .pods
        .iter()
        .map(|p| {
            let place = match &p.placement {
                Placement::Node(n) => n.clone(),
                Placement::Shard { shard, replica } if *replica == 0 => shard.to_string(),
                Placement::Shard { shard, replica } => format!("{shard} (replica {replica})"),
            };
            [p.pod.clone(), place, p.active.len().to_string()]
        })
        .collect();
    let header = [
        "AGENT POD".to_string(),
        where_header.to_string(),
        "TARGETS".to_string(),
    ];
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].len())
            .chain([header[i].len()])
            .max()
            .unwrap_or(0)
    };
    let (w0, w1) = (width(0), width(1));
    for row in std::iter::once(&header).chain(&rows) {
        let _ = writeln!(out, "  {:w0$}  {:w1$}  {}", row[0], row[1], row[2]);
    }
    for n in &agent.nodes_without_pod {
        let _ = writeln!(out, "  no agent pod on node {}: {}", n.node, n.reason);
    }
    for p in &agent.pods {
        if let Placement::Shard { replica, .. } = p.placement
            && replica > 0
        {
            continue;
        }
        if p.active.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n  {}:", p.pod);
        let jw = p.active.iter().map(|t| job(t).len()).max().unwrap_or(0);
        for t in &p.active {
            let _ = writeln!(out, "    {:jw$}  {}", job(t), address(&t.scrape_url));
        }
    }
}

fn job(t: &ActiveTarget) -> &str {
    t.labels
        .get("job")
        .map_or(t.scrape_pool.as_str(), String::as_str)
}

/// `host:port` of a scrape URL.
fn address(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}

/// `{a="1", b="2"}`, as Prometheus prints a label set.
pub fn labels_text(labels: &Labels) -> String {
    let parts: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
    format!("{{{}}}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(url: &str, job: &str) -> ActiveTarget {
        ActiveTarget {
            scrape_pool: job.to_string(),
            scrape_url: url.to_string(),
            labels: [("job".to_string(), job.to_string())].into_iter().collect(),
            discovered_labels: Labels::new(),
            scrape_interval: "30s".into(),
            scrape_timeout: "10s".into(),
        }
    }

    fn pod(name: &str, placement: Placement, active: Vec<ActiveTarget>) -> AgentPod {
        AgentPod {
            pod: name.into(),
            placement,
            active,
            dropped: vec![],
        }
    }

    fn shard(shard: u32, replica: u32) -> Placement {
        Placement::Shard { shard, replica }
    }

    #[test]
    fn replicas_of_a_shard_are_not_overlaps() {
        let a = AgentTargets {
            agent: "mon/a".into(),
            mode: AgentMode::StatefulSet,
            pods: vec![
                pod(
                    "prom-agent-a-0",
                    shard(0, 0),
                    vec![target("http://10.0.0.1:80/metrics", "j")],
                ),
                pod(
                    "prom-agent-a-1",
                    shard(0, 1),
                    vec![target("http://10.0.0.1:80/metrics", "j")],
                ),
            ],
            nodes_without_pod: vec![],
        };
        let r = Report::new(vec![a], vec![], vec![]);
        assert!(r.overlaps.is_empty());
        assert!(!r.has_findings(false, false));
    }

    #[test]
    fn two_agents_on_one_target_overlap() {
        let t = target("http://10.0.0.1:80/metrics", "j");
        let sts = AgentTargets {
            agent: "mon/old".into(),
            mode: AgentMode::StatefulSet,
            pods: vec![pod("prom-agent-old-0", shard(0, 0), vec![t.clone()])],
            nodes_without_pod: vec![],
        };
        let ds = AgentTargets {
            agent: "mon/new".into(),
            mode: AgentMode::DaemonSet,
            pods: vec![pod(
                "prom-agent-new@n1",
                Placement::Node("n1".into()),
                vec![t],
            )],
            nodes_without_pod: vec![],
        };
        let r = Report::new(vec![sts, ds], vec![], vec![]);
        assert_eq!(r.overlaps.len(), 1);
        assert_eq!(
            r.overlaps[0].scraped_by,
            vec![
                PodRef {
                    agent: "mon/old".into(),
                    pod: "prom-agent-old-0".into()
                },
                PodRef {
                    agent: "mon/new".into(),
                    pod: "prom-agent-new@n1".into()
                },
            ]
        );
        assert!(r.has_findings(false, false));
        assert!(!r.has_findings(true, false));
    }

    #[test]
    fn misses_leave_out_what_another_pod_scrapes() {
        let scraped = target("http://10.0.0.1:80/metrics", "j");
        let lost = target("http://10.0.0.2:80/metrics", "j");
        let sts = AgentTargets {
            agent: "mon/old".into(),
            mode: AgentMode::StatefulSet,
            pods: vec![pod("prom-agent-old-0", shard(0, 0), vec![scraped.clone()])],
            nodes_without_pod: vec![],
        };
        let unplaced = Unplaced {
            agent: "mon/new".into(),
            node: "n3".into(),
            reason: "the node's taint a:NoSchedule is not tolerated".into(),
            active: vec![scraped, lost.clone()],
        };
        let r = Report::new(vec![sts], vec![unplaced], vec![]);
        assert_eq!(r.missed.len(), 1);
        assert_eq!(r.missed[0].scrape_url, lost.scrape_url);
        assert!(r.has_findings(false, false));
        assert!(!r.has_findings(false, true));
    }

    #[test]
    fn filters_keep_one_node_agent_or_job() {
        let ds = AgentTargets {
            agent: "mon/new".into(),
            mode: AgentMode::DaemonSet,
            pods: vec![
                pod(
                    "prom-agent-new@n1",
                    Placement::Node("n1".into()),
                    vec![target("http://a:1/m", "x"), target("http://b:1/m", "y")],
                ),
                pod(
                    "prom-agent-new@n2",
                    Placement::Node("n2".into()),
                    vec![target("http://c:1/m", "x")],
                ),
            ],
            nodes_without_pod: vec![],
        };
        let mut r = Report::new(vec![ds], vec![], vec![]);
        r.filter(&Filter {
            node: Some("n1".into()),
            job: Some("x".into()),
            agent: None,
        });
        assert_eq!(r.agents[0].pods.len(), 1);
        assert_eq!(r.agents[0].pods[0].active.len(), 1);
        assert_eq!(r.agents[0].pods[0].active[0].scrape_url, "http://a:1/m");
        r.filter(&Filter {
            agent: Some("mon/other".into()),
            ..Filter::default()
        });
        assert!(r.agents.is_empty());
    }

    #[test]
    fn active_targets_have_the_api_shape() {
        let v = active_json(&target("http://10.0.0.1:80/metrics", "j"));
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "discoveredLabels",
                "labels",
                "scrapePool",
                "scrapeUrl",
                "globalUrl",
                "lastError",
                "lastScrape",
                "lastScrapeDuration",
                "health",
                "scrapeInterval",
                "scrapeTimeout"
            ]
        );
        assert_eq!(v["health"], "unknown");
    }

    #[test]
    fn labels_print_as_prometheus_prints_them() {
        let l: Labels = [
            ("job".to_string(), "a\"b".to_string()),
            ("a".to_string(), "1".to_string()),
        ]
        .into_iter()
        .collect();
        assert_eq!(labels_text(&l), r#"{a="1", job="a\"b"}"#);
    }
}
