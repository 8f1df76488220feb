//! promagent: an offline linter, renderer and migration tool for Prometheus Operator
//! `PrometheusAgent` manifests.
//!
//! The crate is one pipeline, one module per stage:
//!
//! * [`load`]: files, directories and stdin to YAML documents that keep their source spans;
//! * [`model`]: typed `monitoring.coreos.com` resources, and [`crd`]: the CRDs generated from them;
//! * [`check`]: schema, CEL and operator-rule findings ([`diag::Diagnostic`]);
//! * [`select`]: which monitors an agent selects, shared by `check` and `render`;
//! * [`promconfig`]: Prometheus's own configuration model and its load-time checks;
//! * [`render`]: the `prometheus.yml` and the workloads the operator would create;
//! * [`simulate`]: what Prometheus does with that configuration: relabeling, scrape targets;
//! * [`emit`]: findings and renders written as text, JSON, SARIF, JUnit, GitHub annotations or files;
//!   [`shown`]: what of the input may reach a terminal (Secret values masked, control characters escaped);
//! * [`migrate`]: the comment-preserving StatefulSet-to-DaemonSet rewrite;
//! * [`simulate`]: where agent pods land and what each of them scrapes.
//!
//! [`cli`] wires them to the `promagent` command line.

// A finding is the usual result of a check, not an exceptional path, so `Result<_, Diagnostic>`
// is used freely even though a Diagnostic is larger than clippy's default threshold.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod cli;
pub mod crd;
pub mod diag;
pub mod emit;
pub mod fieldpath;
#[doc(hidden)]
pub mod fuzzing;
pub mod kube;
pub mod load;
pub mod migrate;
pub mod model;
pub mod promconfig;
pub mod render;
pub mod select;
pub mod shown;
pub mod simulate;
pub mod version;
