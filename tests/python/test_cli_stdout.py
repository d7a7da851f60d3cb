"""The ``kmswatch`` command when standard output is closed early (``| head``):
it ends quietly with exit 0 instead of panicking, for every command that prints."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import List

import pytest

from harness import kmswatch_binary

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = str(REPO / "examples" / "broken-threshold-zero.json")

COMMANDS: List[List[str]] = [
    ["check", "--snapshot", EXAMPLE],
    ["check", "--snapshot", EXAMPLE, "--format", "json"],
    ["remediate", "--snapshot", EXAMPLE],
    ["remediate", "--snapshot", EXAMPLE, "--format", "json"],
    ["remediate", "--snapshot", EXAMPLE, "--export", "terraform"],
    ["pattern", "explain", "{ $.eventName = DisableKey }"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:2] + a[3:]) for a in COMMANDS])
def test_a_closed_standard_output_ends_the_command_quietly(args: List[str]) -> None:
    binary = kmswatch_binary()
    if binary is None:
        pytest.skip("no kmswatch binary (cargo build -p kmswatch-cli)")
    read_end, write_end = os.pipe()
    # The reader is gone before kmswatch writes a byte: every write is EPIPE.
    os.close(read_end)
    try:
        done = subprocess.run(
            [str(binary), *args],
            stdin=subprocess.DEVNULL,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 0, done.stderr
    assert "panicked" not in done.stderr
    assert done.stderr == "" or "note:" in done.stderr
