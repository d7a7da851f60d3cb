"""The CLI end-to-end scenarios through the Python API: the AWS SDK for Rust
against moto server, and Boto3Backend under moto.mock_aws, must give the same
reports."""

from __future__ import annotations

import contextlib
import json
from typing import Any, Callable, Dict, Iterator

import pytest
from moto import mock_aws

import kmswatch
from conftest import boto3_client_factory, boto3_module
from harness import verdict_of
from kmswatch.adapters import Boto3Backend
from scenarios import BROKEN_LINKS, REGION, Breakage, build_account, unique_account_id

AwsEnv = Callable[[str, str], None]


def check_on_moto_server(endpoint: str, aws_env: AwsEnv, broken: Breakage) -> kmswatch.Report:
    account_id = unique_account_id()
    build_account(boto3_client_factory(endpoint, account_id), account_id, broken)
    aws_env(endpoint, account_id)
    return kmswatch.check()


@contextlib.contextmanager
def in_process_account(
    monkeypatch: pytest.MonkeyPatch, account_id: str, broken: Breakage
) -> Iterator[Any]:
    """The account built under moto.mock_aws; yields a boto3 session in it."""
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("MOTO_ACCOUNT_ID", account_id)
    with mock_aws():
        session = boto3_module().session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
        )
        build_account(session.client, account_id, broken)
        yield session


@pytest.mark.smoke
def test_compliant_account_passes(moto_endpoint: str, aws_env: AwsEnv) -> None:
    report = check_on_moto_server(moto_endpoint, aws_env, Breakage())
    assert report.status == "PASS", report.to_json()
    assert report.exit_code == 0
    assert report.schema == "kmswatch.report/v1"
    assert report.cis_pattern["exact"] is True
    assert report.api_calls is not None and 6 <= report.api_calls <= 10, report.api_calls
    assert report.chains[0]["status"] == "PASS"
    assert report.account_id in report.chains[0]["trail_arn"]


@pytest.mark.parametrize("broken,expected", BROKEN_LINKS, ids=[c for _, c in BROKEN_LINKS])
def test_each_broken_link_fails_with_its_gap(
    moto_endpoint: str, aws_env: AwsEnv, broken: Breakage, expected: str
) -> None:
    report = check_on_moto_server(moto_endpoint, aws_env, broken)
    assert report.status == "FAIL", report.to_json()
    assert report.exit_code == 1
    assert expected in report.gap_codes()


SCENARIOS = [("compliant", Breakage())] + [(code, b) for b, code in BROKEN_LINKS]


@pytest.mark.parametrize("broken", [b for _, b in SCENARIOS], ids=[n for n, _ in SCENARIOS])
def test_moto_server_and_boto3_backend_give_identical_reports(
    moto_endpoint: str,
    aws_env: AwsEnv,
    monkeypatch: pytest.MonkeyPatch,
    broken: Breakage,
) -> None:
    # One account id for both, so that every ARN in the reports is the same.
    account_id = unique_account_id()
    build_account(boto3_client_factory(moto_endpoint, account_id), account_id, broken)
    aws_env(moto_endpoint, account_id)
    sdk_report = kmswatch.check()
    with in_process_account(monkeypatch, account_id, broken) as session:
        in_process = kmswatch.check(backend=Boto3Backend(session))
    assert sdk_report.account_id == account_id
    assert verdict_of(in_process.to_dict()) == verdict_of(sdk_report.to_dict())
    assert in_process.api_calls == sdk_report.api_calls


def test_aws_sdk_environment_variables_are_honoured(
    moto_endpoint: str, aws_env: AwsEnv
) -> None:
    account_id = unique_account_id()
    build_account(boto3_client_factory(moto_endpoint, account_id), account_id)
    aws_env(moto_endpoint, account_id)
    by_env = kmswatch.check()
    explicit = kmswatch.check(region=REGION, endpoint_url=moto_endpoint)
    # The same report, made a moment apart: generated_at may differ by a second.
    assert verdict_of(by_env.to_dict()) == verdict_of(explicit.to_dict())
    assert by_env.account_id == account_id


def test_snapshot_then_offline_check_gives_the_same_verdict(
    moto_endpoint: str, aws_env: AwsEnv, tmp_path: Any
) -> None:
    account_id = unique_account_id()
    build_account(
        boto3_client_factory(moto_endpoint, account_id),
        account_id,
        Breakage(alarm_without_actions=True),
    )
    aws_env(moto_endpoint, account_id)
    facts = kmswatch.snapshot()
    assert facts["schema"] == kmswatch.FACTS_SCHEMA
    assert facts["account_id"] == account_id
    assert str(facts["captured_at"]).endswith("Z")
    live = kmswatch.check().to_dict()
    file = tmp_path / "snapshot.json"
    file.write_text(json.dumps(facts))
    for offline_report in (kmswatch.check_snapshot(facts), kmswatch.check_snapshot(file)):
        offline: Dict[str, Any] = dict(offline_report.to_dict())
        assert offline["api_calls"] is None
        assert offline["captured_at"] == facts["captured_at"]
        assert verdict_of(offline) == verdict_of(live)


def test_boto3_backend_snapshot_matches_the_sdk_snapshot(
    moto_endpoint: str, aws_env: AwsEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    account_id = unique_account_id()
    build_account(boto3_client_factory(moto_endpoint, account_id), account_id)
    aws_env(moto_endpoint, account_id)
    sdk_facts = kmswatch.snapshot()
    with in_process_account(monkeypatch, account_id, Breakage()) as session:
        boto3_facts = kmswatch.snapshot(backend=Boto3Backend(session))
    for facts in (sdk_facts, boto3_facts):
        del facts["captured_at"]
        for trail in facts["trails"]:
            # moto reports when delivery last happened: a wall-clock time.
            (trail.get("status") or {}).pop("latest_cloud_watch_logs_delivery_time", None)
        for region in facts["alarms"]:
            for alarm in region.get("alarms") or []:
                # ...when each alarm last changed state...
                alarm.pop("state_updated_timestamp", None)
        for topic in facts["topics"]:
            for subscription in topic.get("subscriptions") or []:
                # ...and random subscription ids.
                arn = subscription["subscription_arn"]
                subscription["subscription_arn"] = arn.rsplit(":", 1)[0]
            for attributes in topic.get("subscription_attributes") or []:
                arn = attributes["subscription_arn"]
                attributes["subscription_arn"] = arn.rsplit(":", 1)[0]
    assert boto3_facts == sdk_facts


def test_input_errors_raise(offline_env: None) -> None:
    with pytest.raises(kmswatch.AwsError, match="not an AWS region name") as caught:
        kmswatch.check(region="mars-central")
    assert caught.value.code == "InvalidRegion"
    assert caught.value.operation == "Connect"
    with pytest.raises(kmswatch.AwsError) as caught:
        kmswatch.check(endpoint_url="ftp://example")
    assert caught.value.code == "InvalidEndpoint"
    with pytest.raises(kmswatch.AwsError) as caught:
        kmswatch.check(profile="no-such-profile")
    assert caught.value.code == "ProfileNotFound"


def test_unreachable_endpoint_is_an_error_not_a_verdict(offline_env: None) -> None:
    with pytest.raises(kmswatch.AwsError) as caught:
        kmswatch.check()
    error = caught.value
    assert isinstance(error, kmswatch.KmswatchError)
    assert error.operation == "GetCallerIdentity"
    assert error.kind == "transport"
    assert error.region == REGION
