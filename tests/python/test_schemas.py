"""Every document kmswatch reads or writes matches the JSON Schema generated
from its Rust type (``schemas/``, shipped in the package as
``kmswatch.json_schema()``): the bundled snapshots, the golden documents, and
what the CLI and the Python functions print."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

import kmswatch
from harness import REPO, assert_matches_schema, run_kmswatch

EXAMPLES = sorted((REPO / "examples").glob("*.json"))
GOLDEN = sorted((REPO / "kmswatch-core" / "tests" / "golden").glob("*.json"))


def test_the_package_ships_the_repository_schemas() -> None:
    shipped = kmswatch.json_schemas()
    on_disk = sorted(p.name for p in (REPO / "schemas").glob("*.json"))
    assert [s.replace("/", ".") + ".json" for s in shipped] == on_disk
    for document_id in shipped:
        file = REPO / "schemas" / (document_id.replace("/", ".") + ".json")
        assert kmswatch.json_schema(document_id) == json.loads(file.read_text(encoding="utf-8"))
    assert kmswatch.json_schema("facts") == kmswatch.json_schema("kmswatch.facts/v1")
    with pytest.raises(ValueError, match="kmswatch.report/v1"):
        kmswatch.json_schema("kmswatch.nothing/v1")


def test_a_schema_rejects_what_its_document_cannot_be() -> None:
    # The schemas are not vacuous: a wrong type or a missing required field fails.
    facts = json.loads((REPO / "examples" / "compliant.json").read_text(encoding="utf-8"))
    assert_matches_schema(facts)
    for broken in ({**facts, "trails": "none"}, {k: v for k, v in facts.items() if k != "account_id"}):
        with pytest.raises(AssertionError):
            assert_matches_schema(broken)
    with pytest.raises(AssertionError):
        assert_matches_schema({**facts, "schema": "kmswatch.facts/v9"})


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_bundled_examples_are_facts_documents(example: Path) -> None:
    document = json.loads(example.read_text(encoding="utf-8"))
    assert document["schema"] == "kmswatch.facts/v1"
    assert_matches_schema(document)


@pytest.mark.parametrize("golden", GOLDEN, ids=lambda p: p.name)
def test_golden_documents_match_their_schema(golden: Path) -> None:
    text = golden.read_text(encoding="utf-8")
    if text.startswith("error: "):
        pytest.skip("a refusal, not a document")
    assert_matches_schema(json.loads(text))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_cli_documents_of_the_bundled_examples(example: Path, tmp_path: Path) -> None:
    runs: List[List[str]] = [
        ["check", "--snapshot", str(example)],
        ["check", "--snapshot", str(example), "--accept", "eventbridge"],
        ["remediate", "--snapshot", str(example)],
        ["remediate", "--snapshot", str(example), "--email", "secops@example.com"],
        ["remediate", "--snapshot", str(example), "--email", "secops@example.com", "--via", "eventbridge"],
    ]
    schemas = set()
    for args in runs:
        done = run_kmswatch(tmp_path, *args, "--format", "json")
        document: Dict[str, Any] = json.loads(done.stdout)
        assert_matches_schema(document)
        schemas.add(document["schema"])
    assert "kmswatch.report/v1" in schemas


def test_cli_error_documents(tmp_path: Path) -> None:
    for args in (
        ["check", "--snapshot", str(tmp_path / "missing.json")],
        ["check", "--no-such-flag"],
        ["history", "--days", "91"],
    ):
        done = run_kmswatch(tmp_path, *args, "--format", "json")
        document = json.loads(done.stdout)
        assert document["schema"] == "kmswatch.error/v1"
        assert_matches_schema(document)


def test_recommendation_document() -> None:
    record = {
        "eventSource": "kms.amazonaws.com",
        "eventName": "DisableKey",
        "awsRegion": "eu-west-1",
        "recipientAccountId": "111122223333",
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/eve"},
        "requestParameters": {"keyId": "1234abcd-12ab-34cd-56ef-1234567890ab"},
        "eventID": "e2",
        "eventTime": "2026-03-04T18:20:31Z",
    }
    event = {"source": "aws.kms", "detail-type": "AWS API Call via CloudTrail", "detail": record}
    recommendation = kmswatch.handle_event(event)
    assert recommendation["actions"], recommendation
    assert_matches_schema(recommendation)
    assert_matches_schema(kmswatch.handle_event({"source": "aws.ec2", "detail": {}}))


CIS = (
    "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || "
    "($.eventName = ScheduleKeyDeletion)) }"
)
EVENTS = REPO / "examples" / "cloudtrail" / "events.jsonl"


def test_pattern_explain_documents(tmp_path: Path) -> None:
    # One pattern of each kind, caught or missed, nested literals or none.
    patterns = [CIS, "{ $.eventName = DisableKey }", "DisableKey", "%Disable%", "", "[version, account, name=DisableKey]"]
    kinds = set()
    for pattern in patterns:
        done = run_kmswatch(tmp_path, "pattern", "explain", pattern, "--format", "json")
        assert done.returncode in (0, 1), done.stderr
        document: Dict[str, Any] = json.loads(done.stdout)
        assert document["schema"] == "kmswatch.pattern/v1"
        assert_matches_schema(document)
        kinds.add(document["kind"])
    assert kinds == {"json", "terms", "regex", "empty", "space_delimited"}
    with pytest.raises(AssertionError):
        assert_matches_schema({**document, "required_literals": {"kind": "literal"}})


def test_pattern_test_summaries(tmp_path: Path) -> None:
    done = run_kmswatch(tmp_path, "pattern", "test", CIS, str(EVENTS), "--format", "json")
    assert done.returncode == 0, done.stderr
    summary: Dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    assert summary["schema"] == "kmswatch.pattern-test/v1"
    assert summary["matched"] > 0 and summary["errors"] == []
    assert_matches_schema(summary)
    # An input that cannot be read is in the summary's errors.
    missing = tmp_path / "missing.jsonl"
    done = run_kmswatch(tmp_path, "pattern", "test", CIS, str(EVENTS), str(missing), "--format", "json")
    summary = json.loads(done.stdout.splitlines()[-1])
    assert [e.get("file") for e in summary["errors"]] == [str(missing)]
    assert_matches_schema(summary)
    with pytest.raises(AssertionError):
        assert_matches_schema({**summary, "matched": -1})
    # The Python function's summary is the same document.
    matches = kmswatch.pattern_test(CIS, [str(EVENTS)])
    assert len(list(matches)) > 0
    assert matches.summary is not None
    assert_matches_schema(matches.summary)
