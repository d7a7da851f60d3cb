"""For tests and benchmarks that drive the ``kmswatch`` binary from outside: a moto
server process of their own (tests/moto/server.py) with server-wide settings the
shared one must not have (IAM enforcement, faults), the binary, a clean AWS
environment for it, and the gap codes of its reports."""

from __future__ import annotations

import contextlib
import importlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SERVER = REPO / "tests" / "moto" / "server.py"
REGION = "us-east-1"


def untyped(module: str) -> Any:
    """A module that ships no type information (botocore; tests/moto's own), as ``Any``."""
    return importlib.import_module(module)


@contextlib.contextmanager
def moto_server(args: Sequence[str] = (), env: Mapping[str, str] | None = None) -> Iterator[str]:
    """Starts tests/moto/server.py with ``args`` and extra ``env``; yields its URL."""
    server = subprocess.Popen(
        [sys.executable, str(SERVER), "--port", "0", "--exit-with-parent", str(os.getpid()), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    # Keep draining stdout so that the server never blocks on a full pipe.
    threading.Thread(target=server.stdout.read, daemon=True).start()
    try:
        if not line.startswith("READY "):
            raise RuntimeError(f"tests/moto/server.py did not start (printed {line!r})")
        yield line.split(" ", 1)[1].strip()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def kmswatch_binary() -> Path | None:
    """``KMSWATCH_BIN``, else target/debug/kmswatch (``cargo build -p kmswatch-cli``), if it exists."""
    given = os.environ.get("KMSWATCH_BIN")
    path = Path(given) if given else REPO / "target" / "debug" / "kmswatch"
    return path if path.is_file() else None


def kmswatch_binary_or_skip() -> Path:
    """:func:`kmswatch_binary`, or skips the test that needs it."""
    found = kmswatch_binary()
    if found is None:
        pytest.skip("no kmswatch binary (cargo build -p kmswatch-cli)")
    return found


def kmswatch_env(home: Path, access_key_id: str, secret_access_key: str) -> dict[str, str]:
    """An environment in which the AWS SDK uses exactly these credentials: no
    profile, shared file, session token or instance metadata of this machine."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("AWS_") and name != "KMSWATCH_MOTO_ENDPOINT"
    }
    env.update(
        AWS_ACCESS_KEY_ID=access_key_id,
        AWS_SECRET_ACCESS_KEY=secret_access_key,
        AWS_REGION=REGION,
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=str(home / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "credentials"),
    )
    return env


def gap_codes(report: Any) -> list[str]:
    """Every gap code anywhere in a ``kmswatch.report/v1`` document, sorted."""
    codes: list[str] = []
    if isinstance(report, dict):
        codes += [g["code"] for g in report.get("gaps", []) if isinstance(g, dict)]
        for value in report.values():
            codes += gap_codes(value)
    elif isinstance(report, list):
        for value in report:
            codes += gap_codes(value)
    return sorted(codes)


# Where a report came from, not what it says: how many requests, when, by which
# version, from which capture.
PROVENANCE = ("api_calls", "generated_at", "captured_at", "kmswatch_version")


def verdict_of(report: Any) -> dict[str, Any]:
    """A report document without its provenance, for comparing two reports."""
    return {k: v for k, v in dict(report).items() if k not in PROVENANCE}


def run_kmswatch(
    home: Path, *args: str, account: str = "111122223333", env: Mapping[str, str] | None = None
) -> "subprocess.CompletedProcess[str]":
    """The kmswatch binary with ``args``, dummy credentials of ``account`` and no
    shared config of this machine, plus ``env`` (skips the test when there is no
    binary)."""
    import pytest

    binary = kmswatch_binary()
    if binary is None:
        pytest.skip("no kmswatch binary (cargo build -p kmswatch-cli)")
    return subprocess.run(
        [str(binary), *args],
        env={**kmswatch_env(home, account, "testing"), **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        # A guard against a hang, far above any deadline: not a measurement.
        timeout=120,
        check=False,
    )


def assert_matches_schema(document: Mapping[str, Any]) -> None:
    """Fails unless ``document`` matches the JSON Schema its ``schema`` field
    names (``kmswatch.json_schema``), listing every mismatch."""
    import kmswatch

    jsonschema = untyped("jsonschema")

    try:
        schema = kmswatch.json_schema(str(document.get("schema")))
    except ValueError as unknown:
        raise AssertionError(str(unknown)) from None
    validator = jsonschema.Draft202012Validator(schema)
    errors = [
        f"{'/'.join(map(str, e.absolute_path)) or '(document)'}: {e.message}"
        for e in validator.iter_errors(document)
    ]
    assert not errors, f"{document.get('schema')}: " + "; ".join(errors[:10])


def generated_file_check(tool: str) -> None:
    """Fails unless ``tests/tools/<tool> --check`` says the files it generates
    are up to date, showing its diff."""
    done = subprocess.run(
        [sys.executable, str(REPO / "tests" / "tools" / tool), "--check"],
        capture_output=True,
        text=True,
        # A guard against a hang, not a measurement.
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr
