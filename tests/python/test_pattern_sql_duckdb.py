"""`kmswatch pattern sql --dialect duckdb` executed by DuckDB (embedded):
the rows are exactly the records kmswatch's own engine matches."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, List

import duckdb
import pytest

import kmswatch
from harness import assert_matches_schema, run_kmswatch
from pattern_sql_cases import (
    CLOUDTRAIL,
    CORPUS_PATTERNS,
    corpus_lines,
    expected_ids,
    random_cases,
    sql_or_none,
    vector_cases,
)


def run(sql: str) -> List[Any]:
    return duckdb.connect().execute(sql).fetchall()


def ids(rows: List[Any]) -> List[str]:
    return sorted(row[0] for row in rows)


def write_lines(path: Path, lines: List[str]) -> str:
    path.write_text("".join(line + "\n" for line in lines))
    return str(path)


def engine_records(pattern: str, paths: List[Path]) -> List[str]:
    """Canonical JSON of each record `kmswatch.pattern_test` matches."""
    return sorted(json.dumps(m["event"], sort_keys=True) for m in kmswatch.pattern_test(pattern, [str(p) for p in paths]))


@pytest.mark.parametrize("pattern", CORPUS_PATTERNS)
def test_the_bundled_archive_gives_the_engines_matches(pattern: str) -> None:
    sql = kmswatch.pattern_sql(pattern, "duckdb", source=str(CLOUDTRAIL / "*"))
    rows = run(sql)
    got = sorted(json.dumps(json.loads(row[4]), sort_keys=True) for row in rows)
    assert got == engine_records(pattern, sorted(CLOUDTRAIL.iterdir()))


@pytest.mark.parametrize("pattern", CORPUS_PATTERNS)
def test_the_corpus_gives_the_engines_matches(pattern: str, tmp_path: Path) -> None:
    lines = corpus_lines()
    source = write_lines(tmp_path / "corpus.jsonl", lines)
    sql = kmswatch.pattern_sql(pattern, "duckdb", source=source)
    assert ids(run(sql)) == expected_ids(pattern, lines)


def test_the_documented_vectors_give_the_documented_answer(tmp_path: Path) -> None:
    checked = 0
    for pattern, event, matches in vector_cases():
        assert kmswatch.FilterPattern(pattern).matches(event) == matches, (pattern, event)
        sql = sql_or_none(pattern, "duckdb", source=write_lines(tmp_path / "v.jsonl", [event]))
        if sql is None:
            continue
        assert (len(run(sql)) == 1) == matches, (pattern, event)
        checked += 1
    assert checked >= 20, checked


def test_random_patterns_over_random_records(tmp_path: Path) -> None:
    lines, patterns = random_cases(seed=25, records=300, patterns=400)
    source = write_lines(tmp_path / "random.jsonl", lines)
    compared = stopped = 0
    for pattern in patterns:
        sql = sql_or_none(pattern, "duckdb", source=source)
        assert sql is not None, pattern
        try:
            rows = run(sql)
        except duckdb.Error as e:
            # The query stops where only the engine's own number text or an
            # exact decimal comparison could answer; it never answers wrongly.
            assert "kmswatch:" in str(e), (pattern, e)
            stopped += 1
            continue
        assert ids(rows) == expected_ids(pattern, lines), pattern
        compared += 1
    assert compared >= 300 and stopped < compared, (compared, stopped)


def test_an_archive_on_disk_is_read_gzip_or_not(tmp_path: Path) -> None:
    lines = corpus_lines()
    records = [json.loads(line) for line in lines]
    import gzip

    with gzip.open(tmp_path / "a.json.gz", "wt") as f:
        json.dump({"Records": records[:20]}, f)
    (tmp_path / "b.json").write_text(json.dumps({"Records": records[20:]}, indent=2))
    sql = kmswatch.pattern_sql(kmswatch.CIS_PATTERN, "duckdb", source=str(tmp_path / "*"))
    assert ids(run(sql)) == expected_ids(kmswatch.CIS_PATTERN, lines)


def test_the_window_keeps_whole_days(tmp_path: Path) -> None:
    lines = [
        json.dumps({"eventID": day, "eventTime": f"{day}T23:59:59Z", "eventName": "DisableKey"})
        for day in ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"]
    ]
    source = write_lines(tmp_path / "days.jsonl", lines)
    sql = kmswatch.pattern_sql("{ $.eventName = DisableKey }", "duckdb", source=source,
                               since="2026-03-02", until="2026-03-03")
    assert ids(run(sql)) == ["2026-03-02", "2026-03-03"]


def test_the_command_prints_a_query_duckdb_runs_as_printed(tmp_path: Path) -> None:
    done = run_kmswatch(tmp_path, "pattern", "sql", kmswatch.CIS_PATTERN, "--dialect", "duckdb",
                        "--source", str(CLOUDTRAIL / "*.json.gz"))
    assert done.returncode == 0, done.stderr
    assert ids(run(done.stdout)) == ids(run(kmswatch.pattern_sql(
        kmswatch.CIS_PATTERN, "duckdb", source=str(CLOUDTRAIL / "*.json.gz"))))
    assert len(run(done.stdout)) >= 2
    as_json = run_kmswatch(tmp_path, "pattern", "sql", kmswatch.CIS_PATTERN, "--dialect", "duckdb",
                           "--source", str(CLOUDTRAIL / "*.json.gz"), "--format", "json")
    document = json.loads(as_json.stdout)
    assert_matches_schema(document)
    assert document["schema"] == "kmswatch.pattern-sql/v1"
    assert document["sql"] == done.stdout.rstrip("\n")


def test_refusals_name_the_construct_and_exit_4(tmp_path: Path) -> None:
    done = run_kmswatch(tmp_path, "pattern", "sql", "DisableKey", "--dialect", "duckdb", "--format", "json")
    assert done.returncode == 4
    document = json.loads(done.stdout)
    assert document["schema"] == "kmswatch.error/v1"
    assert document["exit_code"] == 4
    assert document["error"]["code"] == "unstructured_terms"
    assert_matches_schema(document)
    with pytest.raises(kmswatch.PatternSqlError) as refused:
        kmswatch.pattern_sql("{ $.a.* = 1 }", "duckdb")
    assert refused.value.code == "wildcard_selector"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--since", "2026-02-30"], "is not a day"),
        (["--since", "2026-03-02", "--until", "2026-03-01"], "before --since"),
        (["--source", "x.json"], "--source is for duckdb and spark"),
    ],
)
def test_usage_errors_exit_2_with_one_document(args: List[str], message: str, tmp_path: Path) -> None:
    dialect = "athena" if "--source" in args else "duckdb"
    done = run_kmswatch(tmp_path, "pattern", "sql", "{ $.a = 1 }", "--dialect", dialect, "--format", "json", *args)
    assert done.returncode == 2
    document = json.loads(done.stdout)
    assert message in document["error"]["message"]
