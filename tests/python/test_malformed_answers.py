"""A read whose success answer does not parse is asked again (like a reset
connection), so one garbled answer does not turn a verdict into ERROR; a write
is never repeated on such an answer."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from harness import kmswatch_binary, kmswatch_env
from stub_aws import ACCOUNT, Answer, identity, stub_server, url

JSON = "application/x-amz-json-1.1"


def garbled_once(action: str, _body: bytes, state: dict[str, int]) -> Answer | None:
    """``DescribeTrails`` answers half a document the first time, then no trails."""
    if action == "DescribeTrails":
        state["trails"] = state.get("trails", 0) + 1
        if state["trails"] == 1:
            return 200, JSON, b'{"trailList": [{"Name": "mana'
        return 200, JSON, b'{"trailList": []}'
    if action == "ListRules":
        # The EventBridge monitoring beside the chain: none (held open, the
        # check would wait for its deadline).
        return 200, JSON, b'{"Rules": []}'
    return identity(action)


def test_a_garbled_answer_to_a_read_is_asked_again(tmp_path: Path) -> None:
    binary = kmswatch_binary()
    if binary is None:
        pytest.skip("no kmswatch binary (cargo build -p kmswatch-cli)")
    state: dict[str, int] = {}
    with stub_server(lambda action, body: garbled_once(action, body, state)) as server:
        done = subprocess.run(
            [str(binary), "check", "--endpoint-url", url(server), "--format", "json", "--timeout", "60"],
            env=kmswatch_env(tmp_path, ACCOUNT, "testing"),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        seen = dict(server.seen)
    report = json.loads(done.stdout)
    # The second answer counts: no trail at all is a FAIL, not an ERROR.
    assert seen.get("DescribeTrails") == 2, seen
    assert report["status"] == "FAIL", report
    assert done.returncode == 1
    assert "TRAIL" in json.dumps(report["gaps"])
