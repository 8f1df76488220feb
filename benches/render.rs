//! Rendering one agent that selects 10,000 PodMonitors.

use criterion::{Criterion, criterion_group, criterion_main};
use promagent::model::Inventory;
use promagent::render::config::render_config;
use promagent::render::options::OperatorOptions;

fn manifests(n: usize) -> String {
    let mut text = String::from(
        "apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: agent\n  namespace: monitoring\nspec:\n  scrapeInterval: 30s\n  podMonitorSelector: {}\n  podMonitorNamespaceSelector: {}\n",
    );
    for i in 0..n {
        text.push_str(&format!(
            "---\napiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata:\n  name: pm-{i}\n  namespace: ns-{}\n  labels:\n    team: t{}\nspec:\n  selector:\n    matchLabels:\n      app: app-{i}\n  podMetricsEndpoints:\n  - port: metrics\n    interval: 30s\n    relabelings:\n    - sourceLabels: [__meta_kubernetes_pod_node_name]\n      targetLabel: node\n",
            i % 50,
            i % 7
        ));
    }
    text
}

fn bench(c: &mut Criterion) {
    let text = manifests(10_000);
    let inputs = promagent::load::load_str("bench.yaml", &text);
    let (inv, _) = Inventory::from_documents(&inputs.documents);
    let opts = OperatorOptions::default();
    let agent = &inv.agents[0];
    let mut group = c.benchmark_group("render");
    group.sample_size(10);
    group.bench_function("10k_pod_monitors", |b| {
        b.iter(|| {
            render_config(agent, &inv, &opts)
                .expect("renders")
                .text
                .len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
