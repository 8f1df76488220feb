//! `promagent targets` on a large cluster: 500 nodes, 20,000 pods, one DaemonSet-mode agent with 50
//! PodMonitors. The goal is under 2 s on 2 cores; the second benchmark includes parsing and
//! decoding the 5.5 MB input, as the command does.

#[path = "corpus/mod.rs"]
mod corpus;

use criterion::{Criterion, criterion_group};
use promagent::load::Inputs;
use promagent::model::Inventory;
use promagent::render::options::OperatorOptions;
use promagent::simulate::kubernetes::Cluster;
use promagent::simulate::targets::{PodConfig, Snapshot, scrape_pod, simulate};

/// The simulation of every agent on the cluster snapshot of `inputs`; the number of missed targets.
fn run(inputs: &Inputs, inv: &Inventory, opts: &OperatorOptions) -> usize {
    let (cluster, _) = Cluster::from_documents(&inputs.documents);
    let snapshot = Snapshot::new(cluster);
    // As the human report: dropped targets are counted by each pool, not kept.
    let scrape = |ns: &str, config: &PodConfig<'_>| {
        let mut scraped = scrape_pod(config, &snapshot, ns)?;
        scraped.dropped = Vec::new();
        Ok(scraped)
    };
    let outcome = simulate(&inv.agents, &inputs.documents, inv, opts, &scrape);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    outcome.report.missed.len()
}

fn bench(c: &mut Criterion) {
    let text = corpus::cluster();
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
fn main() {
    corpus::allocator_as_the_binary();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
