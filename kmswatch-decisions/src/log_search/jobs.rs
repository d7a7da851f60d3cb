//! The work of a search cut into jobs for every core: each input
//! is one job, except a large plain-lines file, which is cut into byte ranges
//! scanned in parallel. A job's matches travel in blocks through a bounded
//! channel of its own; the writer takes the jobs in order, so the output is
//! in input order, and memory stays bounded whatever the input: per thread,
//! one read buffer (about `MAX_EVENT_BYTES + 2 * CHUNK`) and the blocks of
//! the jobs not written yet (at most `JOBS_PER_THREAD_WINDOW` jobs of
//! `BLOCKS_IN_FLIGHT` blocks of about `BLOCK_BYTES` plus one event).

use crate::log_search::archive::scan_archive;
use crate::log_search::documents::scan_documents;
use crate::log_search::file_range::LinesInRange;
use crate::log_search::input::{is_plain_lines, open, Form, Input};
use crate::log_search::lines::{
    scan_reader, scan_reader_in, LineScanner, MatchSink, ScanError, Stopped, CHUNK,
};
use crate::log_search::messages::{Block, Item, Job, JobEnd, Message, Writer};
use crate::log_search::objects::{ObjectStore, Progress};
use crate::pattern::FilterPattern;
use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Mutex;

/// A plain-lines file at least this large is cut into ranges.
pub const SPLIT_MIN_BYTES: u64 = 16 << 20;

/// The size of one range.
pub const RANGE_BYTES: u64 = 8 << 20;

/// A block of matches is sent once it holds this much.
const BLOCK_BYTES: usize = 256 << 10;

/// Blocks a job may have in flight before it waits for the writer.
const BLOCKS_IN_FLIGHT: usize = 2;

/// Jobs with a channel open at a time, per thread.
const JOBS_PER_THREAD_WINDOW: usize = 8;

/// The jobs for `sources`: large plain-lines files are cut into ranges when
/// more than one thread will run.
pub fn plan(sources: &[Input], threads: usize) -> Vec<Job> {
    plan_sized(sources, threads, SPLIT_MIN_BYTES, RANGE_BYTES)
}

fn plan_sized(sources: &[Input], threads: usize, split_min: u64, range_bytes: u64) -> Vec<Job> {
    let mut jobs = Vec::new();
    for (index, source) in sources.iter().enumerate() {
        let size = match source {
            Input::File(path) if threads > 1 => splittable_size(path, split_min),
            _ => None,
        };
        match size {
            Some(size) => {
                let mut start = 0;
                while start < size {
                    let end = (start + range_bytes).min(size);
                    jobs.push(Job {
                        source: index,
                        range: Some((start, end)),
                        last_part: end == size,
                    });
                    start = end;
                }
            }
            None => jobs.push(Job {
                source: index,
                range: None,
                last_part: true,
            }),
        }
    }
    jobs
}

fn splittable_size(path: &Path, split_min: u64) -> Option<u64> {
    let meta = std::fs::metadata(path).ok()?;
    (meta.is_file() && meta.len() >= split_min.max(1) && is_plain_lines(path)).then_some(meta.len())
}

/// What every job needs.
pub struct Scan<'a> {
    /// The pattern.
    pub pattern: &'a FilterPattern,
    /// The inputs.
    pub sources: &'a [Input],
    /// Whether matches carry line numbers and are checked for being JSON.
    pub details: bool,
    /// Where [`Input::Object`]s are read from.
    pub store: Option<&'a dyn ObjectStore>,
    /// Counted as each job ends.
    pub progress: Option<&'a Progress>,
}

/// Runs `jobs` on `threads` threads, handing every message to `writer` in
/// job order. Returns early, with jobs left unrun, when the writer stops.
pub fn run(scan: &Scan<'_>, jobs: &[Job], threads: usize, writer: &mut impl Writer) {
    let threads = threads.clamp(1, jobs.len().max(1));
    let stop = AtomicBool::new(false);
    for window in jobs.chunks(threads * JOBS_PER_THREAD_WINDOW) {
        let (senders, receivers): (Vec<_>, Vec<_>) = window
            .iter()
            .map(|_| {
                let (tx, rx) = sync_channel::<Message>(BLOCKS_IN_FLIGHT);
                (Mutex::new(Some(tx)), rx)
            })
            .collect();
        let next = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..threads.min(window.len()) {
                s.spawn(|| worker(scan, window, &senders, &next, &stop));
            }
            write_in_order(window, receivers, writer, &stop);
        });
        if stop.load(Ordering::Relaxed) {
            return;
        }
    }
}

fn write_in_order(
    window: &[Job],
    receivers: Vec<Receiver<Message>>,
    writer: &mut impl Writer,
    stop: &AtomicBool,
) {
    for (job, rx) in window.iter().zip(&receivers) {
        loop {
            match rx.recv() {
                Ok(message) => {
                    let end = matches!(message, Message::End(_));
                    if writer.message(job, message).is_err() {
                        stop.store(true, Ordering::Relaxed);
                        // Dropping the receivers fails the workers' sends: they stop.
                        return;
                    }
                    if end {
                        break;
                    }
                }
                Err(_) => {
                    writer.lost(job);
                    break;
                }
            }
        }
    }
}

fn worker(
    scan: &Scan<'_>,
    window: &[Job],
    senders: &[Mutex<Option<SyncSender<Message>>>],
    next: &AtomicUsize,
    stop: &AtomicBool,
) {
    loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let Some(job) = window.get(index) else {
            return;
        };
        if stop.load(Ordering::Relaxed) {
            return;
        }
        // Taking the sender out means it is dropped when the job ends, even
        // by a panic: the writer then sees a closed channel, never waits forever.
        let sender = senders[index].lock().ok().and_then(|mut s| s.take());
        if let Some(tx) = sender {
            run_job(scan, job, &tx);
        }
    }
}

fn run_job(scan: &Scan<'_>, job: &Job, tx: &SyncSender<Message>) {
    let source = &scan.sources[job.source];
    let mut scanner = LineScanner::new(scan.pattern, scan.details);
    let mut sink = ChannelSink {
        tx,
        block: Block::default(),
        details: scan.details,
        archive: false,
    };
    let result = match (job.range, source) {
        (Some((start, end)), Input::File(path)) => File::open(path)
            .and_then(|file| LinesInRange::new(file, start, end))
            .map_err(ScanError::Read)
            .and_then(|lines| {
                // Small ranges (a small file cut for many threads) read small chunks.
                let chunk =
                    usize::try_from(end - start).map_or(CHUNK, |len| len.clamp(4096, CHUNK));
                scan_reader_in(&mut scanner, lines, &mut sink, chunk)
            }),
        _ => match open(source, scan.store) {
            Ok((input, Form::Archive)) => {
                sink.archive = true;
                scan_archive(&mut scanner, input, &mut sink)
            }
            Ok((input, Form::Documents)) => {
                sink.archive = true;
                scan_documents(&mut scanner, input, &mut sink)
            }
            Ok((input, Form::Lines)) => scan_reader(&mut scanner, input, &mut sink),
            Err(e) => Err(ScanError::Read(e)),
        },
    };
    let error = match result {
        Ok(()) => None,
        Err(ScanError::Stopped) => return,
        Err(ScanError::Read(e)) => Some(e.to_string()),
    };
    if let Some(progress) = scan.progress {
        let bytes = match (job.range, source) {
            (Some((start, end)), _) => end - start,
            (None, Input::Object { size, .. }) => *size,
            (None, Input::File(path)) => std::fs::metadata(path).map_or(0, |m| m.len()),
            (None, Input::Stdin) => 0,
        };
        progress.input_done(bytes, u64::from(job.last_part), scanner.tally.matched);
    }
    if sink.flush().is_ok() {
        let _ = tx.send(Message::End(JobEnd {
            tally: scanner.tally,
            error,
        }));
    }
}

/// Collects a job's matches into blocks and sends them.
struct ChannelSink<'a> {
    tx: &'a SyncSender<Message>,
    block: Block,
    details: bool,
    archive: bool,
}

impl ChannelSink<'_> {
    fn flush(&mut self) -> Result<(), Stopped> {
        if self.block.bytes.is_empty() && self.block.items.is_empty() {
            return Ok(());
        }
        let mut block = std::mem::take(&mut self.block);
        block.archive = self.archive;
        self.tx.send(Message::Matches(block)).map_err(|_| Stopped)
    }
}

impl MatchSink for ChannelSink<'_> {
    fn matched(&mut self, number: u64, event: &[u8]) -> Result<(), Stopped> {
        self.block.bytes.extend_from_slice(event);
        // Checked here, on the worker's thread, not by the one that delivers.
        let is_json =
            self.details && serde_json::from_slice::<serde::de::IgnoredAny>(event).is_ok();
        self.block.items.push(Item {
            end: self.block.bytes.len(),
            number,
            is_json,
        });
        if self.block.bytes.len() >= BLOCK_BYTES {
            self.flush()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log_search::found::{Deliver, Found};
    use crate::log_search::lines::{Tally, MAX_EVENT_BYTES};
    use crate::log_search::summary::Summary;
    use std::path::PathBuf;

    fn temp_file(name: &str, data: &[u8]) -> PathBuf {
        let path =
            std::env::temp_dir().join(format!("kmswatch-jobs-{}-{name}", std::process::id()));
        std::fs::write(&path, data).unwrap_or_else(|e| panic!("{e}"));
        path
    }

    /// The JSON output and totals of a scan.
    fn scan_with(
        pattern: &str,
        sources: &[Input],
        threads: usize,
        range_bytes: u64,
    ) -> (String, Tally, usize) {
        let pattern = FilterPattern::parse(pattern).unwrap_or_else(|e| panic!("{e}"));
        let jobs = plan_sized(sources, threads, 1, range_bytes);
        let mut out = Vec::new();
        let mut output = Deliver::new(sources, |found: Found<'_>| {
            if let Found::Match(m) = found {
                m.write_json(&mut out).map_err(|_| Stopped)?;
                out.push(b'\n');
            }
            Ok(())
        });
        let scan = Scan {
            pattern: &pattern,
            sources,
            details: true,
            store: None,
            progress: None,
        };
        run(&scan, &jobs, threads, &mut output);
        assert!(!output.stopped);
        let summary: Summary = output.summary();
        out.extend_from_slice(summary.to_json().as_bytes());
        let tally = Tally {
            events: summary.events,
            matched: summary.matched,
            oversized: summary.oversized,
        };
        (
            String::from_utf8(out).unwrap_or_default(),
            tally,
            jobs.len(),
        )
    }

    /// Lines of every kind: matching, CRLF, empty, JSON or not; with `huge`,
    /// one line longer than an event.
    fn lines(huge: bool) -> Vec<u8> {
        let mut data = Vec::new();
        for i in 0..400 {
            match i % 7 {
                0 => data.extend_from_slice(b"{\"eventName\":\"DisableKey\"}\r\n"),
                1 => data.extend_from_slice(b"\n"),
                2 => data.extend_from_slice(format!("x DisableKey {}\n", "y".repeat(i)).as_bytes()),
                _ => data.extend_from_slice(
                    format!("{{\"eventName\":\"Decrypt\",\"n\":{i}}}\n").as_bytes(),
                ),
            }
            if huge && i == 200 {
                // Longer than an event: skipped and counted, in any range.
                data.extend_from_slice(&b"DisableKey ".repeat(MAX_EVENT_BYTES / 10));
                data.push(b'\n');
            }
        }
        data.extend_from_slice(b"last DisableKey without newline");
        data
    }

    #[test]
    fn ranges_in_parallel_give_the_sequential_output() {
        for (huge, ranges) in [
            (false, &[1, 7, 64][..]),
            (true, &[4096, 65536, 1 << 20][..]),
        ] {
            let path = temp_file(&format!("ranges-{huge}"), &lines(huge));
            let sources = [Input::File(path.clone()), Input::File(path.clone())];
            same_output_in_ranges(&sources, ranges, huge);
            let _ = std::fs::remove_file(path);
        }
    }

    fn same_output_in_ranges(sources: &[Input], ranges: &[u64], huge: bool) {
        let (sequential, tally, jobs) = scan_with("DisableKey", sources, 1, 1);
        assert_eq!(jobs, 2);
        let lines_per_file = 401 + u64::from(huge);
        assert_eq!(tally.events, 2 * lines_per_file);
        assert_eq!(tally.oversized, 2 * u64::from(huge));
        let last =
            format!("\"line\":{lines_per_file},\"event\":\"last DisableKey without newline\"");
        assert!(sequential.contains(&last), "{sequential}");
        for &range in ranges {
            let (parallel, parallel_tally, jobs) = scan_with("DisableKey", sources, 3, range);
            assert!(jobs > 2, "{range}");
            assert_eq!(parallel_tally, tally, "{range}");
            assert_eq!(parallel, sequential, "{range}");
        }
    }

    #[test]
    fn an_unreadable_input_is_reported_and_the_others_are_read() {
        let path = temp_file("readable", b"DisableKey\n");
        let sources = [
            Input::File(PathBuf::from("/nonexistent/kmswatch")),
            Input::File(path.clone()),
        ];
        let (out, tally, _) = scan_with("DisableKey", &sources, 2, 1);
        assert_eq!(tally.matched, 1);
        let summary: serde_json::Value = out
            .lines()
            .last()
            .and_then(|l| serde_json::from_str(l).ok())
            .unwrap_or_default();
        assert_eq!(summary["files"], 1);
        assert_eq!(summary["errors"][0]["file"], "/nonexistent/kmswatch");
        let _ = std::fs::remove_file(path);
    }

    #[test]
    fn a_closed_output_stops_the_jobs() {
        let path = temp_file("closed", &b"DisableKey\n".repeat(10_000));
        let sources = vec![Input::File(path.clone()); 200];
        let pattern = FilterPattern::parse("DisableKey").unwrap_or_else(|e| panic!("{e}"));
        let jobs = plan_sized(&sources, 2, 1, 4096);
        let mut seen = 0;
        let mut output = Deliver::new(&sources, |_: Found<'_>| {
            seen += 1;
            Err(Stopped)
        });
        let scan = Scan {
            pattern: &pattern,
            sources: &sources,
            details: false,
            store: None,
            progress: None,
        };
        run(&scan, &jobs, 2, &mut output);
        assert!(output.stopped);
        // Stopped at the first match: nothing after it was counted.
        assert_eq!(output.summary().files, 0);
        assert_eq!(seen, 1);
        let _ = std::fs::remove_file(path);
    }
}
