"""``kmswatch scan`` in the formats compliance pipelines read (OCSF, ASFF,
SARIF, JUnit), ``--output`` and ``--send-to-security-hub``, end to end on
moto: every document validated as ``check``'s are, one finding or testcase
per account, and each account's finding imported into its own Security Hub."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

import org_scenarios
from conftest import boto3_client_factory
from test_formats import CONTROLS, asff_shape_errors, finding_shape, junit_schema, ocsf_validator, sarif_validator
# The organization, the proxy refusing roles and the binary: the fixtures of
# test_scan_moto, made again for this module.
from test_scan_moto import binary, endpoint, organization, run_scan, verdicts  # noqa: F401


@pytest.fixture(scope="module")
def reference(
    binary: Path, endpoint: str, organization: org_scenarios.Organization, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """The scan as ``kmswatch.scan/v1``: what every other format must agree with."""
    done = run_scan(binary, endpoint, organization, tmp_path_factory.mktemp("json"), "--organization", "--format", "json")
    assert done.returncode == 3, done.stderr
    document: dict[str, Any] = json.loads(done.stdout)
    assert verdicts(document["accounts"]) == organization.expected()
    return document


def scan_in(
    fmt: str, binary: Path, endpoint: str, organization: org_scenarios.Organization, home: Path, *more: str
) -> Any:
    done = run_scan(binary, endpoint, organization, home, "--organization", "--format", fmt, *more)
    # The exit code does not depend on the format: one account is ERROR.
    assert done.returncode == 3, (fmt, done.stderr)
    return done


def test_ocsf_has_valid_findings_for_every_account(
    binary: Path, endpoint: str, organization: org_scenarios.Organization, reference: dict[str, Any], tmp_path: Path
) -> None:
    findings = json.loads(scan_in("ocsf", binary, endpoint, organization, tmp_path).stdout)
    validator = ocsf_validator()
    for finding in findings:
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(finding)]
        assert not errors, errors
        assert finding["class_uid"] == 2003
    by_account: dict[str, set[str]] = {}
    for finding in findings:
        by_account.setdefault(finding["cloud"]["account"]["uid"], set()).add(finding["status_code"])
    assert {a: s.pop() for a, s in by_account.items()} == organization.expected()
    # Every control (five CIS versions' 4.7 / 5.7, CloudWatch.7) for each account.
    assert len(findings) == CONTROLS * len(organization.expected())
    assert len({f["finding_info"]["uid"] for f in findings}) == len(findings)


def test_scan_writes_the_ocsf_version_asked_for(
    binary: Path, endpoint: str, organization: org_scenarios.Organization, tmp_path: Path
) -> None:
    findings = json.loads(scan_in("ocsf", binary, endpoint, organization, tmp_path, "--ocsf-version", "1.8.0").stdout)
    validator = ocsf_validator("1.8.0")
    assert findings and {f["metadata"]["version"] for f in findings} == {"1.8.0"}
    for finding in findings:
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(finding)]
        assert not errors, errors


def test_asff_has_one_finding_per_account_in_botocores_shape(
    binary: Path, endpoint: str, organization: org_scenarios.Organization, tmp_path: Path
) -> None:
    findings = json.loads(scan_in("asff", binary, endpoint, organization, tmp_path).stdout)
    shape = finding_shape()
    for finding in findings:
        errors = asff_shape_errors(finding, shape)
        assert not errors, errors
    status = {"PASS": "PASSED", "FAIL": "FAILED", "ERROR": "NOT_AVAILABLE"}
    assert {f["AwsAccountId"]: f["Compliance"]["Status"] for f in findings} == {
        a: status[s] for a, s in organization.expected().items()
    }


def test_sarif_and_junit_validate_and_count_the_accounts(
    binary: Path, endpoint: str, organization: org_scenarios.Organization, reference: dict[str, Any], tmp_path: Path
) -> None:
    sarif = json.loads(scan_in("sarif", binary, endpoint, organization, tmp_path).stdout)
    errors = [f"{list(e.path)}: {e.message}" for e in sarif_validator().iter_errors(sarif)]
    assert not errors, errors
    results = sarif["runs"][0]["results"]
    failing_chains = sum(
        1 for r in reference["accounts"] for c in r["chains"] if c["status"] != "PASS"
    )
    assert len(results) >= failing_chains > 0
    rule_ids = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in results} <= rule_ids

    schema = junit_schema()
    junit = scan_in("junit", binary, endpoint, organization, tmp_path).stdout
    schema.validate(junit)
    cases = [c for suite in schema.to_dict(junit)["testsuite"] for c in suite["testcase"]]
    assert len(cases) == len(organization.expected())
    kinds = {"failure": 0, "error": 0}
    for case in cases:
        for kind in kinds:
            kinds[kind] += kind in case
    assert kinds == {"failure": len(organization.failing), "error": len(organization.refused)}


@pytest.mark.parametrize("fmt", ["ocsf", "ndjson", "json"])
def test_output_writes_the_document_owner_only(
    fmt: str, binary: Path, endpoint: str, organization: org_scenarios.Organization, tmp_path: Path
) -> None:
    target = tmp_path / f"scan.{fmt}"
    done = scan_in(fmt, binary, endpoint, organization, tmp_path, "--output", str(target))
    assert done.stdout == ""
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    text = target.read_text()
    if fmt == "ndjson":
        reports = [json.loads(line) for line in text.splitlines()]
        assert verdicts(reports) == organization.expected()
    elif fmt == "json":
        assert json.loads(text)["schema"] == "kmswatch.scan/v1"
    else:
        assert len(json.loads(text)) == CONTROLS * len(organization.expected())


def test_output_with_a_table_is_a_usage_error(
    binary: Path, endpoint: str, organization: org_scenarios.Organization, tmp_path: Path
) -> None:
    done = run_scan(binary, endpoint, organization, tmp_path, "--organization", "--output", str(tmp_path / "t"))
    assert done.returncode == 2
    assert "--output writes a document" in done.stderr
    assert not (tmp_path / "t").exists()


def test_each_account_sends_its_finding_to_its_own_security_hub(
    moto_endpoint: str, binary: Path, endpoint: str, organization: org_scenarios.Organization, tmp_path: Path
) -> None:
    done = scan_in("json", binary, endpoint, organization, tmp_path, "--send-to-security-hub")
    document = json.loads(done.stdout)
    entered = [a for a, s in organization.expected().items() if s != "ERROR"]
    assert document["security_hub"] == {"imported": len(entered), "failed": []}
    assert f"Security Hub imported {len(entered)} findings" in done.stderr
    for account in entered:
        client = boto3_client_factory(moto_endpoint, account)("securityhub")
        stored = client.get_findings()["Findings"]
        assert [f["AwsAccountId"] for f in stored] == [account]
        assert stored[0]["ProductArn"] == f"arn:aws:securityhub:us-east-1:{account}:product/{account}/default"
        expected = {"PASS": "PASSED", "FAIL": "FAILED"}[organization.expected()[account]]
        assert stored[0]["Compliance"]["Status"] == expected
    for account in organization.refused:
        client = boto3_client_factory(moto_endpoint, account)("securityhub")
        assert client.get_findings()["Findings"] == []
