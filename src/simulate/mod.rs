//! Simulating what Prometheus and the cluster do with an agent's configuration offline: service
//! discovery ([`kubernetes`]), which nodes the agent pods land on ([`schedule`]), which pods an
//! agent runs and the config each loads ([`pods`]), and what each of them scrapes ([`targets`]),
//! gathered in a [`report`] with its [`notes`].

pub mod kubernetes;
pub mod notes;
pub mod pods;
pub mod report;
pub mod schedule;
pub mod targets;
