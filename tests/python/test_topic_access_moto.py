"""Can CloudWatch publish to the alert topic: its KMS key and its access policy,
end to end on moto server (accounts built with boto3), through the AWS SDK for
Rust and through Boto3Backend, and on the bundled snapshots through the CLI and
``check_snapshot``.

moto has no AWS managed ``aws/sns`` key and stores ``KmsMasterKeyId`` as given:
kmswatch recognises the alias by its name, without a KMS call."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional

import pytest

import kmswatch
from conftest import EXAMPLES, boto3_client_factory, boto3_module
from harness import gap_codes, kmswatch_binary, verdict_of
from kmswatch.adapters import Boto3Backend
from scenarios import REGION, build_account, unique_account_id

AwsEnv = Callable[[str, str], None]
Client = Callable[[str], Any]


def key_policy(account_id: str, cloudwatch: bool) -> str:
    statements: List[Dict[str, Any]] = [
        {
            "Sid": "Root",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
            "Action": "kms:*",
            "Resource": "*",
        }
    ]
    if cloudwatch:
        statements.append(
            {
                "Sid": "CloudWatchAlarms",
                "Effect": "Allow",
                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                "Resource": "*",
            }
        )
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


@dataclass
class Account:
    """A compliant account on moto server whose topic a test then changes."""

    endpoint: str
    account_id: str
    client: Client

    @property
    def topic_arn(self) -> str:
        topics = self.client("sns").list_topics()["Topics"]
        (arn,) = [t["TopicArn"] for t in topics]
        return str(arn)

    def set_topic(self, name: str, value: str) -> None:
        self.client("sns").set_topic_attributes(TopicArn=self.topic_arn, AttributeName=name, AttributeValue=value)

    def create_key(self, cloudwatch: bool, alias: Optional[str] = None) -> str:
        kms = self.client("kms")
        metadata = kms.create_key(Policy=key_policy(self.account_id, cloudwatch))["KeyMetadata"]
        if alias:
            kms.create_alias(AliasName=alias, TargetKeyId=metadata["KeyId"])
        return str(metadata["Arn"])


@pytest.fixture
def account(moto_endpoint: str) -> Account:
    account_id = unique_account_id()
    client = boto3_client_factory(moto_endpoint, account_id)
    build_account(client, account_id)
    return Account(moto_endpoint, account_id, client)


def check_both_ways(account: Account, aws_env: AwsEnv) -> kmswatch.Report:
    """The AWS SDK for Rust's report, after asserting that Boto3Backend on the
    same server gives the same one."""
    aws_env(account.endpoint, account.account_id)
    sdk = kmswatch.check()
    session = boto3_module().session.Session(
        aws_access_key_id=account.account_id, aws_secret_access_key="testing", region_name=REGION
    )
    boto3 = kmswatch.check(backend=Boto3Backend(session, endpoint_url=account.endpoint))
    assert verdict_of(sdk.to_dict()) == verdict_of(boto3.to_dict())
    return sdk


def test_the_default_policy_on_an_unencrypted_topic_passes_within_eleven_requests(
    account: Account, aws_env: AwsEnv
) -> None:
    report = check_both_ways(account, aws_env)
    assert report.status == "PASS", report.to_json()
    assert report.api_calls is not None and report.api_calls <= 11, report.api_calls


def test_the_aws_managed_key_fails_without_a_kms_request(account: Account, aws_env: AwsEnv) -> None:
    before = check_both_ways(account, aws_env).api_calls
    account.set_topic("KmsMasterKeyId", "alias/aws/sns")
    report = check_both_ways(account, aws_env)
    assert report.status == "FAIL"
    assert "TOPIC_ENCRYPTED_WITH_AWS_MANAGED_KEY" in report.gap_codes()
    # No KMS request; one DescribeAlarms for composite alarms and one listing the
    # metric alarms, since the alarm now reaches no one on its own, and
    # EventBridge's ListRules, since the chain fails.
    assert before is not None and report.api_calls == before + 3


def test_a_customer_key_cloudwatch_may_use_passes_with_two_kms_requests(account: Account, aws_env: AwsEnv) -> None:
    before = check_both_ways(account, aws_env).api_calls
    account.create_key(cloudwatch=True, alias="alias/security-alerts")
    # Named by its alias, as a console user would.
    account.set_topic("KmsMasterKeyId", "alias/security-alerts")
    report = check_both_ways(account, aws_env)
    assert report.status == "PASS", report.to_json()
    assert [w["code"] for w in report.warnings] == ["TOPIC_ENCRYPTED_WITH_CMK"]
    assert before is not None and report.api_calls == before + 2, "DescribeKey and GetKeyPolicy"


def test_a_customer_key_whose_policy_leaves_out_cloudwatch_fails(account: Account, aws_env: AwsEnv) -> None:
    account.set_topic("KmsMasterKeyId", account.create_key(cloudwatch=False))
    report = check_both_ways(account, aws_env)
    assert report.status == "FAIL"
    assert "TOPIC_KEY_NOT_USABLE_BY_CLOUDWATCH" in report.gap_codes()


@pytest.mark.parametrize("state", ["Disabled", "PendingDeletion"])
def test_a_disabled_or_deleted_key_fails(account: Account, aws_env: AwsEnv, state: str) -> None:
    key = account.create_key(cloudwatch=True)
    key_id = key.rsplit("/", 1)[1]  # moto's DisableKey takes no ARN
    if state == "Disabled":
        account.client("kms").disable_key(KeyId=key_id)
    else:
        account.client("kms").schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    account.set_topic("KmsMasterKeyId", key)
    report = check_both_ways(account, aws_env)
    assert report.status == "FAIL"
    assert "TOPIC_KEY_NOT_ENABLED" in report.gap_codes()
    assert state in report.to_json()


def test_a_topic_policy_denying_publish_fails(account: Account, aws_env: AwsEnv) -> None:
    policy = json.loads(account.client("sns").get_topic_attributes(TopicArn=account.topic_arn)["Attributes"]["Policy"])
    policy["Statement"].append(
        {"Sid": "NoPublish", "Effect": "Deny", "Principal": "*", "Action": "SNS:Publish", "Resource": account.topic_arn}
    )
    account.set_topic("Policy", json.dumps(policy))
    report = check_both_ways(account, aws_env)
    assert report.status == "FAIL"
    assert "TOPIC_POLICY_DENIES_CLOUDWATCH" in report.gap_codes()
    assert "NoPublish" in report.to_json()


NEW_EXAMPLES = {
    "broken-topic-aws-managed-key.json": "TOPIC_ENCRYPTED_WITH_AWS_MANAGED_KEY",
    "broken-topic-key-disabled.json": "TOPIC_KEY_NOT_ENABLED",
    "broken-topic-key-policy-lacks-cloudwatch.json": "TOPIC_KEY_NOT_USABLE_BY_CLOUDWATCH",
    "broken-topic-policy-denies-publish.json": "TOPIC_POLICY_DENIES_CLOUDWATCH",
}


@pytest.mark.parametrize("name,code", NEW_EXAMPLES.items(), ids=list(NEW_EXAMPLES))
def test_the_cli_and_check_snapshot_see_the_gaps_of_a_snapshot(name: str, code: str) -> None:
    offline = kmswatch.check_snapshot(EXAMPLES / name)
    assert offline.status == "FAIL"
    assert code in offline.gap_codes()
    binary = kmswatch_binary()
    if binary is None:
        pytest.skip("no kmswatch binary: run `cargo build -p kmswatch-cli` or set KMSWATCH_BIN")
    done = subprocess.run(
        [str(binary), "check", "--snapshot", str(EXAMPLES / name), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    assert code in gap_codes(document)
    # The same report but for when it was made (each has its own generated_at).
    assert verdict_of(document) == verdict_of(offline.to_dict())


def test_remediate_encrypts_its_new_topic_with_a_kms_key_cloudwatch_may_use(
    account: Account, aws_env: AwsEnv
) -> None:
    account.set_topic("KmsMasterKeyId", "alias/aws/sns")
    key = account.create_key(cloudwatch=True)
    aws_env(account.endpoint, account.account_id)
    done = kmswatch.remediate(
        apply=True,
        subscribe=f"sqs:arn:aws:sqs:{REGION}:{account.account_id}:secops",
        kms_key=key,
    )
    assert done.status_after == "PASS", done.summary_after
    created = [a for a in done.actions if a["action"] == "create_topic"]
    assert [a.get("kms_master_key_id") for a in created] == [key]
    attributes = account.client("sns").get_topic_attributes(TopicArn=created[0]["topic_arn"])["Attributes"]
    assert attributes["KmsMasterKeyId"] == key
    # The topic CloudWatch cannot publish to is left alone (and still reported).
    after = kmswatch.check()
    assert after.status == "PASS"
    assert "TOPIC_ENCRYPTED_WITH_AWS_MANAGED_KEY" in after.gap_codes()


def test_a_kms_key_cloudwatch_cannot_use_is_refused_by_the_api_and_the_cli(tmp_path: Any) -> None:
    snapshot = EXAMPLES / "broken-topic-aws-managed-key.json"
    with pytest.raises(kmswatch.RemediationError) as refused:
        kmswatch.plan(snapshot, email="secops@example.com", kms_key="alias/aws/sns")
    assert refused.value.code == "invalid_option"
    assert "TOPIC_ENCRYPTED_WITH_AWS_MANAGED_KEY" in refused.value.message
    binary = kmswatch_binary()
    if binary is None:
        pytest.skip("no kmswatch binary: run `cargo build -p kmswatch-cli` or set KMSWATCH_BIN")
    done = subprocess.run(
        [str(binary), "remediate", "--snapshot", str(snapshot), "--email", "secops@example.com", "--kms-key", "alias/aws/sns"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "TOPIC_ENCRYPTED_WITH_AWS_MANAGED_KEY" in done.stderr
