//! Kubernetes' own string formats and their semantics, shared by several stages: the label and
//! field selector syntax of the API machinery (`labels.Parse`, `fields.ParseSelector`) with its
//! error messages, the matching of objects against them, the name validation they rely on, and
//! resource quantities.
//! Depends on nothing but the standard library.

pub mod quantity;
pub mod selector;
pub mod validation;
