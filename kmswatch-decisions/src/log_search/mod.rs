//! Searching log files for the events a filter pattern matches: the engine of
//! `kmswatch pattern test`, for every face (the command, Python, the C ABI).
//!
//! [`Search`] takes a pattern and inputs — JSON Lines, gzip, CloudTrail
//! archive objects (`{"Records":[…]}`), pretty-printed events and JSON
//! arrays, directories — and hands back, in input order, each [`Match`] (its
//! input, its line or record number, the event) and each input that could not
//! be read, then a [`Summary`]. Memory stays bounded whatever the input: the
//! literal prefilter of the pattern skips events that cannot match without
//! splitting them out, an event longer than [`MAX_EVENT_BYTES`] is counted
//! and skipped, and each thread holds a bounded number of blocks of matches.

mod archive;
mod documents;
mod error;
mod file_range;
mod found;
mod input;
mod jobs;
mod layout;
mod lines;
mod messages;
mod objects;
mod search;
mod summary;

pub use error::SearchError;
pub use found::{Found, Match, Position};
pub use input::Input;
pub use layout::{day_text, parse_day, place_of, ArchiveFilter, Day};
pub use lines::{Stopped, MAX_EVENT_BYTES};
pub use objects::{is_s3_url, parse_s3_url, ArchiveError, ArchiveObject, ObjectStore, Progress};
pub use search::Search;
pub use summary::{InputError, Summary, SUMMARY_SCHEMA};
