"""``kmswatch scan`` and ``kmswatch.scan()`` end to end on moto server: an
organization whose members PASS, FAIL, refuse the role (ERROR) or are
suspended (skipped), in every output, with the exit codes."""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import org_scenarios
from conftest import boto3_client_factory
from harness import assert_matches_schema, kmswatch_binary, kmswatch_env
from scenarios import unique_account_id


@pytest.fixture(scope="module")
def organization(moto_endpoint: str) -> org_scenarios.Organization:
    return org_scenarios.build_organization(
        lambda account: boto3_client_factory(moto_endpoint, account),
        unique_account_id(),
        passing=2,
        failing=2,
        refused=1,
        suspended=1,
    )


@pytest.fixture(scope="module")
def endpoint(moto_endpoint: str, organization: org_scenarios.Organization) -> Iterator[str]:
    """moto behind a proxy that refuses the role of the ``refused`` members."""
    with org_scenarios.refusing_proxy(moto_endpoint, organization.refused) as url:
        yield url


@pytest.fixture(scope="module")
def binary() -> Path:
    found = kmswatch_binary()
    if found is None:
        pytest.skip("no kmswatch binary (cargo build -p kmswatch-cli)")
    return found


def scan_env(home: Path, organization: org_scenarios.Organization) -> dict[str, str]:
    return kmswatch_env(home, organization.management, "testing")


def run_scan(
    binary: Path, endpoint: str, organization: org_scenarios.Organization, home: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(binary), "scan", "--endpoint-url", endpoint, *args],
        env=scan_env(home, organization),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def verdicts(reports: list[dict[str, Any]]) -> dict[str, str]:
    return {r["account_id"]: r["status"] for r in reports}


def test_json_document(binary: Path, endpoint: str, organization: org_scenarios.Organization, tmp_path: Path) -> None:
    done = run_scan(binary, endpoint, organization, tmp_path, "--organization", "--format", "json")
    assert done.returncode == 3, done.stderr
    document = json.loads(done.stdout)
    assert document["schema"] == "kmswatch.scan/v1"
    assert_matches_schema(document)
    assert document["status"] == "ERROR"
    assert document["interrupted"] is False
    assert document["caller_account_id"] == organization.management
    assert verdicts(document["accounts"]) == organization.expected()
    ids = [r["account_id"] for r in document["accounts"]]
    assert ids == sorted(ids)
    assert all(r["schema"] == "kmswatch.report/v1" for r in document["accounts"])
    summary = document["summary"]
    assert (summary["total"], summary["pass"], summary["fail"], summary["error"], summary["manual"]) == (
        6, 3, 2, 1, 0,
    )
    assert summary["skipped"] == 1
    assert document["skipped_accounts"] == [
        {"account_id": organization.suspended[0], "reason": "SUSPENDED"}
    ]
    refused = next(r for r in document["accounts"] if r["account_id"] == organization.refused[0])
    assert [g["code"] for g in refused["gaps"]] == ["ACCOUNT_NOT_ENTERED"]
    assert "AssumeRole failed" in refused["summary"] and "AccessDenied" in refused["summary"]
    assert f"arn:aws:iam::{organization.refused[0]}:role/OrganizationAccountAccessRole" in refused["summary"]
    for failing in organization.failing:
        report = next(r for r in document["accounts"] if r["account_id"] == failing)
        assert report["chains"], report
    # No progress bar (nor anything else) on a standard error that is not a terminal.
    assert done.stderr == ""


def test_ndjson_streams_one_report_per_line(
    binary: Path, endpoint: str, organization: org_scenarios.Organization, tmp_path: Path
) -> None:
    done = run_scan(binary, endpoint, organization, tmp_path, "--organization", "--format", "ndjson")
    assert done.returncode == 3
    lines = done.stdout.splitlines()
    assert len(lines) == len(organization.expected())
    reports = []
    for line in lines:
        report = json.loads(line)
        assert report["schema"] == "kmswatch.report/v1"
        reports.append(report)
    assert verdicts(reports) == organization.expected()
    assert done.stderr == ""


def test_table_has_a_line_per_account_and_a_summary(
    binary: Path, endpoint: str, organization: org_scenarios.Organization, tmp_path: Path
) -> None:
    done = run_scan(binary, endpoint, organization, tmp_path, "--organization", "--color", "never")
    assert done.returncode == 3
    lines = done.stdout.splitlines()
    for account, status in organization.expected().items():
        assert any(line.startswith(status) and account in line for line in lines), (account, done.stdout)
    assert any(organization.suspended[0] in line and "skipped: SUSPENDED" in line for line in lines)
    assert lines[-1] == "ERROR  6 accounts in us-east-1: 3 PASS, 2 FAIL, 1 ERROR, 0 MANUAL; 1 skipped"


@pytest.mark.parametrize(
    "pick, code",
    [(lambda o: o.passing, 0), (lambda o: o.passing + o.failing, 1), (lambda o: o.failing + o.refused, 3)],
)
def test_exit_codes_of_listed_accounts(
    binary: Path, endpoint: str, organization: org_scenarios.Organization, tmp_path: Path, pick: Any, code: int
) -> None:
    done = run_scan(binary, endpoint, organization, tmp_path, "--accounts", ",".join(pick(organization)))
    assert done.returncode == code, done.stdout


def test_accounts_file_and_exclusions(
    binary: Path, endpoint: str, organization: org_scenarios.Organization, tmp_path: Path
) -> None:
    listed = tmp_path / "accounts.txt"
    listed.write_text(
        "# members\n" + "\n".join(f"{a}  # member" for a in organization.passing + organization.refused) + "\n"
    )
    done = run_scan(
        binary, endpoint, organization, tmp_path,
        "--accounts-file", str(listed), "--exclude-accounts", organization.refused[0], "--format", "json",
    )
    assert done.returncode == 0, done.stdout
    document = json.loads(done.stdout)
    assert verdicts(document["accounts"]) == {a: "PASS" for a in organization.passing}
    assert document["skipped_accounts"] == [{"account_id": organization.refused[0], "reason": "excluded"}]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--accounts", "1234"], '--accounts: "1234" is not an AWS account id'),
        (["--organization", "--role-arn-template", "arn:aws:iam::123456789012:role/Audit"], "{account}"),
        (["--organization", "--role-session-name", "x"], "--role-session-name"),
        (["--organization", "--duration", "60"], "--duration"),
        (["--accounts", "111122223333", "--organization"], "cannot be used with"),
    ],
)
def test_usage_errors_exit_2(
    binary: Path, endpoint: str, organization: org_scenarios.Organization, tmp_path: Path,
    args: list[str], message: str,
) -> None:
    done = run_scan(binary, endpoint, organization, tmp_path, *args)
    assert done.returncode == 2
    assert message in done.stderr


def test_file_errors_name_the_line(
    binary: Path, endpoint: str, organization: org_scenarios.Organization, tmp_path: Path
) -> None:
    listed = tmp_path / "accounts.txt"
    listed.write_text("111122223333\nprod-account\n")
    done = run_scan(binary, endpoint, organization, tmp_path, "--accounts-file", str(listed), "--format", "json")
    assert done.returncode == 2
    error = json.loads(done.stdout)["error"]
    assert error["message"] == f'{listed} line 2: "prod-account" is not an AWS account id (12 digits)'


def test_progress_bar_is_drawn_on_a_terminal(
    binary: Path, endpoint: str, organization: org_scenarios.Organization, tmp_path: Path
) -> None:
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [str(binary), "scan", "--endpoint-url", endpoint, "--organization", "--format", "json"],
            env=scan_env(tmp_path, organization),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=follower,
            text=True,
            timeout=120,
            check=False,
        )
        os.close(follower)
        follower = -1
        drawn = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        if follower != -1:
            os.close(follower)
        os.close(leader)
    assert done.returncode == 3
    assert json.loads(done.stdout)["summary"]["total"] == 6
    assert b"accounts" in drawn and b"PASS" in drawn, drawn


def test_python_iterator_yields_the_same_reports(
    moto_endpoint: str, endpoint: str, organization: org_scenarios.Organization,
    binary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    kmswatch = pytest.importorskip("kmswatch")
    for name, value in scan_env(tmp_path, organization).items():
        if name.startswith("AWS_"):
            monkeypatch.setenv(name, value)
    reports = list(kmswatch.scan(organization=True, endpoint_url=endpoint))
    assert all(isinstance(r, kmswatch.Report) for r in reports)
    from_python = {
        d["account_id"]: (d["status"], sorted(g["code"] for g in d["gaps"])) for d in (r.to_dict() for r in reports)
    }
    done = run_scan(binary, endpoint, organization, tmp_path, "--organization", "--format", "json")
    from_cli = {
        r["account_id"]: (r["status"], sorted(g["code"] for g in r["gaps"]))
        for r in json.loads(done.stdout)["accounts"]
    }
    assert from_python == from_cli
    with pytest.raises(kmswatch.KmswatchError, match="accounts="):
        kmswatch.scan(accounts=["1234"])
    # Leaving the loop early stops the scan without waiting for the rest.
    for report in kmswatch.scan(accounts=organization.passing, endpoint_url=endpoint, max_concurrency=1):
        assert report.status == "PASS"
        break


@pytest.fixture(scope="module")
def slow_endpoint(moto_endpoint: str, organization: org_scenarios.Organization) -> Iterator[str]:
    """moto behind a proxy that holds ``AssumeRole`` into the first failing member."""
    with org_scenarios.refusing_proxy(
        moto_endpoint, organization.refused, slow_accounts=organization.failing[:1]
    ) as url:
        yield url


def test_the_timeout_is_per_account(
    binary: Path, slow_endpoint: str, organization: org_scenarios.Organization, tmp_path: Path
) -> None:
    slow = organization.failing[0]
    done = run_scan(binary, slow_endpoint, organization, tmp_path, "--organization", "--timeout", "2", "--format", "json")
    document = json.loads(done.stdout)
    expected = {**organization.expected(), slow: "ERROR"}
    assert verdicts(document["accounts"]) == expected
    report = next(r for r in document["accounts"] if r["account_id"] == slow)
    assert [g["code"] for g in report["gaps"]] == ["ACCOUNT_NOT_ENTERED"]
    assert "deadline" in report["summary"], report["summary"]


def test_ctrl_c_prints_what_finished(
    binary: Path, slow_endpoint: str, organization: org_scenarios.Organization, tmp_path: Path
) -> None:
    scan = subprocess.Popen(
        [str(binary), "scan", "--endpoint-url", slow_endpoint, "--organization", "--format", "ndjson"],
        env=scan_env(tmp_path, organization),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert scan.stdout is not None and scan.stderr is not None
    # Every account but the held one finishes; then the scan waits on it.
    finished = [json.loads(scan.stdout.readline()) for _ in range(len(organization.expected()) - 1)]
    scan.send_signal(signal.SIGINT)
    rest, errors = scan.communicate(timeout=30)
    assert scan.returncode == 3
    assert rest == ""
    assert organization.failing[0] not in verdicts(finished)
    assert f"interrupted: {len(finished)} account(s) finished" in errors
