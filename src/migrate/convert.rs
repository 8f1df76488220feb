//! ServiceMonitor to PodMonitor conversion for DaemonSet mode, which scrapes PodMonitors only.
//!
//! A ServiceMonitor becomes one PodMonitor per Service it selects in the input: the Service's pod
//! selector, each endpoint's port resolved to the container port (through a workload of the input
//! whose pod labels match, or through a named `targetPort`), and every endpoint setting the
//! PodMonitor CRD also has. Labels the ServiceMonitor's scrape would have set and a PodMonitor's
//! does not (`job`, `service`, `endpoint`, `targetLabels` taken from the Service) are kept with
//! static relabelings, so the series keep their identity. Anything without an equivalent stops the
//! conversion of that ServiceMonitor with the reason.

use crate::diag::ObjectRef;
use crate::load::Document;
use crate::select::labels::Selector;
use crate::select::view::{Meta, View};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// A PodMonitor written for a ServiceMonitor.
#[derive(Clone, Debug)]
pub struct Converted {
    pub pod_monitor: ObjectRef,
    /// The Service whose pods it selects.
    pub service: ObjectRef,
    /// The PodMonitor object.
    pub value: Value,
    /// What the reader should know (static relabelings added, ports resolved through a workload…).
    pub notes: Vec<String>,
}

/// The Services, workloads and existing PodMonitors a conversion can use.
pub struct Catalog<'a> {
    pub services: Vec<&'a Document>,
    /// Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and Pods: (document, pod labels, pod spec).
    pub workloads: Vec<Workload<'a>>,
    /// `<namespace>/<name>` of every PodMonitor already in the input.
    pub pod_monitors: BTreeSet<String>,
}

pub struct Workload<'a> {
    pub object: ObjectRef,
    pub namespace: String,
    pub labels: Vec<(String, String)>,
    pub pod_spec: &'a Value,
}

impl<'a> Catalog<'a> {
    pub fn of(documents: &'a [Document]) -> Catalog<'a> {
        let mut catalog = Catalog {
            services: Vec::new(),
            workloads: Vec::new(),
            pod_monitors: BTreeSet::new(),
        };
        for doc in documents {
            let meta = Meta::of(&doc.value);
            match (doc.api_version(), doc.kind()) {
                ("v1", "Service") => catalog.services.push(doc),
                ("v1", "Pod") => catalog.workloads.push(Workload {
                    object: meta.object_ref(),
                    namespace: meta.namespace.clone(),
                    labels: meta.labels.clone(),
                    pod_spec: doc.value.get("spec").unwrap_or(&Value::Null),
                }),
                ("apps/v1", "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet")
                | ("batch/v1", "Job") => {
                    let template = doc.value.pointer("/spec/template").unwrap_or(&Value::Null);
                    let labels = View::root(template)
                        .at("metadata.labels")
                        .entries()
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v.string().to_string()))
                        .collect();
                    catalog.workloads.push(Workload {
                        object: meta.object_ref(),
                        namespace: meta.namespace.clone(),
                        labels,
                        pod_spec: template.get("spec").unwrap_or(&Value::Null),
                    });
                }
                (api, "PodMonitor") if api.starts_with("monitoring.coreos.com/") => {
                    catalog.pod_monitors.insert(meta.key());
                }
                _ => {}
            }
        }
        catalog
    }
}

/// The structural schema of a spec, from the committed CRD or generated from the types.
fn spec_schema(kind: &str) -> Value {
    let committed = crate::crd::for_kind(kind).and_then(|crd| {
        crd.pointer("/spec/versions/0/schema/openAPIV3Schema/properties/spec")
            .filter(|s| s.get("properties").is_some())
            .cloned()
    });
    committed.unwrap_or_else(|| match kind {
        "PodMonitor" => crate::model::crd_schema::structural::<crate::model::PodMonitorSpec>(),
        _ => crate::model::crd_schema::structural::<crate::model::ServiceMonitorSpec>(),
    })
}

fn pod_monitor_spec_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| spec_schema("PodMonitor"))
}

/// Whether `value` only uses fields `schema` knows (objects with declared properties are checked key
/// by key; free-form maps and scalars always fit).
fn fits(value: &Value, schema: &Value) -> Result<(), String> {
    match value {
        Value::Object(map) => {
            let Some(props) = schema.get("properties").and_then(Value::as_object) else {
                return Ok(());
            };
            for (k, v) in map {
                let sub = props.get(k).ok_or_else(|| k.clone())?;
                fits(v, sub).map_err(|inner| format!("{k}.{inner}"))?;
            }
            Ok(())
        }
        Value::Array(items) => match schema.get("items") {
            Some(item_schema) => items.iter().try_for_each(|i| fits(i, item_schema)),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

/// Spec fields handled by the conversion itself rather than copied.
const SPEC_HANDLED: [&str; 7] = [
    "jobLabel",
    "targetLabels",
    "podTargetLabels",
    "endpoints",
    "selector",
    "namespaceSelector",
    "serviceDiscoveryRole",
];

/// Meta labels that only exist for Service discovery: a relabeling reading them cannot move.
const SERVICE_ONLY_META: [&str; 3] = [
    "__meta_kubernetes_service_",
    "__meta_kubernetes_endpoint_",
    "__meta_kubernetes_endpointslice_",
];

/// Converts one ServiceMonitor. `extra_labels` are added to each PodMonitor's labels so that the
/// agents' `podMonitorSelector`s select it.
pub fn convert(
    sm: &Document,
    catalog: &Catalog<'_>,
    extra_labels: &[(String, String)],
) -> Result<Vec<Converted>, String> {
    let sm_meta = Meta::of(&sm.value);
    let spec = View::root(&sm.value).get("spec");
    let selector = Selector::parse(&spec.get("selector"))
        .map_err(|e| format!("its selector is invalid ({})", e.message))?
        .unwrap_or_default();
    let ns_sel = spec.get("namespaceSelector");
    let any_namespace = ns_sel.get("any").is_true();
    let names: Vec<String> = ns_sel
        .get("matchNames")
        .items()
        .iter()
        .map(|v| v.string().to_string())
        .collect();
    let namespace_ok = |ns: &str| {
        if any_namespace {
            true
        } else if names.is_empty() {
            ns == sm_meta.namespace
        } else {
            names.iter().any(|n| n == ns)
        }
    };
    let services: Vec<(&Document, Meta)> = catalog
        .services
        .iter()
        .map(|d| (*d, Meta::of(&d.value)))
        .filter(|(_, m)| namespace_ok(&m.namespace) && selector.matches(&m.labels))
        .collect();
    if services.is_empty() {
        return Err("no Service in the input matches its selector and namespace selector; add the Service to the input or write the PodMonitor by hand".into());
    }
    // Settings at spec level must exist on PodMonitors.
    let pm_schema = pod_monitor_spec_schema();
    let pm_props = pm_schema.get("properties").cloned().unwrap_or(Value::Null);
    for (key, value) in spec.entries() {
        if SPEC_HANDLED.contains(&key) {
            continue;
        }
        match pm_props.get(key) {
            Some(sub) => fits(value.value, sub)
                .map_err(|f| format!("`spec.{key}.{f}` has no PodMonitor equivalent"))?,
            None => return Err(format!("`spec.{key}` has no PodMonitor equivalent")),
        }
    }
    let several = services.len() > 1;
    let mut out = Vec::new();
    for (svc, svc_meta) in services {
        let name = if several {
            format!("{}-{}", sm_meta.name, svc_meta.name)
        } else {
            sm_meta.name.clone()
        };
        let key = format!("{}/{}", sm_meta.namespace, name);
        if catalog.pod_monitors.contains(&key) {
            return Err(format!("a PodMonitor {key} already exists in the input"));
        }
        let converted =
            convert_for_service(sm, &sm_meta, svc, &svc_meta, &name, catalog, extra_labels)
                .map_err(|reason| {
                    format!(
                        "{} (Service {}/{})",
                        reason, svc_meta.namespace, svc_meta.name
                    )
                })?;
        out.push(converted);
    }
    Ok(out)
}

/// A port of a Service, as its `targetPort` leads to the pods.
enum PodPort {
    Name(String),
    Number(i64),
}

fn convert_for_service(
    sm: &Document,
    sm_meta: &Meta,
    svc: &Document,
    svc_meta: &Meta,
    name: &str,
    catalog: &Catalog<'_>,
    extra_labels: &[(String, String)],
) -> Result<Converted, String> {
    let svc_root = View::root(&svc.value);
    let pod_selector: Vec<(String, String)> = svc_root
        .at("spec.selector")
        .entries()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.string().to_string()))
        .collect();
    if pod_selector.is_empty() {
        return Err("the Service has no pod selector, so there are no pods to select".into());
    }
    let workloads: Vec<&Workload<'_>> = catalog
        .workloads
        .iter()
        .filter(|w| {
            w.namespace == svc_meta.namespace
                && pod_selector
                    .iter()
                    .all(|(k, v)| w.labels.iter().any(|(wk, wv)| wk == k && wv == v))
        })
        .collect();
    let mut notes = Vec::new();
    let spec = View::root(&sm.value).get("spec");
    let ep_schema = pod_monitor_spec_schema()
        .pointer("/properties/podMetricsEndpoints/items")
        .cloned()
        .unwrap_or(Value::Null);
    let ep_props = ep_schema.get("properties").cloned().unwrap_or(Value::Null);

    // Labels the ServiceMonitor's scrape sets that a PodMonitor's does not.
    let job_label = spec.get("jobLabel").string();
    let job = if !job_label.is_empty() {
        svc_meta
            .label(job_label)
            .unwrap_or(&svc_meta.name)
            .to_string()
    } else {
        svc_meta.name.clone()
    };
    let mut statics: Vec<(String, String)> = vec![
        ("job".into(), job),
        ("service".into(), svc_meta.name.clone()),
    ];
    let mut pod_target_labels: Vec<String> = spec
        .get("podTargetLabels")
        .items()
        .iter()
        .map(|v| v.string().to_string())
        .collect();
    for label in spec.get("targetLabels").items() {
        let label = label.string();
        let Some(value) = svc_meta.label(label) else {
            continue;
        };
        let on_pods = !workloads.is_empty()
            && workloads
                .iter()
                .all(|w| w.labels.iter().any(|(k, v)| k == label && v == value));
        if on_pods {
            if !pod_target_labels.iter().any(|l| l == label) {
                pod_target_labels.push(label.to_string());
            }
        } else {
            statics.push((label.to_string(), value.to_string()));
        }
    }

    let mut endpoints = Vec::new();
    for (i, ep) in spec.get("endpoints").items().into_iter().enumerate() {
        let (sm_endpoint_label, pod_port) =
            endpoint_port(&ep, &svc_root).map_err(|reason| format!("endpoint {i}: {reason}"))?;
        let port_field =
            match pod_port {
                PodPort::Name(n) => ("port", Value::String(n)),
                PodPort::Number(n) => match container_port_name(&workloads, n) {
                    Ok(Some(port_name)) => {
                        notes.push(format!(
                        "endpoint {i}: port {n} resolved to the container port `{port_name}` of {}",
                        workloads.first().map(|w| w.object.to_string()).unwrap_or_default()
                    ));
                        ("port", Value::String(port_name))
                    }
                    Ok(None) => ("portNumber", Value::from(n)),
                    Err(reason) => return Err(format!("endpoint {i}: {reason}")),
                },
            };
        let pm_endpoint_label = match &port_field {
            ("port", Value::String(n)) => Some(n.clone()),
            _ => None,
        };
        let mut ep_statics = statics.clone();
        if let Some(sm_label) = &sm_endpoint_label
            && pm_endpoint_label.as_ref() != Some(sm_label)
        {
            ep_statics.push(("endpoint".into(), sm_label.clone()));
        }
        let mut out = Map::new();
        out.insert(port_field.0.to_string(), port_field.1);
        let mut wrote_relabelings = false;
        for (key, value) in ep.entries() {
            match key {
                "port" | "targetPort" => continue,
                "relabelings" => {
                    out.insert(
                        key.into(),
                        relabelings(&ep_statics, value.value)
                            .map_err(|r| format!("endpoint {i}: {r}"))?,
                    );
                    wrote_relabelings = true;
                    continue;
                }
                _ => {}
            }
            match ep_props.get(key) {
                Some(sub) => fits(value.value, sub).map_err(|f| {
                    format!("endpoint {i}: `{key}.{f}` has no PodMonitor equivalent")
                })?,
                None => {
                    return Err(format!(
                        "endpoint {i}: `{key}` has no PodMonitor equivalent"
                    ));
                }
            }
            out.insert(key.to_string(), value.value.clone());
        }
        if !wrote_relabelings {
            out.insert(
                "relabelings".into(),
                relabelings(&ep_statics, &Value::Null)?,
            );
        }
        endpoints.push(Value::Object(out));
    }
    if endpoints.is_empty() {
        return Err("it has no endpoints".into());
    }
    let mut static_names: Vec<String> = Vec::new();
    for ep in &endpoints {
        for r in ep
            .get("relabelings")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let is_static = r.get("sourceLabels").is_none() && r.get("replacement").is_some();
            if let Some(label) = r.get("targetLabel").and_then(Value::as_str)
                && is_static
                && (statics.iter().any(|(k, _)| k == label) || label == "endpoint")
                && !static_names.iter().any(|n| n == label)
            {
                static_names.push(label.to_string());
            }
        }
    }
    notes.push(format!(
        "static relabelings keep the labels the ServiceMonitor's scrape set ({})",
        static_names.join(", ")
    ));

    // The PodMonitor.
    let mut labels = Map::new();
    for (k, v) in sm_meta.labels.iter().chain(extra_labels) {
        labels.insert(k.clone(), Value::String(v.clone()));
    }
    let mut metadata = Map::new();
    metadata.insert("name".into(), Value::String(name.to_string()));
    if !View::root(&sm.value)
        .at("metadata.namespace")
        .string()
        .is_empty()
    {
        metadata.insert("namespace".into(), Value::String(sm_meta.namespace.clone()));
    }
    if !labels.is_empty() {
        metadata.insert("labels".into(), Value::Object(labels));
    }
    let mut pm_spec = Map::new();
    let mut selector = Map::new();
    for (k, v) in &pod_selector {
        selector.insert(k.clone(), Value::String(v.clone()));
    }
    pm_spec.insert("selector".into(), json!({ "matchLabels": selector }));
    if svc_meta.namespace != sm_meta.namespace {
        pm_spec.insert(
            "namespaceSelector".into(),
            json!({"matchNames": [svc_meta.namespace]}),
        );
    }
    if !pod_target_labels.is_empty() {
        pm_spec.insert("podTargetLabels".into(), json!(pod_target_labels));
    }
    for (key, value) in spec.entries() {
        if !SPEC_HANDLED.contains(&key) {
            pm_spec.insert(key.to_string(), value.value.clone());
        }
    }
    pm_spec.insert("podMetricsEndpoints".into(), Value::Array(endpoints));
    let value = json!({
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PodMonitor",
        "metadata": Value::Object(metadata),
        "spec": Value::Object(pm_spec),
    });
    Ok(Converted {
        pod_monitor: ObjectRef {
            kind: "PodMonitor".into(),
            namespace: sm_meta.namespace.clone(),
            name: name.to_string(),
        },
        service: svc_meta.object_ref(),
        value,
        notes,
    })
}

/// The `endpoint` label the ServiceMonitor's scrape set, and the pod port the endpoint leads to.
fn endpoint_port(ep: &View<'_>, svc: &View<'_>) -> Result<(Option<String>, PodPort), String> {
    let port = ep.get("port").string();
    if !port.is_empty() {
        let svc_port = svc
            .at("spec.ports")
            .items()
            .into_iter()
            .find(|p| p.get("name").string() == port)
            .ok_or_else(|| format!("the Service has no port named `{port}`"))?;
        let target = svc_port.get("targetPort");
        let pod_port = match target.value {
            Value::String(name) if name.parse::<i64>().is_err() => PodPort::Name(name.clone()),
            Value::String(number) => PodPort::Number(number.parse().unwrap_or_default()),
            Value::Number(n) => PodPort::Number(n.as_i64().unwrap_or_default()),
            _ => PodPort::Number(svc_port.get("port").int().unwrap_or_default()),
        };
        return Ok((Some(port.to_string()), pod_port));
    }
    match ep.get("targetPort").value {
        Value::String(name) if !name.is_empty() => {
            Ok((Some(name.clone()), PodPort::Name(name.clone())))
        }
        Value::Number(n) => {
            let n = n.as_i64().unwrap_or_default();
            Ok((Some(n.to_string()), PodPort::Number(n)))
        }
        _ => Err("it names no port".into()),
    }
}

/// The name of container port `number` in the workloads' pods; `None` when it has no name.
fn container_port_name(workloads: &[&Workload<'_>], number: i64) -> Result<Option<String>, String> {
    if workloads.is_empty() {
        return Err(format!(
            "the Service sends port {number} to a numeric targetPort and no Deployment, StatefulSet, DaemonSet or Pod in the input has pods it selects, so the container port cannot be resolved"
        ));
    }
    for w in workloads {
        for container in View::root(w.pod_spec).get("containers").items() {
            for port in container.get("ports").items() {
                if port.get("containerPort").int() == Some(number) {
                    let name = port.get("name").string();
                    return Ok((!name.is_empty()).then(|| name.to_string()));
                }
            }
        }
    }
    Err(format!(
        "no container of {} declares port {number}; the pod role only discovers declared container ports",
        workloads[0].object
    ))
}

/// The endpoint's relabelings with the static labels first (a user relabeling still wins, as it
/// did in the ServiceMonitor). Relabelings that read Service-discovery labels cannot move.
fn relabelings(statics: &[(String, String)], user: &Value) -> Result<Value, String> {
    let mut out: Vec<Value> = statics
        .iter()
        .map(|(label, value)| json!({"action": "replace", "targetLabel": label, "replacement": value}))
        .collect();
    for (i, r) in user
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let reads_service_meta =
            r.get("sourceLabels")
                .and_then(Value::as_array)
                .is_some_and(|labels| {
                    labels
                        .iter()
                        .filter_map(Value::as_str)
                        .any(|l| SERVICE_ONLY_META.iter().any(|p| l.starts_with(p)))
                });
        if reads_service_meta {
            return Err(format!(
                "relabelings[{i}] reads a Service-discovery label that pod discovery does not have"
            ));
        }
        out.push(r.clone());
    }
    Ok(Value::Array(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_str;

    const BASE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: shop\n  labels:\n    app: api\n    team: web\nspec:\n  selector:\n    app: api\n  ports:\n  - name: http-metrics\n    port: 8080\n    targetPort: 9090\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n      - name: api\n        ports:\n        - name: metrics\n          containerPort: 9090\n";

    fn sm(extra: &str) -> String {
        format!(
            "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: api\n  namespace: shop\n  labels:\n    team: web\nspec:\n  selector:\n    matchLabels:\n      app: api\n  targetLabels: [team]\n  endpoints:\n  - port: http-metrics\n    interval: 15s\n{extra}"
        )
    }

    #[test]
    fn numeric_target_port_resolves_through_the_deployment() {
        let inputs = load_str("x.yaml", &format!("{BASE}{}", sm("")));
        let catalog = Catalog::of(&inputs.documents);
        let out = convert(
            &inputs.documents[2],
            &catalog,
            &[("agent".into(), "a".into())],
        )
        .unwrap();
        assert_eq!(out.len(), 1);
        let pm = &out[0].value;
        assert_eq!(
            pm.pointer("/spec/podMetricsEndpoints/0/port"),
            Some(&json!("metrics"))
        );
        assert_eq!(
            pm.pointer("/spec/podMetricsEndpoints/0/interval"),
            Some(&json!("15s"))
        );
        assert_eq!(
            pm.pointer("/spec/selector/matchLabels/app"),
            Some(&json!("api"))
        );
        assert_eq!(pm.pointer("/metadata/labels/agent"), Some(&json!("a")));
        let relabels = pm
            .pointer("/spec/podMetricsEndpoints/0/relabelings")
            .unwrap();
        let targets: Vec<&str> = relabels
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["targetLabel"].as_str().unwrap())
            .collect();
        assert_eq!(targets, ["job", "service", "team", "endpoint"]);
    }

    #[test]
    fn reasons_when_it_cannot_convert() {
        let inputs = load_str("x.yaml", &sm(""));
        let catalog = Catalog::of(&inputs.documents);
        let err = convert(&inputs.documents[0], &catalog, &[]).unwrap_err();
        assert!(err.contains("no Service in the input"), "{err}");

        let only_service = BASE.split("---").next().unwrap();
        let inputs = load_str("x.yaml", &format!("{only_service}{}", sm("")));
        let catalog = Catalog::of(&inputs.documents);
        let err = convert(&inputs.documents[1], &catalog, &[]).unwrap_err();
        assert!(err.contains("numeric targetPort"), "{err}");

        let inputs = load_str(
            "x.yaml",
            &format!("{BASE}{}", sm("    bearerTokenFile: /var/run/token\n")),
        );
        let catalog = Catalog::of(&inputs.documents);
        let err = convert(&inputs.documents[2], &catalog, &[]).unwrap_err();
        assert!(
            err.contains("`bearerTokenFile` has no PodMonitor equivalent"),
            "{err}"
        );

        let relabel = "    relabelings:\n    - sourceLabels: [__meta_kubernetes_service_name]\n      targetLabel: svc\n";
        let inputs = load_str("x.yaml", &format!("{BASE}{}", sm(relabel)));
        let catalog = Catalog::of(&inputs.documents);
        let err = convert(&inputs.documents[2], &catalog, &[]).unwrap_err();
        assert!(err.contains("Service-discovery label"), "{err}");
    }
}
