//! `evaluate`: facts in, typed assessment out. Pure; no I/O. The rules live in
//! [`super::rules`], one module per link; this file wires them in chain order.

use super::assessment::{Assessment, ChainAssessment};
use super::facts::{Facts, TrailFacts};
use super::gap::status_of;
use super::gap_code::GapCode;
use super::rules::cis::assess_cis_pattern;
use super::rules::coverage::assess_coverage;
use super::rules::filter::assess_filter;
use super::rules::log_group::assess_log_group;
use super::rules::noise::metric_noise;
use super::rules::trail::{assess_trail, TrailOutcome};
use super::rules::verdict::{account_gaps, account_status, collect_warnings, summarize};
use super::status::Status;
use crate::corpus::{self, CorpusEvent};
use crate::model::normalize_log_group_arn;

/// Decides whether the account's KMS key disabling and deletion are monitored.
///
/// PASS when at least one trail's chain is complete; otherwise ERROR when some
/// chain could pass but a needed fact is missing, MANUAL when the only candidate
/// chains run through resources these credentials cannot see, FAIL otherwise.
///
/// ```
/// use kmswatch_core::check::{evaluate, Facts, Status};
/// let facts = Facts::load("../examples/compliant.json".as_ref()).unwrap();
/// assert_eq!(evaluate(&facts).status, Status::Pass);
/// ```
pub fn evaluate(facts: &Facts) -> Assessment<'_> {
    let targets: Vec<&CorpusEvent> = corpus::targets().collect();
    let gaps = account_gaps(facts);
    let chains: Vec<ChainAssessment<'_>> = facts
        .trails
        .iter()
        .map(|t| assess_chain(facts, t, &targets))
        .collect();
    let status = account_status(&chains, &gaps);
    Assessment {
        facts,
        status,
        summary: summarize(status, &chains, &gaps),
        cis_pattern: assess_cis_pattern(&chains),
        warnings: collect_warnings(&chains),
        chains,
        gaps,
    }
}

fn assess_chain<'f>(
    facts: &'f Facts,
    tf: &'f TrailFacts,
    targets: &[&CorpusEvent],
) -> ChainAssessment<'f> {
    let mut chain = ChainAssessment {
        trail: tf,
        status: Status::Fail,
        log_group_arn: tf
            .trail
            .cloud_watch_logs_log_group_arn
            .as_deref()
            .map(|a| normalize_log_group_arn(a).to_owned()),
        log_group: None,
        filters: Vec::new(),
        gaps: Vec::new(),
    };
    let group_arn = match assess_trail(facts, tf) {
        TrailOutcome::Stops(gaps) => {
            chain.gaps = gaps;
            chain.status = status_of(&chain.gaps);
            return chain;
        }
        TrailOutcome::Delivers {
            gaps,
            log_group_arn,
        } => {
            chain.gaps = gaps;
            log_group_arn
        }
    };
    let group = match assess_log_group(facts, &group_arn) {
        Ok(group) => group,
        Err(gap) => {
            chain.gaps.push(gap);
            chain.status = status_of(&chain.gaps);
            return chain;
        }
    };
    chain.log_group = Some(group);
    let region = group.location().map(|l| l.0).unwrap_or_default();
    let filters = group.metric_filters.as_deref().unwrap_or_default();
    let noise = metric_noise(filters);
    chain.filters = filters
        .iter()
        .filter_map(|f| assess_filter(facts, region, f, targets, &noise))
        .collect();
    let (coverage_gaps, coverage) = assess_coverage(&group_arn, &chain.filters, targets);
    chain.gaps.extend(coverage_gaps);
    chain.status = Status::all(
        chain
            .gaps
            .iter()
            .filter(|g| !matches!(g.code, GapCode::NotAlarmed(_)))
            .map(|g| g.severity.status())
            .chain(coverage),
    );
    chain
}
