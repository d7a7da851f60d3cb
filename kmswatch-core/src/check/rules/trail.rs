//! The trail link: multi-region, logging, recording KMS writes, delivering to
//! CloudWatch Logs.

use super::selectors::selector_gaps;
use super::unknown::fact_gap;
use crate::check::facts::{Facts, TrailFacts};
use crate::check::gap::Gap;
use crate::check::gap_code::GapCode;
use crate::operation::Operation;

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
    match &tf.status {
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
            if let Some(err) = &s.latest_cloud_watch_logs_delivery_error {
                gaps.push(Gap::of(
                    GapCode::TrailCloudwatchDeliveryError,
                    Some(arn),
                    format!("CloudTrail reported an error delivering to CloudWatch Logs: {err}"),
                    &[],
                ));
            }
        }
    }
    match &tf.event_selectors {
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
