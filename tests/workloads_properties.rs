//! The properties the operator's own unit tests assert about the StatefulSet and the DaemonSet it
//! builds for an agent (probes, reloader arguments, WAL compression, the agent flag, topology spread,
//! labels and annotations, pod fields), checked on promagent's render in both modes.

use promagent::model::{Inventory, PrometheusAgent, PrometheusAgentMode};
use promagent::render::options::OperatorOptions;
use promagent::render::workloads::{ObjectKind, WorkloadInputs, render_objects};
use serde_json::{Value, json};
use std::collections::BTreeMap;

const STS: PrometheusAgentMode = PrometheusAgentMode::StatefulSet;
const DS: PrometheusAgentMode = PrometheusAgentMode::DaemonSet;
const BOTH: [PrometheusAgentMode; 2] = [STS, DS];

/// An agent `ns/test` with the given metadata extras and spec (YAML).
fn agent_with(metadata: &str, spec: &str) -> PrometheusAgent {
    let indent = |s: &str| s.lines().map(|l| format!("  {l}\n")).collect::<String>();
    let text = format!(
        "apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: test\n  namespace: ns\n{}spec:\n{}",
        indent(metadata),
        if spec.trim().is_empty() {
            "  {}\n".to_string()
        } else {
            indent(spec)
        }
    );
    let inputs = promagent::load::load_str("agent.yaml", &text);
    assert!(inputs.diagnostics.is_empty(), "{:?}", inputs.diagnostics);
    let (inventory, errors) = Inventory::from_documents(&inputs.documents);
    assert!(errors.is_empty(), "{errors:?}");
    inventory.agents[0].value.clone()
}

fn render_with(
    agent: &PrometheusAgent,
    mode: PrometheusAgentMode,
    options: &OperatorOptions,
) -> Vec<(ObjectKind, Value)> {
    let assets = BTreeMap::new();
    let inputs = WorkloadInputs {
        config: "global: {}\n",
        tls_assets: &assets,
    };
    render_objects(agent, mode, &inputs, options)
        .unwrap()
        .into_iter()
        .map(|o| (o.kind, o.manifest))
        .collect()
}

/// The StatefulSet of shard 0, or the DaemonSet.
fn workload(spec: &str, mode: PrometheusAgentMode) -> Value {
    workload_of(&agent_with("", spec), mode)
}

fn workload_of(agent: &PrometheusAgent, mode: PrometheusAgentMode) -> Value {
    render_with(agent, mode, &OperatorOptions::default())
        .into_iter()
        .find(|(k, _)| matches!(k, ObjectKind::StatefulSet | ObjectKind::DaemonSet))
        .unwrap()
        .1
}

fn pod(w: &Value) -> &Value {
    &w["spec"]["template"]["spec"]
}

fn container<'a>(w: &'a Value, name: &str) -> &'a Value {
    pod(w)["containers"]
        .as_array()
        .into_iter()
        .chain(pod(w)["initContainers"].as_array())
        .flatten()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no container {name}"))
}

fn args(w: &Value, name: &str) -> Vec<String> {
    container(w, name)["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}

fn env_names(w: &Value, name: &str) -> Vec<String> {
    container(w, name)["env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

const LISTEN_TLS: &str = "web:\n  tlsConfig:\n    keySecret:\n      name: some-secret\n    cert:\n      configMap:\n        name: some-configmap\n";

#[test]
fn listen_tls_probes_use_https() {
    for mode in BOTH {
        let w = workload(LISTEN_TLS, mode);
        let p = container(&w, "prometheus");
        let expect = |path: &str, period: i64, threshold: i64| {
            json!({"httpGet": {"path": path, "port": "web", "scheme": "HTTPS"}, "timeoutSeconds": 3,
                   "periodSeconds": period, "failureThreshold": threshold})
        };
        assert_eq!(p["startupProbe"], expect("/-/ready", 15, 60), "{mode:?}");
        assert_eq!(p["livenessProbe"], expect("/-/healthy", 5, 6), "{mode:?}");
        assert_eq!(p["readinessProbe"], expect("/-/ready", 5, 3), "{mode:?}");
    }
}

#[test]
fn listen_tls_reloader_arguments() {
    for mode in BOTH {
        let w = workload(LISTEN_TLS, mode);
        assert_eq!(
            args(&w, "config-reloader"),
            [
                "--listen-address=:8080",
                "--web-config-file=/etc/prometheus/web_config/web-config.yaml",
                "--reload-url=https://localhost:9090/-/reload",
                "--config-file=/etc/prometheus/config/prometheus.yaml.gz",
                "--config-envsubst-file=/etc/prometheus/config_out/prometheus.env.yaml",
                "--watched-dir=/etc/prometheus/config",
            ],
            "{mode:?}"
        );
    }
}

#[test]
fn listen_tls_mounts_the_web_tls_volumes() {
    let w = workload(LISTEN_TLS, STS);
    let volumes: Vec<&str> = pod(&w)["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    let key = volumes
        .iter()
        .find(|v| v.starts_with("web-config-tls-secret-key-some-secret-"))
        .unwrap();
    assert_eq!(
        key.len(),
        "web-config-tls-secret-key-some-secret-".len() + 8
    );
    assert!(
        volumes
            .iter()
            .any(|v| v.starts_with("web-config-tls-configmap-cert-some-configmap-"))
    );
    let mounts: Vec<&str> = container(&w, "prometheus")["volumeMounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["mountPath"].as_str().unwrap())
        .collect();
    assert_eq!(
        &mounts[mounts.len() - 3..],
        [
            "/etc/prometheus/web_config/web-config.yaml",
            "/etc/prometheus/web_config/secret/some-secret-key",
            "/etc/prometheus/web_config/configmap/some-configmap-cert",
        ]
    );
}

#[test]
fn wal_compression_flags() {
    for mode in BOTH {
        let a = |spec: &str| args(&workload(spec, mode), "prometheus");
        assert!(
            !a("version: v2.30.0\nwalCompression: false")
                .contains(&"--storage.agent.wal-compression".to_string())
        );
        let none = a("version: v2.32.0");
        assert!(!none.iter().any(|x| x.contains("wal-compression")));
        assert!(
            a("version: v2.32.0\nwalCompression: false")
                .contains(&"--no-storage.agent.wal-compression".to_string())
        );
        assert!(
            a("version: v2.32.0\nwalCompression: true")
                .contains(&"--storage.agent.wal-compression".to_string())
        );
    }
}

#[test]
fn agent_flag_by_major_version() {
    for mode in BOTH {
        let a = |spec: &str| args(&workload(spec, mode), "prometheus");
        assert!(a("version: v3.0.0").contains(&"--agent".to_string()));
        assert!(a("version: v3.0.0-beta.0").contains(&"--agent".to_string()));
        let v2 = a("version: v2.53.0");
        assert!(!v2.contains(&"--agent".to_string()));
        assert!(v2.contains(&"--enable-feature=agent".to_string()));
        assert!(v2.contains(&"--web.console.templates=/etc/prometheus/consoles".to_string()));
    }
}

#[test]
fn startup_probe_timing() {
    for mode in BOTH {
        let probe =
            |spec: &str| container(&workload(spec, mode), "prometheus")["startupProbe"].clone();
        let default = probe("");
        assert_eq!(
            (
                default["periodSeconds"].as_i64(),
                default["failureThreshold"].as_i64()
            ),
            (Some(15), Some(60))
        );
        let long = probe("maximumStartupDurationSeconds: 600");
        assert_eq!(
            (
                long["periodSeconds"].as_i64(),
                long["failureThreshold"].as_i64()
            ),
            (Some(60), Some(10))
        );
    }
}

#[test]
fn topology_spread_constraints() {
    let plain = "topologySpreadConstraints:\n- maxSkew: 1\n  topologyKey: kubernetes.io/hostname\n  whenUnsatisfiable: DoNotSchedule\n";
    let with_selector =
        format!("{plain}  labelSelector:\n    matchLabels:\n      app: prometheus\n");
    let on = |kind: &str| format!("{with_selector}  additionalLabelSelectors: {kind}\n");
    for mode in BOTH {
        let tsc = |spec: &str| pod(&workload(spec, mode))["topologySpreadConstraints"][0].clone();
        assert_eq!(
            tsc(plain),
            json!({"maxSkew": 1, "topologyKey": "kubernetes.io/hostname", "whenUnsatisfiable": "DoNotSchedule"})
        );
        assert_eq!(
            tsc(&with_selector)["labelSelector"],
            json!({"matchLabels": {"app": "prometheus"}})
        );
        assert_eq!(
            tsc(&on("OnResource"))["labelSelector"]["matchLabels"],
            json!({"app": "prometheus", "app.kubernetes.io/instance": "test",
                   "app.kubernetes.io/managed-by": "prometheus-operator",
                   "app.kubernetes.io/name": "prometheus-agent", "operator.prometheus.io/name": "test"})
        );
    }
    let on_shard = pod(&workload(&on("OnShard"), STS))["topologySpreadConstraints"][0]["labelSelector"]["matchLabels"].clone();
    assert_eq!(on_shard["operator.prometheus.io/shard"], "0");
    assert_eq!(on_shard.as_object().unwrap().len(), 6);
}

#[test]
fn automount_service_account_token_is_always_set() {
    for mode in BOTH {
        let token = |spec: &str| pod(&workload(spec, mode))["automountServiceAccountToken"].clone();
        assert_eq!(token(""), json!(true));
        assert_eq!(token("automountServiceAccountToken: true"), json!(true));
        assert_eq!(token("automountServiceAccountToken: false"), json!(false));
    }
}

#[test]
fn pod_fields_are_copied() {
    for mode in BOTH {
        let w = workload(
            "schedulerName: my-scheduler\ndnsPolicy: ClusterFirst\ndnsConfig:\n  nameservers: [8.8.8.8, 8.8.4.4]\n  searches: [custom.search]\n  options:\n  - name: ndots\n    value: \"5\"\nhostUsers: false\n",
            mode,
        );
        let p = pod(&w);
        assert_eq!(p["schedulerName"], "my-scheduler");
        assert_eq!(p["dnsPolicy"], "ClusterFirst");
        assert_eq!(
            p["dnsConfig"],
            json!({"nameservers": ["8.8.8.8", "8.8.4.4"], "searches": ["custom.search"], "options": [{"name": "ndots", "value": "5"}]})
        );
        assert_eq!(p["hostUsers"], json!(false));
        let hn = workload("hostNetwork: true", mode);
        assert_eq!(pod(&hn)["dnsPolicy"], "ClusterFirstWithHostNet");
        assert_eq!(
            pod(&workload("hostUsers: true", mode))["hostUsers"],
            json!(true)
        );
    }
}

#[test]
fn scrape_failure_log_file_volume() {
    for mode in BOTH {
        let has_log_volume = |spec: &str| {
            let w = workload(spec, mode);
            let volume = pod(&w)["volumes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|v| v["name"] == "log-file");
            let mount = container(&w, "prometheus")["volumeMounts"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["name"] == "log-file" && m["mountPath"] == "/var/log/prometheus");
            assert_eq!(volume, mount);
            volume
        };
        assert!(has_log_volume("scrapeFailureLogFile: file.log"));
        assert!(!has_log_volume("scrapeFailureLogFile: /tmp/file.log"));
    }
}

fn labelled_agent() -> PrometheusAgent {
    agent_with(
        "labels:\n  testlabel: testlabelvalue\nannotations:\n  testannotation: testannotationvalue\n  kubectl.kubernetes.io/last-applied-configuration: something\n  kubectl.kubernetes.io/something-else: other\n",
        "",
    )
}

#[test]
fn workload_labels_and_annotations() {
    let agent = labelled_agent();
    let sts = workload_of(&agent, STS);
    assert_eq!(
        sts["metadata"]["annotations"],
        json!({"testannotation": "testannotationvalue"})
    );
    assert_eq!(
        sts["metadata"]["labels"],
        json!({"testlabel": "testlabelvalue", "operator.prometheus.io/name": "test", "operator.prometheus.io/shard": "0",
               "operator.prometheus.io/mode": "agent", "managed-by": "prometheus-operator",
               "app.kubernetes.io/instance": "test", "app.kubernetes.io/managed-by": "prometheus-operator",
               "app.kubernetes.io/name": "prometheus-agent"})
    );
    assert_eq!(
        sts["spec"]["template"]["metadata"]["labels"],
        json!({"app.kubernetes.io/name": "prometheus-agent", "app.kubernetes.io/version": "3.13.1",
               "app.kubernetes.io/managed-by": "prometheus-operator", "app.kubernetes.io/instance": "test",
               "operator.prometheus.io/name": "test", "operator.prometheus.io/shard": "0"})
    );
    let ds = workload_of(&agent, DS);
    assert_eq!(
        ds["metadata"]["annotations"],
        json!({"testannotation": "testannotationvalue"})
    );
    assert_eq!(
        ds["metadata"]["labels"],
        json!({"testlabel": "testlabelvalue", "operator.prometheus.io/name": "test",
               "operator.prometheus.io/mode": "agent", "managed-by": "prometheus-operator",
               "app.kubernetes.io/instance": "test", "app.kubernetes.io/managed-by": "prometheus-operator",
               "app.kubernetes.io/name": "prometheus-agent"})
    );
    assert_eq!(
        ds["spec"]["template"]["metadata"]["labels"],
        json!({"app.kubernetes.io/name": "prometheus-agent", "app.kubernetes.io/version": "3.13.1",
               "app.kubernetes.io/managed-by": "prometheus-operator", "app.kubernetes.io/instance": "test",
               "operator.prometheus.io/name": "test"})
    );
}

#[test]
fn enable_service_links() {
    for mode in BOTH {
        let links = |spec: &str| {
            pod(&workload(spec, mode))
                .get("enableServiceLinks")
                .cloned()
        };
        assert_eq!(links("enableServiceLinks: false"), Some(json!(false)));
        assert_eq!(links("enableServiceLinks: true"), Some(json!(true)));
        assert_eq!(links(""), None);
    }
}

#[test]
fn pod_management_policy_and_update_strategy() {
    let spec = |s: &str| workload(s, STS)["spec"].clone();
    assert_eq!(spec("")["podManagementPolicy"], "Parallel");
    assert_eq!(
        spec("podManagementPolicy: Parallel")["podManagementPolicy"],
        "Parallel"
    );
    assert_eq!(
        spec("podManagementPolicy: OrderedReady")["podManagementPolicy"],
        "OrderedReady"
    );
    assert_eq!(spec("")["updateStrategy"], json!({"type": "RollingUpdate"}));
    assert_eq!(
        spec("updateStrategy:\n  type: RollingUpdate")["updateStrategy"],
        json!({"type": "RollingUpdate"})
    );
    assert_eq!(
        spec("updateStrategy:\n  type: RollingUpdate\n  rollingUpdate:\n    maxUnavailable: 1")["updateStrategy"],
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}})
    );
    assert_eq!(
        spec("updateStrategy:\n  type: OnDelete")["updateStrategy"],
        json!({"type": "OnDelete"})
    );
    let ds = workload(
        "updateStrategy:\n  type: OnDelete\npodManagementPolicy: OrderedReady",
        DS,
    )["spec"]
        .clone();
    assert!(ds.get("updateStrategy").is_none() && ds.get("podManagementPolicy").is_none());
}

#[test]
fn topology_zone_environment() {
    let spec = "shards: 2\nshardingStrategy:\n  mode: Topology\n  topology:\n    values: [zone-a, zone-b]\n";
    let agent = agent_with("", spec);
    let objects = render_with(&agent, STS, &OperatorOptions::default());
    let sets: Vec<&Value> = objects
        .iter()
        .filter(|(k, _)| *k == ObjectKind::StatefulSet)
        .map(|(_, v)| v)
        .collect();
    assert_eq!(sets.len(), 2);
    assert_eq!(sets[1]["metadata"]["name"], "prom-agent-test-shard-1");
    for (shard, zone) in [(0, "zone-a"), (1, "zone-b")] {
        for name in ["config-reloader", "init-config-reloader"] {
            let env = container(sets[shard], name)["env"]
                .as_array()
                .unwrap()
                .clone();
            assert!(
                env.contains(&json!({"name": "TOPOLOGY_ZONE", "value": zone})),
                "{env:?}"
            );
            assert!(
                env.contains(&json!({"name": "INZONE_SHARD", "value": "0"})),
                "{env:?}"
            );
        }
        assert_eq!(
            pod(sets[shard])["nodeSelector"]["topology.kubernetes.io/zone"],
            zone
        );
    }
    let plain = workload("shards: 2", STS);
    for name in ["config-reloader", "init-config-reloader"] {
        assert!(!env_names(&plain, name).contains(&"TOPOLOGY_ZONE".to_string()));
    }
}

#[test]
fn reloader_environment_by_mode() {
    assert_eq!(
        env_names(&workload("", STS), "config-reloader"),
        ["POD_NAME", "SHARD"]
    );
    assert_eq!(
        env_names(&workload("", DS), "config-reloader"),
        ["POD_NAME", "NODE_NAME", "SHARD"]
    );
    assert_eq!(
        env_names(&workload("", DS), "init-config-reloader"),
        ["POD_NAME", "NODE_NAME", "SHARD"]
    );
}

#[test]
fn shards_and_replicas() {
    let agent = agent_with("", "shards: 3\nreplicas: 0");
    let objects = render_with(&agent, STS, &OperatorOptions::default());
    let names: Vec<&str> = objects
        .iter()
        .filter(|(k, _)| *k == ObjectKind::StatefulSet)
        .map(|(_, v)| v["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "prom-agent-test",
            "prom-agent-test-shard-1",
            "prom-agent-test-shard-2"
        ]
    );
    assert_eq!(
        objects
            .iter()
            .find(|(k, _)| *k == ObjectKind::StatefulSet)
            .unwrap()
            .1["spec"]["replicas"],
        0
    );
    assert_eq!(workload("replicas: -2", STS)["spec"]["replicas"], 1);
    assert_eq!(workload("", STS)["spec"]["replicas"], 1);
}

#[test]
fn storage_in_statefulset_mode() {
    let claim = workload(
        "storage:\n  volumeClaimTemplate:\n    spec:\n      resources:\n        requests:\n          storage: 1Gi\nvolumes:\n- name: extra\n  emptyDir: {}\n",
        STS,
    );
    let template = &claim["spec"]["volumeClaimTemplates"][0];
    assert_eq!(template["metadata"]["name"], "prom-agent-test-db");
    assert_eq!(template["spec"]["accessModes"], json!(["ReadWriteOnce"]));
    let mount = container(&claim, "prometheus")["volumeMounts"][2].clone();
    assert_eq!(
        mount,
        json!({"name": "prom-agent-test-db", "mountPath": "/prometheus", "subPath": "prometheus-db"})
    );
    let volumes: Vec<&str> = pod(&claim)["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        volumes,
        ["config", "tls-assets", "config-out", "web-config", "extra"]
    );

    let empty = workload(
        "storage:\n  disableMountSubPath: true\n  emptyDir:\n    medium: Memory\n",
        STS,
    );
    assert_eq!(
        pod(&empty)["volumes"][4],
        json!({"name": "prom-agent-test-db", "emptyDir": {"medium": "Memory"}})
    );
    assert_eq!(
        container(&empty, "prometheus")["volumeMounts"][2].get("subPath"),
        None
    );

    let ds = workload(
        "volumes:\n- name: extra\n  emptyDir: {}\nvolumeMounts:\n- name: extra\n  mountPath: /extra\n",
        DS,
    );
    let volumes: Vec<&str> = pod(&ds)["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        volumes,
        ["config", "tls-assets", "config-out", "web-config"],
        "DaemonSets drop spec.volumes"
    );
    assert!(
        container(&ds, "prometheus")["volumeMounts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["name"] == "extra")
    );
}

#[test]
fn governing_service_and_owner_references() {
    let objects = render_with(
        &agent_with("uid: abc-123", "portName: http"),
        STS,
        &OperatorOptions::default(),
    );
    let svc = &objects
        .iter()
        .find(|(k, _)| *k == ObjectKind::Service)
        .unwrap()
        .1;
    assert_eq!(svc["metadata"]["name"], "prometheus-agent-operated");
    assert_eq!(svc["metadata"]["labels"]["operated-prometheus"], "true");
    assert_eq!(
        svc["spec"],
        json!({"clusterIP": "None", "ports": [{"name": "http", "port": 9090, "targetPort": "http"}],
               "selector": {"app.kubernetes.io/name": "prometheus-agent"}})
    );
    assert_eq!(
        svc["metadata"]["ownerReferences"],
        json!([{"apiVersion": "monitoring.coreos.com/v1alpha1", "kind": "PrometheusAgent", "name": "test", "uid": "abc-123"}])
    );
    let sts = &objects
        .iter()
        .find(|(k, _)| *k == ObjectKind::StatefulSet)
        .unwrap()
        .1;
    assert_eq!(sts["metadata"]["ownerReferences"][0]["controller"], true);
    assert_eq!(sts["metadata"]["ownerReferences"][0]["uid"], "abc-123");
    let custom = render_with(
        &agent_with("", "serviceName: mine"),
        STS,
        &OperatorOptions::default(),
    );
    assert!(custom.iter().all(|(k, _)| *k != ObjectKind::Service));
    let sts = &custom
        .iter()
        .find(|(k, _)| *k == ObjectKind::StatefulSet)
        .unwrap()
        .1;
    assert_eq!(sts["spec"]["serviceName"], "mine");
    assert!(sts["metadata"]["ownerReferences"][0].get("uid").is_none());
}

#[test]
fn operator_labels_and_annotations() {
    let options = OperatorOptions {
        labels: vec![
            ("env".into(), "prod".into()),
            ("app.kubernetes.io/name".into(), "mine".into()),
        ],
        annotations: vec![("owner".into(), "team".into())],
        ..OperatorOptions::default()
    };
    let objects = render_with(&agent_with("", ""), STS, &options);
    for (kind, object) in &objects {
        assert_eq!(object["metadata"]["labels"]["env"], "prod", "{kind:?}");
        assert_eq!(
            object["metadata"]["annotations"]["owner"], "team",
            "{kind:?}"
        );
    }
    let sts = &objects
        .iter()
        .find(|(k, _)| *k == ObjectKind::StatefulSet)
        .unwrap()
        .1;
    assert_eq!(
        sts["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"],
        "mine"
    );
    assert!(
        sts["spec"]["template"]["metadata"]
            .get("annotations")
            .unwrap()
            .get("owner")
            .is_none()
    );
}

#[test]
fn secrets_are_redacted_unless_shown() {
    let agent = agent_with("", "web:\n  httpConfig:\n    http2: false\n");
    let redacted = render_with(&agent, STS, &OperatorOptions::default());
    assert_eq!(redacted[0].1["data"]["prometheus.yaml.gz"], "<secret>");
    assert_eq!(redacted[2].1["data"]["web-config.yaml"], "<secret>");
    let shown = render_with(
        &agent,
        STS,
        &OperatorOptions {
            show_secrets: true,
            ..OperatorOptions::default()
        },
    );
    let b64 = shown[2].1["data"]["web-config.yaml"].as_str().unwrap();
    use base64::Engine;
    let text = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    assert_eq!(
        String::from_utf8(text).unwrap(),
        "http_server_config:\n  http2: false\n"
    );
    let gz = base64::engine::general_purpose::STANDARD
        .decode(shown[0].1["data"]["prometheus.yaml.gz"].as_str().unwrap())
        .unwrap();
    let mut config = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut config).unwrap();
    assert_eq!(config, "global: {}\n");
}

#[test]
fn user_containers_are_merged_by_name() {
    let spec = "containers:\n- name: config-reloader\n  env:\n  - name: EXTRA\n    value: x\n- name: sidecar\n  image: busybox\ninitContainers:\n- name: init-config-reloader\n  args: [--custom]\n";
    for mode in BOTH {
        let w = workload(spec, mode);
        let names: Vec<&str> = pod(&w)["containers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["prometheus", "config-reloader", "sidecar"]);
        assert_eq!(
            env_names(&w, "config-reloader")[0],
            "EXTRA",
            "new entries come first, as in a strategic merge"
        );
        assert_eq!(args(&w, "init-config-reloader"), ["--custom"]);
    }
}

#[test]
fn additional_args_conflicts_are_refused() {
    let agent = agent_with("", "additionalArgs:\n- name: agent\n");
    let assets = BTreeMap::new();
    let inputs = WorkloadInputs {
        config: "",
        tls_assets: &assets,
    };
    let err = render_objects(&agent, STS, &inputs, &OperatorOptions::default()).unwrap_err();
    assert!(
        err.ends_with("can't set arguments which are already managed by the operator: agent"),
        "{err}"
    );
    let ok = workload(
        "additionalArgs:\n- name: scrape.timestamp-tolerance\n  value: 10ms\n- name: extra-flag\n",
        DS,
    );
    let a = args(&ok, "prometheus");
    assert_eq!(
        &a[a.len() - 2..],
        ["--scrape.timestamp-tolerance=10ms", "--extra-flag"]
    );
}

#[test]
fn listen_local_and_process_signal() {
    let w = workload("listenLocal: true", STS);
    let p = container(&w, "prometheus");
    assert!(p.get("ports").is_none());
    assert!(
        p["readinessProbe"]["exec"]["command"][2]
            .as_str()
            .unwrap()
            .contains("http://localhost:9090/-/ready")
    );
    assert!(args(&w, "prometheus").contains(&"--web.listen-address=127.0.0.1:9090".to_string()));
    assert_eq!(
        args(&w, "config-reloader")[0],
        "--listen-address=localhost:8080"
    );
    assert!(container(&w, "config-reloader").get("ports").is_none());
    assert_eq!(
        args(&w, "init-config-reloader")[1],
        "--listen-address=:8081"
    );

    let s = workload("reloadStrategy: ProcessSignal\nroutePrefix: /prom", DS);
    assert_eq!(pod(&s)["shareProcessNamespace"], true);
    assert!(!args(&s, "prometheus").contains(&"--web.enable-lifecycle".to_string()));
    let r = args(&s, "config-reloader");
    assert_eq!(r[2], "--reload-method=signal");
    assert_eq!(
        r[3],
        "--runtimeinfo-url=http://localhost:9090/prom/api/v1/status/runtimeinfo"
    );
}

#[test]
fn version_gated_arguments() {
    let rw2 = "remoteWrite:\n- url: http://x\n  messageVersion: V2.0\n";
    let a = |spec: &str| args(&workload(spec, STS), "prometheus");
    assert!(
        a(&format!("version: v3.0.0\n{rw2}"))
            .contains(&"--enable-feature=metadata-wal-records".to_string())
    );
    assert!(
        !a(&format!("version: v3.4.0\n{rw2}"))
            .contains(&"--enable-feature=metadata-wal-records".to_string())
    );
    // Below 2.54 the operator also drops every later version-gated argument.
    let old = a(&format!(
        "version: v2.50.0\nenableFeatures: [exemplar-storage]\n{rw2}"
    ));
    assert!(
        !old.iter()
            .any(|x| x.starts_with("--enable-feature=exemplar"))
    );
    assert!(
        a("version: v2.50.0\nenableFeatures: [exemplar-storage]")
            .contains(&"--enable-feature=exemplar-storage".to_string())
    );
    assert!(a("otlp: {}").contains(&"--web.enable-otlp-receiver".to_string()));
    assert!(
        a("version: v2.47.0\notlp: {}")
            .contains(&"--enable-feature=otlp-write-receiver".to_string())
    );
    assert!(
        a("tsdb:\n  chunkEncoding:\n    floats: Xor2")
            .contains(&"--enable-feature=xor2-encoding".to_string())
    );
    assert!(
        !a("version: v2.20.0")
            .iter()
            .any(|x| x.starts_with("--web.config.file"))
    );
    assert!(
        args(&workload("version: v2.20.0", DS), "prometheus")
            .iter()
            .any(|x| x.starts_with("--web.config.file"))
    );
}
