//! [`Layered`]: the one place that forwards every service trait method, so
//! that a [`Layer`] needs to write none of them.

use super::call::{Call, Layer};
use crate::api::{
    AccountApi, AlarmsApi, ApiResult, Backend, EventsApi, KeysApi, LogsApi, RequestCount, Services,
    TopicsApi, TrailsApi, COMPOSITE_ALARMS,
};
use crate::model::{
    Alarm, Alias, Arn, CompositeAlarm, EventRule, EventRuleSpec, EventSelectors, Key, LogGroup,
    Metric, MetricFilter, RuleTarget, Subscription, SubscriptionAttributes, TopicAttributes, Trail,
    TrailEvent, TrailStatus,
};
use crate::operation::Operation;
use async_trait::async_trait;
use std::collections::BTreeMap;

/// Services with a layer around every call. Usually made with
/// [`Services::layer`].
pub struct Layered<L> {
    inner: Services,
    layer: L,
}

impl<L: Layer> Layered<L> {
    /// `inner` with `layer` around each of its calls.
    pub fn new(inner: Services, layer: L) -> Self {
        Layered { inner, layer }
    }

    /// The layer.
    pub fn layer(&self) -> &L {
        &self.layer
    }
}

impl<L: Layer> Backend for Layered<L> {
    fn request_count(&self) -> Option<RequestCount> {
        self.inner.requests.clone()
    }
}

fn read<'a>(operation: Operation, region: &'a str, resource: Option<&'a str>) -> Call<'a> {
    Call {
        operation,
        region: Some(region),
        resource,
        writes: false,
    }
}

fn write<'a>(operation: Operation, region: &'a str, resource: &'a str) -> Call<'a> {
    Call {
        writes: true,
        ..read(operation, region, Some(resource))
    }
}

/// SNS calls go to the region of the topic ARN.
fn topic_region(topic_arn: &str) -> &str {
    Arn::parse(topic_arn).map(|a| a.region).unwrap_or_default()
}

#[async_trait]
impl<L: Layer> AccountApi for Layered<L> {
    async fn account_id(&self) -> ApiResult<String> {
        let call = Call {
            region: None,
            ..read(Operation::GetCallerIdentity, "", None)
        };
        let next = self.inner.account.account_id();
        self.layer.around(call, next).await
    }
}

#[async_trait]
impl<L: Layer> TrailsApi for Layered<L> {
    async fn describe_trails(&self, region: &str) -> ApiResult<Vec<Trail>> {
        let next = self.inner.trails.describe_trails(region);
        let call = read(Operation::DescribeTrails, region, None);
        self.layer.around(call, next).await
    }

    async fn get_trail_status(&self, region: &str, trail_arn: &str) -> ApiResult<TrailStatus> {
        let next = self.inner.trails.get_trail_status(region, trail_arn);
        let call = read(Operation::GetTrailStatus, region, Some(trail_arn));
        self.layer.around(call, next).await
    }

    async fn get_event_selectors(
        &self,
        region: &str,
        trail_arn: &str,
    ) -> ApiResult<EventSelectors> {
        let next = self.inner.trails.get_event_selectors(region, trail_arn);
        let call = read(Operation::GetEventSelectors, region, Some(trail_arn));
        self.layer.around(call, next).await
    }

    async fn lookup_events(
        &self,
        region: &str,
        event_name: &str,
        start_time: &str,
        end_time: &str,
    ) -> ApiResult<Vec<TrailEvent>> {
        let next = self
            .inner
            .trails
            .lookup_events(region, event_name, start_time, end_time);
        let call = read(Operation::LookupEvents, region, Some(event_name));
        self.layer.around(call, next).await
    }
}

#[async_trait]
impl<L: Layer> LogsApi for Layered<L> {
    async fn describe_log_group(&self, region: &str, name: &str) -> ApiResult<Option<LogGroup>> {
        let next = self.inner.logs.describe_log_group(region, name);
        let call = read(Operation::DescribeLogGroups, region, Some(name));
        self.layer.around(call, next).await
    }

    async fn describe_metric_filters(
        &self,
        region: &str,
        log_group_name: &str,
    ) -> ApiResult<Vec<MetricFilter>> {
        let next = self
            .inner
            .logs
            .describe_metric_filters(region, log_group_name);
        let call = read(
            Operation::DescribeMetricFilters,
            region,
            Some(log_group_name),
        );
        self.layer.around(call, next).await
    }

    async fn put_metric_filter(&self, region: &str, filter: &MetricFilter) -> ApiResult<()> {
        let next = self.inner.logs.put_metric_filter(region, filter);
        let call = write(Operation::PutMetricFilter, region, &filter.log_group_name);
        self.layer.around(call, next).await
    }
}

#[async_trait]
impl<L: Layer> AlarmsApi for Layered<L> {
    async fn describe_alarms(&self, region: &str) -> ApiResult<Vec<Alarm>> {
        let next = self.inner.alarms.describe_alarms(region);
        let call = read(Operation::DescribeAlarms, region, None);
        self.layer.around(call, next).await
    }

    async fn describe_alarms_named(&self, region: &str, prefix: &str) -> ApiResult<Vec<Alarm>> {
        let resource = crate::api::alarm_name_prefix_resource(prefix);
        let next = self.inner.alarms.describe_alarms_named(region, prefix);
        let call = read(Operation::DescribeAlarms, region, Some(&resource));
        self.layer.around(call, next).await
    }

    async fn put_metric_alarm(&self, region: &str, alarm: &Alarm) -> ApiResult<()> {
        let next = self.inner.alarms.put_metric_alarm(region, alarm);
        let call = write(Operation::PutMetricAlarm, region, &alarm.alarm_name);
        self.layer.around(call, next).await
    }

    async fn describe_composite_alarms(&self, region: &str) -> ApiResult<Vec<CompositeAlarm>> {
        let next = self.inner.alarms.describe_composite_alarms(region);
        let call = read(Operation::DescribeAlarms, region, Some(COMPOSITE_ALARMS));
        self.layer.around(call, next).await
    }

    async fn describe_alarms_for_metric(
        &self,
        region: &str,
        metric: &Metric,
    ) -> ApiResult<Vec<Alarm>> {
        let next = self.inner.alarms.describe_alarms_for_metric(region, metric);
        let resource = crate::api::metric_resource(metric);
        let call = read(Operation::DescribeAlarmsForMetric, region, Some(&resource));
        self.layer.around(call, next).await
    }
}

#[async_trait]
impl<L: Layer> TopicsApi for Layered<L> {
    async fn get_topic_attributes(&self, topic_arn: &str) -> ApiResult<Option<TopicAttributes>> {
        let next = self.inner.topics.get_topic_attributes(topic_arn);
        let call = read(
            Operation::GetTopicAttributes,
            topic_region(topic_arn),
            Some(topic_arn),
        );
        self.layer.around(call, next).await
    }

    async fn list_subscriptions_by_topic(&self, topic_arn: &str) -> ApiResult<Vec<Subscription>> {
        let next = self.inner.topics.list_subscriptions_by_topic(topic_arn);
        let region = topic_region(topic_arn);
        let call = read(Operation::ListSubscriptionsByTopic, region, Some(topic_arn));
        self.layer.around(call, next).await
    }

    async fn create_topic(
        &self,
        region: &str,
        name: &str,
        tags: &BTreeMap<String, String>,
    ) -> ApiResult<String> {
        let next = self.inner.topics.create_topic(region, name, tags);
        let call = write(Operation::CreateTopic, region, name);
        self.layer.around(call, next).await
    }

    async fn subscribe(
        &self,
        topic_arn: &str,
        protocol: &str,
        endpoint: &str,
    ) -> ApiResult<String> {
        let next = self.inner.topics.subscribe(topic_arn, protocol, endpoint);
        let call = write(Operation::Subscribe, topic_region(topic_arn), topic_arn);
        self.layer.around(call, next).await
    }

    async fn set_topic_policy(&self, topic_arn: &str, policy: &str) -> ApiResult<()> {
        let next = self.inner.topics.set_topic_policy(topic_arn, policy);
        let call = write(
            Operation::SetTopicAttributes,
            topic_region(topic_arn),
            topic_arn,
        );
        self.layer.around(call, next).await
    }

    async fn get_subscription_attributes(
        &self,
        subscription_arn: &str,
    ) -> ApiResult<Option<SubscriptionAttributes>> {
        let next = self
            .inner
            .topics
            .get_subscription_attributes(subscription_arn);
        let region = topic_region(subscription_arn);
        let call = read(
            Operation::GetSubscriptionAttributes,
            region,
            Some(subscription_arn),
        );
        self.layer.around(call, next).await
    }
    async fn set_topic_kms_key(&self, topic_arn: &str, key_id: &str) -> ApiResult<()> {
        let next = self.inner.topics.set_topic_kms_key(topic_arn, key_id);
        let call = write(
            Operation::SetTopicAttributes,
            topic_region(topic_arn),
            topic_arn,
        );
        self.layer.around(call, next).await
    }
}

#[async_trait]
impl<L: Layer> KeysApi for Layered<L> {
    async fn describe_key(&self, region: &str, key_id: &str) -> ApiResult<Option<Key>> {
        let next = self.inner.keys.describe_key(region, key_id);
        let call = read(Operation::DescribeKey, region, Some(key_id));
        self.layer.around(call, next).await
    }

    async fn get_key_policy(&self, region: &str, key_id: &str) -> ApiResult<String> {
        let next = self.inner.keys.get_key_policy(region, key_id);
        let call = read(Operation::GetKeyPolicy, region, Some(key_id));
        self.layer.around(call, next).await
    }

    async fn list_keys(&self, region: &str) -> ApiResult<Vec<String>> {
        let next = self.inner.keys.list_keys(region);
        self.layer
            .around(read(Operation::ListKeys, region, None), next)
            .await
    }

    async fn list_aliases(&self, region: &str) -> ApiResult<Vec<Alias>> {
        let next = self.inner.keys.list_aliases(region);
        self.layer
            .around(read(Operation::ListAliases, region, None), next)
            .await
    }

    async fn cancel_key_deletion(&self, region: &str, key_id: &str) -> ApiResult<()> {
        let next = self.inner.keys.cancel_key_deletion(region, key_id);
        let call = write(Operation::CancelKeyDeletion, region, key_id);
        self.layer.around(call, next).await
    }

    async fn enable_key(&self, region: &str, key_id: &str) -> ApiResult<()> {
        let next = self.inner.keys.enable_key(region, key_id);
        let call = write(Operation::EnableKey, region, key_id);
        self.layer.around(call, next).await
    }
}

#[async_trait]
impl<L: Layer> EventsApi for Layered<L> {
    async fn list_rules(&self, region: &str) -> ApiResult<Vec<EventRule>> {
        let next = self.inner.events.list_rules(region);
        let call = read(Operation::ListRules, region, None);
        self.layer.around(call, next).await
    }

    async fn list_targets_by_rule(
        &self,
        region: &str,
        rule_name: &str,
    ) -> ApiResult<Vec<RuleTarget>> {
        let next = self.inner.events.list_targets_by_rule(region, rule_name);
        let call = read(Operation::ListTargetsByRule, region, Some(rule_name));
        self.layer.around(call, next).await
    }

    async fn put_rule(&self, region: &str, rule: &EventRuleSpec) -> ApiResult<String> {
        let next = self.inner.events.put_rule(region, rule);
        let call = write(Operation::PutRule, region, &rule.name);
        self.layer.around(call, next).await
    }

    async fn put_targets(
        &self,
        region: &str,
        rule_name: &str,
        targets: &[RuleTarget],
    ) -> ApiResult<()> {
        let next = self.inner.events.put_targets(region, rule_name, targets);
        let call = write(Operation::PutTargets, region, rule_name);
        self.layer.around(call, next).await
    }
}
