//! The output of `kmswatch pattern test`: matching events as they were (text),
//! or one JSON object per match and a summary object (NDJSON,
//! `kmswatch.pattern-test/v1`).

use crate::line_filter::{Stopped, Tally};
use crate::scan_input::{Source, Unreadable};
use crate::scan_messages::{Block, Job, Message, Writer};
use serde::Serialize;
use std::io::Write;

/// The `schema` of the summary object.
pub const SUMMARY_SCHEMA: &str = "kmswatch.pattern-test/v1";

/// The last object of `pattern test --format json`.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// Always [`SUMMARY_SCHEMA`].
    pub schema: &'static str,
    /// Events that matched.
    pub matched: u64,
    /// Events read: lines, and records of CloudTrail archives.
    pub events: u64,
    /// Events longer than 1 MiB, the largest CloudWatch Logs event, skipped unmatched.
    pub oversized: u64,
    /// Inputs read to their end (standard input counts as one).
    pub files: u64,
    /// Inputs that could not be listed or read to their end.
    pub errors: Vec<InputError>,
}

/// An input that could not be read, in the summary.
#[derive(Debug, Serialize)]
pub struct InputError {
    /// The file (absent for standard input).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Why.
    pub message: String,
}

/// Writes the jobs' messages in order and keeps the totals.
pub struct Output<'a, W: Write> {
    out: W,
    json: bool,
    sources: &'a [Source],
    /// The file of the last job seen, JSON-quoted (`None`: standard input).
    file_json: Option<String>,
    last_source: Option<usize>,
    /// Lines of the current input before the current job.
    base: u64,
    /// Totals.
    pub tally: Tally,
    /// Inputs read to their end.
    pub files: u64,
    /// Inputs that could not be read.
    pub errors: Vec<InputError>,
    /// Whether a match was found (even if it could not be written).
    pub saw_match: bool,
    /// Whether standard output was closed early.
    pub stopped: bool,
}

impl<'a, W: Write> Output<'a, W> {
    /// Output to `out`, JSON objects when `json`.
    pub fn new(out: W, json: bool, sources: &'a [Source]) -> Self {
        Output {
            out,
            json,
            sources,
            file_json: None,
            last_source: None,
            base: 0,
            tally: Tally::default(),
            files: 0,
            errors: Vec::new(),
            saw_match: false,
            stopped: false,
        }
    }

    /// Records inputs that could not be listed (and says so on standard error).
    pub fn unreadable(&mut self, list: Vec<Unreadable>) {
        for u in list {
            eprintln!("kmswatch: cannot read {}: {}", u.name, u.message);
            self.errors.push(InputError {
                file: Some(u.name),
                message: u.message,
            });
        }
    }

    /// Writes the summary (JSON only) and flushes.
    pub fn finish(&mut self) -> Result<Summary, Stopped> {
        let summary = Summary {
            schema: SUMMARY_SCHEMA,
            matched: self.tally.matched,
            events: self.tally.events,
            oversized: self.tally.oversized,
            files: self.files,
            errors: std::mem::take(&mut self.errors),
        };
        if self.stopped {
            return Err(Stopped);
        }
        let text = serde_json::to_string(&summary).unwrap_or_default();
        let written = if self.json {
            writeln!(self.out, "{text}").and_then(|()| self.out.flush())
        } else {
            self.out.flush()
        };
        written.map_err(|_| {
            self.stopped = true;
            Stopped
        })?;
        Ok(summary)
    }

    fn start(&mut self, job: &Job) {
        if self.last_source == Some(job.source) {
            return;
        }
        self.last_source = Some(job.source);
        self.base = 0;
        self.file_json = self.sources[job.source].path().map(|p| {
            serde_json::to_string(&p.to_string_lossy()).unwrap_or_else(|_| "null".to_owned())
        });
    }

    fn write_block(&mut self, block: &Block) -> std::io::Result<()> {
        if !self.json {
            return self.out.write_all(&block.bytes);
        }
        let key = if block.archive { "record" } else { "line" };
        let mut start = 0;
        for item in &block.items {
            let event = &block.bytes[start..item.end];
            start = item.end;
            self.out.write_all(b"{")?;
            if let Some(file) = &self.file_json {
                write!(self.out, "\"file\":{file},")?;
            }
            write!(self.out, "\"{key}\":{},\"event\":", self.base + item.number)?;
            if item.is_json {
                self.out.write_all(event)?;
            } else {
                let text = serde_json::to_string(&String::from_utf8_lossy(event))
                    .map_err(std::io::Error::other)?;
                self.out.write_all(text.as_bytes())?;
            }
            self.out.write_all(b"}\n")?;
        }
        Ok(())
    }

    fn error(&mut self, job: &Job, message: String) {
        let source = &self.sources[job.source];
        eprintln!("kmswatch: cannot read {}: {message}", source.display());
        self.errors.push(InputError {
            file: source.path().map(|p| p.to_string_lossy().into_owned()),
            message,
        });
    }
}

impl<W: Write> Writer for Output<'_, W> {
    fn message(&mut self, job: &Job, message: Message) -> Result<(), Stopped> {
        self.start(job);
        match message {
            Message::Matches(block) => {
                self.saw_match = true;
                self.write_block(&block).map_err(|_| {
                    self.stopped = true;
                    Stopped
                })
            }
            Message::End(end) => {
                self.tally.add(end.tally);
                self.base += end.tally.events;
                match end.error {
                    Some(message) => self.error(job, message),
                    None if job.last_part => self.files += 1,
                    None => {}
                }
                Ok(())
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
