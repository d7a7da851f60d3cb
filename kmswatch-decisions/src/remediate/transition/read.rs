//! What the check's gathering reads of an account held as a snapshot: the
//! same reads in the same order, answered by the snapshot, so that the facts
//! come out as gathering them from the in-memory backend would give them —
//! alarms by metric first, a region listed where that settles nothing,
//! topics, keys and composites where the verdict needs them, EventBridge
//! rules when the chain does not pass.

use super::links::{read_event_rules, read_links};
use super::{failed_in, Account};
use crate::api_error::{alarm_name_prefix_resource, metric_resource, ApiError, ApiErrorKind};
use crate::check::facts::{LogGroupFacts, RegionAlarms, TrailFacts};
use crate::check::reading::{
    catches_any_target, delivered_groups, keep, own_log_group_regions, published_metrics,
    region_entry, unsettled_regions,
};
use crate::check::{evaluate, key_regions, Facts, KeyListing, KeyRegions, Scope, Status};
use crate::model::{Alarm, Arn, Metric, Trail};
use std::collections::{BTreeMap, BTreeSet};

/// The facts gathering with `scope` (trails listed in `region`) reads of
/// the account `state` describes. The links other accounts hold are not
/// read (as gathering without [`crate::check::LinkedChains`]).
///
/// # Errors
///
/// Only when the account cannot be identified (a recorded
/// `GetCallerIdentity` failure); every other failure is recorded in the facts.
pub(crate) fn read(state: &Facts, region: &str, scope: &Scope) -> Result<Facts, ApiError> {
    let account = Account { state };
    let mut facts = Facts::new(&account.account_id()?, region);
    let trails = match account.describe_trails(region) {
        Ok(t) => t,
        Err(e) => {
            facts.errors.push(e.in_region(region));
            return Ok(facts);
        }
    };
    let mut seen = BTreeSet::new();
    for trail in trails
        .into_iter()
        .filter(|t| seen.insert(t.trail_arn.clone()))
    {
        let (trail, errors) = read_trail(&account, trail);
        facts.trails.push(trail);
        facts.errors.extend(errors);
    }
    let own_groups: BTreeSet<String> = delivered_groups(&facts)
        .into_iter()
        .filter(|a| Arn::parse(a).is_some_and(|p| p.account_id == facts.account_id))
        .collect();
    read_groups(&account, &mut facts, own_groups, scope);
    let mut prefixes: Vec<&String> = scope
        .alarm_name_prefix
        .iter()
        .chain(&scope.alarm_name_prefixes)
        .collect();
    prefixes.sort_by_key(|p| (p.len(), p.as_str()));
    prefixes.dedup();
    if !prefixes.is_empty() {
        let mut regions: BTreeSet<String> = own_log_group_regions(&facts)
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        regions.insert(facts.region.clone());
        for prefix in prefixes {
            list_named(&account, &mut facts, &regions, prefix);
        }
    }
    if scope.eventbridge && evaluate(&facts).status != Status::Pass {
        match &scope.key_listing {
            KeyListing::NotAsked => {}
            KeyListing::Given(known) => facts.key_regions = Some(known.clone()),
            // Listing keys is not a read a plan's outcome depends on (the
            // preview is given them): left unknown, never guessed.
            KeyListing::Read(_) => {}
        }
        let mut regions = match key_regions(&facts) {
            KeyRegions::Known(regions) => regions,
            KeyRegions::NotRead | KeyRegions::Unknown(_) => BTreeSet::new(),
        };
        regions.insert(facts.region.clone());
        read_event_rules(&account, &mut facts, regions);
    }
    Ok(facts)
}

/// A trail's status and selectors, read in its home region; single-region
/// trails cost nothing more.
fn read_trail(account: &Account<'_>, trail: Trail) -> (TrailFacts, Vec<ApiError>) {
    if !trail.is_multi_region_trail {
        let facts = TrailFacts {
            trail,
            status: None,
            event_selectors: None,
        };
        return (facts, Vec::new());
    }
    let (home, arn) = (&trail.home_region, &trail.trail_arn);
    let mut errors = Vec::new();
    let status = keep(account.get_trail_status(home, arn), &mut errors, home, arn);
    let selectors = keep(
        account.get_event_selectors(home, arn),
        &mut errors,
        home,
        arn,
    );
    let facts = TrailFacts {
        trail,
        status,
        event_selectors: selectors,
    };
    (facts, errors)
}

/// Reads `groups`, then the alarms on the metrics of the filters that catch
/// a target event, what they lead to, and the listing of the regions where
/// that settles nothing.
fn read_groups(account: &Account<'_>, facts: &mut Facts, groups: BTreeSet<String>, scope: &Scope) {
    for arn in groups {
        let (group, errors) = read_log_group(account, arn);
        facts.log_groups.push(group);
        facts.errors.extend(errors);
    }
    let subject = facts.account_id.clone();
    let candidates = published_metrics(facts, |f| catches_any_target(f, &subject, &scope.controls));
    read_alarms_by_metric(account, facts, &candidates);
    read_links(account, facts, scope, &candidates);
    let mut unsettled = unsettled_regions(facts);
    unsettled.extend(crate::check::controls::unsettled_regions(
        facts,
        &scope.controls,
    ));
    if !unsettled.is_empty() {
        for region in unsettled {
            let listed = account.describe_alarms(&region);
            let entry = region_entry(facts, &region);
            match listed {
                Ok(all) => {
                    entry.alarms = Some(all);
                    entry.by_metric = None;
                    entry.by_name_prefix = None;
                }
                Err(e) => facts.errors.push(e.in_region(&region)),
            }
        }
        read_links(account, facts, scope, &candidates);
    }
}

fn read_log_group(account: &Account<'_>, arn: String) -> (LogGroupFacts, Vec<ApiError>) {
    let mut errors = Vec::new();
    let mut group = LogGroupFacts {
        arn,
        exists: None,
        metric_filters: None,
    };
    let Some((region, name)) = group
        .location()
        .map(|(r, _, n)| (r.to_owned(), n.to_owned()))
    else {
        return (group, errors);
    };
    match account.describe_metric_filters(&region, &name) {
        Ok(filters) if !filters.is_empty() => {
            group.exists = Some(true);
            group.metric_filters = Some(filters);
        }
        Ok(_) => match account.describe_log_group(&region, &name) {
            Ok(found) => {
                group.exists = Some(found);
                group.metric_filters = found.then(Vec::new);
            }
            Err(e) => errors.push(e.in_region(&region).about(&group.arn)),
        },
        Err(e) if e.kind == ApiErrorKind::NotFound => group.exists = Some(false),
        Err(e) => errors.push(e.in_region(&region).about(&group.arn)),
    }
    (group, errors)
}

/// The alarms on each of `candidates`, one partial [`RegionAlarms`] per
/// region (its `by_metric` naming the metrics read).
fn read_alarms_by_metric(
    account: &Account<'_>,
    facts: &mut Facts,
    candidates: &[(String, Metric)],
) {
    let mut by_region: BTreeMap<&str, (Vec<Alarm>, Vec<Metric>)> = BTreeMap::new();
    for (region, metric) in candidates {
        let (alarms, metrics) = by_region.entry(region.as_str()).or_default();
        match account.describe_alarms_for_metric(region, metric) {
            Ok(found) => {
                for alarm in found {
                    if !alarms.iter().any(|a| a.alarm_arn == alarm.alarm_arn) {
                        alarms.push(alarm);
                    }
                }
                metrics.push(metric.clone());
            }
            Err(e) => facts
                .errors
                .push(failed_in(e, region, || metric_resource(metric))),
        }
    }
    for (region, (alarms, metrics)) in by_region {
        facts.alarms.push(RegionAlarms {
            region: region.to_owned(),
            alarms: Some(alarms),
            composite_alarms: None,
            by_metric: Some(metrics),
            by_name_prefix: None,
        });
    }
}

/// The metric alarms named `prefix…` in each of `regions` whose alarms were
/// not listed whole, added to the region's alarms.
fn list_named(account: &Account<'_>, facts: &mut Facts, regions: &BTreeSet<String>, prefix: &str) {
    let wanted: Vec<&String> = regions
        .iter()
        .filter(|r| {
            !facts
                .region_alarms(r)
                .is_some_and(|a| a.name_listed(prefix))
        })
        .collect();
    for region in wanted {
        match account.describe_alarms_named(region, prefix) {
            Ok(found) => {
                let entry = region_entry(facts, region);
                entry.by_metric.get_or_insert_with(Vec::new);
                let alarms = entry.alarms.get_or_insert_with(Vec::new);
                for alarm in found {
                    if !alarms.iter().any(|a| a.alarm_arn == alarm.alarm_arn) {
                        alarms.push(alarm);
                    }
                }
                entry
                    .by_name_prefix
                    .get_or_insert_with(Vec::new)
                    .push(prefix.to_owned());
            }
            Err(e) => facts
                .errors
                .push(failed_in(e, region, || alarm_name_prefix_resource(prefix))),
        }
    }
}
