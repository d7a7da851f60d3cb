"""The extension module's stub (``kmswatch/_kmswatch.pyi``) says what the
built module exports: stubtest compares every name, signature and class of the
installed extension with the stub in the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

kmswatch = pytest.importorskip("kmswatch")
SOURCE = REPO / "kmswatch-py" / "python"
ALLOWLIST = Path(__file__).with_name("native_stub_allowlist.txt")


def test_the_stub_matches_the_built_extension(tmp_path: Path) -> None:
    # MYPYPATH: the stub as written, not the copy the installed wheel carries;
    # the working directory keeps the source tree off the import path, so the
    # module compared is the built one.
    env = {**os.environ, "MYPYPATH": str(SOURCE)}
    done = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "kmswatch._kmswatch", "--allowlist", str(ALLOWLIST)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "in 1 module" in done.stdout, done.stdout


@pytest.mark.smoke
def test_the_wheel_ships_the_type_information() -> None:
    package = Path(kmswatch.__file__).parent
    assert (package / "py.typed").is_file()
    assert (package / "_kmswatch.pyi").is_file()
    # The package is typed inline; a leftover stub would shadow it.
    assert not (package / "__init__.pyi").exists()
