"""Python objects as backends: the protocol, error mapping, and the GIL."""

from __future__ import annotations

import copy
import json
import threading
import time
from typing import Any, Dict, List, Optional, cast

import pytest

import kmswatch
from conftest import EXAMPLES
from harness import verdict_of
from kmswatch.backend import Backend, ReadOnlyBackend
from kmswatch.schema import (
    Alarm,
    CompositeAlarm,
    EventRule,
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
    TrailStatus,
)


class FactsBackend:
    """A read-only account answered from a snapshot document: a pipeline's inventory."""

    def __init__(self, facts: Dict[str, Any]) -> None:
        self.facts = facts
        self.region: Optional[str] = facts["region"]
        self.calls: List[str] = []

    def account_id(self) -> str:
        self.calls.append("account_id")
        return str(self.facts["account_id"])

    def describe_trails(self, region: str) -> List[Trail]:
        self.calls.append("describe_trails")
        keep = set(Trail.__annotations__)
        return [{k: v for k, v in t.items() if k in keep} for t in self.facts["trails"]]  # type: ignore[misc]

    def _trail(self, trail_arn: str) -> Dict[str, Any]:
        return next(t for t in self.facts["trails"] if t["trail_arn"] == trail_arn)

    def get_trail_status(self, region: str, trail_arn: str) -> TrailStatus:
        self.calls.append("get_trail_status")
        status: TrailStatus = self._trail(trail_arn)["status"]
        return status

    def get_event_selectors(self, region: str, trail_arn: str) -> EventSelectors:
        self.calls.append("get_event_selectors")
        selectors: EventSelectors = self._trail(trail_arn)["event_selectors"]
        return selectors

    def describe_log_group(self, region: str, name: str) -> Optional[LogGroup]:
        self.calls.append("describe_log_group")
        for group in self.facts["log_groups"]:
            if group["arn"].endswith(f":log-group:{name}") and group.get("exists"):
                return {"log_group_name": name, "arn": group["arn"]}
        return None

    def describe_metric_filters(self, region: str, log_group_name: str) -> List[MetricFilter]:
        self.calls.append("describe_metric_filters")
        for group in self.facts["log_groups"]:
            if group["arn"].endswith(f":log-group:{log_group_name}"):
                filters: List[MetricFilter] = group.get("metric_filters") or []
                return filters
        return []

    def describe_alarms(self, region: str) -> List[Alarm]:
        self.calls.append("describe_alarms")
        for entry in self.facts["alarms"]:
            if entry["region"] == region:
                alarms: List[Alarm] = entry.get("alarms") or []
                return alarms
        return []

    def describe_composite_alarms(self, region: str) -> List[CompositeAlarm]:
        self.calls.append("describe_composite_alarms")
        for entry in self.facts["alarms"]:
            if entry["region"] == region:
                if entry.get("composite_alarms") is None:
                    raise LookupError("this inventory does not record composite alarms")
                composites: List[CompositeAlarm] = entry["composite_alarms"]
                return composites
        return []

    def describe_alarms_for_metric(self, region: str, metric: Metric) -> List[Alarm]:
        self.calls.append("describe_alarms_for_metric")
        for entry in self.facts["alarms"]:
            if entry["region"] == region:
                return [a for a in entry.get("alarms") or [] if a.get("metric") == metric]
        return []

    def _topic(self, topic_arn: str) -> Optional[Dict[str, Any]]:
        return next((t for t in self.facts["topics"] if t["topic_arn"] == topic_arn), None)

    def get_topic_attributes(self, topic_arn: str) -> Optional[TopicAttributes]:
        self.calls.append("get_topic_attributes")
        topic = self._topic(topic_arn)
        if topic is None or not topic.get("exists"):
            return None
        attributes: Optional[TopicAttributes] = topic.get("attributes")
        return attributes if attributes is not None else {"topic_arn": topic_arn}

    def list_subscriptions_by_topic(self, topic_arn: str) -> List[Subscription]:
        self.calls.append("list_subscriptions_by_topic")
        topic = self._topic(topic_arn)
        subscriptions: List[Subscription] = (topic or {}).get("subscriptions") or []
        return subscriptions

    def get_subscription_attributes(self, subscription_arn: str) -> Optional[SubscriptionAttributes]:
        self.calls.append("get_subscription_attributes")
        for topic in self.facts["topics"]:
            for attributes in topic.get("subscription_attributes") or []:
                if attributes["subscription_arn"] == subscription_arn:
                    found: SubscriptionAttributes = attributes
                    return found
        return None

    def describe_key(self, region: str, key_id: str) -> Optional[Key]:
        self.calls.append("describe_key")
        for key in self.facts.get("keys", []):
            if key["region"] == region and key_id in (key["key_id"], (key.get("key") or {}).get("arn")):
                found: Optional[Key] = key.get("key")
                return found
        return None

    def get_key_policy(self, region: str, key_id: str) -> str:
        self.calls.append("get_key_policy")
        for key in self.facts.get("keys", []):
            if key["region"] == region and (key.get("key") or {}).get("arn") == key_id:
                return str(key["policy"])
        raise LookupError(key_id)

    def list_rules(self, region: str) -> List[EventRule]:
        self.calls.append("list_rules")
        return [
            cast(EventRule, {k: v for k, v in rule.items() if k != "targets"})
            for entry in self.facts.get("event_rules", [])
            if entry["region"] == region
            for rule in entry.get("rules") or []
        ]

    def list_targets_by_rule(self, region: str, rule_name: str) -> List[RuleTarget]:
        self.calls.append("list_targets_by_rule")
        for entry in self.facts.get("event_rules", []):
            for rule in entry.get("rules") or []:
                if entry["region"] == region and rule["name"] == rule_name:
                    return cast(List[RuleTarget], rule.get("targets") or [])
        raise LookupError(rule_name)


def compliant_facts() -> Dict[str, Any]:
    facts: Dict[str, Any] = json.loads((EXAMPLES / "compliant.json").read_text())
    return facts


@pytest.mark.smoke
def test_a_python_object_is_a_backend() -> None:
    backend = FactsBackend(compliant_facts())
    assert isinstance(backend, ReadOnlyBackend)
    assert not isinstance(backend, Backend)
    report = kmswatch.check(backend=backend)
    offline = kmswatch.check_snapshot(EXAMPLES / "compliant.json").to_dict()
    assert report.status == "PASS"
    assert report.api_calls == len(backend.calls) > 0
    assert verdict_of(report.to_dict()) == verdict_of(offline)
    assert offline["api_calls"] is None and offline["generated_at"]


def test_unreadable_subscription_attributes_are_an_error_never_a_pass() -> None:
    class NoSubscriptionAttributes(FactsBackend):
        def get_subscription_attributes(self, subscription_arn: str) -> Optional[SubscriptionAttributes]:
            raise NotImplementedError("this inventory does not record subscription attributes")

    report = kmswatch.check(backend=NoSubscriptionAttributes(compliant_facts()))
    assert report.status == "ERROR"
    assert "SUBSCRIPTION_ATTRIBUTES_UNKNOWN" in report.gap_codes()


def test_a_python_backend_snapshot_round_trips() -> None:
    backend = FactsBackend(compliant_facts())
    facts = kmswatch.snapshot(backend=backend)
    assert kmswatch.check_snapshot(facts).status == "PASS"


def test_the_region_comes_from_the_argument_or_the_backend() -> None:
    backend = FactsBackend(compliant_facts())
    assert kmswatch.check("eu-west-3", backend=backend).region == "eu-west-3"
    backend.region = None
    with pytest.raises(kmswatch.KmswatchError, match="region"):
        kmswatch.check(backend=backend)


class AccessDenied(Exception):
    """Stands in for botocore's ClientError: same ``response`` shape."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.response = {"Error": {"Code": code, "Message": message}}


class DeniedAlarms(FactsBackend):
    def describe_alarms(self, region: str) -> List[Alarm]:
        raise AccessDenied("AccessDeniedException", "no cloudwatch:DescribeAlarms for you")

    def describe_alarms_for_metric(self, region: str, metric: Metric) -> List[Alarm]:
        raise AccessDenied("AccessDeniedException", "no cloudwatch:DescribeAlarmsForMetric for you")


class BrokenTrails(FactsBackend):
    def describe_trails(self, region: str) -> List[Trail]:
        raise RuntimeError("inventory offline")


class WrongShape(FactsBackend):
    def describe_trails(self, region: str) -> List[Trail]:
        return [{"name": "x"}]  # type: ignore[typeddict-item]


def test_client_error_codes_decide_the_verdict() -> None:
    report = kmswatch.check(backend=DeniedAlarms(compliant_facts()))
    assert report.status == "ERROR", report.to_json()
    assert report.exit_code == 3
    facts = kmswatch.snapshot(backend=DeniedAlarms(compliant_facts()))
    by_metric = [e for e in facts["errors"] if e["operation"] == "DescribeAlarmsForMetric"]
    # The listing of the region, and (what remediate needs) of the alarms
    # named like remediation's.
    listings = [e for e in facts["errors"] if e["operation"] == "DescribeAlarms"]
    assert by_metric and listings and len(by_metric) + len(listings) == len(facts["errors"])
    for error in listings:
        assert error["code"] == "AccessDeniedException"
        assert error["kind"] == "access_denied"
        assert error["region"] == "us-east-1"
        assert error["message"] == "no cloudwatch:DescribeAlarms for you"


def test_other_exceptions_are_named_by_their_class() -> None:
    facts = kmswatch.snapshot(backend=BrokenTrails(compliant_facts()))
    [error] = facts["errors"]
    assert (error["operation"], error["code"], error["kind"]) == (
        "DescribeTrails",
        "RuntimeError",
        "other",
    )
    assert error["message"] == "inventory offline"
    assert kmswatch.check(backend=BrokenTrails(compliant_facts())).status == "ERROR"


def test_a_wrong_shape_is_reported_not_crashed_on() -> None:
    facts = kmswatch.snapshot(backend=WrongShape(compliant_facts()))
    [error] = facts["errors"]
    assert error["code"] == "InvalidBackendResponse"
    assert "trail_arn" in error["message"]


def test_a_failed_account_id_raises_aws_error() -> None:
    class NoIdentity(FactsBackend):
        def account_id(self) -> str:
            raise AccessDenied("InvalidClientTokenId", "bad token")

    with pytest.raises(kmswatch.AwsError) as caught:
        kmswatch.check(backend=NoIdentity(compliant_facts()))
    assert caught.value.code == "InvalidClientTokenId"
    assert caught.value.kind == "access_denied"
    assert caught.value.operation == "GetCallerIdentity"


def test_a_missing_method_is_an_error_in_the_report() -> None:
    class Partial:
        region = "us-east-1"

        def account_id(self) -> str:
            return "111122223333"

    facts = kmswatch.snapshot(backend=Partial())  # type: ignore[arg-type]
    assert facts["errors"][0]["code"] == "AttributeError"


def test_the_gil_is_released_during_a_live_check(offline_env: None) -> None:
    # Against an endpoint nothing listens on, the SDK retries for a while;
    # a Python thread must keep running all that time.
    ticks = 0
    stop = threading.Event()

    def tick() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    thread = threading.Thread(target=tick)
    thread.start()
    time.sleep(0.02)
    before, started = ticks, time.monotonic()
    with pytest.raises(kmswatch.AwsError):
        kmswatch.check()
    elapsed = time.monotonic() - started
    during = ticks - before
    stop.set()
    thread.join()
    assert elapsed > 0.05, elapsed
    # Sleeping 1 ms per tick, a free thread ticks hundreds of times a second;
    # one blocked by the GIL would not tick at all.
    assert during >= 20 * elapsed, (during, elapsed)


def test_python_backends_work_from_threads() -> None:
    results: List[str] = []

    def run() -> None:
        results.append(kmswatch.check(backend=FactsBackend(copy.deepcopy(compliant_facts()))).status)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["PASS"] * 4


def test_boto3_backend_records_a_filter_on_transformed_logs() -> None:
    """``applyOnTransformedLogs`` reaches the core as the AWS SDK backend gives
    it: ``True`` when AWS says so, absent for AWS's default ``false``; a put
    sends it only when set."""
    boto3 = pytest.importorskip("boto3")
    stub = pytest.importorskip("botocore.stub")
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    from kmswatch.adapters import Boto3Backend

    backend = Boto3Backend(session)
    client = backend._client("logs", "us-east-1")
    transformation = {"metricName": "M", "metricNamespace": "CIS", "metricValue": "1"}
    with stub.Stubber(client) as stubber:
        stubber.add_response(
            "describe_metric_filters",
            {
                "metricFilters": [
                    {"filterName": "transformed", "logGroupName": "ct", "filterPattern": "",
                     "metricTransformations": [transformation], "applyOnTransformedLogs": True},
                    {"filterName": "raw", "logGroupName": "ct", "filterPattern": "",
                     "metricTransformations": [transformation], "applyOnTransformedLogs": False},
                ]
            },
            {"logGroupName": "ct", "limit": 50},
        )
        filters = backend.describe_metric_filters("us-east-1", "ct")
        assert [f.get("apply_on_transformed_logs") for f in filters] == [True, None]
        for f in filters:
            expected: Dict[str, Any] = {
                "logGroupName": "ct",
                "filterName": f["filter_name"],
                "filterPattern": "",
                "metricTransformations": [transformation],
            }
            if f.get("apply_on_transformed_logs"):
                expected["applyOnTransformedLogs"] = True
            stubber.add_response("put_metric_filter", {}, expected)
            backend.put_metric_filter("us-east-1", f)
        stubber.assert_no_pending_responses()
