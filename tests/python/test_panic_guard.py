"""No Rust panic reaches Python as pyo3's ``PanicException`` (a BaseException
that ``except Exception`` misses): the extension turns it into
``kmswatch.InternalError``, a ``KmswatchError``. The test wheel
(``--features conformance``) has a deliberate panic to prove it."""

from __future__ import annotations

import pytest

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
