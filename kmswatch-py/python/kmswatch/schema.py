"""The shapes of kmswatch's JSON documents, as ``TypedDict``\\ s.

Two families:

- what kmswatch returns: the report (``kmswatch check --format json``), the
  remediation plan, the other documents (scan, error, keys, history, respond,
  recommendation), the pattern documents (``kmswatch pattern explain`` and
  the summary of ``kmswatch pattern test``) and pattern coverage;
- what a backend returns (see :mod:`kmswatch.backend`): the AWS resources in
  the core's model, with the AWS API field names in snake_case. Optional keys
  may be left out or set to ``None``.

The types of the documents and of the resources they hold are generated from
the documents' JSON Schemas (:mod:`kmswatch._types`, see
``kmswatch.json_schema``); the rest are written here.
"""

from __future__ import annotations

from typing import Optional, TypedDict

from kmswatch._types.error_v1 import ErrorDetail, ErrorDocument
from kmswatch._types.facts_v1 import (
    AdvancedEventSelector,
    Alarm,
    CompositeAlarm,
    EventSelector,
    EventSelectors,
    Facts,
    FieldSelector,
    Key,
    MetricDataQuery,
    MetricFilter,
    MetricStat,
    MetricTransformation,
    RuleTarget,
    Subscription,
    SubscriptionAttributes,
    TopicAttributes,
    TrailStatus,
)
from kmswatch._types.history_v1 import HistoryDocument
from kmswatch._types.keys_v1 import KeysDocument
from kmswatch._types.pattern_sql_v1 import Dialect as SqlDialect
from kmswatch._types.pattern_sql_v1 import SqlQuery as PatternSql
from kmswatch._types.pattern_test_v1 import InputError
from kmswatch._types.pattern_test_v1 import Summary as PatternTestSummary
from kmswatch._types.pattern_v1 import Coverage, EventCategory, EventOutcome, PatternKind, RequiredLiterals
from kmswatch._types.pattern_v1 import Explanation as PatternExplanation
from kmswatch._types.plan_v1 import Action, EventRuleSpec, PendingSubscription, PlanDocument
from kmswatch._types.plan_v1 import Plan as PlanDict
from kmswatch._types.plan_v1 import Remediation as RemediationDict
from kmswatch._types.recommendation_v1 import Recommendation
from kmswatch._types.report_v1 import (
    AlarmLink,
    Chain,
    CisPatternCheck,
    ControlVerdict,
    FilterLink,
    Gap,
    Metric,
    Monitor,
    MonitorTarget,
    Severity,
    Status,
    TopicLink,
)
from kmswatch._types.report_v1 import Report as ReportDict
from kmswatch._types.respond_v1 import RespondOutcome
from kmswatch._types.scan_v1 import ScanDocument

__all__ = [
    "Action",
    "ControlVerdict",
    "AdvancedEventSelector",
    "Alarm",
    "AlarmLink",
    "Alias",
    "Chain",
    "CisPatternCheck",
    "CompositeAlarm",
    "Coverage",
    "ErrorDetail",
    "ErrorDocument",
    "EventCategory",
    "EventOutcome",
    "EventRule",
    "EventRuleSpec",
    "EventSelector",
    "EventSelectors",
    "Facts",
    "FieldSelector",
    "FilterLink",
    "Gap",
    "HistoryDocument",
    "InputError",
    "Key",
    "KeysDocument",
    "LogGroup",
    "Metric",
    "MetricDataQuery",
    "MetricFilter",
    "MetricStat",
    "MetricTransformation",
    "Monitor",
    "MonitorTarget",
    "PatternExplanation",
    "PatternKind",
    "PatternSql",
    "PatternTestSummary",
    "PendingSubscription",
    "PlanDict",
    "PlanDocument",
    "Recommendation",
    "RemediationDict",
    "ReportDict",
    "RequiredLiterals",
    "RespondOutcome",
    "RuleTarget",
    "ScanDocument",
    "Severity",
    "SqlDialect",
    "Status",
    "Subscription",
    "SubscriptionAttributes",
    "TopicAttributes",
    "TopicLink",
    "Trail",
    "TrailEvent",
    "TrailStatus",
]

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


class LogGroup(TypedDict):
    """A log group; ``arn`` without the trailing ``:*``."""

    log_group_name: str
    arn: str


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
