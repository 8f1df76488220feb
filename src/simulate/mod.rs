//! The simulate stage, after render: what Prometheus does with the rendered configuration at run
//! time — service discovery, relabeling, the scheduling of targets onto agents, and the targets
//! report built from them.
//!
//! * [`kubernetes`]: Kubernetes service discovery, the target groups each role produces;
//! * [`relabel`]: one list of relabel rules applied to one label set, as `model/relabel` does it;
//! * [`pools`]: every scrape pool of a configuration on a cluster, discovered and relabeled;
//! * [`scrape`]: the labels and scrape URL of a discovered target, as `scrape/target.go` builds them,
//!   and the merging of equal targets within a scrape pool.

pub mod kubernetes;
pub mod pools;
pub mod relabel;
pub mod scrape;
