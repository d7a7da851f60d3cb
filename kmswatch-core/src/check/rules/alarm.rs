//! The alarm link: an alarm on the filter's metric that fires on one event and
//! notifies an SNS topic.

use super::alarm_fires::{alarm_gaps, watches};
use super::alarm_reads::alarm_read_gaps;
use super::noise::Noise;
use super::topic::assess_topic;
use super::unknown::{missing_gap, unknown_gap};
use crate::check::assessment::AlarmAssessment;
use crate::check::facts::Facts;
use crate::check::gap::{status_of, Gap};
use crate::check::gap_code::GapCode;
use crate::check::status::Status;
use crate::model::{Arn, Metric};
use crate::operation::Operation;

/// The alarms of `region` on `metric`, which a filter publishes with `value`
/// per match and `default` otherwise, in `unit` (`None`: no unit set); a gap
/// when the region's alarms are unknown.
pub fn assess_alarms<'f>(
    facts: &'f Facts,
    region: &str,
    metric: &Metric,
    value: f64,
    default: Option<f64>,
    noise: Option<&Noise>,
    unit: Option<&str>,
) -> Result<Vec<AlarmAssessment<'f>>, Gap> {
    let alarms = facts
        .region_alarms(region)
        .and_then(|r| r.alarms.as_deref());
    let Some(alarms) = alarms else {
        return Err(
            match facts.error_for(Operation::DescribeAlarms, None, Some(region)) {
                Some(e) => unknown_gap(
                    facts,
                    GapCode::AlarmsUnknown,
                    e,
                    None,
                    "the region's alarms are unknown",
                ),
                None => missing_gap(GapCode::AlarmsUnknown, region, "the region's alarms"),
            },
        );
    };
    Ok(alarms
        .iter()
        .filter(|a| watches(a, metric))
        .map(|alarm| {
            let mut gaps = alarm_gaps(alarm, metric, value, default, noise);
            gaps.extend(alarm_read_gaps(alarm, metric, unit));
            let topics: Vec<_> = alarm
                .alarm_actions
                .iter()
                .filter(|a| Arn::parse(a).is_some_and(|arn| arn.service == "sns"))
                .map(|arn| assess_topic(facts, arn, alarm))
                .collect();
            if topics.is_empty() && !alarm.alarm_actions.is_empty() {
                gaps.push(Gap::of(
                    GapCode::AlarmNoSnsAction,
                    Some(&alarm.alarm_arn),
                    "none of the alarm's actions is an SNS topic",
                    &[],
                ));
            }
            let status = Status::all([
                status_of(&gaps),
                if topics.is_empty() {
                    Status::Pass
                } else {
                    Status::any(topics.iter().map(|t| t.status))
                },
            ]);
            AlarmAssessment {
                alarm,
                // An alarm without a topic reaches no one, whatever its own gaps say.
                status: if topics.is_empty() && status == Status::Pass {
                    Status::Fail
                } else {
                    status
                },
                topics,
                gaps,
            }
        })
        .collect())
}
