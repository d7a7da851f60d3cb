//! `render_reports`: the core's document writers (OCSF, ASFF, SARIF, JUnit,
//! NDJSON) over reports the Python layer holds as JSON text.

use crate::errors::raise;
use kmswatch_core::check::Report;
use kmswatch_core::output::ocsf::OcsfVersion;
use kmswatch_core::output::{self, Context};
use kmswatch_core::session::{Clock, Failure, SystemClock};
use pyo3::prelude::*;

/// The `format` document of `reports` (each a `kmswatch.report/v1` JSON
/// text). Its time is the first report's `generated_at` (so that the same
/// reports give the same document), else now. OCSF findings are written in
/// `ocsf_version` (the core's default when `None`).
#[pyfunction]
#[pyo3(signature = (reports, format, ocsf_version=None))]
pub fn render_reports(
    py: Python<'_>,
    reports: Vec<String>,
    format: &str,
    ocsf_version: Option<&str>,
) -> PyResult<String> {
    let render = || -> Result<String, Failure> {
        let format = output::Format::from_name(format)?;
        let version = ocsf_version
            .map(OcsfVersion::from_name)
            .transpose()?
            .unwrap_or_default();
        let reports = reports
            .iter()
            .map(|text| serde_json::from_str::<Report>(text))
            .collect::<Result<Vec<Report>, _>>()
            .map_err(|e| Failure::Usage(format!("not a kmswatch.report/v1 document: {e}")))?;
        let at = reports
            .iter()
            .find_map(|r| r.generated_at.clone())
            .unwrap_or_else(|| SystemClock.now_rfc3339());
        let ctx = Context::at(at).with_ocsf_version(version);
        Ok(output::render(format, &reports, &ctx)?)
    };
    render().map_err(|failure| raise(py, failure))
}
