//! One test per validation rule, on a DaemonSet (or StatefulSet) that is valid until one field is
//! changed.

use super::*;
use serde_json::{Value, json};

fn base_daemon_set() -> Value {
    json!({
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "prom-agent-a", "namespace": "m", "labels": {"app": "x"}},
        "spec": {
            "selector": {"matchLabels": {"app.kubernetes.io/instance": "a"}},
            "template": {
                "metadata": {"labels": {"app.kubernetes.io/instance": "a"}},
                "spec": {
                    "terminationGracePeriodSeconds": 600,
                    "containers": [{
                        "name": "prometheus",
                        "image": "quay.io/prometheus/prometheus:v3.5.0",
                        "ports": [{"name": "web", "containerPort": 9090}],
                        "volumeMounts": [{"name": "config-out", "mountPath": "/etc/prometheus/config_out"}],
                        "readinessProbe": {"httpGet": {"path": "/-/ready", "port": "web"}}
                    }],
                    "initContainers": [{"name": "init-config-reloader", "image": "reloader"}],
                    "volumes": [{"name": "config-out", "emptyDir": {}}]
                }
            }
        }
    })
}

fn object(kind: ObjectKind, manifest: Value) -> RenderedObject {
    RenderedObject {
        kind,
        name: manifest["metadata"]["name"]
            .as_str()
            .unwrap_or("")
            .to_string(),
        namespace: "m".into(),
        manifest,
    }
}

/// The error texts for a DaemonSet changed by `edit`.
fn errors_after(edit: impl FnOnce(&mut Value)) -> Vec<String> {
    let mut ds = base_daemon_set();
    edit(&mut ds);
    validate(&object(ObjectKind::DaemonSet, ds))
        .iter()
        .flat_map(|r| r.errors.iter().map(ToString::to_string))
        .collect()
}

fn container(v: &mut Value) -> &mut Value {
    &mut v["spec"]["template"]["spec"]["containers"][0]
}

#[test]
fn the_base_daemon_set_is_accepted() {
    assert!(errors_after(|_| {}).is_empty());
}

#[test]
fn a_mount_of_a_volume_the_pod_lacks_is_not_found() {
    let errs = errors_after(|v| {
        container(v)["volumeMounts"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "extra", "mountPath": "/extra"}));
    });
    assert_eq!(
        errs,
        ["spec.template.spec.containers[0].volumeMounts[1].name: Not found: \"extra\""]
    );
}

#[test]
fn the_refusal_message_is_the_api_servers() {
    let mut ds = base_daemon_set();
    container(&mut ds)["volumeMounts"][0]["name"] = json!("extra");
    let refusals = validate(&object(ObjectKind::DaemonSet, ds));
    assert_eq!(
        refusals[0].api_message(),
        "DaemonSet.apps \"prom-agent-a\" is invalid: spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"extra\""
    );
    assert!(
        refusals[0]
            .summary()
            .starts_with("the API server would refuse DaemonSet m/prom-agent-a: ")
    );
}

#[test]
fn duplicate_mount_paths_are_invalid() {
    let errs = errors_after(|v| {
        container(v)["volumeMounts"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "config-out", "mountPath": "/etc/prometheus/config_out"}));
    });
    assert_eq!(
        errs,
        [
            "spec.template.spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/etc/prometheus/config_out\": must be unique"
        ]
    );
}

#[test]
fn sub_paths_must_descend() {
    let errs = errors_after(|v| {
        container(v)["volumeMounts"][0]["subPath"] = json!("../etc");
    });
    assert_eq!(
        errs,
        [
            "spec.template.spec.containers[0].volumeMounts.subPath: Invalid value: \"../etc\": must not contain '..'"
        ]
    );
    let errs = errors_after(|v| {
        container(v)["volumeMounts"][0]["subPath"] = json!("/abs");
        container(v)["volumeMounts"][0]["subPathExpr"] = json!("$(POD)");
    });
    assert_eq!(
        errs,
        [
            "spec.template.spec.containers[0].volumeMounts.subPath: Invalid value: \"/abs\": must be a relative path",
            "spec.template.spec.containers[0].volumeMounts[0].subPathExpr: Invalid value: \"$(POD)\": subPathExpr and subPath are mutually exclusive",
        ]
    );
}

#[test]
fn duplicate_container_names_across_init_and_regular_containers() {
    let errs = errors_after(|v| {
        v["spec"]["template"]["spec"]["initContainers"][0]["name"] = json!("prometheus");
    });
    assert_eq!(
        errs,
        ["spec.template.spec.initContainers[0].name: Duplicate value: \"prometheus\""]
    );
    let errs = errors_after(|v| {
        let c = container(v).clone();
        v["spec"]["template"]["spec"]["containers"]
            .as_array_mut()
            .unwrap()
            .push(c);
    });
    assert_eq!(
        errs,
        ["spec.template.spec.containers[1].name: Duplicate value: \"prometheus\""]
    );
}

#[test]
fn container_names_are_dns_labels_and_images_are_required() {
    let errs = errors_after(|v| {
        container(v)["name"] = json!("Prometheus");
        container(v)["image"] = json!("");
    });
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(errs[0].starts_with(
        "spec.template.spec.containers[0].name: Invalid value: \"Prometheus\": a lowercase RFC 1123 label must consist of"
    ));
    assert_eq!(
        errs[1],
        "spec.template.spec.containers[0].image: Required value"
    );
}

#[test]
fn volumes_need_unique_names_and_exactly_one_source() {
    let errs = errors_after(|v| {
        let vols = v["spec"]["template"]["spec"]["volumes"]
            .as_array_mut()
            .unwrap();
        vols.push(json!({"name": "config-out", "emptyDir": {}}));
        vols.push(json!({"name": "two", "emptyDir": {}, "configMap": {"name": "c"}}));
        vols.push(json!({"name": "none"}));
    });
    assert_eq!(
        errs,
        [
            "spec.template.spec.volumes[1].name: Duplicate value: \"config-out\"",
            "spec.template.spec.volumes[2].configMap: Forbidden: may not specify more than 1 volume type",
            "spec.template.spec.volumes[3]: Required value: must specify a volume type",
        ]
    );
}

#[test]
fn volume_sources_have_required_fields() {
    let errs = errors_after(|v| {
        let vols = v["spec"]["template"]["spec"]["volumes"]
            .as_array_mut()
            .unwrap();
        vols.push(json!({"name": "s", "secret": {"defaultMode": 1000}}));
        vols.push(json!({"name": "p", "persistentVolumeClaim": {"claimName": ""}}));
    });
    assert_eq!(
        errs,
        [
            "spec.template.spec.volumes[1].secret.secretName: Required value",
            "spec.template.spec.volumes[1].secret.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive",
            "spec.template.spec.volumes[2].persistentVolumeClaim.claimName: Required value",
        ]
    );
}

#[test]
fn a_mount_of_an_invalid_volume_is_not_found_either() {
    let errs = errors_after(|v| {
        v["spec"]["template"]["spec"]["volumes"][0]["configMap"] = json!({"name": "c"});
    });
    assert_eq!(
        errs,
        [
            "spec.template.spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type",
            "spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"config-out\"",
        ]
    );
}

#[test]
fn ports_names_numbers_protocols_and_duplicates() {
    let errs = errors_after(|v| {
        container(v)["ports"] = json!([
            {"name": "web", "containerPort": 9090},
            {"name": "web", "containerPort": 9091},
            {"name": "Metrics", "containerPort": 70000, "protocol": "HTTP"},
        ]);
        v["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["port"] =
            json!(9090);
    });
    assert_eq!(
        errs,
        [
            "spec.template.spec.containers[0].ports[1].name: Duplicate value: \"web\"",
            "spec.template.spec.containers[0].ports[2].name: Invalid value: \"Metrics\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            "spec.template.spec.containers[0].ports[2].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
            "spec.template.spec.containers[0].ports[2].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
        ]
    );
}

#[test]
fn host_ports_must_not_collide() {
    let errs = errors_after(|v| {
        container(v)["ports"] = json!([
            {"name": "a", "containerPort": 1, "hostPort": 8080},
            {"name": "b", "containerPort": 2, "hostPort": 8080},
        ]);
    });
    assert_eq!(
        errs,
        ["spec.template.spec.containers[0].ports[1].hostPort: Duplicate value: \"TCP//8080\""]
    );
}

#[test]
fn env_names_and_value_sources() {
    let errs = errors_after(|v| {
        container(v)["env"] = json!([
            {"name": "A=B", "value": "x"},
            {"name": "", "value": "x"},
            {"name": "C", "value": "x", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}},
            {"name": "D", "valueFrom": {}},
        ]);
    });
    assert_eq!(
        errs,
        [
            "spec.template.spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
            "spec.template.spec.containers[0].env[1].name: Required value",
            "spec.template.spec.containers[0].env[2].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty",
            "spec.template.spec.containers[0].env[3].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        ]
    );
}

#[test]
fn requests_above_limits() {
    let errs = errors_after(|v| {
        container(v)["resources"] = json!({
            "requests": {"cpu": "2", "memory": "1Gi", "nvidia.com/gpu": "1"},
            "limits": {"cpu": "1500m", "memory": "1G", "nvidia.com/gpu": "2"},
        });
    });
    assert_eq!(
        errs,
        [
            "spec.template.spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1500m",
            "spec.template.spec.containers[0].resources.requests: Invalid value: \"1Gi\": must be less than or equal to memory limit of 1G",
            "spec.template.spec.containers[0].resources.requests: Invalid value: \"1\": must be equal to nvidia.com/gpu limit of 2",
        ]
    );
}

#[test]
fn negative_quantities() {
    let errs = errors_after(|v| {
        container(v)["resources"] = json!({"limits": {"memory": "-1"}});
    });
    assert_eq!(
        errs,
        [
            "spec.template.spec.containers[0].resources.limits[memory]: Invalid value: \"-1\": must be greater than or equal to 0"
        ]
    );
}

#[test]
fn probes_need_exactly_one_handler() {
    let errs = errors_after(|v| {
        container(v)["livenessProbe"] =
            json!({"exec": {"command": ["true"]}, "tcpSocket": {"port": 1}});
        container(v)["startupProbe"] = json!({"periodSeconds": 5, "successThreshold": 2});
    });
    assert_eq!(
        errs,
        [
            "spec.template.spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
            "spec.template.spec.containers[0].startupProbe: Required value: must specify a handler type",
            "spec.template.spec.containers[0].startupProbe.successThreshold: Invalid value: 2: must be 1",
        ]
    );
}

#[test]
fn probe_ports_and_readiness_grace_period() {
    let errs = errors_after(|v| {
        container(v)["readinessProbe"] =
            json!({"httpGet": {"port": "no_such"}, "terminationGracePeriodSeconds": 5});
    });
    assert_eq!(
        errs,
        [
            "spec.template.spec.containers[0].readinessProbe.httpGet.port: Invalid value: \"no_such\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            "spec.template.spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes",
        ]
    );
}

#[test]
fn restart_policies_of_init_and_regular_containers() {
    let errs = errors_after(|v| {
        v["spec"]["template"]["spec"]["initContainers"][0]["restartPolicy"] = json!("Never");
        v["spec"]["template"]["spec"]["initContainers"][0]["readinessProbe"] =
            json!({"exec": {"command": ["true"]}});
        container(v)["restartPolicy"] = json!("Always");
    });
    assert_eq!(
        errs,
        [
            "spec.template.spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers",
            "spec.template.spec.initContainers[0].restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"",
            "spec.template.spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always",
        ]
    );
    // A sidecar (restartPolicy: Always) may have probes.
    let errs = errors_after(|v| {
        v["spec"]["template"]["spec"]["initContainers"][0]["restartPolicy"] = json!("Always");
        v["spec"]["template"]["spec"]["initContainers"][0]["readinessProbe"] =
            json!({"exec": {"command": ["true"]}});
    });
    assert!(errs.is_empty(), "{errs:?}");
}

#[test]
fn lifecycle_sleep_within_the_grace_period() {
    let errs = errors_after(|v| {
        container(v)["lifecycle"] = json!({"preStop": {"sleep": {"seconds": 900}}});
    });
    assert_eq!(
        errs,
        [
            "spec.template.spec.containers[0].lifecycle.preStop.sleep: Invalid value: 900: must be non-negative and less than terminationGracePeriodSeconds (600)"
        ]
    );
}

#[test]
fn template_labels_and_annotations_syntax() {
    let errs = errors_after(|v| {
        v["spec"]["template"]["metadata"]["labels"]["team"] = json!("a b");
        v["spec"]["template"]["metadata"]["annotations"] = json!({"bad/key/x": "v"});
    });
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(
        errs[0].starts_with("spec.template.labels: Invalid value: \"a b\": a valid label must be")
    );
    assert!(
        errs[1].starts_with(
            "spec.template.annotations: Invalid value: \"bad/key/x\": a qualified name"
        )
    );
}

#[test]
fn the_selector_must_match_the_template_labels() {
    let errs = errors_after(|v| {
        v["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/instance"] = json!("b");
    });
    assert_eq!(
        errs,
        [
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app.kubernetes.io/instance\":\"b\"}: `selector` does not match template `labels`"
        ]
    );
}

#[test]
fn pod_level_fields() {
    let errs = errors_after(|v| {
        let spec = &mut v["spec"]["template"]["spec"];
        spec["nodeSelector"] = json!({"kubernetes.io/os": "linux os"});
        spec["tolerations"] = json!([{"value": "x"}]);
        spec["hostAliases"] = json!([{"ip": "not-an-ip", "hostnames": ["ok.example"]}]);
        spec["priorityClassName"] = json!("Critical");
        spec["dnsPolicy"] = json!("None");
    });
    assert_eq!(errs.len(), 5, "{errs:?}");
    assert!(errs[0].starts_with("spec.template.spec.nodeSelector: Invalid value: \"linux os\""));
    assert_eq!(
        errs[1],
        "spec.template.spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"
    );
    assert_eq!(
        errs[2],
        "spec.template.spec.tolerations[0].operator: Invalid value: \"\": operator must be Exists when `key` is empty, which means \"match all values and all keys\""
    );
    assert!(errs[3].starts_with("spec.template.spec.hostAliases[0].ip: Invalid value: \"not-an-ip\": must be a valid IP address"));
    assert!(
        errs[4].starts_with("spec.template.spec.priorityClassName: Invalid value: \"Critical\"")
    );
}

#[test]
fn host_network_ports() {
    let errs = errors_after(|v| {
        v["spec"]["template"]["spec"]["hostNetwork"] = json!(true);
        container(v)["ports"][0]["hostPort"] = json!(8080);
    });
    assert_eq!(
        errs,
        [
            "spec.template.spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true"
        ]
    );
}

#[test]
fn statefulset_names_are_dns_labels_and_pods_are_validated_by_the_controller() {
    let mut sts = base_daemon_set();
    sts["kind"] = json!("StatefulSet");
    sts["metadata"]["name"] = json!("prom-agent-a.b");
    sts["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/instance"] = json!("a");
    sts["spec"]["serviceName"] = json!("prometheus-agent-operated");
    sts["spec"]["volumeClaimTemplates"] = json!([{"metadata": {"name": "data"}, "spec": {}}]);
    container(&mut sts)["volumeMounts"]
        .as_array_mut()
        .unwrap()
        .extend([
            json!({"name": "data", "mountPath": "/prometheus"}),
            json!({"name": "extra", "mountPath": "/extra"}),
        ]);
    let refusals = validate(&object(ObjectKind::StatefulSet, sts));
    assert_eq!(refusals.len(), 2);
    assert_eq!(refusals[0].stage, Stage::Create);
    assert_eq!(
        refusals[0].api_message(),
        "StatefulSet.apps \"prom-agent-a.b\" is invalid: metadata.name: Invalid value: \"prom-agent-a.b\": must not contain dots"
    );
    assert_eq!(refusals[1].stage, Stage::Pod("prom-agent-a.b-0".into()));
    assert_eq!(
        refusals[1].api_message(),
        "Pod \"prom-agent-a.b-0\" is invalid: spec.containers[0].volumeMounts[2].name: Not found: \"extra\""
    );
    assert!(
        refusals[1]
            .summary()
            .contains("would accept StatefulSet m/prom-agent-a.b but refuse the pods")
    );
}

#[test]
fn service_port_names() {
    let svc = json!({
        "metadata": {"name": "prometheus-agent-operated"},
        "spec": {"ports": [{"name": "Web_UI", "port": 9090, "targetPort": "Web_UI"}]},
    });
    let refusals = validate(&object(ObjectKind::Service, svc));
    let errs: Vec<String> = refusals[0].errors.iter().map(ToString::to_string).collect();
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(
        errs[0].starts_with(
            "spec.ports[0].name: Invalid value: \"Web_UI\": a lowercase RFC 1123 label"
        )
    );
    assert!(
        errs[1]
            .starts_with("spec.ports[0].targetPort: Invalid value: \"Web_UI\": must contain only")
    );
    assert!(
        refusals[0]
            .api_message()
            .starts_with("Service \"prometheus-agent-operated\" is invalid: [")
    );
}

#[test]
fn secret_names_are_subdomains() {
    let secret = json!({"metadata": {"name": "prom-agent-A"}});
    let refusals = validate(&object(ObjectKind::Secret, secret));
    assert_eq!(refusals.len(), 1);
    assert!(refusals[0].api_message().starts_with(
        "Secret \"prom-agent-A\" is invalid: metadata.name: Invalid value: \"prom-agent-A\": a lowercase RFC 1123 subdomain"
    ));
}
