"""Secrets stay out of what kmswatch prints and writes: subscription endpoints
are redacted in snapshots and plans unless ``--show-endpoints``; snapshot files
are created 0600; the userinfo of an endpoint URL never shows; and no
credential, session token or signature appears in any output."""

from __future__ import annotations

import json
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import boto3_client_factory
from harness import REGION, REPO, kmswatch_binary, kmswatch_env
from scenarios import build_account, unique_account_id

WEBHOOK = "https://hooks.example.com/services/T0000/B0000/XXXXSECRETTOKENXXXX"
EMAIL = "secops.oncall@example.com"
SECRET_KEY = "wJalrXUtnFEMIK7MDENGbPxRfiCYSECRETKEYXX"
SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKENXXXXXXXXXXXX"


def run(tmp_path: Path, account: str, *args: str, token: bool = False) -> "subprocess.CompletedProcess[str]":
    binary = kmswatch_binary()
    if binary is None:
        pytest.skip("no kmswatch binary (cargo build -p kmswatch-cli)")
    env = kmswatch_env(tmp_path, account, SECRET_KEY)
    if token:
        env["AWS_SESSION_TOKEN"] = SESSION_TOKEN
    return subprocess.run([str(binary), *args], env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def account(moto_endpoint: str) -> str:
    """A compliant account whose alert topic also has a webhook and an e-mail subscriber."""
    account_id = unique_account_id()
    client = boto3_client_factory(moto_endpoint, account_id)
    build_account(client, account_id)
    sns = client("sns")
    topic = sns.list_topics()["Topics"][0]["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="https", Endpoint=WEBHOOK)
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint=EMAIL)
    return account_id


def endpoints(snapshot: Any) -> list[str]:
    return sorted(s["endpoint"] for t in snapshot["topics"] for s in t.get("subscriptions") or [])


def test_snapshots_redact_endpoints_and_are_private(tmp_path: Path, moto_endpoint: str, account: str) -> None:
    out = tmp_path / "snapshot.json"
    done = run(tmp_path, account, "snapshot", "--out", str(out), "--endpoint-url", moto_endpoint)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_text()
    assert "SECRETTOKEN" not in text and EMAIL not in text
    assert "https://hooks.example.com/…" in endpoints(json.loads(text))
    assert "s…@example.com" in endpoints(json.loads(text))
    # The verdict does not depend on the endpoints.
    checked = run(tmp_path, account, "check", "--snapshot", str(out), "--format", "json")
    assert json.loads(checked.stdout)["status"] == "PASS"
    # An existing file is narrowed to 0600 too.
    out.chmod(0o644)
    whole = run(tmp_path, account, "snapshot", "--out", str(out), "--endpoint-url", moto_endpoint, "--show-endpoints")
    assert whole.returncode == 0, whole.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert WEBHOOK in endpoints(json.loads(out.read_text()))


def test_plans_redact_endpoints_but_exports_keep_them(tmp_path: Path) -> None:
    example = str(REPO / "examples" / "broken-alarm-no-actions.json")
    args = ["remediate", "--snapshot", example, "--subscribe", f"https:{WEBHOOK}"]
    for extra in (["--format", "json"], ["--format", "table"]):
        done = run(tmp_path, "111122223333", *args, *extra)
        # FAIL until the webhook confirms its subscription, as --apply would say.
        assert done.returncode == 1, done.stderr
        assert "SECRETTOKEN" not in done.stdout + done.stderr
        assert "https://hooks.example.com/…" in done.stdout
        shown = run(tmp_path, "111122223333", *args, *extra, "--show-endpoints")
        assert WEBHOOK in shown.stdout
    exported = run(tmp_path, "111122223333", *args, "--export", "terraform")
    assert WEBHOOK in exported.stdout, "infrastructure as code must be appliable"


def test_userinfo_of_an_endpoint_url_never_shows(tmp_path: Path) -> None:
    for fmt in ("json", "table"):
        done = run(
            tmp_path,
            "111122223333",
            "check",
            "--region",
            REGION,
            "--endpoint-url",
            "http://admin:hunter2@127.0.0.1:9",
            "--format",
            fmt,
            "--timeout",
            "30",
        )
        assert done.returncode == 3
        assert "hunter2" not in done.stdout + done.stderr
        assert "admin" not in done.stdout + done.stderr
        assert "127.0.0.1:9" in done.stdout + done.stderr


def test_no_credential_appears_in_any_output(tmp_path: Path, moto_endpoint: str, account: str) -> None:
    out = tmp_path / "s.json"
    runs = [
        ["check", "--endpoint-url", moto_endpoint],
        ["check", "--endpoint-url", moto_endpoint, "--format", "json", "--max-concurrency", "1"],
        ["snapshot", "--out", str(out), "--endpoint-url", moto_endpoint],
        ["snapshot", "--out", "-", "--endpoint-url", moto_endpoint, "--show-endpoints"],
        ["remediate", "--endpoint-url", moto_endpoint, "--email", EMAIL],
        ["remediate", "--endpoint-url", moto_endpoint, "--format", "json", "--topic-arn", "arn:aws:sns:us-east-1:1:x"],
        ["check", "--endpoint-url", "http://127.0.0.1:9", "--format", "json", "--timeout", "30"],
        # The SDK's request log, at its most detailed.
        ["check", "--endpoint-url", moto_endpoint, "-vv", "--debug"],
        ["remediate", "--endpoint-url", moto_endpoint, "--email", EMAIL, "-vv"],
    ]
    for args in runs:
        done = run(tmp_path, account, *args, token=True)
        if args[0] == "check" and "--max-concurrency" in args:
            # One request at a time gives the same verdict.
            assert json.loads(done.stdout)["status"] == "PASS", done.stderr
        written = out.read_text() if out.exists() else ""
        for secret in (SECRET_KEY, SESSION_TOKEN, "Signature=", "X-Amz-Signature"):
            assert secret not in done.stdout + done.stderr + written, (args, secret)
