//! Coverage: every target event must be caught by some filter whose alarm path
//! works.

use crate::check::assessment::FilterAssessment;
use crate::check::gap::{Gap, Severity};
use crate::check::gap_code::{GapCode, TargetEvent};
use crate::check::status::Status;
use crate::corpus::CorpusEvent;

/// The coverage gaps of a log group's filters, and the status of each target
/// event's coverage.
pub fn assess_coverage(
    group_arn: &str,
    filters: &[FilterAssessment<'_>],
    targets: &[&CorpusEvent],
) -> (Vec<Gap>, Vec<Status>) {
    let mut gaps = Vec::new();
    let mut statuses = Vec::new();
    for target in TargetEvent::ALL {
        let name = target.event_name();
        let of_name: Vec<&&CorpusEvent> = targets.iter().filter(|e| e.event_name == name).collect();
        let missed: Vec<&str> = of_name
            .iter()
            .filter(|e| filters.iter().all(|f| f.misses.contains(&e.id)))
            .map(|e| e.id.as_str())
            .collect();
        if !missed.is_empty() {
            gaps.push(Gap::of(
                GapCode::PatternMisses(target),
                Some(group_arn),
                format!(
                    "no metric filter on the log group matches {name} events ({})",
                    missed.join(", ")
                ),
                &[("pattern", crate::check::CIS_PATTERN)],
            ));
            statuses.push(Status::Fail);
            continue;
        }
        let per_event = of_name.iter().map(|e| {
            Status::any(
                filters
                    .iter()
                    .filter(|f| !f.misses.contains(&e.id))
                    .map(|f| f.status),
            )
        });
        let status = Status::all(per_event);
        if status != Status::Pass {
            let mut causes: Vec<GapCode> = Vec::new();
            for f in filters.iter().filter(|f| f.catches.contains(&target)) {
                for g in f.nested_gaps().filter(|g| g.is_blocking()) {
                    if !causes.contains(&g.code) {
                        causes.push(g.code);
                    }
                }
            }
            let causes: Vec<String> = causes.into_iter().map(GapCode::as_string).collect();
            gaps.push(Gap::new(
                GapCode::NotAlarmed(target),
                severity_of(status),
                Some(group_arn),
                format!(
                    "the metric filters that match {name} have no working alarm path ({})",
                    causes.join(", ")
                ),
                GapCode::NotAlarmed(target).fix(&[]),
            ));
        }
        statuses.push(status);
    }
    (gaps, statuses)
}

fn severity_of(status: Status) -> Severity {
    match status {
        Status::Pass => Severity::Warning,
        Status::Fail => Severity::Fail,
        Status::Error => Severity::Error,
        Status::Manual => Severity::Manual,
    }
}
