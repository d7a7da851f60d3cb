"""The backend protocols: what an object passed as ``backend=`` must implement.

kmswatch reads (and, for ``remediate(apply=True)``, writes) an account only
through these methods; they are the Rust core's service traits, method for
method. Any object with them will do — :class:`kmswatch.adapters.Boto3Backend`,
an inventory of a pipeline, a test double. Methods return plain dicts and
lists shaped as the :mod:`kmswatch.schema` types (extra keys are ignored;
datetimes are converted with ``str``).

Errors: raise any exception. A ``botocore.exceptions.ClientError`` keeps its
AWS error code (``AccessDeniedException`` makes the chain MANUAL, as with the
AWS SDK); any other exception's class name is its code. A failed call is
recorded in the report like a failed AWS call, except ``account_id``, whose
failure raises :class:`kmswatch.AwsError`.

Calls are made one at a time, from the thread that called kmswatch, with the
GIL held.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Protocol, runtime_checkable

from kmswatch.schema import (
    Alarm,
    Alias,
    CompositeAlarm,
    EventRule,
    EventRuleSpec,
    EventSelectors,
    Key,
    LogGroup,
    Metric,
    MetricFilter,
    RuleTarget,
    Subscription,
    SubscriptionAttributes,
    TopicAttributes,
    Trail,
    TrailEvent,
    TrailStatus,
)


@runtime_checkable
class AccountApi(Protocol):
    """STS."""

    def account_id(self) -> str:
        """The account id of the caller (``GetCallerIdentity``)."""
        ...


@runtime_checkable
class TrailsApi(Protocol):
    """CloudTrail."""

    def describe_trails(self, region: str) -> List[Trail]:
        """``DescribeTrails`` in ``region``, shadow trails included."""
        ...

    def get_trail_status(self, region: str, trail_arn: str) -> TrailStatus:
        """``GetTrailStatus``, called in the trail's home region."""
        ...

    def get_event_selectors(self, region: str, trail_arn: str) -> EventSelectors:
        """``GetEventSelectors``, called in the trail's home region."""
        ...


@runtime_checkable
class LogsApi(Protocol):
    """CloudWatch Logs."""

    def describe_log_group(self, region: str, name: str) -> Optional[LogGroup]:
        """The log group named exactly ``name``, or ``None`` when there is none."""
        ...

    def describe_metric_filters(self, region: str, log_group_name: str) -> List[MetricFilter]:
        """Every metric filter of a log group (all pages)."""
        ...

    def put_metric_filter(self, region: str, filter: MetricFilter) -> None:
        """``PutMetricFilter``: creates or replaces the filter of that name."""
        ...


@runtime_checkable
class AlarmsApi(Protocol):
    """CloudWatch alarms."""

    def describe_alarms(self, region: str) -> List[Alarm]:
        """Every metric alarm in ``region`` (all pages)."""
        ...

    def describe_composite_alarms(self, region: str) -> List[CompositeAlarm]:
        """Every composite alarm in ``region`` (``DescribeAlarms`` with
        ``AlarmTypes=["CompositeAlarm"]``, all pages)."""
        ...

    def describe_alarms_for_metric(self, region: str, metric: Metric) -> List[Alarm]:
        """``DescribeAlarmsForMetric``: the metric alarms on exactly ``metric``
        (namespace, name and dimensions) in ``region``, in one request. A
        backend without this method still works: the check then lists the
        region's alarms with ``describe_alarms``."""
        ...

    def put_metric_alarm(self, region: str, alarm: Alarm) -> None:
        """``PutMetricAlarm``: creates or replaces the alarm of that name, tags included."""
        ...


@runtime_checkable
class TopicsApi(Protocol):
    """SNS. Topic calls go to the region of the topic ARN."""

    def get_topic_attributes(self, topic_arn: str) -> Optional[TopicAttributes]:
        """``GetTopicAttributes``; ``None`` when the topic does not exist."""
        ...

    def list_subscriptions_by_topic(self, topic_arn: str) -> List[Subscription]:
        """Every subscription of the topic (all pages)."""
        ...

    def create_topic(self, region: str, name: str, tags: Dict[str, str]) -> str:
        """``CreateTopic``; returns the topic ARN."""
        ...

    def subscribe(self, topic_arn: str, protocol: str, endpoint: str) -> str:
        """``Subscribe``; returns the subscription ARN or ``pending confirmation``."""
        ...

    def set_topic_policy(self, topic_arn: str, policy: str) -> None:
        """``SetTopicAttributes`` with ``Policy``."""
        ...

    def get_subscription_attributes(self, subscription_arn: str) -> Optional[SubscriptionAttributes]:
        """``GetSubscriptionAttributes`` of a confirmed subscription (in the region
        of its ARN); ``None`` when it no longer exists."""
        ...

    def set_topic_kms_key(self, topic_arn: str, key_id: str) -> None:
        """``SetTopicAttributes`` with ``KmsMasterKeyId`` (``remediate(kms_key=...)``)."""
        ...


@runtime_checkable
class KeysApi(Protocol):
    """KMS, read only: the key an alert topic is encrypted with. Called in the
    topic's region, only for topics encrypted with a key that is not
    ``alias/aws/sns``."""

    def describe_key(self, region: str, key_id: str) -> Optional[Key]:
        """``DescribeKey`` of a key id, key ARN, alias name or alias ARN;
        ``None`` when there is no such key."""
        ...

    def get_key_policy(self, region: str, key_id: str) -> str:
        """``GetKeyPolicy`` (policy name ``default``) of a key id or key ARN:
        the policy document's text."""
        ...


@runtime_checkable
class EventsApi(Protocol):
    """EventBridge, read only: the rules of a region's default event bus and
    their targets, read only when the metric-filter chain does not pass.
    Optional: a backend without these methods leaves EventBridge monitoring
    unknown (``monitored_by`` says ERROR), and the verdict as it is."""

    def list_rules(self, region: str) -> List[EventRule]:
        """``ListRules`` of the default event bus in ``region`` (all pages)."""
        ...

    def list_targets_by_rule(self, region: str, rule_name: str) -> List[RuleTarget]:
        """``ListTargetsByRule`` of a rule of the default event bus (all pages)."""
        ...


@runtime_checkable
class EventsWriteApi(Protocol):
    """EventBridge writes, for ``remediate(via="eventbridge", apply=True)``
    only. Optional: without them that remediation fails at its first rule."""

    def put_rule(self, region: str, rule: EventRuleSpec) -> str:
        """``PutRule`` on the default event bus of ``region``; the rule's ARN."""
        ...

    def put_targets(self, region: str, rule_name: str, targets: List[RuleTarget]) -> None:
        """``PutTargets`` of a rule of the default event bus; a target AWS
        reports as failed raises."""
        ...


@runtime_checkable
class KeysAtRiskApi(Protocol):
    """What ``keys``, ``history`` and ``respond`` call besides ``account_id``
    and ``describe_key``: KMS keys and aliases, CloudTrail's event history,
    and the two writes of ``respond(..., apply=True)``."""

    def list_keys(self, region: str) -> List[str]:
        """``ListKeys`` in ``region``, every page: each key's ARN."""
        ...

    def list_aliases(self, region: str) -> List[Alias]:
        """``ListAliases`` in ``region``, every page."""
        ...

    def cancel_key_deletion(self, region: str, key_id: str) -> None:
        """``CancelKeyDeletion`` of a key id or key ARN."""
        ...

    def enable_key(self, region: str, key_id: str) -> None:
        """``EnableKey`` of a key id or key ARN."""
        ...

    def lookup_events(self, region: str, event_name: str, start_time: str, end_time: str) -> List[TrailEvent]:
        """``LookupEvents`` in ``region`` with the lookup attribute ``EventName``
        = ``event_name`` between two RFC 3339 times, every page
        (``kmswatch.history``)."""
        ...


@runtime_checkable
class ReadOnlyBackend(AccountApi, TrailsApi, Protocol):
    """What ``check``, ``snapshot`` and ``plan`` call (the write methods are
    only called by ``remediate(apply=True)``): every method of the six
    protocols except ``put_metric_filter``, ``put_metric_alarm``,
    ``create_topic``, ``subscribe``, ``set_topic_policy`` and ``set_topic_kms_key``."""

    def describe_log_group(self, region: str, name: str) -> Optional[LogGroup]: ...

    def describe_metric_filters(self, region: str, log_group_name: str) -> List[MetricFilter]: ...

    def describe_alarms(self, region: str) -> List[Alarm]: ...

    def describe_composite_alarms(self, region: str) -> List[CompositeAlarm]: ...

    def describe_alarms_for_metric(self, region: str, metric: Metric) -> List[Alarm]: ...

    def get_topic_attributes(self, topic_arn: str) -> Optional[TopicAttributes]: ...

    def list_subscriptions_by_topic(self, topic_arn: str) -> List[Subscription]: ...

    def get_subscription_attributes(self, subscription_arn: str) -> Optional[SubscriptionAttributes]: ...

    def describe_key(self, region: str, key_id: str) -> Optional[Key]: ...

    def get_key_policy(self, region: str, key_id: str) -> str: ...


@runtime_checkable
class Backend(AccountApi, TrailsApi, LogsApi, AlarmsApi, TopicsApi, KeysApi, Protocol):
    """A whole account: all six protocols. ``region`` (optional attribute) is
    the default region of ``check(backend=...)``."""
