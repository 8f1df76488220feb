use super::*;
use crate::load::yaml::{Limits, parse};
use crate::promconfig::relabel::decode_list;

fn rules(yaml: &str) -> Vec<RelabelConfig> {
    let parsed = parse(yaml, &Limits::default());
    let node = parsed.documents.first().expect("one YAML document");
    decode_list(node, NameValidation::Utf8).unwrap_or_else(|errors| {
        panic!(
            "rules refused: {:?}",
            errors.iter().map(|e| &e.message).collect::<Vec<_>>()
        )
    })
}

fn labels(pairs: &[(&str, &str)]) -> LabelSet {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn settings(relabel: &str) -> ScrapeSettings {
    ScrapeSettings {
        job_name: "podMonitor/default/web/0".to_string(),
        scheme: "http".to_string(),
        metrics_path: "/metrics".to_string(),
        params: BTreeMap::new(),
        scrape_interval_ms: 30_000,
        scrape_timeout_ms: 10_000,
        convert_classic_histograms_to_nhcb: false,
        always_scrape_classic_histograms: false,
        scrape_native_histograms: false,
        relabel_configs: if relabel.is_empty() {
            Vec::new()
        } else {
            rules(relabel)
        },
        name_validation: NameValidation::Utf8,
    }
}

fn active(outcome: TargetOutcome) -> ActiveTarget {
    match outcome {
        TargetOutcome::Active(target) => target,
        other => panic!("not active: {other:?}"),
    }
}

#[test]
fn defaults_are_added_before_relabeling() {
    let mut s = settings("");
    s.params
        .insert("module".into(), vec!["http_2xx".into(), "second".into()]);
    s.params.insert("empty".into(), vec![]);
    let discovered = discovered_labels(
        &labels(&[("__address__", "10.0.0.1:8080"), ("__meta_pod", "web-0")]),
        &LabelSet::new(),
        &s,
    );
    assert_eq!(
        discovered,
        labels(&[
            ("__address__", "10.0.0.1:8080"),
            ("__always_scrape_classic_histograms__", "false"),
            ("__convert_classic_histograms_to_nhcb__", "false"),
            ("__meta_pod", "web-0"),
            ("__metrics_path__", "/metrics"),
            ("__param_module", "http_2xx"),
            ("__scheme__", "http"),
            ("__scrape_interval__", "30s"),
            ("__scrape_native_histograms__", "false"),
            ("__scrape_timeout__", "10s"),
            ("job", "podMonitor/default/web/0"),
        ])
    );
}

#[test]
fn discovered_labels_win_over_group_labels_and_defaults() {
    let target = labels(&[("__address__", "a:1"), ("job", "mine"), ("zone", "")]);
    let group = labels(&[("zone", "eu"), ("region", "west"), ("__scheme__", "https")]);
    let labels = discovered_labels(&target, &group, &settings(""));
    assert_eq!(labels["job"], "mine");
    assert_eq!(labels["region"], "west");
    assert_eq!(labels["__scheme__"], "https");
    // The target names `zone` (even empty), so the group's value is not used.
    assert!(!labels.contains_key("zone"));
}

#[test]
fn an_active_target_loses_meta_labels_and_gets_an_instance() {
    let s = settings(
        "- {source_labels: [__meta_pod], target_label: pod}\n- {source_labels: [__address__], target_label: __tmp_keep}",
    );
    let target = active(populate(
        &labels(&[("__address__", "10.0.0.1:8080"), ("__meta_pod", "web-0")]),
        &LabelSet::new(),
        &s,
    ));
    assert_eq!(target.discovered_labels["__meta_pod"], "web-0");
    assert!(!target.labels.contains_key("__meta_pod"));
    assert_eq!(target.labels["__tmp_keep"], "10.0.0.1:8080");
    assert_eq!(
        target.public_labels(),
        labels(&[
            ("instance", "10.0.0.1:8080"),
            ("job", "podMonitor/default/web/0"),
            ("pod", "web-0"),
        ])
    );
    assert_eq!(target.scrape_url, "http://10.0.0.1:8080/metrics");
    assert_eq!(target.scrape_interval(), "30s");
    assert_eq!(target.scrape_timeout(), "10s");
}

#[test]
fn an_instance_set_by_relabeling_is_kept() {
    let s = settings("- {target_label: instance, replacement: web-0}");
    let target = active(populate(
        &labels(&[("__address__", "a:1")]),
        &LabelSet::new(),
        &s,
    ));
    assert_eq!(target.labels["instance"], "web-0");
}

#[test]
fn a_rule_can_drop_the_target() {
    let s = settings("- {source_labels: [__meta_phase], regex: Succeeded, action: drop}");
    let input = labels(&[("__address__", "a:1"), ("__meta_phase", "Succeeded")]);
    match populate(&input, &LabelSet::new(), &s) {
        TargetOutcome::Dropped { discovered_labels } => {
            assert_eq!(discovered_labels["__meta_phase"], "Succeeded");
            assert_eq!(discovered_labels["job"], "podMonitor/default/web/0");
        }
        other => panic!("not dropped: {other:?}"),
    }
}

fn refusal(input: &[(&str, &str)], relabel: &str) -> String {
    match populate(&labels(input), &LabelSet::new(), &settings(relabel)) {
        TargetOutcome::Refused { error, .. } => error,
        other => panic!("not refused: {other:?}"),
    }
}

#[test]
fn targets_prometheus_refuses() {
    assert_eq!(refusal(&[("__meta_x", "1")], ""), "no address");
    assert_eq!(
        refusal(&[("__address__", "http://a:1")], ""),
        "\"http://a:1\" is not a valid hostname"
    );
    assert_eq!(
        refusal(
            &[("__address__", "a:1")],
            "- {target_label: __scrape_interval__, replacement: 5x}"
        ),
        "error parsing scrape interval: unknown unit \"x\" in duration \"5x\""
    );
    assert_eq!(
        refusal(
            &[("__address__", "a:1")],
            "- {target_label: __scrape_interval__, replacement: '0'}"
        ),
        "scrape interval cannot be 0"
    );
    assert_eq!(
        refusal(
            &[("__address__", "a:1")],
            "- {target_label: __scrape_timeout__, replacement: 0s}"
        ),
        "scrape timeout cannot be 0"
    );
    assert_eq!(
        refusal(
            &[("__address__", "a:1")],
            "- {target_label: __scrape_timeout__, replacement: 1m}"
        ),
        "scrape timeout cannot be greater than scrape interval (\"1m\" > \"30s\")"
    );
    assert_eq!(
        refusal(
            &[("__address__", "a:1")],
            "- {target_label: __scrape_native_histograms__, replacement: 'yes'}"
        ),
        "error parsing scrape native histograms: strconv.ParseBool: parsing \"yes\": invalid syntax"
    );
}

#[test]
fn the_scrape_url_carries_params_from_config_and_labels() {
    let mut s =
        settings("- {target_label: __param_target, replacement: 'https://example.com/a b'}");
    s.params
        .insert("module".into(), vec!["http_2xx".into(), "b&c".into()]);
    s.params
        .insert("target".into(), vec!["replaced".into(), "kept".into()]);
    s.scheme = "https".into();
    s.metrics_path = "/probe path?".into();
    let target = active(populate(
        &labels(&[("__address__", "[::1]:9115")]),
        &LabelSet::new(),
        &s,
    ));
    assert_eq!(
        target.scrape_url,
        "https://[::1]:9115/probe%20path%3F?module=http_2xx&module=b%26c&target=https%3A%2F%2Fexample.com%2Fa+b&target=kept"
    );
}

#[test]
fn a_path_without_a_leading_slash_gets_one() {
    let url = scrape_url(
        &labels(&[
            ("__address__", "h:1"),
            ("__scheme__", "http"),
            ("__metrics_path__", "m"),
        ]),
        &BTreeMap::new(),
    );
    assert_eq!(url, "http://h:1/m");
}

#[test]
fn durations_print_as_prometheus_prints_them() {
    assert_eq!(format_duration(0), "0s");
    assert_eq!(format_duration(60_000), "1m");
    assert_eq!(format_duration(90_000), "1m30s");
    assert_eq!(format_duration(1_500), "1s500ms");
    assert_eq!(format_duration(14 * 24 * 3_600_000), "2w");
    assert_eq!(format_duration(90 * 24 * 3_600_000), "90d");
    assert_eq!(format_duration(365 * 24 * 3_600_000), "1y");
    assert_eq!(format_duration(366 * 24 * 3_600_000), "366d");
}

#[test]
fn equal_targets_are_merged_and_keep_the_last_discovered_labels() {
    let s = settings("- {regex: '__meta_.*', action: labeldrop}");
    let group = TargetGroup {
        source: "pod/default/web".into(),
        labels: LabelSet::new(),
        targets: vec![
            labels(&[("__address__", "a:1"), ("__meta_port", "web")]),
            labels(&[("__address__", "b:1")]),
            labels(&[("__address__", "a:1"), ("__meta_port", "metrics")]),
            labels(&[("__meta_port", "none")]),
        ],
    };
    let dropping = TargetGroup {
        source: "pod/default/other".into(),
        labels: labels(&[("__meta_drop", "yes")]),
        targets: vec![
            labels(&[("__address__", "c:1")]),
            labels(&[("__address__", "d:1")]),
        ],
    };
    let mut s2 = s.clone();
    s2.relabel_configs = rules(
        "- {source_labels: [__meta_drop], regex: 'yes', action: drop}\n- {regex: '__meta_.*', action: labeldrop}",
    );
    let pool = sync(std::slice::from_ref(&group), &s, 0);
    assert_eq!(pool.active.len(), 2);
    assert_eq!(pool.active[0].labels["instance"], "a:1");
    assert_eq!(pool.active[0].discovered_labels["__meta_port"], "metrics");
    assert_eq!(pool.active[1].labels["instance"], "b:1");
    assert_eq!(
        pool.refused,
        vec!["instance 3 in group pod/default/web: no address"]
    );

    let pool = sync(&[group, dropping], &s2, 1);
    assert_eq!(pool.active.len(), 2);
    assert_eq!(pool.dropped_count, 2);
    assert_eq!(pool.dropped.len(), 1);
    assert_eq!(pool.dropped[0]["__address__"], "c:1");
}

#[test]
fn settings_from_a_loaded_config_take_the_global_defaults() {
    let text = "global:\n  scrape_interval: 15s\nscrape_configs:\n- job_name: probe\n  metrics_path: /probe\n  params:\n    module: [http_2xx]\n  relabel_configs:\n  - {target_label: team, replacement: web}\n  static_configs:\n  - targets: ['a:1']\n";
    let config = crate::promconfig::load(text, &Default::default())
        .unwrap_or_else(|e| panic!("{:?}", e.iter().map(|e| &e.message).collect::<Vec<_>>()));
    let s = ScrapeSettings::from_scrape_config(&config.scrape_configs[0]);
    assert_eq!(s.job_name, "probe");
    assert_eq!(s.scheme, "http");
    assert_eq!(s.scrape_interval_ms, 15_000);
    assert_eq!(s.scrape_timeout_ms, 10_000);
    let target = active(populate(
        &labels(&[("__address__", "a:1")]),
        &LabelSet::new(),
        &s,
    ));
    assert_eq!(target.labels["team"], "web");
    assert_eq!(target.scrape_interval(), "15s");
    assert_eq!(target.scrape_url, "http://a:1/probe?module=http_2xx");
}
