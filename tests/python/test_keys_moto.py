"""Keys at risk, history and the response end to end on moto: the CLI and the
Python functions, with the AWS SDK for Rust and with Boto3Backend."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any, Callable, Dict, Tuple

import pytest

import kmswatch
from conftest import boto3_module
from harness import assert_matches_schema, run_kmswatch

REGIONS = ("us-east-1", "eu-west-1")


def fresh_account() -> str:
    """An account of its own, so that keys of other tests do not show up."""
    return str(random.randint(10**11, 10**12 - 1))


def seed(endpoint: str, account: str) -> Dict[str, str]:
    """Per region: an enabled key with an alias, a key pending deletion and a
    disabled key. Returns their ARNs by name."""
    arns: Dict[str, str] = {}
    for region in REGIONS:
        session_kms = _kms(endpoint, account, region)
        app = session_kms.create_key(Description="app")["KeyMetadata"]
        session_kms.create_alias(AliasName=f"alias/app-{region}", TargetKeyId=app["KeyId"])
        pending = session_kms.create_key()["KeyMetadata"]
        session_kms.schedule_key_deletion(KeyId=pending["KeyId"], PendingWindowInDays=7)
        disabled = session_kms.create_key()["KeyMetadata"]
        session_kms.disable_key(KeyId=disabled["KeyId"])
        arns[f"app-{region}"] = app["Arn"]
        arns[f"pending-{region}"] = pending["Arn"]
        arns[f"disabled-{region}"] = disabled["Arn"]
    return arns


def _kms(endpoint: str, account: str, region: str) -> Any:
    session = boto3_module().session.Session(
        aws_access_key_id=account, aws_secret_access_key="testing", region_name=region
    )
    return session.client("kms", endpoint_url=endpoint)


def cli(tmp_path: Path, endpoint: str, account: str, *args: str) -> Tuple[int, Dict[str, Any]]:
    done = run_kmswatch(tmp_path, *args, "--endpoint-url", endpoint, "--format", "json", account=account)
    document: Dict[str, Any] = json.loads(done.stdout)
    assert_matches_schema(document)
    return done.returncode, document


def test_keys_lists_keys_at_risk_and_exits_1(tmp_path: Path, moto_endpoint: str) -> None:
    account = fresh_account()
    arns = seed(moto_endpoint, account)
    code, doc = cli(tmp_path, moto_endpoint, account, "keys", "--regions", ",".join(REGIONS))
    assert code == 1
    assert doc["schema"] == "kmswatch.keys/v1"
    assert doc["status"] == "FAIL"
    assert doc["account_id"] == account
    assert doc["regions"] == list(REGIONS)
    by_arn = {k["arn"]: k for k in doc["keys"]}
    assert set(by_arn) == set(arns.values())
    pending = by_arn[arns["pending-eu-west-1"]]
    assert pending["key_state"] == "PendingDeletion"
    assert pending["risk"] == "pending_deletion"
    assert pending["days_left"] in (6, 7)
    assert pending["deletion_date"]
    assert by_arn[arns["disabled-us-east-1"]]["risk"] == "disabled"
    assert by_arn[arns["app-us-east-1"]]["aliases"] == ["alias/app-us-east-1"]
    assert doc["keys"][0]["risk"] == "pending_deletion", "pending deletion comes first"
    assert isinstance(doc["api_calls"], int) and doc["api_calls"] >= 1 + 2 * 2 + 6


def test_respond_cancels_then_enables_and_refuses_otherwise(tmp_path: Path, moto_endpoint: str) -> None:
    account = fresh_account()
    key = seed(moto_endpoint, account)["pending-us-east-1"]

    code, refused = cli(tmp_path, moto_endpoint, account, "respond", "enable", key, "--apply")
    assert code == 1
    assert refused["refused"] is True and refused["applied"] is False
    assert "cancel-deletion" in refused["message"]

    code, dry = cli(tmp_path, moto_endpoint, account, "respond", "cancel-deletion", key)
    assert code == 0 and dry["applied"] is False and dry["refused"] is False
    assert dry["after"]["key_state"] == "PendingDeletion"

    code, done = cli(tmp_path, moto_endpoint, account, "respond", "cancel-deletion", key, "--apply")
    assert code == 0 and done["applied"] is True
    assert done["before"]["key_state"] == "PendingDeletion"
    assert done["after"] == {"exists": True, "key_state": "Disabled", "deletion_date": None}

    code, again = cli(tmp_path, moto_endpoint, account, "respond", "cancel-deletion", key, "--apply")
    assert code == 1 and again["refused"] is True, "no deletion left to cancel"

    code, enabled = cli(tmp_path, moto_endpoint, account, "respond", "enable", key, "--apply")
    assert code == 0 and enabled["after"]["key_state"] == "Enabled"

    code, usage = cli(tmp_path, moto_endpoint, account, "respond", "enable", "alias/app")
    assert code == 2 and usage["schema"] == "kmswatch.error/v1"


def test_history_without_event_history_is_an_error(tmp_path: Path, moto_endpoint: str) -> None:
    # moto does not serve CloudTrail LookupEvents: the lookups fail, and the
    # document says so (ERROR, exit 3) instead of claiming that nothing happened.
    account = fresh_account()
    code, doc = cli(tmp_path, moto_endpoint, account, "history", "--regions", "us-east-1", "--days", "7")
    assert code == 3
    assert doc["schema"] == "kmswatch.history/v1"
    assert doc["status"] == "ERROR"
    assert doc["monitoring_at_the_time"] == "unknown"
    assert [e["operation"] for e in doc["errors"]] == ["LookupEvents", "LookupEvents"]
    code, usage = cli(tmp_path, moto_endpoint, account, "history", "--days", "91")
    assert code == 2 and usage["error"]["code"] == "usage"


def test_python_keys_and_respond_on_both_backends(
    moto_endpoint: str, aws_env: Callable[[str, str], None]
) -> None:
    account = fresh_account()
    aws_env(moto_endpoint, account)
    arns = seed(moto_endpoint, account)
    sdk = kmswatch.keys(["us-east-1"])
    adapters = pytest.importorskip("kmswatch.adapters")
    boto = kmswatch.keys(["us-east-1"], backend=adapters.Boto3Backend(endpoint_url=moto_endpoint))
    for doc in (sdk, boto):
        assert doc["status"] == "FAIL"
        assert {k["arn"] for k in doc["keys"]} == {arns[f"{n}-us-east-1"] for n in ("app", "pending", "disabled")}
    key = arns["disabled-us-east-1"]
    backend = adapters.Boto3Backend(endpoint_url=moto_endpoint)
    dry = kmswatch.respond("enable", key, backend=backend)
    assert dry["applied"] is False and dry["before"]["key_state"] == "Disabled"
    done = kmswatch.respond("enable", key, apply=True)
    assert done["after"]["key_state"] == "Enabled"
    with pytest.raises(kmswatch.KmswatchError):
        kmswatch.respond("delete", key)  # type: ignore[arg-type]
    with pytest.raises(kmswatch.KmswatchError):
        kmswatch.history(days=91)


def test_check_keys_adds_the_section_and_keeps_the_verdict(
    tmp_path: Path, moto_endpoint: str, aws_env: Callable[[str, str], None]
) -> None:
    account = fresh_account()
    arns = seed(moto_endpoint, account)
    code, plain = cli(tmp_path, moto_endpoint, account, "check")
    assert "keys" not in plain
    code_with_keys, report = cli(tmp_path, moto_endpoint, account, "check", "--keys", "--regions", "eu-west-1")
    assert code_with_keys == code and report["status"] == plain["status"]
    assert report["keys"]["status"] == "FAIL"
    assert report["keys"]["regions"] == ["eu-west-1"]
    assert {k["arn"] for k in report["keys"]["keys"]} == {
        arns[f"{n}-eu-west-1"] for n in ("app", "pending", "disabled")
    }
    aws_env(moto_endpoint, account)
    section = kmswatch.check(keys=True, regions=["eu-west-1"]).to_dict()["keys"]
    assert section is not None
    assert section["status"] == "FAIL" and len(section["keys"]) == 3
    assert "keys" not in kmswatch.check().to_dict()
    history = kmswatch.history(7, ["us-east-1"])
    assert history["status"] == "ERROR" and history["monitoring_at_the_time"] == "unknown"


def test_handle_event_recommends_without_calling_aws() -> None:
    record = {
        "eventSource": "kms.amazonaws.com",
        "eventName": "ScheduleKeyDeletion",
        "awsRegion": "eu-west-1",
        "recipientAccountId": "111122223333",
        "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/ops/eve"},
        "sourceIPAddress": "198.51.100.7",
        "requestParameters": {"keyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "pendingWindowInDays": 7},
        "eventID": "e1",
        "eventTime": "2026-03-04T18:20:31Z",
    }
    event = {"source": "aws.kms", "detail-type": "AWS API Call via CloudTrail", "detail": record}
    recommendation = kmswatch.handle_event(event)
    assert recommendation["schema"] == "kmswatch.recommendation/v1"
    assert [a["action"] for a in recommendation["actions"]] == ["cancel-deletion", "enable"]
    key = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert recommendation["actions"][0]["key_arn"] == key
    assert recommendation["event"]["user_identity_arn"].endswith("assumed-role/ops/eve")
    assert recommendation["event"]["pending_window_in_days"] == 7
    assert kmswatch.handle_event({"source": "aws.ec2", "detail": {}})["actions"] == []
