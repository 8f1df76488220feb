//! The generated corpora of the performance benchmarks and of `benches/compare.sh`: one
//! DaemonSet-mode agent and N PodMonitors, about 500 bytes each, as a monorepo holds them; and a
//! cluster snapshot for `targets`.
//! Shared by the criterion benchmarks and the `gen-corpus` example, so both measure the same text.
//! Each of them uses only part of it.
#![allow(dead_code)]

use std::fmt::Write as _;

// The allocator of the `promagent` binary, set up as `src/main.rs` does, so that a benchmark
// measures what the command does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Keeps freed pages in the process, as `src/main.rs` does (`mi_option_purge_delay` = -1).
pub fn allocator_as_the_binary() {
    // SAFETY: sets a process-wide allocator option; mimalloc allows that at any time.
    unsafe { libmimalloc_sys::mi_option_set(15, -1) };
}

/// The agent that selects every PodMonitor of the corpus.
pub fn agent() -> String {
    "apiVersion: monitoring.coreos.com/v1alpha1
kind: PrometheusAgent
metadata:
  name: node-local
  namespace: monitoring
spec:
  mode: DaemonSet
  scrapeInterval: 30s
  podMonitorSelector:
    matchLabels:
      scrape: node-local
  podMonitorNamespaceSelector: {}
  externalLabels:
    cluster: bench
  remoteWrite:
  - url: https://metrics.example.com/api/v1/write
  tolerations:
  - operator: Exists
"
    .to_string()
}

/// PodMonitor number `i`: a team's namespace, a label selector, one endpoint with relabelings.
pub fn pod_monitor(i: usize) -> String {
    let mut text = String::with_capacity(560);
    let _ = write!(
        text,
        "apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  name: app-{i}
  namespace: team-{team}
  labels:
    scrape: node-local
    team: team-{team}
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: app-{i}
  podMetricsEndpoints:
  - port: metrics
    path: /metrics
    interval: 30s
    scrapeTimeout: 10s
    relabelings:
    - sourceLabels: [__meta_kubernetes_pod_label_version]
      targetLabel: version
    - sourceLabels: [__meta_kubernetes_pod_node_name]
      targetLabel: node
",
        team = i % 100
    );
    text
}

/// The whole corpus as one multi-document file: the agent, then `pod_monitors` PodMonitors.
pub fn one_file(pod_monitors: usize) -> String {
    let mut text = agent();
    text.reserve(pod_monitors * 600);
    for i in 0..pod_monitors {
        text.push_str("---\n");
        text.push_str(&pod_monitor(i));
    }
    text
}

pub const NODES: usize = 500;
pub const PODS: usize = 20_000;
pub const MONITORS: usize = 50;

/// The `targets` corpus: 500 nodes (every hundredth tainted), 20,000 running pods spread over
/// them, and one DaemonSet-mode agent whose 50 PodMonitors select 400 pods each.
pub fn cluster() -> String {
    let mut text = String::from(
        "apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: agent\n  namespace: monitoring\nspec:\n  mode: DaemonSet\n  podMonitorSelector: {}\n  podMonitorNamespaceSelector: {}\n",
    );
    for i in 0..MONITORS {
        let _ = write!(
            text,
            "---\napiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata:\n  name: pm-{i}\n  namespace: ns-{}\nspec:\n  selector:\n    matchLabels:\n      app: app-{i}\n  podMetricsEndpoints:\n  - port: metrics\n",
            i % 10
        );
    }
    for n in 0..NODES {
        let _ = write!(
            text,
            "---\napiVersion: v1\nkind: Node\nmetadata:\n  name: node-{n}\n  labels:\n    kubernetes.io/os: linux\n"
        );
        if n % 100 == 99 {
            text.push_str(
                "spec:\n  taints:\n  - key: dedicated\n    value: db\n    effect: NoSchedule\n",
            );
        }
    }
    for p in 0..PODS {
        let app = p % MONITORS;
        let _ = write!(
            text,
            "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-{p}\n  namespace: ns-{}\n  uid: uid-{p}\n  labels:\n    app: app-{app}\nspec:\n  nodeName: node-{}\n  containers:\n  - name: c\n    ports:\n    - name: metrics\n      containerPort: 8080\nstatus:\n  phase: Running\n  podIP: 10.{}.{}.{}\n",
            app % 10,
            p % NODES,
            p / 65536,
            (p / 256) % 256,
            p % 256
        );
    }
    text
}

/// The parse floor: every event saphyr-parser reads from `text`, and nothing else. The number of
/// events, so that the walk cannot be optimised away.
pub fn parse_floor(text: &str) -> usize {
    let mut events = 0;
    for event in saphyr_parser::Parser::new_from_str(text) {
        if event.is_err() {
            break;
        }
        events += 1;
    }
    events
}

/// Criterion's mean estimate, in nanoseconds, of `group/function` in this run, if it has one.
pub fn mean_ns(group: &str, function: &str) -> Option<f64> {
    let base = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from("target"));
    let path = base
        .join("criterion")
        .join(group)
        .join(function)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    value["mean"]["point_estimate"].as_f64()
}

/// Prints `a / b` of two measured functions of `group`, labelled, when both ran.
pub fn print_ratio(group: &str, label: &str, a: &str, b: &str) {
    if let (Some(x), Some(y)) = (mean_ns(group, a), mean_ns(group, b)) {
        println!(
            "{group}: {label}: {:.2}x ({a} {:.1} ms / {b} {:.1} ms)",
            x / y,
            x / 1e6,
            y / 1e6
        );
    }
}

/// Ends a benchmark binary: criterion's summary, then `{name}_{size}` against `parse_floor_{size}`
/// for each size, and the last size against the first.
pub fn summarise(group: &str, name: &str, sizes: &[&str]) {
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
    for size in sizes {
        print_ratio(
            group,
            "against the parse floor",
            &format!("{name}_{size}"),
            &format!("parse_floor_{size}"),
        );
    }
    if let [first, .., last] = sizes {
        print_ratio(
            group,
            &format!("{last} against {first}"),
            &format!("{name}_{last}"),
            &format!("{name}_{first}"),
        );
    }
}
