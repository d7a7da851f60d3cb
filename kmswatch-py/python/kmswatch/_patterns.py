"""The filter-pattern functions of the Python API: :func:`pattern_test`
over log files and :func:`pattern_sql` (re-exported by ``kmswatch``)."""

from __future__ import annotations

import os as _os
from typing import Iterable, Literal, Optional, Union

from kmswatch import _kmswatch
from kmswatch._errors import KmswatchError
from kmswatch._pattern_test import PatternMatches


def pattern_test(
    pattern: str,
    paths: Union[str, "_os.PathLike[str]", Iterable[Union[str, "_os.PathLike[str]"]]],
    *,
    recursive: bool = False,
    threads: Optional[int] = None,
) -> PatternMatches:
    """The events of log files that the CloudWatch Logs filter ``pattern``
    matches, as ``kmswatch pattern test --format json`` prints them: an
    iterator (:class:`PatternMatches`) of dicts, in input order, each with
    ``file`` (the path), ``line`` (JSON Lines) or ``record`` (CloudTrail
    archives ``{"Records":[…]}``, pretty-printed events, JSON arrays; 1-based)
    and ``event`` (the event parsed as JSON, or the line as a string when it
    is not JSON).

    ``paths`` is one path or several; files may be gzip-compressed
    (recognised by their first bytes); a directory needs ``recursive=True``
    and gives every file under it, sorted by name; ``"-"`` reads standard
    input. The files are read on ``threads`` threads (default: every core)
    with the GIL released; large JSON Lines files are cut into ranges read in
    parallel.

    Raises :class:`PatternError` for an invalid pattern and
    :class:`KmswatchError` for a directory without ``recursive=True`` or
    ``threads`` below 1, before anything is read. An input that cannot be
    read does not stop the others: iteration ends by raising
    :class:`KmswatchError` naming it, and the iterator's ``summary`` (the
    ``kmswatch.pattern-test/v1`` summary) lists it under ``errors``.
    """
    if isinstance(paths, (str, _os.PathLike)):
        paths = [paths]
    names = [_os.fspath(p) for p in paths]
    if not names:
        raise KmswatchError("no paths to read: pass a file or a directory (\"-\" for standard input)")
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int) or threads < 1):
        raise KmswatchError(f"threads={threads!r}: read on at least one thread")
    return PatternMatches(_kmswatch.pattern_test(pattern, names, recursive, threads))


def pattern_sql(
    pattern: str,
    dialect: Literal["athena", "trino", "spark", "duckdb", "cloudtrail-lake"],
    table: Optional[str] = None,
    since: Optional[str] = None,
    until: Optional[str] = None,
    source: Optional[str] = None,
) -> str:
    """The SQL query selecting exactly the CloudTrail records the filter
    ``pattern`` matches, as ``kmswatch pattern sql`` prints it.

    ``dialect`` is ``athena``, ``trino``, ``spark``, ``duckdb`` or
    ``cloudtrail-lake``; ``table`` the table read (see docs/archive.md for
    each dialect's layout); ``since`` / ``until`` days (``YYYY-MM-DD``, both
    kept); ``source`` (``duckdb``, ``spark``) a glob or URL of CloudTrail
    objects the query reads itself.

    Raises :class:`PatternError` for an invalid pattern and
    :class:`PatternSqlError` when the dialect cannot express the pattern with
    the engine's exact semantics (``code`` names the construct) or for a bad
    argument (``code`` ``usage``).
    """
    return _kmswatch.pattern_sql(pattern, dialect, table, since, until, source)
