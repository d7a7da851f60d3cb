"""`kmswatch pattern sql --dialect spark` executed by Spark (pyspark, local
mode, one session per pytest worker): the rows are exactly the records
kmswatch's own engine matches. Each test sends its queries as one job (a
`UNION ALL` of them), so Spark starts and plans once per test."""

from __future__ import annotations

import json
import shutil
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import kmswatch
from pattern_sql_cases import (
    CLOUDTRAIL,
    CORPUS_PATTERNS,
    expected_ids,
    random_cases,
    sql_or_none,
    vector_cases,
)

pytestmark = pytest.mark.xdist_group("spark")


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    if shutil.which("java") is None:
        pytest.fail("Spark needs a Java runtime: apt-get install openjdk-17-jre-headless")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("kmswatch-pattern-sql")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def records_view(spark: Any, lines: List[str]) -> None:
    """`cloudtrail_records`: one `record` column of JSON text per record."""
    frame = spark.createDataFrame([(line,) for line in lines], "record string").coalesce(1)
    frame.cache().createOrReplaceTempView("cloudtrail_records")


def duckdb_answers(pattern: str, lines: List[str]) -> bool:
    """Whether the DuckDB query answers over these records: where it stops
    (a value only the engine can decide, test_pattern_sql_duckdb.py), the
    Spark query stops too, and would stop the whole job."""
    import duckdb

    sql = sql_or_none(pattern, "duckdb", table="r")
    if sql is None:
        return False
    con = duckdb.connect()
    con.execute("CREATE TABLE r AS SELECT CAST(l AS JSON) AS record FROM unnest(?) AS t(l)", [lines])
    try:
        con.execute(sql)
    except duckdb.Error:
        return False
    return True


def run_all(spark: Any, queries: List[Tuple[str, str]], column: str = "eventID") -> Dict[str, List[str]]:
    """Each query's values of `column`, sorted, by pattern: one Spark job."""
    union = "\nUNION ALL\n".join(
        f"SELECT {i} AS k, `{column}` AS v FROM (\n{sql}\n) AS q{i}" for i, (_, sql) in enumerate(queries)
    )
    found: Dict[str, List[str]] = {pattern: [] for pattern, _ in queries}
    for row in spark.sql(union).collect():
        found[queries[row["k"]][0]].append(row["v"])
    return {pattern: sorted(values) for pattern, values in found.items()}


def test_random_patterns_over_random_records(spark: Any) -> None:
    lines, patterns = random_cases(seed=25, records=300, patterns=60, beyond_64_bits=False)
    records_view(spark, lines)
    queries = []
    for pattern in patterns:
        sql = sql_or_none(pattern, "spark")
        assert sql is not None, pattern
        if duckdb_answers(pattern, lines):
            queries.append((pattern, sql))
    assert len(queries) >= 50, len(queries)
    found = run_all(spark, queries)
    for pattern, _ in queries:
        assert found[pattern] == expected_ids(pattern, lines), pattern


def canonical(record: str) -> str:
    """The record as JSON with sorted keys; a whole float as an integer
    (Spark writes `1000.0` as `1000`)."""

    def whole(value: Any) -> Any:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, dict):
            return {k: whole(v) for k, v in value.items()}
        if isinstance(value, list):
            return [whole(v) for v in value]
        return value

    return json.dumps(whole(json.loads(record)), sort_keys=True)


def test_the_documented_vectors(spark: Any) -> None:
    cases = vector_cases()
    events = sorted({event for _, event, _ in cases})
    records_view(spark, events)
    queries = []
    for pattern in sorted({pattern for pattern, _, _ in cases}):
        sql = sql_or_none(pattern, "spark")
        if sql is not None and duckdb_answers(pattern, events):
            queries.append((pattern, sql))
    assert len(queries) >= 15, len(queries)
    found = run_all(spark, queries, column="record")
    for pattern, _ in queries:
        compiled = kmswatch.FilterPattern(pattern)
        expected = sorted(canonical(e) for e in events if compiled.matches(e))
        assert sorted(canonical(r) for r in found[pattern]) == expected, pattern
    for pattern, event, matches in cases:
        if pattern in found:
            assert (canonical(event) in [canonical(r) for r in found[pattern]]) == matches, (pattern, event)


def test_the_bundled_archive_read_by_the_query(spark: Any) -> None:
    queries = [
        (pattern, kmswatch.pattern_sql(pattern, "spark", source=str(CLOUDTRAIL / "*")))
        for pattern in CORPUS_PATTERNS
    ]
    found = run_all(spark, queries, column="record")
    for pattern, _ in queries:
        expected = sorted(
            json.dumps(m["event"], sort_keys=True)
            for m in kmswatch.pattern_test(pattern, [str(p) for p in sorted(CLOUDTRAIL.iterdir())])
        )
        got = sorted(canonical(record) for record in found[pattern])
        assert got == expected, pattern
