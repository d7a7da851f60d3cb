"""plan and remediate: from snapshots, against moto server (AWS SDK) and
through Boto3Backend under moto.mock_aws."""

from __future__ import annotations

import json
from typing import Any, Callable

import pytest
from moto import mock_aws

import kmswatch
from conftest import EXAMPLES, boto3_client_factory, boto3_module
from kmswatch.adapters import Boto3Backend
from scenarios import REGION, Breakage, build_account, unique_account_id

AwsEnv = Callable[[str, str], None]
SQS = "sqs:arn:aws:sqs:us-east-1:111122223333:alerts"


def test_a_compliant_snapshot_needs_no_change() -> None:
    plan = kmswatch.plan(EXAMPLES / "compliant.json")
    assert plan.is_empty
    assert plan.status_before == "PASS"
    assert plan.schema == "kmswatch.plan/v1"
    assert json.loads(plan.to_json()) == plan.to_dict()


@pytest.mark.smoke
def test_a_snapshot_plan_and_its_preview() -> None:
    snapshot = EXAMPLES / "broken-alarm-no-actions.json"
    plan = kmswatch.plan(snapshot, subscribe=SQS)
    assert plan.actions[0]["action"] == "create_topic"
    assert plan.status_before == "FAIL"
    result = kmswatch.remediate(snapshot, subscribe=SQS)
    assert isinstance(result, kmswatch.Plan)
    assert result.actions == plan.actions
    assert result.predicted_status == "PASS"
    assert result.applied is False and result.status_after is None
    assert result.diff
    with pytest.raises(kmswatch.KmswatchError, match="live account"):
        kmswatch.remediate(snapshot, subscribe=SQS, apply=True)


def test_refusals_raise_remediation_error() -> None:
    with pytest.raises(kmswatch.RemediationError) as caught:
        kmswatch.plan(EXAMPLES / "broken-trail-not-logging.json")
    assert caught.value.code == "prerequisite_missing"
    with pytest.raises(kmswatch.RemediationError) as caught:
        kmswatch.plan(EXAMPLES / "broken-alarm-no-actions.json", subscribe="sms:+15550100")
    assert caught.value.code == "invalid_option"
    with pytest.raises(kmswatch.KmswatchError, match="not both"):
        kmswatch.plan(EXAMPLES / "compliant.json", email="a@example.com", subscribe=SQS)


def test_errors_name_python_keywords_not_cli_flags() -> None:
    with pytest.raises(kmswatch.RemediationError) as caught:
        kmswatch.plan(EXAMPLES / "broken-alarm-no-actions.json")
    assert caught.value.code == "no_subscriber"
    message = str(caught.value)
    assert "email=" in message and "topic_arn=" in message, message
    assert "--" not in message, message


def test_plan_predicts_the_verdict_like_the_cli_dry_run() -> None:
    plan = kmswatch.plan(EXAMPLES / "broken-alarm-no-actions.json", email="secops@example.com")
    assert plan.predicted_status == "FAIL"
    assert plan.predicted_status_once_confirmed == "PASS"
    plan = kmswatch.plan(EXAMPLES / "broken-alarm-no-actions.json", subscribe=SQS)
    assert plan.predicted_status == "PASS"


def test_snapshot_errors_point_into_the_users_document() -> None:
    facts = json.loads((EXAMPLES / "compliant.json").read_text())
    facts["trails"][0]["status"]["is_logging"] = "yes"
    with pytest.raises(kmswatch.SnapshotError) as caught:
        kmswatch.check_snapshot(facts)
    message = str(caught.value)
    assert "trails[0].status.is_logging" in message, message
    assert "line" not in message, "no position in a serialization the user never saw"


def test_remediate_applies_on_moto_server(moto_endpoint: str, aws_env: AwsEnv) -> None:
    account_id = unique_account_id()
    build_account(
        boto3_client_factory(moto_endpoint, account_id), account_id, Breakage(threshold_zero=True)
    )
    aws_env(moto_endpoint, account_id)
    assert kmswatch.check().status == "FAIL"
    planned = kmswatch.plan()
    assert planned.actions and planned.account_id == account_id
    dry = kmswatch.remediate()
    assert dry.applied is False and dry.predicted_status == "PASS"
    assert kmswatch.check().status == "FAIL"
    done = kmswatch.remediate(apply=True)
    assert done.applied is True
    assert done.status_after == "PASS", done.to_json()
    assert kmswatch.check().status == "PASS"


def test_remediate_applies_through_boto3_backend(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    account_id = unique_account_id()
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("MOTO_ACCOUNT_ID", account_id)
    with mock_aws():
        session: Any = boto3_module().session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
        )
        build_account(session.client, account_id, Breakage(alarm_without_actions=True))
        backend = Boto3Backend(session)
        assert kmswatch.check(backend=backend).status == "FAIL"
        done = kmswatch.remediate(backend=backend, apply=True, subscribe=f"sqs:arn:aws:sqs:{REGION}:{account_id}:alerts")
        assert done.applied is True
        assert done.status_after == "PASS", done.to_json()
        assert kmswatch.check(backend=backend).status == "PASS"
