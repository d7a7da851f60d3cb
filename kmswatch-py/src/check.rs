//! `check`, `check_snapshot` and `snapshot`: the core's check, returning the
//! JSON documents the CLI prints (the Python layer wraps them in objects).

use crate::account::{detached, run, Target};
use kmswatch_core::check::Facts;
use kmswatch_core::session::{self, Failure, SnapshotSource, SystemClock};
use pyo3::prelude::*;
use std::path::PathBuf;

/// Checks a live account; returns the report JSON (with the `keys` section
/// when `keys`).
#[pyfunction]
#[pyo3(signature = (region=None, profile=None, endpoint_url=None, backend=None, timeout=None, keys=false, regions=None))]
// The Python signature's keywords, one parameter each, as pyo3 maps them.
#[allow(clippy::too_many_arguments)]
pub fn check_account(
    py: Python<'_>,
    region: Option<String>,
    profile: Option<String>,
    endpoint_url: Option<String>,
    backend: Option<Py<PyAny>>,
    timeout: Option<f64>,
    keys: bool,
    regions: Option<Vec<String>>,
) -> PyResult<String> {
    let target = Target::new(region, profile, endpoint_url, timeout, backend);
    run(py, target, |account| async move {
        let mut report = session::check(&account).await?.1;
        if keys {
            let regions = session::regions(&account, regions)?;
            let now = std::time::SystemTime::now();
            report.keys = Some(session::key_inventory(&account, &regions, now).await);
        }
        Ok(report.to_json())
    })
}

/// Gathers the facts of a live account; returns the snapshot JSON, stamped
/// with the time of capture, subscription endpoints redacted unless
/// `show_endpoints`.
#[pyfunction]
#[pyo3(signature = (region=None, profile=None, endpoint_url=None, backend=None, timeout=None, show_endpoints=false))]
// The Python signature's keywords, one parameter each, as pyo3 maps them.
#[allow(clippy::too_many_arguments)]
pub fn snapshot_account(
    py: Python<'_>,
    region: Option<String>,
    profile: Option<String>,
    endpoint_url: Option<String>,
    backend: Option<Py<PyAny>>,
    timeout: Option<f64>,
    show_endpoints: bool,
) -> PyResult<String> {
    let target = Target::new(region, profile, endpoint_url, timeout, backend);
    run(py, target, |account| async move {
        let mut facts = session::capture(&account, &SystemClock).await?;
        if !show_endpoints {
            facts.redact_endpoints();
        }
        Ok(facts.to_json())
    })
}

/// Reads and validates a snapshot: a file path, or the JSON text itself.
pub fn load_facts(path: Option<PathBuf>, text: Option<String>) -> Result<Facts, Failure> {
    let source = match (path, text) {
        (Some(path), _) => SnapshotSource::Path(path),
        (None, Some(text)) => SnapshotSource::Text(text),
        (None, None) => return Err(Failure::Usage("no snapshot given".to_owned())),
    };
    session::load_snapshot(&source)
}

/// Evaluates a snapshot (a file `path`, or the JSON `text`); returns the report JSON.
#[pyfunction]
#[pyo3(signature = (path=None, text=None))]
pub fn check_snapshot(
    py: Python<'_>,
    path: Option<PathBuf>,
    text: Option<String>,
) -> PyResult<String> {
    detached(py, move || {
        Ok(session::report_on(&load_facts(path, text)?, &SystemClock).to_json())
    })
}
