//! A wrapper around any backend that counts the calls made through it.
//!
//! Every trait method is one AWS API request per page; paginated methods count
//! one call per method invocation here, which is what the AWS backend also makes
//! for a result that fits one page. The report's `api_calls` comes from this.

use crate::api::{AccountApi, AlarmsApi, ApiResult, LogsApi, Services, TopicsApi, TrailsApi};
use crate::model::{
    Alarm, EventSelectors, LogGroup, MetricFilter, Subscription, TopicAttributes, Trail,
    TrailStatus,
};
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Counts calls made through the services it wraps.
#[derive(Clone)]
pub struct Counting {
    inner: Services,
    calls: Arc<AtomicU64>,
}

impl Counting {
    /// Wraps `inner`; the count starts at zero.
    pub fn new(inner: Services) -> Self {
        Counting {
            inner,
            calls: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Calls made so far.
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// The wrapped services, counted.
    pub fn services(&self) -> Services {
        let me = Arc::new(self.clone());
        Services {
            account: me.clone(),
            trails: me.clone(),
            logs: me.clone(),
            alarms: me.clone(),
            topics: me,
            requests: self.inner.requests.clone(),
        }
    }

    fn tick(&self) {
        self.calls.fetch_add(1, Ordering::Relaxed);
    }
}

#[async_trait]
impl AccountApi for Counting {
    async fn account_id(&self) -> ApiResult<String> {
        self.tick();
        self.inner.account.account_id().await
    }
}

#[async_trait]
impl TrailsApi for Counting {
    async fn describe_trails(&self, region: &str) -> ApiResult<Vec<Trail>> {
        self.tick();
        self.inner.trails.describe_trails(region).await
    }
    async fn get_trail_status(&self, region: &str, trail_arn: &str) -> ApiResult<TrailStatus> {
        self.tick();
        self.inner.trails.get_trail_status(region, trail_arn).await
    }
    async fn get_event_selectors(
        &self,
        region: &str,
        trail_arn: &str,
    ) -> ApiResult<EventSelectors> {
        self.tick();
        self.inner
            .trails
            .get_event_selectors(region, trail_arn)
            .await
    }
}

#[async_trait]
impl LogsApi for Counting {
    async fn describe_log_group(&self, region: &str, name: &str) -> ApiResult<Option<LogGroup>> {
        self.tick();
        self.inner.logs.describe_log_group(region, name).await
    }
    async fn describe_metric_filters(
        &self,
        region: &str,
        log_group_name: &str,
    ) -> ApiResult<Vec<MetricFilter>> {
        self.tick();
        self.inner
            .logs
            .describe_metric_filters(region, log_group_name)
            .await
    }
    async fn put_metric_filter(&self, region: &str, filter: &MetricFilter) -> ApiResult<()> {
        self.tick();
        self.inner.logs.put_metric_filter(region, filter).await
    }
}

#[async_trait]
impl AlarmsApi for Counting {
    async fn describe_alarms(&self, region: &str) -> ApiResult<Vec<Alarm>> {
        self.tick();
        self.inner.alarms.describe_alarms(region).await
    }
    async fn put_metric_alarm(&self, region: &str, alarm: &Alarm) -> ApiResult<()> {
        self.tick();
        self.inner.alarms.put_metric_alarm(region, alarm).await
    }
}

#[async_trait]
impl TopicsApi for Counting {
    async fn get_topic_attributes(&self, topic_arn: &str) -> ApiResult<Option<TopicAttributes>> {
        self.tick();
        self.inner.topics.get_topic_attributes(topic_arn).await
    }
    async fn list_subscriptions_by_topic(&self, topic_arn: &str) -> ApiResult<Vec<Subscription>> {
        self.tick();
        self.inner
            .topics
            .list_subscriptions_by_topic(topic_arn)
            .await
    }
    async fn create_topic(
        &self,
        region: &str,
        name: &str,
        tags: &BTreeMap<String, String>,
    ) -> ApiResult<String> {
        self.tick();
        self.inner.topics.create_topic(region, name, tags).await
    }
    async fn subscribe(
        &self,
        topic_arn: &str,
        protocol: &str,
        endpoint: &str,
    ) -> ApiResult<String> {
        self.tick();
        self.inner
            .topics
            .subscribe(topic_arn, protocol, endpoint)
            .await
    }
    async fn set_topic_policy(&self, topic_arn: &str, policy: &str) -> ApiResult<()> {
        self.tick();
        self.inner.topics.set_topic_policy(topic_arn, policy).await
    }
}
