"""Every CIS CloudWatch monitoring control through the Python API: the
controls as data, a pattern judged on a control's corpus, snapshots checked
for several controls, and a moto account with all fifteen chains, then with
three of them broken, then fixed by ``kmswatch remediate --control``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest

import kmswatch
from conftest import boto3_client_factory
from harness import assert_matches_schema, run_kmswatch
from scenarios import GROUP, REGION, build_account, unique_account_id

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def by_id() -> Dict[str, Dict[str, Any]]:
    return {c["control"]: c for c in kmswatch.controls()}


def test_the_fifteen_controls_with_their_ids() -> None:
    controls = by_id()
    assert list(controls) == [f"4.{n}" for n in range(1, 16)]
    assert controls["4.3"]["security_hub"] == "CloudWatch.1"
    assert controls["4.3"]["cis_versions"]["v1.2.0"] == "3.3"
    assert controls["4.15"]["security_hub"] is None
    assert "ConsoleLogin" in controls["4.6"]["target_event_names"]


def test_a_pattern_is_judged_on_a_controls_corpus() -> None:
    controls = by_id()
    for control in controls.values():
        cis = kmswatch.FilterPattern(control["cis_pattern"])
        assert cis.coverage(control["control"])["complete"], control["control"]
    typo = kmswatch.FilterPattern(
        '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failedauthentication") }'
    )
    assert not typo.coverage("CloudWatch.6")["complete"]
    # Without a control: the KMS corpus, as before.
    assert typo.coverage()["missed_target_event_names"] == ["DisableKey", "ScheduleKeyDeletion"]
    with pytest.raises(kmswatch.KmswatchError, match="unknown control"):
        typo.coverage("4.99")


def test_a_snapshot_checked_for_several_controls() -> None:
    only_kms = kmswatch.check_snapshot(EXAMPLES / "compliant.json")
    assert only_kms.controls == []
    default = kmswatch.check_snapshot(EXAMPLES / "compliant.json", control="4.7")
    assert default.to_dict() == only_kms.to_dict() | {"generated_at": default.to_dict()["generated_at"]}
    report = kmswatch.check_snapshot(EXAMPLES / "compliant.json", control=["4.3", "CloudWatch.7"])
    assert [(c["control"], c["status"]) for c in report.controls] == [("4.3", "FAIL"), ("4.7", "PASS")]
    assert report.status == "FAIL"
    assert report.exit_code == 1
    with pytest.raises(kmswatch.KmswatchError, match="unknown control"):
        kmswatch.check_snapshot(EXAMPLES / "compliant.json", control="4.99")


def add_chain(client: Callable[[str], Any], account_id: str, control: str, pattern: str, *, actions: bool = True) -> None:
    """A metric filter with ``pattern`` and an alarm on its metric to the account's topic."""
    metric = f"CIS-{control}"
    logs = client("logs")
    # AWS replaces a filter of the same name; moto adds one beside it.
    if logs.describe_metric_filters(logGroupName=GROUP, filterNamePrefix=metric)["metricFilters"]:
        logs.delete_metric_filter(logGroupName=GROUP, filterName=metric)
    logs.put_metric_filter(
        logGroupName=GROUP,
        filterName=metric,
        filterPattern=pattern,
        metricTransformations=[
            {"metricName": metric, "metricNamespace": "CISBenchmark", "metricValue": "1", "defaultValue": 0.0}
        ],
    )
    alarm: Dict[str, Any] = {
        "AlarmName": metric,
        "Namespace": "CISBenchmark",
        "MetricName": metric,
        "Statistic": "Sum",
        "Period": 300,
        "EvaluationPeriods": 1,
        "DatapointsToAlarm": 1,
        "Threshold": 1.0,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "TreatMissingData": "notBreaching",
    }
    if actions:
        alarm["AlarmActions"] = [f"arn:aws:sns:{REGION}:{account_id}:security-alerts"]
    client("cloudwatch").put_metric_alarm(**alarm)


def test_a_plan_for_several_controls() -> None:
    queue = "sqs:arn:aws:sqs:us-east-1:111122223333:alerts"
    plan = kmswatch.plan(EXAMPLES / "compliant.json", control="cis", subscribe=queue)
    assert plan.predicted_status == "PASS"
    assert len(plan.controls) == 15
    filters = [a for a in plan.actions if a["action"] == "put_metric_filter"]
    assert len(filters) == 14
    one = kmswatch.plan(EXAMPLES / "compliant.json", control=["4.1", "CloudWatch.1"], subscribe=queue)
    assert one.controls == ["4.1", "4.3"]
    names = sorted(a["filter"]["filter_name"] for a in one.actions if a["action"] == "put_metric_filter")
    assert names == ["kmswatch-root-user-usage", "kmswatch-unauthorized-api-calls"]
    # The KMS control alone: the plan of every earlier release.
    assert kmswatch.plan(EXAMPLES / "compliant.json").controls == []
    with pytest.raises(kmswatch.KmswatchError, match="4.99"):
        kmswatch.plan(EXAMPLES / "compliant.json", control="4.99", subscribe=queue)


def statuses(report: kmswatch.Report) -> Dict[str, str]:
    return {c["control"]: c["status"] for c in report.controls}


def test_all_fifteen_chains_on_moto_then_three_broken(
    moto_endpoint: str, aws_env: Callable[[str, str], None], tmp_path: Path
) -> None:
    controls = by_id()
    account_id = unique_account_id()
    client = boto3_client_factory(moto_endpoint, account_id)
    build_account(client, account_id)
    for control in controls.values():
        if control["control"] != "4.7":
            add_chain(client, account_id, control["control"], control["cis_pattern"])
    aws_env(moto_endpoint, account_id)

    one = kmswatch.check()
    everything = kmswatch.check(control="cis")
    assert set(statuses(everything).values()) == {"PASS"}, everything.controls
    assert everything.status == "PASS"
    assert one.controls == []
    # The same trails, filters, topics and subscriptions are read once.
    assert one.api_calls is not None and everything.api_calls is not None
    assert everything.api_calls <= one.api_calls + 16, (one.api_calls, everything.api_calls)

    # The typo of published templates, a silent alarm, and an Organizations
    # filter whose eventSource binds its first event name only.
    add_chain(client, account_id, "4.6", '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failedauthentication") }')
    add_chain(client, account_id, "4.10", controls["4.10"]["cis_pattern"], actions=False)
    names: List[str] = controls["4.15"]["target_event_names"]
    rest = " || ".join(f'($.eventName = "{n}")' for n in names[1:])
    add_chain(
        client,
        account_id,
        "4.15",
        f'{{ ($.eventSource = organizations.amazonaws.com) && ($.eventName = "{names[0]}") || {rest} }}',
    )
    broken = kmswatch.check(control="cis")
    assert broken.status == "FAIL"
    assert broken.exit_code == 1
    expected = {c: ("FAIL" if c in ("4.6", "4.10", "4.15") else "PASS") for c in controls}
    assert statuses(broken) == expected
    codes = {c["control"]: [g["code"] for g in c["gaps"]] for c in broken.controls}
    assert codes["4.6"] == ["CONTROL_PATTERN_MISSES"]
    assert "ALARM_NO_ACTIONS" in codes["4.10"]
    assert "ALARM_ALWAYS_IN_ALARM" in codes["4.15"]
    asff = broken.to_asff()
    failed = sorted(f["Compliance"]["SecurityControlId"] for f in asff if f["Compliance"]["Status"] == "FAILED")
    assert failed == ["CIS.4.15", "CloudWatch.10", "CloudWatch.6"]

    # A snapshot taken for every control decides them offline the same way.
    facts = kmswatch.snapshot(control="cis")
    offline = kmswatch.check_snapshot(facts, control="cis")
    assert statuses(offline) == expected

    # remediate --control fixes the three, with a filter and an alarm each
    # beside the broken ones, then has nothing left to do.
    def remediate(*args: str) -> Dict[str, Any]:
        done = run_kmswatch(
            tmp_path, "remediate", "--control", "cis", "--endpoint-url", moto_endpoint, "--region", REGION,
            "--subscribe", f"sqs:arn:aws:sqs:{REGION}:{account_id}:secops", "--format", "json", *args,
            account=account_id,
        )
        assert "panicked" not in done.stderr
        document: Dict[str, Any] = json.loads(done.stdout)
        assert_matches_schema(document)
        assert done.returncode == 0, document
        return document

    plan = remediate()
    filters = sorted(a["filter"]["filter_name"] for a in plan["actions"] if a["action"] == "put_metric_filter")
    assert filters == [
        "kmswatch-aws-organizations-changes",
        "kmswatch-console-authentication-failures",
        "kmswatch-security-group-changes",
    ], plan["actions"]
    assert plan["status_before"] == "FAIL" and plan["predicted_status"] == "PASS"
    applied = remediate("--apply")
    assert (applied["applied"], applied["status_after"]) == (True, "PASS"), applied
    fixed = kmswatch.check(control="cis")
    assert set(statuses(fixed).values()) == {"PASS"}, fixed.controls
    assert remediate()["actions"] == []

