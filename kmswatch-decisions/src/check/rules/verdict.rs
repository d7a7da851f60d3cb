//! The account's verdict: a complete chain wins; then an error (it might have
//! passed); then something unverifiable; else a failure.

use crate::check::assessment::ChainAssessment;
use crate::check::facts::Facts;
use crate::check::gap::{Gap, Severity};
use crate::check::gap_code::GapCode;
use crate::check::status::Status;
use crate::operation::Operation;

use super::unknown::unknown_gap;

/// Gaps of the account as a whole: the trails could not be listed, or none logs.
pub fn account_gaps(facts: &Facts) -> Vec<Gap> {
    if let Some(e) = facts.error_for(Operation::DescribeTrails, None, None) {
        vec![unknown_gap(
            facts,
            GapCode::TrailsUnknown,
            e,
            None,
            "the account's trails could not be listed",
        )]
    } else if facts.trails.is_empty() {
        vec![Gap::of(
            GapCode::NoTrail,
            None,
            "no CloudTrail trail logs in this region",
            &[],
        )]
    } else {
        Vec::new()
    }
}

/// The account's status.
pub fn account_status(chains: &[ChainAssessment<'_>], gaps: &[Gap]) -> Status {
    Status::any(
        chains
            .iter()
            .map(|c| c.status)
            .chain(gaps.iter().map(|g| g.severity.status())),
    )
}

/// One sentence saying why.
pub fn summarize(status: Status, chains: &[ChainAssessment<'_>], gaps: &[Gap]) -> String {
    match status {
        Status::Pass => {
            let c = chains.iter().find(|c| c.status == Status::Pass);
            format!(
                "KMS key disabling and deletion are monitored through trail {}",
                c.map(|c| c.trail.trail.name.as_str()).unwrap_or_default()
            )
        }
        Status::Fail => match chains
            .iter()
            .flat_map(|c| {
                c.gaps
                    .iter()
                    .filter(|g| !matches!(g.code, GapCode::NotAlarmed(_)))
                    .chain(c.filters.iter().flat_map(|f| f.nested_gaps()))
            })
            .chain(gaps)
            .find(|g| g.severity == Severity::Fail)
        {
            Some(g) => format!("not monitored: {}", g.message),
            None => "not monitored: no chain delivers a KMS key event to a confirmed subscriber"
                .to_owned(),
        },
        Status::Error => "could not decide: a call needed for the decision failed".to_owned(),
        Status::Manual => {
            "could not decide: the candidate chains run through resources these credentials cannot see"
                .to_owned()
        }
    }
}

/// Every warning of every chain, once.
pub fn collect_warnings(chains: &[ChainAssessment<'_>]) -> Vec<Gap> {
    let mut warnings: Vec<Gap> = Vec::new();
    let all_gaps = chains.iter().flat_map(|c| {
        c.gaps
            .iter()
            .chain(c.filters.iter().flat_map(|f| f.nested_gaps()))
    });
    for g in all_gaps.filter(|g| g.severity == Severity::Warning) {
        if !warnings.contains(g) {
            warnings.push(g.clone());
        }
    }
    warnings
}
