"""`help(kmswatch.check)` shows what type checkers and editors show: the public
functions are typed and documented in the package's own modules (no stub
beside them to drift from), their annotations resolvable at run time."""

from __future__ import annotations

import inspect
import typing

import pytest

kmswatch = pytest.importorskip("kmswatch")


def public_functions() -> dict[str, typing.Any]:
    return {name: getattr(kmswatch, name) for name in kmswatch.__all__ if inspect.isfunction(getattr(kmswatch, name))}


def test_every_public_function_is_documented_and_typed() -> None:
    functions = public_functions()
    assert {"check", "check_snapshot", "snapshot", "plan", "remediate", "pattern_sql"} <= set(functions)
    for name, function in functions.items():
        doc = inspect.getdoc(function) or ""
        assert doc.count("\n") >= 1, f"{name}: a one-line docstring"
        hints = typing.get_type_hints(function)
        untyped = set(inspect.signature(function).parameters) - set(hints)
        assert not untyped, f"kmswatch.{name}: parameters without a type: {sorted(untyped)}"
        assert "return" in hints, f"kmswatch.{name}: no return type"


def test_the_backends_are_typed_by_what_the_call_needs() -> None:
    """A check reads; a remediation also writes."""
    from kmswatch.backend import Backend, ReadOnlyBackend

    assert typing.get_type_hints(kmswatch.check)["backend"] == typing.Optional[ReadOnlyBackend]
    assert typing.get_type_hints(kmswatch.remediate)["backend"] == typing.Optional[Backend]
