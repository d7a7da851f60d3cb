//! The rules, one module per link of the chain. Each takes facts (and what the
//! links before it decided) and returns typed findings; none does I/O.

pub mod alarm;
pub mod alarm_fires;
pub mod alarm_listing;
pub mod alarm_reads;
pub mod cis;
pub mod composite;
pub mod coverage;
pub mod eventbridge;
pub mod eventbridge_events;
pub mod eventbridge_topic;
pub mod filter;
pub mod log_group;
pub mod noise;
pub mod notification;
pub mod selectors;
pub mod subscription;
pub mod topic;
pub mod topic_access;
pub mod topic_region;
pub mod trail;
pub mod unknown;
pub mod verdict;
