"""FilterPattern on the documented vectors, error offsets and coverage."""

from __future__ import annotations

import json
from typing import Any, Dict, List

import pytest

import kmswatch
from conftest import PATTERN_DATA

VECTORS: List[Dict[str, Any]] = json.loads((PATTERN_DATA / "pattern_vectors.json").read_text())
INVALID: List[Dict[str, Any]] = json.loads((PATTERN_DATA / "invalid_patterns.json").read_text())


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: f"{v['pattern'][:40]}|{v['event'][:30]}")
def test_documented_vectors(vector: Dict[str, Any]) -> None:
    pattern = kmswatch.FilterPattern(vector["pattern"])
    assert pattern.matches(vector["event"]) is vector["matches"], vector["source"]


@pytest.mark.parametrize("case", INVALID, ids=lambda c: str(c["pattern"])[:40])
def test_invalid_patterns_raise_with_offset(case: Dict[str, Any]) -> None:
    with pytest.raises(kmswatch.PatternError) as caught:
        kmswatch.FilterPattern(case["pattern"])
    assert caught.value.offset == case["offset"], case["source"]
    assert case["message_contains"] in caught.value.message
    assert str(caught.value) == f"{caught.value.message} at {caught.value.offset}"


def test_pattern_error_is_a_kmswatch_error_and_a_value_error() -> None:
    with pytest.raises(kmswatch.KmswatchError):
        kmswatch.FilterPattern("{ ($.eventName = DisableKey }")
    with pytest.raises(ValueError) as caught:
        kmswatch.FilterPattern("{ ($.eventName = DisableKey }")
    assert isinstance(caught.value, kmswatch.PatternError)
    assert caught.value.offset == 28
    assert caught.value.message == "expected ')', found '}'"


def test_canonical_form_kind_and_equality() -> None:
    cis = kmswatch.FilterPattern(kmswatch.CIS_PATTERN)
    assert cis.canonical == (
        '{ $.eventSource = "kms.amazonaws.com" && '
        '($.eventName = "DisableKey" || $.eventName = "ScheduleKeyDeletion") }'
    )
    assert str(cis) == cis.canonical
    assert cis.text == kmswatch.CIS_PATTERN
    assert cis.kind == "json"
    assert kmswatch.FilterPattern("ERROR").kind == "terms"
    assert kmswatch.FilterPattern("").kind == "empty"
    same = kmswatch.FilterPattern(cis.canonical)
    assert same == cis and hash(same) == hash(cis)
    assert kmswatch.FilterPattern("{$.eventName=DisableKey}") != cis
    assert repr(kmswatch.FilterPattern("ERROR")) == "FilterPattern('ERROR')"


def test_matches_and_filter() -> None:
    cis = kmswatch.FilterPattern(kmswatch.CIS_PATTERN)
    hit = '{"eventSource":"kms.amazonaws.com","eventName":"DisableKey"}'
    miss = '{"eventSource":"kms.amazonaws.com","eventName":"DisableKeyRotation"}'
    assert cis.matches(hit)
    assert not cis.matches(miss)
    assert cis.filter([miss, hit, "not json", hit]) == [hit, hit]


@pytest.mark.smoke
def test_coverage_of_the_cis_pattern_and_of_a_partial_one() -> None:
    full = kmswatch.FilterPattern(kmswatch.CIS_PATTERN).coverage()
    assert full["complete"] is True
    assert full["missed_target_event_names"] == []
    assert all(e["matched"] for e in full["events"] if e["category"] == "target")
    partial = kmswatch.FilterPattern("{ $.eventName = DisableKey* }").coverage()
    assert partial["complete"] is False
    assert partial["missed_target_event_names"] == ["ScheduleKeyDeletion"]
    assert partial["pattern"] == '{ $.eventName = "DisableKey*" }'
