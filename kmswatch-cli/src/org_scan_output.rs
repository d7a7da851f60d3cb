//! `kmswatch scan`'s outputs: NDJSON (one `kmswatch.report/v1` per line, as
//! each account finishes), the `kmswatch.scan/v1` document, and a table of
//! one line per account with a summary.

use crate::terminal;
use kmswatch_core::check::Report;
use kmswatch_core::scan::ScanDocument;
use std::fmt::Write;

/// One report as one NDJSON line (no newline).
pub fn ndjson_line(report: &Report) -> String {
    // A Report holds only strings, numbers, bools and lists.
    serde_json::to_string(report).unwrap_or_default()
}

/// The summary sentence: how many accounts, each verdict, skipped, stopped.
pub fn summary_line(document: &ScanDocument) -> String {
    let s = &document.summary;
    let mut line = format!(
        "{}  {} accounts in {}: {} PASS, {} FAIL, {} ERROR, {} MANUAL",
        terminal::status(document.status, document.status.as_str()),
        s.total,
        document.region,
        s.pass,
        s.fail,
        s.error,
        s.manual
    );
    if s.skipped > 0 {
        let _ = write!(line, "; {} skipped", s.skipped);
    }
    if document.interrupted {
        line.push_str("; interrupted before every account finished");
    }
    line
}

/// The table: one line per account (by account id), then the skipped
/// accounts and the summary; `quiet`: the summary only.
pub fn table(document: &ScanDocument, quiet: bool) -> String {
    let mut out = String::new();
    if !quiet {
        for report in &document.accounts {
            let status = format!("{:<6}", report.status.as_str());
            let _ = writeln!(
                out,
                "{}  {}  {}",
                terminal::status(report.status, &status),
                report.account_id,
                report.summary
            );
        }
        for skipped in &document.skipped_accounts {
            let _ = writeln!(
                out,
                "{:<6}  {}  skipped: {}",
                "-", skipped.account_id, skipped.reason
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary_line(document));
    out
}
