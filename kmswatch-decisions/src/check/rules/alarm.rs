//! The alarm link: an alarm on the filter's metric that fires on one event and
//! notifies an SNS topic.

use super::alarm_fires::{alarm_gaps, in_alarm_for_over_a_day, watches};
use super::alarm_listing::{partial, unlisted_gap};
use super::alarm_reads::alarm_read_gaps;
use super::composite::{assess_composites, is_action_gap};
use super::noise::Noise;
use super::topic::assess_topic;
use super::unknown::{missing_gap, unknown_gap};
use crate::check::assessment::{AlarmAssessment, TopicAssessment};
use crate::check::facts::Facts;
use crate::check::gap::{Gap, Severity};
use crate::check::gap_code::GapCode;
use crate::check::status::Status;
use crate::model::{Alarm, Arn, Metric};
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
    let region_alarms = facts.region_alarms(region);
    let alarms = region_alarms.and_then(|r| r.alarms.as_deref());
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
    let partial = region_alarms.is_some_and(partial);
    if region_alarms.is_some_and(|r| !r.read_alarms_on(metric)) {
        return Err(unlisted_gap(facts, region, metric));
    }
    let assessed: Vec<_> = alarms
        .iter()
        .filter(|a| watches(a, metric))
        .map(|alarm| {
            let mut gaps = alarm_gaps(alarm, metric, value, default, noise);
            if let Some(since) = in_alarm_for_over_a_day(alarm, facts.captured_at.as_deref()) {
                for g in gaps
                    .iter_mut()
                    .filter(|g| g.code == GapCode::AlarmAlwaysInAlarm)
                {
                    g.message.push_str(&since);
                }
            }
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
            let (status, topics) = notification_path(facts, region, alarm, &mut gaps, topics);
            AlarmAssessment {
                alarm,
                status,
                topics,
                gaps,
            }
        })
        .collect();
    if partial && !assessed.iter().any(|a| a.status == Status::Pass) {
        return Err(unlisted_gap(facts, region, metric));
    }
    Ok(assessed)
}

/// The alarm's verdict: it must fire (its other gaps) and reach someone, through
/// its own SNS actions or, failing those, a composite alarm that follows it.
fn notification_path<'f>(
    facts: &'f Facts,
    region: &str,
    alarm: &Alarm,
    gaps: &mut Vec<Gap>,
    mut topics: Vec<TopicAssessment<'f>>,
) -> (Status, Vec<TopicAssessment<'f>>) {
    let (action, firing): (Vec<&Gap>, Vec<&Gap>) = gaps.iter().partition(|g| is_action_gap(g.code));
    let fires = Status::all(firing.iter().map(|g| g.severity.status()));
    // An alarm without a topic reaches no one, whatever its own gaps say.
    let own = Status::all([
        Status::all(action.iter().map(|g| g.severity.status())),
        Status::any(topics.iter().map(|t| t.status)),
    ]);
    if own == Status::Pass || fires == Status::Fail {
        return (Status::all([fires, own]), topics);
    }
    let composite = assess_composites(facts, region, alarm);
    if composite.status == Status::Pass {
        // The alarm's own actions do not matter while the composite notifies.
        for gap in gaps.iter_mut().filter(|g| is_action_gap(g.code)) {
            gap.severity = Severity::Warning;
        }
        gaps.extend(composite.gaps);
        topics.extend(composite.topics);
        return (fires, topics);
    }
    gaps.extend(composite.gaps);
    (
        Status::all([fires, Status::any([own, composite.status])]),
        topics,
    )
}
