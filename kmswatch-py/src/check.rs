//! `check`, `check_snapshot` and `snapshot`: the core's check, returning the
//! JSON documents the CLI prints (the Python layer wraps them in objects).

use crate::account::{detached, run, Target};
use kmswatch_core::check::UnknownMonitorKind;
use kmswatch_core::check::{self, Facts, MonitorKind};
use kmswatch_core::controls::{self, Control};
use kmswatch_core::session::{self, CheckRun, Failure, SnapshotSource, SystemClock};
use pyo3::prelude::*;
use std::path::PathBuf;

/// Checks a live account; returns the report JSON (with the `keys` section
/// when `keys`), with the monitoring kinds of `accept` counting for the verdict.
#[pyfunction]
#[pyo3(signature = (region=None, profile=None, endpoint_url=None, backend=None, timeout=None, accept=Vec::new(), keys=false, regions=None, log_account_role=None, controls=Vec::new()))]
// The Python signature's keywords, one parameter each, as pyo3 maps them.
#[allow(clippy::too_many_arguments)]
pub fn check_account(
    py: Python<'_>,
    region: Option<String>,
    profile: Option<String>,
    endpoint_url: Option<String>,
    backend: Option<Py<PyAny>>,
    timeout: Option<f64>,
    accept: Vec<String>,
    keys: bool,
    regions: Option<Vec<String>>,
    log_account_role: Option<String>,
    controls: Vec<String>,
) -> PyResult<String> {
    let accept = monitor_kinds(&accept).map_err(|e| crate::errors::raise(py, e))?;
    let controls = selection(&controls).map_err(|e| crate::errors::raise(py, e))?;
    let target =
        Target::new(region, profile, endpoint_url, timeout, backend).following(log_account_role);
    let check_run = CheckRun {
        accept: accept.clone(),
        keys: keys.then_some(regions),
        controls: controls.clone(),
    };
    run(py, target, |account| async move {
        let (facts, report) = session::check_run(&account, &check_run).await?;
        let report = check::accept(report, &facts, &accept);
        Ok(check::judge(report, &facts, &controls).to_json())
    })
}

/// The controls named in `control=` (`cis` for all; none is the KMS control).
pub fn selection(ids: &[String]) -> Result<Vec<&'static Control>, Failure> {
    controls::parse_selection(ids).map_err(|e| Failure::Usage(e.to_string()))
}

/// The monitoring kinds named in `accept=`.
fn monitor_kinds(names: &[String]) -> Result<Vec<MonitorKind>, Failure> {
    names
        .iter()
        .map(|n| {
            n.parse()
                .map_err(|e: UnknownMonitorKind| Failure::Usage(e.to_string()))
        })
        .collect()
}

/// Gathers the facts of a live account; returns the snapshot JSON, stamped
/// with the time of capture, subscription endpoints redacted unless
/// `show_endpoints`.
#[pyfunction]
#[pyo3(signature = (region=None, profile=None, endpoint_url=None, backend=None, timeout=None, show_endpoints=false, log_account_role=None, controls=Vec::new()))]
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
    log_account_role: Option<String>,
    controls: Vec<String>,
) -> PyResult<String> {
    let controls = selection(&controls).map_err(|e| crate::errors::raise(py, e))?;
    let target =
        Target::new(region, profile, endpoint_url, timeout, backend).following(log_account_role);
    run(py, target, |account| async move {
        let mut facts = session::capture_for(&account, &SystemClock, &controls).await?;
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

/// Evaluates a snapshot (a file `path`, or the JSON `text`); returns the
/// report JSON, with the monitoring kinds of `accept` counting for the verdict.
#[pyfunction]
#[pyo3(signature = (path=None, text=None, accept=Vec::new(), controls=Vec::new()))]
pub fn check_snapshot(
    py: Python<'_>,
    path: Option<PathBuf>,
    text: Option<String>,
    accept: Vec<String>,
    controls: Vec<String>,
) -> PyResult<String> {
    detached(py, move || {
        let accept = monitor_kinds(&accept)?;
        let controls = selection(&controls)?;
        let facts = load_facts(path, text)?;
        let report = session::report_on(&facts, &SystemClock);
        let report = check::accept(report, &facts, &accept);
        Ok(check::judge(report, &facts, &controls).to_json())
    })
}
