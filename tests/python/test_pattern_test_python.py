"""``kmswatch.pattern_test``: the log search of ``kmswatch pattern test`` from
Python, on the bundled CloudTrail files (JSON Lines and the gzip archive
object). Its matches are the objects the command prints."""

from __future__ import annotations

import gzip
import json
import subprocess
from pathlib import Path
from typing import Any, Dict, List

import pytest

from harness import kmswatch_binary

kmswatch = pytest.importorskip("kmswatch")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cloudtrail"
KEY_EVENTS = "{ ($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion) }"


def bundled() -> List[str]:
    return sorted(str(p) for p in EXAMPLES.iterdir())


def command_matches(pattern: str, *args: str) -> List[Dict[str, Any]]:
    binary = kmswatch_binary()
    if binary is None:
        pytest.skip("no kmswatch binary (cargo build -p kmswatch-cli)")
    done = subprocess.run(
        [str(binary), "pattern", "test", pattern, *args, "--format", "json"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    objects: List[Dict[str, Any]] = [json.loads(line) for line in done.stdout.splitlines()]
    assert objects and objects[-1]["schema"] == "kmswatch.pattern-test/v1", done.stderr
    return objects


@pytest.mark.parametrize("threads", [None, 1, 3])
def test_the_matches_are_what_the_command_prints(threads: Any) -> None:
    files = bundled()
    assert any(f.endswith(".json.gz") for f in files) and any(f.endswith(".jsonl") for f in files)
    printed = command_matches(KEY_EVENTS, *files)
    matches = kmswatch.pattern_test(KEY_EVENTS, files, threads=threads)
    assert matches.summary is None
    found = list(matches)
    assert found == printed[:-1]
    assert matches.summary == printed[-1]
    # Both files hold the key events: by line in one, by record in the other.
    assert {"line", "record"} <= {key for m in found for key in m}
    assert all(m["event"]["eventName"] in ("DisableKey", "ScheduleKeyDeletion") for m in found)


def test_a_directory_needs_recursive() -> None:
    with pytest.raises(kmswatch.KmswatchError, match="recursive=True"):
        kmswatch.pattern_test(KEY_EVENTS, EXAMPLES)
    found = list(kmswatch.pattern_test(KEY_EVENTS, EXAMPLES, recursive=True))
    assert found == command_matches(KEY_EVENTS, str(EXAMPLES), "--recursive")[:-1]


def test_an_invalid_pattern_raises_pattern_error() -> None:
    with pytest.raises(kmswatch.PatternError) as raised:
        kmswatch.pattern_test("{ $.eventName = ", bundled())
    assert raised.value.offset > 0


def test_an_unreadable_input_raises_after_the_others_are_read(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    other = tmp_path / "other.json.gz"
    other.write_bytes(gzip.compress((EXAMPLES / "events.jsonl").read_bytes()))
    matches = kmswatch.pattern_test(KEY_EVENTS, [missing, other])
    found = []
    with pytest.raises(kmswatch.KmswatchError, match="missing.json"):
        for m in matches:
            found.append(m)
    assert found and all(m["file"] == str(other) for m in found)
    assert matches.summary is not None
    assert matches.summary["files"] == 1
    assert [e["file"] for e in matches.summary["errors"]] == [str(missing)]


def test_bad_arguments_raise_before_reading() -> None:
    with pytest.raises(kmswatch.KmswatchError, match="threads"):
        kmswatch.pattern_test(KEY_EVENTS, bundled(), threads=0)
    with pytest.raises(kmswatch.KmswatchError, match="no paths"):
        kmswatch.pattern_test(KEY_EVENTS, [])


def test_leaving_the_loop_early_stops_the_search() -> None:
    # Every event of 20 copies: more matches than the search holds in flight.
    first = None
    matches = kmswatch.pattern_test("", [str(EXAMPLES / "events.jsonl")] * 20)
    for m in matches:
        first = m
        break
    assert first is not None and first["line"] == 1
    assert matches.summary is None
