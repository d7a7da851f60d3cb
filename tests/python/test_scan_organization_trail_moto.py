"""Organization trails end to end on moto server: ONE trail in the management
account logs every member; its log group, filter, alarm and topic are in the
management account or in a log-archive member. Members see the trail as AWS
shows it (tests/moto/organization_trails.py). One ``kmswatch scan`` gives
every account the verdict of that chain for its own events, and
``kmswatch check --log-account-role`` follows it from a single member."""

from __future__ import annotations

import json
import subprocess
import urllib.parse
from pathlib import Path
from typing import Any

import pytest

import org_scenarios
import scenarios
from conftest import boto3_client_factory, boto3_module
from harness import assert_matches_schema, kmswatch_binary_or_skip, kmswatch_env
from scenarios import GROUP, REGION, Breakage, unique_account_id

MEMBERS = 4
SCOPED = (
    '{{ ($.recipientAccountId = "{account}") && ($.eventSource = kms.amazonaws.com) && '
    "(($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }}"
)


class Layout:
    """An organization: its management account, its members (the first is
    the log archive when the chain is there), and where the chain is."""

    def __init__(self, endpoint: str, in_log_archive: bool = False, broken: Breakage = Breakage(),
                 scoped: bool = False, stopped: bool = False) -> None:
        self.management = unique_account_id()
        client = self.client_in(endpoint)
        org = client(self.management)("organizations")
        org.create_organization(FeatureSet="ALL")
        self.members = [
            org.create_account(Email=f"m{i}@example.com", AccountName=f"member-{i}")["CreateAccountStatus"][
                "AccountId"
            ]
            for i in range(MEMBERS)
        ]
        self.holder = self.members[0] if in_log_archive else self.management
        client(self.holder)("logs").create_log_group(logGroupName=GROUP)
        group = f"arn:aws:logs:{REGION}:{self.holder}:log-group:{GROUP}:*"
        trail_breakage = Breakage(not_logging=stopped)
        self.trail = scenarios.build_trail(client(self.management), self.management, group, trail_breakage, True)
        pattern = SCOPED.format(account=self.management) if scoped else None
        scenarios.build_chain(client(self.holder), self.holder, broken, pattern)

    @staticmethod
    def client_in(endpoint: str) -> Any:
        return lambda account: boto3_client_factory(endpoint, account)

    def everyone(self) -> list[str]:
        return [self.management, *self.members]


@pytest.fixture(scope="module")
def binary() -> Path:
    return kmswatch_binary_or_skip()


def run(binary: Path, endpoint: str, account: str, home: Path, *args: str) -> tuple[int, Any, str]:
    done = subprocess.run(
        [str(binary), *args, "--endpoint-url", endpoint, "--format", "json"],
        env=kmswatch_env(home, account, "testing"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    return done.returncode, json.loads(done.stdout), done.stderr


def scan(binary: Path, endpoint: str, layout: Layout, home: Path, *args: str) -> tuple[int, dict[str, Any]]:
    code, document, stderr = run(binary, endpoint, layout.management, home, "scan", *args)
    assert document["schema"] == "kmswatch.scan/v1", stderr
    assert_matches_schema(document)
    return code, document


def verdicts(document: dict[str, Any]) -> dict[str, str]:
    return {r["account_id"]: r["status"] for r in document["accounts"]}


@pytest.fixture(scope="module")
def in_management(moto_endpoint: str) -> Layout:
    return Layout(moto_endpoint)


def test_a_chain_in_the_management_account_passes_every_member(
    binary: Path, moto_endpoint: str, in_management: Layout, tmp_path: Path
) -> None:
    code, document = scan(binary, moto_endpoint, in_management, tmp_path, "--organization")
    assert verdicts(document) == {a: "PASS" for a in in_management.everyone()}
    assert code == 0
    member = next(r for r in document["accounts"] if r["account_id"] == in_management.members[1])
    chain = member["chains"][0]
    assert chain["trail_arn"] == in_management.trail
    assert chain["organization_trail"] is True
    assert chain["trail_account_id"] == in_management.management
    assert chain["log_group_account_id"] == in_management.management
    alarm = chain["metric_filters"][0]["alarms"][0]
    assert alarm["account_id"] == in_management.management
    assert f"organization trail organization-events of account {in_management.management}" in member["summary"]


def test_the_same_chain_without_its_alarm_fails_every_member(
    binary: Path, moto_endpoint: str, tmp_path: Path
) -> None:
    layout = Layout(moto_endpoint, broken=Breakage(no_alarm=True))
    code, document = scan(binary, moto_endpoint, layout, tmp_path, "--organization")
    assert verdicts(document) == {a: "FAIL" for a in layout.everyone()}
    assert code == 1


def test_a_chain_in_a_log_archive_passes_the_management_account_and_every_member(
    binary: Path, moto_endpoint: str, tmp_path: Path
) -> None:
    layout = Layout(moto_endpoint, in_log_archive=True)
    code, document = scan(binary, moto_endpoint, layout, tmp_path, "--organization")
    assert verdicts(document) == {a: "PASS" for a in layout.everyone()}
    assert code == 0
    management = next(r for r in document["accounts"] if r["account_id"] == layout.management)
    assert management["chains"][0]["log_group_account_id"] == layout.holder


def test_a_filter_scoped_to_the_management_account_passes_it_and_fails_the_members(
    binary: Path, moto_endpoint: str, tmp_path: Path
) -> None:
    layout = Layout(moto_endpoint, scoped=True)
    code, document = scan(binary, moto_endpoint, layout, tmp_path, "--organization")
    expected = {a: "FAIL" for a in layout.members}
    expected[layout.management] = "PASS"
    assert verdicts(document) == expected
    assert code == 1


def test_a_stopped_organization_trail_fails_all_but_a_member_with_its_own_chain(
    binary: Path, moto_endpoint: str, tmp_path: Path
) -> None:
    layout = Layout(moto_endpoint, stopped=True)
    own = layout.members[2]
    scenarios.build_account(Layout.client_in(moto_endpoint)(own), own)
    code, document = scan(binary, moto_endpoint, layout, tmp_path, "--organization")
    expected = {a: "FAIL" for a in layout.everyone()}
    expected[own] = "PASS"
    assert verdicts(document) == expected
    assert code == 1


@pytest.fixture(scope="module")
def in_log_archive(moto_endpoint: str) -> Layout:
    return Layout(moto_endpoint, in_log_archive=True)


def assumed_roles(seen: list[tuple[str, bytes]]) -> list[str]:
    """The role ARNs of the ``AssumeRole`` requests the proxy saw."""
    roles = []
    for _, body in seen:
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        if form.get("Action") == ["AssumeRole"]:
            roles.extend(form.get("RoleArn", []))
    return roles


def test_a_log_archive_outside_the_list_is_entered_to_read_the_chain_only(
    binary: Path, moto_endpoint: str, in_log_archive: Layout, tmp_path: Path
) -> None:
    layout = in_log_archive
    listed = layout.members[1:]
    seen: list[tuple[str, bytes]] = []
    with org_scenarios.refusing_proxy(moto_endpoint, [], seen=seen) as endpoint:
        code, document = scan(binary, endpoint, layout, tmp_path, "--accounts", ",".join(listed))
    assert verdicts(document) == {a: "PASS" for a in listed}
    assert code == 0
    archive_role = f"arn:aws:iam::{layout.holder}:role/OrganizationAccountAccessRole"
    # Entered once for the whole scan, to read the shared chain.
    assert assumed_roles(seen).count(archive_role) == 1


def test_a_log_archive_whose_role_is_refused_leaves_the_members_manual_naming_it(
    binary: Path, moto_endpoint: str, in_log_archive: Layout, tmp_path: Path
) -> None:
    layout = in_log_archive
    listed = layout.members[1:]
    with org_scenarios.refusing_proxy(moto_endpoint, [layout.holder]) as endpoint:
        code, document = scan(binary, endpoint, layout, tmp_path, "--accounts", ",".join(listed))
    assert verdicts(document) == {a: "MANUAL" for a in listed}
    assert code == 3
    gap = document["accounts"][0]["chains"][0]["gaps"][0]
    assert gap["code"] == "LOG_GROUP_OTHER_ACCOUNT"
    assert layout.holder in gap["message"] and "AccessDenied" in gap["message"]


def test_a_member_checked_alone_follows_the_chain_with_log_account_role(
    binary: Path, moto_endpoint: str, in_log_archive: Layout, tmp_path: Path
) -> None:
    layout = in_log_archive
    member = layout.members[1]
    code, report, stderr = run(binary, moto_endpoint, member, tmp_path, "check")
    assert (code, report["status"]) == (3, "MANUAL"), stderr
    fix = report["chains"][0]["gaps"][0]["fix"]
    assert "--log-account-role" in fix and layout.holder in fix
    role = "arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
    code, report, stderr = run(binary, moto_endpoint, member, tmp_path, "check", "--log-account-role", role)
    assert (code, report["status"]) == (0, "PASS"), stderr
    assert report["chains"][0]["log_group_account_id"] == layout.holder
    # The snapshot records the log archive's facts; checked offline, the same verdict.
    out = tmp_path / "member.json"
    done = subprocess.run(
        [str(binary), "snapshot", "--endpoint-url", moto_endpoint, "--log-account-role", role, "--out", str(out)],
        env=kmswatch_env(tmp_path, member, "testing"),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    facts = json.loads(out.read_text())
    assert [linked["account_id"] for linked in facts["linked"]] == [layout.holder]
    offline = subprocess.run(
        [str(binary), "check", "--snapshot", str(out), "--format", "json"],
        env=kmswatch_env(tmp_path, member, "testing"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (offline.returncode, json.loads(offline.stdout)["status"]) == (0, "PASS")


def test_a_malformed_log_account_role_is_a_usage_error(binary: Path, moto_endpoint: str, tmp_path: Path) -> None:
    code, document, _ = run(
        binary, moto_endpoint, unique_account_id(), tmp_path, "check", "--log-account-role", "arn:aws:iam::{account}:user/x"
    )
    assert code == 2
    assert document["schema"] == "kmswatch.error/v1"
    assert "--log-account-role" in document["error"]["message"]


def test_python_follows_the_chain_with_log_account_role(
    moto_endpoint: str, in_log_archive: Layout, aws_env: Any
) -> None:
    import kmswatch
    from kmswatch.adapters import Boto3Backend

    member = in_log_archive.members[2]
    aws_env(moto_endpoint, member)
    assert kmswatch.check().status == "MANUAL"
    role = "arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
    report = kmswatch.check(log_account_role=role)
    assert report.status == "PASS"
    facts = kmswatch.snapshot(log_account_role=role)
    assert [linked["account_id"] for linked in facts["linked"]] == [in_log_archive.holder]
    assert kmswatch.check_snapshot(facts).status == "PASS"
    # Already passing through the log archive: nothing to plan, anywhere.
    plan = kmswatch.plan(log_account_role=role)
    assert (plan.actions, plan.predicted_status) == ([], "PASS")
    with pytest.raises(kmswatch.KmswatchError, match="log_account_role"):
        kmswatch.check(backend=Boto3Backend(boto3_module().session.Session()), region=REGION, log_account_role=role)


def test_remediation_of_a_member_is_made_in_the_log_archive(
    binary: Path, moto_endpoint: str, tmp_path: Path
) -> None:
    layout = Layout(moto_endpoint, in_log_archive=True, broken=Breakage(no_alarm=True))
    member = layout.members[1]
    role = "arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
    topic = ["--topic-arn", f"arn:aws:sns:{REGION}:{layout.holder}:security-alerts"]
    code, refused, _ = run(binary, moto_endpoint, member, tmp_path, "remediate", *topic)
    assert code != 0 and "LOG_GROUP_OTHER_ACCOUNT" in json.dumps(refused)
    code, plan, stderr = run(
        binary, moto_endpoint, member, tmp_path, "remediate", "--log-account-role", role, *topic
    )
    assert code == 0, stderr
    assert plan["account_id"] == layout.holder
    assert plan["actions"] and plan["predicted_status"] == "PASS"
    assert member in plan["notes"][0]
    code, applied, stderr = run(
        binary, moto_endpoint, member, tmp_path, "remediate", "--log-account-role", role, *topic, "--apply"
    )
    assert (code, applied["status_after"]) == (0, "PASS"), stderr
    client = Layout.client_in(moto_endpoint)
    assert client(layout.holder)("cloudwatch").describe_alarms()["MetricAlarms"]
    # Nothing was created in the member.
    assert client(member)("cloudwatch").describe_alarms()["MetricAlarms"] == []
    assert client(member)("logs").describe_log_groups()["logGroups"] == []
    code, report, _ = run(binary, moto_endpoint, member, tmp_path, "check", "--log-account-role", role)
    assert (code, report["status"]) == (0, "PASS")


def test_remediation_of_several_controls_is_made_in_the_log_archive(
    binary: Path, moto_endpoint: str, tmp_path: Path
) -> None:
    layout = Layout(moto_endpoint, in_log_archive=True, broken=Breakage(no_alarm=True))
    member = layout.members[1]
    role = "arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
    args = [
        "--log-account-role", role, "--control", "4.3,4.7",
        "--topic-arn", f"arn:aws:sns:{REGION}:{layout.holder}:security-alerts",
    ]
    code, plan, stderr = run(binary, moto_endpoint, member, tmp_path, "remediate", *args)
    assert code == 0, stderr
    assert plan["account_id"] == layout.holder and plan["controls"] == ["4.3", "4.7"]
    filters = [a["filter"]["filter_name"] for a in plan["actions"] if a["action"] == "put_metric_filter"]
    assert "kmswatch-root-user-usage" in filters, plan["actions"]
    code, applied, stderr = run(binary, moto_endpoint, member, tmp_path, "remediate", *args, "--apply")
    assert (code, applied["status_after"]) == (0, "PASS"), stderr
    client = Layout.client_in(moto_endpoint)
    assert client(member)("cloudwatch").describe_alarms()["MetricAlarms"] == []
    code, report, _ = run(
        binary, moto_endpoint, member, tmp_path, "check", "--log-account-role", role, "--control", "4.3,4.7"
    )
    assert (code, report["status"]) == (0, "PASS"), report["summary"]
    assert [c["status"] for c in report["controls"]] == ["PASS", "PASS"]
