//! What one finding is about: an account's report judged for one control.
//!
//! A report without `controls` (the KMS control alone) is one subject, the
//! report as it is. A report with `controls` is one subject per control: the
//! KMS control's is the report with the KMS verdict, each other's a view of
//! the report holding that control's verdict and gaps (its chain is not the
//! KMS chain, so the view names no chain).

use crate::check::{ControlVerdict, Report};
use crate::controls::{self, Control};
use std::borrow::Cow;

/// One account's report, judged for one control.
pub(super) struct Subject<'r> {
    /// The report the writers read (for a control other than KMS, a view).
    pub(super) report: Cow<'r, Report>,
    /// The control.
    pub(super) control: &'static Control,
}

/// The subjects of `reports`, in order: per report, per control asked.
pub(super) fn subjects(reports: &[Report]) -> Vec<Subject<'_>> {
    let mut out = Vec::new();
    for report in reports {
        if report.controls.is_empty() {
            out.push(Subject {
                report: Cow::Borrowed(report),
                control: &controls::KMS,
            });
            continue;
        }
        for verdict in &report.controls {
            let Some(control) = controls::find(&verdict.control) else {
                continue;
            };
            out.push(Subject {
                report: Cow::Owned(view(report, verdict, control)),
                control,
            });
        }
    }
    out
}

/// `report` as it reads for one control's verdict.
fn view(report: &Report, verdict: &ControlVerdict, control: &Control) -> Report {
    let mut view = report.clone();
    view.controls = Vec::new();
    view.status = verdict.status;
    view.summary = verdict.summary.clone();
    if !control.is_kms() {
        view.chains = Vec::new();
        view.gaps = verdict.gaps.clone();
        view.warnings = Vec::new();
        view.monitored_by = Vec::new();
        view.accepted_by = None;
        view.keys = None;
        // The report's CIS text check is the KMS control's: not this one's.
        view.cis_pattern.exact = false;
        view.cis_pattern.filters = Vec::new();
        view.cis_pattern.message = format!(
            "the exact CIS text of {} is not compared; its verdict judges the filters by their meaning",
            control_id(control)
        );
    }
    view
}

/// The id a control's findings carry: its Security Hub id, else `CIS.<number>`.
pub(super) fn control_id(control: &Control) -> String {
    control
        .security_hub
        .map_or_else(|| format!("CIS.{}", control.cis), str::to_owned)
}

/// The control's title as Security Hub words it.
pub(super) fn security_hub_title(control: &Control) -> String {
    if control.is_kms() {
        return super::controls::SECURITY_HUB_TITLE.to_owned();
    }
    control.title.replacen(
        "Ensure a log metric filter and alarm exist for",
        "A log metric filter and alarm should exist for",
        1,
    )
}
