//! Accepted monitoring: users whose policy allows it let a kind of monitoring
//! besides the CIS chain (EventBridge) make the account PASS.

use super::facts::Facts;
use super::gap::Gap;
use super::gap_code::GapCode;
use super::monitor::MonitorKind;
use super::report::Report;
use super::status::Status;
use std::collections::BTreeSet;

/// The regions whose KMS key events must be monitored: those that hold
/// customer managed keys, when the facts list them (`None`: unknown).
pub fn key_regions(_facts: &Facts) -> Option<BTreeSet<String>> {
    None
}

/// The report with the kinds of monitoring in `accept` counting for the
/// verdict: a report that does not pass becomes PASS when every region that
/// holds customer managed keys has a passing monitor of an accepted kind.
/// Otherwise the report stays as it is, with a warning saying why acceptance
/// did not apply when the reason is an unknown.
pub fn accept(mut report: Report, facts: &Facts, accept: &[MonitorKind]) -> Report {
    if report.status == Status::Pass || accept.is_empty() {
        return report;
    }
    let passing = |region: &str| {
        report
            .monitored_by
            .iter()
            .any(|m| accept.contains(&m.kind) && m.region == region && m.status == Status::Pass)
    };
    let Some(mut regions) = key_regions(facts) else {
        report.warnings.push(Gap::of(
            GapCode::EventbridgeKeyRegionsUnknown,
            None,
            "the regions that hold customer managed keys are not known, so accepted monitoring cannot stand in for the metric-filter chain",
            &[],
        ));
        return report;
    };
    // Keys created later in the check's own region must be covered too.
    regions.insert(facts.region.clone());
    let uncovered: Vec<&String> = regions.iter().filter(|r| !passing(r)).collect();
    if uncovered.is_empty() {
        let kinds: Vec<&str> = accept.iter().map(|k| k.as_str()).collect();
        report.accepted_by = Some(kinds.join(","));
        report.summary = format!(
            "PASS by accepted {} monitoring (the CIS metric-filter chain does not pass: {})",
            kinds.join(", "),
            report.summary
        );
        report.status = Status::Pass;
    }
    report
}
