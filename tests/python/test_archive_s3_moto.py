"""`kmswatch pattern test s3://…` end to end on moto S3: the archive is
listed by its key layout, pruned by --since/--until/--accounts/--regions,
every object is read, and what cannot be read is said with its exit code."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from cloudtrail_archive import ACCOUNTS, Archive, build
from conftest import boto3_client_factory
from harness import run_kmswatch

PATTERN = "{ $.eventName = DisableKey || $.eventName = ScheduleKeyDeletion }"


def bucket_with(endpoint: str, archive: Archive, account: str) -> str:
    """A new bucket holding the archive's objects."""
    s3 = boto3_client_factory(endpoint, account)("s3")
    name = f"trail-{random.randrange(10**9)}"
    s3.create_bucket(Bucket=name)
    for key, body in archive.objects.items():
        s3.put_object(Bucket=name, Key=key, Body=body)
    return name


def pattern_test(tmp_path: Path, endpoint: str, account: str, *args: str) -> Tuple[int, List[Dict[str, Any]], str]:
    done = run_kmswatch(
        tmp_path, "pattern", "test", *args, "--endpoint-url", endpoint, "--format", "json", account=account
    )
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    return done.returncode, lines, done.stderr


@pytest.fixture(scope="module")
def archive() -> Archive:
    return build()


def account() -> str:
    return str(random.randint(10**11, 10**12 - 1))


def test_every_object_of_the_archive_is_searched(tmp_path: Path, moto_endpoint: str, archive: Archive) -> None:
    owner = account()
    bucket = bucket_with(moto_endpoint, archive, owner)
    code, lines, stderr = pattern_test(tmp_path, moto_endpoint, owner, PATTERN, f"s3://{bucket}/")
    assert code == 0, stderr
    *matches, summary = lines
    expected = {r["eventID"] for r in archive.events(eventName="DisableKey")}
    expected |= {r["eventID"] for r in archive.events(eventName="ScheduleKeyDeletion")}
    assert {m["event"]["eventID"] for m in matches} == expected
    assert all(m["file"].startswith(f"s3://{bucket}/AWSLogs/") for m in matches)
    assert summary["schema"] == "kmswatch.pattern-test/v1"
    # The digest files are not log files: not read.
    assert summary["files"] == len(archive.records)
    assert summary["events"] == sum(len(r) for r in archive.records.values())
    assert summary["errors"] == []


def test_days_accounts_and_regions_prune_the_listing(tmp_path: Path, moto_endpoint: str, archive: Archive) -> None:
    owner = account()
    bucket = bucket_with(moto_endpoint, archive, owner)
    code, lines, stderr = pattern_test(
        tmp_path, moto_endpoint, owner, PATTERN, f"s3://{bucket}/AWSLogs/",
        "--since", "2023-01-31", "--until", "2024-05-31", "--accounts", ACCOUNTS[1], "--regions", "eu-west-1",
    )
    assert code == 0, stderr
    *matches, summary = lines
    assert summary["files"] == 1
    assert {m["event"]["eventTime"][:10] for m in matches} == {"2023-01-31"}
    assert {m["event"]["recipientAccountId"] for m in matches} == {ACCOUNTS[1]}
    assert {m["event"]["awsRegion"] for m in matches} == {"eu-west-1"}
    assert len(matches) == 2


def test_nothing_in_the_period_matches_nothing(tmp_path: Path, moto_endpoint: str, archive: Archive) -> None:
    owner = account()
    bucket = bucket_with(moto_endpoint, archive, owner)
    code, lines, _ = pattern_test(tmp_path, moto_endpoint, owner, PATTERN, f"s3://{bucket}/", "--since", "2025-01-01")
    assert code == 1
    assert lines[-1]["files"] == 0 and lines[-1]["matched"] == 0


def test_a_corrupt_object_is_reported_and_the_others_read(tmp_path: Path, moto_endpoint: str, archive: Archive) -> None:
    owner = account()
    broken = Archive(objects=dict(archive.objects), records=dict(archive.records))
    first = sorted(archive.records)[0]
    broken.objects[first] = archive.objects[first][:40]
    second = sorted(archive.records)[1]
    broken.objects[second] = gzip.compress(b'{"Records": [{"eventName": "DisableKey"')
    bucket = bucket_with(moto_endpoint, broken, owner)
    code, lines, stderr = pattern_test(tmp_path, moto_endpoint, owner, PATTERN, f"s3://{bucket}/")
    assert code == 2
    summary = lines[-1]
    assert [e["file"] for e in summary["errors"]] == [f"s3://{bucket}/{first}", f"s3://{bucket}/{second}"]
    assert "not a CloudTrail archive" in summary["errors"][1]["message"]
    assert summary["files"] == len(archive.records) - 2
    assert summary["matched"] > 0
    assert f"cannot read s3://{bucket}/{first}" in stderr


@pytest.mark.parametrize(
    ("url", "code", "error_code"),
    [("s3://no-such-bucket-kmswatch/", 3, "NoSuchBucket"), ("s3://A_B/", 2, "InvalidUrl")],
)
def test_an_archive_that_cannot_be_listed_is_one_error_document(
    tmp_path: Path, moto_endpoint: str, url: str, code: int, error_code: str
) -> None:
    done = run_kmswatch(
        tmp_path, "pattern", "test", PATTERN, url, "--endpoint-url", moto_endpoint, "--format", "json", account=account()
    )
    assert done.returncode == code
    document = json.loads(done.stdout)
    assert document["schema"] == "kmswatch.error/v1"
    assert document["error"]["code"] == error_code
    assert done.stderr.startswith("kmswatch: ")


def test_local_copies_of_the_layout_honour_the_same_flags(tmp_path: Path, archive: Archive) -> None:
    archive.write(tmp_path / "copy")
    done = run_kmswatch(
        tmp_path, "pattern", "test", PATTERN, str(tmp_path / "copy"), "-r", "--format", "json",
        "--accounts", ACCOUNTS[0], "--since", "2024-01-01",
    )
    assert done.returncode == 0, done.stderr
    *matches, summary = [json.loads(line) for line in done.stdout.splitlines()]
    assert summary["files"] == 2
    assert summary["errors"] == []
    assert {m["event"]["recipientAccountId"] for m in matches} == {ACCOUNTS[0]}
    assert {m["event"]["eventTime"][:10] for m in matches} == {"2024-06-01"}


@pytest.mark.parametrize("flag", [("--timeout", "5"), ("--max-concurrency", "4")])
def test_account_flags_an_archive_does_not_use_are_refused(tmp_path: Path, flag: Tuple[str, str]) -> None:
    done = run_kmswatch(tmp_path, "pattern", "test", PATTERN, "s3://some-bucket/", *flag, "--format", "json")
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["code"] == "usage"
    assert flag[0] in done.stderr
