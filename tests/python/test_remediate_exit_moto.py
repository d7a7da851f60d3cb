"""``kmswatch remediate`` end to end on moto server: a dry run exits as
``--apply`` does in the same situation (an e-mail awaiting confirmation is
FAIL after applying on AWS, so 1 for both; moto confirms e-mail at once, so
the apply side of that case is the memory backend's test in
kmswatch-core/src/remediate/tests.rs), and ``snapshot`` then ``remediate
--snapshot`` plans the fix offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Tuple

from conftest import boto3_client_factory
from harness import run_kmswatch
from scenarios import GROUP, REGION, Breakage, build_account, unique_account_id


def broken_account(endpoint: str) -> str:
    account_id = unique_account_id()
    # The alarm notifies no one: the plan adds a topic and the subscriber given.
    build_account(boto3_client_factory(endpoint, account_id), account_id, Breakage(alarm_without_actions=True))
    return account_id


def remediate(tmp_path: Path, endpoint: str, account_id: str, *args: str) -> Tuple[int, Dict[str, Any]]:
    done = run_kmswatch(
        tmp_path, "remediate", "--endpoint-url", endpoint, "--region", REGION, "--format", "json", *args,
        account=account_id,
    )
    assert "panicked" not in done.stderr
    document: Dict[str, Any] = json.loads(done.stdout)
    return done.returncode, document


def test_a_dry_run_awaiting_confirmation_exits_1(moto_endpoint: str, tmp_path: Path) -> None:
    account_id = broken_account(moto_endpoint)
    code, plan = remediate(tmp_path, moto_endpoint, account_id, "--email", "secops@example.com")
    assert (plan["predicted_status"], plan["predicted_status_once_confirmed"]) == ("FAIL", "PASS"), plan
    assert code == 1, "FAIL right after applying, as --apply reports it"


def test_a_dry_run_that_passes_exits_as_apply_does(moto_endpoint: str, tmp_path: Path) -> None:
    account_id = broken_account(moto_endpoint)
    queue = ("--subscribe", f"sqs:arn:aws:sqs:{REGION}:{account_id}:secops")
    code, plan = remediate(tmp_path, moto_endpoint, account_id, *queue)
    assert (code, plan["predicted_status"]) == (0, "PASS"), plan
    code_applied, applied = remediate(tmp_path, moto_endpoint, account_id, *queue, "--apply")
    assert (code_applied, applied["status_after"]) == (0, "PASS"), applied


def test_a_snapshot_can_be_remediated(moto_endpoint: str, tmp_path: Path) -> None:
    # A trail and its log group, no metric filter: no alarm is read by
    # metric, so only what the snapshot adds lists the alarm name.
    account_id = broken_account(moto_endpoint)
    boto3_client_factory(moto_endpoint, account_id)("logs").delete_metric_filter(
        logGroupName=GROUP, filterName="KMSKeyDisableOrDelete"
    )
    snapshot = tmp_path / "a.json"
    done = run_kmswatch(
        tmp_path, "snapshot", "--out", str(snapshot), "--endpoint-url", moto_endpoint, "--region", REGION,
        account=account_id,
    )
    assert done.returncode == 0, done.stderr
    offline = run_kmswatch(
        tmp_path, "remediate", "--snapshot", str(snapshot), "--email", "x@example.com", "--format", "json",
        account=account_id,
    )
    assert "ALARMS_UNKNOWN" not in offline.stderr, offline.stderr
    plan = json.loads(offline.stdout)
    assert plan["schema"] == "kmswatch.plan/v1", plan
    assert [a["action"] for a in plan["actions"]], plan
    # The live dry run plans the same actions and exits the same way.
    code, live = remediate(tmp_path, moto_endpoint, account_id, "--email", "x@example.com")
    assert offline.returncode == code == 1, "FAIL until the e-mail is confirmed"
    assert [a["action"] for a in plan["actions"]] == [a["action"] for a in live["actions"]]
