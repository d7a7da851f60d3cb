"""`kmswatch history --archive` end to end, on moto S3 and on local files: the
same `kmswatch.history/v1` document and exit codes as `history`, every
account and region of the archive, any period; `--print-sql` writes the
query instead."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path
from typing import Any, Dict, Tuple

import pytest

from cloudtrail_archive import ACCOUNTS, DAYS, REGIONS, Archive, build, record
from conftest import boto3_client_factory
from harness import assert_matches_schema, run_kmswatch


@pytest.fixture(scope="module")
def archive() -> Archive:
    return build(seed=11)


def history(tmp_path: Path, *args: str, account: str = "111122223333") -> Tuple[int, Dict[str, Any]]:
    done = run_kmswatch(tmp_path, "history", *args, "--format", "json", account=account)
    document: Dict[str, Any] = json.loads(done.stdout)
    assert_matches_schema(document)
    return done.returncode, document


def expected_ids(archive: Archive, since: str, until: str) -> set[str]:
    return {
        r["eventID"]
        for rs in archive.records.values()
        for r in rs
        if r["eventName"] in ("DisableKey", "ScheduleKeyDeletion") and since <= r["eventTime"][:10] <= until
    }


def test_an_s3_archive_answers_for_every_account_and_region(
    tmp_path: Path, moto_endpoint: str, archive: Archive
) -> None:
    owner = str(random.randint(10**11, 10**12 - 1))
    s3 = boto3_client_factory(moto_endpoint, owner)("s3")
    bucket = f"history-{random.randrange(10**9)}"
    s3.create_bucket(Bucket=bucket)
    for key, body in archive.objects.items():
        s3.put_object(Bucket=bucket, Key=key, Body=body)
    code, doc = history(
        tmp_path, "--archive", f"s3://{bucket}/", "--since", "2023-01-01", "--until", "2023-12-31",
        "--endpoint-url", moto_endpoint, account=owner,
    )
    assert code == 1, doc
    assert doc["schema"] == "kmswatch.history/v1"
    assert doc["status"] == "FAIL"
    assert {e["event_id"] for e in doc["events"]} == expected_ids(archive, "2023-01-01", "2023-12-31")
    assert doc["account_id"] == ",".join(sorted(ACCOUNTS))
    assert doc["regions"] == sorted(REGIONS)
    assert doc["start_time"] == "2023-01-01T00:00:00Z" and doc["end_time"] == "2023-12-31T23:59:59Z"
    assert doc["days"] == 365
    assert doc["archive"] == f"s3://{bucket}/"
    failed = [e for e in doc["events"] if e["error_code"]]
    assert failed and all(e["event_time"].startswith(DAYS[0]) for e in failed)
    times = [e["event_time"] for e in doc["events"]]
    assert times == sorted(times, reverse=True)


def test_a_period_without_calls_passes(tmp_path: Path, archive: Archive) -> None:
    archive.write(tmp_path / "copy")
    # A day of the archive with other KMS calls only.
    rng = random.Random(3)
    quiet = [record(rng, ACCOUNTS[0], REGIONS[0], "2022-05-05", "Decrypt") for _ in range(3)]
    key = f"AWSLogs/{ACCOUNTS[0]}/CloudTrail/{REGIONS[0]}/2022/05/05/quiet.json.gz"
    (tmp_path / "copy" / key).parent.mkdir(parents=True)
    (tmp_path / "copy" / key).write_bytes(gzip.compress(json.dumps({"Records": quiet}).encode()))
    code, doc = history(tmp_path, "--archive", str(tmp_path / "copy"), "--since", "2022-01-01", "--until", "2022-12-31")
    assert code == 0
    assert doc["status"] == "PASS" and doc["events"] == []


def test_a_period_the_archive_holds_nothing_of_is_unknown(tmp_path: Path, archive: Archive) -> None:
    archive.write(tmp_path / "copy")
    code, doc = history(tmp_path, "--archive", str(tmp_path / "copy"), "--since", "2021-01-01", "--until", "2021-12-31")
    assert (code, doc["status"]) == (3, "ERROR"), doc["summary"]
    assert "holds no CloudTrail object" in doc["summary"]


def test_local_files_answer_the_same_and_regions_narrow(tmp_path: Path, archive: Archive) -> None:
    archive.write(tmp_path / "copy")
    code, doc = history(
        tmp_path, "--archive", str(tmp_path / "copy"), "--since", "2024-06-01", "--until", "2024-06-01",
        "--regions", "eu-west-1", "--accounts", ACCOUNTS[1],
    )
    assert code == 1
    assert doc["regions"] == ["eu-west-1"]
    assert doc["account_id"] == ACCOUNTS[1]
    assert {e["region"] for e in doc["events"]} == {"eu-west-1"}
    assert len(doc["events"]) == 2


def test_an_unreadable_object_makes_the_history_incomplete(tmp_path: Path, archive: Archive) -> None:
    day = DAYS[0].replace("-", "/")
    keys = sorted(k for k in archive.records if f"/{day}/" in k)
    broken = Archive(objects={k: archive.objects[k] for k in keys}, records={})
    broken.objects[keys[0]] = b"\x1f\x8b not gzip"
    broken.write(tmp_path / "broken")
    code, doc = history(tmp_path, "--archive", str(tmp_path / "broken"), "--since", DAYS[0], "--until", DAYS[0])
    assert [e["file"] for e in doc["archive_errors"]] == [str(tmp_path / "broken" / keys[0])]
    assert "1 object(s) of the archive could not be read" in doc["summary"]
    # The other objects of that day hold successful DisableKey calls: FAIL wins over ERROR.
    assert code == 1 and doc["status"] == "FAIL"
    # Only the broken object: nothing found, the history is ERROR (exit 3).
    (tmp_path / "only").mkdir()
    (tmp_path / "only" / "x.json.gz").write_bytes(b"\x1f\x8b not gzip")
    code, doc = history(tmp_path, "--archive", str(tmp_path / "only"), "--days", "1000")
    assert code == 3 and doc["status"] == "ERROR"
    assert doc["events"] == []


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--archive", "/nonexistent/kmswatch-archive"), 2),
        (("--archive", "s3://A_B/"), 2),
        (("--archive", "/tmp", "--since", "2024-02-01", "--until", "2024-01-01"), 2),
        (("--since", "2024-01-01"), 2),
    ],
)
def test_bad_archive_arguments_are_usage_errors(tmp_path: Path, args: Tuple[str, ...], code: int) -> None:
    done = run_kmswatch(tmp_path, "history", *args, "--format", "json")
    assert done.returncode == code, done.stderr
    assert json.loads(done.stdout)["schema"] == "kmswatch.error/v1"


def test_print_sql_writes_the_query_of_the_same_calls(tmp_path: Path) -> None:
    done = run_kmswatch(tmp_path, "history", "--print-sql", "--dialect", "athena", "--since", "2023-01-01", "--until", "2023-12-31")
    assert done.returncode == 0, done.stderr
    assert "FROM cloudtrail_logs" in done.stdout
    assert "eventname = 'DisableKey' OR eventname = 'ScheduleKeyDeletion'" in done.stdout
    assert "'2023-01-01'" in done.stdout and "'2023-12-31'" in done.stdout
    duck = run_kmswatch(tmp_path, "history", "--print-sql", "--dialect", "duckdb", "--archive", str(tmp_path), "--days", "400")
    assert duck.returncode == 0, duck.stderr
    assert f"{tmp_path}/**/*.json.gz" in duck.stdout
