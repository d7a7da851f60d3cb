//! What a search hands its caller, in input order: each matching event with
//! where it was found, and each input that could not be read.

use crate::log_search::input::Input;
use crate::log_search::lines::{Stopped, Tally};
use crate::log_search::messages::{Block, Job, Message, Writer};
use crate::log_search::summary::{InputError, Summary, SUMMARY_SCHEMA};
use std::io::{self, Write};

/// Where in its input an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// The 1-based line of a JSON Lines (or plain text) input.
    Line(u64),
    /// The 1-based record of a CloudTrail archive (`{"Records":[…]}`) or of
    /// JSON documents (pretty-printed events, arrays of events).
    Record(u64),
}

impl Position {
    /// The number; 0 when the search did not ask for details.
    pub fn number(self) -> u64 {
        match self {
            Position::Line(n) | Position::Record(n) => n,
        }
    }

    /// `line` or `record`, the key of the number in a match's JSON.
    pub fn key(self) -> &'static str {
        match self {
            Position::Line(_) => "line",
            Position::Record(_) => "record",
        }
    }
}

/// One matching event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match<'a> {
    /// The input it was read from.
    pub input: &'a Input,
    /// Where in the input.
    pub position: Position,
    /// The event as the pattern saw it: the line without its line ending, or
    /// the record re-serialised compactly in its key order (as CloudWatch
    /// Logs carries it). Bytes that are not UTF-8 are kept as they were.
    pub event: &'a [u8],
    /// Whether the event is a JSON text (checked only when the search asks
    /// for details; else `false`).
    pub is_json: bool,
}

impl Match<'_> {
    /// Writes the match as the JSON object `kmswatch pattern test --format
    /// json` prints (without its newline): `file` (absent for standard input),
    /// `line` or `record`, and `event` — the event itself when it is JSON,
    /// else a string.
    pub fn write_json(&self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(b"{")?;
        if let Some(name) = self.input.name() {
            let file = serde_json::to_string(&name).map_err(io::Error::other)?;
            write!(out, "\"file\":{file},")?;
        }
        let position = self.position;
        write!(
            out,
            "\"{}\":{},\"event\":",
            position.key(),
            position.number()
        )?;
        if self.is_json {
            out.write_all(self.event)?;
        } else {
            let text = serde_json::to_string(&String::from_utf8_lossy(self.event))
                .map_err(io::Error::other)?;
            out.write_all(text.as_bytes())?;
        }
        out.write_all(b"}")
    }

    /// [`Match::write_json`] as a string.
    pub fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(self.event.len() + 64);
        // Writing to a vector fails only if serialising a string does, which it does not.
        let _ = self.write_json(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }
}

/// What a search hands its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found<'a> {
    /// A matching event.
    Match(Match<'a>),
    /// An input that could not be listed or read to its end (its matches
    /// before that point were handed over); the search goes on.
    Unreadable(&'a InputError),
}

/// Hands the jobs' messages, in order, to the caller's function and keeps
/// the totals.
pub(crate) struct Deliver<'a, F> {
    inputs: &'a [Input],
    on_found: F,
    /// The input of the last job seen.
    last_input: Option<usize>,
    /// Lines (or records) of the current input before the current job.
    base: u64,
    tally: Tally,
    files: u64,
    errors: Vec<InputError>,
    /// Whether the caller stopped the search.
    pub(crate) stopped: bool,
}

impl<'a, F: FnMut(Found<'_>) -> Result<(), Stopped>> Deliver<'a, F> {
    pub(crate) fn new(inputs: &'a [Input], on_found: F) -> Self {
        Deliver {
            inputs,
            on_found,
            last_input: None,
            base: 0,
            tally: Tally::default(),
            files: 0,
            errors: Vec::new(),
            stopped: false,
        }
    }

    /// Records an input that could not be read and tells the caller.
    pub(crate) fn unreadable(&mut self, error: InputError) -> Result<(), Stopped> {
        self.errors.push(error);
        let result = self
            .errors
            .last()
            .map_or(Ok(()), |e| (self.on_found)(Found::Unreadable(e)));
        self.stopped |= result.is_err();
        result
    }

    pub(crate) fn summary(self) -> Summary {
        Summary {
            schema: SUMMARY_SCHEMA,
            matched: self.tally.matched,
            events: self.tally.events,
            oversized: self.tally.oversized,
            files: self.files,
            errors: self.errors,
        }
    }

    fn start(&mut self, job: &Job) {
        if self.last_input != Some(job.source) {
            self.last_input = Some(job.source);
            self.base = 0;
        }
    }

    fn deliver(&mut self, block: &Block, input: &Input) -> Result<(), Stopped> {
        let mut start = 0;
        for item in &block.items {
            let number = self.base + item.number;
            let position = if block.archive {
                Position::Record(number)
            } else {
                Position::Line(number)
            };
            let found = Match {
                input,
                position,
                event: &block.bytes[start..item.end],
                is_json: item.is_json,
            };
            start = item.end;
            (self.on_found)(Found::Match(found))?;
        }
        Ok(())
    }

    fn error(&mut self, job: &Job, message: String) {
        let file = self.inputs[job.source].name();
        // A caller that stopped is told nothing more; the writer stops too.
        let _ = self.unreadable(InputError { file, message });
    }
}

impl<F: FnMut(Found<'_>) -> Result<(), Stopped>> Writer for Deliver<'_, F> {
    fn message(&mut self, job: &Job, message: Message) -> Result<(), Stopped> {
        self.start(job);
        match message {
            Message::Matches(block) => {
                let inputs = self.inputs;
                let result = self.deliver(&block, &inputs[job.source]);
                self.stopped |= result.is_err();
                result
            }
            Message::End(end) => {
                self.tally.add(end.tally);
                self.base += end.tally.events;
                match end.error {
                    Some(message) => self.error(job, message),
                    None if job.last_part => self.files += 1,
                    None => {}
                }
                if self.stopped {
                    Err(Stopped)
                } else {
                    Ok(())
                }
            }
        }
    }

    fn lost(&mut self, job: &Job) {
        self.error(
            job,
            "reading stopped unexpectedly (an internal error)".to_owned(),
        );
    }
}
