//! kmswatch-core: the crate Rust users add — every decision of
//! `kmswatch-decisions` (re-exported at the same paths), and what talks to the
//! world: the service traits, the AWS and in-memory backends, gathering,
//! applying plans, sessions and organization scans.
//!
//! kmswatch answers one question for an AWS account: *is disabling or scheduling
//! deletion of a KMS customer managed key actually monitored?* (CIS AWS Foundations
//! 4.7 / 5.7, AWS Security Hub CloudWatch.7) — and fixes it when it is not.
//!
//! - [`pattern`]: the CloudWatch Logs filter-pattern language — parser, evaluator,
//!   canonical form, literal prefilter and coverage analysis.
//! - [`log_search`]: the events of log files (JSON Lines, gzip, CloudTrail
//!   archives) that a filter pattern matches, read on every core.
//! - [`corpus`]: realistic CloudTrail records of the KMS key lifecycle that a
//!   pattern is judged against.
//! - [`model`], [`api`]: the AWS resources and the service traits
//!   ([`api::TrailsApi`], [`api::LogsApi`], [`api::AlarmsApi`], [`api::TopicsApi`]).
//! - [`memory`]: the in-memory backend a snapshot loads into.
//! - [`layer`]: wrappers that stack on any backend (call counting, fault
//!   injection, concurrency limits), each a few lines over one forwarding layer.
//! - [`check`]: gather the facts of an account, then `evaluate` them into a report.
//! - [`remediate`]: plan the smallest fix, preview it, apply it.
//! - [`session`]: what the `kmswatch` command and the Python package share:
//!   connecting, options, snapshots, and the classes of failure they map to
//!   exit codes and exceptions.
#![warn(unnameable_types)]
#![warn(missing_docs)]
// Errors carry the AWS operation, resource, code and message; they are rare and
// sit next to network round-trips, so their size is not worth boxing them for.
#![allow(clippy::result_large_err)]

pub use kmswatch_decisions::VERSION;

// The decisions, at the paths they have always had.
pub use kmswatch_decisions::{
    access_policy, alarm_rule, api_error, controls, corpus, event_pattern, exit_codes, iam_policy,
    log_search, model, operation, pattern, pattern_sql, redact,
};

pub mod api;
#[cfg(feature = "aws")]
pub mod aws;
pub mod check;
#[cfg(any(test, feature = "conformance"))]
pub mod conformance;
pub mod counting;
pub mod keys;
pub mod layer;
pub mod memory;
pub mod output;
pub mod remediate;
pub mod scan;
#[cfg(feature = "schema")]
pub mod schema;
pub mod security_hub;
pub mod session;
