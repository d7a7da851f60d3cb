"""With ``--format json`` every exit prints exactly one JSON object on standard
output: the report or plan when there is one, else a ``kmswatch.error/v1``
document - for usage and input errors too - with the documented exit code."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

from harness import REPO, kmswatch_binary, kmswatch_env

EXAMPLES = REPO / "examples"


def run(args: List[str], tmp_path: Path, env: Optional[Dict[str, str]] = None) -> "tuple[int, Any, str]":
    binary = kmswatch_binary()
    if binary is None:
        pytest.skip("no kmswatch binary (cargo build -p kmswatch-cli)")
    clean = kmswatch_env(tmp_path, "111122223333", "testing")
    clean.update(AWS_MAX_ATTEMPTS="1", **(env or {}))
    done = subprocess.run(
        [str(binary), *args],
        env=clean,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # Exactly one JSON value, and nothing else, on standard output.
    document = json.loads(done.stdout)
    assert isinstance(document, dict), done.stdout
    assert "panicked" not in done.stderr
    return done.returncode, document, done.stderr


def error_of(document: Dict[str, Any]) -> Dict[str, Any]:
    assert document["schema"] == "kmswatch.error/v1", document
    assert document["status"] == "ERROR"
    assert document["kmswatch_version"]
    error: Dict[str, Any] = document["error"]
    assert error["message"], document
    return error


@pytest.mark.parametrize(
    "args, code, error_code",
    [
        (["check", "--snapshot", "{missing}"], 2, "snapshot_unreadable"),
        (["check", "--snapshot", "{malformed}"], 2, "snapshot_malformed"),
        (["check", "--snapshot", "{other_schema}"], 2, "snapshot_schema"),
        (["check", "--bogus-flag"], 2, "usage"),
        (["check", "--region"], 2, "usage"),
        (["remediate", "--export", "yaml"], 2, "usage"),
        (["remediate", "--snapshot", "{compliant}", "--export", "terraform"], 2, "usage"),
        (["remediate", "--snapshot", "{compliant}", "--subscribe", "carrier-pigeon:x"], 2, "invalid_option"),
        (["check", "--profile", "nobody", "--region", "us-east-1"], 2, "ProfileNotFound"),
        (["pattern", "explain", "{ $.eventName = "], 2, "invalid_pattern"),
        (["check", "--max-concurrency", "0", "--region", "us-east-1"], 2, "usage"),
        (["check", "--timeout", "never", "--region", "us-east-1"], 2, "usage"),
        (["check", "--region", "us-middle-7"], 2, "UnknownRegion"),
        (["remediate", "--region", "us-est-1", "--email", "a@example.com"], 2, "UnknownRegion"),
    ],
    ids=[
        "missing-snapshot",
        "malformed-snapshot",
        "other-schema",
        "unknown-flag",
        "flag-without-value",
        "bad-flag-value",
        "export-with-json",
        "bad-subscriber",
        "unknown-profile",
        "invalid-pattern",
        "zero-concurrency",
        "bad-timeout",
        "unknown-region",
        "misspelt-region",
    ],
)
def test_errors_are_one_error_document(tmp_path: Path, args: List[str], code: int, error_code: str) -> None:
    (tmp_path / "malformed.json").write_text('{"schema": "kmswatch.facts/v1", "trails": [')
    (tmp_path / "other.json").write_text('{"schema": "kmswatch.facts/v9", "account_id": "111122223333", "region": "us-east-1"}')
    (tmp_path / "config").write_text("[default]\nregion = us-east-1\n")
    paths = {
        "{missing}": str(tmp_path / "absent.json"),
        "{malformed}": str(tmp_path / "malformed.json"),
        "{other_schema}": str(tmp_path / "other.json"),
        "{compliant}": str(EXAMPLES / "compliant.json"),
    }
    argv = [paths.get(a, a) for a in args] + ["--format", "json"]
    if argv[0] == "check" and argv[1] == "--region" and len(argv) == 4:
        # `--region` directly followed by `--format`: clap reads no value for it.
        argv = ["check", "--format", "json", "--region"]
    exit_code, document, stderr = run(argv, tmp_path)
    assert exit_code == code, stderr
    error = error_of(document)
    assert error["code"] == error_code, document
    assert document["exit_code"] == code
    assert stderr.strip(), "people still get the message on standard error"
    if error_code == "invalid_pattern":
        assert error["offset"] == len("{ $.eventName = ")
    if "us-est-1" in args:
        assert "did you mean us-east-1?" in error["message"]


def test_an_unreachable_endpoint_names_the_failed_call(tmp_path: Path) -> None:
    exit_code, document, _ = run(
        # Port 9 of loopback: nothing listens.
        ["check", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9", "--format", "json"],
        tmp_path,
    )
    assert exit_code == 3
    error = error_of(document)
    assert error["operation"] == "GetCallerIdentity", document
    assert error["class"] == "aws"


def test_a_refused_remediation_prints_its_plan_with_the_blocking_gaps(tmp_path: Path) -> None:
    exit_code, document, _ = run(
        ["remediate", "--snapshot", str(EXAMPLES / "broken-trail-not-logging.json"), "--email", "a@example.com", "--format", "json"],
        tmp_path,
    )
    assert exit_code == 1
    assert document["schema"] == "kmswatch.plan/v1"
    assert document["refused"] is True and document["status"] == "FAIL"
    assert document["actions"] == [] and document["account_id"] == "111122223333"
    assert [g["code"] for g in document["blocking_gaps"]] == ["TRAIL_NOT_LOGGING"]
    assert document["refusal"]["code"] == "prerequisite_missing"
    # Like every plan: which kmswatch made it, and when.
    assert document["kmswatch_version"] == kmswatch_version(tmp_path)
    assert document["generated_at"].endswith("Z"), document["generated_at"]


def kmswatch_version(tmp_path: Path) -> str:
    _, plan, _ = run(["remediate", "--snapshot", str(EXAMPLES / "compliant.json"), "--format", "json"], tmp_path)
    version: str = plan["kmswatch_version"]
    assert version
    return version


def test_explain_without_a_pattern_names_what_is_missing(tmp_path: Path) -> None:
    exit_code, document, _ = run(["pattern", "explain", "--format", "json"], tmp_path)
    assert exit_code == 2
    message = error_of(document)["message"]
    assert message.startswith("the following required arguments were not provided:"), message
    assert "<PATTERN>" in message, message


def test_reports_and_plans_are_still_the_documents(tmp_path: Path) -> None:
    exit_code, document, _ = run(["check", "--snapshot", str(EXAMPLES / "compliant.json"), "--format", "json"], tmp_path)
    assert exit_code == 0 and document["schema"] == "kmswatch.report/v1"
    exit_code, document, _ = run(
        ["remediate", "--snapshot", str(EXAMPLES / "broken-alarm-no-actions.json"), "--subscribe", "sqs:arn:aws:sqs:us-east-1:111122223333:q", "--format", "json"],
        tmp_path,
    )
    assert exit_code == 0 and document["schema"] == "kmswatch.plan/v1"
    assert "refused" not in document


def test_help_and_version_stay_text(tmp_path: Path) -> None:
    binary = kmswatch_binary()
    if binary is None:
        pytest.skip("no kmswatch binary")
    done = subprocess.run([str(binary), "check", "--help", "--format", "json"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "Usage:" in done.stdout


@pytest.mark.parametrize("credentials", [True, False], ids=["unreachable", "no-credentials"])
def test_connection_and_credential_failures_are_one_sentence(tmp_path: Path, credentials: bool) -> None:
    binary = kmswatch_binary()
    if binary is None:
        pytest.skip("no kmswatch binary")
    env = kmswatch_env(tmp_path, "111122223333", "testing")
    env["AWS_MAX_ATTEMPTS"] = "1"
    if not credentials:
        del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
    args = [str(binary), "check", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9"]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 3
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "DispatchFailure(" not in done.stderr and "ConnectorError" not in done.stderr
    expected = "connection refused" if credentials else "no AWS credentials found"
    assert expected in lines[0]
    # --debug adds the chain of causes behind it.
    debug = subprocess.run([*args, "--debug"], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert len(debug.stderr.strip().splitlines()) > 1
    assert "kmswatch: debug:" in debug.stderr


def test_reports_and_plans_say_where_and_when_they_come_from(tmp_path: Path) -> None:
    snapshot = tmp_path / "s.json"
    facts = json.loads((EXAMPLES / "compliant.json").read_text())
    facts["captured_at"] = "2026-01-01T00:00:00Z"
    snapshot.write_text(json.dumps(facts))
    _, report, _ = run(["check", "--snapshot", str(snapshot), "--format", "json"], tmp_path)
    assert report["kmswatch_version"] and report["generated_at"].endswith("Z")
    assert report["captured_at"] == "2026-01-01T00:00:00Z"
    assert report["api_calls"] is None, "no request is made for a snapshot"
    binary = kmswatch_binary()
    assert binary is not None
    table = subprocess.run([str(binary), "check", "--snapshot", str(snapshot)], capture_output=True, text=True, check=False)
    assert "offline: from a snapshot captured 2026-01-01T00:00:00Z" in table.stdout
    # The table wraps at its width, and where depends on the snapshot's age.
    assert "before this report" in " ".join(table.stdout.split())
    _, plan, _ = run(["remediate", "--snapshot", str(snapshot), "--format", "json"], tmp_path)
    assert plan["kmswatch_version"] == report["kmswatch_version"] and plan["generated_at"]
