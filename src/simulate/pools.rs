//! The scrape pools of a Prometheus configuration on a cluster: each scrape config's static
//! targets and Kubernetes discovery ([`super::kubernetes`]), populated and relabeled as its scrape
//! pool syncs them ([`super::scrape`]).

use std::collections::BTreeMap;

use super::kubernetes::{self, AttachMetadata, Cluster, ObjectSelector, Role, SdSpec};
use super::relabel::LabelSet;
use super::scrape::{self, ActiveTarget, Pool, ScrapeSettings, TargetGroup, TargetOutcome};
use crate::kube::selector::{parse_field_selector, parse_label_selector};
use crate::promconfig::Config;
use crate::promconfig::kubernetes::KubernetesSdConfig;
use crate::promconfig::scrape::ScrapeConfig;

/// One scrape config's pool after a sync.
#[derive(Clone, Debug)]
pub struct JobTargets {
    pub job_name: String,
    pub settings: ScrapeSettings,
    /// `keep_dropped_targets`: how many dropped targets Prometheus lists (0: all).
    pub keep_dropped_targets: u64,
    /// The pool as Prometheus keeps it: equal active targets are one target.
    pub pool: Pool,
    /// Every discovered target in discovery order, before equal active targets are merged.
    pub discovered: Vec<Discovered>,
}

/// One target as discovery gave it, and what its scrape pool made of it.
#[derive(Clone, Debug)]
pub struct Discovered {
    /// The target's labels over its group's, empty values included (Prometheus's label builder
    /// leaves those out of the labels it keeps).
    pub sd_labels: LabelSet,
    pub outcome: TargetOutcome,
}

impl Discovered {
    /// The labels before relabeling, with the config's defaults, and the labels discovery gave an
    /// empty value.
    pub fn discovered_labels(&self) -> LabelSet {
        let mut labels = match &self.outcome {
            TargetOutcome::Active(a) => a.discovered_labels.clone(),
            TargetOutcome::Dropped { discovered_labels }
            | TargetOutcome::Refused {
                discovered_labels, ..
            } => discovered_labels.clone(),
        };
        for (name, value) in &self.sd_labels {
            if value.is_empty() {
                labels.entry(name.clone()).or_default();
            }
        }
        labels
    }

    pub fn active(&self) -> Option<&ActiveTarget> {
        match &self.outcome {
            TargetOutcome::Active(a) => Some(a),
            _ => None,
        }
    }
}

/// The discovery spec of one `kubernetes_sd_configs` entry; `Err` names a selector that does not
/// parse (Prometheus refuses such a file at load time).
pub fn sd_spec(config: &KubernetesSdConfig) -> Result<SdSpec, String> {
    let role =
        Role::parse(&config.role).ok_or_else(|| format!("unknown role {:?}", config.role))?;
    let mut spec = SdSpec::new(role);
    spec.namespaces = config.namespaces.clone();
    spec.own_namespace = config.own_namespace;
    spec.attach_metadata = AttachMetadata {
        node: config.attach_node,
        namespace: config.attach_namespace,
        deployment: config.attach_deployment,
        job: config.attach_job,
        cronjob: config.attach_cronjob,
    };
    for s in &config.selectors {
        let role = Role::parse(&s.role).ok_or_else(|| format!("unknown role {:?}", s.role))?;
        let selector = ObjectSelector {
            label: parse_label_selector(&s.label)?,
            field: parse_field_selector(&s.field)?,
        };
        spec.selectors.insert(role, selector);
    }
    Ok(spec)
}

/// What a scrape config contributes to each of its targets.
pub fn scrape_settings(config: &ScrapeConfig) -> ScrapeSettings {
    let mut params: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, values) in &config.params {
        params.insert(name.clone(), values.clone());
    }
    ScrapeSettings {
        job_name: config.job_name.clone(),
        scheme: config.scheme.clone(),
        metrics_path: config.metrics_path.clone(),
        params,
        scrape_interval_ms: config.scrape_interval,
        scrape_timeout_ms: config.scrape_timeout,
        convert_classic_histograms_to_nhcb: config.convert_classic_histograms_to_nhcb,
        always_scrape_classic_histograms: config.always_scrape_classic_histograms,
        scrape_native_histograms: config.scrape_native_histograms,
        relabel_configs: config.relabel_configs.clone(),
        name_validation: config.name_validation,
    }
}

/// The target groups of a scrape config: its static groups (sources `0`, `1`, … as Prometheus
/// numbers them), then each Kubernetes discovery's groups.
pub fn target_groups(
    config: &ScrapeConfig,
    cluster: &Cluster,
    own_namespace: Option<&str>,
) -> Result<Vec<TargetGroup>, String> {
    let mut groups = Vec::new();
    for (i, group) in config.discovery.static_configs.iter().enumerate() {
        let labels: BTreeMap<String, String> = group.labels.iter().cloned().collect();
        let targets = group
            .targets
            .iter()
            .map(|(address, _)| {
                BTreeMap::from([(kubernetes::ADDRESS_LABEL.to_string(), address.clone())])
            })
            .collect();
        groups.push(TargetGroup {
            source: i.to_string(),
            labels,
            targets,
        });
    }
    for sd in &config.discovery.kubernetes {
        let spec = sd_spec(sd)?;
        groups.extend(kubernetes::discover(&spec, cluster, own_namespace));
    }
    Ok(groups)
}

/// Every scrape config's pool, in the order of the file.
pub fn config_targets(
    config: &Config,
    cluster: &Cluster,
    own_namespace: Option<&str>,
) -> Result<Vec<JobTargets>, String> {
    config
        .scrape_configs
        .iter()
        .map(|sc| {
            let settings = scrape_settings(sc);
            let groups = target_groups(sc, cluster, own_namespace)?;
            let pool = scrape::sync(&groups, &settings, sc.keep_dropped_targets);
            let discovered = groups
                .iter()
                .flat_map(|g| {
                    kubernetes::discovered_labels(g)
                        .into_iter()
                        .zip(&g.targets)
                        .map(move |(all, t)| (all, t, &g.labels))
                })
                .map(|(sd_labels, t, labels)| Discovered {
                    sd_labels,
                    outcome: scrape::populate(t, labels, &settings),
                })
                .collect();
            Ok(JobTargets {
                job_name: sc.job_name.clone(),
                settings,
                keep_dropped_targets: sc.keep_dropped_targets,
                pool,
                discovered,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::promconfig::{LoadOptions, load};

    const CONFIG: &str = "\
scrape_configs:
- job_name: ingress
  kubernetes_sd_configs:
  - role: ingress
    selectors:
    - role: ingress
      label: team=web
      field: metadata.name=shop
    attach_metadata:
      namespace: true
- job_name: static
  static_configs:
  - targets: [a:1, b:2]
  - targets: [c:3]
    labels: {zone: z}
";

    const OBJECTS: &str = "\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: web, labels: {team: web}}
spec:
  rules:
  - host: shop.example.com
    http:
      paths: [{path: /a}, {path: /b}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: other, namespace: web, labels: {team: web}}
spec:
  rules:
  - host: other.example.com
";

    fn jobs() -> Vec<JobTargets> {
        let config = load(CONFIG, &LoadOptions::default()).unwrap();
        let inputs = crate::load::load_str("objects.yaml", OBJECTS);
        let (cluster, problems) = Cluster::from_documents(&inputs.documents);
        assert!(problems.is_empty());
        config_targets(&config, &cluster, None).unwrap()
    }

    #[test]
    fn sd_configs_become_discovery_specs() {
        let config = load(CONFIG, &LoadOptions::default()).unwrap();
        let spec = sd_spec(&config.scrape_configs[0].discovery.kubernetes[0]).unwrap();
        assert_eq!(spec.role, Role::Ingress);
        assert!(spec.attach_metadata.namespace);
        let selector = &spec.selectors[&Role::Ingress];
        assert_eq!(selector.label.requirements[0].key, "team");
        assert_eq!(selector.field.requirements[0].field, "metadata.name");
    }

    #[test]
    fn equal_targets_are_one_in_the_pool_but_each_is_discovered() {
        let jobs = jobs();
        let ingress = &jobs[0];
        assert_eq!(
            ingress.discovered.len(),
            2,
            "the field selector keeps one ingress"
        );
        assert_eq!(
            ingress.pool.active.len(),
            1,
            "both paths scrape the same URL"
        );
        let paths: Vec<String> = ingress
            .discovered
            .iter()
            .map(|d| d.discovered_labels()["__meta_kubernetes_ingress_path"].clone())
            .collect();
        assert_eq!(paths, vec!["/a", "/b"]);
    }

    #[test]
    fn static_groups_are_numbered_and_keep_their_labels() {
        let config = load(CONFIG, &LoadOptions::default()).unwrap();
        let groups = target_groups(&config.scrape_configs[1], &Cluster::default(), None).unwrap();
        let sources: Vec<&str> = groups.iter().map(|g| g.source.as_str()).collect();
        assert_eq!(sources, vec!["0", "1"]);
        assert_eq!(groups[0].targets.len(), 2);
        assert_eq!(groups[1].labels["zone"], "z");
        let jobs = jobs();
        let instances: Vec<&str> = jobs[1]
            .pool
            .active
            .iter()
            .map(|t| t.labels["instance"].as_str())
            .collect();
        assert_eq!(instances, vec!["a:1", "b:2", "c:3"]);
    }
}
