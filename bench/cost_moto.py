#!/usr/bin/env python3
"""What a `kmswatch check` costs as an account's unrelated resources grow.

Builds, on a moto server with the CloudWatch bridge (which pages
`DescribeAlarms` as CloudWatch does: at most 100 alarms an answer), one moto
account per configuration: the monitoring chain (multi-region trail -> log
group -> CIS metric filter -> alarm -> SNS topic with a confirmed subscriber)
plus N unrelated metric alarms (N = 0, 1,000, 3,000 by default), one unrelated
topic per 100 alarms (the alarms notify them) and 40 unrelated metric filters
on the trail's log group. The *compliant* account is that; the *non-compliant*
one has a topic without a subscriber, so no alarm completes the chain.

For each configuration it runs `kmswatch check --format json` several times
and reports the requests the check made (the report's `api_calls`) and the
median wall time. With `--baseline BINARY` it measures another build too (an
earlier kmswatch, to compare).

    cargo build -p kmswatch-cli
    python3 bench/cost_moto.py --runs 5
    python3 bench/cost_moto.py --runs 5 --baseline /path/to/earlier/kmswatch
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

import boto3
from check_moto import start_moto  # the moto server of the whole-process benchmark

ROOT = Path(__file__).resolve().parent.parent
REGION = "us-east-1"
GROUP = "aws-cloudtrail-logs"
CIS = "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }"
UNRELATED_FILTERS = 40
ALARMS_PER_TOPIC = 100

Client = Callable[[str], Any]


def clients(endpoint: str, account: str) -> Client:
    session = boto3.Session(aws_access_key_id=account, aws_secret_access_key="testing", region_name=REGION)
    made: dict[str, Any] = {}

    def client(name: str) -> Any:
        if name not in made:
            made[name] = session.client(name, endpoint_url=endpoint)
        return made[name]

    return client


def alarm(name: str, metric: str, topic: str) -> dict[str, Any]:
    return {
        "AlarmName": name,
        "Namespace": "CISBenchmark" if metric == "KMSKeyDisableOrDelete" else "App",
        "MetricName": metric,
        "Statistic": "Sum",
        "Period": 300,
        "EvaluationPeriods": 1,
        "DatapointsToAlarm": 1,
        "Threshold": 1,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "TreatMissingData": "notBreaching",
        "AlarmActions": [topic],
    }


def build(endpoint: str, account: str, unrelated: int, compliant: bool) -> None:
    """The chain, and `unrelated` alarms with their topics and filters beside it."""
    client = clients(endpoint, account)
    client("s3").create_bucket(Bucket=f"trail-{account}")
    client("logs").create_log_group(logGroupName=GROUP)
    trails = client("cloudtrail")
    trails.create_trail(
        Name="management-events",
        S3BucketName=f"trail-{account}",
        IsMultiRegionTrail=True,
        CloudWatchLogsLogGroupArn=f"arn:aws:logs:{REGION}:{account}:log-group:{GROUP}:*",
        CloudWatchLogsRoleArn=f"arn:aws:iam::{account}:role/CloudTrailToCloudWatch",
    )
    trails.start_logging(Name="management-events")
    logs = client("logs")
    logs.put_metric_filter(
        logGroupName=GROUP,
        filterName="KMSKeyDisableOrDelete",
        filterPattern=CIS,
        metricTransformations=[{"metricName": "KMSKeyDisableOrDelete", "metricNamespace": "CISBenchmark", "metricValue": "1"}],
    )
    for i in range(UNRELATED_FILTERS):
        logs.put_metric_filter(
            logGroupName=GROUP,
            filterName=f"app-{i:02d}",
            filterPattern=f'{{ $.eventName = "App{i}Event" }}',
            metricTransformations=[{"metricName": f"AppEvent{i}", "metricNamespace": "App", "metricValue": "1"}],
        )
    sns = client("sns")
    topic = sns.create_topic(Name="security-alerts")["TopicArn"]
    if compliant:
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=f"arn:aws:sqs:{REGION}:{account}:secops")
    cloudwatch = client("cloudwatch")
    cloudwatch.put_metric_alarm(**alarm("KMSKeyDisableOrDelete", "KMSKeyDisableOrDelete", topic))
    topics = [
        sns.create_topic(Name=f"app-alerts-{t}")["TopicArn"]
        for t in range((unrelated + ALARMS_PER_TOPIC - 1) // ALARMS_PER_TOPIC)
    ]

    def put(i: int) -> None:
        cloudwatch.put_metric_alarm(**alarm(f"app-{i:05d}", f"Latency{i}", topics[i // ALARMS_PER_TOPIC]))

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(put, range(unrelated)))


def run_once(binary: Path, endpoint: str, account: str) -> tuple[float, dict[str, Any]]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": "/tmp",
        "AWS_ACCESS_KEY_ID": account,
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": REGION,
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    }
    start = time.perf_counter()
    done = subprocess.run([str(binary), "check", "--format", "json"], env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    return elapsed, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--counts", type=int, nargs="+", default=[0, 1_000, 3_000])
    parser.add_argument("--binary", type=Path, default=ROOT / "target/debug/kmswatch")
    parser.add_argument("--baseline", type=Path, help="another kmswatch binary to measure on the same accounts")
    args = parser.parse_args()
    binaries = [("kmswatch", args.binary)] + ([("baseline", args.baseline)] if args.baseline else [])
    moto, endpoint = start_moto()
    rows = []
    try:
        for n, count in enumerate(args.counts):
            for compliant in (True, False):
                account = f"3{os.getpid() % 100_000:05d}{n:03d}{int(compliant)}{0:02d}"
                build(endpoint, account, count, compliant)
                for label, binary in binaries:
                    run_once(binary, endpoint, account)  # warm moto's caches
                    results = [run_once(binary, endpoint, account) for _ in range(args.runs)]
                    report = results[-1][1]
                    expected = "PASS" if compliant else "FAIL"
                    assert report["status"] == expected, (label, count, report["status"], report.get("summary"))
                    calls = sorted({r[1]["api_calls"] for r in results})
                    median = statistics.median(r[0] for r in results)
                    rows.append((label, count, "compliant" if compliant else "non-compliant", calls, median))
                    print(f"{label:9} {count:>5} unrelated alarms  {rows[-1][2]:13}  requests {calls}  "
                          f"median {median * 1000:.0f} ms", flush=True)
    finally:
        moto.kill()
    print()
    print("| binary | unrelated alarms | account | requests | wall time (median) |")
    print("|---|---:|---|---:|---:|")
    for label, count, kind, calls, median in rows:
        print(f"| {label} | {count:,} | {kind} | {', '.join(map(str, calls))} | {median * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
