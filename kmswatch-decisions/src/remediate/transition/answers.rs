//! What an account held as a snapshot answers to each read, the way the
//! in-memory backend answers it: recorded failures are replayed, what was
//! never read is refused as unknown, never answered as "none".

use super::{not_found, region_of, Account};
use crate::api_error::{
    alarm_name_prefix_resource, metric_resource, ApiError, ApiErrorKind, COMPOSITE_ALARMS,
};
use crate::check::facts::RegionAlarms;
use crate::model::{
    Alarm, CompositeAlarm, EventRule, EventSelectors, Key, Metric, MetricFilter, RuleTarget,
    Subscription, SubscriptionAttributes, TopicAttributes, Trail, TrailStatus,
};
use crate::operation::Operation;

type Answer<T> = Result<T, ApiError>;

/// How much of a region's metric alarms a snapshot holds, as its fields say
/// (a `by_metric` makes it partial; alarms without it are the full listing).
enum Known<'f> {
    NotRead,
    Listed(&'f [Alarm]),
    ByMetric {
        metrics: &'f [Metric],
        alarms: Option<&'f [Alarm]>,
        prefixes: Option<&'f [String]>,
    },
}

fn known(region: &RegionAlarms) -> Known<'_> {
    match (&region.alarms, &region.by_metric) {
        (None, None) => Known::NotRead,
        (Some(alarms), None) => Known::Listed(alarms),
        (alarms, Some(metrics)) => Known::ByMetric {
            metrics,
            alarms: alarms.as_deref(),
            prefixes: region.by_name_prefix.as_deref(),
        },
    }
}

/// What the account does not know: unknown, never "none".
fn not_recorded(operation: Operation, region: &str, what: &str) -> ApiError {
    ApiError::new(
        operation,
        ApiErrorKind::Other,
        "AlarmsNotRecorded",
        format!("the snapshot this account was loaded from does not record {what}"),
    )
    .in_region(region)
}

/// `alias/NAME` from an alias name or alias ARN; `None` for a key id or ARN.
fn alias_name(name: &str) -> Option<String> {
    match name.split_once(":alias/") {
        Some((_, alias)) => Some(format!("alias/{alias}")),
        None => name.starts_with("alias/").then(|| name.to_owned()),
    }
}

impl Account<'_> {
    pub(super) fn account_id(&self) -> Answer<String> {
        let home = &self.state.region;
        self.replay(Operation::GetCallerIdentity, None, home)?;
        Ok(self.state.account_id.clone())
    }

    pub(super) fn describe_trails(&self, region: &str) -> Answer<Vec<Trail>> {
        self.replay(Operation::DescribeTrails, None, region)?;
        Ok(self
            .state
            .trails
            .iter()
            .filter(|t| t.trail.is_multi_region_trail || t.trail.home_region == region)
            .map(|t| t.trail.clone())
            .collect())
    }

    pub(super) fn get_trail_status(&self, region: &str, arn: &str) -> Answer<TrailStatus> {
        self.replay(Operation::GetTrailStatus, Some(arn), region)?;
        let trail = self.state.trails.iter().find(|t| t.trail.trail_arn == arn);
        trail
            .and_then(|t| t.status.clone())
            .ok_or_else(|| not_found(Operation::GetTrailStatus, "TrailNotFoundException", arn))
    }

    pub(super) fn get_event_selectors(&self, region: &str, arn: &str) -> Answer<EventSelectors> {
        self.replay(Operation::GetEventSelectors, Some(arn), region)?;
        let trail = self.state.trails.iter().find(|t| t.trail.trail_arn == arn);
        trail
            .and_then(|t| t.event_selectors.clone())
            .ok_or_else(|| not_found(Operation::GetEventSelectors, "TrailNotFoundException", arn))
    }

    /// Whether the log group `name` of `region` exists.
    pub(super) fn describe_log_group(&self, region: &str, name: &str) -> Answer<bool> {
        let arn = self.log_group_arn(region, name);
        self.replay(Operation::DescribeLogGroups, Some(&arn), region)?;
        let group = self.state.log_groups.iter().find(|g| g.arn == arn);
        Ok(group.is_some_and(|g| g.exists != Some(false)))
    }

    pub(super) fn describe_metric_filters(
        &self,
        region: &str,
        name: &str,
    ) -> Answer<Vec<MetricFilter>> {
        let arn = self.log_group_arn(region, name);
        self.replay(Operation::DescribeMetricFilters, Some(&arn), region)?;
        match self.state.log_groups.iter().find(|g| g.arn == arn) {
            Some(g) if g.exists != Some(false) => Ok(g.metric_filters.clone().unwrap_or_default()),
            _ => Err(not_found(
                Operation::DescribeMetricFilters,
                "ResourceNotFoundException",
                &arn,
            )),
        }
    }

    pub(super) fn describe_alarms(&self, region: &str) -> Answer<Vec<Alarm>> {
        self.replay(Operation::DescribeAlarms, None, region)?;
        match self.state.region_alarms(region).map(known) {
            Some(Known::ByMetric { .. }) => Err(not_recorded(
                Operation::DescribeAlarms,
                region,
                "the region's full list of alarms, only the alarms on some metrics",
            )),
            Some(Known::Listed(alarms)) => Ok(alarms.to_vec()),
            Some(Known::NotRead) | None => Ok(Vec::new()),
        }
    }

    pub(super) fn describe_alarms_named(&self, region: &str, prefix: &str) -> Answer<Vec<Alarm>> {
        self.replay(Operation::DescribeAlarms, None, region)?;
        let resource = alarm_name_prefix_resource(prefix);
        self.replay(Operation::DescribeAlarms, Some(&resource), region)?;
        let Some(r) = self.state.region_alarms(region) else {
            return Ok(Vec::new());
        };
        let alarms = match known(r) {
            Known::NotRead => return Ok(Vec::new()),
            Known::Listed(alarms) => alarms,
            Known::ByMetric {
                alarms: Some(alarms),
                prefixes: Some(prefixes),
                ..
            } if prefixes.iter().any(|p| prefix.starts_with(p.as_str())) => alarms,
            Known::ByMetric { .. } => {
                return Err(not_recorded(
                    Operation::DescribeAlarms,
                    region,
                    &format!("the alarms named {prefix}…, only the alarms on some metrics"),
                ))
            }
        };
        Ok(alarms
            .iter()
            .filter(|a| a.alarm_name.starts_with(prefix))
            .cloned()
            .collect())
    }

    pub(super) fn describe_alarms_for_metric(
        &self,
        region: &str,
        metric: &Metric,
    ) -> Answer<Vec<Alarm>> {
        let resource = metric_resource(metric);
        self.replay(Operation::DescribeAlarmsForMetric, Some(&resource), region)?;
        let Some(r) = self.state.region_alarms(region) else {
            return Ok(Vec::new());
        };
        let alarms = match known(r) {
            Known::Listed(alarms) => alarms,
            Known::ByMetric {
                metrics,
                alarms: Some(alarms),
                ..
            } if metrics.contains(metric) => alarms,
            Known::NotRead | Known::ByMetric { .. } => {
                return Err(not_recorded(
                    Operation::DescribeAlarmsForMetric,
                    region,
                    &format!("the region's alarms on {resource}"),
                )
                .about(&resource))
            }
        };
        Ok(alarms
            .iter()
            .filter(|a| a.metric.as_ref() == Some(metric))
            .cloned()
            .collect())
    }

    pub(super) fn describe_composite_alarms(&self, region: &str) -> Answer<Vec<CompositeAlarm>> {
        self.replay(Operation::DescribeAlarms, Some(COMPOSITE_ALARMS), region)?;
        match self.state.region_alarms(region) {
            None => Ok(Vec::new()),
            Some(r) => r.composite_alarms.clone().ok_or_else(|| {
                ApiError::new(
                    Operation::DescribeAlarms,
                    ApiErrorKind::Other,
                    "CompositeAlarmsNotRecorded",
                    "the snapshot this account was loaded from does not record the region's composite alarms",
                )
                .in_region(region)
                .about(COMPOSITE_ALARMS)
            }),
        }
    }

    pub(super) fn get_topic_attributes(&self, arn: &str) -> Answer<Option<TopicAttributes>> {
        self.replay(Operation::GetTopicAttributes, Some(arn), region_of(arn))?;
        Ok(self
            .state
            .topic(arn)
            .filter(|t| t.exists != Some(false))
            .map(|t| {
                t.attributes.clone().unwrap_or_else(|| TopicAttributes {
                    topic_arn: arn.to_owned(),
                    ..TopicAttributes::default()
                })
            }))
    }

    pub(super) fn list_subscriptions_by_topic(&self, arn: &str) -> Answer<Vec<Subscription>> {
        let operation = Operation::ListSubscriptionsByTopic;
        self.replay(operation, Some(arn), region_of(arn))?;
        match self.state.topic(arn) {
            Some(t) if t.exists != Some(false) => Ok(t.subscriptions.clone().unwrap_or_default()),
            _ => Err(not_found(operation, "NotFound", arn)),
        }
    }

    pub(super) fn get_subscription_attributes(
        &self,
        arn: &str,
    ) -> Answer<Option<SubscriptionAttributes>> {
        self.replay(
            Operation::GetSubscriptionAttributes,
            Some(arn),
            region_of(arn),
        )?;
        let Some(topic) = self.state.topics.iter().find(|t| {
            t.exists != Some(false)
                && t.subscriptions
                    .iter()
                    .flatten()
                    .any(|s| s.subscription_arn == arn)
        }) else {
            return Ok(None);
        };
        topic
            .subscription_attributes
            .iter()
            .find(|a| a.subscription_arn == arn)
            .cloned()
            .map(Some)
            .ok_or_else(|| {
                ApiError::new(
                    Operation::GetSubscriptionAttributes,
                    ApiErrorKind::Other,
                    "AttributesNotRecorded",
                    "the snapshot this account was loaded from does not record the subscription's attributes",
                )
                .about(arn)
            })
    }

    pub(super) fn describe_key(&self, region: &str, key_id: &str) -> Answer<Option<Key>> {
        self.replay(Operation::DescribeKey, Some(key_id), region)?;
        // An alias ARN names the same key as its alias name.
        let key_id = alias_name(key_id).unwrap_or_else(|| key_id.to_owned());
        Ok(self
            .state
            .keys
            .iter()
            .filter(|k| k.region == region && k.exists != Some(false))
            .filter_map(|k| k.key.as_ref().map(|key| (k, key)))
            .find(|(k, key)| k.key_id == key_id || key.key_id == key_id || key.arn == key_id)
            .map(|(_, key)| key.clone()))
    }

    pub(super) fn get_key_policy(&self, region: &str, key_id: &str) -> Answer<String> {
        self.replay(Operation::GetKeyPolicy, Some(key_id), region)?;
        self.state
            .keys
            .iter()
            .filter(|k| k.region == region && k.exists != Some(false))
            .find(|k| {
                k.key
                    .as_ref()
                    .is_some_and(|key| key.key_id == key_id || key.arn == key_id)
            })
            .and_then(|k| k.policy.clone())
            .ok_or_else(|| not_found(Operation::GetKeyPolicy, "NotFoundException", key_id))
    }

    pub(super) fn list_rules(&self, region: &str) -> Answer<Vec<EventRule>> {
        self.replay(Operation::ListRules, None, region)?;
        Ok(self
            .state
            .event_rules
            .iter()
            .filter(|b| b.region == region)
            .flat_map(|b| b.rules.iter().flatten())
            .map(|r| r.rule.clone())
            .collect())
    }

    pub(super) fn list_targets_by_rule(&self, region: &str, rule: &str) -> Answer<Vec<RuleTarget>> {
        self.replay(Operation::ListTargetsByRule, Some(rule), region)?;
        self.state
            .event_rules
            .iter()
            .filter(|b| b.region == region)
            .flat_map(|b| b.rules.iter().flatten())
            .find(|r| r.rule.name == rule)
            // Targets a snapshot did not read: none known.
            .map(|r| r.targets.clone().unwrap_or_default())
            .ok_or_else(|| {
                not_found(
                    Operation::ListTargetsByRule,
                    "ResourceNotFoundException",
                    rule,
                )
            })
    }
}
