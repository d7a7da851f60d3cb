//! Why a call failed, and the `kmswatch.error/v1` document that says so.

use serde::Serialize;
use std::os::raw::c_int;

/// The schema of the error document.
pub(crate) const ERROR_SCHEMA: &str = "kmswatch.error/v1";

/// The stable `error.code` strings of the error document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// A required pointer was NULL.
    InvalidArgument,
    /// An input was not valid UTF-8.
    InvalidUtf8,
    /// The facts document is malformed, of another schema, or inconsistent.
    SnapshotInvalid,
    /// The options document is malformed, has an unknown key or an invalid value.
    OptionsInvalid,
    /// The filter pattern does not parse (the document carries the byte `offset`).
    PatternInvalid,
    /// A log file could not be read to its end, or is a directory.
    InputUnreadable,
    /// Remediation: a trail-level prerequisite is missing (the document carries `gaps`).
    PrerequisiteMissing,
    /// Remediation: a fact the plan depends on is unknown (the document carries `gaps`).
    FactsIncomplete,
    /// Remediation: a resource of the chosen name exists with other settings.
    Conflict,
    /// Remediation: the log group already has the 100 metric filters AWS allows.
    FilterLimit,
    /// Remediation: a new topic would have no subscriber (give `email`, `subscribe` or `topic_arn`).
    NoSubscriber,
    /// Remediation: the plan, previewed on a copy of the facts, would not pass.
    NotPassAfterPreview,
    /// A recorded AWS call failure stopped the remediation.
    ApiError,
    /// A defect inside kmswatch; the call was abandoned and nothing leaked out.
    Panic,
}

/// A failed call: its return code, its error code and what to tell the user.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct FfiError {
    /// The value the function returns (2 for invalid input, 1 or 3 for a refused plan).
    pub return_code: c_int,
    /// The stable code.
    pub code: ErrorCode,
    /// One sentence for people.
    pub message: String,
    /// Byte offset into the pattern text, for [`ErrorCode::PatternInvalid`].
    pub offset: Option<usize>,
    /// The report's gaps (as JSON) that explain a refused plan.
    pub gaps: Vec<serde_json::Value>,
}

impl FfiError {
    /// An invalid-input error (return code 2).
    pub fn invalid(code: ErrorCode, message: impl Into<String>) -> Self {
        FfiError {
            return_code: crate::KMSWATCH_INVALID_INPUT,
            code,
            message: message.into(),
            offset: None,
            gaps: Vec::new(),
        }
    }

    /// A NULL where a pointer is required.
    pub fn null(argument: &str) -> Self {
        Self::invalid(ErrorCode::InvalidArgument, format!("{argument} is NULL"))
    }

    /// The `kmswatch.error/v1` document: `status` is `FAIL` when the return code
    /// is 1 (kmswatch will not remediate as things are), else `ERROR`.
    pub fn to_document(&self) -> String {
        #[derive(Serialize)]
        struct Document<'a> {
            schema: &'static str,
            status: &'static str,
            error: Detail<'a>,
        }
        #[derive(Serialize)]
        struct Detail<'a> {
            code: ErrorCode,
            message: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            offset: Option<usize>,
            #[serde(skip_serializing_if = "<[_]>::is_empty")]
            gaps: &'a [serde_json::Value],
        }
        let document = Document {
            schema: ERROR_SCHEMA,
            status: if self.return_code == 1 {
                "FAIL"
            } else {
                "ERROR"
            },
            error: Detail {
                code: self.code,
                message: &self.message,
                offset: self.offset,
                gaps: &self.gaps,
            },
        };
        // Only strings, numbers and JSON values: serialization cannot fail.
        serde_json::to_string_pretty(&document).unwrap_or_default()
    }
}
