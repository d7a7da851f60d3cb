#!/usr/bin/env python3
"""What checking every CIS monitoring control costs beside checking one.

Builds two moto accounts (moto server with the CloudWatch bridge): *all
fifteen*, the KMS monitoring chain plus a CIS metric filter and an alarm for
each of the fourteen other controls on the same log group and topic; and
*KMS only*, the KMS chain alone, so that the fourteen others fail. On each it
runs `kmswatch check --format json` with `--control 4.7` (the default) and
with `--control cis`, several times, and reports the requests of each check
(the report's `api_calls`) and the median wall time.

    cargo build -p kmswatch-cli
    python3 bench/controls_moto.py --runs 5
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from check_moto import start_moto  # the moto server of the whole-process benchmark
from cost_moto import clients, run_once

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "python"))
from scenarios import GROUP, REGION, build_account  # noqa: E402  (the accounts of the tests)


def controls() -> list[dict[str, Any]]:
    """The controls and their CIS patterns, from the Python package of the
    same build (`maturin develop`)."""
    import kmswatch

    result: list[dict[str, Any]] = kmswatch.controls()
    return result


def add_chain(client: Any, account: str, control: str, pattern: str) -> None:
    metric = f"CIS-{control}"
    client("logs").put_metric_filter(
        logGroupName=GROUP,
        filterName=metric,
        filterPattern=pattern,
        metricTransformations=[{"metricName": metric, "metricNamespace": "CISBenchmark", "metricValue": "1"}],
    )
    client("cloudwatch").put_metric_alarm(
        AlarmName=metric,
        Namespace="CISBenchmark",
        MetricName=metric,
        Statistic="Sum",
        Period=300,
        EvaluationPeriods=1,
        DatapointsToAlarm=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        TreatMissingData="notBreaching",
        AlarmActions=[f"arn:aws:sns:{REGION}:{account}:security-alerts"],
    )


def run_control(binary: Path, endpoint: str, account: str, control: str) -> tuple[float, dict[str, Any]]:
    """`run_once` (`check --format json`, timed) with `--control` added."""
    wrapper = Path(tempfile.gettempdir()) / f"kmswatch-control-{control}"
    wrapper.write_text(f'#!/bin/sh\nexec "{binary}" "$@" --control {control}\n')
    wrapper.chmod(0o755)
    return run_once(wrapper, endpoint, account)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--binary", type=Path, default=ROOT / "target" / "debug" / "kmswatch")
    args = parser.parse_args()
    server, endpoint = start_moto()
    try:
        accounts = {"all fifteen": "210000000001", "KMS only": "210000000002"}
        for name, account in accounts.items():
            client = clients(endpoint, account)
            build_account(client, account)
            if name == "all fifteen":
                for c in controls():
                    if c["control"] != "4.7":
                        add_chain(client, account, c["control"], c["cis_pattern"])
        print("| account | --control | requests | PASS controls | median wall time |")
        print("|---|---|---:|---:|---:|")
        for name, account in accounts.items():
            for control in ("4.7", "cis"):
                runs = [run_control(args.binary, endpoint, account, control) for _ in range(args.runs + 1)][1:]
                calls = {r["api_calls"] for _, r in runs}
                report = runs[-1][1]
                passing = sum(1 for c in report.get("controls", [report]) if c["status"] == "PASS")
                median = statistics.median(t for t, _ in runs)
                print(f"| {name} | {control} | {','.join(map(str, sorted(calls)))} | {passing} | {median * 1000:.0f} ms |")
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
