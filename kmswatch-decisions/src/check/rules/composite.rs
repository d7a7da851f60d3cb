//! Composite alarms: a metric alarm whose own actions reach no one still
//! notifies when a composite alarm follows it — its `AlarmRule` is true
//! whenever that alarm is in ALARM, whatever the other alarms it names — and
//! has enabled SNS actions to a topic that delivers.

use super::topic::assess_topic_for;
use super::unknown::unknown_gap;
use crate::alarm_rule::AlarmRule;
use crate::api_error::COMPOSITE_ALARMS;
use crate::check::assessment::TopicAssessment;
use crate::check::facts::Facts;
use crate::check::gap::{Gap, Severity};
use crate::check::gap_code::GapCode;
use crate::check::rules::subscription::Notifier;
use crate::check::status::Status;
use crate::model::{Alarm, Arn, CompositeAlarm};
use crate::operation::Operation;

/// Whether a gap is about the alarm's own actions, which a composite alarm
/// can stand in for (not about whether it fires).
pub fn is_action_gap(code: GapCode) -> bool {
    matches!(
        code,
        GapCode::AlarmActionsDisabled
            | GapCode::AlarmNoActions
            | GapCode::AlarmNoSnsAction
            | GapCode::AlarmActionsEnabledUnknown
    )
}

/// The composite path of one alarm: its verdict, the topics it reaches and
/// what to say about it.
#[derive(Debug, Clone)]
pub struct CompositePath<'f> {
    /// PASS when a composite alarm delivers the alarm's ALARM.
    pub status: Status,
    /// The topics of the composite alarm that delivers (when one does).
    pub topics: Vec<TopicAssessment<'f>>,
    /// Warnings when it delivers; unknown or undecided composites otherwise.
    pub gaps: Vec<Gap>,
}

/// The composite alarms of `region` that could notify for `alarm`.
pub fn assess_composites<'f>(facts: &'f Facts, region: &str, alarm: &Alarm) -> CompositePath<'f> {
    let arn = Some(alarm.alarm_arn.as_str());
    let mut path = CompositePath {
        status: Status::Fail,
        topics: Vec::new(),
        gaps: Vec::new(),
    };
    let composites = facts
        .region_alarms(region)
        .and_then(|r| r.composite_alarms.as_deref());
    let Some(composites) = composites else {
        let what = "whether a composite alarm notifies for this alarm is unknown";
        let gap = match facts.error_for(
            Operation::DescribeAlarms,
            Some(COMPOSITE_ALARMS),
            Some(region),
        ) {
            Some(e) => unknown_gap(facts, GapCode::CompositeAlarmsUnknown, e, arn, what),
            None => Gap::new(
                GapCode::CompositeAlarmsUnknown,
                Severity::Manual,
                arn,
                format!("{what}: the region's composite alarms are not in the facts"),
                "gather the facts again with this kmswatch (kmswatch snapshot)",
            ),
        };
        path.status = gap.severity.status();
        path.gaps.push(gap);
        return path;
    };
    let mut undecided = Vec::new();
    for composite in composites {
        let (status, topics, gaps) = assess_composite(facts, composite, alarm);
        if status == Status::Pass {
            path.status = Status::Pass;
            path.topics = topics;
            path.gaps = gaps;
            return path;
        }
        path.status = Status::any([path.status, status]);
        // A composite that fails says nothing about the alarm; one that is
        // unknown or undecided keeps the alarm from failing.
        undecided.extend(
            gaps.into_iter()
                .filter(|g| matches!(g.severity, Severity::Error | Severity::Manual)),
        );
    }
    path.gaps = undecided;
    path
}

/// One composite alarm's path for `alarm`: FAIL (with no gap) when it does not
/// follow the alarm.
fn assess_composite<'f>(
    facts: &'f Facts,
    composite: &'f CompositeAlarm,
    alarm: &Alarm,
) -> (Status, Vec<TopicAssessment<'f>>, Vec<Gap>) {
    let c_arn = Some(composite.alarm_arn.as_str());
    let names_it = |n: &str| n == alarm.alarm_name || n == alarm.alarm_arn;
    let unverified = |why: String| {
        let gap = Gap::of(GapCode::CompositeAlarmRuleUnverified, c_arn, why, &[]);
        (gap.severity.status(), Vec::new(), vec![gap])
    };
    let rule = match AlarmRule::parse(&composite.alarm_rule) {
        Ok(rule) => rule,
        Err(e) if composite.alarm_rule.contains(&alarm.alarm_name) => {
            return unverified(format!(
                "composite alarm {} may follow {}, but kmswatch cannot read its rule ({e})",
                composite.alarm_name, alarm.alarm_name
            ))
        }
        Err(_) => return (Status::Fail, Vec::new(), Vec::new()),
    };
    if !rule.alarms().into_iter().any(names_it) {
        return (Status::Fail, Vec::new(), Vec::new());
    }
    let Some(following) = rule.fires_with(&names_it) else {
        return unverified(format!(
            "composite alarm {}'s rule names too many alarms to show that it follows {}",
            composite.alarm_name, alarm.alarm_name
        ));
    };
    if !following.whenever_in_alarm {
        return (Status::Fail, Vec::new(), Vec::new());
    }
    match composite.actions_enabled {
        Some(true) => {}
        Some(false) => return (Status::Fail, Vec::new(), Vec::new()),
        None => {
            let gap = Gap::of(
                GapCode::AlarmActionsEnabledUnknown,
                c_arn,
                format!(
                    "DescribeAlarms did not say whether composite alarm {}'s actions are enabled",
                    composite.alarm_name
                ),
                &[],
            );
            return (gap.severity.status(), Vec::new(), vec![gap]);
        }
    }
    let notifier = Notifier::of_composite(composite, alarm);
    let topics: Vec<_> = composite
        .alarm_actions
        .iter()
        .filter(|a| Arn::parse(a).is_some_and(|p| p.service == "sns"))
        .map(|t| assess_topic_for(facts, t, &notifier))
        .collect();
    let status = Status::any(topics.iter().map(|t| t.status));
    if status != Status::Pass {
        let gaps = topics.iter().flat_map(|t| t.gaps.clone()).collect();
        return (status, Vec::new(), gaps);
    }
    let mut gaps = vec![Gap::of(
        GapCode::AlarmNotifiesThroughComposite,
        Some(&alarm.alarm_arn),
        format!(
            "the alarm's own actions reach no one, but composite alarm {} ({}) follows it and notifies {}",
            composite.alarm_name,
            composite.alarm_rule,
            topics
                .iter()
                .filter(|t| t.status == Status::Pass)
                .map(|t| t.topic_arn)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        &[],
    )];
    if let Some(suppressor) = &composite.actions_suppressor {
        gaps.push(Gap::of(
            GapCode::CompositeAlarmActionsSuppressible,
            c_arn,
            format!(
                "composite alarm {}'s actions are suppressed while {suppressor} is in ALARM",
                composite.alarm_name
            ),
            &[],
        ));
    }
    if following.also_without_it {
        gaps.push(Gap::of(
            GapCode::CompositeAlarmMayStayInAlarm,
            c_arn,
            format!(
                "composite alarm {}'s rule can be true without {}: when it already is, a KMS key event does not notify again",
                composite.alarm_name, alarm.alarm_name
            ),
            &[],
        ));
    }
    (Status::Pass, topics, gaps)
}
