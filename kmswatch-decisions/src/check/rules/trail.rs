//! The trail link: multi-region, logging, recording KMS writes, delivering to
//! CloudWatch Logs.

use super::selectors::selector_gaps;
use super::unknown::fact_gap;
use crate::check::facts::{Facts, TrailFacts};
use crate::check::gap::Gap;
use crate::check::gap_code::GapCode;
use crate::model::TrailStatus;
use crate::operation::Operation;
use std::time::{Duration, SystemTime};

/// What the trail decides for its chain.
pub enum TrailOutcome {
    /// The chain ends at the trail (single region, no CloudWatch Logs).
    Stops(Vec<Gap>),
    /// The chain goes on to this log group, with the trail's gaps so far.
    Delivers {
        /// The trail's gaps (not logging, selectors...).
        gaps: Vec<Gap>,
        /// The log group ARN, without `:*`.
        log_group_arn: String,
    },
}

/// The trail as the account that holds it answered for it, when it is
/// another account's (an organization trail) and that account was read.
fn held_by_its_account<'f>(facts: &'f Facts, tf: &TrailFacts) -> Option<&'f TrailFacts> {
    let arn = crate::model::Arn::parse(&tf.trail.trail_arn)?;
    facts
        .linked_account(arn.account_id)?
        .facts()?
        .trail(&tf.trail.trail_arn)
}

/// The trail's gaps, and whether its chain reaches a log group.
pub fn assess_trail(facts: &Facts, tf: &TrailFacts) -> TrailOutcome {
    let trail = &tf.trail;
    let arn = trail.trail_arn.as_str();
    let mut gaps = Vec::new();
    if !trail.is_multi_region_trail {
        gaps.push(Gap::of(
            GapCode::TrailNotMultiRegion,
            Some(arn),
            format!(
                "trail {} records events of {} only; KMS keys elsewhere are not watched",
                trail.name, trail.home_region
            ),
            &[("name", &trail.name), ("region", &trail.home_region)],
        ));
        return TrailOutcome::Stops(gaps);
    }
    // What the member could not read of an organization trail, the account
    // that holds it answered (`Facts::linked`).
    let held = held_by_its_account(facts, tf);
    let status = tf.status.as_ref().or(held.and_then(|h| h.status.as_ref()));
    let selectors = tf
        .event_selectors
        .as_ref()
        .or(held.and_then(|h| h.event_selectors.as_ref()));
    match status {
        None => gaps.push(fact_gap(
            facts,
            GapCode::TrailStatusUnknown,
            Operation::GetTrailStatus,
            arn,
            "whether the trail is logging is unknown",
        )),
        Some(s) => {
            if !s.is_logging {
                gaps.push(Gap::of(
                    GapCode::TrailNotLogging,
                    Some(arn),
                    format!("trail {} is not logging", trail.name),
                    &[("arn", &trail.trail_arn), ("region", &trail.home_region)],
                ));
            }
            gaps.extend(delivery_gap(facts, arn, s));
        }
    }
    match selectors {
        None => gaps.push(fact_gap(
            facts,
            GapCode::TrailSelectorsUnknown,
            Operation::GetEventSelectors,
            arn,
            "which events the trail records is unknown",
        )),
        Some(sel) => gaps.extend(selector_gaps(arn, sel)),
    }
    match trail.cloud_watch_logs_log_group_arn.as_deref() {
        Some(group) => TrailOutcome::Delivers {
            gaps,
            log_group_arn: crate::model::normalize_log_group_arn(group).to_owned(),
        },
        None => {
            gaps.push(Gap::of(
                GapCode::TrailNoCloudwatchLogs,
                Some(arn),
                format!("trail {} does not deliver to CloudWatch Logs", trail.name),
                &[],
            ));
            TrailOutcome::Stops(gaps)
        }
    }
}

/// How long a trail may go without delivering, while CloudTrail reports a
/// delivery error, before the chain counts as broken.
const DELIVERY_GRACE: Duration = Duration::from_secs(24 * 3600);

/// A CloudWatch Logs delivery error: a warning while deliveries still arrive,
/// broken when nothing was delivered in the last 24 hours (or ever), unknown
/// when the facts do not say when they were captured.
fn delivery_gap(facts: &Facts, arn: &str, status: &TrailStatus) -> Option<Gap> {
    let err = status.latest_cloud_watch_logs_delivery_error.as_deref()?;
    let now = facts.captured_at.as_deref().and_then(parse_time);
    let last = status
        .latest_cloud_watch_logs_delivery_time
        .as_deref()
        .and_then(parse_time);
    let stale = match (now, last) {
        (Some(now), Some(last)) => now.duration_since(last).unwrap_or_default() > DELIVERY_GRACE,
        // Never delivered while CloudTrail reports an error: nothing arrives.
        (_, None) => true,
        (None, Some(_)) => {
            return Some(Gap::of(
                GapCode::TrailCloudwatchDeliveryUnverified,
                Some(arn),
                format!(
                    "CloudTrail reports an error delivering to CloudWatch Logs ({err}) and the facts do not say when they were captured, so whether deliveries still arrive is unknown"
                ),
                &[],
            ));
        }
    };
    Some(if stale {
        let since = match &status.latest_cloud_watch_logs_delivery_time {
            Some(t) => format!("the last delivery was at {t}"),
            None => "it has never delivered".to_owned(),
        };
        Gap::of(
            GapCode::TrailCloudwatchDeliveryBroken,
            Some(arn),
            format!(
                "CloudTrail cannot deliver to CloudWatch Logs ({err}) and {since}: no KMS event reaches the metric filters"
            ),
            &[],
        )
    } else {
        Gap::of(
            GapCode::TrailCloudwatchDeliveryError,
            Some(arn),
            format!("CloudTrail reported an error delivering to CloudWatch Logs: {err}"),
            &[],
        )
    })
}

/// An RFC 3339 time as AWS and snapshots write it.
fn parse_time(text: &str) -> Option<SystemTime> {
    humantime::parse_rfc3339_weak(text).ok()
}
