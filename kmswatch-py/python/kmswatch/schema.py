"""The shapes of kmswatch's JSON documents, as ``TypedDict``\\ s.

Two families:

- what kmswatch returns: the report (``kmswatch check --format json``), the
  remediation plan, pattern coverage;
- what a backend returns (see :mod:`kmswatch.backend`): the AWS resources in
  the core's model, with the AWS API field names in snake_case. Optional keys
  may be left out or set to ``None``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Literal, Optional, TypedDict

Status = Literal["PASS", "FAIL", "ERROR", "MANUAL"]
Severity = Literal["fail", "error", "manual", "warning"]
EventCategory = Literal["target", "failed_attempt", "look_alike", "routine"]
PatternKind = Literal["empty", "terms", "regex", "json", "space_delimited"]

# --- the report ---------------------------------------------------------------


class _GapRequired(TypedDict):
    code: str
    severity: Severity
    message: str
    fix: str


class Gap(_GapRequired, total=False):
    """One thing wrong (or unknown) with a link of a chain."""

    resource: str


class _MetricRequired(TypedDict):
    namespace: str
    metric_name: str


class Metric(_MetricRequired, total=False):
    """A CloudWatch metric."""

    dimensions: Dict[str, str]


class _TopicLinkRequired(TypedDict):
    status: Status
    topic_arn: str
    gaps: List[Gap]


class TopicLink(_TopicLinkRequired, total=False):
    """A topic an alarm notifies."""

    confirmed_subscriptions: int


class AlarmLink(TypedDict):
    """An alarm and the topics it notifies."""

    status: Status
    alarm_name: str
    alarm_arn: str
    topics: List[TopicLink]
    gaps: List[Gap]


class _FilterLinkRequired(TypedDict):
    status: Status
    filter_name: str
    filter_pattern: str
    catches: List[str]
    misses: List[str]
    alarms: List[AlarmLink]
    gaps: List[Gap]


class FilterLink(_FilterLinkRequired, total=False):
    """A metric filter and the alarms on its metric."""

    canonical_pattern: str
    metric: Metric
    routine_matches: List[str]


class _ChainRequired(TypedDict):
    status: Status
    trail_arn: str
    trail_name: str
    home_region: str
    metric_filters: List[FilterLink]
    gaps: List[Gap]


class Chain(_ChainRequired, total=False):
    """One trail's monitoring chain."""

    log_group_arn: str


class CisPatternCheck(TypedDict):
    """Whether the exact CIS / Security Hub CloudWatch.7 pattern is in use."""

    exact: bool
    filters: List[str]
    message: str


class _MonitorTargetRequired(TypedDict):
    arn: str
    kind: str
    status: Status
    gaps: List[Gap]


class MonitorTarget(_MonitorTargetRequired, total=False):
    """A target of a monitoring rule: ``kind`` is the service of its ARN
    (``sns``, ``lambda``, ``sqs``, ``events``...)."""

    confirmed_subscriptions: int


class _MonitorRequired(TypedDict):
    kind: str
    region: str
    rule: Optional[str]
    catches: List[str]
    targets: List[MonitorTarget]
    status: Status
    gaps: List[Gap]


class Monitor(_MonitorRequired, total=False):
    """One region's monitoring besides the CIS chain: ``kind`` ``eventbridge``,
    the best rule of the region's default event bus (``None``: none matches)."""

    rule_arn: str


class _ReportRequired(TypedDict):

    schema: str
    status: Status
    summary: str
    account_id: str
    region: str
    chains: List[Chain]
    gaps: List[Gap]
    cis_pattern: CisPatternCheck
    warnings: List[Gap]
    api_calls: Optional[int]
    kmswatch_version: str
    generated_at: Optional[str]


class ReportDict(_ReportRequired, total=False):
    """``kmswatch check --format json`` (``kmswatch.report/v1``); ``keys``
    only with ``check(keys=True)`` (``kmswatch check --keys``)."""

    captured_at: str
    monitored_by: List[Monitor]
    accepted_by: str
    keys: Dict[str, Any]


# --- pattern coverage -----------------------------------------------------------


class EventOutcome(TypedDict):
    """The verdict of a pattern on one corpus event."""

    id: str
    category: EventCategory
    event_name: str
    event_source: str
    description: str
    matched: bool


class Coverage(TypedDict):
    """What a pattern catches of the KMS key lifecycle corpus."""

    pattern: str
    events: List[EventOutcome]
    complete: bool
    missed_target_event_names: List[str]


# --- the remediation plan -------------------------------------------------------


class PendingSubscription(TypedDict):
    """A subscription that must be confirmed before alerts reach anyone."""

    topic_arn: str
    protocol: str
    endpoint: str
    created_by_plan: bool


# An action is tagged by its ``"action"`` key: ``create_topic``,
# ``merge_topic_policy``, ``subscribe``, ``put_metric_filter``, ``put_metric_alarm``.
Action = Dict[str, Any]


class _PlanRequired(TypedDict):
    schema: str
    account_id: str
    region: str
    status_before: Status
    actions: List[Action]
    unchanged: List[str]
    pending_confirmation: List[PendingSubscription]
    notes: List[str]
    kmswatch_version: str
    generated_at: Optional[str]


class PlanDict(_PlanRequired, total=False):
    """The remediation plan (``kmswatch.plan/v1``), with its preview when
    :func:`kmswatch.plan` made it."""

    trail_arn: str
    log_group_arn: str
    diff: List[str]
    predicted_status: Status
    predicted_status_once_confirmed: Status


class RemediationDict(PlanDict, total=False):
    """A remediation: the plan, its preview, and what applying did (``applied``,
    ``status_after`` and ``diff`` are always there)."""

    applied: bool
    status_after: Optional[Status]
    summary_after: str


# --- what a backend returns -----------------------------------------------------


class _TrailRequired(TypedDict):
    name: str
    trail_arn: str
    home_region: str


class Trail(_TrailRequired, total=False):
    """A trail as ``DescribeTrails`` (shadow trails included) returns it."""

    is_multi_region_trail: bool
    is_organization_trail: bool
    cloud_watch_logs_log_group_arn: Optional[str]
    cloud_watch_logs_role_arn: Optional[str]
    has_custom_event_selectors: bool


class _TrailStatusRequired(TypedDict):
    is_logging: bool


class TrailStatus(_TrailStatusRequired, total=False):
    """``GetTrailStatus``; the delivery time is RFC 3339."""

    latest_cloud_watch_logs_delivery_error: Optional[str]
    latest_cloud_watch_logs_delivery_time: Optional[str]


class _EventSelectorRequired(TypedDict):
    read_write_type: Literal["All", "ReadOnly", "WriteOnly"]
    include_management_events: bool


class EventSelector(_EventSelectorRequired, total=False):
    """A classic event selector."""

    exclude_management_event_sources: List[str]


class _FieldSelectorRequired(TypedDict):
    field: str


class FieldSelector(_FieldSelectorRequired, total=False):
    """One condition of an advanced event selector."""

    equals: List[str]
    not_equals: List[str]
    starts_with: List[str]
    not_starts_with: List[str]
    ends_with: List[str]
    not_ends_with: List[str]


class _AdvancedEventSelectorRequired(TypedDict):
    field_selectors: List[FieldSelector]


class AdvancedEventSelector(_AdvancedEventSelectorRequired, total=False):
    """An advanced event selector."""

    name: Optional[str]


class EventSelectors(TypedDict, total=False):
    """``GetEventSelectors``: classic or advanced selectors."""

    event_selectors: List[EventSelector]
    advanced_event_selectors: List[AdvancedEventSelector]


class LogGroup(TypedDict):
    """A log group; ``arn`` without the trailing ``:*``."""

    log_group_name: str
    arn: str


class _MetricTransformationRequired(TypedDict):
    metric_name: str
    metric_namespace: str
    metric_value: str


class MetricTransformation(_MetricTransformationRequired, total=False):
    """What a metric filter publishes."""

    default_value: Optional[float]
    dimensions: Dict[str, str]
    unit: Optional[str]


class MetricFilter(TypedDict):
    """A metric filter."""

    filter_name: str
    log_group_name: str
    filter_pattern: str
    metric_transformations: List[MetricTransformation]


class _MetricStatRequired(TypedDict):
    metric: Metric
    period: int
    stat: str


class MetricStat(_MetricStatRequired, total=False):
    """The ``MetricStat`` of a metric-math query."""

    unit: Optional[str]


class _MetricDataQueryRequired(TypedDict):
    id: str


class MetricDataQuery(_MetricDataQueryRequired, total=False):
    """One query of a metric-math alarm."""

    expression: Optional[str]
    metric_stat: Optional[MetricStat]
    return_data: Optional[bool]
    account_id: Optional[str]


class _AlarmRequired(TypedDict):
    alarm_name: str
    alarm_arn: str
    comparison_operator: str
    evaluation_periods: int


class Alarm(_AlarmRequired, total=False):
    """A metric alarm as ``DescribeAlarms`` returns it (``tags`` only when writing)."""

    alarm_actions: List[str]
    ok_actions: List[str]
    insufficient_data_actions: List[str]
    metric: Optional[Metric]
    statistic: Optional[str]
    extended_statistic: Optional[str]
    period: Optional[int]
    metrics: List[MetricDataQuery]
    threshold: Optional[float]
    datapoints_to_alarm: Optional[int]
    treat_missing_data: Optional[str]
    state_value: Optional[str]
    state_updated_timestamp: Optional[str]
    actions_enabled: Optional[bool]
    unit: Optional[str]
    alarm_description: Optional[str]
    tags: Dict[str, str]


class _CompositeAlarmRequired(TypedDict):
    alarm_name: str
    alarm_arn: str
    alarm_rule: str


class CompositeAlarm(_CompositeAlarmRequired, total=False):
    """A composite alarm as ``DescribeAlarms`` returns it."""

    actions_enabled: Optional[bool]
    alarm_actions: List[str]
    actions_suppressor: Optional[str]
    alarm_description: Optional[str]
    state_value: Optional[str]
    state_updated_timestamp: Optional[str]


class _TopicAttributesRequired(TypedDict):
    topic_arn: str


class TopicAttributes(_TopicAttributesRequired, total=False):
    """The topic attributes the decision uses."""

    kms_master_key_id: Optional[str]
    policy: Optional[str]


class _SubscriptionAttributesRequired(TypedDict):
    subscription_arn: str


class SubscriptionAttributes(_SubscriptionAttributesRequired, total=False):
    """What ``GetSubscriptionAttributes`` says about delivery; a missing
    ``pending_confirmation`` is unknown."""

    pending_confirmation: Optional[bool]
    filter_policy: Optional[str]
    filter_policy_scope: Optional[str]


class _KeyRequired(TypedDict):
    key_id: str
    arn: str


class Key(_KeyRequired, total=False):
    """A KMS key as ``DescribeKey`` returns it: ``key_manager`` is ``AWS`` or
    ``CUSTOMER``, ``key_state`` ``Enabled``, ``Disabled``, ``PendingDeletion``..."""

    key_manager: Optional[str]
    key_state: Optional[str]
    deletion_date: Optional[str]
    pending_deletion_window_in_days: Optional[int]
    multi_region: Optional[bool]
    multi_region_key_type: Optional[str]
    primary_key_arn: Optional[str]
    replica_key_arns: List[str]
    description: Optional[str]


class _AliasRequired(TypedDict):
    alias_name: str


class Alias(_AliasRequired, total=False):
    """A KMS alias as ``ListAliases`` returns it."""

    target_key_id: Optional[str]


class _TrailEventRequired(TypedDict):
    event_id: str
    event_name: str
    event_time: str


class TrailEvent(_TrailEventRequired, total=False):
    """One event of CloudTrail's event history (``LookupEvents``):
    ``event_time`` is RFC 3339, ``cloud_trail_event`` the record's JSON text."""

    username: Optional[str]
    cloud_trail_event: Optional[str]


class _EventRuleRequired(TypedDict):
    name: str
    arn: str


class EventRule(_EventRuleRequired, total=False):
    """An EventBridge rule of a region's default event bus, as ``ListRules``
    returns it: ``state`` is ``ENABLED``, ``DISABLED`` or
    ``ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS``, ``event_pattern`` the
    pattern's JSON text (absent for a scheduled rule)."""

    event_bus_name: str
    state: Optional[str]
    event_pattern: Optional[str]


class _RuleTargetRequired(TypedDict):
    id: str
    arn: str


class RuleTarget(_RuleTargetRequired, total=False):
    """A target of an EventBridge rule, as ``ListTargetsByRule`` returns it;
    ``transforms_input`` is true when it has ``Input``, ``InputPath`` or
    ``InputTransformer``."""

    transforms_input: bool


class _EventRuleSpecRequired(TypedDict):
    name: str
    event_pattern: str
    state: str


class EventRuleSpec(_EventRuleSpecRequired, total=False):
    """A rule of the default event bus as ``PutRule`` writes it
    (``remediate(via="eventbridge")``); ``tags`` apply when it is created."""

    description: Optional[str]
    tags: Dict[str, str]


class Subscription(TypedDict):
    """A subscription; ``subscription_arn`` is ``PendingConfirmation`` until confirmed."""

    subscription_arn: str
    protocol: str
    endpoint: str
