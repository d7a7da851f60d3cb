"""`help(kmswatch.check)` shows the same documentation as the type stubs: the
runtime docstrings and `__init__.pyi` cannot drift apart."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

kmswatch = pytest.importorskip("kmswatch")
STUB = Path(kmswatch.__file__).with_name("__init__.pyi")


def stub_docstrings() -> dict[str, str]:
    tree = ast.parse(STUB.read_text())
    return {
        node.name: ast.get_docstring(node) or ""
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    }


def test_every_public_function_has_the_stubs_documentation() -> None:
    documented = stub_docstrings()
    assert {"check", "check_snapshot", "snapshot", "plan", "remediate"} <= set(documented)
    for name, doc in documented.items():
        assert doc.count("\n") >= 1, f"{name}: a one-line stub docstring"
        runtime = inspect.getdoc(getattr(kmswatch, name))
        assert runtime == doc, f"kmswatch.{name}.__doc__ differs from __init__.pyi"
