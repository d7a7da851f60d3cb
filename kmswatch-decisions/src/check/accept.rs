//! Accepted monitoring: users whose policy allows it let a kind of monitoring
//! besides the CIS chain (EventBridge) make the account PASS.

use super::facts::Facts;
use super::gap::Gap;
use super::gap_code::GapCode;
use super::key_regions::{key_regions, KeyRegions};
use super::monitor::MonitorKind;
use super::report::Report;
use super::status::Status;

/// The report with the kinds of monitoring in `accept` counting for the
/// verdict: a report that does not pass becomes PASS when every region that
/// holds customer managed keys (and the check's own region, where keys
/// created later land by default) has a passing monitor of an accepted kind
/// (a rule that forwards to another region's bus passes through that bus's
/// rule). Otherwise the report stays as it is, with a warning saying why
/// acceptance did not apply: the regions that are unknown, or those without
/// a passing monitor.
pub fn accept(mut report: Report, facts: &Facts, accept: &[MonitorKind]) -> Report {
    if report.status == Status::Pass || accept.is_empty() {
        return report;
    }
    let mut regions = match key_regions(facts) {
        KeyRegions::Known(regions) => regions,
        KeyRegions::NotRead => {
            report.warnings.push(Gap::of(
                GapCode::EventbridgeKeyRegionsUnknown,
                None,
                "the regions that hold customer managed keys are not known, so accepted monitoring cannot stand in for the metric-filter chain",
                &[],
            ));
            return report;
        }
        KeyRegions::Unknown(failed) => {
            for region in failed {
                report.warnings.push(Gap::of(
                    GapCode::EventbridgeKeyRegionsUnknown,
                    Some(&region),
                    format!(
                        "the customer managed keys of {region} could not be listed, so accepted monitoring cannot stand in for the metric-filter chain"
                    ),
                    &[],
                ));
            }
            return report;
        }
    };
    regions.insert(facts.region.clone());
    let passing = |region: &str| {
        report
            .monitored_by
            .iter()
            .any(|m| accept.contains(&m.kind) && m.region == region && m.status == Status::Pass)
    };
    let uncovered: Vec<String> = regions.into_iter().filter(|r| !passing(r)).collect();
    if !uncovered.is_empty() {
        for region in uncovered {
            let message = if region == facts.region {
                format!("{region} (the check's region) has no passing monitor of an accepted kind")
            } else {
                format!("{region} holds customer managed keys and has no passing monitor of an accepted kind")
            };
            report.warnings.push(Gap::of(
                GapCode::EventbridgeKeyRegionUnmonitored,
                Some(&region),
                message,
                &[],
            ));
        }
        return report;
    }
    let kinds: Vec<&str> = accept.iter().map(|k| k.as_str()).collect();
    report.accepted_by = Some(kinds.join(","));
    report.summary = format!(
        "PASS by accepted {} monitoring (the CIS metric-filter chain does not pass: {})",
        kinds.join(", "),
        report.summary
    );
    report.status = Status::Pass;
    report
}
