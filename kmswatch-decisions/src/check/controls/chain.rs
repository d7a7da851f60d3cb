//! One control's chains: the trail and log group links are the KMS check's
//! own rules; the filters are judged on the control's corpus, their alarms and
//! topics by the same rules; every target record must be caught by a filter
//! whose alarm path works.

use crate::check::assessment::FilterAssessment;
use crate::check::facts::{Facts, TrailFacts};
use crate::check::gap::{status_of, Gap, Severity};
use crate::check::gap_code::GapCode;
use crate::check::rules::filter::assess_filter;
use crate::check::rules::log_group::assess_log_group;
use crate::check::rules::noise::{metric_noise_with, routine_matches, Noise};
use crate::check::rules::trail::{assess_trail, TrailOutcome};
use crate::check::status::Status;
use crate::controls::Control;
use crate::corpus::CorpusEvent;
use crate::model::MetricFilter;
use crate::pattern::FilterPattern;

/// One trail's chain for one control.
#[derive(Debug, Clone)]
pub struct ControlChain {
    /// The chain's verdict.
    pub status: Status,
    /// Its gaps: the trail's, the log group's, the coverage's and those of the
    /// filters (with their alarms and topics) that catch the control's events.
    pub gaps: Vec<Gap>,
    /// `log-group-arn:filter-name` of the filters that catch its targets.
    pub filters: Vec<String>,
    /// The region of its log group, when the chain reaches one.
    pub region: Option<String>,
}

/// The control's chain through `tf`.
pub fn assess_control_chain(
    facts: &Facts,
    tf: &TrailFacts,
    control: &'static Control,
) -> ControlChain {
    let mut chain = ControlChain {
        status: Status::Fail,
        gaps: Vec::new(),
        filters: Vec::new(),
        region: None,
    };
    let group_arn = match assess_trail(facts, tf) {
        TrailOutcome::Stops(gaps) => {
            chain.gaps = relevant(gaps, control);
            chain.status = status_of(&chain.gaps);
            return chain;
        }
        TrailOutcome::Delivers {
            gaps,
            log_group_arn,
        } => {
            chain.gaps = relevant(gaps, control);
            log_group_arn
        }
    };
    // An organization trail's chain is read where its log group is.
    let (holder, group) = match assess_log_group(facts, &group_arn) {
        Ok(found) => found,
        Err(gap) => {
            chain.gaps.push(gap);
            chain.status = status_of(&chain.gaps);
            return chain;
        }
    };
    let region = group.location().map(|l| l.0).unwrap_or_default();
    chain.region = Some(region.to_owned());
    let filters = group.metric_filters.as_deref().unwrap_or_default();
    let own_targets = control.targets_in(&facts.account_id);
    let targets: Vec<&CorpusEvent> = own_targets.iter().collect();
    let noise = control_noise(filters, &facts.account_id, control);
    let links: Vec<FilterAssessment<'_>> = filters
        .iter()
        .filter_map(|f| assess_filter(holder, &facts.account_id, region, f, &targets, &noise))
        .collect();
    chain.filters = links
        .iter()
        .map(|f| format!("{group_arn}:{}", f.filter.filter_name))
        .collect();
    let coverage = coverage_gap(&group_arn, &links, &targets, control);
    let coverage_status = coverage
        .as_ref()
        .map_or(Status::Pass, |g| g.severity.status());
    chain.gaps.extend(coverage);
    if coverage_status != Status::Pass {
        for f in &links {
            for g in f.nested_gaps().filter(|g| g.is_blocking()) {
                if !chain.gaps.contains(g) {
                    chain.gaps.push(g.clone());
                }
            }
        }
    }
    chain.status = Status::all(
        chain
            .gaps
            .iter()
            .filter(|g| g.code != GapCode::ControlNotAlarmed)
            .map(|g| g.severity.status())
            .chain([coverage_status]),
    );
    chain
}

/// The trail gaps that concern the control: excluding KMS events from the
/// trail (`ExcludeManagementEventSources`) loses none of a control whose
/// targets are not KMS calls.
fn relevant(gaps: Vec<Gap>, control: &Control) -> Vec<Gap> {
    let needs_kms = control
        .targets()
        .any(|e| e.event_source == "kms.amazonaws.com");
    gaps.into_iter()
        .filter(|g| needs_kms || g.code != GapCode::TrailExcludesKmsEvents)
        .collect()
}

/// The gap of the coverage as a whole, if any: target records no filter
/// matches (FAIL), or records whose filters have no working alarm path.
fn coverage_gap(
    group_arn: &str,
    links: &[FilterAssessment<'_>],
    targets: &[&CorpusEvent],
    control: &Control,
) -> Option<Gap> {
    let missed: Vec<&&CorpusEvent> = targets
        .iter()
        .filter(|e| links.iter().all(|f| f.misses.contains(&e.id)))
        .collect();
    if !missed.is_empty() {
        let mut names: Vec<&str> = missed.iter().map(|e| e.event_name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        let shown = names.len().min(6);
        let more = match names.len() - shown {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        return Some(Gap::of(
            GapCode::ControlPatternMisses,
            Some(group_arn),
            format!(
                "CIS {}: no metric filter on the log group matches {} of its {} target events ({}{more})",
                control.cis,
                missed.len(),
                targets.len(),
                names[..shown].join(", "),
            ),
            &[("pattern", control.cis_pattern)],
        ));
    }
    let status = Status::all(targets.iter().map(|e| {
        Status::any(
            links
                .iter()
                .filter(|f| !f.misses.contains(&e.id))
                .map(|f| f.status),
        )
    }));
    (status != Status::Pass).then(|| {
        Gap::new(
            GapCode::ControlNotAlarmed,
            match status {
                Status::Error => Severity::Error,
                Status::Manual => Severity::Manual,
                _ => Severity::Fail,
            },
            Some(group_arn),
            format!(
                "CIS {}: the metric filters that match its events have no working alarm path",
                control.cis
            ),
            GapCode::ControlNotAlarmed.fix(&[]),
        )
    })
}

/// The noisy metrics of `filters`: those that match the routine traffic of
/// every account (the KMS corpus's) or the control's own.
fn control_noise(
    filters: &[MetricFilter],
    account_id: &str,
    control: &'static Control,
) -> Vec<Noise> {
    metric_noise_with(filters, |filter| {
        let mut matched = routine_matches(filter, account_id);
        if let Ok(pattern) = FilterPattern::parse(&filter.filter_pattern) {
            matched.extend(
                control
                    .routine()
                    .filter(|e| pattern.matches(&e.line_in(account_id))),
            );
        }
        matched
    })
}
