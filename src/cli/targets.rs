//! `promagent targets --config prometheus.yml PATH…`: what Prometheus's targets page would show
//! for a configuration on the Kubernetes objects given, offline: each job's Kubernetes discovery
//! and static targets, relabeled, as active and dropped targets (`/api/v1/targets`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, ValueEnum};
use serde_json::{Value, json};

use super::{CmdResult, ColorChoice, EXIT_CLEAN, EXIT_FINDINGS, Fatal};
use crate::diag::{Diagnostic, SourceFile};
use crate::emit;
use crate::promconfig::{self, LoadOptions};
use crate::simulate::kubernetes::Cluster;
use crate::simulate::pools::{JobTargets, config_targets};
use crate::simulate::scrape::TargetOutcome;

/// Show the targets a Prometheus configuration would scrape on the given Kubernetes objects.
#[derive(Debug, Args)]
#[command(after_help = "\
PATH holds the cluster's objects: Pods, Services, Endpoints, EndpointSlices (discovery.k8s.io/v1),
Nodes, Ingresses (networking.k8s.io/v1), Namespaces, ReplicaSets and Jobs, e.g. the output of
`kubectl get pods,svc,endpointslices,nodes,namespaces -A -o yaml`. Other kinds are ignored; a
namespaced object without a namespace is in `default`.

Every kubernetes_sd_configs entry is simulated as Prometheus v3.13.1 runs it: the role, the
namespaces watched (names, own_namespace), the label and field selectors the API server applies,
and attach_metadata (node, namespace, deployment, job, cronjob). api_server and kubeconfig_file
are not contacted: the objects given stand for that cluster. static_configs are included; other
discovery kinds are not. Each target is then populated and relabeled as its scrape pool does.

Examples:
  promagent targets --config prometheus.yml cluster/
  kubectl get pods,svc,endpointslices,nodes -A -o yaml > objects.yaml
  promagent targets --config prometheus.yml --format json objects.yaml
  promagent targets --config prometheus.yml --own-namespace monitoring objects.yaml

Exit codes: 0 done, 1 an object could not be read (it is left out), 2 could not run (the
configuration is one Prometheus refuses, or an input cannot be read).")]
pub struct TargetsArgs {
    /// The Prometheus configuration file; - reads stdin.
    #[arg(long, value_name = "FILE", required = true)]
    pub config: PathBuf,

    /// The namespace Prometheus runs in, for `namespaces.own_namespace`.
    #[arg(long, value_name = "NS")]
    pub own_namespace: Option<String>,

    /// Output format: human, or json (the `data` of Prometheus's /api/v1/targets).
    #[arg(long, value_enum, default_value_t = TargetsFormat::Human)]
    pub format: TargetsFormat,

    /// Files or directories holding the Kubernetes objects; - reads stdin.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TargetsFormat {
    Human,
    Json,
}

pub fn run(args: TargetsArgs, color: ColorChoice) -> CmdResult {
    run_config(
        &args.config,
        args.own_namespace.as_deref(),
        &args.paths,
        args.format,
        color,
    )
}

fn read_config(path: &Path) -> Result<Arc<SourceFile>, Fatal> {
    let text = if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| Fatal(format!("<stdin>: {e}")))?;
        return Ok(Arc::new(SourceFile::new("<stdin>", text)));
    } else {
        std::fs::read_to_string(path).map_err(|e| Fatal(format!("{}: {e}", path.display())))?
    };
    Ok(Arc::new(SourceFile::new(path.display().to_string(), text)))
}

/// `targets --config`: discovery, relabeling and target population for every job of `config`.
pub fn run_config(
    config: &Path,
    own_namespace: Option<&str>,
    paths: &[PathBuf],
    format: TargetsFormat,
    color: ColorChoice,
) -> CmdResult {
    let file = read_config(config)?;
    let options = LoadOptions {
        env: std::env::vars().collect(),
        ..LoadOptions::default()
    };
    let loaded = match promconfig::load(&file.text, &options) {
        Ok(c) => c,
        Err(_) => {
            let diagnostics = promconfig::check_text(&file, &options);
            eprint!("{}", emit::human::render(&diagnostics, color.for_stderr()));
            return Err(Fatal(format!(
                "{}: Prometheus would not load this configuration",
                file.name
            )));
        }
    };
    let inputs = crate::load::load_paths(paths)?;
    let (cluster, decode_problems) = Cluster::from_documents(&inputs.documents);
    let problems: Vec<Diagnostic> = inputs
        .diagnostics
        .iter()
        .cloned()
        .chain(decode_problems)
        .collect();
    let jobs = config_targets(&loaded, &cluster, own_namespace).map_err(Fatal)?;
    if !problems.is_empty() {
        eprint!("{}", emit::human::render(&problems, color.for_stderr()));
    }
    for job in &jobs {
        for refusal in &job.pool.refused {
            eprintln!(
                "promagent: note: job {}: Prometheus would skip {refusal}",
                job.job_name
            );
        }
    }
    match format {
        TargetsFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&targets_json(&jobs)).map_err(Fatal::from)?
        ),
        TargetsFormat::Human => print!("{}", targets_human(&jobs)),
    }
    Ok(if problems.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_FINDINGS
    })
}

/// The `data` of `/api/v1/targets`: active targets with their labels before and after
/// relabeling, dropped targets with their discovered labels, and the dropped count per pool.
///
/// Every discovered label set that becomes an active target is listed, so that each one can be
/// followed; Prometheus itself shows equal targets (same labels and URL) once. Those are marked
/// with `"sameTargetAs"`, the index of the first of them.
pub fn targets_json(jobs: &[JobTargets]) -> Value {
    let mut active = Vec::new();
    let mut dropped = Vec::new();
    let mut dropped_counts = serde_json::Map::new();
    for job in jobs {
        let first = active.len();
        let actives: Vec<_> = job
            .discovered
            .iter()
            .filter_map(|d| d.active().map(|a| (d, a)))
            .collect();
        for (i, (d, t)) in actives.iter().enumerate() {
            let same = actives[..i]
                .iter()
                .position(|(_, o)| o.labels == t.labels && o.scrape_url == t.scrape_url);
            let mut entry = json!({
                "discoveredLabels": d.discovered_labels(),
                "labels": t.public_labels(),
                "scrapePool": job.job_name,
                "scrapeUrl": t.scrape_url,
                "globalUrl": t.scrape_url,
                "lastError": "",
                "lastScrape": "0001-01-01T00:00:00Z",
                "lastScrapeDuration": 0,
                "health": "unknown",
                "scrapeInterval": t.scrape_interval(),
                "scrapeTimeout": t.scrape_timeout(),
            });
            if let Some(at) = same {
                entry["sameTargetAs"] = json!(first + at);
            }
            active.push(entry);
        }
        let limit = usize::try_from(job.keep_dropped_targets).unwrap_or(usize::MAX);
        let dropped_here = job
            .discovered
            .iter()
            .filter(|d| matches!(d.outcome, TargetOutcome::Dropped { .. }));
        for d in dropped_here.take(if limit == 0 { usize::MAX } else { limit }) {
            dropped.push(json!({
                "discoveredLabels": d.discovered_labels(),
                "scrapePool": job.job_name,
            }));
        }
        dropped_counts.insert(job.job_name.clone(), json!(job.pool.dropped_count));
    }
    json!({
        "activeTargets": active,
        "droppedTargets": dropped,
        "droppedTargetCounts": dropped_counts,
    })
}

fn label_text(labels: &crate::simulate::relabel::LabelSet) -> String {
    let pairs: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{k}={}", crate::kube::validation::go_quote(v)))
        .collect();
    format!("{{{}}}", pairs.join(", "))
}

/// Per job: the active targets (URL and labels) and the dropped ones (their address).
pub fn targets_human(jobs: &[JobTargets]) -> String {
    let mut out = String::new();
    for job in jobs {
        out.push_str(&format!(
            "job {}: {} active, {} dropped\n",
            job.job_name,
            job.pool.active.len(),
            job.pool.dropped_count
        ));
        let discovered_active = job
            .discovered
            .iter()
            .filter(|d| d.active().is_some())
            .count();
        let merged = discovered_active - job.pool.active.len();
        if merged > 0 {
            out.push_str(&format!(
                "  ({merged} more discovered targets have the labels and URL of another one: Prometheus scrapes each such target once)\n"
            ));
        }
        for t in &job.pool.active {
            out.push_str(&format!(
                "  active  {} {}\n",
                t.scrape_url,
                label_text(&t.public_labels())
            ));
        }
        for labels in &job.pool.dropped {
            let address = labels.get("__address__").map_or("", String::as_str);
            out.push_str(&format!("  dropped {address}\n"));
        }
    }
    out
}
