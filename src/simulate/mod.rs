//! Simulating what Prometheus does with a configuration offline: service discovery
//! ([`kubernetes`]), relabeling, scheduling and the targets report.

pub mod kubernetes;
