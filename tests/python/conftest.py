"""Fixtures: a moto server (``KMSWATCH_MOTO_ENDPOINT``, or one started for this
session) and AWS environments for the SDK and boto3 paths."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
PATTERN_DATA = REPO / "kmswatch-core" / "tests" / "data"


def pytest_configure(config: pytest.Config) -> None:
    # `-m smoke`: the subset run against each built wheel (dist/check.sh, the
    # release workflow): offline checks, the AWS SDK over HTTP, Python backends.
    config.addinivalue_line("markers", "smoke: quick checks of an installed wheel")


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """The URL of a moto server with the RPCv2-CBOR bridge."""
    given = os.environ.get("KMSWATCH_MOTO_ENDPOINT")
    if given:
        yield given
        return
    server = subprocess.Popen(
        [
            sys.executable,
            str(REPO / "tests" / "moto" / "server.py"),
            "--port",
            "0",
            "--exit-with-parent",
            str(os.getpid()),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    # Keep draining stdout so that the server never blocks on a full pipe.
    threading.Thread(target=server.stdout.read, daemon=True).start()
    if not line.startswith("READY "):
        server.kill()
        pytest.fail(f"tests/moto/server.py did not start (printed {line!r})")
    try:
        yield line.split(" ", 1)[1].strip()
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[str, str], None]:
    """Points the AWS SDK (and boto3) at ``endpoint`` as ``account_id``, with no
    shared config of this machine."""

    def use(endpoint: str, account_id: str) -> None:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", account_id)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        monkeypatch.setenv("AWS_REGION", "us-east-1")
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
        monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
        monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_PROFILE"):
            monkeypatch.delenv(name, raising=False)

    return use


@pytest.fixture
def offline_env(aws_env: Callable[[str, str], None]) -> None:
    """An AWS environment whose endpoint nothing listens on (port 9 of loopback)."""
    aws_env("http://127.0.0.1:9", "123456789012")


def boto3_module() -> Any:
    """boto3, untyped: it ships no stubs, and the tests need none."""
    return importlib.import_module("boto3")


def boto3_client_factory(endpoint: str | None, account_id: str) -> Callable[[str], Any]:
    """boto3 clients in ``account_id`` (moto server maps the access key id to it)."""
    Config = importlib.import_module("botocore.config").Config
    session = boto3_module().session.Session(
        aws_access_key_id=account_id,
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    config = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2})

    def client(service: str) -> Any:
        return session.client(service, endpoint_url=endpoint, config=config)

    return client
