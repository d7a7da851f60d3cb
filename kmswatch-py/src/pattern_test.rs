//! `pattern_test`: the core's log search on a thread of its own, its matches
//! handed to Python one at a time, in input order.

use crate::errors::{pattern_error, raise};
use kmswatch_core::log_search::{Found, Search, SearchError, Stopped, Summary};
use kmswatch_core::session::Failure;
use pyo3::exceptions::PyStopIteration;
use pyo3::prelude::*;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Mutex;
use std::time::Duration;

/// Matches in flight between the search thread and Python: the search
/// waits (bounded memory) while Python does not take them.
const MATCHES_IN_FLIGHT: usize = 256;

/// What the search thread sends.
enum Message {
    /// One match: the JSON object `kmswatch pattern test --format json` prints.
    Match(String),
    /// The search ended: its summary.
    Done(Summary),
    /// The search failed (a defect: a panic).
    Failed(Failure),
}

/// The matches of a running search, as JSON texts; then `summary()`.
/// Dropping it stops the search.
#[pyclass(module = "kmswatch._kmswatch")]
pub struct SearchMatches {
    messages: Mutex<Receiver<Message>>,
    summary: Mutex<Option<String>>,
}

#[pymethods]
impl SearchMatches {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<String> {
        loop {
            // Waits with the interpreter released, running the signal
            // handlers every 100 ms (Ctrl-C raises promptly).
            let waited = py.detach(|| {
                let messages = self.messages.lock().unwrap_or_else(|e| e.into_inner());
                messages.recv_timeout(Duration::from_millis(100))
            });
            match waited {
                Ok(Message::Match(json)) => return Ok(json),
                Ok(Message::Done(summary)) => {
                    *self.summary.lock().unwrap_or_else(|e| e.into_inner()) =
                        Some(summary.to_json());
                }
                Ok(Message::Failed(failure)) => return Err(raise(py, failure)),
                Err(RecvTimeoutError::Timeout) => py.check_signals()?,
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(PyStopIteration::new_err(()));
                }
            }
        }
    }

    /// The `kmswatch.pattern-test/v1` summary (JSON) once every match was
    /// taken; `None` before.
    fn summary(&self) -> Option<String> {
        self.summary
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// Starts searching `paths` for the events `pattern` matches; an invalid
/// pattern (`PatternError`) or a directory without `recursive`
/// (`KmswatchError`) raises here, before anything is read.
#[pyfunction]
#[pyo3(signature = (pattern, paths, recursive=false, threads=None))]
pub fn pattern_test(
    py: Python<'_>,
    pattern: &str,
    paths: Vec<PathBuf>,
    recursive: bool,
    threads: Option<usize>,
) -> PyResult<SearchMatches> {
    let mut search = match Search::parse(pattern) {
        Ok(search) => search.inputs(paths).recursive(recursive),
        Err(SearchError::InvalidPattern(e)) => return Err(pattern_error(py, &e)),
        Err(e) => return Err(raise(py, Failure::Usage(e.to_string()))),
    };
    if let Some(threads) = threads {
        search = search.threads(threads);
    }
    search
        .check()
        .map_err(|e| raise(py, Failure::Usage(e.to_string())))?;
    let (sender, receiver) = mpsc::sync_channel(MATCHES_IN_FLIGHT);
    std::thread::Builder::new()
        .name("kmswatch-pattern-test".to_owned())
        .spawn(move || {
            let searched = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                search.run(|found| match found {
                    // A receiver that went away (Python dropped the iterator) stops the search.
                    Found::Match(m) => sender
                        .send(Message::Match(m.to_json()))
                        .map_err(|_| Stopped),
                    Found::Unreadable(_) => Ok(()),
                })
            }));
            let last = match searched {
                Ok(Ok(summary)) => Message::Done(summary),
                Ok(Err(SearchError::Stopped)) => return,
                Ok(Err(e)) => Message::Failed(Failure::Usage(e.to_string())),
                Err(payload) => Message::Failed(Failure::from_panic(payload)),
            };
            let _ = sender.send(last);
        })
        .map_err(|e| raise(py, Failure::Runtime(e)))?;
    Ok(SearchMatches {
        messages: Mutex::new(receiver),
        summary: Mutex::new(None),
    })
}
