//! Beyond whether key events are monitored: which customer managed keys are
//! at risk now ([`KeyInventory`]), what was done to keys in the last 90 days
//! ([`History`]), and undoing it ([`RespondOutcome`], and [`recommend`] for an
//! EventBridge event, behind a Lambda function).
//!
//! The decisions and documents: `kmswatch-core` reads through the service
//! traits and decides with these pure functions ([`days_left`], [`decide`],
//! [`key_event`], [`history_of`], [`recommend`]).

mod archive_history;
mod documents;
mod handler;
mod history;
mod inventory;
mod regions;
mod respond;
mod time;

pub use archive_history::{archive_history, watched_pattern, ArchivePeriod, WATCHED_PATTERN};
pub use documents::{HistoryDocument, KeysDocument};
pub use handler::{recommend, Recommendation, RecommendedAction, RECOMMENDATION_SCHEMA};
pub use history::{
    check_days, history_of, key_event, lookup_period, History, KeyEvent, DEFAULT_HISTORY_DAYS,
    HISTORY_SCHEMA, MAX_HISTORY_DAYS, MONITORING_AT_THE_TIME, WATCHED_EVENTS,
};
pub use inventory::{finish, KeyEntry, KeyInventory, KEYS_SCHEMA};
pub use regions::{Regions, SkippedRegion};
pub use respond::{
    decide, key_region, Decision, KeyStateView, RespondError, RespondOutcome, Response,
    RESPOND_SCHEMA,
};
pub use time::days_left;
