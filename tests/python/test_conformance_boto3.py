"""The backend conformance suite (``kmswatch_core::conformance``) on the Python
backend protocol: ``Boto3Backend`` against moto server must show every behaviour
the AWS SDK and in-memory backends show."""

from __future__ import annotations

import importlib
from typing import Any, Callable, Dict, List, Optional

import pytest

from conftest import boto3_client_factory, boto3_module
from kmswatch.adapters import Boto3Backend
from scenarios import unique_account_id

native: Any = importlib.import_module("kmswatch._kmswatch")
REGION = "us-east-1"
OTHER_REGION = "eu-west-1"
# How moto knowingly differs from AWS (the same list as tests/conformance_aws.rs).
MOTO_DEVIATIONS = [
    "email_confirmed_immediately",
    "no_default_event_selectors",
    "has_custom_event_selectors_always_false",
    "put_metric_filter_appends",
]

_FIELD_KEYS = {
    "field": "Field",
    "equals": "Equals",
    "not_equals": "NotEquals",
    "starts_with": "StartsWith",
    "not_starts_with": "NotStartsWith",
    "ends_with": "EndsWith",
    "not_ends_with": "NotEndsWith",
}


class MotoSetup:
    """Creates the log groups, trails and KMS keys the service traits cannot."""

    def __init__(self, endpoint: str, account_id: str) -> None:
        self.endpoint = endpoint
        self.account_id = account_id
        session = boto3_module().session.Session(
            aws_access_key_id=account_id, aws_secret_access_key="testing"
        )
        self._client: Callable[[str, str], Any] = lambda service, region: session.client(
            service, region_name=region, endpoint_url=endpoint
        )

    def create_log_group(self, region: str, name: str) -> str:
        self._client("logs", region).create_log_group(logGroupName=name)
        return f"arn:aws:logs:{region}:{self.account_id}:log-group:{name}"

    def create_trail(self, spec: Dict[str, Any]) -> str:
        region = spec["home_region"]
        bucket = f"{spec['name'].lower()}-trail-logs"
        s3 = self._client("s3", region)
        if region == "us-east-1":
            s3.create_bucket(Bucket=bucket)
        else:
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
        trails = self._client("cloudtrail", region)
        options: Dict[str, Any] = {"IsMultiRegionTrail": spec["is_multi_region_trail"]}
        for key, name in (
            ("cloud_watch_logs_log_group_arn", "CloudWatchLogsLogGroupArn"),
            ("cloud_watch_logs_role_arn", "CloudWatchLogsRoleArn"),
        ):
            if spec.get(key):
                options[name] = spec[key]
        created = trails.create_trail(Name=spec["name"], S3BucketName=bucket, **options)
        if spec["logging"]:
            trails.start_logging(Name=spec["name"])
        selectors: Optional[Dict[str, Any]] = spec.get("event_selectors")
        if selectors is not None:
            put: Dict[str, Any] = {}
            classic = [
                {
                    "ReadWriteType": s["read_write_type"],
                    "IncludeManagementEvents": s["include_management_events"],
                    **(
                        {"ExcludeManagementEventSources": s["exclude_management_event_sources"]}
                        if s.get("exclude_management_event_sources")
                        else {}
                    ),
                }
                for s in selectors.get("event_selectors", [])
            ]
            advanced: List[Dict[str, Any]] = [
                {
                    **({"Name": s["name"]} if s.get("name") else {}),
                    "FieldSelectors": [
                        {_FIELD_KEYS[k]: v for k, v in f.items() if v} for f in s["field_selectors"]
                    ],
                }
                for s in selectors.get("advanced_event_selectors", [])
            ]
            if classic:
                put["EventSelectors"] = classic
            if advanced:
                put["AdvancedEventSelectors"] = advanced
            trails.put_event_selectors(TrailName=spec["name"], **put)
        return str(created["TrailARN"])

    def create_key(self, spec: Dict[str, Any]) -> str:
        kms = self._client("kms", spec["region"])
        metadata = kms.create_key(Policy=spec["policy"])["KeyMetadata"]
        kms.create_alias(AliasName=f"alias/{spec['alias']}", TargetKeyId=metadata["KeyId"])
        if not spec["enabled"]:
            kms.disable_key(KeyId=metadata["KeyId"])
        return str(metadata["Arn"])

    def create_event_rule(self, spec: Dict[str, Any]) -> str:
        events = self._client("events", spec["region"])
        created = events.put_rule(
            Name=spec["name"],
            EventPattern=spec["event_pattern"],
            State="ENABLED" if spec["enabled"] else "DISABLED",
        )
        events.put_targets(
            Rule=spec["name"], Targets=[{"Id": target_id, "Arn": arn} for target_id, arn in spec["targets"]]
        )
        return str(created["RuleArn"])


def test_the_boto3_backend_passes_the_conformance_suite(moto_endpoint: str) -> None:
    if not hasattr(native, "_run_conformance"):
        pytest.skip("this build of kmswatch has no conformance suite (built without the feature)")
    account_id = unique_account_id()
    # An account exists in moto once a client has used it.
    boto3_client_factory(moto_endpoint, account_id)("sts").get_caller_identity()
    session = boto3_module().session.Session(
        aws_access_key_id=account_id, aws_secret_access_key="testing", region_name=REGION
    )
    backend = Boto3Backend(session, region=REGION, endpoint_url=moto_endpoint)
    setup = MotoSetup(moto_endpoint, account_id)
    native._run_conformance(backend, setup, REGION, OTHER_REGION, MOTO_DEVIATIONS)


def test_a_failing_behaviour_is_named(moto_endpoint: str) -> None:
    if not hasattr(native, "_run_conformance"):
        pytest.skip("this build of kmswatch has no conformance suite (built without the feature)")
    account_id = unique_account_id()
    session = boto3_module().session.Session(
        aws_access_key_id=account_id, aws_secret_access_key="testing", region_name=REGION
    )

    class WrongAccount(Boto3Backend):
        def account_id(self) -> str:
            return "not-an-account"

    backend = WrongAccount(session, region=REGION, endpoint_url=moto_endpoint)
    with pytest.raises(AssertionError, match="account_id_is_an_account"):
        native._run_conformance(backend, MotoSetup(moto_endpoint, account_id), REGION, OTHER_REGION, MOTO_DEVIATIONS)
