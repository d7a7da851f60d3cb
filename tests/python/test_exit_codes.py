"""One test per row of each command's exit-code table (docs/commands.md, and the end
of each `--help`): the documented code comes out in each documented case."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness import REPO, run_kmswatch
from stub_aws import ACCOUNT, identity, stub_server, url

EXAMPLES = REPO / "examples"
QUEUE = "sqs:arn:aws:sqs:us-east-1:111122223333:secops"


@pytest.fixture(scope="module")
def silent_after_identity() -> Iterator[str]:
    with stub_server(lambda action, _: identity(action)) as server:
        yield url(server)


def code_of(tmp_path: Path, *args: str) -> int:
    done = run_kmswatch(tmp_path, *args, account=ACCOUNT)
    assert "panicked" not in done.stderr
    return done.returncode


def example(name: str) -> str:
    return str(EXAMPLES / f"{name}.json")


ROWS = [
    ("check 0 PASS", 0, ["check", "--snapshot", example("compliant")]),
    ("check 1 FAIL", 1, ["check", "--snapshot", example("broken-threshold-zero")]),
    ("check 2 usage", 2, ["check", "--snapshot", "{tmp}/absent.json"]),
    ("check 3 ERROR", 3, ["check", "--snapshot", example("error-access-denied")]),
    ("check 3 MANUAL", 3, ["check", "--snapshot", example("manual-organization-trail")]),
    ("check 3 no identity", 3, ["check", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9"]),
    ("snapshot 2 unwritable", 2, ["snapshot", "--out", "{tmp}/no/such/dir/s.json", "--endpoint-url", "{silent}", "--timeout", "1"]),
    ("snapshot 3 failed calls", 3, ["snapshot", "--out", "{tmp}/s.json", "--endpoint-url", "{silent}", "--timeout", "1"]),
    ("remediate 0 reaches PASS", 0, ["remediate", "--snapshot", example("broken-alarm-no-actions"), "--subscribe", QUEUE]),
    ("remediate 0 already PASS", 0, ["remediate", "--snapshot", example("compliant")]),
    ("remediate 1 prerequisite", 1, ["remediate", "--snapshot", example("broken-trail-not-logging"), "--subscribe", QUEUE]),
    ("remediate 1 awaiting confirmation", 1, ["remediate", "--snapshot", example("broken-alarm-no-actions"), "--email", "secops@example.com"]),
    ("remediate 1 name conflict", 1, ["remediate", "--snapshot", example("broken-pattern-misses-schedule"), "--subscribe", QUEUE, "--filter-name", "RootAccountUsage"]),
    ("remediate 1 filter limit", 1, ["remediate", "--snapshot", "{tmp}/full.json", "--subscribe", QUEUE]),
    ("remediate 2 no subscriber", 2, ["remediate", "--snapshot", example("broken-alarm-no-actions")]),
    ("remediate 2 bad flag", 2, ["remediate", "--snapshot", example("compliant"), "--subscribe", "pigeon:x"]),
    ("remediate 3 facts unknown", 3, ["remediate", "--snapshot", example("error-access-denied"), "--subscribe", QUEUE]),
    ("remediate 3 AWS call failed", 3, ["remediate", "--endpoint-url", "{silent}", "--timeout", "1", "--subscribe", QUEUE]),
    ("pattern test 0", 0, ["pattern", "test", "DisableKey", "{tmp}/events.log"]),
    ("pattern test 1", 1, ["pattern", "test", "EnableKey", "{tmp}/events.log"]),
    ("pattern test 2 pattern", 2, ["pattern", "test", "{ $.x = ", "{tmp}/events.log"]),
    ("pattern test 2 input", 2, ["pattern", "test", "x", "{tmp}/absent.log"]),
    ("pattern explain 0", 0, ["pattern", "explain", "{ ($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion) }"]),
    ("pattern explain 1", 1, ["pattern", "explain", "{ $.eventName = DisableKey }"]),
    ("pattern explain 2", 2, ["pattern", "explain", "{ ("]),
    ("pattern sql 0", 0, ["pattern", "sql", "{ $.eventName = DisableKey }", "--dialect", "athena"]),
    ("pattern sql 2 pattern", 2, ["pattern", "sql", "{ (", "--dialect", "duckdb"]),
    ("pattern sql 2 day", 2, ["pattern", "sql", "{ $.a = 1 }", "--dialect", "duckdb", "--since", "2026-02-30"]),
    ("pattern sql 2 source", 2, ["pattern", "sql", "{ $.a = 1 }", "--dialect", "trino", "--source", "x.json"]),
    ("pattern sql 4 refused", 4, ["pattern", "sql", "{ $.eventName != DisableKey }", "--dialect", "athena"]),
    ("iam-policy 0", 0, ["iam-policy", "check"]),
    ("iam-policy 2", 2, ["iam-policy", "everything"]),
    ("completions 0", 0, ["completions", "bash"]),
    ("completions 2", 2, ["completions", "tcsh"]),
    ("man 0", 0, ["man", "check"]),
    ("man 2", 2, ["man", "nope"]),
]


def filter_limit_snapshot(path: Path) -> None:
    """A log group with the 100 metric filters AWS allows, none catching the events."""
    facts = json.loads((EXAMPLES / "broken-pattern-misses-schedule.json").read_text())
    filters = facts["log_groups"][0]["metric_filters"]
    group = filters[0]["log_group_name"]
    filters.extend(
        {
            "filter_name": f"other-{i}",
            "log_group_name": group,
            "filter_pattern": "{ $.eventName = Nothing }",
            "metric_transformations": [{"metric_name": f"m{i}", "metric_namespace": "x", "metric_value": "1"}],
        }
        for i in range(100 - len(filters))
    )
    path.write_text(json.dumps(facts))


@pytest.mark.parametrize("expected, args", [(c, a) for _, c, a in ROWS], ids=[r[0] for r in ROWS])
def test_each_documented_exit_code(tmp_path: Path, silent_after_identity: str, expected: int, args: list[str]) -> None:
    (tmp_path / "events.log").write_text('{"eventName":"DisableKey"}\n')
    filter_limit_snapshot(tmp_path / "full.json")
    argv = [a.replace("{tmp}", str(tmp_path)).replace("{silent}", silent_after_identity) for a in args]
    assert code_of(tmp_path, *argv) == expected
