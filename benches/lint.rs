//! `promagent lint FILE` on the generated corpus (`benches/corpus`): one DaemonSet-mode agent and
//! 10,000 or 40,000 PodMonitors in one multi-document file, next to the parse floor, a walk over
//! saphyr-parser's events of the same text and nothing more.
//!
//! `cargo bench --bench lint`; at the end it prints lint against the floor and 40k against 10k.

#[path = "corpus/mod.rs"]
mod corpus;

use criterion::{Criterion, Throughput, criterion_group};
use promagent::check::{self, LintOptions};

const SIZES: [(usize, &str); 2] = [(10_000, "10k"), (40_000, "40k")];

/// What `lint --feature-gates PrometheusAgentDaemonSet=true` does after reading the file.
fn lint(text: &str, objects: usize) -> usize {
    let inputs = promagent::load::load_str("corpus.yaml", text);
    let mut options = LintOptions {
        registry: promagent::crd::embedded_registry(),
        rules: check::rules::RuleOptions::default(),
        select: Vec::new(),
        ignore: Vec::new(),
    };
    options
        .rules
        .operator
        .feature_gates
        .prometheus_agent_daemon_set = true;
    let report = check::lint(&inputs, &options);
    assert_eq!(report.objects, objects);
    report.diagnostics.len()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("lint");
    group.sample_size(10);
    for (n, label) in SIZES {
        let text = corpus::one_file(n);
        group.throughput(Throughput::Elements(n as u64 + 1));
        group.bench_function(format!("parse_floor_{label}"), |b| {
            b.iter(|| corpus::parse_floor(&text))
        });
        group.bench_function(format!("lint_{label}"), |b| b.iter(|| lint(&text, n + 1)));
    }
    group.finish();
}

criterion_group!(benches, bench);

fn main() {
    corpus::allocator_as_the_binary();
    benches();
    corpus::summarise("lint", "lint", &SIZES.map(|(_, label)| label));
}
