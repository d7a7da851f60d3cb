#!/usr/bin/env python3
"""What `remediate` reads as an account's unrelated alarms grow.

On a moto server (its CloudWatch bridge pages `DescribeAlarms` as CloudWatch
does: at most 100 alarms an answer), builds one account per configuration:
the monitoring chain plus N unrelated metric alarms (N = 0, 1,000, 3,000 by
default); the *compliant* account is that, the *filter-catches-nothing* one has
its metric filter replaced by one that catches no KMS event (remediation then
creates a filter, an alarm, a topic and a subscription). For each it plans the
remediation (`kmswatch.plan()`, the AWS SDK backend) through a recording
proxy and reports every request and the `DescribeAlarms` requests among them.

    source tests/moto/start.sh   # or KMSWATCH_MOTO_ENDPOINT=http://127.0.0.1:PORT
    python3 bench/remediate_cost_moto.py
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "python"))

import kmswatch  # noqa: E402
import org_scenarios  # noqa: E402
from conftest import boto3_client_factory  # noqa: E402
from test_cost_moto import account, alarm_listings, miss_every_event  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[0, 1_000, 3_000])
    args = parser.parse_args()
    endpoint = os.environ["KMSWATCH_MOTO_ENDPOINT"]
    print("| unrelated alarms | account | requests | DescribeAlarms requests | planned writes |")
    print("|---:|---|---:|---:|---|")
    for count in args.counts:
        for compliant in (True, False):
            account_id = account(endpoint, count)
            if not compliant:
                miss_every_event(boto3_client_factory(endpoint, account_id))
            seen: list[tuple[str, bytes]] = []
            with org_scenarios.refusing_proxy(endpoint, (), seen=seen) as proxy:
                os.environ.update(
                    AWS_ACCESS_KEY_ID=account_id,
                    AWS_SECRET_ACCESS_KEY="testing",
                    AWS_REGION="us-east-1",
                    AWS_ENDPOINT_URL=proxy,
                    AWS_CONFIG_FILE="/dev/null",
                    AWS_SHARED_CREDENTIALS_FILE="/dev/null",
                )
                plan = kmswatch.plan(email="secops@example.com")
            kind = "compliant" if compliant else "filter-catches-nothing"
            writes = ", ".join(a["action"] for a in plan.actions) or "none"
            print(f"| {count:,} | {kind} | {len(seen)} | {len(alarm_listings(seen))} | {writes} |", flush=True)


if __name__ == "__main__":
    main()
