"""The accounts of the CLI end-to-end tests (kmswatch-cli/tests/check_e2e.rs),
built with boto3: trail -> log group -> metric filter -> alarm -> topic, with
one link broken on demand. The same builder runs against moto server and
under ``moto.mock_aws``."""

from __future__ import annotations

import dataclasses
import json
import os
import itertools
from typing import Any, Callable, Dict, List

REGION = "us-east-1"
GROUP = "aws-cloudtrail-logs"
CIS = (
    "{($.eventSource = kms.amazonaws.com) && "
    "(($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }"
)

ClientFactory = Callable[[str], Any]


@dataclasses.dataclass(frozen=True)
class Breakage:
    """What to leave out of the compliant account."""

    not_logging: bool = False
    single_region: bool = False
    pattern_misses_schedule: bool = False
    alarm_without_actions: bool = False
    topic_without_subscriber: bool = False
    threshold_zero: bool = False
    no_alarm: bool = False


# Each broken link and the gap code it must produce.
BROKEN_LINKS: List[tuple[Breakage, str]] = [
    (Breakage(not_logging=True), "TRAIL_NOT_LOGGING"),
    (Breakage(single_region=True), "TRAIL_NOT_MULTI_REGION"),
    (Breakage(pattern_misses_schedule=True), "PATTERN_MISSES:ScheduleKeyDeletion"),
    (Breakage(alarm_without_actions=True), "ALARM_NO_ACTIONS"),
    (Breakage(topic_without_subscriber=True), "TOPIC_NO_CONFIRMED_SUBSCRIPTION"),
    (Breakage(threshold_zero=True), "ALARM_ALWAYS_IN_ALARM"),
]

_next = itertools.count()


def unique_account_id() -> str:
    """An account id no other test of this run uses (moto isolates state by account)."""
    return f"8{os.getpid() % 1_000_000:06d}{next(_next) % 100_000:05d}"


def build_account(client: ClientFactory, account_id: str, broken: Breakage = Breakage()) -> None:
    """Creates the account's monitoring chain with ``client(service)``."""
    client("logs").create_log_group(logGroupName=GROUP)
    build_trail(client, account_id, f"arn:aws:logs:{REGION}:{account_id}:log-group:{GROUP}:*", broken)
    build_chain(client, account_id, broken)


def build_trail(
    client: ClientFactory,
    account_id: str,
    group_arn: str,
    broken: Breakage = Breakage(),
    organization: bool = False,
) -> str:
    """Creates the account's trail, delivering to ``group_arn`` (in any
    account), an organization trail when ``organization``; returns its ARN."""
    bucket = f"trail-{account_id}"
    client("s3").create_bucket(Bucket=bucket)
    trails = client("cloudtrail")
    created = trails.create_trail(
        Name="organization-events" if organization else "management-events",
        S3BucketName=bucket,
        IsMultiRegionTrail=not broken.single_region,
        IsOrganizationTrail=organization,
        CloudWatchLogsLogGroupArn=group_arn,
        CloudWatchLogsRoleArn=f"arn:aws:iam::{account_id}:role/CloudTrailToCloudWatch",
    )
    if not broken.not_logging:
        trails.start_logging(Name=created["Name"])
    return str(created["TrailARN"])


def build_chain(
    client: ClientFactory, account_id: str, broken: Breakage = Breakage(), pattern: str | None = None
) -> None:
    """Creates, on the existing log group ``GROUP`` of the account, the metric
    filter (``pattern``, by default the CIS one), alarm and topic."""
    logs = client("logs")
    if pattern is None:
        pattern = (
            "{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey) }"
            if broken.pattern_misses_schedule
            else CIS
        )
    logs.put_metric_filter(
        logGroupName=GROUP,
        filterName="KMSKeyDisableOrDelete",
        filterPattern=pattern,
        metricTransformations=[
            {
                "metricName": "KMSKeyDisableOrDelete",
                "metricNamespace": "CISBenchmark",
                "metricValue": "1",
                "defaultValue": 0.0,
            }
        ],
    )
    sns = client("sns")
    topic_arn = sns.create_topic(Name="security-alerts")["TopicArn"]
    if not broken.topic_without_subscriber:
        sns.subscribe(
            TopicArn=topic_arn,
            Protocol="sqs",
            Endpoint=f"arn:aws:sqs:{REGION}:{account_id}:secops",
        )
    alarm: Dict[str, Any] = {
        "AlarmName": "KMSKeyDisableOrDelete",
        "Namespace": "CISBenchmark",
        "MetricName": "KMSKeyDisableOrDelete",
        "Statistic": "Sum",
        "Period": 300,
        "EvaluationPeriods": 1,
        "DatapointsToAlarm": 1,
        "Threshold": 0.0 if broken.threshold_zero else 1.0,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "TreatMissingData": "notBreaching",
    }
    if not broken.alarm_without_actions:
        alarm["AlarmActions"] = [topic_arn]
    if not broken.no_alarm:
        client("cloudwatch").put_metric_alarm(**alarm)


EVENTBRIDGE_PATTERN = (
    '{"source": ["aws.kms"], "detail-type": ["AWS API Call via CloudTrail"], '
    '"detail": {"eventSource": ["kms.amazonaws.com"], "eventName": ["DisableKey", "ScheduleKeyDeletion"]}}'
)


def build_eventbridge_rule(
    client: ClientFactory, account_id: str, region: str = REGION, events_may_publish: bool = True
) -> str:
    """An EventBridge rule on the default event bus of ``region`` that sends
    DisableKey and ScheduleKeyDeletion to an SNS topic with a confirmed sqs
    subscriber; the topic policy lets EventBridge publish unless
    ``events_may_publish`` is false. Returns the topic ARN."""
    sns = client("sns")
    topic_arn = str(sns.create_topic(Name="kms-events")["TopicArn"])
    if events_may_publish:
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "Owner",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                    "Action": "SNS:Publish",
                    "Resource": topic_arn,
                },
                {
                    "Sid": "EventBridge",
                    "Effect": "Allow",
                    "Principal": {"Service": "events.amazonaws.com"},
                    "Action": "sns:Publish",
                    "Resource": topic_arn,
                },
            ],
        }
        sns.set_topic_attributes(TopicArn=topic_arn, AttributeName="Policy", AttributeValue=json.dumps(policy))
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=f"arn:aws:sqs:{region}:{account_id}:oncall")
    events = client("events")
    events.put_rule(Name="kms-key-events", EventPattern=EVENTBRIDGE_PATTERN, State="ENABLED")
    events.put_targets(Rule="kms-key-events", Targets=[{"Id": "oncall", "Arn": topic_arn}])
    return topic_arn
