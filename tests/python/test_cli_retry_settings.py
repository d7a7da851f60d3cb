"""Invalid SDK retry settings, from the environment or the profile, are a usage
error (exit 2) naming the setting, never a panic."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Dict

import pytest

from harness import kmswatch_binary


@pytest.mark.parametrize(
    "variables, config, named",
    [
        ({"AWS_MAX_ATTEMPTS": "abc"}, "", "AWS_MAX_ATTEMPTS"),
        ({"AWS_MAX_ATTEMPTS": "0"}, "", "AWS_MAX_ATTEMPTS"),
        ({"AWS_RETRY_MODE": "bogus"}, "", "AWS_RETRY_MODE"),
        ({}, "[default]\nmax_attempts = abc\n", "max_attempts in profile"),
    ],
    ids=["max-attempts-abc", "max-attempts-0", "retry-mode-bogus", "profile-max-attempts"],
)
def test_invalid_retry_settings_are_usage_errors(
    tmp_path: Path, variables: Dict[str, str], config: str, named: str
) -> None:
    binary = kmswatch_binary()
    if binary is None:
        pytest.skip("no kmswatch binary (cargo build -p kmswatch-cli)")
    (tmp_path / "config").write_text(config)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_CONFIG_FILE=str(tmp_path / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "credentials"),
        AWS_ACCESS_KEY_ID="123456789012",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_EC2_METADATA_DISABLED="true",
        **variables,
    )
    done = subprocess.run(
        # Port 9 of loopback: nothing listens, and the settings fail first anyway.
        [str(binary), "check", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert named in done.stderr
    assert "panicked" not in done.stderr
