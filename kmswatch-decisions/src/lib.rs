//! kmswatch-decisions: every decision and document of kmswatch, with no
//! async runtime, no AWS SDK and no network.
//!
//! kmswatch answers one question for an AWS account: *is disabling or scheduling
//! deletion of a KMS customer managed key actually monitored?* (CIS AWS Foundations
//! 4.7 / 5.7, AWS Security Hub CloudWatch.7) — and fixes it when it is not. This
//! crate decides from facts already read: a `kmswatch.facts/v1` snapshot in, a
//! report, a plan or a document out. `kmswatch-core` reads the facts from AWS
//! (or an in-memory account), writes plans, and re-exports this crate's modules
//! at the same paths; the C ABI (`libkmswatch`) depends on this crate alone.
//!
//! - [`pattern`], [`event_pattern`], [`access_policy`], [`alarm_rule`],
//!   [`iam_policy`], [`pattern_sql`]: the languages kmswatch judges — filter
//!   patterns, EventBridge patterns, access policies, composite-alarm rules —
//!   and the SQL a filter pattern is translated to.
//! - [`log_search`]: the events of local log files (JSON Lines, gzip,
//!   CloudTrail archives) a filter pattern matches, on every core (its only
//!   I/O: reading the files and objects its caller names).
//! - [`corpus`], [`controls`]: the CloudTrail records patterns are judged on,
//!   and the fifteen CIS monitoring controls as data.
//! - [`model`], [`api_error`]: the AWS resources, and a failed call as facts
//!   record it.
//! - [`check`]: the facts of an account, the rules, the report.
//! - [`remediate`]: the plan, its preview, its exports.
//! - [`keys`]: keys at risk, key-event history, responses.
//! - [`output`]: OCSF, ASFF, SARIF, JUnit, NDJSON.
#![warn(unnameable_types)]
#![warn(missing_docs)]
// Errors carry the AWS operation, resource, code and message; they are rare and
// sit next to network round-trips, so their size is not worth boxing them for.
#![allow(clippy::result_large_err)]

/// The kmswatch version (every crate of the workspace shares it).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub mod access_policy;
pub mod alarm_rule;
pub mod api_error;
pub mod check;
pub mod controls;
pub mod corpus;
pub mod event_pattern;
pub mod exit_codes;
pub mod iam_policy;
pub mod keys;
pub mod log_search;
pub mod model;
pub mod operation;
pub mod output;
pub mod pattern;
pub mod pattern_sql;
pub mod redact;
pub mod remediate;
pub mod security_hub;
