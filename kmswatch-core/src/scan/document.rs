//! What a scan produces: one `kmswatch.report/v1` per account (an account
//! that could not be entered is an ERROR report with one
//! `ACCOUNT_NOT_ENTERED` gap, so that every writer sees one shape), and the
//! `kmswatch.scan/v1` document that gathers them with a summary.

use super::accounts::SkippedAccount;
use crate::check::report::CisPatternCheck;
use crate::check::{Gap, GapCode, Report, Status, REPORT_SCHEMA};
use crate::security_hub::ImportSummary;
use serde::{Deserialize, Serialize};

/// The scan document's schema, printed as `"schema"`.
pub const SCAN_SCHEMA: &str = "kmswatch.scan/v1";

/// The ERROR report of an account the scan could not enter: `reason` says
/// why (the failed `AssumeRole`, `GetCallerIdentity` or the deadline).
///
/// ```
/// use kmswatch_core::scan::not_entered;
/// let report = not_entered("111122223333", "us-east-1", "AssumeRole failed: AccessDenied: no");
/// assert_eq!(report.status.as_str(), "ERROR");
/// assert_eq!(report.gaps[0].code.as_string(), "ACCOUNT_NOT_ENTERED");
/// ```
pub fn not_entered(account_id: &str, region: &str, reason: &str) -> Report {
    let code = GapCode::AccountNotEntered;
    let message = format!("the account could not be entered: {reason}");
    Report {
        schema: REPORT_SCHEMA.to_owned(),
        status: Status::Error,
        summary: message.clone(),
        account_id: account_id.to_owned(),
        region: region.to_owned(),
        chains: Vec::new(),
        gaps: vec![Gap::of(code, Some(account_id), message, &[])],
        cis_pattern: CisPatternCheck {
            exact: false,
            filters: Vec::new(),
            message: "unknown: the account was not checked".to_owned(),
        },
        warnings: Vec::new(),
        monitored_by: Vec::new(),
        accepted_by: None,
        keys: None,
        controls: Vec::new(),
        api_calls: None,
        kmswatch_version: crate::VERSION.to_owned(),
        generated_at: None,
        captured_at: None,
    }
}

/// How many accounts ended in each verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ScanSummary {
    /// Accounts checked (reports in `accounts`).
    pub total: usize,
    /// PASS reports.
    pub pass: usize,
    /// FAIL reports.
    pub fail: usize,
    /// ERROR reports (accounts not entered included).
    pub error: usize,
    /// MANUAL reports.
    pub manual: usize,
    /// Accounts left out (`skipped_accounts`).
    pub skipped: usize,
    /// AWS requests of the checks (every page and retry; `AssumeRole` and
    /// `ListAccounts` not counted).
    pub api_calls: u64,
}

impl ScanSummary {
    /// Counts one more report.
    pub fn add(&mut self, report: &Report) {
        self.total += 1;
        match report.status {
            Status::Pass => self.pass += 1,
            Status::Fail => self.fail += 1,
            Status::Error => self.error += 1,
            Status::Manual => self.manual += 1,
        }
        self.api_calls += report.api_calls.unwrap_or(0);
    }

    /// The verdict of the reports counted so far, `interrupted` or not.
    pub fn verdict(&self, interrupted: bool) -> Status {
        if interrupted || self.error > 0 || self.manual > 0 {
            Status::Error
        } else if self.fail > 0 {
            Status::Fail
        } else {
            Status::Pass
        }
    }
}

/// `kmswatch scan --format json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ScanDocument {
    /// Always [`SCAN_SCHEMA`].
    pub schema: String,
    /// The scan's verdict: PASS when every account passed, FAIL when one
    /// failed and none is ERROR or MANUAL, else ERROR (an interrupted scan is
    /// ERROR: not every account was checked).
    pub status: Status,
    /// One report per account checked, a list sorted by account id.
    pub accounts: Vec<Report>,
    /// Counts per verdict.
    pub summary: ScanSummary,
    /// Accounts left out, and why.
    pub skipped_accounts: Vec<SkippedAccount>,
    /// Whether the scan was stopped (Ctrl-C) before every account finished.
    pub interrupted: bool,
    /// The account whose credentials ran the scan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller_account_id: Option<String>,
    /// The region every account was checked in.
    pub region: String,
    /// The kmswatch version that made the document.
    pub kmswatch_version: String,
    /// When the scan started (RFC 3339, UTC).
    #[serde(default)]
    pub started_at: Option<String>,
    /// When the document was made (RFC 3339, UTC).
    #[serde(default)]
    pub generated_at: Option<String>,
    /// With `--send-to-security-hub`: the findings each account's Security
    /// Hub imported, and the ones refused (their ids name the account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_hub: Option<ImportSummary>,
}

impl ScanDocument {
    /// An empty document for a scan in `region`.
    pub fn new(region: impl Into<String>) -> Self {
        ScanDocument {
            schema: SCAN_SCHEMA.to_owned(),
            status: Status::Pass,
            accounts: Vec::new(),
            summary: ScanSummary::default(),
            skipped_accounts: Vec::new(),
            interrupted: false,
            caller_account_id: None,
            region: region.into(),
            kmswatch_version: crate::VERSION.to_owned(),
            started_at: None,
            generated_at: None,
            security_hub: None,
        }
    }

    /// Adds one account's Security Hub import to the scan's.
    pub fn add_import(&mut self, import: ImportSummary) {
        let total = self.security_hub.get_or_insert_with(ImportSummary::default);
        total.imported += import.imported;
        total.failed.extend(import.failed);
    }

    /// Adds a finished account's report.
    pub fn push(&mut self, report: Report) {
        self.summary.add(&report);
        self.status = self.summary.verdict(self.interrupted);
        self.accounts.push(report);
    }

    /// Records the skipped accounts.
    pub fn skipping(mut self, skipped: Vec<SkippedAccount>) -> Self {
        self.summary.skipped = skipped.len();
        self.skipped_accounts = skipped;
        self
    }

    /// Marks the scan stopped before the end.
    pub fn interrupt(&mut self) {
        self.interrupted = true;
        self.status = self.summary.verdict(true);
    }

    /// The document, pretty-printed.
    pub fn to_json(&self) -> String {
        // Reports, counts and strings only.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
