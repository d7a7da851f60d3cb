//! The exception hierarchy (defined in `kmswatch/_errors.py`) raised from the
//! core's failure classes.

use kmswatch_core::api::ApiError;
use kmswatch_core::pattern::PatternError;
use kmswatch_core::session::{ErrorClass, Failure};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use regex::Regex;
use std::sync::LazyLock;

fn errors_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    ERRORS
        .get_or_try_init(py, || Ok(py.import("kmswatch._errors")?.unbind()))
        .map(|m| m.bind(py))
}

/// `kmswatch.<class_name>(*args)` as a `PyErr`.
fn exception<'py>(
    py: Python<'py>,
    class_name: &str,
    args: impl pyo3::call::PyCallArgs<'py>,
) -> PyErr {
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
    exception(py, "PatternError", (e.message.as_str(), e.offset))
}

/// `kmswatch.PatternSqlError(message, code)`: `code` is the refused
/// construct (`unstructured_terms`...) or `usage`.
pub fn pattern_sql_error(py: Python<'_>, message: &str, code: &str) -> PyErr {
    exception(py, "PatternSqlError", (message, code))
}

/// A message of the core, its command-line flags turned into the Python
/// keywords that mean the same (`--email ADDR` → `email=ADDR`, `--adopt` →
/// `adopt=True`): Python users never see a flag they cannot pass.
pub fn pythonic(message: &str) -> String {
    static FLAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"--([a-z][a-z-]*)(?: ([A-Z][A-Z0-9:_]*))?").expect("valid regex")
    });
    FLAG.replace_all(message, |c: &regex::Captures<'_>| {
        let name = c[1].replace('-', "_");
        match (c.get(2), name.as_str()) {
            (Some(value), _) => format!("{name}={}", value.as_str()),
            (None, "adopt" | "apply" | "recursive") => format!("{name}=True"),
            (None, _) => format!("{name}=..."),
        }
    })
    .into_owned()
}

/// The Python exception for a failure.
pub fn raise(py: Python<'_>, failure: Failure) -> PyErr {
    let code = failure.code().unwrap_or_default().to_owned();
    match failure.class() {
        ErrorClass::Usage => exception(py, "KmswatchError", (pythonic(&failure.message()),)),
        ErrorClass::Internal => exception(py, "InternalError", (failure.message(),)),
        ErrorClass::Snapshot => exception(py, "SnapshotError", (failure.message(),)),
        ErrorClass::Aws => match failure.api_error() {
            Some(e) => api_error(py, e),
            None => exception(py, "KmswatchError", (failure.message(),)),
        },
        ErrorClass::Configuration => exception(
            py,
            "AwsError",
            (
                failure.message(),
                code,
                "Connect",
                None::<String>,
                None::<String>,
                "invalid_request",
            ),
        ),
        ErrorClass::Untranslatable => {
            exception(py, "PatternSqlError", (failure.message(), "untranslatable"))
        }
        ErrorClass::RemediationUsage
        | ErrorClass::RemediationRefused
        | ErrorClass::RemediationFactsUnknown => {
            exception(py, "RemediationError", (pythonic(&failure.message()), code))
        }
    }
}

fn api_error(py: Python<'_>, e: &ApiError) -> PyErr {
    // The kind as the report's JSON spells it (`access_denied`...).
    let kind = serde_json::to_value(e.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "other".to_owned());
    exception(
        py,
        "AwsError",
        (
            kmswatch_core::redact::strip_userinfo(&e.to_string()).into_owned(),
            e.code.as_str(),
            e.operation.as_str(),
            e.region.clone(),
            e.resource.clone(),
            kind,
        ),
    )
}
