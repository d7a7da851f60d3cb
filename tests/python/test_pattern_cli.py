"""``kmswatch pattern explain|test``, ``kmswatch completions`` and ``kmswatch man``
driven as CI would drive them: exit codes, JSON documents, the input forms
CloudTrail logs come in (JSON lines, archive files, gzip, directories), and the
generated shell scripts and man page checked by the shells and man themselves."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Dict, List

import pytest

from harness import kmswatch_binary

CIS = (
    "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || "
    "($.eventName = ScheduleKeyDeletion)) }"
)
DISABLE = {"eventSource": "kms.amazonaws.com", "eventName": "DisableKey", "eventID": "a"}
DELETE = {"eventSource": "kms.amazonaws.com", "eventName": "ScheduleKeyDeletion", "eventID": "b"}
DECRYPT = {"eventSource": "kms.amazonaws.com", "eventName": "Decrypt", "eventID": "c"}


def kmswatch(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    binary = kmswatch_binary()
    if binary is None:
        pytest.skip("no kmswatch binary (cargo build -p kmswatch-cli)")
    return subprocess.run(
        [str(binary), *args],
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def ndjson(text: str) -> List[Dict[str, Any]]:
    objects: List[Dict[str, Any]] = [json.loads(line) for line in text.splitlines()]
    return objects


def lines_of(*events: Dict[str, Any]) -> str:
    return "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in events)


def archive(*events: Dict[str, Any]) -> str:
    # Pretty-printed, as an archive may be: each record still is one compact event.
    return json.dumps({"Records": list(events)}, indent=2)


# --- pattern explain -------------------------------------------------------


def test_explain_exits_0_when_every_target_is_caught() -> None:
    done = kmswatch("pattern", "explain", CIS, "--format", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["schema"] == "kmswatch.pattern/v1"
    assert doc["coverage"]["complete"] is True
    for key in ("canonical", "kind", "required_literals", "coverage"):
        assert key in doc


def test_explain_exits_1_when_a_target_is_missed() -> None:
    done = kmswatch("pattern", "explain", "{ $.eventName = DisableKey }", "--format", "json")
    assert done.returncode == 1, done.stderr
    doc = json.loads(done.stdout)
    assert doc["schema"] == "kmswatch.pattern/v1"
    assert doc["coverage"]["complete"] is False
    assert "ScheduleKeyDeletion" in doc["coverage"]["missed_target_event_names"]
    table = kmswatch("pattern", "explain", "{ $.eventName = DisableKey }")
    assert table.returncode == 1
    assert "covers all targets: NO" in table.stdout


def test_explain_judges_a_scoped_pattern_on_the_accounts_own_events() -> None:
    scoped = CIS.replace("{ (", '{ ($.recipientAccountId = "444455556666") && (', 1)
    # The corpus account's events do not carry 444455556666: every target missed.
    assert kmswatch("pattern", "explain", scoped, "--format", "json").returncode == 1
    own = kmswatch("pattern", "explain", scoped, "--account", "444455556666", "--format", "json")
    assert own.returncode == 0, own.stdout
    assert json.loads(own.stdout)["coverage"]["complete"] is True
    bad = kmswatch("pattern", "explain", scoped, "--account", "4444", "--format", "json")
    assert bad.returncode == 2
    assert json.loads(bad.stdout)["schema"] == "kmswatch.error/v1"
    assert "not an AWS account id" in bad.stdout


def test_explain_exits_2_on_an_invalid_pattern_with_an_error_document() -> None:
    done = kmswatch("pattern", "explain", "{ ($.eventName = DisableKey }", "--format", "json")
    assert done.returncode == 2
    doc = json.loads(done.stdout)
    assert doc["schema"] == "kmswatch.error/v1"
    assert "^" in done.stderr


# --- pattern test ----------------------------------------------------------


def test_json_output_is_one_object_per_match_and_a_summary() -> None:
    text = lines_of(DECRYPT, DISABLE) + "not json DisableKey\n" + lines_of(DELETE)
    done = kmswatch("pattern", "test", CIS, "--format", "json", stdin=text)
    assert done.returncode == 0, done.stderr
    *matches, summary = ndjson(done.stdout)
    assert matches == [{"line": 2, "event": DISABLE}, {"line": 4, "event": DELETE}]
    assert summary == {
        "schema": "kmswatch.pattern-test/v1",
        "matched": 2,
        "events": 4,
        "oversized": 0,
        "files": 1,
        "errors": [],
    }
    # A line that is not JSON is given as a string.
    done = kmswatch("pattern", "test", "DisableKey", "--format", "json", stdin=text)
    assert [m["event"] for m in ndjson(done.stdout)[:-1]] == [DISABLE, "not json DisableKey"]


def test_text_output_and_exit_codes_are_unchanged() -> None:
    text = lines_of(DECRYPT, DISABLE)
    done = kmswatch("pattern", "test", CIS, stdin=text)
    assert (done.returncode, done.stdout) == (0, lines_of(DISABLE))
    done = kmswatch("pattern", "test", "{ $.eventName = EnableKey }", stdin=text)
    assert (done.returncode, done.stdout) == (1, "")
    done = kmswatch("pattern", "test", "{ ($.eventName = DisableKey }", "--format", "json", stdin=text)
    assert done.returncode == 2
    assert json.loads(done.stdout)["schema"] == "kmswatch.error/v1"


def test_an_archive_file_is_one_event_per_record(tmp_path: Path) -> None:
    path = tmp_path / "111122223333_CloudTrail_us-east-1_20260101T0000Z_abc.json"
    path.write_text(archive(DECRYPT, DISABLE, DELETE))
    done = kmswatch("pattern", "test", CIS, str(path), "--format", "json")
    assert done.returncode == 0, done.stderr
    *matches, summary = ndjson(done.stdout)
    assert matches == [
        {"file": str(path), "record": 2, "event": DISABLE},
        {"file": str(path), "record": 3, "event": DELETE},
    ]
    assert (summary["events"], summary["matched"]) == (3, 2)
    # Text output: each record compact, on its own line.
    done = kmswatch("pattern", "test", CIS, str(path))
    assert done.stdout == lines_of(DISABLE, DELETE)


def test_pretty_printed_events_are_one_event_each(tmp_path: Path) -> None:
    # As copied from the console: each event over many lines, one after another.
    path = tmp_path / "console.json"
    path.write_text(json.dumps(DECRYPT, indent=2) + "\n" + json.dumps(DISABLE, indent=4) + "\n")
    done = kmswatch("pattern", "test", CIS, str(path), "--format", "json")
    assert done.returncode == 0, done.stderr
    *matches, summary = ndjson(done.stdout)
    assert matches == [{"file": str(path), "record": 2, "event": DISABLE}]
    assert (summary["events"], summary["matched"]) == (2, 1)


def test_a_json_array_is_one_event_per_element(tmp_path: Path) -> None:
    for text in (json.dumps([DECRYPT, DISABLE, DELETE]), json.dumps([DECRYPT, DISABLE, DELETE], indent=2)):
        done = kmswatch("pattern", "test", CIS, "--format", "table", stdin=text)
        assert done.returncode == 0, done.stderr
        assert done.stdout == lines_of(DISABLE, DELETE)


def test_json_that_is_no_event_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "eventName": "DisableKey"\n  "eventSource": "kms.amazonaws.com"\n}\n')
    done = kmswatch("pattern", "test", CIS, str(path), "--format", "json")
    assert done.returncode == 2, done.stderr
    assert "line 3" in done.stderr and "expected" in done.stderr, done.stderr
    assert ndjson(done.stdout)[-1]["errors"][0]["file"] == str(path)
    done = kmswatch("pattern", "test", CIS, stdin='[{"eventName": "DisableKey"}, 7]')
    assert done.returncode == 2
    assert "element 2 of the array is not an event" in done.stderr, done.stderr


def test_pattern_test_formats_are_table_and_json_with_text_kept() -> None:
    text = lines_of(DECRYPT, DISABLE)
    table = kmswatch("pattern", "test", CIS, "--format", "table", stdin=text)
    assert (table.returncode, table.stdout) == (0, lines_of(DISABLE))
    assert kmswatch("pattern", "test", CIS, "--format", "text", stdin=text).stdout == table.stdout
    assert "table" in kmswatch("pattern", "test", "--help").stdout


def test_gzip_is_read_transparently_whatever_the_name(tmp_path: Path) -> None:
    archived = tmp_path / "trail.json.gz"
    archived.write_bytes(gzip.compress(archive(DISABLE).encode()))
    unnamed = tmp_path / "events"
    unnamed.write_bytes(gzip.compress(lines_of(DECRYPT, DELETE).encode()))
    done = kmswatch("pattern", "test", CIS, str(archived), str(unnamed), "--format", "json")
    assert done.returncode == 0, done.stderr
    *matches, summary = ndjson(done.stdout)
    assert matches == [
        {"file": str(archived), "record": 1, "event": DISABLE},
        {"file": str(unnamed), "line": 2, "event": DELETE},
    ]
    assert summary["files"] == 2


def test_a_corrupt_gzip_file_is_unreadable_and_the_others_are_read(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(lines_of(DISABLE))
    bad = tmp_path / "bad.json.gz"
    bad.write_bytes(gzip.compress(lines_of(DISABLE).encode() * 1000)[:40])
    done = kmswatch("pattern", "test", CIS, str(bad), str(good), "--format", "json")
    assert done.returncode == 2
    summary = ndjson(done.stdout)[-1]
    assert summary["matched"] >= 1
    assert summary["errors"][0]["file"] == str(bad)
    assert f"cannot read {bad}" in done.stderr


def test_a_directory_needs_recursive(tmp_path: Path) -> None:
    (tmp_path / "2026" / "01").mkdir(parents=True)
    (tmp_path / "2026" / "01" / "b.json.gz").write_bytes(gzip.compress(archive(DELETE).encode()))
    (tmp_path / "2026" / "01" / "a.json").write_text(archive(DECRYPT, DISABLE))
    (tmp_path / "notes.txt").write_text("nothing to see\n")
    done = kmswatch("pattern", "test", CIS, str(tmp_path))
    assert done.returncode == 2
    assert "is a directory: pass --recursive" in done.stderr
    assert done.stdout == ""
    done = kmswatch("pattern", "test", CIS, str(tmp_path), "--format", "json")
    assert done.returncode == 2
    assert json.loads(done.stdout)["schema"] == "kmswatch.error/v1"
    done = kmswatch("pattern", "test", CIS, "--recursive", str(tmp_path), "--format", "json")
    assert done.returncode == 0, done.stderr
    *matches, summary = ndjson(done.stdout)
    # Files in name order: 2026/01/a.json, 2026/01/b.json.gz, notes.txt.
    assert [(Path(m["file"]).name, m["event"]) for m in matches] == [("a.json", DISABLE), ("b.json.gz", DELETE)]
    assert summary["files"] == 3


@pytest.mark.parametrize("threads", ["1", "2", "4"])
def test_a_large_file_gives_the_same_matches_on_any_number_of_threads(tmp_path: Path, threads: str) -> None:
    # Larger than the size from which a file is cut into parallel parts (16 MiB).
    filler = json.dumps({**DECRYPT, "pad": "x" * 900}, separators=(",", ":")) + "\n"
    chunk = filler * 2000 + lines_of(DISABLE)
    path = tmp_path / "big.json"
    path.write_text(chunk * 10)
    done = kmswatch("pattern", "test", CIS, str(path), "--format", "json", "--threads", threads)
    assert done.returncode == 0, done.stderr
    *matches, summary = ndjson(done.stdout)
    assert [m["line"] for m in matches] == [2001 * (i + 1) for i in range(10)]
    assert summary["events"] == 20010


def test_threads_must_be_positive() -> None:
    done = kmswatch("pattern", "test", CIS, "--threads", "0", stdin="")
    assert done.returncode == 2


def test_a_closed_standard_output_ends_pattern_test_quietly(tmp_path: Path) -> None:
    binary = kmswatch_binary()
    if binary is None:
        pytest.skip("no kmswatch binary (cargo build -p kmswatch-cli)")
    path = tmp_path / "events.json"
    path.write_text(lines_of(DISABLE) * 100_000)
    for args in (["--format", "json"], [], ["--threads", "1"]):
        read_end, write_end = os.pipe()
        os.close(read_end)
        try:
            done = subprocess.run(
                [str(binary), "pattern", "test", CIS, str(path), *args],
                stdin=subprocess.DEVNULL,
                stdout=write_end,
                stderr=subprocess.PIPE,
                text=True,
                timeout=120,
            )
        finally:
            os.close(write_end)
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""


# --- completions and man ---------------------------------------------------


def test_bash_completion_is_valid_bash(tmp_path: Path) -> None:
    done = kmswatch("completions", "bash")
    assert done.returncode == 0
    assert "--recursive" in done.stdout
    script = tmp_path / "kmswatch.bash"
    script.write_text(done.stdout)
    checked = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


@pytest.mark.parametrize("shell, check", [("zsh", ["zsh", "-n"]), ("fish", ["fish", "--no-execute"])])
def test_zsh_and_fish_completions_pass_their_syntax_check(tmp_path: Path, shell: str, check: List[str]) -> None:
    done = kmswatch("completions", shell)
    assert done.returncode == 0
    assert "recursive" in done.stdout
    if shutil.which(check[0]) is None:
        pytest.skip(f"{check[0]} is not installed")
    script = tmp_path / f"kmswatch.{shell}"
    script.write_text(done.stdout)
    checked = subprocess.run([*check, str(script)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_powershell_completion_names_the_commands() -> None:
    done = kmswatch("completions", "powershell")
    assert done.returncode == 0
    assert "Register-ArgumentCompleter" in done.stdout
    assert "'pattern'" in done.stdout
    assert kmswatch("completions", "tcsh").returncode == 2


@pytest.mark.parametrize("command", [[], ["check"], ["pattern", "test"]])
def test_man_page_is_roff_that_man_renders(command: List[str]) -> None:
    done = kmswatch("man", *command)
    assert done.returncode == 0, done.stderr
    name = "-".join(["kmswatch", *command])
    assert f"\n.TH {name} 1 " in done.stdout
    assert ".SH OPTIONS" in done.stdout
    if shutil.which("man") is not None:
        rendered = subprocess.run(
            ["man", "-l", "-"],
            input=done.stdout,
            capture_output=True,
            text=True,
            env={**os.environ, "MANPAGER": "cat", "PAGER": "cat", "MANWIDTH": "80"},
        )
    elif shutil.which("groff") is not None:
        rendered = subprocess.run(
            ["groff", "-k", "-man", "-Tutf8"], input=done.stdout, capture_output=True, text=True
        )
    else:
        pytest.skip("neither man nor groff is installed")
    assert rendered.returncode == 0, rendered.stderr
    assert "NAME" in rendered.stdout
    assert name in rendered.stdout.replace("\u2010", "-")


def test_man_of_an_unknown_command_is_a_usage_error() -> None:
    done = kmswatch("man", "nope")
    assert done.returncode == 2
    assert 'no command "nope"' in done.stderr
