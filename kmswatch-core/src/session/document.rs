//! The `kmswatch.error/v1` document: what a face prints in JSON mode when a
//! command ends without a report or plan, so that a pipeline always gets one
//! JSON object.

use super::failure::{ErrorClass, Failure};
use crate::check::SnapshotError;
use crate::operation::Operation;
use serde::Serialize;

/// The schema of the error document.
pub const ERROR_SCHEMA: &str = "kmswatch.error/v1";

/// A failed command as one JSON object.
///
/// ```
/// use kmswatch_core::session::{ErrorDocument, Failure};
/// let doc = ErrorDocument::of(&Failure::Usage("--timeout must be positive".into()));
/// assert_eq!(doc.exit_code, 2);
/// let json: serde_json::Value = serde_json::from_str(&doc.to_json()).unwrap();
/// assert_eq!(json["schema"], "kmswatch.error/v1");
/// assert_eq!(json["status"], "ERROR");
/// assert_eq!(json["error"]["code"], "usage");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorDocument {
    /// Always [`ERROR_SCHEMA`].
    pub schema: &'static str,
    /// Always `ERROR`: the command could not give its answer.
    pub status: &'static str,
    /// The kmswatch version that wrote the document.
    pub kmswatch_version: &'static str,
    /// The exit code of the `kmswatch` command.
    pub exit_code: u8,
    /// What failed.
    pub error: ErrorDetail,
}

/// The `error` object of an [`ErrorDocument`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorDetail {
    /// A stable code: the AWS error code of a failed call, or one of kmswatch's
    /// own (`usage`, `invalid_pattern`, `snapshot_malformed`, `ProfileNotFound`...).
    pub code: String,
    /// The class of failure, which decides the exit code.
    pub class: ErrorClass,
    /// One sentence for people.
    pub message: String,
    /// The AWS operation that failed, when one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<Operation>,
    /// The resource the failed call was about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The region of the failed call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// For an invalid filter pattern: the byte offset of the error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<usize>,
}

impl ErrorDocument {
    /// A document for an error of `class` with this code and message.
    pub fn new(class: ErrorClass, code: impl Into<String>, message: impl Into<String>) -> Self {
        ErrorDocument {
            schema: ERROR_SCHEMA,
            status: "ERROR",
            kmswatch_version: crate::VERSION,
            exit_code: class.exit_code(),
            error: ErrorDetail {
                code: code.into(),
                class,
                message: message.into(),
                operation: None,
                resource: None,
                region: None,
                offset: None,
            },
        }
    }

    /// The document of a failure.
    pub fn of(failure: &Failure) -> Self {
        let mut document = Self::new(failure.class(), code_of(failure), failure.message());
        if let Some(api) = failure.api_error() {
            document.error.operation = Some(api.operation);
            document.error.resource = api
                .resource
                .as_deref()
                .map(|r| crate::redact::strip_userinfo(r).into_owned());
            document.error.region = api.region.clone();
        }
        document
    }

    /// An invalid filter pattern (exit code 2), with the offset of the error.
    pub fn invalid_pattern(message: impl Into<String>, offset: usize) -> Self {
        let mut document = Self::new(ErrorClass::Usage, "invalid_pattern", message);
        document.error.offset = Some(offset);
        document
    }

    /// The document, pretty-printed.
    pub fn to_json(&self) -> String {
        // Strings, numbers and enums with string forms only.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// The stable code of a failure: [`Failure::code`] where it has one, else one
/// that names the kind of failure.
fn code_of(failure: &Failure) -> String {
    if let Some(code) = failure.code() {
        return code.to_owned();
    }
    match failure {
        Failure::Usage(_) => "usage",
        Failure::NoAwsBackend => "no_aws_backend",
        Failure::Snapshot(SnapshotError::Read { .. }) => "snapshot_unreadable",
        Failure::Snapshot(SnapshotError::Write { .. }) => "snapshot_unwritable",
        Failure::Snapshot(SnapshotError::Malformed { .. }) => "snapshot_malformed",
        Failure::Snapshot(SnapshotError::Schema { .. }) => "snapshot_schema",
        Failure::Snapshot(SnapshotError::Invalid(_)) => "snapshot_invalid",
        Failure::Panic(_) => "panic",
        Failure::Output(_) => "output_unwritable",
        _ => "internal",
    }
    .to_owned()
}
