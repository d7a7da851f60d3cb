"""Deadlines: an API that accepts requests and never answers cannot hang a run.

A loopback server answers STS ``GetCallerIdentity`` (so the account is known)
and holds every other request open without a byte of answer. ``--timeout`` /
``timeout=`` then ends the run as ERROR naming the calls that did not finish;
without an identity the run ends with the error document; and a Python
``check()`` waiting on such calls stays interruptible with Ctrl-C.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness import REGION, kmswatch_env, run_kmswatch
from stub_aws import ACCOUNT, identity, stub_server, url

@pytest.fixture
def silent_after_identity() -> Iterator[str]:
    with stub_server(lambda action, _: identity(action)) as server:
        yield url(server)


@pytest.fixture
def silent() -> Iterator[str]:
    with stub_server(lambda _action, _body: None) as server:
        yield url(server)


def kmswatch(tmp_path: Path, *args: str) -> "subprocess.CompletedProcess[str]":
    return run_kmswatch(tmp_path, *args, account=ACCOUNT)


def test_the_check_ends_as_error_naming_the_unfinished_calls(tmp_path: Path, silent_after_identity: str) -> None:
    done = kmswatch(tmp_path, "check", "--endpoint-url", silent_after_identity, "--timeout", "2", "--format", "json")
    assert done.returncode == 3, done.stderr
    report = json.loads(done.stdout)
    assert report["schema"] == "kmswatch.report/v1"
    assert report["status"] == "ERROR"
    assert report["account_id"] == ACCOUNT
    text = json.dumps(report)
    assert "DeadlineExceeded" in text and "DescribeTrails" in text, text


def test_without_an_identity_the_error_document_names_the_call(tmp_path: Path, silent: str) -> None:
    done = kmswatch(tmp_path, "check", "--endpoint-url", silent, "--timeout", "1.5", "--format", "json")
    assert done.returncode == 3, done.stderr
    document = json.loads(done.stdout)
    assert document["schema"] == "kmswatch.error/v1"
    assert document["error"]["code"] == "DeadlineExceeded"
    assert document["error"]["operation"] == "GetCallerIdentity"


@pytest.mark.parametrize("value", ["0", "-1", "soon", "nan", "1e9"])
def test_a_timeout_that_is_not_a_duration_is_a_usage_error(tmp_path: Path, value: str) -> None:
    done = kmswatch(tmp_path, "check", "--timeout", value, "--region", REGION, "--format", "json")
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["class"] == "usage"


def test_python_timeout_gives_an_error_report(silent_after_identity: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    kmswatch_module = pytest.importorskip("kmswatch")
    for name, value in kmswatch_env(tmp_path, ACCOUNT, "testing").items():
        monkeypatch.setenv(name, value)
    report = kmswatch_module.check(endpoint_url=silent_after_identity, timeout=1.5)
    assert report.status == "ERROR"
    with pytest.raises(kmswatch_module.KmswatchError):
        kmswatch_module.check(endpoint_url=silent_after_identity, timeout=-1)


SCRIPT = """
import sys, kmswatch
print("started", flush=True)
try:
    kmswatch.check(endpoint_url=sys.argv[1])
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.exit(42)
"""


def test_ctrl_c_interrupts_a_python_check_that_waits(silent_after_identity: str, tmp_path: Path) -> None:
    pytest.importorskip("kmswatch")
    child = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, silent_after_identity],
        env=kmswatch_env(tmp_path, ACCOUNT, "testing"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "started"
        # Give the check time to send its first calls into the silent server.
        try:
            child.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 42, (out, err)
    assert "interrupted" in out


def test_the_silent_server_really_is_silent(silent: str) -> None:
    # The premise of the tests above: the request is accepted, no answer comes.
    host, port = silent.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        conn.settimeout(0.5)
        with pytest.raises(socket.timeout):
            conn.recv(1)
