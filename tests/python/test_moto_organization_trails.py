"""The test harness shows member accounts their organization's trail as AWS
does (tests/moto/organization_trails.py): listed in the member's
``DescribeTrails`` with its ARN and log group in the management account, and
its status and event selectors answered on its ARN in the member."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import boto3_client_factory
from scenarios import GROUP, REGION, unique_account_id


@pytest.fixture(scope="module")
def organization(moto_endpoint: str) -> dict[str, Any]:
    management = unique_account_id()
    in_management = boto3_client_factory(moto_endpoint, management)
    org = in_management("organizations")
    org.create_organization(FeatureSet="ALL")
    member = org.create_account(Email="member@example.com", AccountName="member")["CreateAccountStatus"]["AccountId"]
    in_management("s3").create_bucket(Bucket=f"org-trail-{management}")
    in_management("logs").create_log_group(logGroupName=GROUP)
    group_arn = f"arn:aws:logs:{REGION}:{management}:log-group:{GROUP}:*"
    trails = in_management("cloudtrail")
    trail = trails.create_trail(
        Name="organization-events",
        S3BucketName=f"org-trail-{management}",
        IsMultiRegionTrail=True,
        IsOrganizationTrail=True,
        CloudWatchLogsLogGroupArn=group_arn,
        CloudWatchLogsRoleArn=f"arn:aws:iam::{management}:role/CloudTrailToCloudWatch",
    )
    trails.start_logging(Name="organization-events")
    # A trail of the management account's own, not of the organization.
    trails.create_trail(Name="own-events", S3BucketName=f"org-trail-{management}")
    return {"management": management, "member": member, "arn": trail["TrailARN"], "group": group_arn}


def test_a_member_lists_the_organization_trail(moto_endpoint: str, organization: dict[str, Any]) -> None:
    member = boto3_client_factory(moto_endpoint, organization["member"])("cloudtrail")
    listed = member.describe_trails()["trailList"]
    assert [t["TrailARN"] for t in listed] == [organization["arn"]]
    trail = listed[0]
    assert trail["IsOrganizationTrail"] is True
    assert trail["HomeRegion"] == REGION
    assert trail["CloudWatchLogsLogGroupArn"] == organization["group"]
    assert f":{organization['management']}:" in trail["TrailARN"]


def test_a_member_reads_its_status_and_selectors_by_arn(moto_endpoint: str, organization: dict[str, Any]) -> None:
    member = boto3_client_factory(moto_endpoint, organization["member"])("cloudtrail")
    assert member.get_trail_status(Name=organization["arn"])["IsLogging"] is True
    selectors = member.get_event_selectors(TrailName=organization["arn"])
    assert selectors["TrailARN"] == organization["arn"]


def test_the_management_account_and_outsiders_see_what_moto_keeps(
    moto_endpoint: str, organization: dict[str, Any]
) -> None:
    own = boto3_client_factory(moto_endpoint, organization["management"])("cloudtrail")
    names = sorted(t["Name"] for t in own.describe_trails()["trailList"])
    assert names == ["organization-events", "own-events"]
    outsider = boto3_client_factory(moto_endpoint, unique_account_id())("cloudtrail")
    assert outsider.describe_trails()["trailList"] == []
    with pytest.raises(Exception, match="TrailNotFound"):
        outsider.get_trail_status(Name=organization["arn"])


def test_a_member_finds_it_by_arn_and_in_its_home_region(
    moto_endpoint: str, organization: dict[str, Any]
) -> None:
    member = boto3_client_factory(moto_endpoint, organization["member"])("cloudtrail")
    named = member.describe_trails(trailNameList=[organization["arn"]])["trailList"]
    assert [t["TrailARN"] for t in named] == [organization["arn"]]
    # Its home region is the request's: listed without shadow trails too.
    assert len(member.describe_trails(includeShadowTrails=False)["trailList"]) == 1
    assert member.describe_trails(trailNameList=["not-a-trail"])["trailList"] == []
