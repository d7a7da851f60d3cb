//! The service traits, answered from the in-memory state.

use super::alarms_by_metric::{alarms_for_metric, listing, named};
use super::state::{entry, AlarmRegion, Existence, MetricAlarms, TopicRecord};
use super::{not_found, region_of, MemoryBackend};
use crate::access_policy::sns_default_policy;
use crate::api::{
    AccountApi, AlarmsApi, ApiError, ApiErrorKind, ApiResult, LogsApi, TopicsApi, TrailsApi,
    COMPOSITE_ALARMS,
};
use crate::model::{
    Alarm, CompositeAlarm, EventSelectors, LogGroup, Metric, MetricFilter, Subscription,
    SubscriptionAttributes, TopicAttributes, Trail, TrailEvent, TrailStatus,
};
use crate::operation::Operation;
use async_trait::async_trait;
use std::collections::BTreeMap;

#[async_trait]
impl AccountApi for MemoryBackend {
    async fn account_id(&self) -> ApiResult<String> {
        let account = self.lock();
        account.replay(Operation::GetCallerIdentity, None, &account.home_region)?;
        Ok(account.id.clone())
    }
}

#[async_trait]
impl TrailsApi for MemoryBackend {
    async fn describe_trails(&self, region: &str) -> ApiResult<Vec<Trail>> {
        self.replay(Operation::DescribeTrails, None, region)?;
        Ok(self
            .lock()
            .trails
            .iter()
            .filter(|t| t.trail.is_multi_region_trail || t.trail.home_region == region)
            .map(|t| t.trail.clone())
            .collect())
    }

    async fn get_trail_status(&self, region: &str, trail_arn: &str) -> ApiResult<TrailStatus> {
        self.replay(Operation::GetTrailStatus, Some(trail_arn), region)?;
        self.lock()
            .trail(trail_arn)
            .and_then(|t| t.status.clone())
            .ok_or_else(|| {
                not_found(
                    Operation::GetTrailStatus,
                    "TrailNotFoundException",
                    trail_arn,
                )
            })
    }

    async fn get_event_selectors(
        &self,
        region: &str,
        trail_arn: &str,
    ) -> ApiResult<EventSelectors> {
        self.replay(Operation::GetEventSelectors, Some(trail_arn), region)?;
        self.lock()
            .trail(trail_arn)
            .and_then(|t| t.selectors.clone())
            .ok_or_else(|| {
                not_found(
                    Operation::GetEventSelectors,
                    "TrailNotFoundException",
                    trail_arn,
                )
            })
    }
    async fn lookup_events(
        &self,
        region: &str,
        event_name: &str,
        start_time: &str,
        end_time: &str,
    ) -> ApiResult<Vec<TrailEvent>> {
        self.replay(Operation::LookupEvents, Some(event_name), region)?;
        Ok(self.event_history(region, event_name, start_time, end_time))
    }
}

impl MemoryBackend {
    fn log_group_arn(&self, region: &str, name: &str) -> String {
        self.arn("logs", region, &format!("log-group:{name}"))
    }
}

#[async_trait]
impl LogsApi for MemoryBackend {
    async fn describe_log_group(&self, region: &str, name: &str) -> ApiResult<Option<LogGroup>> {
        let arn = self.log_group_arn(region, name);
        self.replay(Operation::DescribeLogGroups, Some(&arn), region)?;
        let account = self.lock();
        Ok(account
            .log_group(&arn)
            .filter(|g| g.existence.is_found())
            .map(|g| LogGroup {
                log_group_name: name.to_owned(),
                arn: g.arn.clone(),
            }))
    }

    async fn describe_metric_filters(
        &self,
        region: &str,
        log_group_name: &str,
    ) -> ApiResult<Vec<MetricFilter>> {
        let arn = self.log_group_arn(region, log_group_name);
        self.replay(Operation::DescribeMetricFilters, Some(&arn), region)?;
        let account = self.lock();
        match account.log_group(&arn) {
            Some(g) if g.existence.is_found() => Ok(g.filters.clone().unwrap_or_default()),
            _ => Err(not_found(
                Operation::DescribeMetricFilters,
                "ResourceNotFoundException",
                &arn,
            )),
        }
    }

    async fn put_metric_filter(&self, region: &str, filter: &MetricFilter) -> ApiResult<()> {
        let arn = self.log_group_arn(region, &filter.log_group_name);
        self.replay(Operation::PutMetricFilter, Some(&arn), region)?;
        let mut account = self.lock();
        let group = account
            .log_groups
            .iter_mut()
            .find(|g| g.arn == arn && g.existence.is_found())
            .ok_or_else(|| {
                not_found(
                    Operation::PutMetricFilter,
                    "ResourceNotFoundException",
                    &arn,
                )
            })?;
        let filters = group.filters.get_or_insert_with(Vec::new);
        if let Some(existing) = filters
            .iter_mut()
            .find(|f| f.filter_name == filter.filter_name)
        {
            *existing = filter.clone();
        } else if filters.len() >= 100 {
            return Err(ApiError::new(
                Operation::PutMetricFilter,
                ApiErrorKind::LimitExceeded,
                "LimitExceededException",
                "Resource limit exceeded: 100 metric filters per log group.",
            )
            .about(&arn));
        } else {
            filters.push(filter.clone());
        }
        Ok(())
    }
}

#[async_trait]
impl AlarmsApi for MemoryBackend {
    async fn describe_alarms(&self, region: &str) -> ApiResult<Vec<Alarm>> {
        self.replay(Operation::DescribeAlarms, None, region)?;
        listing(&self.lock(), region)
    }

    async fn describe_alarms_named(&self, region: &str, prefix: &str) -> ApiResult<Vec<Alarm>> {
        // A listing that failed whole fails by name too.
        self.replay(Operation::DescribeAlarms, None, region)?;
        let resource = crate::api::alarm_name_prefix_resource(prefix);
        self.replay(Operation::DescribeAlarms, Some(&resource), region)?;
        named(&self.lock(), region, prefix)
    }

    async fn put_metric_alarm(&self, region: &str, alarm: &Alarm) -> ApiResult<()> {
        self.replay(Operation::PutMetricAlarm, Some(&alarm.alarm_name), region)?;
        let mut alarm = alarm.clone();
        alarm.alarm_arn = self.arn("cloudwatch", region, &format!("alarm:{}", alarm.alarm_name));
        alarm
            .state_value
            .get_or_insert_with(|| "INSUFFICIENT_DATA".to_owned());
        // DescribeAlarms does not return tags.
        alarm.tags = BTreeMap::new();
        let mut account = self.lock();
        let alarms = entry(&mut account.alarms, region, || AlarmRegion {
            region: region.to_owned(),
            metric_alarms: MetricAlarms::Listed(Vec::new()),
            composites: Some(Vec::new()),
        });
        alarms.metric_alarms.put(alarm);
        Ok(())
    }

    async fn describe_composite_alarms(&self, region: &str) -> ApiResult<Vec<CompositeAlarm>> {
        self.replay(Operation::DescribeAlarms, Some(COMPOSITE_ALARMS), region)?;
        let account = self.lock();
        match account.alarm_region(region) {
            None => Ok(Vec::new()),
            Some(r) => r.composites.clone().ok_or_else(|| {
                // Facts that never read them: unknown, not "none".
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

    async fn describe_alarms_for_metric(
        &self,
        region: &str,
        metric: &Metric,
    ) -> ApiResult<Vec<Alarm>> {
        let resource = crate::api::metric_resource(metric);
        self.replay(Operation::DescribeAlarmsForMetric, Some(&resource), region)?;
        alarms_for_metric(&self.lock(), region, metric)
    }
}

#[async_trait]
impl TopicsApi for MemoryBackend {
    async fn get_topic_attributes(&self, topic_arn: &str) -> ApiResult<Option<TopicAttributes>> {
        self.replay(
            Operation::GetTopicAttributes,
            Some(topic_arn),
            region_of(topic_arn),
        )?;
        let account = self.lock();
        Ok(account
            .topic(topic_arn)
            .filter(|t| t.existence.is_found())
            .map(|t| {
                t.attributes.clone().unwrap_or_else(|| TopicAttributes {
                    topic_arn: topic_arn.to_owned(),
                    ..TopicAttributes::default()
                })
            }))
    }

    async fn list_subscriptions_by_topic(&self, topic_arn: &str) -> ApiResult<Vec<Subscription>> {
        self.replay(
            Operation::ListSubscriptionsByTopic,
            Some(topic_arn),
            region_of(topic_arn),
        )?;
        let account = self.lock();
        match account.topic(topic_arn) {
            Some(t) if t.existence.is_found() => Ok(t.subscriptions.clone().unwrap_or_default()),
            _ => Err(not_found(
                Operation::ListSubscriptionsByTopic,
                "NotFound",
                topic_arn,
            )),
        }
    }

    async fn create_topic(
        &self,
        region: &str,
        name: &str,
        _tags: &BTreeMap<String, String>,
    ) -> ApiResult<String> {
        self.replay(Operation::CreateTopic, Some(name), region)?;
        let arn = self.arn("sns", region, name);
        let mut account = self.lock();
        let policy = sns_default_policy(&arn, &account.id);
        if account.found_topic_mut(&arn).is_none() {
            account.topics.retain(|t| t.arn != arn);
            account.topics.push(TopicRecord {
                arn: arn.clone(),
                existence: Existence::Exists,
                attributes: Some(TopicAttributes {
                    topic_arn: arn.clone(),
                    // As in AWS: a new topic has the default access policy.
                    policy: Some(policy),
                    ..TopicAttributes::default()
                }),
                subscriptions: Some(Vec::new()),
                subscription_attributes: Vec::new(),
            });
        }
        Ok(arn)
    }

    async fn subscribe(
        &self,
        topic_arn: &str,
        protocol: &str,
        endpoint: &str,
    ) -> ApiResult<String> {
        self.replay(Operation::Subscribe, Some(topic_arn), region_of(topic_arn))?;
        let mut account = self.lock();
        let topic = account
            .found_topic_mut(topic_arn)
            .ok_or_else(|| not_found(Operation::Subscribe, "NotFound", topic_arn))?;
        let subs = topic.subscriptions.get_or_insert_with(Vec::new);
        if let Some(existing) = subs
            .iter()
            .find(|s| s.protocol == protocol && s.endpoint == endpoint)
        {
            return Ok(existing.subscription_arn.clone());
        }
        // As in AWS, email and http(s) endpoints must confirm; AWS resources are
        // confirmed at once.
        let needs_confirmation = matches!(protocol, "email" | "email-json" | "http" | "https");
        let subscription_arn = if needs_confirmation {
            "PendingConfirmation".to_owned()
        } else {
            format!("{topic_arn}:sub-{}", subs.len())
        };
        subs.push(Subscription {
            subscription_arn: subscription_arn.clone(),
            protocol: protocol.to_owned(),
            endpoint: endpoint.to_owned(),
        });
        if !needs_confirmation {
            topic
                .subscription_attributes
                .push(SubscriptionAttributes::confirmed(&subscription_arn));
        }
        Ok(if needs_confirmation {
            "pending confirmation".to_owned()
        } else {
            subscription_arn
        })
    }

    async fn set_topic_policy(&self, topic_arn: &str, policy: &str) -> ApiResult<()> {
        self.set_topic_attribute(topic_arn, |a| a.policy = Some(policy.to_owned()))
    }

    async fn get_subscription_attributes(
        &self,
        subscription_arn: &str,
    ) -> ApiResult<Option<SubscriptionAttributes>> {
        self.replay(
            Operation::GetSubscriptionAttributes,
            Some(subscription_arn),
            region_of(subscription_arn),
        )?;
        let account = self.lock();
        let Some(topic) = account.topics.iter().find(|t| {
            t.existence.is_found()
                && t.subscriptions
                    .iter()
                    .flatten()
                    .any(|s| s.subscription_arn == subscription_arn)
        }) else {
            return Ok(None);
        };
        topic
            .subscription_attributes
            .iter()
            .find(|a| a.subscription_arn == subscription_arn)
            .cloned()
            .map(Some)
            .ok_or_else(|| {
                // The state came from facts that never read them: unknown, not a default.
                ApiError::new(
                    Operation::GetSubscriptionAttributes,
                    ApiErrorKind::Other,
                    "AttributesNotRecorded",
                    "the snapshot this account was loaded from does not record the subscription's attributes",
                )
                .about(subscription_arn)
            })
    }

    async fn set_topic_kms_key(&self, topic_arn: &str, key_id: &str) -> ApiResult<()> {
        self.set_topic_attribute(topic_arn, |a| a.kms_master_key_id = Some(key_id.to_owned()))
    }
}

impl MemoryBackend {
    /// `SetTopicAttributes`: `set` changes one attribute of an existing topic.
    fn set_topic_attribute(
        &self,
        topic_arn: &str,
        set: impl FnOnce(&mut TopicAttributes),
    ) -> ApiResult<()> {
        self.replay(
            Operation::SetTopicAttributes,
            Some(topic_arn),
            region_of(topic_arn),
        )?;
        let mut account = self.lock();
        let topic = account
            .found_topic_mut(topic_arn)
            .ok_or_else(|| not_found(Operation::SetTopicAttributes, "NotFound", topic_arn))?;
        set(topic.attributes.get_or_insert_with(|| TopicAttributes {
            topic_arn: topic_arn.to_owned(),
            ..TopicAttributes::default()
        }));
        Ok(())
    }
}
