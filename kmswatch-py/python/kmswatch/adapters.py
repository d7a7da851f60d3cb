"""Backends for ``check(backend=...)`` built on libraries a pipeline already uses.

:class:`Boto3Backend` answers every method of :class:`kmswatch.backend.Backend`
with boto3 clients of a session — a pipeline's own session (assumed role,
custom retries...), or any session under ``moto.mock_aws``. It makes the same
calls, with the same paging, as the core's AWS SDK backend, so both give the
same report.
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any, Dict, Iterator, List, Optional, Tuple, cast

from kmswatch._kms_adapter import KeysAndHistory, key_of
from kmswatch.schema import (
    Alarm,
    CompositeAlarm,
    EventRule,
    EventRuleSpec,
    EventSelectors,
    Key,
    LogGroup,
    Metric,
    MetricDataQuery,
    MetricFilter,
    MetricStat,
    MetricTransformation,
    RuleTarget,
    Subscription,
    SubscriptionAttributes,
    TopicAttributes,
    Trail,
    TrailStatus,
)

__all__ = ["Boto3Backend"]

# The page sizes of the core's AWS SDK backend.
_LOGS_PAGE = 50
_ALARMS_PAGE = 100
_NOT_FOUND = ("NotFound", "NotFoundException", "ResourceNotFoundException")


def _present(d: Dict[str, Any]) -> Dict[str, Any]:
    """Drops ``None`` values: the core's model leaves absent fields out."""
    return {k: v for k, v in d.items() if v is not None}


def _rfc3339(value: Any) -> Optional[str]:
    """A datetime in the AWS SDK for Rust's RFC 3339 form (``Z``, fraction only when non-zero)."""
    if not isinstance(value, dt.datetime):
        return None if value is None else str(value)
    utc = value.astimezone(dt.timezone.utc) if value.tzinfo else value
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond:
        text += f".{utc.microsecond:06d}".rstrip("0")
    return text + "Z"


def _arn_region(arn: str) -> Optional[str]:
    parts = arn.split(":", 5)
    return parts[3] if len(parts) == 6 and parts[0] == "arn" and parts[3] else None


def _dimensions(dimensions: Optional[List[Dict[str, str]]]) -> Dict[str, str]:
    return {d["Name"]: d["Value"] for d in dimensions or [] if "Name" in d and "Value" in d}


def _dimensions_to_aws(dimensions: Optional[Dict[str, str]]) -> List[Dict[str, str]]:
    return [{"Name": k, "Value": v} for k, v in (dimensions or {}).items()]


def _metric(namespace: Optional[str], name: Optional[str], dimensions: Any) -> Optional[Metric]:
    if namespace is None or name is None:
        return None
    metric: Metric = {"namespace": namespace, "metric_name": name}
    found = _dimensions(dimensions)
    if found:
        metric["dimensions"] = found
    return metric


def _metric_to_aws(metric: Metric) -> Dict[str, Any]:
    out: Dict[str, Any] = {"Namespace": metric["namespace"], "MetricName": metric["metric_name"]}
    if metric.get("dimensions"):
        out["Dimensions"] = _dimensions_to_aws(metric.get("dimensions"))
    return out


class Boto3Backend(KeysAndHistory):
    """The backend protocols answered through a boto3 session.

    ``session`` is a ``boto3.session.Session`` (default: a new one);
    ``region`` the default region of ``check(backend=...)`` (default: the
    session's); ``endpoint_url`` sends every call to one endpoint (an
    emulator); ``client_kwargs`` are passed to every ``session.client(...)``.
    One client per service and region is made on first use and reused.
    """

    def __init__(
        self,
        session: Optional[Any] = None,
        *,
        region: Optional[str] = None,
        endpoint_url: Optional[str] = None,
        **client_kwargs: Any,
    ) -> None:
        if session is None:
            session = importlib.import_module("boto3").session.Session()
        self.session: Any = session
        self.region: Optional[str] = region or session.region_name
        self._endpoint_url = endpoint_url
        self._client_kwargs = client_kwargs
        self._clients: Dict[Tuple[str, str], Any] = {}

    def _client(self, service: str, region: Optional[str]) -> Any:
        region = region or self.region
        key = (service, region or "")
        if key not in self._clients:
            kwargs = dict(self._client_kwargs)
            if self._endpoint_url is not None:
                kwargs["endpoint_url"] = self._endpoint_url
            self._clients[key] = self.session.client(service, region_name=region, **kwargs)
        return self._clients[key]

    @staticmethod
    def _pages(client: Any, operation: str, key: str, **kwargs: Any) -> Iterator[Any]:
        for page in client.get_paginator(operation).paginate(**kwargs):
            yield from page.get(key, [])

    # --- STS --------------------------------------------------------------------

    def account_id(self) -> str:
        return str(self._client("sts", self.region).get_caller_identity()["Account"])

    # --- CloudTrail -------------------------------------------------------------

    def describe_trails(self, region: str) -> List[Trail]:
        answer = self._client("cloudtrail", region).describe_trails(includeShadowTrails=True)
        trails: List[Trail] = []
        for t in answer.get("trailList", []):
            arn = t["TrailARN"]
            trail: Trail = {
                "name": t["Name"],
                "trail_arn": arn,
                "home_region": t.get("HomeRegion") or _arn_region(arn) or "",
                "is_multi_region_trail": bool(t.get("IsMultiRegionTrail", False)),
                "is_organization_trail": bool(t.get("IsOrganizationTrail", False)),
                "has_custom_event_selectors": bool(t.get("HasCustomEventSelectors", False)),
            }
            for key, field in (
                ("CloudWatchLogsLogGroupArn", "cloud_watch_logs_log_group_arn"),
                ("CloudWatchLogsRoleArn", "cloud_watch_logs_role_arn"),
            ):
                if t.get(key) is not None:
                    trail[field] = t[key]  # type: ignore[literal-required]
            trails.append(trail)
        return trails

    def get_trail_status(self, region: str, trail_arn: str) -> TrailStatus:
        s = self._client("cloudtrail", region).get_trail_status(Name=trail_arn)
        status: TrailStatus = {"is_logging": bool(s.get("IsLogging", False))}
        error = s.get("LatestCloudWatchLogsDeliveryError")
        if error:
            status["latest_cloud_watch_logs_delivery_error"] = error
        delivered = _rfc3339(s.get("LatestCloudWatchLogsDeliveryTime"))
        if delivered is not None:
            status["latest_cloud_watch_logs_delivery_time"] = delivered
        return status

    def get_event_selectors(self, region: str, trail_arn: str) -> EventSelectors:
        s = self._client("cloudtrail", region).get_event_selectors(TrailName=trail_arn)
        return {
            "event_selectors": [
                {
                    # AWS always returns both; a missing one is malformed, not a default.
                    "read_write_type": e["ReadWriteType"],
                    "include_management_events": bool(e["IncludeManagementEvents"]),
                    "exclude_management_event_sources": list(
                        e.get("ExcludeManagementEventSources", [])
                    ),
                }
                for e in s.get("EventSelectors") or []
            ],
            "advanced_event_selectors": [
                {
                    "name": a.get("Name"),
                    "field_selectors": [
                        {
                            "field": f["Field"],
                            "equals": f.get("Equals", []),
                            "not_equals": f.get("NotEquals", []),
                            "starts_with": f.get("StartsWith", []),
                            "not_starts_with": f.get("NotStartsWith", []),
                            "ends_with": f.get("EndsWith", []),
                            "not_ends_with": f.get("NotEndsWith", []),
                        }
                        for f in a.get("FieldSelectors", [])
                    ],
                }
                for a in s.get("AdvancedEventSelectors") or []
            ],
        }

    # --- CloudWatch Logs --------------------------------------------------------

    def describe_log_group(self, region: str, name: str) -> Optional[LogGroup]:
        groups = self._pages(
            self._client("logs", region),
            "describe_log_groups",
            "logGroups",
            logGroupNamePrefix=name,
            PaginationConfig={"PageSize": _LOGS_PAGE},
        )
        for g in groups:
            if g.get("logGroupName") == name:
                arn = g.get("logGroupArn") or str(g["arn"]).removesuffix(":*")
                return {"log_group_name": name, "arn": arn}
        return None

    def describe_metric_filters(self, region: str, log_group_name: str) -> List[MetricFilter]:
        filters = self._pages(
            self._client("logs", region),
            "describe_metric_filters",
            "metricFilters",
            logGroupName=log_group_name,
            PaginationConfig={"PageSize": _LOGS_PAGE},
        )
        return [
            {
                "filter_name": f["filterName"],
                "log_group_name": f.get("logGroupName") or log_group_name,
                # A missing pattern is not the empty pattern (which matches everything).
                "filter_pattern": f["filterPattern"],
                "metric_transformations": [
                    cast(
                        MetricTransformation,
                        _present(
                            {
                                "metric_name": t["metricName"],
                                "metric_namespace": t["metricNamespace"],
                                "metric_value": t["metricValue"],
                                "default_value": t.get("defaultValue"),
                                "dimensions": t.get("dimensions") or None,
                                "unit": t.get("unit"),
                            }
                        ),
                    )
                    for t in f.get("metricTransformations", [])
                ],
                # Recorded only when true, as the AWS SDK backend does.
                "apply_on_transformed_logs": True if f.get("applyOnTransformedLogs") else None,
            }
            for f in filters
        ]

    def put_metric_filter(self, region: str, filter: MetricFilter) -> None:
        transformations = [
            _present(
                {
                    "metricName": t["metric_name"],
                    "metricNamespace": t["metric_namespace"],
                    "metricValue": t["metric_value"],
                    "defaultValue": t.get("default_value"),
                    "dimensions": t.get("dimensions") or None,
                    "unit": t.get("unit"),
                }
            )
            for t in filter["metric_transformations"]
        ]
        transformed = filter.get("apply_on_transformed_logs")
        self._client("logs", region).put_metric_filter(
            logGroupName=filter["log_group_name"],
            filterName=filter["filter_name"],
            filterPattern=filter["filter_pattern"],
            metricTransformations=transformations,
            **({} if transformed is None else {"applyOnTransformedLogs": transformed}),
        )

    # --- CloudWatch -------------------------------------------------------------

    def describe_alarms(self, region: str) -> List[Alarm]:
        alarms = self._pages(
            self._client("cloudwatch", region),
            "describe_alarms",
            "MetricAlarms",
            AlarmTypes=["MetricAlarm"],
            PaginationConfig={"PageSize": _ALARMS_PAGE},
        )
        return [self._alarm(a) for a in alarms]

    def describe_alarms_for_metric(self, region: str, metric: Metric) -> List[Alarm]:
        answer = self._client("cloudwatch", region).describe_alarms_for_metric(**_metric_to_aws(metric))
        alarms = [self._alarm(a) for a in answer.get("MetricAlarms") or []]
        # Only the alarms on exactly this metric, dimensions included.
        return [a for a in alarms if a.get("metric") == metric]

    @staticmethod
    def _alarm(a: Dict[str, Any]) -> Alarm:
        queries: List[MetricDataQuery] = []
        for q in a.get("Metrics") or []:
            query: MetricDataQuery = {"id": q["Id"]}
            if q.get("Expression") is not None:
                query["expression"] = q["Expression"]
            stat = q.get("MetricStat")
            if stat is not None:
                m = stat["Metric"]
                metric = _metric(m.get("Namespace"), m.get("MetricName"), m.get("Dimensions"))
                if metric is not None:
                    metric_stat: MetricStat = {"metric": metric, "period": stat["Period"], "stat": stat["Stat"]}
                    if stat.get("Unit"):
                        metric_stat["unit"] = stat["Unit"]
                    query["metric_stat"] = metric_stat
            if q.get("ReturnData") is not None:
                query["return_data"] = q["ReturnData"]
            if q.get("AccountId"):
                query["account_id"] = q["AccountId"]
            queries.append(query)
        alarm: Alarm = {
            "alarm_name": a["AlarmName"],
            "alarm_arn": a["AlarmArn"],
            "comparison_operator": a["ComparisonOperator"],
            "evaluation_periods": a["EvaluationPeriods"],
            "alarm_actions": list(a.get("AlarmActions") or []),
            "ok_actions": list(a.get("OKActions") or []),
            "insufficient_data_actions": list(a.get("InsufficientDataActions") or []),
            "metrics": queries,
        }
        optional = {
            "metric": _metric(a.get("Namespace"), a.get("MetricName"), a.get("Dimensions")),
            "statistic": a.get("Statistic"),
            "extended_statistic": a.get("ExtendedStatistic"),
            "period": a.get("Period"),
            "threshold": a.get("Threshold"),
            "datapoints_to_alarm": a.get("DatapointsToAlarm"),
            "treat_missing_data": a.get("TreatMissingData"),
            "state_value": a.get("StateValue"),
            "state_updated_timestamp": _rfc3339(a.get("StateUpdatedTimestamp")),
            # Missing means unknown, never enabled.
            "actions_enabled": a.get("ActionsEnabled"),
            "unit": a.get("Unit"),
            "alarm_description": a.get("AlarmDescription") or None,
        }
        alarm.update(_present(optional))  # type: ignore[typeddict-item]
        return alarm

    def describe_composite_alarms(self, region: str) -> List[CompositeAlarm]:
        alarms = self._pages(
            self._client("cloudwatch", region),
            "describe_alarms",
            "CompositeAlarms",
            AlarmTypes=["CompositeAlarm"],
            PaginationConfig={"PageSize": _ALARMS_PAGE},
        )
        found: List[CompositeAlarm] = []
        for a in alarms:
            alarm: CompositeAlarm = {
                "alarm_name": a["AlarmName"],
                "alarm_arn": a["AlarmArn"],
                "alarm_rule": a["AlarmRule"],
                "alarm_actions": list(a.get("AlarmActions") or []),
            }
            optional = {
                # Missing means unknown, never enabled.
                "actions_enabled": a.get("ActionsEnabled"),
                "actions_suppressor": a.get("ActionsSuppressor") or None,
                "alarm_description": a.get("AlarmDescription") or None,
                "state_value": a.get("StateValue"),
                "state_updated_timestamp": _rfc3339(a.get("StateUpdatedTimestamp")),
            }
            alarm.update(_present(optional))  # type: ignore[typeddict-item]
            found.append(alarm)
        return found

    def put_metric_alarm(self, region: str, alarm: Alarm) -> None:
        metric = alarm.get("metric")
        request = _present(
            {
                "AlarmName": alarm["alarm_name"],
                "ActionsEnabled": alarm.get("actions_enabled"),
                "Unit": alarm.get("unit"),
                "AlarmDescription": alarm.get("alarm_description"),
                "AlarmActions": alarm.get("alarm_actions") or None,
                "OKActions": alarm.get("ok_actions") or None,
                "InsufficientDataActions": alarm.get("insufficient_data_actions") or None,
                "Statistic": alarm.get("statistic"),
                "ExtendedStatistic": alarm.get("extended_statistic"),
                "Period": alarm.get("period"),
                "Threshold": alarm.get("threshold"),
                "ComparisonOperator": alarm["comparison_operator"],
                "EvaluationPeriods": alarm["evaluation_periods"],
                "DatapointsToAlarm": alarm.get("datapoints_to_alarm"),
                "TreatMissingData": alarm.get("treat_missing_data"),
                "Tags": [{"Key": k, "Value": v} for k, v in (alarm.get("tags") or {}).items()] or None,
            }
        )
        if metric:
            request.update(_metric_to_aws(metric))
        queries = []
        for q in alarm.get("metrics") or []:
            stat = q.get("metric_stat")
            queries.append(
                _present(
                    {
                        "Id": q["id"],
                        "Expression": q.get("expression"),
                        "MetricStat": _present(
                            {
                                "Metric": _metric_to_aws(stat["metric"]),
                                "Period": stat["period"],
                                "Stat": stat["stat"],
                                "Unit": stat.get("unit"),
                            }
                        )
                        if stat
                        else None,
                        "ReturnData": q.get("return_data"),
                        "AccountId": q.get("account_id"),
                    }
                )
            )
        if queries:
            request["Metrics"] = queries
        self._client("cloudwatch", region).put_metric_alarm(**request)

    # --- SNS --------------------------------------------------------------------

    def _sns(self, topic_arn: str) -> Any:
        return self._client("sns", _arn_region(topic_arn))

    def get_topic_attributes(self, topic_arn: str) -> Optional[TopicAttributes]:
        client = self._sns(topic_arn)
        try:
            attributes = client.get_topic_attributes(TopicArn=topic_arn)["Attributes"]
        except client.exceptions.ClientError as e:
            if e.response.get("Error", {}).get("Code") in _NOT_FOUND:
                return None
            raise
        found: TopicAttributes = {"topic_arn": attributes.get("TopicArn") or topic_arn}
        if attributes.get("KmsMasterKeyId"):
            found["kms_master_key_id"] = attributes["KmsMasterKeyId"]
        if attributes.get("Policy"):
            found["policy"] = attributes["Policy"]
        return found

    def list_subscriptions_by_topic(self, topic_arn: str) -> List[Subscription]:
        subscriptions = self._pages(
            self._sns(topic_arn), "list_subscriptions_by_topic", "Subscriptions", TopicArn=topic_arn
        )
        return [
            {
                "subscription_arn": s["SubscriptionArn"],
                "protocol": s["Protocol"],
                "endpoint": s.get("Endpoint", ""),
            }
            for s in subscriptions
        ]

    def get_subscription_attributes(self, subscription_arn: str) -> Optional[SubscriptionAttributes]:
        client = self._sns(subscription_arn)
        try:
            attributes = client.get_subscription_attributes(SubscriptionArn=subscription_arn)["Attributes"]
        except client.exceptions.ClientError as e:
            if e.response.get("Error", {}).get("Code") in _NOT_FOUND:
                return None
            raise
        found: SubscriptionAttributes = {
            "subscription_arn": attributes.get("SubscriptionArn") or subscription_arn
        }
        pending = attributes.get("PendingConfirmation")
        if pending is not None and pending != "":
            # SNS answers "true" / "false"; anything else is malformed.
            text = str(pending).lower()
            if text not in ("true", "false"):
                raise ValueError(f"PendingConfirmation {pending!r} is not true or false")
            found["pending_confirmation"] = text == "true"
        if attributes.get("FilterPolicy"):
            found["filter_policy"] = attributes["FilterPolicy"]
        if attributes.get("FilterPolicyScope"):
            found["filter_policy_scope"] = attributes["FilterPolicyScope"]
        return found

    def create_topic(self, region: str, name: str, tags: Dict[str, str]) -> str:
        kwargs: Dict[str, Any] = {"Name": name}
        if tags:
            kwargs["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
        return str(self._client("sns", region).create_topic(**kwargs)["TopicArn"])

    def subscribe(self, topic_arn: str, protocol: str, endpoint: str) -> str:
        answer = self._sns(topic_arn).subscribe(
            TopicArn=topic_arn, Protocol=protocol, Endpoint=endpoint, ReturnSubscriptionArn=False
        )
        return str(answer["SubscriptionArn"])

    def set_topic_policy(self, topic_arn: str, policy: str) -> None:
        self._sns(topic_arn).set_topic_attributes(
            TopicArn=topic_arn, AttributeName="Policy", AttributeValue=policy
        )

    def set_topic_kms_key(self, topic_arn: str, key_id: str) -> None:
        self._sns(topic_arn).set_topic_attributes(
            TopicArn=topic_arn, AttributeName="KmsMasterKeyId", AttributeValue=key_id
        )

    # --- KMS --------------------------------------------------------------------

    def describe_key(self, region: str, key_id: str) -> Optional[Key]:
        client = self._client("kms", region)
        try:
            metadata = client.describe_key(KeyId=key_id)["KeyMetadata"]
        except client.exceptions.ClientError as e:
            if e.response.get("Error", {}).get("Code") in _NOT_FOUND:
                return None
            raise
        return key_of(metadata)

    def get_key_policy(self, region: str, key_id: str) -> str:
        policy: str = self._client("kms", region).get_key_policy(KeyId=key_id, PolicyName="default")["Policy"]
        return policy

    # --- EventBridge --------------------------------------------------------------

    def list_rules(self, region: str) -> List[EventRule]:
        client = self._client("events", region)
        rules: List[EventRule] = []
        kwargs: Dict[str, Any] = {"EventBusName": "default"}
        while True:
            page = client.list_rules(**kwargs)
            for r in page.get("Rules", []):
                rule: EventRule = {"name": r["Name"], "arn": r["Arn"]}
                rule["event_bus_name"] = r.get("EventBusName") or "default"
                if r.get("State"):
                    rule["state"] = r["State"]
                if r.get("EventPattern"):
                    rule["event_pattern"] = r["EventPattern"]
                rules.append(rule)
            if not page.get("NextToken"):
                return rules
            kwargs["NextToken"] = page["NextToken"]

    def list_targets_by_rule(self, region: str, rule_name: str) -> List[RuleTarget]:
        client = self._client("events", region)
        targets: List[RuleTarget] = []
        kwargs: Dict[str, Any] = {"Rule": rule_name, "EventBusName": "default"}
        while True:
            page = client.list_targets_by_rule(**kwargs)
            for t in page.get("Targets", []):
                target: RuleTarget = {"id": t["Id"], "arn": t["Arn"]}
                if any(t.get(k) is not None for k in ("Input", "InputPath", "InputTransformer")):
                    target["transforms_input"] = True
                targets.append(target)
            if not page.get("NextToken"):
                return targets
            kwargs["NextToken"] = page["NextToken"]

    def put_rule(self, region: str, rule: EventRuleSpec) -> str:
        kwargs: Dict[str, Any] = {
            "Name": rule["name"],
            "EventBusName": "default",
            "EventPattern": rule["event_pattern"],
            "State": rule["state"],
        }
        if rule.get("description"):
            kwargs["Description"] = rule["description"]
        tags = rule.get("tags") or {}
        if tags:
            kwargs["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
        return str(self._client("events", region).put_rule(**kwargs)["RuleArn"])

    def put_targets(self, region: str, rule_name: str, targets: List[RuleTarget]) -> None:
        answer = self._client("events", region).put_targets(
            Rule=rule_name,
            EventBusName="default",
            Targets=[{"Id": t["id"], "Arn": t["arn"]} for t in targets],
        )
        failed = answer.get("FailedEntries") or []
        if failed:
            raise RuntimeError(
                f"PutTargets failed for {failed[0].get('TargetId')}: "
                f"{failed[0].get('ErrorCode')}: {failed[0].get('ErrorMessage')}"
            )
