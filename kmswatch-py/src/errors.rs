//! The exception hierarchy (defined in `kmswatch/_errors.py`) raised from the
//! core's error types.

use kmswatch_core::api::ApiError;
use kmswatch_core::check::SnapshotError;
use kmswatch_core::pattern::PatternError;
use kmswatch_core::remediate::RemediateError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

#[cfg(feature = "aws")]
use kmswatch_core::aws::ConnectError;

/// Everything a call into the core can fail with, made while detached from
/// the interpreter and raised once attached again.
#[derive(Debug)]
pub enum Failure {
    /// A snapshot could not be read or is malformed.
    Snapshot(SnapshotError),
    /// An AWS call (or a Python backend call) failed.
    Api(ApiError),
    /// The AWS configuration is unusable.
    #[cfg(feature = "aws")]
    Connect(ConnectError),
    /// The remediation refused or failed.
    Remediate(RemediateError),
    /// Anything else (the async runtime could not start, bad arguments).
    Other(String),
}

impl From<SnapshotError> for Failure {
    fn from(e: SnapshotError) -> Self {
        Failure::Snapshot(e)
    }
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Failure::Api(e)
    }
}

#[cfg(feature = "aws")]
impl From<ConnectError> for Failure {
    fn from(e: ConnectError) -> Self {
        Failure::Connect(e)
    }
}

impl From<RemediateError> for Failure {
    fn from(e: RemediateError) -> Self {
        match e {
            RemediateError::Api(api) => Failure::Api(api),
            other => Failure::Remediate(other),
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Other(format!("cannot start the async runtime: {e}"))
    }
}

fn errors_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    ERRORS
        .get_or_try_init(py, || Ok(py.import("kmswatch._errors")?.unbind()))
        .map(|m| m.bind(py))
}

/// `kmswatch.<class_name>(*args)` as a `PyErr`.
fn raise<'py>(py: Python<'py>, class_name: &str, args: impl pyo3::call::PyCallArgs<'py>) -> PyErr {
    let made = errors_module(py)
        .and_then(|m| m.getattr(class_name))
        .and_then(|class| class.call1(args));
    match made {
        Ok(exception) => PyErr::from_value(exception),
        Err(e) => e,
    }
}

/// `kmswatch.PatternError(message, offset)`.
pub fn pattern_error(py: Python<'_>, e: &PatternError) -> PyErr {
    raise(py, "PatternError", (e.message.as_str(), e.offset))
}

impl Failure {
    /// The Python exception for this failure.
    pub fn into_pyerr(self, py: Python<'_>) -> PyErr {
        match self {
            Failure::Snapshot(e) => raise(py, "SnapshotError", (e.to_string(),)),
            Failure::Api(e) => api_error(py, &e),
            #[cfg(feature = "aws")]
            Failure::Connect(e) => {
                let code = connect_code(&e);
                raise(
                    py,
                    "AwsError",
                    (
                        e.to_string(),
                        code,
                        "Connect",
                        None::<String>,
                        None::<String>,
                        "invalid_request",
                    ),
                )
            }
            Failure::Remediate(e) => {
                raise(py, "RemediationError", (e.to_string(), remediate_code(&e)))
            }
            Failure::Other(message) => raise(py, "KmswatchError", (message,)),
        }
    }
}

fn api_error(py: Python<'_>, e: &ApiError) -> PyErr {
    // The kind as the report's JSON spells it (`access_denied`...).
    let kind = serde_json::to_value(e.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "other".to_owned());
    raise(
        py,
        "AwsError",
        (
            e.to_string(),
            e.code.as_str(),
            e.operation.as_str(),
            e.region.clone(),
            e.resource.clone(),
            kind,
        ),
    )
}

#[cfg(feature = "aws")]
fn connect_code(e: &ConnectError) -> &'static str {
    match e {
        ConnectError::NoRegion => "NoRegion",
        ConnectError::InvalidRegion(_) => "InvalidRegion",
        ConnectError::ProfileNotFound { .. } => "ProfileNotFound",
        ConnectError::ProfileFile(_) => "ProfileFile",
        ConnectError::InvalidEndpoint(_) => "InvalidEndpoint",
    }
}

fn remediate_code(e: &RemediateError) -> &'static str {
    match e {
        RemediateError::PrerequisiteMissing { .. } => "prerequisite_missing",
        RemediateError::FactsIncomplete { .. } => "facts_incomplete",
        RemediateError::Conflict { .. } => "conflict",
        RemediateError::FilterLimit { .. } => "filter_limit",
        RemediateError::NoSubscriber => "no_subscriber",
        RemediateError::InvalidOption(_) => "invalid_option",
        RemediateError::NotPassAfterPreview { .. } => "not_pass_after_preview",
        RemediateError::Api(_) => "api",
    }
}
