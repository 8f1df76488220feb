//! `promagent render --only config FILE` on the generated corpus (`benches/corpus`): one
//! DaemonSet-mode agent that selects 10,000 or 40,000 PodMonitors, next to the parse floor of the
//! same text (saphyr-parser's events, nothing more).
//!
//! `cargo bench --bench render`; at the end it prints render against the floor and 40k against 10k.

#[path = "corpus/mod.rs"]
mod corpus;

use criterion::{Criterion, Throughput, criterion_group};
use promagent::model::Inventory;
use promagent::render::config::render_config;
use promagent::render::options::OperatorOptions;
use std::sync::Arc;

const SIZES: [(usize, &str); 2] = [(10_000, "10k"), (40_000, "40k")];

/// What `render --only config` does after reading the file: admission (for its warnings),
/// decoding, the config, and Prometheus's load of it (for the refusals it reports).
fn render(text: &str) -> usize {
    let inputs = promagent::load::load_str("corpus.yaml", text);
    let admission = promagent::check::admission(&inputs, promagent::crd::embedded_registry());
    let (inventory, _) = Inventory::from_documents(&inputs.documents);
    let mut opts = OperatorOptions::default();
    opts.feature_gates.prometheus_agent_daemon_set = true;
    let rendered = render_config(&inventory.agents[0], &inventory, &opts).expect("renders");
    let source = Arc::new(promagent::diag::SourceFile::new(
        "prometheus.yml",
        rendered.text,
    ));
    let options = promagent::promconfig::LoadOptions::for_agent(None);
    let refusals = promagent::promconfig::check_text(&source, &options);
    assert!(refusals.is_empty(), "{refusals:?}");
    admission.diagnostics.len() + source.text.len()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("render");
    group.sample_size(10);
    for (n, label) in SIZES {
        let text = corpus::one_file(n);
        group.throughput(Throughput::Elements(n as u64 + 1));
        group.bench_function(format!("parse_floor_{label}"), |b| {
            b.iter(|| corpus::parse_floor(&text))
        });
        group.bench_function(format!("render_config_{label}"), |b| {
            b.iter(|| render(&text))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);

fn main() {
    corpus::allocator_as_the_binary();
    benches();
    corpus::summarise("render", "render_config", &SIZES.map(|(_, label)| label));
}
