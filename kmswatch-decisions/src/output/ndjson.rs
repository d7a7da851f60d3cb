//! NDJSON: one `kmswatch.report/v1` object per line, for streams and log
//! pipelines (a scan can write each line as its account finishes).

use crate::check::Report;

/// One line (ending with a newline) per report.
pub fn lines(reports: &[Report]) -> String {
    reports.iter().map(line).collect()
}

/// One report as one line of NDJSON, newline included.
pub fn line(report: &Report) -> String {
    // A Report holds only strings, numbers, bools and lists.
    serde_json::to_string(report).unwrap_or_default() + "\n"
}
