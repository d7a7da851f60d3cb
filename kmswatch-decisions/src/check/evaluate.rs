//! `evaluate`: facts in, typed assessment out. Pure; no I/O. The rules live in
//! `check/rules/`, one module per link; this file wires them in chain order.

use super::assessment::{Assessment, ChainAssessment, FilterAssessment};
use super::facts::{Facts, TrailFacts};
use super::gap::status_of;
use super::gap_code::{GapCode, TargetEvent};
use super::rules::cis::assess_cis_pattern;
use super::rules::coverage::assess_coverage;
use super::rules::eventbridge::assess_eventbridge;
use super::rules::filter::assess_filter;
use super::rules::log_group::assess_log_group;
use super::rules::noise::metric_noise;
use super::rules::trail::{assess_trail, TrailOutcome};
use super::rules::verdict::{account_gaps, account_status, collect_warnings, summarize};
use super::status::Status;
use crate::corpus::{self, CorpusEvent};
use crate::model::{normalize_log_group_arn, MetricFilter};

/// Decides whether the account's KMS key disabling and deletion are monitored.
///
/// PASS when at least one trail's chain is complete; otherwise ERROR when some
/// chain could pass but a needed fact is missing, MANUAL when the only candidate
/// chains run through resources these credentials cannot see, FAIL otherwise.
///
/// ```
/// use kmswatch_decisions::check::{evaluate, Facts, Status};
/// let facts = Facts::load("../examples/compliant.json".as_ref()).unwrap();
/// assert_eq!(evaluate(&facts).status, Status::Pass);
/// ```
pub fn evaluate(facts: &Facts) -> Assessment<'_> {
    // The account's own events: a filter scoped to it catches those.
    let account_targets = corpus::targets_in(&facts.account_id);
    let targets: Vec<&CorpusEvent> = account_targets.iter().collect();
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
        monitored_by: assess_eventbridge(facts),
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
        other_filters: Vec::new(),
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
    // The rest of the chain is where the log group is: in another account
    // for an organization trail's, judged on this account's events.
    let (holder, group) = match assess_log_group(facts, &group_arn) {
        Ok(found) => found,
        Err(gap) => {
            chain.gaps.push(gap);
            chain.status = status_of(&chain.gaps);
            return chain;
        }
    };
    chain.log_group = Some(group);
    let region = group.location().map(|l| l.0).unwrap_or_default();
    let filters = group.metric_filters.as_deref().unwrap_or_default();
    let noise = metric_noise(filters, &facts.account_id);
    let assessed: Vec<_> = filters
        .iter()
        .filter_map(|f| assess_filter(holder, &facts.account_id, region, f, targets, &noise))
        .collect();
    (chain.filters, chain.other_filters) = links_and_others(assessed, targets);
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

/// The filters that are links of the chain, and the others. A filter that
/// catches no target event whole (every record) is a link only when the
/// chain needs it: some event it matches is not caught whole by any single
/// filter, so the union of partial filters decides. Dropping the others
/// changes no verdict: every record they match is matched by a filter that
/// catches its event whole.
fn links_and_others<'f>(
    assessed: Vec<FilterAssessment<'f>>,
    targets: &[&CorpusEvent],
) -> (Vec<FilterAssessment<'f>>, Vec<&'f MetricFilter>) {
    let whole: Vec<TargetEvent> = assessed.iter().flat_map(|f| f.catches.clone()).collect();
    let needed = |f: &FilterAssessment<'_>| {
        f.canonical_pattern.is_none()
            || !f.catches.is_empty()
            || targets.iter().any(|e| {
                f.caught.contains(&e.id) && !whole.iter().any(|t| t.event_name() == e.event_name)
            })
    };
    let (links, others): (Vec<_>, Vec<_>) = assessed.into_iter().partition(|f| needed(f));
    (links, others.into_iter().map(|f| f.filter).collect())
}
