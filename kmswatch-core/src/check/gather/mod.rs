//! `gather`: read the facts of an account through the service traits — the one
//! gather behind both `check` and `remediate`.
//!
//! Only what the decision needs, concurrently (at most [`Scope::max_in_flight`]
//! requests per stage), in as few calls as the chain allows: trails of one region
//! (multi-region trails show up in every region), then for multi-region trails
//! their status and selectors (in their home region), their log groups' metric
//! filters, the alarms on the metrics of the filters that catch a KMS key event
//! (read by metric; a region's alarms are listed only where none of those
//! completes the chain), the topics those alarms notify (with the attributes of their subscriptions until
//! one delivers), the customer managed keys those topics are encrypted with,
//! and, only where an alarm reaches no one on its own, the region's composite
//! alarms and their topics. Every answer fetched is kept, so a snapshot
//! can be evaluated again. A failed call is recorded in [`Facts::errors`] and
//! gathering goes on.

mod alarm_listing;
mod alarm_topics;
mod alarms_by_metric;
#[cfg(test)]
mod by_metric_tests;
mod composites;
mod eventbridge;
mod key_regions;
mod keys;
mod linked;
mod reads;
mod subscriptions;
#[cfg(test)]
mod tests;

use super::evaluate;
use super::facts::{Facts, TrailFacts};
use super::reading::delivered_bodies;
use super::Status;
use super::{key_regions, KeyRegions, Scope};
use crate::api::{ApiError, Services};
use crate::check::reading::{
    catches_any_target, delivered_groups, keep, own_log_group_regions, published_metrics,
    unsettled_regions,
};
use crate::model::{Arn, Metric};
use futures::stream::{self, StreamExt};

pub use linked::{LinkedChains, RoleFor};
use reads::read_log_group;
use std::collections::BTreeSet;

/// Gathers what `check` needs from the account behind `services`, listing
/// trails in `region`.
///
/// Fails only when the account itself cannot be identified; every other failed
/// call is recorded in the facts.
pub async fn gather(services: &Services, region: &str) -> Result<Facts, ApiError> {
    gather_with(services, region, &Scope::check()).await
}

/// [`gather`] with a wider [`Scope`].
pub async fn gather_with(
    services: &Services,
    region: &str,
    scope: &Scope,
) -> Result<Facts, ApiError> {
    gather_linked(services, region, scope, None).await
}

/// [`gather_with`] that also reads, through `linked`, the links its trails
/// lead to in other accounts (an organization trail's log group in the
/// management or a log-archive account): [`Facts::linked`].
pub async fn gather_linked(
    services: &Services,
    region: &str,
    scope: &Scope,
    linked: Option<&LinkedChains<'_>>,
) -> Result<Facts, ApiError> {
    let limit = scope.max_in_flight.max(1);
    let (account, trails) = futures::join!(
        services.account.account_id(),
        services.trails.describe_trails(region)
    );
    let mut facts = Facts::new(&account?, region);
    let trails = match trails {
        Ok(t) => t,
        Err(e) => {
            facts.errors.push(e.in_region(region));
            return Ok(facts);
        }
    };
    let mut seen = BTreeSet::new();
    let trails: Vec<_> = trails
        .into_iter()
        .filter(|t| seen.insert(t.trail_arn.clone()))
        .collect();
    let read: Vec<(TrailFacts, Vec<ApiError>)> = stream::iter(trails)
        .map(|trail| read_trail(services, trail))
        .buffered(limit)
        .collect()
        .await;
    for (trail, errors) in read {
        facts.trails.push(trail);
        facts.errors.extend(errors);
    }

    let own_groups: BTreeSet<String> = delivered_groups(&facts)
        .into_iter()
        .filter(|a| Arn::parse(a).is_some_and(|p| p.account_id == facts.account_id))
        .collect();
    let subjects = [facts.account_id.clone()];
    read_groups(services, &mut facts, own_groups, &subjects, scope, limit).await;
    if let Some(linked) = linked {
        linked::read_linked(linked, &mut facts).await;
    }
    // Shorter prefixes first: a listing by `kmswatch-` also lists every
    // alarm named `kmswatch-kms…`, which is then not listed again.
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
            alarm_listing::list_named(services, &mut facts, regions.clone(), prefix, limit).await;
        }
    }
    if scope.eventbridge && evaluate(&facts).status != Status::Pass {
        if let Some((read, errors)) =
            key_regions::read_key_regions(services, &scope.key_listing, limit).await
        {
            facts.key_regions = Some(read);
            facts.errors.extend(errors);
        }
        let regions = eventbridge_regions(&facts);
        eventbridge::read_event_rules(services, &mut facts, regions, limit).await;
    }
    Ok(facts)
}

/// Reads `groups` (log groups of the account behind `services`) and what
/// their filters lead to: the alarms on the metrics of the filters that
/// catch a target event of one of `subjects` (the accounts whose events the
/// groups receive), their topics and keys, composites where needed.
async fn read_groups(
    services: &Services,
    facts: &mut Facts,
    groups: BTreeSet<String>,
    subjects: &[String],
    scope: &Scope,
    limit: usize,
) {
    let read: Vec<_> = stream::iter(groups)
        .map(|arn| read_log_group(services, arn))
        .buffered(limit)
        .collect()
        .await;
    for (group, errors) in read {
        facts.log_groups.push(group);
        facts.errors.extend(errors);
    }
    let candidates = published_metrics(facts, |f| {
        subjects
            .iter()
            .any(|s| catches_any_target(f, s, &scope.controls))
    });
    alarms_by_metric::read(services, facts, &candidates, limit).await;
    read_links(services, facts, scope, &candidates, limit).await;
    let mut unsettled = unsettled_regions(facts);
    unsettled.extend(super::controls::unsettled_regions(facts, &scope.controls));
    if !unsettled.is_empty() {
        alarm_listing::list(services, facts, unsettled, limit).await;
        read_links(services, facts, scope, &candidates, limit).await;
    }
}

/// Reads the topics `arns` that are not in `facts` yet (attributes,
/// subscriptions, keys), as a target of an EventBridge rule would need them.
pub async fn read_topics(services: &Services, facts: &mut Facts, arns: Vec<String>, limit: usize) {
    let wanted: BTreeSet<String> = arns
        .into_iter()
        .filter(|arn| facts.topic(arn).is_none())
        .collect();
    let read: Vec<_> = stream::iter(wanted)
        .map(|arn| reads::read_topic(services, arn, vec![delivered_bodies(&facts.account_id)]))
        .buffered(limit.max(1))
        .collect()
        .await;
    for (topic, errors) in read {
        facts.topics.push(topic);
        facts.errors.extend(errors);
    }
    keys::read_keys(services, facts, &[], limit.max(1)).await;
}

/// What the alarms read so far lead to: their topics, the keys of those
/// topics (and the scope's), and composite alarms where an alarm reaches no
/// one on its own. Reads nothing already in `facts`.
async fn read_links(
    services: &Services,
    facts: &mut Facts,
    scope: &Scope,
    notified: &[(String, Metric)],
    limit: usize,
) {
    alarm_topics::read_alarm_topics(services, facts, scope, notified, limit).await;
    let extra_keys: Vec<(String, String)> = scope
        .keys
        .iter()
        .flat_map(|key| match Arn::parse(key) {
            Some(arn) => vec![(arn.region.to_owned(), key.clone())],
            None => own_log_group_regions(facts)
                .into_iter()
                .map(|(_, region)| (region, key.clone()))
                .collect(),
        })
        .collect();
    keys::read_keys(services, facts, &extra_keys, limit).await;
    // Whether an alarm reaches someone on its own depends on its topics' keys;
    // the topics composite alarms add need theirs.
    composites::read_composites(services, facts, notified, limit).await;
    keys::read_keys(services, facts, &[], limit).await;
}

/// The regions whose EventBridge rules may stand in for the chain: the
/// check's, and every region known to hold customer managed keys.
fn eventbridge_regions(facts: &Facts) -> BTreeSet<String> {
    let mut regions = match key_regions(facts) {
        KeyRegions::Known(regions) => regions,
        KeyRegions::NotRead | KeyRegions::Unknown(_) => BTreeSet::new(),
    };
    regions.insert(facts.region.clone());
    regions
}

/// A trail's status and selectors, read in its home region; single-region
/// trails cost nothing more (the check fails them on their own).
pub(super) async fn read_trail(
    services: &Services,
    trail: crate::model::Trail,
) -> (TrailFacts, Vec<ApiError>) {
    if !trail.is_multi_region_trail {
        let facts = TrailFacts {
            trail,
            status: None,
            event_selectors: None,
        };
        return (facts, Vec::new());
    }
    let (status, selectors) = futures::join!(
        services
            .trails
            .get_trail_status(&trail.home_region, &trail.trail_arn),
        services
            .trails
            .get_event_selectors(&trail.home_region, &trail.trail_arn)
    );
    let mut errors = Vec::new();
    let status = keep(status, &mut errors, &trail.home_region, &trail.trail_arn);
    let event_selectors = keep(selectors, &mut errors, &trail.home_region, &trail.trail_arn);
    let facts = TrailFacts {
        trail,
        status,
        event_selectors,
    };
    (facts, errors)
}
