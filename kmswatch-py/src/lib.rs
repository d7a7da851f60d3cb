//! `kmswatch._kmswatch`: the Rust core of the `kmswatch` Python package.
//!
//! Thin by design: it converts types and releases the interpreter around core
//! work; every decision is made in `kmswatch-core`. The typed Python face
//! (`Report`, `Plan`, the exceptions, `Boto3Backend`) lives in `python/kmswatch`.

// `ApiError` is the core's error type and `Failure` carries it across the
// detached call; boxing it here alone would only add an allocation on the
// error path (the core's AWS backend makes the same choice).
#![allow(clippy::result_large_err)]

mod account;
mod backend;
mod check;
#[cfg(feature = "conformance")]
mod conformance;
mod controls;
mod convert;
mod errors;
mod keys;
mod output;
mod pattern;
mod pattern_sql;
mod pattern_test;
mod remediate;
mod scan;

use pyo3::prelude::*;

// Each name added here is typed in python/kmswatch/_kmswatch.pyi; stubtest
// (tests/python/test_native_stub.py) fails while it is not.
#[pymodule]
fn _kmswatch(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("FACTS_SCHEMA", kmswatch_core::check::FACTS_SCHEMA)?;
    m.add("REPORT_SCHEMA", kmswatch_core::check::REPORT_SCHEMA)?;
    m.add("CIS_PATTERN", kmswatch_core::check::CIS_PATTERN)?;
    m.add_class::<pattern::FilterPattern>()?;
    m.add_function(wrap_pyfunction!(check::check_account, m)?)?;
    m.add_function(wrap_pyfunction!(controls::controls_json, m)?)?;
    m.add_function(wrap_pyfunction!(check::snapshot_account, m)?)?;
    m.add_function(wrap_pyfunction!(check::check_snapshot, m)?)?;
    m.add_function(wrap_pyfunction!(remediate::plan_snapshot, m)?)?;
    m.add_function(wrap_pyfunction!(remediate::plan_account, m)?)?;
    m.add_function(wrap_pyfunction!(remediate::remediate_account, m)?)?;
    m.add_function(wrap_pyfunction!(output::render_reports, m)?)?;
    m.add_function(wrap_pyfunction!(keys::keys_account, m)?)?;
    m.add_function(wrap_pyfunction!(keys::history_account, m)?)?;
    m.add_function(wrap_pyfunction!(keys::respond_account, m)?)?;
    m.add_function(wrap_pyfunction!(keys::recommend_for_event, m)?)?;
    m.add_function(wrap_pyfunction!(scan::scan_accounts, m)?)?;
    m.add_class::<scan::ScanReports>()?;
    m.add_function(wrap_pyfunction!(pattern_test::pattern_test, m)?)?;
    m.add_function(wrap_pyfunction!(pattern_sql::pattern_sql, m)?)?;
    m.add_class::<pattern_test::SearchMatches>()?;
    #[cfg(feature = "conformance")]
    m.add_function(wrap_pyfunction!(conformance::_run_conformance, m)?)?;
    #[cfg(feature = "conformance")]
    m.add_function(wrap_pyfunction!(conformance::_panic_for_test, m)?)?;
    Ok(())
}
