"""`kmswatch pattern sql --dialect spark` executed by Spark (pyspark, local
mode): the rows are exactly the records kmswatch's own engine matches.

One test, so that one worker starts one JVM (the session fixture). The
queries over the bundled archive run whole, reading the files (`--source`);
the many random and documented cases run as one scan of a table in which
each query's condition (what follows the record filter every query has) is
one column: one Spark job instead of one per query."""

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
    # The condition as a column of every record, as run_conditions asks
    # Spark: in a WHERE clause DuckDB may test the operands of AND in another
    # order and never reach the value a Spark column stops at.
    head, found, condition = sql.partition("json_type(record) IN ('OBJECT', 'ARRAY')\n  AND ")
    assert found, sql
    con = duckdb.connect()
    con.execute("CREATE TABLE r AS SELECT CAST(l AS JSON) AS record FROM unnest(?) AS t(l)", [lines])
    try:
        con.execute(
            f"SELECT COALESCE({condition}, FALSE) FROM r WHERE json_type(record) IN ('OBJECT', 'ARRAY')"
        ).fetchall()
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


RECORD_FILTER = "(schema_of_variant(record) LIKE 'OBJECT%' OR schema_of_variant(record) LIKE 'ARRAY%')"


def run_conditions(spark: Any, queries: List[Tuple[str, str]], column: str) -> Dict[str, List[str]]:
    """Each query's condition as one column of one scan of `cloudtrail_records`:
    the values of `column` of the records each matches, sorted, by pattern."""
    columns = []
    for i, (_, sql) in enumerate(queries):
        head, found, condition = sql.partition(RECORD_FILTER + "\n  AND ")
        assert found and head.rstrip().endswith("WHERE"), sql
        columns.append(f"COALESCE({condition}, FALSE) AS p{i}")
    scan = (
        "SELECT to_json(record) AS record, variant_get(record, '$.eventID', 'string') AS eventID, "
        + ", ".join(columns)
        + " FROM (SELECT parse_json(record) AS record FROM cloudtrail_records) AS records WHERE "
        + RECORD_FILTER
    )
    found_by: Dict[str, List[str]] = {pattern: [] for pattern, _ in queries}
    for row in spark.sql(scan).collect():
        for i, (pattern, _) in enumerate(queries):
            if row[f"p{i}"]:
                found_by[pattern].append(row[column])
    return {pattern: sorted(values) for pattern, values in found_by.items()}


def random_patterns_over_random_records(spark: Any) -> None:
    lines, patterns = random_cases(seed=25, records=300, patterns=120, beyond_64_bits=False)
    records_view(spark, lines)
    queries = []
    for pattern in dict.fromkeys(patterns):
        sql = sql_or_none(pattern, "spark")
        assert sql is not None, pattern
        if duckdb_answers(pattern, lines):
            queries.append((pattern, sql))
    assert len(queries) >= 90, len(queries)
    found = run_conditions(spark, queries, "eventID")
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


def the_documented_vectors(spark: Any) -> None:
    cases = vector_cases()
    events = sorted({event for _, event, _ in cases})
    records_view(spark, events)
    queries = []
    for pattern in sorted({pattern for pattern, _, _ in cases}):
        sql = sql_or_none(pattern, "spark")
        if sql is not None and duckdb_answers(pattern, events):
            queries.append((pattern, sql))
    assert len(queries) >= 15, len(queries)
    found = run_conditions(spark, queries, "record")
    for pattern, _ in queries:
        compiled = kmswatch.FilterPattern(pattern)
        expected = sorted(canonical(e) for e in events if compiled.matches(e))
        assert sorted(canonical(r) for r in found[pattern]) == expected, pattern
    for pattern, event, matches in cases:
        if pattern in found:
            assert (canonical(event) in [canonical(r) for r in found[pattern]]) == matches, (pattern, event)


def the_bundled_archive_read_by_the_query(spark: Any) -> None:
    queries = [
        (pattern, kmswatch.pattern_sql(pattern, "spark", source=str(CLOUDTRAIL / "*")))
        # The whole query, reading the files; the conditions of the others
        # are proven over the table below.
        for pattern in CORPUS_PATTERNS[:5]
    ]
    found = run_all(spark, queries, column="record")
    for pattern, _ in queries:
        expected = sorted(
            json.dumps(m["event"], sort_keys=True)
            for m in kmswatch.pattern_test(pattern, [str(p) for p in sorted(CLOUDTRAIL.iterdir())])
        )
        got = sorted(canonical(record) for record in found[pattern])
        assert got == expected, pattern


def test_spark_returns_the_engines_matches(spark: Any) -> None:
    the_bundled_archive_read_by_the_query(spark)
    random_patterns_over_random_records(spark)
    the_documented_vectors(spark)
