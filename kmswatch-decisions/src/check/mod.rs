//! The check: is a KMS key disable or deletion, made anywhere in the account,
//! going to reach a human?
//!
//! Sans-IO: `kmswatch-core`'s gather reads [`Facts`] through the service
//! traits (what it reads beyond the decision's needs is a [`Scope`]);
//! [`evaluate()`] turns facts into a typed [`Assessment`] without any I/O, one
//! rule module per link (`check/rules/`); a [`Report`] is its serialized view. A
//! snapshot file is a serialized [`Facts`].

pub(crate) mod accept;
pub(crate) mod assessment;
pub mod controls;
pub(crate) mod evaluate;
pub mod facts;
pub(crate) mod gap;
pub(crate) mod gap_code;
pub(crate) mod key_regions;
pub(crate) mod monitor;
// The gather's helpers: public because the gather is in kmswatch-core, not
// an API for embedders (hidden from the documentation, no stability promise).
#[doc(hidden)]
pub mod reading;
pub mod report;
pub(crate) mod rules;
mod scope;
pub(crate) mod status;

pub use accept::accept;
pub use assessment::{
    AlarmAssessment, Assessment, ChainAssessment, FilterAssessment, TopicAssessment,
};
pub use controls::{judge, ControlVerdict};
pub use evaluate::evaluate;
pub use facts::{Facts, KeyFacts, SnapshotError, FACTS_SCHEMA};
pub use gap::{blocking_codes, status_of, Gap, Severity};
pub use gap_code::{CodeInfo, Fix, GapCode, Remedy, TargetEvent};
pub use key_regions::{key_regions, KeyRegionFacts, KeyRegions, RegionKeyFacts};
pub use monitor::{Monitor, MonitorKind, MonitorTarget, UnknownMonitorKind};
pub use report::{Report, REPORT_SCHEMA};
pub use rules::alarm_fires::watches;
pub use rules::cis::{is_cis_exact, CIS_PATTERN};
pub use scope::{KeyListing, Scope, DEFAULT_MAX_IN_FLIGHT};
pub use status::Status;

/// The report on `facts`, as `kmswatch check --snapshot` prints it (no API calls).
pub fn report(facts: &Facts) -> Report {
    Report::from(&evaluate(facts))
}
