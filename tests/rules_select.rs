//! `select::select`: which monitors an agent picks, in which order, and which it rejects; and the
//! per-object `promagent.dev/ignore` annotation of the operator rules.

use promagent::check::rules::{self, RuleOptions};
use promagent::check::selection::select;
use promagent::diag::Severity;
use promagent::load::load_str;
use promagent::model::Inventory;
use promagent::render::options::OperatorOptions;

const NAMESPACES: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: monitoring}
---
apiVersion: v1
kind: Namespace
metadata: {name: apps, labels: {team: a}}
---
apiVersion: v1
kind: Namespace
metadata: {name: other, labels: {team: b}}
";

fn agent(spec: &str) -> String {
    format!(
        "---\napiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata: {{name: agent, namespace: monitoring}}\nspec:\n{spec}\n"
    )
}

fn pod_monitor(ns: &str, name: &str, extra: &str) -> String {
    format!(
        "---\napiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata: {{name: {name}, namespace: {ns}, labels: {{app: {name}}}}}\nspec:\n  selector: {{}}\n  podMetricsEndpoints:\n  - port: metrics\n{extra}"
    )
}

fn service_monitor(ns: &str, name: &str) -> String {
    format!(
        "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  selector: {{}}\n  endpoints:\n  - port: web\n"
    )
}

fn names(text: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    let inputs = load_str("t.yaml", text);
    let (inv, errors) = Inventory::from_documents(&inputs.documents);
    assert!(
        errors.is_empty(),
        "{:?}",
        errors.iter().map(|e| &e.message).collect::<Vec<_>>()
    );
    let sel = select(&inv.agents[0], &inv, &OperatorOptions::default());
    let key = |doc: usize| {
        let d = &inputs.documents[doc];
        format!("{}/{}", d.namespace(), d.name())
    };
    (
        sel.pod_monitors.iter().map(|o| key(o.doc)).collect(),
        sel.service_monitors.iter().map(|o| key(o.doc)).collect(),
        sel.rejected
            .iter()
            .map(|r| format!("{} {}", key(r.doc), r.code))
            .collect(),
    )
}

#[test]
fn nil_selector_selects_nothing_and_empty_selects_all_in_own_namespace() {
    let objects = pod_monitor("monitoring", "b", "")
        + &pod_monitor("monitoring", "a", "")
        + &pod_monitor("apps", "c", "");
    let none = names(&(NAMESPACES.to_string() + &agent("  serviceMonitorSelector: {}") + &objects));
    assert!(none.0.is_empty());
    let all = names(&(NAMESPACES.to_string() + &agent("  podMonitorSelector: {}") + &objects));
    assert_eq!(all.0, ["monitoring/a", "monitoring/b"]);
}

#[test]
fn namespace_and_label_selectors() {
    let objects = pod_monitor("monitoring", "a", "")
        + &pod_monitor("apps", "c", "")
        + &pod_monitor("other", "d", "");
    let by_ns = names(
        &(NAMESPACES.to_string()
            + &agent(
                "  podMonitorSelector: {}\n  podMonitorNamespaceSelector:\n    matchExpressions:\n    - {key: team, operator: Exists}",
            )
            + &objects),
    );
    assert_eq!(by_ns.0, ["apps/c", "other/d"]);
    let by_label = names(
        &(NAMESPACES.to_string()
            + &agent(
                "  podMonitorNamespaceSelector: {}\n  podMonitorSelector:\n    matchExpressions:\n    - {key: app, operator: NotIn, values: [c]}",
            )
            + &objects),
    );
    assert_eq!(by_label.0, ["monitoring/a", "other/d"]);
}

#[test]
fn daemonset_mode_renders_only_pod_monitors() {
    let objects = pod_monitor("monitoring", "a", "") + &service_monitor("monitoring", "s");
    let statefulset = names(
        &(NAMESPACES.to_string()
            + &agent("  podMonitorSelector: {}\n  serviceMonitorSelector: {}")
            + &objects),
    );
    assert_eq!(statefulset.1, ["monitoring/s"]);
    let daemonset = names(
        &(NAMESPACES.to_string()
            + &agent("  mode: DaemonSet\n  podMonitorSelector: {}\n  serviceMonitorSelector: {}")
            + &objects),
    );
    assert_eq!(daemonset.0, ["monitoring/a"]);
    assert!(daemonset.1.is_empty());
}

#[test]
fn invalid_monitors_are_rejected_not_selected() {
    let bad = "    interval: 10s\n    scrapeTimeout: 20s\n";
    let objects = pod_monitor("monitoring", "a", "") + &pod_monitor("monitoring", "bad", bad);
    let (pods, _, rejected) =
        names(&(NAMESPACES.to_string() + &agent("  podMonitorSelector: {}") + &objects));
    assert_eq!(pods, ["monitoring/a"]);
    assert_eq!(rejected, ["monitoring/bad PM202"]);
}

#[test]
fn ignore_annotation_silences_codes_for_one_object() {
    let bad = "    interval: 10s\n    scrapeTimeout: 20s\n";
    let annotated = pod_monitor("monitoring", "quiet", bad).replace(
        "labels: {app: quiet}}",
        "labels: {app: quiet}, annotations: {promagent.dev/ignore: \"PM202\"}}",
    );
    let text = NAMESPACES.to_string()
        + &agent("  podMonitorSelector: {}")
        + &annotated
        + &pod_monitor("monitoring", "loud", bad);
    let inputs = load_str("t.yaml", &text);
    let (inv, _) = Inventory::from_documents(&inputs.documents);
    let found = rules::check(&inputs, &inv, &RuleOptions::default());
    let errors: Vec<String> = found
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{} {}", d.object.as_ref().unwrap().name, d.code))
        .collect();
    assert_eq!(errors, ["loud PM202"]);
}

/// The issue users hit: a selector on `kubernetes.io/metadata.name`, which the API server sets on
/// every Namespace, with a Namespace manifest that does not spell it out.
const BY_NAMESPACE_NAME: &str = "  podMonitorSelector: {}\n  podMonitorNamespaceSelector:\n    matchLabels: {kubernetes.io/metadata.name: shop}";

#[test]
fn namespaces_carry_their_name_label_as_in_a_cluster() {
    let unlabelled = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";
    let text = agent(BY_NAMESPACE_NAME) + unlabelled + &pod_monitor("shop", "checkout", "");
    assert_eq!(names(&text).0, ["shop/checkout"]);

    // A manifest that sets the label to something else is overridden, as the API server does.
    let wrong = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {kubernetes.io/metadata.name: other}}\n";
    let text = agent(BY_NAMESPACE_NAME) + wrong + &pod_monitor("shop", "checkout", "");
    assert_eq!(names(&text).0, ["shop/checkout"]);
}

#[test]
fn a_namespace_without_a_namespace_object_is_assumed_with_its_name_label() {
    let text = agent(BY_NAMESPACE_NAME)
        + &pod_monitor("shop", "checkout", "")
        + &pod_monitor("other", "billing", "");
    assert_eq!(names(&text).0, ["shop/checkout"]);
}

#[test]
fn a_broken_monitor_selected_by_namespace_name_is_reported() {
    let broken = "    interval: 10s\n    scrapeTimeout: 30s\n";
    let text = agent(BY_NAMESPACE_NAME)
        + "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n"
        + &pod_monitor("shop", "checkout", broken);
    let inputs = load_str("t.yaml", &text);
    let options = promagent::check::LintOptions {
        registry: promagent::crd::embedded_registry(),
        rules: RuleOptions::default(),
        select: Vec::new(),
        ignore: Vec::new(),
    };
    let report = promagent::check::lint(&inputs, &options);
    let errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.code.as_str(), d.path.to_string()))
        .collect();
    assert_eq!(
        errors,
        [(
            "PM202",
            "spec.podMetricsEndpoints[0].scrapeTimeout".to_string()
        )],
        "{:#?}",
        report.diagnostics
    );
}
