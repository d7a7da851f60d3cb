//! EventBridge as monitoring: in each region, an enabled rule of the default
//! event bus whose event pattern matches every corpus `DisableKey` and
//! `ScheduleKeyDeletion` record as EventBridge delivers it (`source`
//! `aws.kms`, `detail-type` `AWS API Call via CloudTrail`, the record under
//! `detail`), with a target that reaches a human, while a trail logs the
//! region's management events (without one EventBridge receives no API call).
//!
//! A target event bus in another region forwards the events: its region's
//! rules decide, one hop only. SNS topic targets are judged by
//! [`super::eventbridge_topic`]; other targets (Lambda, SQS...) are MANUAL.

use super::eventbridge_events::caught_by;
use super::eventbridge_topic::topic_target;
use super::unknown::unknown_gap;
use crate::check::facts::{EventRuleFacts, Facts, RegionEventRules};
use crate::check::gap::{status_of, Gap, Severity};
use crate::check::gap_code::{GapCode, TargetEvent};
use crate::check::monitor::{Monitor, MonitorKind, MonitorTarget};
use crate::check::status::Status;
use crate::model::{Arn, EventRule, RuleTarget};
use crate::operation::Operation;

/// One [`Monitor`] per region whose rules were read.
pub fn assess_eventbridge(facts: &Facts) -> Vec<Monitor> {
    facts
        .event_rules
        .iter()
        .map(|r| assess_region(facts, r, true))
        .collect()
}

/// The region's best rule, or why it has none.
fn assess_region(facts: &Facts, region: &RegionEventRules, forward: bool) -> Monitor {
    let mut monitor = Monitor {
        kind: MonitorKind::Eventbridge,
        region: region.region.clone(),
        rule: None,
        rule_arn: None,
        catches: Vec::new(),
        targets: Vec::new(),
        status: Status::Fail,
        gaps: Vec::new(),
    };
    let Some(rules) = &region.rules else {
        let what = format!("the EventBridge rules of {}", region.region);
        monitor.gaps.push(
            match facts.error_for(Operation::ListRules, None, Some(&region.region)) {
                Some(e) => unknown_gap(facts, GapCode::EventbridgeUnknown, e, None, &what),
                None => Gap::with_fix(
                    GapCode::EventbridgeUnknown,
                    None,
                    format!("{what} are not in the facts"),
                    "gather the facts again (kmswatch snapshot)",
                ),
            },
        );
        monitor.status = status_of(&monitor.gaps);
        return monitor;
    };
    let mut candidates: Vec<Monitor> = rules
        .iter()
        .filter_map(|r| assess_rule(facts, &region.region, r, forward))
        .collect();
    // A passing rule first, then one that might pass, then the most complete.
    candidates.sort_by_key(|m| (rank(m.status), std::cmp::Reverse(m.catches.len())));
    match candidates.into_iter().next() {
        Some(best) => monitor = best,
        None => monitor.gaps.push(Gap::of(
            GapCode::EventbridgeNoRule,
            None,
            format!(
                "no rule of the default event bus in {} matches DisableKey or ScheduleKeyDeletion events from aws.kms",
                region.region
            ),
            &[],
        )),
    }
    if let Some(gap) = trail_gap(facts, &region.region) {
        monitor.gaps.push(gap);
    }
    monitor.status = combine(&monitor);
    monitor
}

fn rank(status: Status) -> u8 {
    match status {
        Status::Pass => 0,
        Status::Error => 1,
        Status::Manual => 2,
        Status::Fail => 3,
    }
}

/// The rule as a monitor, when it has anything to do with KMS key events.
fn assess_rule(
    facts: &Facts,
    region: &str,
    rule: &EventRuleFacts,
    forward: bool,
) -> Option<Monitor> {
    let pattern = rule.rule.event_pattern.as_deref()?;
    let mut monitor = Monitor {
        kind: MonitorKind::Eventbridge,
        region: region.to_owned(),
        rule: Some(rule.rule.name.clone()),
        rule_arn: Some(rule.rule.arn.clone()),
        catches: Vec::new(),
        targets: Vec::new(),
        status: Status::Fail,
        gaps: Vec::new(),
    };
    match caught_by(pattern, &facts.account_id) {
        Ok(caught) if caught.is_empty() => return None,
        Ok(caught) => {
            monitor.catches = caught.iter().map(|t| t.event_name().to_owned()).collect();
            let missed: Vec<&str> = TargetEvent::ALL
                .into_iter()
                .filter(|t| !caught.contains(t))
                .map(TargetEvent::event_name)
                .collect();
            if !missed.is_empty() {
                monitor.gaps.push(Gap::of(
                    GapCode::EventbridgeRuleIncomplete,
                    Some(&rule.rule.arn),
                    format!("the rule's pattern does not match {}", missed.join(" or ")),
                    &[],
                ));
            }
        }
        Err(e) => monitor.gaps.push(Gap::of(
            GapCode::EventbridgePatternUnverified,
            Some(&rule.rule.arn),
            format!("kmswatch cannot read the rule's event pattern: {e}"),
            &[],
        )),
    }
    if !rule.rule.is_enabled() {
        monitor.gaps.push(Gap::of(
            GapCode::EventbridgeRuleIncomplete,
            Some(&rule.rule.arn),
            format!(
                "the rule is {}",
                rule.rule.state.as_deref().unwrap_or("in an unknown state")
            ),
            &[],
        ));
        monitor.status = status_of(&monitor.gaps);
        return Some(monitor);
    }
    match &rule.targets {
        None => {
            let what = format!("the targets of rule {}", rule.rule.name);
            monitor.gaps.push(
                match facts.error_for(
                    Operation::ListTargetsByRule,
                    Some(&rule.rule.name),
                    Some(region),
                ) {
                    Some(e) => unknown_gap(
                        facts,
                        GapCode::EventbridgeUnknown,
                        e,
                        Some(&rule.rule.arn),
                        &what,
                    ),
                    None => Gap::with_fix(
                        GapCode::EventbridgeUnknown,
                        Some(&rule.rule.arn),
                        format!("{what} are not in the facts"),
                        "gather the facts again (kmswatch snapshot)",
                    ),
                },
            );
        }
        Some(targets) if targets.is_empty() => monitor.gaps.push(Gap::of(
            GapCode::EventbridgeNoTarget,
            Some(&rule.rule.arn),
            "the rule has no target",
            &[],
        )),
        Some(targets) => {
            monitor.targets = targets
                .iter()
                .map(|t| assess_target(facts, region, &rule.rule, t, forward))
                .collect();
        }
    }
    monitor.status = combine(&monitor);
    Some(monitor)
}

/// The monitor's verdict: its own gaps, and one target that delivers.
fn combine(monitor: &Monitor) -> Status {
    let own = status_of(&monitor.gaps);
    if monitor.targets.is_empty() {
        return if own == Status::Pass {
            Status::Fail
        } else {
            own
        };
    }
    let delivered = Status::any(monitor.targets.iter().map(|t| t.status));
    Status::all([own, delivered])
}

fn assess_target(
    facts: &Facts,
    region: &str,
    rule: &EventRule,
    target: &RuleTarget,
    forward: bool,
) -> MonitorTarget {
    let arn = Arn::parse(&target.arn);
    let kind = arn.as_ref().map(|a| a.service).unwrap_or("unknown");
    let mut out = MonitorTarget {
        arn: target.arn.clone(),
        kind: kind.to_owned(),
        status: Status::Manual,
        confirmed_subscriptions: None,
        gaps: Vec::new(),
    };
    match (kind, &arn) {
        ("sns", _) => {
            let (gaps, confirmed) = topic_target(facts, &target.arn, &rule.arn, target);
            out.gaps = gaps;
            out.confirmed_subscriptions = confirmed;
        }
        ("events", Some(bus)) if forward && bus.region != region => {
            let forwarded = facts.event_rules.iter().find(|r| r.region == bus.region);
            match forwarded {
                Some(r) => {
                    let there = assess_region(facts, r, false);
                    if there.status != Status::Pass {
                        let mut gap = Gap::of(
                            GapCode::EventbridgeNoTarget,
                            Some(&target.arn),
                            format!(
                                "the rule forwards to the default event bus of {}, where no rule reaches a human ({})",
                                bus.region,
                                there.gaps.iter().map(|g| g.code.as_string()).collect::<Vec<_>>().join(", ")
                            ),
                            &[],
                        );
                        gap.severity = severity_of(there.status);
                        out.gaps.push(gap);
                    }
                }
                None => out.gaps.push(Gap::of(
                    GapCode::EventbridgeUnknown,
                    Some(&target.arn),
                    format!(
                        "the rule forwards to an event bus in {}, whose rules are not in the facts",
                        bus.region
                    ),
                    &[],
                )),
            }
        }
        _ => out.gaps.push(Gap::of(
            GapCode::EventbridgeTargetUnverified,
            Some(&target.arn),
            format!(
                "target {} is a {kind} resource: kmswatch cannot follow it to a human",
                target.arn
            ),
            &[],
        )),
    }
    out.status = if out.gaps.is_empty() {
        Status::Pass
    } else {
        status_of(&out.gaps)
    };
    out
}

fn severity_of(status: Status) -> Severity {
    match status {
        Status::Error => Severity::Error,
        Status::Manual => Severity::Manual,
        _ => Severity::Fail,
    }
}

/// EventBridge receives a region's KMS API calls only while a trail logs
/// there: a multi-region trail, or one homed in the region.
fn trail_gap(facts: &Facts, region: &str) -> Option<Gap> {
    let covering: Vec<_> = facts
        .trails
        .iter()
        .filter(|t| t.trail.is_multi_region_trail || t.trail.home_region == region)
        .collect();
    if covering
        .iter()
        .any(|t| t.status.as_ref().is_some_and(|s| s.is_logging))
    {
        return None;
    }
    let unknown = covering.iter().any(|t| t.status.is_none()) || region != facts.region;
    let mut gap = Gap::of(
        GapCode::EventbridgeNoTrail,
        None,
        format!("no trail is known to be logging in {region}, so EventBridge receives no KMS API calls there"),
        &[],
    );
    if unknown {
        gap.severity = Severity::Manual;
        gap.message = format!(
            "whether a trail logs in {region} is unknown (a single-region trail there is not read), and without one EventBridge receives no KMS API calls"
        );
    }
    Some(gap)
}
