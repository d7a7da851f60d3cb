//! `keys`, `history`, `respond` and `handle_event`: the core's key commands,
//! returning the JSON documents the CLI prints (the Python layer parses them).

use crate::account::{detached, run, Target};
use kmswatch_core::keys::{recommend, Response};
use kmswatch_core::session::{self, Failure, SystemClock};
use pyo3::prelude::*;
use std::time::SystemTime;

/// The keys at risk of a live account; returns the `kmswatch.keys/v1` JSON.
#[pyfunction]
#[pyo3(signature = (regions=None, region=None, profile=None, endpoint_url=None, backend=None, timeout=None))]
pub fn keys_account(
    py: Python<'_>,
    regions: Option<Vec<String>>,
    region: Option<String>,
    profile: Option<String>,
    endpoint_url: Option<String>,
    backend: Option<Py<PyAny>>,
    timeout: Option<f64>,
) -> PyResult<String> {
    let target = Target::new(region, profile, endpoint_url, timeout, backend);
    run(py, target, |account| async move {
        let regions = session::regions(&account, regions)?;
        let document =
            session::keys_document(&account, &regions, &SystemClock, SystemTime::now()).await?;
        Ok(document.to_json())
    })
}

/// What happened in the last `days` days; returns the `kmswatch.history/v1` JSON.
#[pyfunction]
#[pyo3(signature = (days, regions=None, region=None, profile=None, endpoint_url=None, backend=None, timeout=None))]
// The Python signature's keywords, one parameter each, as pyo3 maps them.
#[allow(clippy::too_many_arguments)]
pub fn history_account(
    py: Python<'_>,
    days: u32,
    regions: Option<Vec<String>>,
    region: Option<String>,
    profile: Option<String>,
    endpoint_url: Option<String>,
    backend: Option<Py<PyAny>>,
    timeout: Option<f64>,
) -> PyResult<String> {
    detached(py, || {
        kmswatch_core::keys::check_days(days).map_err(Failure::Usage)
    })?;
    let target = Target::new(region, profile, endpoint_url, timeout, backend);
    run(py, target, |account| async move {
        let regions = session::regions(&account, regions)?;
        let now = SystemTime::now();
        let document =
            session::history_document(&account, &regions, days, &SystemClock, now).await?;
        Ok(document.to_json())
    })
}

/// Cancels a deletion or enables a key (a dry run unless `apply`); returns
/// the `kmswatch.respond/v1` JSON, `refused: true` when the key's state does
/// not allow it.
#[pyfunction]
#[pyo3(signature = (action, key_arn, apply=false, region=None, profile=None, endpoint_url=None, backend=None, timeout=None))]
// The Python signature's keywords, one parameter each, as pyo3 maps them.
#[allow(clippy::too_many_arguments)]
pub fn respond_account(
    py: Python<'_>,
    action: String,
    key_arn: String,
    apply: bool,
    region: Option<String>,
    profile: Option<String>,
    endpoint_url: Option<String>,
    backend: Option<Py<PyAny>>,
    timeout: Option<f64>,
) -> PyResult<String> {
    let action: Response = detached(py, || action.parse().map_err(Failure::Usage))?;
    let target = Target::new(region, profile, endpoint_url, timeout, backend);
    run(py, target, |account| async move {
        let outcome = session::respond(&account, action, &key_arn, apply, &SystemClock).await?;
        Ok(outcome.to_json())
    })
}

/// The recommended response to an EventBridge event (its JSON text);
/// returns the `kmswatch.recommendation/v1` JSON.
#[pyfunction]
pub fn recommend_for_event(py: Python<'_>, event: String) -> PyResult<String> {
    detached(py, move || {
        let event: serde_json::Value = serde_json::from_str(&event)
            .map_err(|e| Failure::Usage(format!("the event is not JSON: {e}")))?;
        Ok(serde_json::to_string_pretty(&recommend(&event)).unwrap_or_default())
    })
}
