"""A check's cost does not grow with the account's unrelated alarms, on moto server.

The server's bridge pages ``DescribeAlarms`` as CloudWatch does (at most 100 alarms
an answer, for boto3 and the AWS SDK alike), so a check that listed every alarm
would pay one request per 100 alarms. A compliant account is read by metric
(``DescribeAlarmsForMetric``): its check costs the same with hundreds of unrelated
alarms as without them, through the AWS SDK and through ``Boto3Backend``. A
non-compliant one pays the listing once. A Python backend without
``describe_alarms_for_metric`` still gets the verdict, listing instead.
Remediation asks CloudWatch for the alarms named as its own
(``AlarmNamePrefix``) rather than for every alarm.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

import pytest

import kmswatch
import org_scenarios
from conftest import boto3_client_factory, boto3_module
from harness import REGION, gap_codes
from kmswatch.adapters import Boto3Backend
from scenarios import GROUP, Breakage, build_account, unique_account_id

UNRELATED = 250
PAGE = 100  # the largest DescribeAlarms page, which kmswatch asks for

Env = Callable[[str, str], None]


def add_unrelated_alarms(client: Callable[[str], Any], account_id: str, count: int) -> None:
    """``count`` alarms on metrics no filter publishes, notifying topics of their own."""
    topic = client("sns").create_topic(Name="app-alerts")["TopicArn"]
    cloudwatch = client("cloudwatch")

    def put(i: int) -> None:
        cloudwatch.put_metric_alarm(
            AlarmName=f"app-{i:04d}",
            Namespace="App",
            MetricName=f"Latency{i}",
            Statistic="Average",
            Period=60,
            EvaluationPeriods=3,
            Threshold=250.0,
            ComparisonOperator="GreaterThanThreshold",
            AlarmActions=[topic],
        )

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(put, range(count)))


def account(endpoint: str, unrelated: int, broken: Breakage = Breakage()) -> str:
    account_id = unique_account_id()
    client = boto3_client_factory(endpoint, account_id)
    build_account(client, account_id, broken)
    add_unrelated_alarms(client, account_id, unrelated)
    return account_id


def sdk_check(endpoint: str, account_id: str, aws_env: Env) -> kmswatch.Report:
    aws_env(endpoint, account_id)
    return kmswatch.check()


def test_a_compliant_check_costs_the_same_with_hundreds_of_unrelated_alarms(
    moto_endpoint: str, aws_env: Env
) -> None:
    bare = sdk_check(moto_endpoint, account(moto_endpoint, 0), aws_env)
    crowded_id = account(moto_endpoint, UNRELATED)
    crowded = sdk_check(moto_endpoint, crowded_id, aws_env)
    assert (bare.status, crowded.status) == ("PASS", "PASS")
    assert bare.api_calls is not None and bare.api_calls <= 9
    assert crowded.api_calls == bare.api_calls
    # Boto3Backend reads by metric too, through the same paging server.
    session = boto3_module().session.Session(
        aws_access_key_id=crowded_id, aws_secret_access_key="testing", region_name=REGION
    )
    in_python = kmswatch.check(backend=Boto3Backend(session, endpoint_url=moto_endpoint))
    assert in_python.status == "PASS"
    assert in_python.api_calls == crowded.api_calls


def test_a_non_compliant_check_pays_the_listing_once(moto_endpoint: str, aws_env: Env) -> None:
    broken = Breakage(topic_without_subscriber=True)
    bare = sdk_check(moto_endpoint, account(moto_endpoint, 0, broken), aws_env)
    crowded = sdk_check(moto_endpoint, account(moto_endpoint, UNRELATED, broken), aws_env)
    assert (bare.status, crowded.status) == ("FAIL", "FAIL")
    assert "TOPIC_NO_CONFIRMED_SUBSCRIPTION" in gap_codes(crowded.to_dict())
    assert bare.api_calls is not None and crowded.api_calls is not None
    # One page of alarms becomes three: the listing is paid once, page by page.
    extra_pages = (UNRELATED + 1 + PAGE - 1) // PAGE - 1
    assert crowded.api_calls - bare.api_calls == extra_pages


class WithoutAlarmsByMetric:
    """A Python backend written before ``describe_alarms_for_metric`` existed."""

    def __init__(self, inner: Boto3Backend) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        if name == "describe_alarms_for_metric":
            raise AttributeError(name)
        return getattr(self._inner, name)


def test_a_backend_without_alarms_by_metric_gets_the_verdict_by_listing(moto_endpoint: str) -> None:
    account_id = account(moto_endpoint, 0)
    session = boto3_module().session.Session(
        aws_access_key_id=account_id, aws_secret_access_key="testing", region_name=REGION
    )
    backend = WithoutAlarmsByMetric(Boto3Backend(session, endpoint_url=moto_endpoint))
    report = kmswatch.check(backend=backend)
    assert report.status == "PASS"
    assert [w["code"] for w in report.to_dict()["warnings"]] == ["ALARMS_READ_BY_LISTING"]


def alarm_listings(seen: list[tuple[str, bytes]]) -> list[bytes]:
    """The bodies of the ``DescribeAlarms`` requests among ``seen``."""
    return [body for path, body in seen if path.endswith("/operation/DescribeAlarms")]


def miss_every_event(client: Callable[[str], Any]) -> None:
    """Turns the account's filter into one that catches no target event."""
    logs = client("logs")
    found = logs.describe_metric_filters(logGroupName=GROUP)["metricFilters"][0]
    # moto adds a second filter of the same name instead of replacing it.
    logs.delete_metric_filter(logGroupName=GROUP, filterName=found["filterName"])
    logs.put_metric_filter(
        logGroupName=GROUP,
        filterName=found["filterName"],
        filterPattern='{ $.eventName = "CreateKey" }',
        metricTransformations=found["metricTransformations"],
    )


@pytest.mark.parametrize("compliant", [True, False], ids=["compliant", "filter-catches-nothing"])
def test_remediation_lists_its_alarm_name_not_every_alarm(
    moto_endpoint: str, aws_env: Env, compliant: bool
) -> None:
    account_id = account(moto_endpoint, UNRELATED)
    if not compliant:
        miss_every_event(boto3_client_factory(moto_endpoint, account_id))
    seen: list[tuple[str, bytes]] = []
    with org_scenarios.refusing_proxy(moto_endpoint, (), seen=seen) as proxy:
        aws_env(proxy, account_id)
        plan = kmswatch.plan(email="secops@example.com")
    written = [a["action"] for a in plan.actions]
    assert ("put_metric_alarm" in written) is not compliant, written
    listings = alarm_listings(seen)
    # One listing, by the planned alarm's name: one page, not one per 100 alarms.
    assert len(listings) == 1, listings
    assert b"AlarmNamePrefix" in listings[0]
    assert b"kmswatch-kms-key-disable-or-deletion" in listings[0]
