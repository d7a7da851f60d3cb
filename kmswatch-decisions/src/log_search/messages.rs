//! What the jobs of a search are and what they send to the
//! writer, which takes them in order.

use crate::log_search::lines::{Stopped, Tally};

/// One unit of work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Index of the input in the list of sources.
    pub source: usize,
    /// The bytes `[start, end)` of a plain-lines file (the lines that start
    /// there), or the whole input.
    pub range: Option<(u64, u64)>,
    /// Whether this is the input's last job.
    pub last_part: bool,
}

/// Matches of one job, as the writer receives them.
#[derive(Debug, Default)]
pub struct Block {
    /// The events, back to back.
    pub bytes: Vec<u8>,
    /// One entry per event.
    pub items: Vec<Item>,
    /// Whether the events are records of a CloudTrail archive (numbered by
    /// record, not by line).
    pub archive: bool,
}

/// One matching event in a [`Block`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// Where its bytes end in [`Block::bytes`] (they start where the previous end).
    pub end: usize,
    /// Its line (or record) number, counted from the start of its job.
    pub number: u64,
    /// Whether the event is a JSON text (checked only when the search asks
    /// for details).
    pub is_json: bool,
}

/// How a job ended.
#[derive(Debug)]
pub struct JobEnd {
    /// Its counts (`events`: lines or records that start in it).
    pub tally: Tally,
    /// Why it could not be read to its end.
    pub error: Option<String>,
}

/// What a job sends.
#[derive(Debug)]
pub enum Message {
    /// Matches, in order.
    Matches(Block),
    /// The job's last message.
    End(JobEnd),
}

/// Where the writer's messages go.
pub trait Writer {
    /// A message of `job`; `Err` stops every job.
    fn message(&mut self, job: &Job, message: Message) -> Result<(), Stopped>;
    /// `job` ended without its last message (its thread panicked).
    fn lost(&mut self, job: &Job);
}
