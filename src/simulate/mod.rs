//! The simulate stage, after render: what Prometheus and the cluster do with an agent's
//! configuration at run time.
//!
//! * [`kubernetes`]: Kubernetes service discovery on a snapshot of the cluster;
//! * [`relabel`]: one list of relabel rules applied to one label set, as `model/relabel` does it;
//! * [`scrape`]: the labels and scrape URL of a discovered target, as `scrape/target.go` builds them,
//!   and the merging of equal targets within a scrape pool;
//! * [`schedule`]: which nodes the DaemonSet controller puts agent pods on;
//! * [`pods`]: the pods of an agent and the configuration each one loads;
//! * [`targets`]: what each agent pod scrapes, gathered in a [`report`] with its [`notes`].

pub mod kubernetes;
pub mod notes;
pub mod pods;
pub mod pools;
pub mod relabel;
pub mod report;
pub mod schedule;
pub mod scrape;
pub mod targets;
