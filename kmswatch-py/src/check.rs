//! `check`, `check_snapshot` and `snapshot`: the core's check, returning the
//! JSON documents the CLI prints (the Python layer wraps them in objects).

use crate::account::{detached, run, Target};
use crate::errors::Failure;
use kmswatch_core::check::{self, Facts};
use pyo3::prelude::*;
use std::path::PathBuf;

/// Checks a live account; returns the report JSON.
#[pyfunction]
#[pyo3(signature = (region=None, profile=None, endpoint_url=None, backend=None))]
pub fn check_account(
    py: Python<'_>,
    region: Option<String>,
    profile: Option<String>,
    endpoint_url: Option<String>,
    backend: Option<Py<PyAny>>,
) -> PyResult<String> {
    let target = Target::new(region, profile, endpoint_url, backend);
    run(py, target, |services, region| async move {
        let (_, report) = check::check(&services, &region).await?;
        Ok(report.to_json())
    })
}

/// Gathers the facts of a live account; returns the snapshot JSON.
#[pyfunction]
#[pyo3(signature = (region=None, profile=None, endpoint_url=None, backend=None))]
pub fn snapshot_account(
    py: Python<'_>,
    region: Option<String>,
    profile: Option<String>,
    endpoint_url: Option<String>,
    backend: Option<Py<PyAny>>,
) -> PyResult<String> {
    let target = Target::new(region, profile, endpoint_url, backend);
    run(py, target, |services, region| async move {
        Ok(check::gather(&services, &region).await?.to_json())
    })
}

/// Reads and validates a snapshot: a file path, or the JSON text itself.
pub fn load_facts(path: Option<PathBuf>, text: Option<String>) -> Result<Facts, Failure> {
    match (path, text) {
        (Some(path), _) => Ok(Facts::load(&path)?),
        (None, Some(text)) => Ok(Facts::from_json(&text)?),
        (None, None) => Err(Failure::Other("no snapshot given".to_owned())),
    }
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
        Ok(check::report(&load_facts(path, text)?).to_json())
    })
}
