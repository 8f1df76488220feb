//! Lint throughput on a generated corpus: 10,000 objects (agents, PodMonitors, ServiceMonitors,
//! Namespaces), one in twenty with a defect, read from one multi-document text.
//!
//! `cargo bench --bench lint` reports the time per corpus; objects per second is 10,000 divided by it.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use promagent::check::{self, LintOptions};
use std::fmt::Write;

const OBJECTS: usize = 10_000;

fn corpus() -> String {
    let mut text = String::new();
    let mut n = 0;
    let mut ns = 0;
    while n < OBJECTS {
        ns += 1;
        let defect = ns % 20 == 0;
        let _ = write!(
            text,
            "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-{ns}\n  labels:\n    monitoring: enabled\n"
        );
        let _ = write!(
            text,
            "---\napiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: agent\n  namespace: team-{ns}\nspec:\n  mode: {mode}\n{replicas}  scrapeInterval: 30s\n  podMonitorSelector:\n    matchLabels:\n      team: team-{ns}\n  serviceMonitorSelector: {{}}\n  remoteWrite:\n  - url: https://metrics.example.com/api/v1/write\n",
            mode = if defect { "DaemonSet" } else { "StatefulSet" },
            replicas = if defect { "  replicas: 2\n" } else { "" },
        );
        n += 2;
        for i in 0..3 {
            let interval = if defect && i == 0 { "1 minute" } else { "30s" };
            let _ = write!(
                text,
                "---\napiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata:\n  name: app-{i}\n  namespace: team-{ns}\n  labels:\n    team: team-{ns}\nspec:\n  selector:\n    matchLabels:\n      app: app-{i}\n  podMetricsEndpoints:\n  - port: metrics\n    interval: {interval}\n    relabelings:\n    - sourceLabels: [__meta_kubernetes_pod_label_version]\n      targetLabel: version\n"
            );
            let _ = write!(
                text,
                "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: svc-{i}\n  namespace: team-{ns}\nspec:\n  selector:\n    matchLabels:\n      app: svc-{i}\n  endpoints:\n  - port: http\n    scrapeTimeout: {timeout}\n    interval: 30s\n",
                timeout = if defect && i == 1 { "1m" } else { "10s" },
            );
            n += 2;
        }
    }
    text
}

fn bench_lint(c: &mut Criterion) {
    let text = corpus();
    let mut group = c.benchmark_group("lint");
    group.sample_size(10);
    group.throughput(Throughput::Elements(OBJECTS as u64));
    group.bench_function("10k_objects", |b| {
        b.iter(|| {
            let inputs = promagent::load::load_str("corpus.yaml", &text);
            let options = LintOptions {
                registry: promagent::crd::embedded_registry(),
                rules: check::rules::RuleOptions::default(),
                select: Vec::new(),
                ignore: Vec::new(),
            };
            let report = check::lint(&inputs, &options);
            assert!(
                report
                    .diagnostics
                    .iter()
                    .any(|d| d.severity == promagent::diag::Severity::Error)
            );
            report.objects
        })
    });
    group.finish();
}

criterion_group!(benches, bench_lint);
criterion_main!(benches);
