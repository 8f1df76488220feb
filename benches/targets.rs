//! `promagent targets` on a large cluster: 500 nodes, 20,000 pods, one DaemonSet-mode agent with 50
//! PodMonitors. The goal is under 2 s on 2 cores; the second benchmark includes parsing and
//! decoding the 5.5 MB input, as the command does.

use criterion::{Criterion, criterion_group, criterion_main};
use promagent::load::Inputs;
use promagent::model::Inventory;
use promagent::render::options::OperatorOptions;
use promagent::simulate::kubernetes::Cluster;
use promagent::simulate::targets::{PodConfig, Snapshot, scrape_pod, simulate};
use std::fmt::Write as _;

const NODES: usize = 500;
const PODS: usize = 20_000;
const MONITORS: usize = 50;

fn manifests() -> String {
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

/// The simulation of every agent on the cluster snapshot of `inputs`; the number of missed targets.
fn run(inputs: &Inputs, inv: &Inventory, opts: &OperatorOptions) -> usize {
    let (cluster, _) = Cluster::from_documents(&inputs.documents);
    let snapshot = Snapshot::new(cluster);
    let scrape = |ns: &str, config: &PodConfig<'_>| scrape_pod(config, &snapshot, ns);
    let outcome = simulate(&inv.agents, &inputs.documents, inv, opts, &scrape);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    outcome.report.missed.len()
}

fn bench(c: &mut Criterion) {
    let text = manifests();
    let inputs = promagent::load::load_str("bench.yaml", &text);
    let (inv, _) = Inventory::from_documents(&inputs.documents);
    let mut opts = OperatorOptions::default();
    opts.feature_gates.prometheus_agent_daemon_set = true;
    let mut group = c.benchmark_group("targets");
    group.sample_size(10);
    group.bench_function("500_nodes_20k_pods_50_pod_monitors", |b| {
        b.iter(|| run(&inputs, &inv, &opts))
    });
    // The whole command's work after reading the file: parsing, decoding, simulating.
    group.bench_function("load_and_simulate_500_nodes_20k_pods", |b| {
        b.iter(|| {
            let inputs = promagent::load::load_str("bench.yaml", &text);
            let (inv, _) = Inventory::from_documents(&inputs.documents);
            run(&inputs, &inv, &opts)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
