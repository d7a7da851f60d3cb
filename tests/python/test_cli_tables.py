"""Tables for people: wrapped to 80 columns off a terminal (ARNs and patterns
kept whole), coloured only when asked or on a terminal, `-q` for the verdict
line alone; `-v` logs requests to standard error, never to standard output."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import REPO, run_kmswatch

BROKEN = str(REPO / "examples" / "broken-threshold-zero.json")
ESC = "\x1b["


@pytest.mark.parametrize("command", [["check", "--snapshot", BROKEN], ["remediate", "--snapshot", BROKEN]])
def test_lines_fit_80_columns_unless_one_word_is_longer(tmp_path: Path, command: list[str]) -> None:
    done = run_kmswatch(tmp_path, *command)
    assert done.stdout.strip()
    for line in done.stdout.splitlines():
        assert len(line) <= 80 or " " not in line.strip(), line
    assert ESC not in done.stdout, "no colour off a terminal"


def test_colour_when_asked_and_never_when_refused(tmp_path: Path) -> None:
    always = run_kmswatch(tmp_path, "check", "--snapshot", BROKEN, "--color", "always")
    assert ESC in always.stdout
    never = run_kmswatch(tmp_path, "check", "--snapshot", BROKEN, "--color", "never")
    assert ESC not in never.stdout
    json_out = run_kmswatch(tmp_path, "check", "--snapshot", BROKEN, "--color", "always", "--format", "json")
    assert ESC not in json_out.stdout, "JSON is never coloured"


def test_quiet_prints_the_verdict_line_only(tmp_path: Path) -> None:
    done = run_kmswatch(tmp_path, "check", "--snapshot", BROKEN, "-q")
    assert done.stdout.splitlines() == [done.stdout.strip()]
    assert done.stdout.startswith("FAIL") and done.returncode == 1
    plan = run_kmswatch(tmp_path, "remediate", "--snapshot", BROKEN, "-q")
    assert len(plan.stdout.splitlines()) == 1 and "predicted verdict" in plan.stdout
