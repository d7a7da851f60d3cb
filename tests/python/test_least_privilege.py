"""Least privilege, proven on a moto server that enforces IAM.

An IAM user holding exactly policies/kmswatch-check.json gets the administrator's
report from ``kmswatch check`` for the compliant account and every broken link. With
any one action taken out of the policy, each verdict either becomes ERROR or MANUAL
(exit 3) or stays the administrator's verdict with every one of its gaps (a trail
that is not logging fails whatever its selectors say) - never a different PASS or
FAIL - and at least one report changes, so the action is needed. Likewise
policies/kmswatch-remediate.json lets ``kmswatch remediate --apply`` reach PASS, and
without any one of its actions the run ends in exit 3, never in a false success.

The server is started for this module with ``INITIAL_NO_AUTH_ACTION_COUNT`` set to the
number of bootstrap requests (an administrator per account, made unauthenticated);
every later request is checked against the IAM users' keys and policies. Each
scenario lives in a moto account of its own.
"""

from __future__ import annotations

import copy
import functools
import json
import subprocess
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest

from conftest import boto3_module
from harness import REGION, REPO, gap_codes, kmswatch_binary, kmswatch_env, moto_server, untyped, verdict_of
from scenarios import BROKEN_LINKS, GROUP, Breakage, build_account, build_eventbridge_rule, unique_account_id

Policy = dict[str, Any]
T = TypeVar("T")

CHECK_POLICY: Policy = json.loads((REPO / "policies" / "kmswatch-check.json").read_text())
REMEDIATE_POLICY: Policy = json.loads((REPO / "policies" / "kmswatch-remediate.json").read_text())
SECURITY_HUB_POLICY: Policy = json.loads((REPO / "policies" / "kmswatch-security-hub.json").read_text())
RESPOND_POLICY: Policy = json.loads((REPO / "policies" / "kmswatch-respond.json").read_text())
# Reads of the check policy that `kmswatch keys` and `kmswatch history` make, and
# a plain `check` does not (kms:ListKeys also serves `check --accept eventbridge`
# and `remediate --via eventbridge`).
KEY_COMMAND_READS = ("kms:ListKeys", "kms:ListAliases", "cloudtrail:LookupEvents")
ADMIN_POLICY: Policy = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
# AWS authorizes these on top of CreateTopic / PutMetricAlarm when the request tags
# what it creates (kmswatch always tags). moto authorizes only the request's own
# action, so taking them out cannot fail here; the policy must still hold them.
TAG_ON_CREATE = {"sns:TagResource", "cloudwatch:TagResource", "events:TagResource"}
# What only `kmswatch remediate --via eventbridge` needs: the key listing, the
# region's rules and the rule writes. Runs without one of them plan with it.
EVENTBRIDGE_REMEDIATION = {
    "kms:ListKeys",
    "events:ListRules",
    "events:ListTargetsByRule",
    "events:PutRule",
    "events:PutTargets",
}
# Reads with a fallback: without cloudwatch:DescribeAlarmsForMetric a check lists the
# region's alarms instead (same verdict, the warning ALARMS_READ_BY_LISTING, which
# the check tests see), and remediate lists them anyway, so a remediation without
# it is a true success, not a false one.
LISTING_FALLBACK = {"cloudwatch:DescribeAlarmsForMetric"}
BOOTSTRAP_REQUESTS_PER_ACCOUNT = 3  # CreateUser, PutUserPolicy, CreateAccessKey
EMAIL = "secops@example.com"
CONCURRENT_RUNS = 4

# The compliant account, each broken link, a chain that stops at the log group (the
# only case that needs DescribeLogGroups), and a compliant chain whose topic is
# encrypted with a customer managed key CloudWatch may use (a warning only
# GetTopicAttributes shows; the only case that needs kms:DescribeKey and
# kms:GetKeyPolicy).
CHECK_SCENARIOS = (
    ["compliant"]
    + [code for _, code in BROKEN_LINKS]
    + ["NO_METRIC_FILTER", "TOPIC_ENCRYPTED_WITH_CMK", "EVENTBRIDGE_RULE"]
)
# (scenario, action) pairs where the report loses a gap without raising ERROR: the
# verdict does not depend on it, but the report should say the fact is unknown.
KNOWN_SILENT_LOSSES: dict[tuple[str, str], str] = {}


def actions(policy: Policy) -> list[str]:
    """Every action the policy allows, in document order."""
    return [a for s in policy["Statement"] for a in s["Action"]]


def without(policy: Policy, action: str) -> Policy:
    """``policy`` less one action (a statement left with none is dropped)."""
    trimmed = copy.deepcopy(policy)
    for statement in trimmed["Statement"]:
        statement["Action"] = [a for a in statement["Action"] if a != action]
    trimmed["Statement"] = [s for s in trimmed["Statement"] if s["Action"]]
    return trimmed


def for_moto(policy: Policy) -> Policy:
    """``policy`` as moto reads it: moto names CloudWatch's actions after the service's
    signing name, ``monitoring:DescribeAlarms``, where IAM (and so the shipped policy)
    says ``cloudwatch:DescribeAlarms``."""
    translated = copy.deepcopy(policy)
    for statement in translated["Statement"]:
        listed = statement["Action"]
        if isinstance(listed, list):
            statement["Action"] = [
                "monitoring:" + a.split(":", 1)[1] if a.startswith("cloudwatch:") else a for a in listed
            ]
    return translated


# One session for every client: it loads each service model once. Clients are safe
# to use from several threads, sessions are not, so clients are made under a lock.
SESSION = boto3_module().session.Session()
SESSION_LOCK = threading.Lock()


def make_client(endpoint: str, service: str, key: str, secret: str) -> Any:
    """A boto3 client signing with ``key``."""
    config = untyped("botocore.config").Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2})
    with SESSION_LOCK:
        return SESSION.client(
            service,
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id=key,
            aws_secret_access_key=secret,
            config=config,
        )


@dataclass
class Account:
    """A moto account with an administrator; makes IAM users with given policies."""

    endpoint: str
    account_id: str
    admin_key: tuple[str, str] = ("", "")
    _clients: dict[str, Any] = field(default_factory=dict)
    _users: int = 0

    def client(self, service: str) -> Any:
        """A boto3 client of the administrator (made once per service)."""
        if service not in self._clients:
            self._clients[service] = make_client(self.endpoint, service, *self.admin_key)
        return self._clients[service]

    def bootstrap(self) -> None:
        """The administrator, made with unauthenticated requests (``BOOTSTRAP_REQUESTS_PER_ACCOUNT``)."""
        iam = make_client(self.endpoint, "iam", self.account_id, "bootstrap")
        self.admin_key = self._make_user(iam, "administrator", ADMIN_POLICY)

    def user(self, policy: Policy) -> tuple[str, str]:
        """Keys of a new user whose only permissions are ``policy`` (translated for moto)."""
        self._users += 1
        return self._make_user(self.client("iam"), f"kmswatch-{self._users}", for_moto(policy))

    @staticmethod
    def _make_user(iam: Any, name: str, policy: Policy) -> tuple[str, str]:
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName="kmswatch", PolicyDocument=json.dumps(policy))
        key = iam.create_access_key(UserName=name)["AccessKey"]
        return key["AccessKeyId"], key["SecretAccessKey"]


@dataclass
class Run:
    """One kmswatch run: exit code and its JSON document (``None`` if it printed none)."""

    code: int
    document: dict[str, Any] | None
    stderr: str


class Kmswatch:
    """Runs the kmswatch binary against the server with given keys."""

    def __init__(self, binary: Path, endpoint: str, home: Path) -> None:
        self.binary = binary
        self.endpoint = endpoint
        self.home = home

    def __call__(self, keys: tuple[str, str], *args: str) -> Run:
        done = subprocess.run(
            [str(self.binary), *args, "--format", "json", "--endpoint-url", self.endpoint],
            env=kmswatch_env(self.home, *keys),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        document = json.loads(done.stdout) if done.stdout.strip() else None
        return Run(done.returncode, document, done.stderr)


def build_check_scenario(account: Account, scenario: str) -> None:
    """The account of ``scenario`` (one of ``CHECK_SCENARIOS``)."""
    if scenario == "NO_METRIC_FILTER":
        build_bare_chain(account)
        return
    if scenario == "EVENTBRIDGE_RULE":
        # No metric filter: the chain fails, and EventBridge monitors instead.
        build_bare_chain(account)
        build_eventbridge_rule(account.client, account.account_id)
        return
    broken = {code: b for b, code in BROKEN_LINKS}.get(scenario, Breakage())
    build_account(account.client, account.account_id, broken)
    if scenario == "TOPIC_ENCRYPTED_WITH_CMK":
        sns = account.client("sns")
        (topic_arn,) = [t["TopicArn"] for t in sns.list_topics()["Topics"]]
        encrypt_with_cloudwatch_key(account, topic_arn)


def encrypt_with_cloudwatch_key(account: Account, topic_arn: str) -> None:
    """Encrypts the topic with a new customer managed key whose policy lets CloudWatch use it."""
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Root",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account.account_id}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Sid": "CloudWatchAlarms",
                "Effect": "Allow",
                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                "Resource": "*",
            },
        ],
    }
    key = account.client("kms").create_key(Policy=json.dumps(policy))["KeyMetadata"]["Arn"]
    account.client("sns").set_topic_attributes(TopicArn=topic_arn, AttributeName="KmsMasterKeyId", AttributeValue=key)


def build_bare_chain(account: Account, topic_policy: bool = False) -> str | None:
    """A logging multi-region trail delivering to a log group, nothing after it; with
    ``topic_policy``, also a subscriber-less topic whose policy does not let CloudWatch
    publish (returns its ARN)."""
    bucket = f"trail-{account.account_id}"
    account.client("s3").create_bucket(Bucket=bucket)
    account.client("logs").create_log_group(logGroupName=GROUP)
    trails = account.client("cloudtrail")
    trails.create_trail(
        Name="management-events",
        S3BucketName=bucket,
        IsMultiRegionTrail=True,
        CloudWatchLogsLogGroupArn=f"arn:aws:logs:{REGION}:{account.account_id}:log-group:{GROUP}:*",
        CloudWatchLogsRoleArn=f"arn:aws:iam::{account.account_id}:role/CloudTrailToCloudWatch",
    )
    trails.start_logging(Name="management-events")
    if not topic_policy:
        return None
    sns = account.client("sns")
    topic_arn: str = sns.create_topic(Name="security-alerts")["TopicArn"]
    owner_only = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "OwnerSubscribes",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account.account_id}:root"},
                "Action": "SNS:Subscribe",
                "Resource": topic_arn,
            }
        ],
    }
    sns.set_topic_attributes(TopicArn=topic_arn, AttributeName="Policy", AttributeValue=json.dumps(owner_only))
    return topic_arn


@dataclass
class World:
    """The server, its accounts by role, and the kmswatch runner."""

    kmswatch: Kmswatch
    check_accounts: dict[str, Account]
    admin_checks: dict[str, Run]
    remediate_accounts: dict[str, Account]
    topic_arns: dict[str, str]


def remediate_roles() -> list[str]:
    """One account per remediate run: a dry run with the check policy, both scenarios
    with the full policy, then one per action taken out."""
    removable = [
        a
        for a in actions(REMEDIATE_POLICY)
        if a not in TAG_ON_CREATE | LISTING_FALLBACK
        and (a not in KEY_COMMAND_READS or a in EVENTBRIDGE_REMEDIATION)
    ]
    return ["dry-run:bare", "full:bare", "full:topic-policy", "full:cmk-topic", "full:eventbridge"] + [
        f"without:{a}" for a in removable
    ]


def scenario_of(role: str) -> str:
    """``topic-policy`` (an existing topic whose policy must be merged) for the runs
    that need ``SetTopicAttributes``; ``cmk-topic`` (the same topic, encrypted with a
    customer managed key CloudWatch may use) for those that need the KMS reads;
    ``bare`` (everything created) for the others."""
    if role == "full:eventbridge" or role.removeprefix("without:") in EVENTBRIDGE_REMEDIATION:
        return "bare"
    if role.endswith("cmk-topic") or role.startswith("without:kms:"):
        return "cmk-topic"
    return "topic-policy" if role.endswith("topic-policy") or role == "without:sns:SetTopicAttributes" else "bare"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    binary = kmswatch_binary()
    if binary is None:
        pytest.skip("no kmswatch binary: run `cargo build -p kmswatch-cli` or set KMSWATCH_BIN")
    check_ids = {name: unique_account_id() for name in CHECK_SCENARIOS}
    remediate_ids = {role: unique_account_id() for role in remediate_roles()}
    count = BOOTSTRAP_REQUESTS_PER_ACCOUNT * (len(check_ids) + len(remediate_ids))
    with moto_server(env={"INITIAL_NO_AUTH_ACTION_COUNT": str(count)}) as endpoint:
        accounts = {
            key: Account(endpoint, account_id)
            for key, account_id in [*check_ids.items(), *remediate_ids.items()]
        }
        in_parallel([account.bootstrap for account in accounts.values()])
        assert_iam_enforced(endpoint)
        check_accounts = {name: accounts[name] for name in check_ids}
        in_parallel([functools.partial(build_check_scenario, a, name) for name, a in check_accounts.items()])
        remediate_accounts = {role: accounts[role] for role in remediate_ids}
        topics = in_parallel(
            [
                functools.partial(build_bare_chain, a, topic_policy=scenario_of(role) != "bare")
                for role, a in remediate_accounts.items()
            ]
        )
        for role, topic_arn in zip(remediate_accounts, topics):
            if topic_arn is not None and scenario_of(role) == "cmk-topic":
                encrypt_with_cloudwatch_key(remediate_accounts[role], topic_arn)
        topic_arns = {role: arn for role, arn in zip(remediate_accounts, topics) if arn is not None}
        kmswatch = Kmswatch(binary, endpoint, tmp_path_factory.mktemp("aws-home"))
        admin_runs = in_parallel([functools.partial(kmswatch, a.admin_key, "check") for a in check_accounts.values()])
        yield World(kmswatch, check_accounts, dict(zip(check_accounts, admin_runs)), remediate_accounts, topic_arns)


def assert_iam_enforced(endpoint: str) -> None:
    """Once the bootstrap requests are spent, an unknown key is refused."""
    probe = make_client(endpoint, "sns", "999988887777", "nobody")
    with pytest.raises(untyped("botocore.exceptions").ClientError) as refused:
        probe.list_topics()
    assert refused.value.response["Error"]["Code"] == "InvalidClientTokenId"


def comparable(document: dict[str, Any] | None) -> dict[str, Any]:
    """A report without its provenance (who asked changes how often, not what)."""
    assert document is not None
    return verdict_of(document)


def monitors(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The report's monitored_by entries, by region."""
    return {m["region"]: m for m in document.get("monitored_by", [])}


def without_monitors(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "monitored_by"}


def in_parallel(jobs: Sequence[Callable[[], T]]) -> list[T]:
    """Runs the jobs a few at a time (each mostly waits on the server)."""
    with ThreadPoolExecutor(CONCURRENT_RUNS) as pool:
        return list(pool.map(lambda job: job(), jobs))


def test_the_policies_are_aws_documents_with_the_check_reads_inside_remediate() -> None:
    for policy in (CHECK_POLICY, REMEDIATE_POLICY):
        assert policy["Version"] == "2012-10-17"
        assert all(s["Effect"] == "Allow" and s["Resource"] == "*" for s in policy["Statement"])
        assert not any(a.startswith("monitoring:") for a in actions(policy)), "IAM says cloudwatch:"
        assert len(set(actions(policy))) == len(actions(policy))
    reads = actions(CHECK_POLICY)
    assert all(a.split(":")[1].startswith(("Describe", "Get", "List", "Lookup")) for a in reads)
    writes = [a for a in actions(REMEDIATE_POLICY) if a not in reads]
    # EventBridge monitoring beside the chain is the check's alone: remediation
    # does not plan from it.
    check_only = set(KEY_COMMAND_READS) - EVENTBRIDGE_REMEDIATION
    assert set(reads) - check_only <= set(actions(REMEDIATE_POLICY))
    assert not check_only & set(actions(REMEDIATE_POLICY))
    assert sorted(writes) == sorted(
        [
            "logs:PutMetricFilter",
            "cloudwatch:PutMetricAlarm",
            "cloudwatch:TagResource",
            "sns:CreateTopic",
            "sns:SetTopicAttributes",
            "sns:Subscribe",
            "sns:TagResource",
            "events:PutRule",
            "events:PutTargets",
            "events:TagResource",
        ]
    )


@pytest.mark.parametrize("name", ["check", "remediate", "security-hub", "respond"])
def test_the_command_prints_the_shipped_policies(name: str) -> None:
    binary = kmswatch_binary()
    if binary is None:
        pytest.skip("no kmswatch binary (cargo build -p kmswatch-cli)")
    done = subprocess.run([str(binary), "iam-policy", name], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    shipped = (REPO / "policies" / f"kmswatch-{name}.json").read_text()
    assert done.stdout == shipped
    expected = {
        "check": CHECK_POLICY,
        "remediate": REMEDIATE_POLICY,
        "security-hub": SECURITY_HUB_POLICY,
        "respond": RESPOND_POLICY,
    }
    assert json.loads(done.stdout) == expected[name]


def test_the_security_hub_policy_beside_the_check_policy_lets_the_findings_in(world: World) -> None:
    assert actions(SECURITY_HUB_POLICY) == ["securityhub:BatchImportFindings"]
    account = world.check_accounts["compliant"]
    both: Policy = {
        "Version": "2012-10-17",
        "Statement": CHECK_POLICY["Statement"] + SECURITY_HUB_POLICY["Statement"],
    }
    sent = world.kmswatch(account.user(both), "check", "--send-to-security-hub")
    assert sent.code == 0, sent.stderr
    assert "Security Hub imported 1 finding" in sent.stderr
    # Without it the check still reports; the exit code says the findings did not go.
    alone = world.kmswatch(account.user(CHECK_POLICY), "check", "--send-to-security-hub")
    assert alone.code == 3, alone.stderr
    assert alone.document is not None and alone.document["status"] == "PASS"
    assert "Security Hub did not import 1 finding" in alone.stderr


@pytest.mark.parametrize("scenario", CHECK_SCENARIOS)
def test_the_check_policy_gives_the_administrators_report(world: World, scenario: str) -> None:
    admin = world.admin_checks[scenario]
    limited = world.kmswatch(world.check_accounts[scenario].user(CHECK_POLICY), "check")
    assert admin.document is not None and admin.document["status"] in ("PASS", "FAIL"), admin.stderr
    assert limited.code == admin.code, limited.stderr
    assert comparable(limited.document) == comparable(admin.document)


@pytest.mark.parametrize("action", [a for a in actions(CHECK_POLICY) if a not in KEY_COMMAND_READS])
def test_the_check_without_one_action_says_error_never_another_verdict(world: World, action: str) -> None:
    accounts = world.check_accounts
    policy = without(CHECK_POLICY, action)
    jobs = [functools.partial(world.kmswatch, account.user(policy), "check") for account in accounts.values()]
    changed = []
    for name, limited in zip(accounts, in_parallel(jobs)):
        admin = world.admin_checks[name]
        assert admin.document is not None and limited.document is not None, f"{name}: {limited.stderr}"
        if comparable(limited.document) != comparable(admin.document):
            changed.append(name)
        status = limited.document["status"]
        if status in ("ERROR", "MANUAL"):
            assert limited.code == 3, f"{name}: {status} exits 3"
            continue
        # A verdict that stands without the action (a trail that is not logging fails
        # whatever its selectors) may stay, for the same reasons and no fewer.
        assert (status, limited.code) == (admin.document["status"], admin.code), f"{name} without {action}"
        # Monitoring beside the chain (monitored_by) is not a reason for the
        # verdict: each of its entries must keep its verdict or turn unknown.
        for region, monitor in monitors(limited.document).items():
            before = monitors(admin.document).get(region, {}).get("status")
            assert monitor["status"] in ("ERROR", "MANUAL", before), f"{name} {region} without {action}"
        lost = set(gap_codes(without_monitors(admin.document))) - set(
            gap_codes(without_monitors(limited.document))
        )
        if (name, action) in KNOWN_SILENT_LOSSES:
            assert lost, f"fixed: remove ({name}, {action}) from KNOWN_SILENT_LOSSES"
        else:
            assert not lost, f"{name} without {action} loses {lost}"
    assert changed, f"no report changes without {action}: the check does not need it"


def test_keys_needs_the_check_policy_and_says_error_without_its_reads(world: World) -> None:
    account = world.check_accounts["TOPIC_ENCRYPTED_WITH_CMK"]
    full = world.kmswatch(account.user(CHECK_POLICY), "keys", "--regions", REGION)
    assert full.code == 0, full.stderr
    assert full.document is not None and full.document["status"] == "PASS"
    assert full.document["keys"], "the topic's customer managed key is listed"
    for action in ("kms:ListKeys", "kms:ListAliases"):
        limited = world.kmswatch(account.user(without(CHECK_POLICY, action)), "keys", "--regions", REGION)
        assert limited.code == 3, f"without {action}: {limited.stderr}"
        assert limited.document is not None and limited.document["status"] == "ERROR"
        assert [e["operation"] for e in limited.document["errors"]] == [action.split(":")[1]]
    history = world.kmswatch(
        account.user(without(CHECK_POLICY, "cloudtrail:LookupEvents")), "history", "--regions", REGION
    )
    assert history.code == 3 and history.document is not None
    assert {e["kind"] for e in history.document["errors"]} == {"access_denied"}


def test_the_respond_policy_is_enough_and_each_action_needed(world: World) -> None:
    account = world.check_accounts["compliant"]
    kms = account.client("kms")
    metadata = kms.create_key()["KeyMetadata"]
    key = metadata["Arn"]
    kms.disable_key(KeyId=metadata["KeyId"])
    without_enable = world.kmswatch(account.user(without(RESPOND_POLICY, "kms:EnableKey")), "respond", "enable", key, "--apply")
    assert without_enable.code == 3 and without_enable.document is not None
    assert without_enable.document["error"]["operation"] == "EnableKey"
    without_describe = world.kmswatch(account.user(without(RESPOND_POLICY, "kms:DescribeKey")), "respond", "enable", key)
    assert without_describe.code == 3
    done = world.kmswatch(account.user(RESPOND_POLICY), "respond", "enable", key, "--apply")
    assert done.code == 0, done.stderr
    assert done.document is not None and done.document["after"]["key_state"] == "Enabled"


def remediate(world: World, role: str, policy: Policy) -> Run:
    account = world.remediate_accounts[role]
    topic = ["--topic-arn", world.topic_arns[role]] if role in world.topic_arns else []
    eventbridge = role == "full:eventbridge" or role.removeprefix("without:") in EVENTBRIDGE_REMEDIATION
    via = ["--via", "eventbridge"] if eventbridge else []
    return world.kmswatch(account.user(policy), "remediate", "--apply", "--email", EMAIL, *topic, *via)


def test_the_check_policy_is_enough_for_a_dry_run(world: World) -> None:
    account = world.remediate_accounts["dry-run:bare"]
    planned = world.kmswatch(account.user(CHECK_POLICY), "remediate", "--email", EMAIL)
    # Not PASS until the e-mail is confirmed: 1, as --apply would exit.
    assert planned.code == 1, planned.stderr
    assert planned.document is not None
    assert planned.document["applied"] is False
    # An e-mail subscription awaits confirmation: PASS once it is confirmed.
    assert planned.document["predicted_status_once_confirmed"] == "PASS"
    assert [a["action"] for a in planned.document["actions"]][0] == "create_topic"
    after = world.kmswatch(account.admin_key, "check")
    assert after.document is not None and after.document["status"] == "FAIL"


@pytest.mark.parametrize("role", ["full:bare", "full:topic-policy", "full:cmk-topic"])
def test_the_remediate_policy_reaches_pass(world: World, role: str) -> None:
    before = world.kmswatch(world.remediate_accounts[role].admin_key, "check")
    assert before.document is not None and before.document["status"] == "FAIL"
    done = remediate(world, role, REMEDIATE_POLICY)
    assert done.code == 0, done.stderr
    assert done.document is not None and done.document["status_after"] == "PASS"
    planned = [a["action"] for a in done.document["actions"]]
    expected = {"create_topic"} if role == "full:bare" else {"merge_topic_policy"}
    assert expected <= set(planned), planned
    after = world.kmswatch(world.remediate_accounts[role].admin_key, "check")
    assert after.document is not None and after.document["status"] == "PASS"


def test_the_remediate_policy_reaches_pass_via_eventbridge(world: World) -> None:
    done = remediate(world, "full:eventbridge", REMEDIATE_POLICY)
    assert done.code == 0, done.stderr
    assert done.document is not None and done.document["status_after"] == "PASS"
    assert "put_event_rule" in [a["action"] for a in done.document["actions"]]
    account = world.remediate_accounts["full:eventbridge"]
    accepted = world.kmswatch(account.admin_key, "check", "--accept", "eventbridge")
    assert accepted.document is not None and accepted.document["status"] == "PASS"


@pytest.mark.parametrize("role", [r for r in remediate_roles() if r.startswith("without:")])
def test_remediate_without_one_action_fails_never_a_false_success(world: World, role: str) -> None:
    action = role.removeprefix("without:")
    done = remediate(world, role, without(REMEDIATE_POLICY, action))
    assert done.code == 3, f"without {action}: exit {done.code}\n{done.stderr}"
    # --format json: one document on every exit, also this one.
    assert done.document is not None, f"without {action}: no JSON document\n{done.stderr}"
    assert done.document.get("status_after") != "PASS"
    if action not in actions(CHECK_POLICY):
        # The write that was refused is named, after the ones that completed.
        assert done.document["schema"] == "kmswatch.plan/v1", done.document
        assert done.document["applied"] is False and done.document["status"] == "ERROR"
        failed, completed = done.document["failed"], done.document["completed"]
        assert failed["error"]["code"] and failed["error"]["operation"], failed
        assert failed["index"] == len(completed)
        planned = done.document["actions"]
        assert planned[failed["index"]]["action"] != "create_topic" or not completed
        for step, plan in zip(completed, planned):
            if plan["action"] == "create_topic":
                assert step["result"].startswith("arn:aws:sns:"), step
        # A write was refused: the account is not fixed, whatever else was written.
        after = world.kmswatch(world.remediate_accounts[role].admin_key, "check")
        assert after.document is not None and after.document["status"] == "FAIL"
