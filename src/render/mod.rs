//! Rendering what the operator would create for a `PrometheusAgent`: the `prometheus.yml` (see
//! [`config`]) printed with [`goyaml`], driven by the operator-level [`options`].

pub mod config;
pub mod diff;
pub mod goyaml;
pub mod options;
pub mod validate;
pub mod workloads;
