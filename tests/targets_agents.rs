//! End-to-end tests of `promagent targets`: the examples (a tainted node left without an agent
//! pod, its tolerated variant, a migration overlap), the filters, `--explain`, and sharding.

use assert_cmd::Command;
use md5::{Digest, Md5};
use std::collections::BTreeMap;

fn promagent() -> Command {
    let mut cmd = Command::cargo_bin("promagent").unwrap();
    cmd.env_remove("NO_COLOR").env("COLUMNS", "100");
    cmd
}

/// Runs `promagent targets ARGS`, checks the exit code, returns stdout.
fn targets(args: &[&str], code: i32) -> String {
    let out = promagent().arg("targets").args(args).assert().code(code);
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn json(args: &[&str], code: i32) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&targets(&all, code)).unwrap()
}

const MULTI: &str = "testdata/examples/multi-node";
const TOLERATED: [&str; 3] = [
    "testdata/examples/multi-node-tolerated",
    "testdata/examples/multi-node/cluster.yaml",
    "testdata/examples/multi-node/monitors.yaml",
];
const MIGRATION: &str = "testdata/examples/migration-overlap";

#[test]
fn a_tainted_node_without_agent_pod_misses_its_targets() {
    insta::assert_snapshot!("multi_node_human", targets(&[MULTI], 1));
    let report = json(&[MULTI], 1);
    insta::assert_json_snapshot!("multi_node_json", report);
    let missed: Vec<&str> = report["missed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["scrapeUrl"].as_str().unwrap())
        .collect();
    assert_eq!(
        missed,
        [
            "http://10.244.3.31:8080/metrics",
            "http://10.244.3.32:8080/metrics"
        ]
    );
    targets(&[MULTI, "--allow-missed"], 0);
}

#[test]
fn the_tolerated_agent_scrapes_every_node() {
    insta::assert_snapshot!("multi_node_tolerated_human", targets(&TOLERATED, 0));
    let report = json(&TOLERATED, 0);
    insta::assert_json_snapshot!("multi_node_tolerated_json", report);
    let pods = report["agents"][0]["pods"].as_array().unwrap();
    assert_eq!(pods.len(), 3);
    // Each DaemonSet pod scrapes only the pods of its own node.
    for pod in pods {
        let node = pod["node"].as_str().unwrap();
        for t in pod["activeTargets"].as_array().unwrap() {
            assert_eq!(
                t["discoveredLabels"]["__meta_kubernetes_pod_node_name"],
                node
            );
        }
    }
}

#[test]
fn two_agents_on_the_same_monitor_overlap() {
    insta::assert_snapshot!("migration_overlap_human", targets(&[MIGRATION], 1));
    let report = json(&[MIGRATION], 1);
    insta::assert_json_snapshot!("migration_overlap_json", report);
    assert_eq!(report["overlaps"].as_array().unwrap().len(), 2);
    targets(&[MIGRATION, "--allow-overlap"], 0);
}

#[test]
fn filters_narrow_the_report() {
    // Misses on worker-3 are not shown for worker-2, so the run is clean.
    let report = json(&[MULTI, "--node", "worker-2"], 0);
    let pods = report["agents"][0]["pods"].as_array().unwrap();
    assert_eq!(pods.len(), 1);
    assert_eq!(pods[0]["pod"], "prom-agent-node-local@worker-2");
    assert_eq!(
        json(&[MULTI, "--node", "worker-3"], 1)["missed"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let report = json(&[MIGRATION, "--agent", "monitoring/node-local"], 1);
    assert_eq!(report["agents"].as_array().unwrap().len(), 1);
    let report = json(&[MIGRATION, "--job", "no-such-job"], 0);
    assert!(
        report["agents"][0]["pods"][0]["activeTargets"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn explain_shows_each_relabeling_step() {
    let out = targets(&[MULTI, "--explain", "10.244.1.11:8080"], 0);
    insta::assert_snapshot!("multi_node_explain", out);
    promagent()
        .args(["targets", MULTI, "--explain", "10.9.9.9:1"])
        .assert()
        .code(2);
}

#[test]
fn input_without_agent_cannot_run() {
    promagent()
        .args(["targets", "testdata/examples/multi-node/cluster.yaml"])
        .assert()
        .code(2);
}

/// Prometheus's `hashmod`, computed here independently: the last 8 bytes of the MD5 sum, big-endian,
/// modulo the number of shards.
fn shard_of(address: &str, shards: u64) -> u64 {
    let sum = Md5::digest(address.as_bytes());
    let mut tail = [0u8; 8];
    tail.copy_from_slice(&sum[8..]);
    u64::from_be_bytes(tail) % shards
}

#[test]
fn hashmod_reference_values() {
    // The MD5 sum of the empty string, as md5sum prints it, and its last 8 bytes.
    assert_eq!(
        Md5::digest(b"")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>(),
        "d41d8cd98f00b204e9800998ecf8427e"
    );
    assert_eq!(shard_of("", 1 << 32), 0xecf8427e);
}

#[test]
fn every_target_is_kept_by_exactly_one_shard() {
    let report = json(&["testdata/targets/sharded.yaml"], 0);
    let pods = report["agents"][0]["pods"].as_array().unwrap();
    assert_eq!(pods.len(), 6);
    let mut kept_by: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for pod in pods {
        let shard = pod["shard"].as_u64().unwrap();
        if pod["replica"] != 0 {
            continue;
        }
        for t in pod["activeTargets"].as_array().unwrap() {
            let address = t["discoveredLabels"]["__address__"]
                .as_str()
                .unwrap()
                .to_string();
            kept_by.entry(address).or_default().push(shard);
        }
    }
    assert_eq!(kept_by.len(), 12, "{kept_by:?}");
    let mut per_shard = [0; 3];
    for (address, shards) in &kept_by {
        assert_eq!(shards, &[shard_of(address, 3)], "{address}");
        per_shard[shards[0] as usize] += 1;
    }
    assert!(per_shard.iter().all(|n| *n > 0), "{per_shard:?}");
    // Replicas of a shard scrape what their shard scrapes.
    for pair in pods.chunks(2) {
        assert_eq!(pair[0]["activeTargets"], pair[1]["activeTargets"]);
    }
}
