//! The service traits answered by a Python object: any object with the methods
//! of the `kmswatch.backend` protocols (`kmswatch.adapters.Boto3Backend`, a
//! pipeline's own inventory...). Each call attaches to the interpreter, calls
//! the method of the same name as the trait method, and converts the result
//! through JSON into the model type.

use crate::convert::{from_python, to_python};
use async_trait::async_trait;
use kmswatch_core::api::{
    metric_resource, AccountApi, AlarmsApi, ApiError, ApiErrorKind, ApiResult, Backend, EventsApi,
    KeysApi, LogsApi, Services, TopicsApi, TrailsApi, COMPOSITE_ALARMS,
};
use kmswatch_core::model::{
    Alarm, Alias, Arn, CompositeAlarm, EventRule, EventRuleSpec, EventSelectors, Key, LogGroup,
    Metric, MetricFilter, RuleTarget, Subscription, SubscriptionAttributes, TopicAttributes, Trail,
    TrailEvent, TrailStatus,
};
use kmswatch_core::operation::Operation;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A Python object implementing the backend protocols.
pub struct PyBackend {
    object: Py<PyAny>,
}

impl Backend for PyBackend {}

impl PyBackend {
    /// The services of `object`.
    pub fn services(object: Py<PyAny>) -> Services {
        Services::new(Arc::new(PyBackend { object }))
    }

    /// Calls `call.method(*args)` on the object and converts its result; a
    /// failure names the AWS operation, region and resource as the SDK
    /// backend's errors do.
    fn call<T: DeserializeOwned>(&self, call: Call<'_>, args: &[Value]) -> ApiResult<T> {
        let Call {
            operation,
            method,
            region,
            resource,
        } = call;
        let result = Python::attach(|py| {
            let result = args
                .iter()
                .map(|a| to_python(py, a))
                .collect::<PyResult<Vec<_>>>()
                .and_then(|args| PyTuple::new(py, args))
                .and_then(|args| self.object.bind(py).call_method1(method, args));
            match result {
                Ok(value) => from_python(&value).map_err(|message| {
                    ApiError::new(
                        operation,
                        ApiErrorKind::Other,
                        "InvalidBackendResponse",
                        format!("{method}() returned a value of the wrong shape: {message}"),
                    )
                }),
                Err(err) => Err(api_error_of(py, operation, &err)),
            }
        });
        result.map_err(|mut e| {
            e.region = region.map(str::to_owned);
            e.resource = resource.map(str::to_owned);
            e
        })
    }
}

/// One call: the AWS operation, the protocol method, and what it is about.
struct Call<'a> {
    operation: Operation,
    method: &'a str,
    region: Option<&'a str>,
    resource: Option<&'a str>,
}

impl<'a> Call<'a> {
    fn new(
        operation: Operation,
        method: &'a str,
        region: &'a str,
        resource: Option<&'a str>,
    ) -> Self {
        Call {
            operation,
            method,
            region: Some(region),
            resource,
        }
    }

    /// An SNS call, in the topic's region.
    fn topic(operation: Operation, method: &'a str, topic_arn: &'a str) -> Self {
        Call {
            operation,
            method,
            region: Arn::parse(topic_arn).map(|a| a.region),
            resource: Some(topic_arn),
        }
    }
}

/// A Python exception as an `ApiError`: the code of a botocore `ClientError`
/// (`err.response["Error"]["Code"]`), else the exception's class name.
fn api_error_of(py: Python<'_>, operation: Operation, err: &PyErr) -> ApiError {
    let value = err.value(py);
    let client_error = value
        .getattr("response")
        .and_then(|r| r.get_item("Error"))
        .ok();
    let field = |name: &str| -> Option<String> {
        client_error
            .as_ref()?
            .get_item(name)
            .ok()?
            .extract::<String>()
            .ok()
    };
    let code = field("Code").unwrap_or_else(|| {
        err.get_type(py)
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "Exception".to_owned())
    });
    let message =
        field("Message").unwrap_or_else(|| value.str().map(|s| s.to_string()).unwrap_or_default());
    ApiError::new(operation, ApiError::kind_of_code(&code), code, message)
}

#[async_trait]
impl AccountApi for PyBackend {
    async fn account_id(&self) -> ApiResult<String> {
        self.call(
            Call {
                operation: Operation::GetCallerIdentity,
                method: "account_id",
                region: None,
                resource: None,
            },
            &[],
        )
    }
}

#[async_trait]
impl TrailsApi for PyBackend {
    async fn describe_trails(&self, region: &str) -> ApiResult<Vec<Trail>> {
        self.call(
            Call::new(Operation::DescribeTrails, "describe_trails", region, None),
            &[json!(region)],
        )
    }

    async fn get_trail_status(&self, region: &str, trail_arn: &str) -> ApiResult<TrailStatus> {
        self.call(
            Call::new(
                Operation::GetTrailStatus,
                "get_trail_status",
                region,
                Some(trail_arn),
            ),
            &[json!(region), json!(trail_arn)],
        )
    }

    async fn get_event_selectors(
        &self,
        region: &str,
        trail_arn: &str,
    ) -> ApiResult<EventSelectors> {
        self.call(
            Call::new(
                Operation::GetEventSelectors,
                "get_event_selectors",
                region,
                Some(trail_arn),
            ),
            &[json!(region), json!(trail_arn)],
        )
    }

    async fn lookup_events(
        &self,
        region: &str,
        event_name: &str,
        start_time: &str,
        end_time: &str,
    ) -> ApiResult<Vec<TrailEvent>> {
        self.call(
            Call::new(
                Operation::LookupEvents,
                "lookup_events",
                region,
                Some(event_name),
            ),
            &[
                json!(region),
                json!(event_name),
                json!(start_time),
                json!(end_time),
            ],
        )
    }
}

#[async_trait]
impl LogsApi for PyBackend {
    async fn describe_log_group(&self, region: &str, name: &str) -> ApiResult<Option<LogGroup>> {
        self.call(
            Call::new(
                Operation::DescribeLogGroups,
                "describe_log_group",
                region,
                Some(name),
            ),
            &[json!(region), json!(name)],
        )
    }

    async fn describe_metric_filters(
        &self,
        region: &str,
        log_group_name: &str,
    ) -> ApiResult<Vec<MetricFilter>> {
        self.call(
            Call::new(
                Operation::DescribeMetricFilters,
                "describe_metric_filters",
                region,
                Some(log_group_name),
            ),
            &[json!(region), json!(log_group_name)],
        )
    }

    async fn put_metric_filter(&self, region: &str, filter: &MetricFilter) -> ApiResult<()> {
        let resource = format!("{}/{}", filter.log_group_name, filter.filter_name);
        self.call::<IgnoredAny>(
            Call::new(
                Operation::PutMetricFilter,
                "put_metric_filter",
                region,
                Some(&resource),
            ),
            &[json!(region), json!(filter)],
        )
        .map(drop)
    }
}

#[async_trait]
impl AlarmsApi for PyBackend {
    async fn describe_alarms(&self, region: &str) -> ApiResult<Vec<Alarm>> {
        self.call(
            Call::new(Operation::DescribeAlarms, "describe_alarms", region, None),
            &[json!(region)],
        )
    }

    async fn put_metric_alarm(&self, region: &str, alarm: &Alarm) -> ApiResult<()> {
        self.call::<IgnoredAny>(
            Call::new(
                Operation::PutMetricAlarm,
                "put_metric_alarm",
                region,
                Some(&alarm.alarm_name),
            ),
            &[json!(region), json!(alarm)],
        )
        .map(drop)
    }

    async fn describe_composite_alarms(&self, region: &str) -> ApiResult<Vec<CompositeAlarm>> {
        self.call(
            Call::new(
                Operation::DescribeAlarms,
                "describe_composite_alarms",
                region,
                Some(COMPOSITE_ALARMS),
            ),
            &[json!(region)],
        )
    }

    async fn describe_alarms_for_metric(
        &self,
        region: &str,
        metric: &Metric,
    ) -> ApiResult<Vec<Alarm>> {
        let resource = metric_resource(metric);
        self.call(
            Call::new(
                Operation::DescribeAlarmsForMetric,
                "describe_alarms_for_metric",
                region,
                Some(&resource),
            ),
            &[json!(region), json!(metric)],
        )
    }
}

#[async_trait]
impl TopicsApi for PyBackend {
    async fn get_topic_attributes(&self, topic_arn: &str) -> ApiResult<Option<TopicAttributes>> {
        self.call(
            Call::topic(
                Operation::GetTopicAttributes,
                "get_topic_attributes",
                topic_arn,
            ),
            &[json!(topic_arn)],
        )
    }

    async fn list_subscriptions_by_topic(&self, topic_arn: &str) -> ApiResult<Vec<Subscription>> {
        self.call(
            Call::topic(
                Operation::ListSubscriptionsByTopic,
                "list_subscriptions_by_topic",
                topic_arn,
            ),
            &[json!(topic_arn)],
        )
    }

    async fn create_topic(
        &self,
        region: &str,
        name: &str,
        tags: &BTreeMap<String, String>,
    ) -> ApiResult<String> {
        self.call(
            Call::new(Operation::CreateTopic, "create_topic", region, Some(name)),
            &[json!(region), json!(name), json!(tags)],
        )
    }

    async fn subscribe(
        &self,
        topic_arn: &str,
        protocol: &str,
        endpoint: &str,
    ) -> ApiResult<String> {
        self.call(
            Call::topic(Operation::Subscribe, "subscribe", topic_arn),
            &[json!(topic_arn), json!(protocol), json!(endpoint)],
        )
    }

    async fn set_topic_policy(&self, topic_arn: &str, policy: &str) -> ApiResult<()> {
        self.call::<IgnoredAny>(
            Call::topic(Operation::SetTopicAttributes, "set_topic_policy", topic_arn),
            &[json!(topic_arn), json!(policy)],
        )
        .map(drop)
    }

    async fn get_subscription_attributes(
        &self,
        subscription_arn: &str,
    ) -> ApiResult<Option<SubscriptionAttributes>> {
        self.call(
            Call::topic(
                Operation::GetSubscriptionAttributes,
                "get_subscription_attributes",
                subscription_arn,
            ),
            &[json!(subscription_arn)],
        )
    }

    async fn set_topic_kms_key(&self, topic_arn: &str, key_id: &str) -> ApiResult<()> {
        self.call::<IgnoredAny>(
            Call::topic(
                Operation::SetTopicAttributes,
                "set_topic_kms_key",
                topic_arn,
            ),
            &[json!(topic_arn), json!(key_id)],
        )
        .map(drop)
    }
}

#[async_trait]
impl KeysApi for PyBackend {
    async fn describe_key(&self, region: &str, key_id: &str) -> ApiResult<Option<Key>> {
        self.call(
            Call::new(Operation::DescribeKey, "describe_key", region, Some(key_id)),
            &[json!(region), json!(key_id)],
        )
    }

    async fn get_key_policy(&self, region: &str, key_id: &str) -> ApiResult<String> {
        self.call(
            Call::new(
                Operation::GetKeyPolicy,
                "get_key_policy",
                region,
                Some(key_id),
            ),
            &[json!(region), json!(key_id)],
        )
    }
    async fn list_keys(&self, region: &str) -> ApiResult<Vec<String>> {
        self.call(
            Call::new(Operation::ListKeys, "list_keys", region, None),
            &[json!(region)],
        )
    }

    async fn list_aliases(&self, region: &str) -> ApiResult<Vec<Alias>> {
        self.call(
            Call::new(Operation::ListAliases, "list_aliases", region, None),
            &[json!(region)],
        )
    }

    async fn cancel_key_deletion(&self, region: &str, key_id: &str) -> ApiResult<()> {
        self.call::<IgnoredAny>(
            Call::new(
                Operation::CancelKeyDeletion,
                "cancel_key_deletion",
                region,
                Some(key_id),
            ),
            &[json!(region), json!(key_id)],
        )
        .map(drop)
    }

    async fn enable_key(&self, region: &str, key_id: &str) -> ApiResult<()> {
        self.call::<IgnoredAny>(
            Call::new(Operation::EnableKey, "enable_key", region, Some(key_id)),
            &[json!(region), json!(key_id)],
        )
        .map(drop)
    }
}

#[async_trait]
impl EventsApi for PyBackend {
    async fn list_rules(&self, region: &str) -> ApiResult<Vec<EventRule>> {
        self.call(
            Call::new(Operation::ListRules, "list_rules", region, None),
            &[json!(region)],
        )
    }

    async fn list_targets_by_rule(
        &self,
        region: &str,
        rule_name: &str,
    ) -> ApiResult<Vec<RuleTarget>> {
        self.call(
            Call::new(
                Operation::ListTargetsByRule,
                "list_targets_by_rule",
                region,
                Some(rule_name),
            ),
            &[json!(region), json!(rule_name)],
        )
    }

    async fn put_rule(&self, region: &str, rule: &EventRuleSpec) -> ApiResult<String> {
        self.call(
            Call::new(Operation::PutRule, "put_rule", region, Some(&rule.name)),
            &[json!(region), json!(rule)],
        )
    }

    async fn put_targets(
        &self,
        region: &str,
        rule_name: &str,
        targets: &[RuleTarget],
    ) -> ApiResult<()> {
        self.call::<IgnoredAny>(
            Call::new(
                Operation::PutTargets,
                "put_targets",
                region,
                Some(rule_name),
            ),
            &[json!(region), json!(rule_name), json!(targets)],
        )
        .map(drop)
    }
}
