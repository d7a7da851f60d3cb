//! Beyond whether key events are monitored: which customer managed keys are
//! at risk now ([`inventory`]), what was done to keys in the last 90 days
//! ([`history`]), and undoing it ([`respond`], and [`recommend`] for an
//! EventBridge event, behind a Lambda function).
//!
//! Like the check, each reads through [`crate::api::Services`] and decides in
//! pure functions ([`days_left`], [`decide`], [`key_event`], [`recommend`]).

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
    check_days, history, key_event, History, KeyEvent, DEFAULT_HISTORY_DAYS, HISTORY_SCHEMA,
    MAX_HISTORY_DAYS, MONITORING_AT_THE_TIME, WATCHED_EVENTS,
};
pub use inventory::{inventory, inventory_without_aliases, KeyEntry, KeyInventory, KEYS_SCHEMA};
pub use regions::{Regions, SkippedRegion};
pub use respond::{
    decide, respond, Decision, KeyStateView, RespondError, RespondOutcome, Response, RESPOND_SCHEMA,
};
pub use time::days_left;
