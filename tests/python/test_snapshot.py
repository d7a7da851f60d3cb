"""Offline checks of snapshots, as the CLI's `check --snapshot`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kmswatch
from conftest import EXAMPLES
from harness import verdict_of

EXPECTED_STATUS = {
    "compliant.json": "PASS",
    "broken-alarm-no-actions.json": "FAIL",
    "broken-never-matching-pattern.json": "FAIL",
    "broken-pattern-misses-schedule.json": "FAIL",
    "broken-pattern-misses-schedule-eventbridge.json": "FAIL",
    "broken-single-region-trail.json": "FAIL",
    "broken-subscription-pending.json": "FAIL",
    "broken-threshold-zero.json": "FAIL",
    "broken-trail-not-logging.json": "FAIL",
}


@pytest.mark.smoke
@pytest.mark.parametrize("name", sorted(EXPECTED_STATUS))
def test_bundled_examples(name: str) -> None:
    report = kmswatch.check_snapshot(EXAMPLES / name)
    assert report.status == EXPECTED_STATUS[name]
    assert report.schema == kmswatch.REPORT_SCHEMA
    assert report.api_calls is None
    assert report.exit_code == (0 if report.status == "PASS" else 1)


def test_path_str_and_dict_give_the_same_report() -> None:
    path = EXAMPLES / "broken-alarm-no-actions.json"
    by_path = kmswatch.check_snapshot(path)
    by_str = kmswatch.check_snapshot(str(path))
    by_dict = kmswatch.check_snapshot(json.loads(path.read_text()))
    # The same verdict, whichever way the snapshot is given (each report has its
    # own generated_at).
    assert verdict_of(by_path.to_dict()) == verdict_of(by_str.to_dict()) == verdict_of(by_dict.to_dict())
    assert "ALARM_NO_ACTIONS" in by_path.gap_codes()


def test_report_attributes_and_json() -> None:
    report = kmswatch.check_snapshot(EXAMPLES / "compliant.json")
    as_dict = report.to_dict()
    assert json.loads(report.to_json()) == as_dict
    assert report.status == as_dict["status"] == "PASS"
    assert report.passed
    assert report.account_id == as_dict["account_id"]
    assert report.region == as_dict["region"]
    assert report.chains == as_dict["chains"]
    assert report.chains[0]["status"] == "PASS"
    assert report.cis_pattern["exact"] is True
    assert report.gaps == [] and isinstance(report.warnings, list)
    assert report.summary
    # to_dict gives a copy.
    as_dict["status"] = "FAIL"
    assert report.status == "PASS"
    assert "PASS" in repr(report)


def test_to_json_is_the_cli_json() -> None:
    # The CLI prints serde_json's pretty form: two-space indent, no trailing newline.
    report = kmswatch.check_snapshot(EXAMPLES / "compliant.json")
    assert report.to_json().startswith('{\n  "schema": "kmswatch.report/v1",\n  "status": "PASS"')
    assert report.to_json() == json.dumps(report.to_dict(), indent=2, ensure_ascii=False)


def test_unreadable_malformed_and_wrong_schema_snapshots(tmp_path: Path) -> None:
    with pytest.raises(kmswatch.SnapshotError, match="cannot read snapshot"):
        kmswatch.check_snapshot("/nonexistent/snapshot.json")
    bad = tmp_path / "malformed.json"
    bad.write_text('{"schema": "kmswatch.facts/v1", ')
    with pytest.raises(kmswatch.SnapshotError, match="malformed snapshot"):
        kmswatch.check_snapshot(bad)
    with pytest.raises(kmswatch.SnapshotError, match="unsupported snapshot schema"):
        kmswatch.check_snapshot({"schema": "other/v9", "account_id": "1", "region": "us-east-1"})
    with pytest.raises(kmswatch.KmswatchError):
        kmswatch.check_snapshot({"schema": "kmswatch.facts/v1"})
    with pytest.raises(TypeError):
        kmswatch.check_snapshot(42)  # type: ignore[arg-type]


def test_all_gaps_lists_every_gap_and_a_pass_has_none_that_fail() -> None:
    compliant = kmswatch.check_snapshot(EXAMPLES / "compliant.json")
    assert compliant.status == "PASS"
    assert compliant.gap_codes() == [], "a filter that is no link of the chain brings no gap"
    assert not [g for g in compliant.all_gaps() if g["severity"] == "fail"]
    broken = kmswatch.check_snapshot(EXAMPLES / "broken-alarm-no-actions.json")
    assert broken.status == "FAIL" and broken.gaps == []
    codes = [g["code"] for g in broken.all_gaps()]
    assert "ALARM_NO_ACTIONS" in codes and sorted(codes) == sorted(broken.gap_codes())
    # The compliant example's root-account filter matches a root user's
    # DisableKey, which the chain's own filter catches: it is no link.
    assert compliant.chains[0].get("other_filters") == ["RootAccountUsage"]
    assert all(f["filter_name"] != "RootAccountUsage" for f in compliant.chains[0]["metric_filters"])
