"""Athena / Trino and CloudTrail Lake queries (and the DuckDB and Spark ones)
parse in their dialect (sqlglot) and are pinned as golden files under
tests/python/golden/pattern_sql/ (KMSWATCH_BLESS=1 writes them). They come
from the same intermediate form as the queries DuckDB and Spark execute."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlglot

import kmswatch
from pattern_sql_cases import sql_or_none

GOLDEN = Path(__file__).parent / "golden" / "pattern_sql"

# kmswatch's dialect → sqlglot's (CloudTrail Lake's SQL is Trino's).
SQLGLOT = {
    "athena": "athena",
    "trino": "trino",
    "cloudtrail-lake": "trino",
    "duckdb": "duckdb",
    "spark": "spark",
}

PATTERNS = {
    "cis": kmswatch.CIS_PATTERN,
    "event_name_prefix": "{ $.eventName = Disable* && $.userIdentity.type = IAMUser }",
    "error_code_any": "{ $.errorCode = * || $.errorCode = %Denied$% }",
    "request_parameter": "{ $.requestParameters.keyId = \"*abcd-12*\" }",
    "session_issuer": "{ $.userIdentity.sessionContext.sessionIssuer.userName = terraform* }",
    "everything": "",
}

WINDOW = {"since": "2026-01-01", "until": "2026-03-31"}


def golden_cases() -> list[tuple[str, str]]:
    """Every pattern in every dialect that expresses it (CloudTrail Lake keeps
    `requestParameters` as a map: refused there)."""
    return [
        (name, dialect)
        for name in PATTERNS
        for dialect in SQLGLOT
        if sql_or_none(PATTERNS[name], dialect) is not None
    ]


def test_every_dialect_has_goldens() -> None:
    assert {dialect for _, dialect in golden_cases()} == set(SQLGLOT)
    assert len(golden_cases()) == len(PATTERNS) * len(SQLGLOT) - 1


@pytest.mark.parametrize("name, dialect", golden_cases())
def test_queries_parse_and_match_their_golden_file(name: str, dialect: str) -> None:
    sql = kmswatch.pattern_sql(PATTERNS[name], dialect, **WINDOW)  # type: ignore[arg-type]
    parsed = sqlglot.parse(sql, read=SQLGLOT[dialect])
    assert len(parsed) == 1 and parsed[0] is not None
    golden = GOLDEN / f"{name}.{dialect}.sql"
    if os.environ.get("KMSWATCH_BLESS"):
        golden.write_text(sql + "\n")
    assert golden.read_text() == sql + "\n", f"stale {golden.name}: KMSWATCH_BLESS=1 rewrites it"


def test_the_golden_folder_has_no_stale_file() -> None:
    expected = {f"{name}.{dialect}.sql" for name, dialect in golden_cases()}
    assert {p.name for p in GOLDEN.iterdir()} == expected


@pytest.mark.parametrize(
    "pattern, dialect, code",
    [
        ("{ $.eventName != DisableKey }", "athena", "column_test"),
        ("{ $.errorCode NOT EXISTS }", "trino", "column_test"),
        ("{ $.eventname = DisableKey }", "athena", "no_column"),
        ("{ $.requestParameters.pendingWindowInDays = \"7\" }", "athena", "numeric_text"),
        ("{ $.requestParameters.keyId = %abc% }", "athena", "column_test"),
        ("{ $.requestParameters.keyId = abc }", "cloudtrail-lake", "no_column"),
        ("{ $.eventTime = 2026* }", "cloudtrail-lake", "no_column"),
        ("{ $.resources[0].type = x }", "athena", "no_column"),
        ("{ $.readOnly IS TRUE }", "athena", "column_test"),
        ("{ $.a.* = 1 }", "spark", "wildcard_selector"),
        ("{ $.resources[*].ARN = x }", "athena", "wildcard_selector"),
        ("[ip, user]", "duckdb", "space_delimited"),
        ("%Disable%", "athena", "standalone_regex"),
        ("{ $.['a\\'b'] = 1 }", "spark", "selector_key"),
    ],
)
def test_what_a_layout_cannot_decide_is_refused_by_name(pattern: str, dialect: str, code: str) -> None:
    with pytest.raises(kmswatch.PatternSqlError) as refused:
        kmswatch.pattern_sql(pattern, dialect)  # type: ignore[arg-type]
    assert refused.value.code == code
    assert sql_or_none("{ $.eventName = DisableKey }", dialect) is not None
