//! Archives that are not local files: a store of objects ([`ObjectStore`],
//! answered by S3 with the feature `s3`), the objects listed in it, why a
//! listing failed, and the counters a progress bar reads while a search runs.

use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};

/// Where archive objects are read from: `kmswatch pattern test s3://…`'s
/// bucket, or any store a caller implements (an in-memory one in tests).
///
/// [`ObjectStore::open`] is called from the search's worker threads, several
/// at once.
pub trait ObjectStore: Send + Sync + std::fmt::Debug {
    /// The object's contents, as they are stored (gzip or not).
    fn open(&self, key: &str) -> io::Result<Box<dyn Read + Send>>;
    /// The object's name in messages and matches (`s3://bucket/key`).
    fn url(&self, key: &str) -> String;
}

/// One object listed in a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveObject {
    /// Its key.
    pub key: String,
    /// Its size in bytes, as stored.
    pub size: u64,
}

/// Why an archive could not be listed: the search does not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArchiveError {
    /// Not `s3://bucket[/prefix]`.
    #[error("{0:?} is not an S3 URL (expected s3://bucket/prefix/)")]
    InvalidUrl(String),
    /// The bucket does not exist.
    #[error("the bucket {0:?} does not exist")]
    NoSuchBucket(String),
    /// The credentials may not list or read the bucket.
    #[error("access denied to {url}: {message}")]
    AccessDenied {
        /// The archive.
        url: String,
        /// What the store said.
        message: String,
    },
    /// The AWS configuration is unusable (no region, unknown profile, bad
    /// endpoint URL).
    #[error("{0}")]
    Configuration(String),
    /// The store could not be reached, or answered with another error.
    #[error("cannot reach the archive {url}: {message}")]
    Unreachable {
        /// The archive.
        url: String,
        /// Why.
        message: String,
    },
}

impl ArchiveError {
    /// A stable code for programs: `InvalidUrl`, `Configuration`,
    /// `NoSuchBucket`, `AccessDenied`, `Unreachable`.
    pub fn code(&self) -> &'static str {
        match self {
            ArchiveError::InvalidUrl(_) => "InvalidUrl",
            ArchiveError::Configuration(_) => "Configuration",
            ArchiveError::NoSuchBucket(_) => "NoSuchBucket",
            ArchiveError::AccessDenied { .. } => "AccessDenied",
            ArchiveError::Unreachable { .. } => "Unreachable",
        }
    }

    /// Whether the fault is in what was asked (a URL, the configuration)
    /// rather than in what the store answered.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            ArchiveError::InvalidUrl(_) | ArchiveError::Configuration(_)
        )
    }
}

/// What a search has done so far, updated by its threads as each input ends:
/// what a progress bar shows.
#[derive(Debug, Default)]
pub struct Progress {
    /// Inputs read to their end, or given up.
    pub inputs: AtomicU64,
    /// Their size in bytes, as stored (compressed).
    pub bytes: AtomicU64,
    /// Events matched in them.
    pub matched: AtomicU64,
}

impl Progress {
    /// Counts one job done: `bytes` read, `inputs` ended (0 for a part of a file).
    pub(crate) fn input_done(&self, bytes: u64, inputs: u64, matched: u64) {
        self.inputs.fetch_add(inputs, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.matched.fetch_add(matched, Ordering::Relaxed);
    }

    /// `(inputs, bytes, matched)` now.
    pub fn get(&self) -> (u64, u64, u64) {
        (
            self.inputs.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
            self.matched.load(Ordering::Relaxed),
        )
    }
}

/// The bucket and the prefix of `s3://bucket[/prefix]` (the prefix may be
/// empty).
///
/// ```
/// use kmswatch_decisions::log_search::parse_s3_url;
/// assert_eq!(parse_s3_url("s3://trail-logs/AWSLogs/").unwrap(), ("trail-logs".into(), "AWSLogs/".into()));
/// assert!(parse_s3_url("s3://").is_err());
/// assert!(parse_s3_url("https://trail-logs/").is_err());
/// ```
pub fn parse_s3_url(url: &str) -> Result<(String, String), ArchiveError> {
    let invalid = || ArchiveError::InvalidUrl(url.to_owned());
    let rest = url.strip_prefix("s3://").ok_or_else(invalid)?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    // Bucket names: 3 to 63 lower-case letters, digits, dots and hyphens.
    let valid = (3..=63).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    if valid {
        Ok((bucket.to_owned(), prefix.to_owned()))
    } else {
        Err(invalid())
    }
}

/// Whether an input names an S3 archive (`s3://…`) rather than a path.
pub fn is_s3_url(text: &str) -> bool {
    text.starts_with("s3://")
}
