"""One version everywhere: the workspace's Cargo.toml, the installed
distribution's metadata (maturin takes it from Cargo), ``kmswatch.__version__``,
``kmswatch --version`` and the latest release in CHANGELOG.md."""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.version import Version

import kmswatch

REPO = Path(__file__).resolve().parents[2]

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest brings tomli on Python < 3.11
    import tomli as tomllib


def workspace_version() -> str:
    manifest = tomllib.loads((REPO / "Cargo.toml").read_text(encoding="utf-8"))
    version = manifest["workspace"]["package"]["version"]
    assert isinstance(version, str)
    return version


def cli_version_output() -> str:
    """``kmswatch --version`` of ``$KMSWATCH_BIN``, or of the workspace's build."""
    binary = os.environ.get("KMSWATCH_BIN")
    if binary:
        command = [binary, "--version"]
    elif shutil.which("cargo"):
        command = ["cargo", "run", "--quiet", "-p", "kmswatch-cli", "--", "--version"]
    else:
        pytest.skip("neither KMSWATCH_BIN nor cargo to run `kmswatch --version`")
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_package_metadata_and_module_agree_with_the_workspace() -> None:
    version = workspace_version()
    assert re.fullmatch(r"\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?", version), version
    assert kmswatch.__version__ == version
    # Equal under PEP 440 (Cargo's `1.0.0-rc.1` is the wheel's `1.0.0rc1`).
    assert Version(importlib.metadata.version("kmswatch")) == Version(version)


def test_the_cli_reports_the_same_version() -> None:
    assert cli_version_output() == f"kmswatch {workspace_version()}"


def test_the_changelog_starts_with_this_release() -> None:
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+[^\]]*)\]", changelog, flags=re.MULTILINE)
    assert releases, "CHANGELOG.md names no release"
    assert releases[0] == workspace_version()
    assert "## [Unreleased]" in changelog
