//! What a search read: its totals and the inputs it could not read, the
//! `kmswatch.pattern-test/v1` summary.

use serde::Serialize;

/// The `schema` of the summary document.
pub const SUMMARY_SCHEMA: &str = "kmswatch.pattern-test/v1";

/// What a search read: the last object `kmswatch pattern test --format json`
/// prints (`kmswatch.pattern-test/v1`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Summary {
    /// Always [`SUMMARY_SCHEMA`].
    pub schema: &'static str,
    /// Events that matched.
    pub matched: u64,
    /// Events read: lines, and records of CloudTrail archives and JSON
    /// documents (counted only when the search asks for details).
    pub events: u64,
    /// Events longer than 1 MiB, the largest CloudWatch Logs event, skipped
    /// unmatched.
    pub oversized: u64,
    /// Inputs read to their end (standard input counts as one).
    pub files: u64,
    /// Inputs that could not be listed or read to their end, in input order.
    pub errors: Vec<InputError>,
}

impl Summary {
    /// The summary as one line of JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// An input that could not be listed or read to its end; the inputs after
/// it are still read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InputError {
    /// The file (absent for standard input).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Why, in one sentence.
    pub message: String,
}

impl InputError {
    /// The name messages use: the file, or `standard input`.
    pub fn name(&self) -> &str {
        self.file.as_deref().unwrap_or("standard input")
    }
}
