//! `render_reports`: the core's document writers (OCSF, ASFF, SARIF, JUnit,
//! NDJSON) over reports the Python layer holds as JSON text.

use crate::errors::raise;
use kmswatch_core::check::Report;
use kmswatch_core::output::{self, Context};
use kmswatch_core::session::{Clock, Failure, SystemClock};
use pyo3::prelude::*;

/// The `format` document of `reports` (each a `kmswatch.report/v1` JSON
/// text). Its time is the first report's `generated_at` (so that the same
/// reports give the same document), else now.
#[pyfunction]
pub fn render_reports(py: Python<'_>, reports: Vec<String>, format: &str) -> PyResult<String> {
    let render = || -> Result<String, Failure> {
        let format = output::Format::from_name(format)?;
        let reports = reports
            .iter()
            .map(|text| serde_json::from_str::<Report>(text))
            .collect::<Result<Vec<Report>, _>>()
            .map_err(|e| Failure::Usage(format!("not a kmswatch.report/v1 document: {e}")))?;
        let at = reports
            .iter()
            .find_map(|r| r.generated_at.clone())
            .unwrap_or_else(|| SystemClock.now_rfc3339());
        Ok(output::render(format, &reports, &Context::at(at))?)
    };
    render().map_err(|failure| raise(py, failure))
}
