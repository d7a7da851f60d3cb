//! The service traits: every AWS call kmswatch makes goes through one of these.
//!
//! Three families of implementations exist: the AWS SDK backend (`aws` feature),
//! the in-memory backend ([`crate::memory::MemoryBackend`], which is also what a
//! snapshot loads into) and mockall mocks (`Mock*Api`, under the `mocks` feature
//! and in this crate's tests). A [`Backend`] is one value answering all seven
//! traits; [`Services`] are the handles the check and the remediation take.
//! Cross-cutting behaviour (call counting, fault injection, concurrency
//! limits) is a wrapper stacked on any backend: see the `layer` module.

use crate::model::{
    Alarm, Alias, CompositeAlarm, EventRule, EventRuleSpec, EventSelectors, Key, LogGroup, Metric,
    MetricFilter, RuleTarget, Subscription, SubscriptionAttributes, TopicAttributes, Trail,
    TrailEvent, TrailStatus,
};
use crate::operation::Operation;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The broad class of a failed call; decides between ERROR and MANUAL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiErrorKind {
    /// The credentials may not make this call (or see this resource).
    AccessDenied,
    /// The resource does not exist.
    NotFound,
    /// Throttled, after the SDK's retries.
    Throttling,
    /// The request was rejected as invalid (a limit, a bad parameter).
    InvalidRequest,
    /// A limit such as 100 metric filters per log group was reached.
    LimitExceeded,
    /// The endpoint could not be reached, or answered with something unreadable.
    Transport,
    /// Any other service error.
    Other,
}

/// A failed AWS call: which one, on what, and what AWS said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{operation} failed{}: {code}: {message}", resource.as_deref().map(|r| format!(" for {r}")).unwrap_or_default())]
pub struct ApiError {
    /// The AWS operation, e.g. `GetTrailStatus`.
    pub operation: Operation,
    /// The region the call went to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The resource the call was about (ARN or name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Classification.
    pub kind: ApiErrorKind,
    /// The AWS error code (`AccessDeniedException`...), or a transport description.
    pub code: String,
    /// The AWS error message, or one sentence naming the cause (and the fix)
    /// of a failure that is not AWS's answer.
    pub message: String,
    /// The full chain of causes, for `--debug` (transport failures only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl ApiError {
    /// A new error.
    pub fn new(
        operation: Operation,
        kind: ApiErrorKind,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ApiError {
            operation,
            region: None,
            resource: None,
            kind,
            code: code.into(),
            message: message.into(),
            detail: None,
        }
    }

    /// The same error, with the full chain of causes behind its message.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// The same error, naming the region it happened in.
    pub fn in_region(mut self, region: &str) -> Self {
        self.region = Some(region.to_owned());
        self
    }

    /// The same error, naming the resource it is about.
    pub fn about(mut self, resource: &str) -> Self {
        self.resource = Some(resource.to_owned());
        self
    }

    /// Classifies an AWS error code.
    pub fn kind_of_code(code: &str) -> ApiErrorKind {
        match code {
            "AccessDenied"
            | "AccessDeniedException"
            | "AuthorizationError"
            | "UnauthorizedOperation"
            | "UnauthorizedAccess"
            | "UnrecognizedClientException"
            | "InvalidClientTokenId"
            | "ExpiredToken"
            | "ExpiredTokenException"
            | "NotAuthorized"
            | "OperationNotPermittedException" => ApiErrorKind::AccessDenied,
            "ResourceNotFoundException"
            | "ResourceNotFound"
            | "NotFound"
            | "NotFoundException"
            | "TrailNotFoundException"
            | "CloudTrailARNInvalidException" => ApiErrorKind::NotFound,
            "Throttling"
            | "ThrottlingException"
            | "ThrottledException"
            | "TooManyRequestsException"
            | "RequestLimitExceeded" => ApiErrorKind::Throttling,
            "LimitExceededException"
            | "LimitExceeded"
            | "TopicLimitExceeded"
            | "SubscriptionLimitExceeded" => ApiErrorKind::LimitExceeded,
            "InvalidParameterException"
            | "InvalidParameterValueException"
            | "InvalidParameterValue"
            | "InvalidParameter"
            | "ValidationException"
            | "ValidationError"
            | "InvalidParameterCombination"
            | "MissingParameter"
            | "InvalidRequest" => ApiErrorKind::InvalidRequest,
            _ => ApiErrorKind::Other,
        }
    }
}

/// The resource a composite-alarm `DescribeAlarms` call is about (errors and
/// layers tell it from the metric-alarm call of the same region by it).
pub const COMPOSITE_ALARMS: &str = "AlarmTypes=CompositeAlarm";

/// The resource of a `DescribeAlarms` listing by name prefix, as errors name
/// it: `AlarmNamePrefix=<prefix>`.
pub fn alarm_name_prefix_resource(prefix: &str) -> String {
    format!("AlarmNamePrefix={prefix}")
}

/// The resource a `DescribeAlarmsForMetric` call is about: the metric, as
/// `namespace/name` followed by its dimensions (`[Name=Value,...]`) when it has any.
///
/// ```
/// use kmswatch_core::api::metric_resource;
/// use kmswatch_core::model::Metric;
/// let metric = Metric { namespace: "CIS".into(), metric_name: "KmsKeyDisabled".into(), dimensions: Default::default() };
/// assert_eq!(metric_resource(&metric), "CIS/KmsKeyDisabled");
/// ```
pub fn metric_resource(metric: &Metric) -> String {
    let mut out = format!("{}/{}", metric.namespace, metric.metric_name);
    if !metric.dimensions.is_empty() {
        let dimensions: Vec<String> = metric
            .dimensions
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        out.push_str(&format!("[{}]", dimensions.join(",")));
    }
    out
}

/// Result of a service call.
pub type ApiResult<T> = Result<T, ApiError>;

/// Who the credentials belong to (STS `GetCallerIdentity`).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait AccountApi: Send + Sync {
    /// The account id of the caller.
    async fn account_id(&self) -> ApiResult<String>;
}

/// CloudTrail.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait TrailsApi: Send + Sync {
    /// `DescribeTrails` in `region`, shadow trails included: every trail that
    /// logs in that region, wherever it is homed.
    async fn describe_trails(&self, region: &str) -> ApiResult<Vec<Trail>>;
    /// `GetTrailStatus`, called in the trail's home region.
    async fn get_trail_status(&self, region: &str, trail_arn: &str) -> ApiResult<TrailStatus>;
    /// `GetEventSelectors`, called in the trail's home region.
    async fn get_event_selectors(&self, region: &str, trail_arn: &str)
        -> ApiResult<EventSelectors>;
    /// `LookupEvents` in `region` with the one lookup attribute `EventName` =
    /// `event_name`, between `start_time` and `end_time` (RFC 3339), all
    /// pages: the region's event history (90 days at most).
    async fn lookup_events(
        &self,
        region: &str,
        event_name: &str,
        start_time: &str,
        end_time: &str,
    ) -> ApiResult<Vec<TrailEvent>>;
}

/// CloudWatch Logs.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait LogsApi: Send + Sync {
    /// The log group named exactly `name` in `region` of the caller's account,
    /// or `None` when there is none.
    async fn describe_log_group(&self, region: &str, name: &str) -> ApiResult<Option<LogGroup>>;
    /// Every metric filter of a log group (all pages).
    async fn describe_metric_filters(
        &self,
        region: &str,
        log_group_name: &str,
    ) -> ApiResult<Vec<MetricFilter>>;
    /// `PutMetricFilter`: creates or replaces the filter of that name.
    async fn put_metric_filter(&self, region: &str, filter: &MetricFilter) -> ApiResult<()>;
}

/// CloudWatch alarms.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait AlarmsApi: Send + Sync {
    /// Every metric alarm in `region` (all pages).
    async fn describe_alarms(&self, region: &str) -> ApiResult<Vec<Alarm>>;
    /// The metric alarms in `region` whose names start with `prefix`
    /// (`DescribeAlarms` with `AlarmNamePrefix`, all pages): whether a name
    /// is taken, without paging through every alarm. A backend without the
    /// narrow listing answers from [`AlarmsApi::describe_alarms`].
    async fn describe_alarms_named(&self, region: &str, prefix: &str) -> ApiResult<Vec<Alarm>> {
        let mut alarms = self.describe_alarms(region).await?;
        alarms.retain(|a| a.alarm_name.starts_with(prefix));
        Ok(alarms)
    }
    /// `PutMetricAlarm`: creates or replaces the alarm of that name (tags included).
    async fn put_metric_alarm(&self, region: &str, alarm: &Alarm) -> ApiResult<()>;
    /// Every composite alarm in `region` (`DescribeAlarms` with
    /// `AlarmTypes` `CompositeAlarm`, all pages).
    async fn describe_composite_alarms(&self, region: &str) -> ApiResult<Vec<CompositeAlarm>>;
    /// `DescribeAlarmsForMetric` in `region`: the metric alarms on exactly
    /// `metric` (namespace, name and dimensions), in one request. Metric-math
    /// and composite alarms that read the metric are not among them.
    async fn describe_alarms_for_metric(
        &self,
        region: &str,
        metric: &Metric,
    ) -> ApiResult<Vec<Alarm>>;
}

/// SNS.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait TopicsApi: Send + Sync {
    /// `GetTopicAttributes`; `None` when the topic does not exist.
    async fn get_topic_attributes(&self, topic_arn: &str) -> ApiResult<Option<TopicAttributes>>;
    /// Every subscription of the topic (all pages).
    async fn list_subscriptions_by_topic(&self, topic_arn: &str) -> ApiResult<Vec<Subscription>>;
    /// `CreateTopic` (idempotent in AWS for the same name and attributes); returns its ARN.
    async fn create_topic(
        &self,
        region: &str,
        name: &str,
        tags: &BTreeMap<String, String>,
    ) -> ApiResult<String>;
    /// `Subscribe`; returns the subscription ARN or `pending confirmation`.
    async fn subscribe(&self, topic_arn: &str, protocol: &str, endpoint: &str)
        -> ApiResult<String>;
    /// `SetTopicAttributes` with `Policy`.
    async fn set_topic_policy(&self, topic_arn: &str, policy: &str) -> ApiResult<()>;
    /// `GetSubscriptionAttributes` of a confirmed subscription (called in the
    /// region of its ARN); `None` when the subscription no longer exists.
    async fn get_subscription_attributes(
        &self,
        subscription_arn: &str,
    ) -> ApiResult<Option<SubscriptionAttributes>>;
    /// `SetTopicAttributes` with `KmsMasterKeyId`: encrypts the topic with that key.
    async fn set_topic_kms_key(&self, topic_arn: &str, key_id: &str) -> ApiResult<()>;
}

/// KMS: the keys that encrypt alert topics, the inventory of keys at risk,
/// and the two writes that undo a disabling or a scheduled deletion.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait KeysApi: Send + Sync {
    /// `DescribeKey` in `region`: `key_id` is a key id, key ARN, alias name
    /// (`alias/...`) or alias ARN, as a topic's `KmsMasterKeyId` names it;
    /// `None` when there is no such key.
    async fn describe_key(&self, region: &str, key_id: &str) -> ApiResult<Option<Key>>;
    /// `GetKeyPolicy` (policy name `default`) of the key `key_id` (key id or
    /// key ARN) in `region`: the policy document's text.
    async fn get_key_policy(&self, region: &str, key_id: &str) -> ApiResult<String>;
    /// `ListKeys` in `region` (all pages): the ARN of every key, AWS managed
    /// keys included.
    async fn list_keys(&self, region: &str) -> ApiResult<Vec<String>>;
    /// `ListAliases` in `region` (all pages).
    async fn list_aliases(&self, region: &str) -> ApiResult<Vec<Alias>>;
    /// `CancelKeyDeletion` of the key `key_id` (key id or key ARN) in
    /// `region`: a key pending deletion becomes `Disabled`.
    async fn cancel_key_deletion(&self, region: &str, key_id: &str) -> ApiResult<()>;
    /// `EnableKey` of the key `key_id` (key id or key ARN) in `region`.
    async fn enable_key(&self, region: &str, key_id: &str) -> ApiResult<()>;
}

/// EventBridge: the rules of a region's default event bus and their targets.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait EventsApi: Send + Sync {
    /// `ListRules` of the default event bus in `region` (all pages).
    async fn list_rules(&self, region: &str) -> ApiResult<Vec<EventRule>>;
    /// `ListTargetsByRule` of the rule `rule_name` of the default event bus
    /// in `region` (all pages).
    async fn list_targets_by_rule(
        &self,
        region: &str,
        rule_name: &str,
    ) -> ApiResult<Vec<RuleTarget>>;
    /// `PutRule` on the default event bus of `region`: creates the rule, or
    /// updates the one of that name; returns its ARN.
    async fn put_rule(&self, region: &str, rule: &EventRuleSpec) -> ApiResult<String>;
    /// `PutTargets`: adds the targets to the rule `rule_name` of the default
    /// event bus of `region`, replacing those with the same ids.
    async fn put_targets(
        &self,
        region: &str,
        rule_name: &str,
        targets: &[RuleTarget],
    ) -> ApiResult<()>;
}

/// A shared count of the requests a backend sent (every page and retry).
#[derive(Debug, Clone, Default)]
pub struct RequestCount(std::sync::Arc<std::sync::atomic::AtomicU64>);

impl RequestCount {
    /// Counts one request.
    pub fn add_one(&self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// Requests counted so far.
    pub fn get(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// A complete backend: one value that answers every service trait.
///
/// The AWS SDK backend, the in-memory backend and every wrapper of the
/// `layer` module implement it; [`Services::new`] turns one into the handles
/// the check and the remediation take.
pub trait Backend:
    AccountApi + TrailsApi + LogsApi + AlarmsApi + TopicsApi + KeysApi + EventsApi + 'static
{
    /// The backend's own count of the requests it sends (every page and
    /// retry), when it keeps one; wrappers pass the inner backend's through.
    fn request_count(&self) -> Option<RequestCount> {
        None
    }
}

/// One account's services, as the check and the remediation use them.
///
/// Built from one [`Backend`] with [`Services::new`]; wrappers stack on it with
/// `Services::layer`. [`Services::from_parts`] mixes implementations of the
/// single traits (mockall mocks, mostly).
#[derive(Clone)]
pub struct Services {
    /// STS.
    pub account: Arc<dyn AccountApi>,
    /// CloudTrail.
    pub trails: Arc<dyn TrailsApi>,
    /// CloudWatch Logs.
    pub logs: Arc<dyn LogsApi>,
    /// CloudWatch.
    pub alarms: Arc<dyn AlarmsApi>,
    /// SNS.
    pub topics: Arc<dyn TopicsApi>,
    /// KMS.
    pub keys: Arc<dyn KeysApi>,
    /// EventBridge.
    pub events: Arc<dyn EventsApi>,
    /// The backend's own count of the requests it sends, when it keeps one
    /// (the AWS SDK backend does); otherwise calls are counted per method.
    pub requests: Option<RequestCount>,
}

impl Services {
    /// The seven services of one backend.
    ///
    /// ```
    /// use kmswatch_core::api::Services;
    /// use kmswatch_core::memory::MemoryBackend;
    /// let services = Services::new(std::sync::Arc::new(MemoryBackend::new("111122223333", "us-east-1")));
    /// assert!(services.requests.is_none());
    /// ```
    pub fn new<B: Backend>(backend: Arc<B>) -> Self {
        Services {
            requests: backend.request_count(),
            account: backend.clone(),
            trails: backend.clone(),
            logs: backend.clone(),
            alarms: backend.clone(),
            topics: backend.clone(),
            keys: backend.clone(),
            events: backend,
        }
    }

    /// Services from one implementation per trait; no request count.
    pub fn from_parts(
        account: Arc<dyn AccountApi>,
        trails: Arc<dyn TrailsApi>,
        logs: Arc<dyn LogsApi>,
        alarms: Arc<dyn AlarmsApi>,
        topics: Arc<dyn TopicsApi>,
        keys: Arc<dyn KeysApi>,
        events: Arc<dyn EventsApi>,
    ) -> Self {
        Services {
            account,
            trails,
            logs,
            alarms,
            topics,
            keys,
            events,
            requests: None,
        }
    }
}
