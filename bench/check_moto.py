#!/usr/bin/env python3
"""Whole-process `kmswatch check` against moto server on loopback.

Builds the compliant scenario (trail -> log group -> CIS metric filter -> alarm
-> SNS topic with a confirmed subscriber) in a fresh moto account with boto3,
then runs the release `kmswatch check --format json` several times and reports
the median wall time, the peak resident set size (GNU time) and the API calls.

    cargo build --release -p kmswatch-cli
    python3 bench/check_moto.py --runs 15
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parent.parent
REGION = "us-east-1"
ACCOUNT = "210987654321"
CIS = "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }"


def start_moto() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tests/moto/server.py"), "--port", "0", "--exit-with-parent", str(os.getpid())],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("READY "):
        proc.kill()
        raise SystemExit(f"moto did not start: {line!r}")
    return proc, line.removeprefix("READY ")


def build_compliant(endpoint: str) -> None:
    session = boto3.Session(aws_access_key_id=ACCOUNT, aws_secret_access_key="testing", region_name=REGION)
    client = lambda name: session.client(name, endpoint_url=endpoint)  # noqa: E731
    group = "aws-cloudtrail-logs"
    client("s3").create_bucket(Bucket=f"trail-{ACCOUNT}")
    client("logs").create_log_group(logGroupName=group)
    ct = client("cloudtrail")
    ct.create_trail(
        Name="management-events",
        S3BucketName=f"trail-{ACCOUNT}",
        IsMultiRegionTrail=True,
        CloudWatchLogsLogGroupArn=f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{group}:*",
        CloudWatchLogsRoleArn=f"arn:aws:iam::{ACCOUNT}:role/CloudTrailToCloudWatch",
    )
    ct.start_logging(Name="management-events")
    client("logs").put_metric_filter(
        logGroupName=group,
        filterName="KMSKeyDisableOrDelete",
        filterPattern=CIS,
        metricTransformations=[{"metricName": "KMSKeyDisableOrDelete", "metricNamespace": "CISBenchmark", "metricValue": "1"}],
    )
    topic = client("sns").create_topic(Name="security-alerts")["TopicArn"]
    client("sns").subscribe(TopicArn=topic, Protocol="sqs", Endpoint=f"arn:aws:sqs:{REGION}:{ACCOUNT}:secops")
    client("cloudwatch").put_metric_alarm(
        AlarmName="KMSKeyDisableOrDelete",
        Namespace="CISBenchmark",
        MetricName="KMSKeyDisableOrDelete",
        Statistic="Sum",
        Period=300,
        EvaluationPeriods=1,
        DatapointsToAlarm=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        TreatMissingData="notBreaching",
        AlarmActions=[topic],
    )


def run_once(binary: Path, endpoint: str) -> tuple[float, int, dict]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": "/tmp",
        "AWS_ACCESS_KEY_ID": ACCOUNT,
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": REGION,
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    start = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-v", str(binary), "check", "--format", "json"], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr)
    report = json.loads(out.stdout)
    return elapsed, int(rss.group(1)) if rss else -1, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--binary", type=Path, default=ROOT / "target/release/kmswatch")
    args = parser.parse_args()
    moto, endpoint = start_moto()
    try:
        build_compliant(endpoint)
        run_once(args.binary, endpoint)  # warm moto's lazy imports
        results = [run_once(args.binary, endpoint) for _ in range(args.runs)]
    finally:
        moto.kill()
    times = [r[0] for r in results]
    rss = [r[1] for r in results]
    report = results[-1][2]
    assert report["status"] == "PASS", report
    print(f"runs: {args.runs}")
    print(f"status: {report['status']}, api_calls: {report['api_calls']}")
    print(f"wall time: median {statistics.median(times) * 1000:.0f} ms (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})")
    print(f"peak RSS: median {statistics.median(rss) / 1024:.1f} MiB (max {max(rss) / 1024:.1f})")


if __name__ == "__main__":
    main()
