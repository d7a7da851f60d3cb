"""No Rust panic reaches Python as pyo3's ``PanicException`` (a BaseException
that ``except Exception`` misses): the extension turns it into
``kmswatch.InternalError``, a ``KmswatchError``. The test wheel
(``--features conformance``) has a deliberate panic to prove it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLES
from harness import kmswatch_binary, kmswatch_env

kmswatch = pytest.importorskip("kmswatch")
native = pytest.importorskip("kmswatch._kmswatch")


@pytest.mark.parametrize("detached", [True, False], ids=["interpreter-released", "interpreter-held"])
def test_a_panic_is_an_internal_error(detached: bool) -> None:
    if not hasattr(native, "_panic_for_test"):
        pytest.skip("not the test wheel (maturin build --features conformance)")
    try:
        native._panic_for_test(detached)
    except Exception as caught:  # what a pipeline writes; PanicException would escape it
        assert isinstance(caught, kmswatch.InternalError)
        assert isinstance(caught, kmswatch.KmswatchError)
        assert "deliberate panic" in str(caught)
        assert "please report" in str(caught)
    else:
        pytest.fail("no exception")
    # The interpreter and the extension go on working.
    assert kmswatch.FilterPattern("ERROR").matches("an ERROR line")


@pytest.mark.parametrize("as_json", [False, True], ids=["table", "json"])
def test_a_cli_panic_is_one_sentence(tmp_path: Path, as_json: bool) -> None:
    """The debug binary panics on purpose under KMSWATCH_PANIC_FOR_TEST: the
    user gets exit 3 and one sentence (and with --format json one error
    document), not Rust's panic report."""
    binary = kmswatch_binary()
    if binary is None:
        pytest.skip("no kmswatch binary (cargo build -p kmswatch-cli)")
    if "release" in binary.parts:
        pytest.skip("the deliberate panic exists in debug builds only")
    args = [str(binary), "check", "--snapshot", str(EXAMPLES / "compliant.json")]
    if as_json:
        args += ["--format", "json"]
    env = kmswatch_env(tmp_path, "111122223333", "testing")
    env["KMSWATCH_PANIC_FOR_TEST"] = "1"
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 3, done
    assert "panicked at" not in done.stderr
    assert "RUST_BACKTRACE" not in done.stderr
    assert "deliberate panic" in done.stderr
    assert "please report" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    if as_json:
        document = json.loads(done.stdout)
        assert document["schema"] == "kmswatch.error/v1"
        assert document["status"] == "ERROR"
        assert document["error"]["code"] == "panic"
    else:
        assert done.stdout == ""
