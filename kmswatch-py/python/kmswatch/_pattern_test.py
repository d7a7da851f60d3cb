"""The iterator :func:`kmswatch.pattern_test` returns."""

from __future__ import annotations

import json as _json
from typing import Any, Dict, Iterator, Optional

from kmswatch._errors import KmswatchError
from kmswatch.schema import PatternTestSummary


class PatternMatches(Iterator[Dict[str, Any]]):
    """The matching events of a search, in input order: each the object
    ``kmswatch pattern test --format json`` prints, as a dict.

    ``summary`` is ``None`` until the last match was taken, then the
    ``kmswatch.pattern-test/v1`` summary (``matched``, ``events``,
    ``oversized``, ``files``, ``errors``). Inputs that could not be read do not
    stop the search; once the others were read, iteration ends by raising
    :class:`KmswatchError` naming them (``summary["errors"]`` says why).
    Leaving the loop early (or Ctrl-C) stops the search.
    """

    def __init__(self, matches: Any) -> None:
        self._matches = matches
        self._raised = False
        self.summary: Optional[PatternTestSummary] = None

    def __iter__(self) -> "PatternMatches":
        return self

    def __next__(self) -> Dict[str, Any]:
        try:
            found: Dict[str, Any] = _json.loads(next(self._matches))
            return found
        except StopIteration:
            pass
        if self.summary is None:
            text = self._matches.summary()
            self.summary = None if text is None else _json.loads(text)
        errors = [] if self.summary is None else self.summary["errors"]
        if errors and not self._raised:
            self._raised = True
            unreadable = "; ".join(
                f"{error.get('file', 'standard input')}: {error['message']}" for error in errors
            )
            raise KmswatchError(f"cannot read {unreadable}")
        raise StopIteration
