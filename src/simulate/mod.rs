//! Simulating the cluster side of an agent offline: which nodes its pods land on ([`schedule`])
//! and what each agent pod would scrape, gathered in a [`report`].

pub mod notes;
pub mod pods;
pub mod report;
pub mod schedule;
pub mod targets;
