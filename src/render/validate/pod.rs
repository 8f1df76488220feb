//! `ValidatePodSpec` and the pod template's metadata, for what the operator can put in a pod: volumes
//! (name, exactly one source, the sources' required fields), containers and init containers (name,
//! image, ports, env, mounts, resources, probes, lifecycle, restart policy), and the pod-level fields
//! copied from the agent (node selector, tolerations, host aliases, DNS, names of other objects).
//!
//! The API server applies its defaults before it validates; the defaults that matter here (port
//! protocol `TCP`, probe thresholds, pull policy, restart policy) are applied where they are read.

use super::errors::{BadValue, FieldError};
use super::names;
use crate::fieldpath::FieldPath;
use k8s_openapi::api::core::v1::{
    Container, ContainerPort, EnvFromSource, EnvVar, Lifecycle, LifecycleHandler, PodSpec, Probe,
    ResourceRequirements, Toleration, Volume, VolumeMount,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Validates a pod template's labels and annotations (paths under `path`, e.g. `spec.template`).
pub fn template_metadata(
    labels: &BTreeMap<String, String>,
    annotations: &BTreeMap<String, String>,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = names::labels(labels, &path.key("labels"));
    errs.extend(names::annotations(annotations, &path.key("annotations")));
    errs
}

/// `ValidatePodSpec` for the pod spec at `path` (`spec.template.spec` or a pod's `spec`).
pub fn pod_spec(spec: &PodSpec, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if spec.termination_grace_period_seconds.is_none() {
        errs.push(FieldError::required(
            path.key("terminationGracePeriodSeconds"),
            "",
        ));
    }
    let grace = spec.termination_grace_period_seconds.unwrap_or(30);
    let volumes = validate_volumes(
        spec.volumes.as_deref().unwrap_or(&[]),
        &path.key("volumes"),
        &mut errs,
    );
    containers(
        &spec.containers,
        &volumes,
        grace,
        &path.key("containers"),
        &mut errs,
    );
    init_containers(
        spec.init_containers.as_deref().unwrap_or(&[]),
        &spec.containers,
        &volumes,
        grace,
        &path.key("initContainers"),
        &mut errs,
    );
    if spec.host_network == Some(true) {
        for (i, c) in spec.containers.iter().enumerate() {
            for (j, p) in c.ports.iter().flatten().enumerate() {
                let host = p.host_port.unwrap_or(0);
                if host != 0 && host != p.container_port {
                    errs.push(FieldError::invalid(
                        path.key("containers")
                            .index(i)
                            .key("ports")
                            .index(j)
                            .key("hostPort"),
                        BadValue::Int(host.into()),
                        "must match `containerPort` when `hostNetwork` is true",
                    ));
                }
            }
        }
    }
    let restart = spec.restart_policy.as_deref().unwrap_or("Always");
    if !["Always", "OnFailure", "Never"].contains(&restart) {
        errs.push(FieldError::not_supported(
            path.key("restartPolicy"),
            restart,
            &["Always", "OnFailure", "Never"],
        ));
    }
    let dns_policy = spec.dns_policy.as_deref().unwrap_or("ClusterFirst");
    const DNS_POLICIES: [&str; 4] = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
    if !DNS_POLICIES.contains(&dns_policy) {
        errs.push(FieldError::not_supported(
            path.key("dnsPolicy"),
            dns_policy,
            &DNS_POLICIES,
        ));
    }
    if let Some(selector) = &spec.node_selector {
        errs.extend(names::labels(selector, &path.key("nodeSelector")));
    }
    dns_config(spec, dns_policy, &path.key("dnsConfig"), &mut errs);
    if let Some(name) = spec
        .service_account_name
        .as_deref()
        .filter(|n| !n.is_empty())
    {
        for msg in names::subdomain(name) {
            errs.push(FieldError::invalid_str(
                path.key("serviceAccountName"),
                name,
                &msg,
            ));
        }
    }
    tolerations(
        spec.tolerations.as_deref().unwrap_or(&[]),
        &path.key("tolerations"),
        &mut errs,
    );
    for (i, alias) in spec.host_aliases.iter().flatten().enumerate() {
        let at = path.key("hostAliases").index(i);
        let ip = alias.ip.as_str();
        if ip.parse::<std::net::IpAddr>().is_err() {
            errs.push(FieldError::invalid_str(
                at.key("ip"),
                ip,
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            ));
        }
        for (j, host) in alias.hostnames.iter().flatten().enumerate() {
            for msg in names::subdomain(host) {
                errs.push(FieldError::invalid_str(
                    at.key("hostnames").index(j),
                    host,
                    &msg,
                ));
            }
        }
    }
    if let Some(name) = spec
        .priority_class_name
        .as_deref()
        .filter(|n| !n.is_empty())
    {
        for msg in names::subdomain(name) {
            errs.push(FieldError::invalid_str(
                path.key("priorityClassName"),
                name,
                &msg,
            ));
        }
    }
    errs
}

/// `ValidateVolumes`: the valid volumes by name (a mount of an invalid volume is not found either).
fn validate_volumes(
    volumes: &[Volume],
    path: &FieldPath,
    errs: &mut Vec<FieldError>,
) -> HashMap<String, VolumeKind> {
    let mut valid = HashMap::new();
    for (i, volume) in volumes.iter().enumerate() {
        let at = path.index(i);
        let mut own = volume_source(volume, &at);
        let name_path = at.key("name");
        if volume.name.is_empty() {
            own.push(FieldError::required(name_path.clone(), ""));
        } else {
            for msg in names::label(&volume.name) {
                own.push(FieldError::invalid_str(
                    name_path.clone(),
                    &volume.name,
                    &msg,
                ));
            }
        }
        if valid.contains_key(&volume.name) {
            own.push(FieldError::duplicate(name_path, &volume.name));
        }
        if own.is_empty() {
            let kind = if volume.image.is_some() {
                VolumeKind::Image
            } else {
                VolumeKind::Other
            };
            valid.insert(volume.name.clone(), kind);
        } else {
            errs.extend(own);
        }
    }
    valid
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum VolumeKind {
    Image,
    Other,
}

/// Which sources a volume sets, in the order `validateVolumeSource` looks at them, with the name its
/// errors use for each.
fn set_sources(v: &Volume) -> Vec<&'static str> {
    let present = [
        (v.empty_dir.is_some(), "emptyDir"),
        (v.host_path.is_some(), "hostPath"),
        (v.git_repo.is_some(), "gitRepo"),
        (v.gce_persistent_disk.is_some(), "gcePersistentDisk"),
        (v.aws_elastic_block_store.is_some(), "awsElasticBlockStore"),
        (v.secret.is_some(), "secret"),
        (v.nfs.is_some(), "nfs"),
        (v.iscsi.is_some(), "iscsi"),
        (v.glusterfs.is_some(), "glusterfs"),
        (v.flocker.is_some(), "flocker"),
        (v.persistent_volume_claim.is_some(), "persistentVolumeClaim"),
        (v.rbd.is_some(), "rbd"),
        (v.cinder.is_some(), "cinder"),
        (v.cephfs.is_some(), "cephFS"),
        (v.quobyte.is_some(), "quobyte"),
        // The API server spells this one without the `d`.
        (v.downward_api.is_some(), "downwarAPI"),
        (v.fc.is_some(), "fc"),
        (v.flex_volume.is_some(), "flexVolume"),
        (v.config_map.is_some(), "configMap"),
        (v.azure_file.is_some(), "azureFile"),
        (v.vsphere_volume.is_some(), "vsphereVolume"),
        (v.photon_persistent_disk.is_some(), "photonPersistentDisk"),
        (v.portworx_volume.is_some(), "portworxVolume"),
        (v.azure_disk.is_some(), "azureDisk"),
        (v.storageos.is_some(), "storageos"),
        (v.projected.is_some(), "projected"),
        (v.scale_io.is_some(), "scaleIO"),
        (v.csi.is_some(), "csi"),
        (v.ephemeral.is_some(), "ephemeral"),
        (v.image.is_some(), "image"),
    ];
    present
        .into_iter()
        .filter_map(|(set, name)| set.then_some(name))
        .collect()
}

const FILE_MODE_ERROR: &str = "must be a number between 0 and 0777 (octal), both inclusive";

/// `validateVolumeSource`: exactly one source, and the required fields of the common ones.
fn volume_source(v: &Volume, at: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let sources = set_sources(v);
    match sources.as_slice() {
        [] => errs.push(FieldError::required(
            at.clone(),
            "must specify a volume type",
        )),
        [_, rest @ ..] => {
            for name in rest {
                errs.push(FieldError::forbidden(
                    at.key(*name),
                    "may not specify more than 1 volume type",
                ));
            }
        }
    }
    // Only the first source is validated further, as the API server does.
    let first = sources.first().copied();
    let mode = |errs: &mut Vec<FieldError>, mode: Option<i32>, path: FieldPath| {
        if let Some(m) = mode
            && !(0..=0o777).contains(&m)
        {
            errs.push(FieldError::invalid(
                path,
                BadValue::Int(m.into()),
                FILE_MODE_ERROR,
            ));
        }
    };
    match first {
        Some("secret") => {
            if let Some(s) = &v.secret {
                let sp = at.key("secret");
                if s.secret_name.as_deref().unwrap_or("").is_empty() {
                    errs.push(FieldError::required(sp.key("secretName"), ""));
                }
                mode(&mut errs, s.default_mode, sp.key("defaultMode"));
                key_to_paths(
                    s.items.as_deref().unwrap_or(&[]),
                    &sp.key("items"),
                    &mut errs,
                );
            }
        }
        Some("configMap") => {
            if let Some(c) = &v.config_map {
                let cp = at.key("configMap");
                if c.name.is_empty() {
                    errs.push(FieldError::required(cp.key("name"), ""));
                }
                mode(&mut errs, c.default_mode, cp.key("defaultMode"));
                key_to_paths(
                    c.items.as_deref().unwrap_or(&[]),
                    &cp.key("items"),
                    &mut errs,
                );
            }
        }
        Some("persistentVolumeClaim")
            if v.persistent_volume_claim
                .as_ref()
                .is_some_and(|c| c.claim_name.is_empty()) =>
        {
            errs.push(FieldError::required(
                at.key("persistentVolumeClaim").key("claimName"),
                "",
            ));
        }
        Some("hostPath") => {
            if let Some(h) = &v.host_path {
                let p = at.key("hostPath").key("path");
                if h.path.is_empty() {
                    errs.push(FieldError::required(p, ""));
                } else {
                    errs.extend(no_backsteps(&h.path, &p));
                }
            }
        }
        Some("nfs") => {
            if let Some(n) = &v.nfs {
                let np = at.key("nfs");
                if n.server.is_empty() {
                    errs.push(FieldError::required(np.key("server"), ""));
                }
                if n.path.is_empty() {
                    errs.push(FieldError::required(np.key("path"), ""));
                }
                if !n.path.starts_with('/') {
                    errs.push(FieldError::invalid_str(
                        np.key("path"),
                        &n.path,
                        "must be an absolute path",
                    ));
                }
            }
        }
        _ => {}
    }
    errs
}

fn key_to_paths(
    items: &[k8s_openapi::api::core::v1::KeyToPath],
    path: &FieldPath,
    errs: &mut Vec<FieldError>,
) {
    for (i, item) in items.iter().enumerate() {
        let at = path.index(i);
        if item.key.is_empty() {
            errs.push(FieldError::required(at.key("key"), ""));
        }
        if item.path.is_empty() {
            errs.push(FieldError::required(at.key("path"), ""));
        }
        let p = at.key("path");
        if item.path.starts_with('/') {
            errs.push(FieldError::invalid_str(
                p.clone(),
                &item.path,
                "must be a relative path",
            ));
        }
        errs.extend(no_backsteps(&item.path, &p));
        if item.path.starts_with("..") {
            errs.push(FieldError::invalid_str(
                p,
                &item.path,
                "must not start with '..'",
            ));
        }
        if let Some(m) = item.mode
            && !(0..=0o777).contains(&m)
        {
            errs.push(FieldError::invalid(
                at.key("mode"),
                BadValue::Int(m.into()),
                FILE_MODE_ERROR,
            ));
        }
    }
}

fn no_backsteps(target: &str, path: &FieldPath) -> Vec<FieldError> {
    if target.split('/').any(|part| part == "..") {
        vec![FieldError::invalid_str(
            path.clone(),
            target,
            "must not contain '..'",
        )]
    } else {
        Vec::new()
    }
}

/// `validateLocalDescendingPath`.
fn local_descending(target: &str, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if target.starts_with('/') {
        errs.push(FieldError::invalid_str(
            path.clone(),
            target,
            "must be a relative path",
        ));
    }
    errs.extend(no_backsteps(target, path));
    errs
}

fn containers(
    list: &[Container],
    volumes: &HashMap<String, VolumeKind>,
    grace: i64,
    path: &FieldPath,
    errs: &mut Vec<FieldError>,
) {
    if list.is_empty() {
        errs.push(FieldError::required(path.clone(), ""));
        return;
    }
    let mut names = HashSet::new();
    for (i, c) in list.iter().enumerate() {
        let at = path.index(i);
        container_common(c, volumes, &at, errs);
        if !names.insert(c.name.as_str()) {
            errs.push(FieldError::duplicate(at.key("name"), &c.name));
        }
        if let Some(l) = &c.lifecycle {
            lifecycle(l, grace, &at.key("lifecycle"), errs);
        }
        probes(c, &at, errs);
        if c.restart_policy.is_some() {
            errs.push(FieldError::forbidden(
                at.key("restartPolicy"),
                "may not be set for non-init containers",
            ));
        }
    }
    host_port_conflicts(list.iter().enumerate(), path, errs);
}

fn init_containers(
    list: &[Container],
    regular: &[Container],
    volumes: &HashMap<String, VolumeKind>,
    grace: i64,
    path: &FieldPath,
    errs: &mut Vec<FieldError>,
) {
    let mut names: HashSet<&str> = regular.iter().map(|c| c.name.as_str()).collect();
    for (i, c) in list.iter().enumerate() {
        let at = path.index(i);
        container_common(c, volumes, &at, errs);
        let mut restart_always = false;
        if let Some(policy) = &c.restart_policy {
            if policy != "Always" {
                errs.push(FieldError::not_supported(
                    at.key("restartPolicy"),
                    policy,
                    &["Always"],
                ));
            }
            restart_always = policy == "Always";
        }
        if names.contains(c.name.as_str()) {
            errs.push(FieldError::duplicate(at.key("name"), &c.name));
        } else if !c.name.is_empty() {
            names.insert(c.name.as_str());
        }
        host_port_conflicts(std::iter::once((i, c)), path, errs);
        if restart_always {
            if let Some(l) = &c.lifecycle {
                lifecycle(l, grace, &at.key("lifecycle"), errs);
            }
            probes(c, &at, errs);
        } else {
            let forbidden = [
                (c.lifecycle.is_some(), "lifecycle"),
                (c.liveness_probe.is_some(), "livenessProbe"),
                (c.readiness_probe.is_some(), "readinessProbe"),
                (c.startup_probe.is_some(), "startupProbe"),
            ];
            for (set, field) in forbidden {
                if set {
                    errs.push(FieldError::forbidden(
                        at.key(field),
                        "may not be set for init containers without restartPolicy=Always",
                    ));
                }
            }
        }
    }
}

/// `validateContainerCommon`.
fn container_common(
    c: &Container,
    volumes: &HashMap<String, VolumeKind>,
    at: &FieldPath,
    errs: &mut Vec<FieldError>,
) {
    let name_path = at.key("name");
    if c.name.is_empty() {
        errs.push(FieldError::required(name_path, ""));
    } else {
        for msg in names::label(&c.name) {
            errs.push(FieldError::invalid_str(name_path.clone(), &c.name, &msg));
        }
    }
    if c.image.as_deref().unwrap_or("").is_empty() {
        errs.push(FieldError::required(at.key("image"), ""));
    }
    let policy = c.termination_message_policy.as_deref().unwrap_or("File");
    if !["File", "FallbackToLogsOnError"].contains(&policy) {
        errs.push(FieldError::not_supported(
            at.key("terminationMessagePolicy"),
            policy,
            &["File", "FallbackToLogsOnError"],
        ));
    }
    ports(c.ports.as_deref().unwrap_or(&[]), &at.key("ports"), errs);
    env(c.env.as_deref().unwrap_or(&[]), &at.key("env"), errs);
    env_from(
        c.env_from.as_deref().unwrap_or(&[]),
        &at.key("envFrom"),
        errs,
    );
    volume_mounts(
        c.volume_mounts.as_deref().unwrap_or(&[]),
        volumes,
        &at.key("volumeMounts"),
        errs,
    );
    if let Some(policy) = c.image_pull_policy.as_deref() {
        const PULL: [&str; 3] = ["Always", "IfNotPresent", "Never"];
        if !PULL.contains(&policy) {
            errs.push(FieldError::not_supported(
                at.key("imagePullPolicy"),
                policy,
                &PULL,
            ));
        }
    }
    if let Some(r) = &c.resources {
        resources(r, &at.key("resources"), errs);
    }
}

fn ports(list: &[ContainerPort], path: &FieldPath, errs: &mut Vec<FieldError>) {
    let mut seen = HashSet::new();
    for (i, p) in list.iter().enumerate() {
        let at = path.index(i);
        if let Some(name) = p.name.as_deref().filter(|n| !n.is_empty()) {
            let msgs = names::port_name(name);
            if !msgs.is_empty() {
                for msg in msgs {
                    errs.push(FieldError::invalid_str(at.key("name"), name, &msg));
                }
            } else if !seen.insert(name) {
                errs.push(FieldError::duplicate(at.key("name"), name));
            }
        }
        if p.container_port == 0 {
            errs.push(FieldError::required(at.key("containerPort"), ""));
        } else if let Some(msg) = names::port_number(p.container_port.into()) {
            errs.push(FieldError::invalid(
                at.key("containerPort"),
                BadValue::Int(p.container_port.into()),
                &msg,
            ));
        }
        if let Some(host) = p.host_port.filter(|h| *h != 0)
            && let Some(msg) = names::port_number(host.into())
        {
            errs.push(FieldError::invalid(
                at.key("hostPort"),
                BadValue::Int(host.into()),
                &msg,
            ));
        }
        let protocol = p.protocol.as_deref().unwrap_or("TCP");
        if !["SCTP", "TCP", "UDP"].contains(&protocol) {
            errs.push(FieldError::not_supported(
                at.key("protocol"),
                protocol,
                &["SCTP", "TCP", "UDP"],
            ));
        }
    }
}

/// Host ports must be unique per protocol and host IP across the containers given.
fn host_port_conflicts<'a>(
    list: impl Iterator<Item = (usize, &'a Container)>,
    path: &FieldPath,
    errs: &mut Vec<FieldError>,
) {
    let mut seen = HashSet::new();
    for (i, c) in list {
        for (j, p) in c.ports.iter().flatten().enumerate() {
            let Some(host) = p.host_port.filter(|h| *h != 0) else {
                continue;
            };
            let key = format!(
                "{}/{}/{host}",
                p.protocol.as_deref().unwrap_or("TCP"),
                p.host_ip.as_deref().unwrap_or("")
            );
            if seen.contains(&key) {
                errs.push(FieldError::duplicate(
                    path.index(i).key("ports").index(j).key("hostPort"),
                    &key,
                ));
            } else {
                seen.insert(key);
            }
        }
    }
}

fn env(list: &[EnvVar], path: &FieldPath, errs: &mut Vec<FieldError>) {
    for (i, e) in list.iter().enumerate() {
        let at = path.index(i);
        if e.name.is_empty() {
            errs.push(FieldError::required(at.key("name"), ""));
        } else {
            for msg in names::env_var_name(&e.name) {
                errs.push(FieldError::invalid_str(at.key("name"), &e.name, &msg));
            }
        }
        let Some(from) = &e.value_from else { continue };
        let vp = at.key("valueFrom");
        let count = [
            from.field_ref.is_some(),
            from.resource_field_ref.is_some(),
            from.config_map_key_ref.is_some(),
            from.secret_key_ref.is_some(),
        ]
        .iter()
        .filter(|s| **s)
        .count();
        if let Some(r) = &from.config_map_key_ref {
            key_selector(&r.name, &r.key, &vp.key("configMapKeyRef"), errs);
        }
        if let Some(r) = &from.secret_key_ref {
            key_selector(&r.name, &r.key, &vp.key("secretKeyRef"), errs);
        }
        let empty = BadValue::Str(String::new());
        if count == 0 {
            errs.push(FieldError::invalid(
                vp,
                empty,
                "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
            ));
        } else if !e.value.as_deref().unwrap_or("").is_empty() {
            errs.push(FieldError::invalid(
                vp,
                empty,
                "may not be specified when `value` is not empty",
            ));
        } else if count > 1 {
            errs.push(FieldError::invalid(
                vp,
                empty,
                "may not have more than one field specified at a time",
            ));
        }
    }
}

fn key_selector(name: &str, key: &str, path: &FieldPath, errs: &mut Vec<FieldError>) {
    for msg in names::subdomain(name) {
        errs.push(FieldError::invalid_str(path.key("name"), name, &msg));
    }
    if key.is_empty() {
        errs.push(FieldError::required(path.key("key"), ""));
    } else {
        for msg in names::config_map_key(key) {
            errs.push(FieldError::invalid_str(path.key("key"), key, &msg));
        }
    }
}

fn env_from(list: &[EnvFromSource], path: &FieldPath, errs: &mut Vec<FieldError>) {
    for (i, e) in list.iter().enumerate() {
        let at = path.index(i);
        if let Some(prefix) = e.prefix.as_deref().filter(|p| !p.is_empty()) {
            for msg in names::env_var_name(prefix) {
                errs.push(FieldError::invalid_str(at.key("prefix"), prefix, &msg));
            }
        }
        let mut count = 0;
        if let Some(r) = &e.config_map_ref {
            count += 1;
            source_name(&r.name, &at.key("configMapRef"), errs);
        }
        if let Some(r) = &e.secret_ref {
            count += 1;
            source_name(&r.name, &at.key("secretRef"), errs);
        }
        let empty = BadValue::Str(String::new());
        if count == 0 {
            errs.push(FieldError::invalid(
                path.clone(),
                empty,
                "must specify one of: `configMapRef` or `secretRef`",
            ));
        } else if count > 1 {
            errs.push(FieldError::invalid(
                path.clone(),
                empty,
                "may not have more than one field specified at a time",
            ));
        }
    }
}

fn source_name(name: &str, path: &FieldPath, errs: &mut Vec<FieldError>) {
    if name.is_empty() {
        errs.push(FieldError::required(path.key("name"), ""));
    } else {
        for msg in names::subdomain(name) {
            errs.push(FieldError::invalid_str(path.key("name"), name, &msg));
        }
    }
}

/// `ValidateVolumeMounts`. The subPath errors name the list, not the entry, as the API server's do.
fn volume_mounts(
    list: &[VolumeMount],
    volumes: &HashMap<String, VolumeKind>,
    path: &FieldPath,
    errs: &mut Vec<FieldError>,
) {
    let mut mount_points = HashSet::new();
    for (i, m) in list.iter().enumerate() {
        let at = path.index(i);
        if m.name.is_empty() {
            errs.push(FieldError::required(at.key("name"), ""));
        }
        if !volumes.contains_key(&m.name) {
            errs.push(FieldError::not_found(at.key("name"), &m.name));
        }
        if m.mount_path.is_empty() {
            errs.push(FieldError::required(at.key("mountPath"), ""));
        }
        if !mount_points.insert(m.mount_path.as_str()) {
            errs.push(FieldError::invalid_str(
                at.key("mountPath"),
                &m.mount_path,
                "must be unique",
            ));
        }
        let sub_path = m.sub_path.as_deref().unwrap_or("");
        let sub_path_expr = m.sub_path_expr.as_deref().unwrap_or("");
        if volumes.get(&m.name) == Some(&VolumeKind::Image) {
            if !sub_path.is_empty() {
                errs.push(FieldError::invalid_str(
                    at.key("subPath"),
                    sub_path,
                    "not allowed in image volume sources",
                ));
            }
            if !sub_path_expr.is_empty() {
                errs.push(FieldError::invalid_str(
                    at.key("subPathExpr"),
                    sub_path_expr,
                    "not allowed in image volume sources",
                ));
            }
        }
        if !sub_path.is_empty() {
            errs.extend(local_descending(sub_path, &path.key("subPath")));
        }
        if !sub_path_expr.is_empty() {
            if !sub_path.is_empty() {
                errs.push(FieldError::invalid_str(
                    at.key("subPathExpr"),
                    sub_path_expr,
                    "subPathExpr and subPath are mutually exclusive",
                ));
            }
            errs.extend(local_descending(sub_path_expr, &path.key("subPathExpr")));
        }
        if let Some(p) = m.mount_propagation.as_deref() {
            const MODES: [&str; 3] = ["Bidirectional", "HostToContainer", "None"];
            if !MODES.contains(&p) {
                errs.push(FieldError::not_supported(
                    path.key("mountPropagation"),
                    p,
                    &MODES,
                ));
            }
        }
    }
}

/// Requests within limits, no negative quantity, whole numbers for extended resources, and
/// extended resources (which cannot be overcommitted) with requests equal to their limits.
fn resources(r: &ResourceRequirements, path: &FieldPath, errs: &mut Vec<FieldError>) {
    let empty = BTreeMap::new();
    let limits = r.limits.as_ref().unwrap_or(&empty);
    let requests = r.requests.as_ref().unwrap_or(&empty);
    let lim_path = path.key("limits");
    let req_path = path.key("requests");
    for (name, q) in limits {
        quantity_value(name, &q.0, &lim_path, errs);
    }
    for (name, q) in requests {
        quantity_value(name, &q.0, &req_path, errs);
        let request = crate::kube::quantity::parse(&q.0);
        match limits.get(name) {
            Some(limit) => {
                let limit_value = crate::kube::quantity::parse(&limit.0);
                if !overcommit_allowed(name) && request != limit_value {
                    errs.push(FieldError::invalid_str(
                        req_path.clone(),
                        &q.0,
                        &format!("must be equal to {name} limit of {}", limit.0),
                    ));
                } else if let (Some(req), Some(lim)) = (request, limit_value)
                    && req > lim
                {
                    errs.push(FieldError::invalid_str(
                        req_path.clone(),
                        &q.0,
                        &format!("must be less than or equal to {name} limit of {}", limit.0),
                    ));
                }
            }
            None if !overcommit_allowed(name) => errs.push(FieldError::required(
                lim_path.clone(),
                "Limit must be set for non overcommitable resources",
            )),
            None => {}
        }
    }
}

/// Native resources (no domain, or a `kubernetes.io` domain) other than huge pages may be
/// overcommitted; extended resources such as `nvidia.com/gpu` may not.
fn overcommit_allowed(name: &str) -> bool {
    let native = !name.contains('/') || name.contains("kubernetes.io/");
    native && !name.starts_with("hugepages-")
}

/// `ValidateResourceQuantityValue` for the quantity of `name` in the map at `path`.
fn quantity_value(name: &str, text: &str, path: &FieldPath, errs: &mut Vec<FieldError>) {
    let Some(value) = crate::kube::quantity::parse(text) else {
        return;
    };
    if value < 0.0 {
        errs.push(
            FieldError::invalid_str(path.clone(), text, "must be greater than or equal to 0")
                .at_key(name),
        );
    }
    // Extended resources are counted in whole units.
    let extended = name.contains('/') && !name.contains("kubernetes.io/");
    if extended && (value * 1000.0).round() % 1000.0 != 0.0 {
        errs.push(FieldError::invalid_str(path.clone(), text, "must be an integer").at_key(name));
    }
}

fn probes(c: &Container, at: &FieldPath, errs: &mut Vec<FieldError>) {
    if let Some(p) = &c.liveness_probe {
        let pp = at.key("livenessProbe");
        probe(p, &pp, errs);
        success_is_one(p, &pp, errs);
    }
    if let Some(p) = &c.readiness_probe {
        let pp = at.key("readinessProbe");
        probe(p, &pp, errs);
        if let Some(t) = p.termination_grace_period_seconds {
            errs.push(FieldError::invalid(
                pp.key("terminationGracePeriodSeconds"),
                BadValue::Int(t),
                "must not be set for readinessProbes",
            ));
        }
    }
    if let Some(p) = &c.startup_probe {
        let pp = at.key("startupProbe");
        probe(p, &pp, errs);
        success_is_one(p, &pp, errs);
    }
}

fn success_is_one(p: &Probe, path: &FieldPath, errs: &mut Vec<FieldError>) {
    let success = p.success_threshold.unwrap_or(1);
    if success != 1 {
        errs.push(FieldError::invalid(
            path.key("successThreshold"),
            BadValue::Int(success.into()),
            "must be 1",
        ));
    }
}

fn probe(p: &Probe, path: &FieldPath, errs: &mut Vec<FieldError>) {
    let handlers = [
        (p.exec.is_some(), "exec"),
        (p.http_get.is_some(), "httpGet"),
        (p.tcp_socket.is_some(), "tcpSocket"),
        (p.grpc.is_some(), "grpc"),
    ];
    handler(&handlers, path, errs, |name, errs| match name {
        "exec" => exec(
            p.exec.as_ref().and_then(|e| e.command.as_ref()),
            &path.key("exec"),
            errs,
        ),
        "httpGet" => {
            if let Some(h) = &p.http_get {
                http_get(h, &path.key("httpGet"), errs);
            }
        }
        "tcpSocket" => {
            if let Some(t) = &p.tcp_socket {
                port_num_or_name(&t.port, &path.key("tcpSocket").key("port"), errs);
            }
        }
        "grpc" => {
            if let Some(g) = &p.grpc {
                port_num_or_name(
                    &IntOrString::Int(g.port),
                    &path.key("grpc").key("port"),
                    errs,
                );
            }
        }
        _ => {}
    });
    let nonnegative = [
        (p.initial_delay_seconds.unwrap_or(0), "initialDelaySeconds"),
        (p.timeout_seconds.unwrap_or(1), "timeoutSeconds"),
        (p.period_seconds.unwrap_or(10), "periodSeconds"),
        (p.success_threshold.unwrap_or(1), "successThreshold"),
        (p.failure_threshold.unwrap_or(3), "failureThreshold"),
    ];
    for (value, field) in nonnegative {
        if value < 0 {
            errs.push(FieldError::invalid(
                path.key(field),
                BadValue::Int(value.into()),
                "must be greater than or equal to 0",
            ));
        }
    }
    if let Some(t) = p.termination_grace_period_seconds
        && t <= 0
    {
        errs.push(FieldError::invalid(
            path.key("terminationGracePeriodSeconds"),
            BadValue::Int(t),
            "must be greater than 0",
        ));
    }
}

/// Exactly one handler: the second and later ones are forbidden, none at all is required.
fn handler(
    present: &[(bool, &'static str)],
    path: &FieldPath,
    errs: &mut Vec<FieldError>,
    mut validate: impl FnMut(&str, &mut Vec<FieldError>),
) {
    let mut count = 0;
    for (set, name) in present {
        if !set {
            continue;
        }
        if count > 0 {
            errs.push(FieldError::forbidden(
                path.key(*name),
                "may not specify more than 1 handler type",
            ));
        } else {
            count += 1;
            validate(name, errs);
        }
    }
    if count == 0 {
        errs.push(FieldError::required(
            path.clone(),
            "must specify a handler type",
        ));
    }
}

fn exec(command: Option<&Vec<String>>, path: &FieldPath, errs: &mut Vec<FieldError>) {
    if command.is_none_or(|c| c.is_empty()) {
        errs.push(FieldError::required(path.key("command"), ""));
    }
}

fn http_get(
    h: &k8s_openapi::api::core::v1::HTTPGetAction,
    path: &FieldPath,
    errs: &mut Vec<FieldError>,
) {
    port_num_or_name(&h.port, &path.key("port"), errs);
    let scheme = h.scheme.as_deref().unwrap_or("HTTP");
    if !["HTTP", "HTTPS"].contains(&scheme) {
        errs.push(FieldError::not_supported(
            path.key("scheme"),
            scheme,
            &["HTTP", "HTTPS"],
        ));
    }
    for header in h.http_headers.iter().flatten() {
        if !names::is_http_header_name(&header.name) {
            errs.push(FieldError::invalid_str(
                path.key("httpHeaders"),
                &header.name,
                &names::http_header_name_error(),
            ));
        }
    }
}

fn port_num_or_name(port: &IntOrString, path: &FieldPath, errs: &mut Vec<FieldError>) {
    match port {
        IntOrString::Int(n) => {
            if let Some(msg) = names::port_number((*n).into()) {
                errs.push(FieldError::invalid(
                    path.clone(),
                    BadValue::Int((*n).into()),
                    &msg,
                ));
            }
        }
        IntOrString::String(s) => {
            for msg in names::port_name(s) {
                errs.push(FieldError::invalid_str(path.clone(), s, &msg));
            }
        }
    }
}

fn lifecycle(l: &Lifecycle, grace: i64, path: &FieldPath, errs: &mut Vec<FieldError>) {
    let hooks = [(&l.post_start, "postStart"), (&l.pre_stop, "preStop")];
    for (hook, name) in hooks {
        if let Some(h) = hook {
            lifecycle_handler(h, grace, &path.key(name), errs);
        }
    }
}

fn lifecycle_handler(
    h: &LifecycleHandler,
    grace: i64,
    path: &FieldPath,
    errs: &mut Vec<FieldError>,
) {
    let handlers = [
        (h.exec.is_some(), "exec"),
        (h.http_get.is_some(), "httpGet"),
        (h.tcp_socket.is_some(), "tcpSocket"),
        (h.sleep.is_some(), "sleep"),
    ];
    handler(&handlers, path, errs, |name, errs| match name {
        "exec" => exec(
            h.exec.as_ref().and_then(|e| e.command.as_ref()),
            &path.key("exec"),
            errs,
        ),
        "httpGet" => {
            if let Some(g) = &h.http_get {
                http_get(g, &path.key("httpGet"), errs);
            }
        }
        "tcpSocket" => {
            if let Some(t) = &h.tcp_socket {
                port_num_or_name(&t.port, &path.key("tcpSocket").key("port"), errs);
            }
        }
        "sleep" => {
            if let Some(s) = &h.sleep
                && (s.seconds < 0 || s.seconds > grace)
            {
                errs.push(FieldError::invalid(
                    path.key("sleep"),
                    BadValue::Int(s.seconds),
                    &format!(
                        "must be non-negative and less than terminationGracePeriodSeconds ({grace})"
                    ),
                ));
            }
        }
        _ => {}
    });
}

fn dns_config(spec: &PodSpec, policy: &str, path: &FieldPath, errs: &mut Vec<FieldError>) {
    let config = spec.dns_config.as_ref();
    if policy == "None" {
        match config {
            None => {
                errs.push(FieldError::required(
                    path.clone(),
                    "must provide `dnsConfig` when `dnsPolicy` is None",
                ));
                return;
            }
            Some(c) if c.nameservers.as_ref().is_none_or(|n| n.is_empty()) => {
                errs.push(FieldError::required(
                    path.key("nameservers"),
                    "must provide at least one DNS nameserver when `dnsPolicy` is None",
                ));
                return;
            }
            Some(_) => {}
        }
    }
    let Some(c) = config else { return };
    let nameservers = c.nameservers.as_deref().unwrap_or(&[]);
    if nameservers.len() > 3 {
        errs.push(FieldError::invalid(
            path.key("nameservers"),
            BadValue::Raw(go_string_slice(nameservers)),
            "must not have more than 3 nameservers",
        ));
    }
    for (i, ns) in nameservers.iter().enumerate() {
        if ns.parse::<std::net::IpAddr>().is_err() {
            errs.push(FieldError::invalid_str(
                path.key("nameservers").index(i),
                ns,
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            ));
        }
    }
    let searches = c.searches.as_deref().unwrap_or(&[]);
    if searches.len() > 32 {
        errs.push(FieldError::invalid(
            path.key("searches"),
            BadValue::Raw(go_string_slice(searches)),
            "must not have more than 32 search paths",
        ));
    }
    if searches.join(" ").len() > 2048 {
        errs.push(FieldError::invalid(
            path.key("searches"),
            BadValue::Raw(go_string_slice(searches)),
            "must not have more than 2048 characters (including spaces) in the search list",
        ));
    }
    for (i, search) in searches.iter().enumerate() {
        if search == "." {
            continue;
        }
        let trimmed = search.strip_suffix('.').unwrap_or(search);
        for msg in names::subdomain_with_underscore(trimmed) {
            errs.push(FieldError::invalid_str(
                path.key("searches").index(i),
                trimmed,
                &msg,
            ));
        }
    }
    for (i, option) in c.options.iter().flatten().enumerate() {
        if option.name.as_deref().unwrap_or("").is_empty() {
            errs.push(FieldError::required(
                path.key("options").index(i),
                "must not be empty",
            ));
        }
    }
}

fn go_string_slice(items: &[String]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|s| crate::check::schema::go_quote(s))
        .collect();
    format!("[]string{{{}}}", quoted.join(", "))
}

fn tolerations(list: &[Toleration], path: &FieldPath, errs: &mut Vec<FieldError>) {
    for (i, t) in list.iter().enumerate() {
        let at = path.index(i);
        let key = t.key.as_deref().unwrap_or("");
        let operator = t.operator.as_deref().unwrap_or("");
        let value = t.value.as_deref().unwrap_or("");
        let effect = t.effect.as_deref().unwrap_or("");
        if !key.is_empty() {
            for msg in names::qualified(key) {
                errs.push(FieldError::invalid_str(at.key("key"), key, &msg));
            }
        }
        if key.is_empty() && operator != "Exists" {
            errs.push(FieldError::invalid_str(
                at.key("operator"),
                operator,
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ));
        }
        if t.toleration_seconds.is_some() && effect != "NoExecute" {
            errs.push(FieldError::invalid_str(
                at.key("effect"),
                effect,
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            ));
        }
        match operator {
            "Equal" | "" => {
                let msgs = names::label_value(value);
                if !msgs.is_empty() {
                    errs.push(FieldError::invalid_str(
                        at.key("operator"),
                        value,
                        &msgs.join(";"),
                    ));
                }
            }
            "Exists" => {
                if !value.is_empty() {
                    errs.push(FieldError::invalid_str(
                        at.key("operator"),
                        value,
                        "value must be empty when `operator` is 'Exists'",
                    ));
                }
            }
            other => errs.push(FieldError::not_supported(
                at.key("operator"),
                other,
                &["Equal", "Exists"],
            )),
        }
        if !effect.is_empty() && !["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(&effect)
        {
            errs.push(FieldError::not_supported(
                at.key("effect"),
                effect,
                &["NoSchedule", "PreferNoSchedule", "NoExecute"],
            ));
        }
    }
}
