//! Subscriptions that deliver: a topic reaches a human only through a
//! subscription that is confirmed (`PendingConfirmation` false) and whose
//! filter policy lets the alarm's notification through.
//!
//! CloudWatch publishes its notification as the message body, with no message
//! attributes. So a subscription without a filter policy delivers; a policy in
//! the `MessageAttributes` scope (SNS's default) sees an empty attribute set;
//! and a `MessageBody` policy is matched against the bodies of
//! [`super::notification`]. Policies are read by the one filter-policy engine,
//! [`crate::event_pattern`].

use super::notification::{alarm_notifications, composite_notifications};
use super::unknown::fact_gap;
use crate::check::facts::{Facts, TopicFacts};
use crate::check::gap::{Gap, Severity};
use crate::check::gap_code::GapCode;
use crate::event_pattern::{Dialect, EventPattern, FilterPolicyScope};
use crate::model::{Alarm, CompositeAlarm, Subscription, SubscriptionAttributes};
use crate::operation::Operation;
use serde_json::Value;

/// Whether one subscription delivers an alarm's notifications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Confirmed, and its filter policy (if any) lets the notification through.
    Delivers,
    /// Not confirmed yet.
    Pending,
    /// Confirmed, but its filter policy drops the notification; why.
    Drops(String),
    /// kmswatch cannot tell; why.
    Undecided(String),
}

/// The bodies a `MessageBody` policy must match for `alarm`'s notifications.
pub fn notification_bodies(alarm: &Alarm) -> Vec<Value> {
    alarm_notifications(alarm).into()
}

/// An alarm that publishes to a topic: its ARN and the bodies of its
/// notifications.
#[derive(Debug, Clone)]
pub struct Notifier {
    /// The alarm's ARN.
    pub alarm_arn: String,
    /// The possible bodies of its ALARM notification.
    pub bodies: Vec<Value>,
}

impl Notifier {
    /// A metric alarm.
    pub fn of_alarm(alarm: &Alarm) -> Self {
        Notifier {
            alarm_arn: alarm.alarm_arn.clone(),
            bodies: notification_bodies(alarm),
        }
    }

    /// A composite alarm entering ALARM because metric alarm `child` did.
    pub fn of_composite(composite: &CompositeAlarm, child: &Alarm) -> Self {
        Notifier {
            alarm_arn: composite.alarm_arn.clone(),
            bodies: composite_notifications(composite, &child.alarm_arn).into(),
        }
    }
}

/// Whether a subscription with these attributes delivers notifications whose
/// possible bodies are `bodies`. With no bodies, only a subscription without a
/// filter policy delivers (whatever the alarm).
pub fn delivery(attributes: &SubscriptionAttributes, bodies: &[Value]) -> Delivery {
    match attributes.pending_confirmation {
        Some(true) => return Delivery::Pending,
        Some(false) => {}
        None => {
            return Delivery::Undecided(
                "GetSubscriptionAttributes did not say whether it is confirmed".into(),
            )
        }
    }
    let Some(policy) = attributes
        .filter_policy
        .as_deref()
        .filter(|p| !p.trim().is_empty())
    else {
        return Delivery::Delivers;
    };
    let scope = match attributes.filter_policy_scope.as_deref() {
        None => FilterPolicyScope::MessageAttributes,
        Some(s) => match s.parse::<FilterPolicyScope>() {
            Ok(scope) => scope,
            Err(e) => return Delivery::Undecided(e.to_string()),
        },
    };
    let parsed = match EventPattern::parse(policy, Dialect::SnsFilterPolicy(scope)) {
        Ok(p) => p,
        Err(e) => {
            return Delivery::Undecided(format!("kmswatch cannot read its filter policy ({e})"))
        }
    };
    match scope {
        FilterPolicyScope::MessageAttributes => {
            if parsed.matches(&Value::Object(Default::default())) {
                Delivery::Delivers
            } else {
                Delivery::Drops(
                    "its filter policy applies to message attributes, and alarm notifications carry none"
                        .into(),
                )
            }
        }
        FilterPolicyScope::MessageBody if bodies.is_empty() => {
            Delivery::Undecided("its MessageBody filter policy depends on the alarm".into())
        }
        FilterPolicyScope::MessageBody => {
            let matched = bodies.iter().filter(|b| parsed.matches(b)).count();
            if matched == bodies.len() {
                Delivery::Delivers
            } else if matched == 0 {
                Delivery::Drops(format!(
                    "its MessageBody filter policy {} does not match the alarm's notification",
                    compact(policy)
                ))
            } else {
                Delivery::Undecided(format!(
                    "whether its MessageBody filter policy {} matches depends on notification fields that cannot be predicted (state change time and reason, previous state, region name)",
                    compact(policy)
                ))
            }
        }
    }
}

fn compact(policy: &str) -> String {
    serde_json::from_str::<Value>(policy)
        .map(|v| v.to_string())
        .unwrap_or_else(|_| policy.to_owned())
}

/// The recorded attributes of a listed subscription, when read.
pub fn attributes_of<'f>(
    topic: &'f TopicFacts,
    subscription: &Subscription,
) -> Option<&'f SubscriptionAttributes> {
    topic
        .subscription_attributes
        .iter()
        .find(|a| a.subscription_arn == subscription.subscription_arn)
}

/// The gaps of a topic's confirmed subscriptions for `notifier`'s
/// notifications: none when one delivers; otherwise why none does, unknown
/// before failing.
pub fn subscription_gaps(
    facts: &Facts,
    topic: &TopicFacts,
    confirmed: &[&Subscription],
    notifier: &Notifier,
) -> Vec<Gap> {
    let arn = Some(topic.topic_arn.as_str());
    let bodies = &notifier.bodies;
    let mut unknown = Vec::new();
    let mut undecided = Vec::new();
    let mut refused = Vec::new();
    let mut pending = 0;
    for s in confirmed {
        let name = format!("{}:{}", s.protocol, s.endpoint);
        let Some(attributes) = attributes_of(topic, s) else {
            unknown.push(match facts.error_for(
                Operation::GetSubscriptionAttributes,
                Some(&s.subscription_arn),
                None,
            ) {
                Some(_) => fact_gap(
                    facts,
                    GapCode::SubscriptionAttributesUnknown,
                    Operation::GetSubscriptionAttributes,
                    &s.subscription_arn,
                    &format!("whether subscription {name} delivers is unknown"),
                ),
                None => Gap::new(
                    GapCode::SubscriptionAttributesUnknown,
                    Severity::Manual,
                    Some(&s.subscription_arn),
                    format!(
                        "subscription {name}'s attributes (confirmation, filter policy) are not in the facts, so whether it delivers is unknown"
                    ),
                    "gather the facts again with this kmswatch (kmswatch snapshot), allowed sns:GetSubscriptionAttributes",
                ),
            });
            continue;
        };
        match delivery(attributes, bodies) {
            Delivery::Delivers => return Vec::new(),
            Delivery::Pending => pending += 1,
            Delivery::Drops(why) => refused.push(format!("{name}: {why}")),
            Delivery::Undecided(why) => undecided.push(Gap::of(
                GapCode::SubscriptionFilterUnverified,
                Some(&s.subscription_arn),
                format!("whether subscription {name} delivers the alarm's notifications is unknown: {why}"),
                &[],
            )),
        }
    }
    if !unknown.is_empty() || !undecided.is_empty() {
        return unknown.into_iter().chain(undecided).collect();
    }
    if refused.is_empty() {
        return vec![Gap::of(
            GapCode::TopicNoConfirmedSubscription,
            arn,
            format!("the topic's {pending} subscription(s) are pending confirmation, so the alarm reaches no one"),
            &[],
        )];
    }
    vec![Gap::of(
        GapCode::SubscriptionFilterDropsAlarms,
        arn,
        format!(
            "no subscription delivers the alarm's notifications ({})",
            refused.join("; ")
        ),
        &[],
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn attributes(policy: Option<&str>, scope: Option<&str>) -> SubscriptionAttributes {
        SubscriptionAttributes {
            subscription_arn: "arn:aws:sns:us-east-1:111122223333:t:1".into(),
            pending_confirmation: Some(false),
            filter_policy: policy.map(Into::into),
            filter_policy_scope: scope.map(Into::into),
        }
    }

    fn bodies() -> Vec<Value> {
        let alarm: Alarm = serde_json::from_value(json!({
            "alarm_name": "kms", "alarm_arn": "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:kms",
            "comparison_operator": "GreaterThanOrEqualToThreshold", "evaluation_periods": 1
        }))
        .unwrap();
        notification_bodies(&alarm)
    }

    #[test]
    fn policies_by_scope() {
        let b = bodies();
        assert_eq!(delivery(&attributes(None, None), &b), Delivery::Delivers);
        let state = r#"{"NewStateValue": ["ALARM"]}"#;
        assert_eq!(
            delivery(&attributes(Some(state), Some("MessageBody")), &b),
            Delivery::Delivers
        );
        assert!(matches!(
            delivery(&attributes(Some(state), None), &b),
            Delivery::Drops(_)
        ));
        let absent = r#"{"severity": [{"exists": false}]}"#;
        assert_eq!(
            delivery(&attributes(Some(absent), Some("MessageAttributes")), &b),
            Delivery::Delivers
        );
        let ok = r#"{"NewStateValue": ["OK"]}"#;
        assert!(matches!(
            delivery(&attributes(Some(ok), Some("MessageBody")), &b),
            Delivery::Drops(_)
        ));
        let old = r#"{"OldStateValue": ["OK"]}"#;
        assert!(matches!(
            delivery(&attributes(Some(old), Some("MessageBody")), &b),
            Delivery::Undecided(_)
        ));
        let unknown = r#"{"a": [{"wildcard": "x*"}]}"#;
        assert!(matches!(
            delivery(&attributes(Some(unknown), Some("MessageBody")), &b),
            Delivery::Undecided(_)
        ));
        assert!(matches!(
            delivery(&attributes(Some(state), Some("Body")), &b),
            Delivery::Undecided(_)
        ));
    }

    #[test]
    fn confirmation_comes_first() {
        let mut a = attributes(None, None);
        a.pending_confirmation = Some(true);
        assert_eq!(delivery(&a, &bodies()), Delivery::Pending);
        a.pending_confirmation = None;
        assert!(matches!(delivery(&a, &bodies()), Delivery::Undecided(_)));
    }

    #[test]
    fn without_an_alarm_only_unfiltered_subscriptions_deliver() {
        let state = r#"{"NewStateValue": ["ALARM"]}"#;
        assert!(matches!(
            delivery(&attributes(Some(state), Some("MessageBody")), &[]),
            Delivery::Undecided(_)
        ));
        assert_eq!(delivery(&attributes(None, None), &[]), Delivery::Delivers);
    }
}
