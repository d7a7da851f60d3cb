"""The crates as crates.io gets them: complete metadata, docs.rs settings, and a
package that holds what the crate needs and nothing else."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, Dict, List

import pytest

REPO = Path(__file__).resolve().parents[2]
PUBLISHED = ("kmswatch-decisions", "kmswatch-core", "kmswatch-cli")
# crates.io allows five keywords; these are its category slugs used here.
CATEGORIES = {"command-line-utilities", "development-tools", "parser-implementations"}


def cargo(*args: str) -> str:
    done = subprocess.run(["cargo", *args], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def packages() -> Dict[str, Dict[str, Any]]:
    metadata = json.loads(cargo("metadata", "--no-deps", "--format-version", "1"))
    return {p["name"]: p for p in metadata["packages"]}


def package_list(name: str) -> List[str]:
    return cargo("package", "--list", "--allow-dirty", "-p", name).split()


@pytest.mark.parametrize("name", PUBLISHED)
def test_metadata_is_complete(packages: Dict[str, Dict[str, Any]], name: str) -> None:
    package = packages[name]
    for field in ("description", "license", "repository", "readme", "homepage", "rust_version"):
        assert package[field], f"{name}: {field} is empty"
    assert package["license"] == "Apache-2.0"
    assert 1 <= len(package["keywords"]) <= 5
    assert set(package["categories"]) <= CATEGORIES
    assert package["publish"] is None, f"{name} must be publishable"
    docs_rs = package["metadata"]["docs"]["rs"]
    assert docs_rs["all-features"] is True


def test_one_version_for_the_workspace(packages: Dict[str, Dict[str, Any]]) -> None:
    versions = {name: p["version"] for name, p in packages.items()}
    assert len(set(versions.values())) == 1, versions
    # The CLI depends on the kmswatch-core of the same version on crates.io.
    (core,) = [d for d in packages["kmswatch-cli"]["dependencies"] if d["name"] == "kmswatch-core"]
    assert core["req"] == f"^{versions['kmswatch-core']}"
    # kmswatch-core re-exports the decisions of the same version.
    (decisions,) = [d for d in packages["kmswatch-core"]["dependencies"] if d["name"] == "kmswatch-decisions"]
    assert decisions["req"] == f"^{versions['kmswatch-decisions']}"


def test_the_python_crate_is_not_published(packages: Dict[str, Dict[str, Any]]) -> None:
    assert packages["kmswatch-py"]["publish"] == []
    assert packages["kmswatch-tests"]["publish"] == []
    assert packages["kmswatch-benches"]["publish"] == []


def test_decisions_package_holds_the_library_and_the_corpus_only() -> None:
    files = package_list("kmswatch-decisions")
    assert "corpus/kms_key_lifecycle.json" in files
    assert "src/lib.rs" in files and "src/pattern/parser.rs" in files
    assert "README.md" in files
    extra = [
        f
        for f in files
        if not (f.startswith("src/") or f.startswith("corpus/"))
        and f not in {"Cargo.toml", "Cargo.toml.orig", "Cargo.lock", "README.md", ".cargo_vcs_info.json"}
    ]
    assert extra == [], extra


def test_core_package_holds_the_library_only() -> None:
    files = package_list("kmswatch-core")
    assert "src/lib.rs" in files and "src/aws/partitions.json" in files
    assert "README.md" in files
    # The unit tests of `remediate` read the repository's examples/.
    assert "src/remediate/tests.rs" not in files
    extra = [
        f
        for f in files
        if not f.startswith("src/")
        and f not in {"Cargo.toml", "Cargo.toml.orig", "Cargo.lock", "README.md", ".cargo_vcs_info.json"}
    ]
    assert extra == [], extra


def test_cli_package_holds_the_sources_only() -> None:
    files = package_list("kmswatch-cli")
    assert "src/main.rs" in files
    extra = [
        f
        for f in files
        if not f.startswith("src/")
        and f not in {"Cargo.toml", "Cargo.toml.orig", "Cargo.lock", "README.md", ".cargo_vcs_info.json"}
    ]
    assert extra == [], extra
