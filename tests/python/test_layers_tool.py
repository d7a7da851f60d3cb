"""tests/tools/layers.py, the layer check of the test command: it passes on the
repository, and fails on each kind of reach it exists to refuse, on small
trees of its own."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tests" / "tools" / "layers.py"

TABLE = """
[[layer]]
name = "vocabulary"
modules = ["kmswatch_demo::model", "kmswatch_demo::check::status"]

[[layer]]
name = "decisions"
modules = ["kmswatch_demo::check", "kmswatch_demo::keys"]

[[layer]]
name = "faces"
modules = ["kmswatch_face"]
"""


def run(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOL), str(root)], capture_output=True, text=True, check=False
    )


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "layers.toml").write_text(TABLE)
    base = {
        "kmswatch-demo/src/lib.rs": "pub mod model; pub mod check; pub mod keys;",
        "kmswatch-demo/src/model.rs": "pub struct Key;",
        "kmswatch-demo/src/check/mod.rs": "pub mod status;\nuse crate::model::Key;",
        "kmswatch-demo/src/check/status.rs": "pub enum Status { Pass }",
        "kmswatch-demo/src/keys.rs": "use crate::check::status::Status;",
        "kmswatch-face/src/main.rs": "use kmswatch_demo::check;",
    }
    base.update(files)
    for rel, text in base.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return tmp_path


def test_the_repository_keeps_its_layers() -> None:
    result = run(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("layers: ok")


def test_a_well_layered_tree_passes(tmp_path: Path) -> None:
    result = run(tree(tmp_path, {}))
    assert result.returncode == 0, result.stdout


def test_a_use_of_a_higher_layer_fails(tmp_path: Path) -> None:
    result = run(tree(tmp_path, {"kmswatch-demo/src/model.rs": "use crate::keys::Thing;"}))
    assert result.returncode == 1
    assert "kmswatch_demo::model (vocabulary) names kmswatch_demo::keys::Thing" in result.stdout


def test_a_path_written_inline_counts(tmp_path: Path) -> None:
    # The reach need not be a `use`: a type in a signature is one too.
    inline = "pub fn endpoints(plan: &crate::check::Plan) -> usize { 0 }"
    result = run(tree(tmp_path, {"kmswatch-demo/src/model.rs": inline}))
    assert result.returncode == 1
    assert "names kmswatch_demo::check::Plan of a higher layer (decisions)" in result.stdout


def test_grouped_and_super_paths_are_resolved(tmp_path: Path) -> None:
    grouped = "use super::super::{keys::Thing, model::Key};"
    result = run(tree(tmp_path, {"kmswatch-demo/src/check/status.rs": grouped}))
    assert result.returncode == 1
    assert "kmswatch_demo::check::status (vocabulary) names kmswatch_demo::keys::Thing" in result.stdout


def test_a_cycle_within_one_layer_fails(tmp_path: Path) -> None:
    # check and keys share a layer: each may name the other, but not both.
    result = run(tree(tmp_path, {"kmswatch-demo/src/keys.rs": "use crate::check::Report;"}))
    assert result.returncode == 0, result.stdout
    cyclic = {
        "kmswatch-demo/src/keys.rs": "use crate::check::Report;",
        "kmswatch-demo/src/check/mod.rs": "pub mod status;\nuse crate::keys::Inventory;",
    }
    result = run(tree(tmp_path, cyclic))
    assert result.returncode == 1
    assert "modules import each other: kmswatch_demo::check -> kmswatch_demo::keys" in result.stdout


def test_test_code_and_comments_do_not_count(tmp_path: Path) -> None:
    files = {
        "kmswatch-demo/src/model.rs": """
            //! See [`crate::keys::Thing`].
            pub struct Key;
            #[cfg(test)]
            mod tests;
            #[cfg(test)]
            mod inline {
                use crate::keys::Thing;
            }
        """,
        "kmswatch-demo/src/model/tests.rs": "use crate::keys::Thing;",
    }
    result = run(tree(tmp_path, files))
    assert result.returncode == 0, result.stdout


def test_a_module_outside_the_table_fails(tmp_path: Path) -> None:
    result = run(tree(tmp_path, {"kmswatch-demo/src/extra.rs": "pub struct X;"}))
    assert result.returncode == 1
    assert "module kmswatch_demo::extra is in no layer of layers.toml" in result.stdout
