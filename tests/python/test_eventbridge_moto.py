"""EventBridge as monitoring, end to end on moto server: an account whose CIS
metric-filter chain fails (a pattern that misses ScheduleKeyDeletion) but whose
default event bus has a rule sending KMS key events to an SNS topic. The AWS
SDK for Rust, ``Boto3Backend`` and the CLI must agree on ``monitored_by``; the
CIS verdict stays FAIL; ``--accept eventbridge`` turns it into PASS once the
regions that hold customer managed keys are listed and covered, never while
they are unknown (a snapshot without the listing)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest

import kmswatch
from conftest import EXAMPLES, boto3_client_factory
from harness import run_kmswatch, verdict_of
from kmswatch.adapters import Boto3Backend
from scenarios import REGION, Breakage, build_account, build_eventbridge_rule, unique_account_id

AwsEnv = Callable[[str, str], None]


def failing_account(endpoint: str, events_may_publish: bool = True, rule: bool = True) -> str:
    account_id = unique_account_id()
    client = boto3_client_factory(endpoint, account_id)
    build_account(client, account_id, Breakage(pattern_misses_schedule=True))
    if rule:
        build_eventbridge_rule(client, account_id, events_may_publish=events_may_publish)
    return account_id


def monitors(report: Dict[str, Any]) -> List[Dict[str, Any]]:
    found: List[Dict[str, Any]] = report.get("monitored_by", [])
    return found


def test_a_rule_to_a_topic_with_a_subscriber_monitors_the_region(moto_endpoint: str, aws_env: AwsEnv) -> None:
    account_id = failing_account(moto_endpoint)
    aws_env(moto_endpoint, account_id)
    sdk = kmswatch.check()
    assert sdk.status == "FAIL", sdk.to_json()
    [monitor] = sdk.monitored_by
    assert monitor["kind"] == "eventbridge"
    assert monitor["region"] == REGION
    assert monitor["rule"] == "kms-key-events"
    assert monitor["catches"] == ["DisableKey", "ScheduleKeyDeletion"]
    assert monitor["status"] == "PASS", json.dumps(monitor, indent=2)
    [target] = monitor["targets"]
    assert target["kind"] == "sns" and target["confirmed_subscriptions"] == 1
    session = __import__("boto3").session.Session(
        aws_access_key_id=account_id, aws_secret_access_key="testing", region_name=REGION
    )
    boto3 = kmswatch.check(backend=Boto3Backend(session, endpoint_url=moto_endpoint))
    assert verdict_of(boto3.to_dict()) == verdict_of(sdk.to_dict())
    assert boto3.api_calls == sdk.api_calls


def test_a_topic_eventbridge_may_not_publish_to_fails_the_monitor(moto_endpoint: str, aws_env: AwsEnv) -> None:
    aws_env(moto_endpoint, failing_account(moto_endpoint, events_may_publish=False))
    [monitor] = kmswatch.check().monitored_by
    assert monitor["status"] == "FAIL"
    codes = [g["code"] for t in monitor["targets"] for g in t["gaps"]]
    assert codes == ["EVENTBRIDGE_TOPIC_NOT_PUBLISHABLE"], json.dumps(monitor, indent=2)


def test_without_a_rule_the_monitor_fails(moto_endpoint: str, aws_env: AwsEnv) -> None:
    aws_env(moto_endpoint, failing_account(moto_endpoint, rule=False))
    [monitor] = kmswatch.check().monitored_by
    assert (monitor["status"], monitor["rule"]) == ("FAIL", None)
    assert [g["code"] for g in monitor["gaps"]] == ["EVENTBRIDGE_NO_RULE"]


def test_accepting_eventbridge_lists_the_regions_of_the_keys(
    moto_endpoint: str, aws_env: AwsEnv, tmp_path: Path
) -> None:
    account_id = failing_account(moto_endpoint)
    done = run_kmswatch(
        tmp_path,
        "check",
        "--endpoint-url",
        moto_endpoint,
        "--region",
        REGION,
        "--accept",
        "eventbridge",
        "--format",
        "json",
        account=account_id,
    )
    report = json.loads(done.stdout)
    # No customer managed key in any region: the check region's rule decides.
    assert done.returncode == 0, done.stderr
    assert report["status"] == "PASS"
    assert report["accepted_by"] == "eventbridge"
    assert monitors(report)[0]["status"] == "PASS"
    table = run_kmswatch(
        tmp_path, "check", "--endpoint-url", moto_endpoint, "--region", REGION, account=account_id
    )
    assert "monitored by" in table.stdout and "kms-key-events" in table.stdout
    aws_env(moto_endpoint, account_id)
    python = kmswatch.check(accept=["eventbridge"])
    assert python.status == "PASS" and python.accepted_by == "eventbridge"
    # A snapshot holds no key listing: acceptance cannot apply to it.
    replayed = kmswatch.check_snapshot(kmswatch.snapshot(), accept=["eventbridge"])
    assert replayed.status == "FAIL"
    assert "EVENTBRIDGE_KEY_REGIONS_UNKNOWN" in [g["code"] for g in replayed.to_dict()["warnings"]]


def test_an_unknown_kind_is_a_usage_error(tmp_path: Path) -> None:
    done = run_kmswatch(tmp_path, "check", "--snapshot", str(EXAMPLES / "compliant.json"), "--accept", "sns")
    assert done.returncode == 2
    assert "eventbridge" in done.stderr
    with pytest.raises(kmswatch.KmswatchError, match="eventbridge"):
        kmswatch.check_snapshot(EXAMPLES / "compliant.json", accept=["sns"])
