"""After the alarm, end to end on moto server: the account built with boto3, then
checked by the AWS SDK for Rust (``kmswatch.check()``) and by ``Boto3Backend``
against the same server. A confirmed subscriber counts only when its filter
policy lets the alarm notification through; an alarm with another unit than its
filter, or whose metric-math query reads another account, never fires.

moto confirms e-mail subscriptions at once and answers GetSubscriptionAttributes
as SNS does (``PendingConfirmation`` ``false``, ``FilterPolicyScope`` defaulting to
``MessageAttributes`` when a policy is set). It drops the ``AccountId`` of
metric-math queries; the test server keeps it (``tests/moto/query_accounts.py``).
"""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, Optional

import pytest

import kmswatch
from conftest import boto3_client_factory
from harness import verdict_of
from kmswatch.adapters import Boto3Backend
from scenarios import REGION, Breakage, build_account, unique_account_id

AwsEnv = Callable[[str, str], None]
Client = Callable[[str], Any]
OTHER_ACCOUNT = "444455556666"
EMAIL = "secops@example.com"


def alarm_request(topic_arn: str, **changes: Any) -> Dict[str, Any]:
    """The compliant account's alarm (scenarios.build_account), with ``changes``."""
    request: Dict[str, Any] = {
        "AlarmName": "KMSKeyDisableOrDelete",
        "Namespace": "CISBenchmark",
        "MetricName": "KMSKeyDisableOrDelete",
        "Statistic": "Sum",
        "Period": 300,
        "EvaluationPeriods": 1,
        "DatapointsToAlarm": 1,
        "Threshold": 1.0,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "TreatMissingData": "notBreaching",
        "AlarmActions": [topic_arn],
    }
    request.update(changes)
    return request


def account_with(
    endpoint: str, change: Callable[[Client, str, str], None], subscriber: bool = False
) -> str:
    """A compliant account (with or without its SQS subscriber), then ``change``
    made with boto3 clients; returns the account id."""
    account_id = unique_account_id()
    client = boto3_client_factory(endpoint, account_id)
    build_account(client, account_id, Breakage(topic_without_subscriber=not subscriber))
    topic_arn = f"arn:aws:sns:{REGION}:{account_id}:security-alerts"
    change(client, account_id, topic_arn)
    return account_id


def email_with_policy(policy: Dict[str, Any], scope: Optional[str]) -> Callable[[Client, str, str], None]:
    def change(client: Client, account_id: str, topic_arn: str) -> None:
        attributes = {"FilterPolicy": json.dumps(policy)}
        if scope is not None:
            attributes["FilterPolicyScope"] = scope
        client("sns").subscribe(
            TopicArn=topic_arn, Protocol="email", Endpoint=EMAIL, Attributes=attributes
        )

    return change


def both_reports(endpoint: str, aws_env: AwsEnv, account_id: str) -> kmswatch.Report:
    """The AWS SDK's report; Boto3Backend on the same server must agree."""
    aws_env(endpoint, account_id)
    sdk = kmswatch.check()
    session = __import__("boto3").session.Session(
        aws_access_key_id=account_id, aws_secret_access_key="testing", region_name=REGION
    )
    boto3 = kmswatch.check(backend=Boto3Backend(session, endpoint_url=endpoint))
    assert verdict_of(boto3.to_dict()) == verdict_of(sdk.to_dict())
    assert boto3.api_calls == sdk.api_calls
    return sdk


def test_an_attribute_scoped_filter_policy_drops_alarm_notifications(
    moto_endpoint: str, aws_env: AwsEnv
) -> None:
    for scope in (None, "MessageAttributes"):
        account_id = account_with(moto_endpoint, email_with_policy({"severity": ["high"]}, scope))
        report = both_reports(moto_endpoint, aws_env, account_id)
        assert report.status == "FAIL", report.to_json()
        assert report.exit_code == 1
        assert "SUBSCRIPTION_FILTER_DROPS_ALARMS" in report.gap_codes()


def test_a_message_body_policy_matching_the_notification_delivers(
    moto_endpoint: str, aws_env: AwsEnv
) -> None:
    policy = {"NewStateValue": ["ALARM"]}
    account_id = account_with(moto_endpoint, email_with_policy(policy, "MessageBody"))
    report = both_reports(moto_endpoint, aws_env, account_id)
    assert report.status == "PASS", report.to_json()
    # GetCallerIdentity ... ListSubscriptionsByTopic, then one GetSubscriptionAttributes.
    assert report.api_calls is not None and report.api_calls <= 11, report.api_calls


def test_a_message_body_policy_not_matching_the_notification_drops_it(
    moto_endpoint: str, aws_env: AwsEnv
) -> None:
    policy = {"NewStateValue": ["OK"]}
    account_id = account_with(moto_endpoint, email_with_policy(policy, "MessageBody"))
    report = both_reports(moto_endpoint, aws_env, account_id)
    assert report.status == "FAIL", report.to_json()
    assert "SUBSCRIPTION_FILTER_DROPS_ALARMS" in report.gap_codes()


def test_an_alarm_with_another_unit_than_its_filter_never_fires(
    moto_endpoint: str, aws_env: AwsEnv
) -> None:
    def bytes_unit(client: Client, account_id: str, topic_arn: str) -> None:
        client("cloudwatch").put_metric_alarm(**alarm_request(topic_arn, Unit="Bytes"))

    account_id = account_with(moto_endpoint, bytes_unit, subscriber=True)
    report = both_reports(moto_endpoint, aws_env, account_id)
    assert report.status == "FAIL", report.to_json()
    assert "ALARM_UNIT_MISMATCH" in report.gap_codes()


def test_a_metric_math_alarm_on_another_account_does_not_watch_this_one(
    moto_endpoint: str, aws_env: AwsEnv
) -> None:
    def other_account(client: Client, account_id: str, topic_arn: str) -> None:
        request = alarm_request(topic_arn)
        for key in ("Namespace", "MetricName", "Statistic", "Period"):
            del request[key]
        request["Metrics"] = [
            {
                "Id": "m1",
                "MetricStat": {
                    "Metric": {"Namespace": "CISBenchmark", "MetricName": "KMSKeyDisableOrDelete"},
                    "Period": 300,
                    "Stat": "Sum",
                },
                "ReturnData": True,
                "AccountId": OTHER_ACCOUNT,
            }
        ]
        client("cloudwatch").put_metric_alarm(**request)

    account_id = account_with(moto_endpoint, other_account, subscriber=True)
    report = both_reports(moto_endpoint, aws_env, account_id)
    assert report.status == "FAIL", report.to_json()
    assert "ALARM_METRIC_OTHER_ACCOUNT" in report.gap_codes()


def test_a_composite_alarm_that_follows_the_alarm_notifies_in_its_stead(
    moto_endpoint: str, aws_env: AwsEnv
) -> None:
    def composite(rule: str) -> Callable[[Client, str, str], None]:
        def change(client: Client, account_id: str, topic_arn: str) -> None:
            cloudwatch = client("cloudwatch")
            request = alarm_request(topic_arn)
            del request["AlarmActions"]
            cloudwatch.put_metric_alarm(**request)
            cloudwatch.put_composite_alarm(
                AlarmName="kms-composite", AlarmRule=rule, AlarmActions=[topic_arn]
            )

        return change

    account_id = account_with(moto_endpoint, composite("ALARM(KMSKeyDisableOrDelete)"), subscriber=True)
    report = both_reports(moto_endpoint, aws_env, account_id)
    assert report.status == "PASS", report.to_json()
    assert "ALARM_NOTIFIES_THROUGH_COMPOSITE" in report.gap_codes()

    rule = "ALARM(KMSKeyDisableOrDelete) AND NOT ALARM(MaintenanceWindow)"
    account_id = account_with(moto_endpoint, composite(rule), subscriber=True)
    report = both_reports(moto_endpoint, aws_env, account_id)
    assert report.status == "FAIL", report.to_json()
    assert "ALARM_NO_ACTIONS" in report.gap_codes()
