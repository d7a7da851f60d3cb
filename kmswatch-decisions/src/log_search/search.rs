//! [`Search`]: a filter pattern over log files, on every core.

use crate::log_search::error::SearchError;
use crate::log_search::found::{Deliver, Found};
use crate::log_search::input::{expand_filtered, refuse_directories, Input};
use crate::log_search::jobs::{plan, run, Scan};
use crate::log_search::layout::ArchiveFilter;
use crate::log_search::lines::Stopped;
use crate::log_search::objects::{ArchiveObject, ObjectStore, Progress};
use crate::log_search::summary::{InputError, Summary};
use crate::pattern::FilterPattern;
use std::path::PathBuf;
use std::sync::Arc;

/// A search of log files for the events a filter pattern matches: what
/// `kmswatch pattern test` runs.
///
/// Inputs are JSON Lines (one event per line), JSON events one after another
/// (pretty-printed, as the console shows them), JSON arrays of events, or
/// CloudTrail archive files (`{"Records":[…]}`, one event per record), any of
/// them gzip-compressed (found by their first bytes, whatever their name).
/// Large JSON Lines files are cut into 8 MiB ranges read in parallel; the
/// matches are handed over in input order all the same.
///
/// ```
/// use kmswatch_decisions::log_search::{Found, Search};
///
/// let dir = std::env::temp_dir().join(format!("kmswatch-doc-search-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let log = dir.join("events.json");
/// std::fs::write(&log, "{\"eventName\":\"Decrypt\"}\n{\"eventName\":\"DisableKey\"}\n").unwrap();
///
/// let mut lines = Vec::new();
/// let summary = Search::parse("{ $.eventName = DisableKey }")
///     .unwrap()
///     .input(&log)
///     .run(|found| {
///         if let Found::Match(m) = found {
///             lines.push(m.position.number());
///         }
///         Ok(())
///     })
///     .unwrap();
/// assert_eq!(lines, [2]);
/// assert_eq!((summary.events, summary.matched, summary.files), (2, 1, 1));
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct Search {
    pattern: FilterPattern,
    inputs: Vec<PathBuf>,
    recursive: bool,
    threads: Option<usize>,
    details: bool,
    filter: ArchiveFilter,
    store: Option<Arc<dyn ObjectStore>>,
    objects: Vec<ArchiveObject>,
    progress: Option<Arc<Progress>>,
}

impl Search {
    /// A search for `pattern`: standard input until inputs are added, not
    /// recursive, on every core, with details.
    pub fn new(pattern: FilterPattern) -> Self {
        Search {
            pattern,
            inputs: Vec::new(),
            recursive: false,
            threads: None,
            details: true,
            filter: ArchiveFilter::default(),
            store: None,
            objects: Vec::new(),
            progress: None,
        }
    }

    /// A search for the pattern parsed from `text`.
    pub fn parse(text: &str) -> Result<Self, SearchError> {
        Ok(Self::new(FilterPattern::parse(text)?))
    }

    /// Adds an input: a file, a directory (with [`Search::recursive`]), or
    /// `-` for standard input.
    #[must_use]
    pub fn input(mut self, path: impl Into<PathBuf>) -> Self {
        self.inputs.push(path.into());
        self
    }

    /// Adds inputs, as [`Search::input`].
    #[must_use]
    pub fn inputs<P: Into<PathBuf>>(mut self, paths: impl IntoIterator<Item = P>) -> Self {
        self.inputs.extend(paths.into_iter().map(Into::into));
        self
    }

    /// Whether directories among the inputs give every file under them,
    /// sorted by name (without it a directory is [`SearchError::Directory`]).
    #[must_use]
    pub fn recursive(mut self, recursive: bool) -> Self {
        self.recursive = recursive;
        self
    }

    /// How many threads read (at least one; default: every core).
    #[must_use]
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = Some(threads.max(1));
        self
    }

    /// Whether matches carry their line or record number and whether they
    /// are JSON, and the summary counts events (the default). Without
    /// details, numbers are 0 and `events` is 0: what plain text output
    /// needs, and faster (no newline count, no JSON check).
    #[must_use]
    pub fn details(mut self, details: bool) -> Self {
        self.details = details;
        self
    }

    /// Keeps the files whose path follows CloudTrail's key layout
    /// (`…/AWSLogs/…`) only for the days, accounts and regions of `filter`
    /// (see [`ArchiveFilter`]); other files are read whatever the filter.
    #[must_use]
    pub fn filter(mut self, filter: ArchiveFilter) -> Self {
        self.filter = filter;
        self
    }

    /// Adds objects of `store`, read after the files (standard input is
    /// then not read unless named). Objects are listed by the caller, e.g.
    /// with `S3Archive::list`, which applies the filter itself.
    #[must_use]
    pub fn objects(mut self, store: Arc<dyn ObjectStore>, objects: Vec<ArchiveObject>) -> Self {
        self.store = Some(store);
        self.objects.extend(objects);
        self
    }

    /// Counts what the search has read in `progress` while it runs.
    #[must_use]
    pub fn progress(mut self, progress: Arc<Progress>) -> Self {
        self.progress = Some(progress);
        self
    }

    /// The pattern.
    pub fn pattern(&self) -> &FilterPattern {
        &self.pattern
    }

    /// The error [`Search::run`] would give before reading anything (a
    /// directory named without [`Search::recursive`]), for a caller that runs
    /// the search later, on another thread.
    pub fn check(&self) -> Result<(), SearchError> {
        refuse_directories(&self.inputs, self.recursive)
    }

    /// The inputs [`Search::run`] reads, in order: files (directories
    /// expanded, the filter applied), then objects; standard input as
    /// [`Input::Stdin`].
    pub fn inputs_to_read(&self) -> Result<Vec<Input>, SearchError> {
        Ok(self.expand()?.0)
    }

    fn expand(&self) -> Result<(Vec<Input>, Vec<InputError>), SearchError> {
        let (mut inputs, unreadable) = if self.inputs.is_empty() && self.store.is_some() {
            (Vec::new(), Vec::new())
        } else {
            expand_filtered(&self.inputs, self.recursive, &self.filter)?
        };
        if let Some(store) = &self.store {
            inputs.extend(self.objects.iter().map(|o| Input::Object {
                url: store.url(&o.key),
                key: o.key.clone(),
                size: o.size,
            }));
        }
        Ok((inputs, unreadable))
    }

    /// Runs the search, handing `on_found` every match and every input that
    /// could not be read, in input order, on the calling thread; returns
    /// what was read.
    ///
    /// `on_found` returning [`Stopped`] ends the search at once (the threads
    /// stop) with [`SearchError::Stopped`]. A directory named without
    /// [`Search::recursive`] is an error before anything is read.
    pub fn run(
        &self,
        on_found: impl FnMut(Found<'_>) -> Result<(), Stopped>,
    ) -> Result<Summary, SearchError> {
        let (inputs, unreadable) = self.expand()?;
        let threads = self.threads.unwrap_or_else(default_threads);
        let mut deliver = Deliver::new(&inputs, on_found);
        for error in unreadable {
            deliver
                .unreadable(error)
                .map_err(|Stopped| SearchError::Stopped)?;
        }
        let jobs = plan(&inputs, threads);
        let scan = Scan {
            pattern: &self.pattern,
            sources: &inputs,
            details: self.details,
            store: self.store.as_deref(),
            progress: self.progress.as_deref(),
        };
        run(&scan, &jobs, threads, &mut deliver);
        if deliver.stopped {
            return Err(SearchError::Stopped);
        }
        Ok(deliver.summary())
    }
}

/// All cores, or one when that is unknown.
fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}
