//! Prometheus's own configuration model: decoding a prometheus.yml with spans and validating it as
//! Prometheus loads it.
//!
//! [`decode`] reads the YAML tree the way go-yaml v2 and Prometheus's `UnmarshalYAML` methods do;
//! the other modules hold one part of the configuration each, as plain data, with the load-time
//! checks and messages of Prometheus.

pub mod decode;
pub mod relabel;

use crate::diag::Span;

/// Whether an error is one go-yaml collects while decoding (unknown field, wrong scalar type) or
/// one that stops Prometheus's loading at once (an `UnmarshalYAML` or validation refusal).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ErrorKind {
    Unmarshal,
    #[default]
    Validation,
}

/// A reason Prometheus refuses the configuration, at the node that caused it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// A byte range in the file's text.
    pub span: Span,
    /// Prometheus's own error text (for go-yaml type errors, without go-yaml's `line N:` prefix).
    pub message: String,
    pub kind: ErrorKind,
}
