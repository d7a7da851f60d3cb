"""What kmswatch says on standard error: with ``-v`` one line per AWS request
(service, operation, region, status, milliseconds, retries) and no SDK
internals, ``-vv`` the SDK's detail besides; a failed AWS call in one
sentence, with the SDK's account of it behind ``--debug``; long inputs
echoed cut short; the user's own path in file errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

from harness import REPO, run_kmswatch
from stub_aws import ACCOUNT, identity, stub_server, url

REQUEST_LINE = re.compile(r"^(\w+) (\w+) ([a-z0-9-]+) (\d{3}|no-answer) (\d+) ms (\d+) retr(y|ies)$")
ERROR_PAGE = b"<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n" + b"<p>x</p>\n" * 20


def error_page(action: str, _: bytes) -> "tuple[int, str, bytes] | None":
    return identity(action) or (500, "text/html; charset=utf-8", ERROR_PAGE)


def test_verbose_logs_one_line_per_aws_request(moto_endpoint: str, tmp_path: Path) -> None:
    done = run_kmswatch(
        tmp_path, "check", "--endpoint-url", moto_endpoint, "--region", "us-east-1", "--format", "json", "-v"
    )
    report = json.loads(done.stdout)
    lines = done.stderr.splitlines()
    assert lines, done.stderr
    parsed = [REQUEST_LINE.match(line) for line in lines]
    assert all(parsed), done.stderr
    calls = [(m.group(1), m.group(2), m.group(3), m.group(4)) for m in parsed if m]
    assert ("STS", "GetCallerIdentity", "us-east-1", "200") in calls, calls
    assert ("CloudTrail", "DescribeTrails", "us-east-1", "200") in calls, calls
    # Each request once, its attempts counted as the report counts requests.
    attempts = sum(1 + int(m.group(6)) for m in parsed if m)
    assert attempts == report["api_calls"], (attempts, report["api_calls"])
    for internal in ("TimeoutConfig", "TypeErasedBox", "config file overridden"):
        assert internal not in done.stderr

    detailed = run_kmswatch(
        tmp_path, "check", "--endpoint-url", moto_endpoint, "--region", "us-east-1", "--format", "json", "-vv"
    )
    assert len(detailed.stderr.splitlines()) > len(lines), "-vv adds the SDK's detail"
    assert "DescribeTrails us-east-1 200" in detailed.stderr


def test_a_failed_lookup_is_one_sentence_and_the_regions_are_named(tmp_path: Path) -> None:
    with stub_server(error_page) as server:
        done = run_kmswatch(
            tmp_path, "history", "--endpoint-url", url(server), "--regions", "us-east-1",
            account=ACCOUNT, env={"AWS_MAX_ATTEMPTS": "1"},
        )
        debug = run_kmswatch(
            tmp_path, "history", "--endpoint-url", url(server), "--regions", "us-east-1", "--format", "json",
            "--debug", account=ACCOUNT, env={"AWS_MAX_ATTEMPTS": "1"},
        )
    assert done.returncode == 3, done.stdout + done.stderr
    failures = [line for line in done.stdout.splitlines() if line.startswith("? ")]
    assert len(failures) == 2, done.stdout
    text = done.stdout
    assert "answered HTTP 500 without an AWS error code" in text, text
    for raw in ("doctype", "ServiceError", "SdkBody", "Extensions"):
        assert raw not in text, text
    assert "0 region" not in text and "failed in us-east-1" in text, text
    assert len(text.splitlines()) < 15, text
    document = json.loads(debug.stdout)
    assert len(document["errors"]) == 2
    assert all(e["message"].endswith("answered HTTP 500 without an AWS error code") for e in document["errors"])
    # --debug: the SDK's account of each failure, on standard error.
    assert "kmswatch: debug: " in debug.stderr and "500" in debug.stderr, debug.stderr


def test_a_long_pattern_is_echoed_cut_short(tmp_path: Path) -> None:
    pattern = '{ $.eventName = "' + "a" * 100_000 + '" }'
    done = run_kmswatch(tmp_path, "pattern", "explain", pattern)
    assert done.returncode == 2
    assert "longer than 1024 characters" in done.stderr
    assert len(done.stderr) < 500, len(done.stderr)


def test_an_unwritable_output_names_the_users_path(tmp_path: Path) -> None:
    example = str(REPO / "examples" / "compliant.json")
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    target = blocker / "findings.json"
    done = run_kmswatch(tmp_path, "check", "--snapshot", example, "--format", "ocsf", "--output", str(target))
    assert done.returncode == 2
    assert f"cannot write {target}:" in done.stderr, done.stderr
    assert ".tmp" not in done.stderr.replace(str(tmp_path), ""), done.stderr


def test_a_snapshots_age_reads_naturally(tmp_path: Path) -> None:
    facts = json.loads((REPO / "examples" / "compliant.json").read_text())
    facts["captured_at"] = "2020-01-01T00:00:00Z"
    snapshot = tmp_path / "old.json"
    snapshot.write_text(json.dumps(facts))
    done = run_kmswatch(tmp_path, "check", "--snapshot", str(snapshot))
    # The table wraps at its width, and where depends on the snapshot's age.
    text = " ".join(done.stdout.split())
    assert re.search(r"captured 2020-01-01T00:00:00Z, \d+ days( \d+ h)?( \d+ min)? before this report", text), done.stdout
    assert "days," not in done.stdout


def test_completions_and_man_list_their_exit_codes(tmp_path: Path) -> None:
    for command in ("completions", "man"):
        done = run_kmswatch(tmp_path, command, "--help")
        assert "Exit codes:\n  0  " in done.stdout and "\n  2  usage error" in done.stdout, done.stdout
