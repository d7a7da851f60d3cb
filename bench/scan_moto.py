#!/usr/bin/env python3
"""`kmswatch scan --organization` against moto server, next to one `kmswatch
check` process per account (what a shell loop over the accounts does).

Builds one organization per size (10, 50, 200 members by default) in moto with
boto3: every member made by Organizations `CreateAccount`, about two thirds
with a compliant chain and the others each broken in one link (the broken
links of tests/python/scenarios.py in turn), the management account compliant.
Then, per size:

- `kmswatch scan --organization --format json`, several runs: wall time, peak
  RSS (GNU time), kmswatch's CPU time, and moto's CPU time over the same run
  (the server's own /proc counters: how much of the wall time moto was busy);
- the loop: for each account, `AssumeRole` into OrganizationAccountAccessRole
  (boto3, in this process, as `aws sts assume-role` would) and one
  `kmswatch check --format json` process with those credentials, in sequence;
- every account's verdict and gap codes from the scan equal to the loop's.

    cargo build -p kmswatch-cli            # or --release, then --binary target/release/kmswatch
    python3 bench/scan_moto.py --sizes 10,50,200 --runs 5
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "python"))

import boto3  # noqa: E402

import org_scenarios  # noqa: E402
from harness import moto_server  # noqa: E402

REGION = "us-east-1"


def client_in(endpoint: str) -> org_scenarios.ClientIn:
    def factory(account: str) -> Any:
        session = boto3.Session(aws_access_key_id=account, aws_secret_access_key="testing", region_name=REGION)
        return lambda service: session.client(service, endpoint_url=endpoint)

    return factory


def moto_cpu_seconds(pid: int) -> float:
    """User + system CPU time of the moto server process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def moto_pid(endpoint: str) -> int:
    port = endpoint.rsplit(":", 1)[1]
    out = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True).stdout
    found = re.search(r"pid=(\d+)", out)
    if not found:
        raise SystemExit(f"cannot find the moto server listening on {endpoint}")
    return int(found.group(1))


def timed(command: list[str], env: dict[str, str]) -> tuple[float, int, float, str]:
    """Wall seconds, peak RSS (KiB), CPU seconds and standard output of one process."""
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", *command], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    user = re.search(r"User time \(seconds\): ([\d.]+)", done.stderr)
    system = re.search(r"System time \(seconds\): ([\d.]+)", done.stderr)
    cpu = float(user.group(1) if user else 0) + float(system.group(1) if system else 0)
    return wall, int(rss.group(1)) if rss else -1, cpu, done.stdout


def env_for(endpoint: str, key: str, secret: str = "testing", token: str | None = None) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": "/tmp",
        "AWS_ACCESS_KEY_ID": key,
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_REGION": REGION,
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    if token:
        env["AWS_SESSION_TOKEN"] = token
    return env


def outcome(report: dict[str, Any]) -> tuple[str, list[str]]:
    codes: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            codes.extend(g["code"] for g in value.get("gaps", []))
            for key, v in value.items():
                if key != "gaps":
                    walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(report)
    return report["status"], sorted(codes)


def loop_checks(binary: Path, endpoint: str, org: org_scenarios.Organization) -> tuple[float, int, dict[str, Any]]:
    """One check process per account, as a shell loop: wall time, max peak RSS, outcomes."""
    sts = client_in(endpoint)(org.management)("sts")
    outcomes: dict[str, Any] = {}
    peak = 0
    start = time.perf_counter()
    for account in org.expected():
        if account == org.management:
            env = env_for(endpoint, org.management)
        else:
            role = f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
            c = sts.assume_role(RoleArn=role, RoleSessionName="kmswatch-loop")["Credentials"]
            env = env_for(endpoint, c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
        _, rss, _, out = timed([str(binary), "check", "--format", "json"], env)
        peak = max(peak, rss)
        outcomes[account] = outcome(json.loads(out))
    return time.perf_counter() - start, peak, outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--sizes", default="10,50,200")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--binary", type=Path, default=ROOT / "target/debug/kmswatch")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with moto_server() as endpoint:
        pid = moto_pid(endpoint)
        print(f"| members | scan wall, median (min – max) | scan peak RSS, median | kmswatch CPU | moto busy | loop wall (check per account) | loop peak RSS | verdicts equal |")
        print("|---|---|---|---|---|---|---|---|")
        for n, size in enumerate(sizes):
            broken = size // 3
            built = time.perf_counter()
            org = org_scenarios.build_organization(
                client_in(endpoint), f"90000000{n:04d}", passing=size - broken, failing=broken
            )
            built = time.perf_counter() - built
            scan_env = env_for(endpoint, org.management)
            command = [str(args.binary), "scan", "--organization", "--format", "json"]
            timed(command, scan_env)  # warm moto's lazy imports for these services
            runs = []
            for _ in range(args.runs):
                before = moto_cpu_seconds(pid)
                wall, rss, cpu, out = timed(command, scan_env)
                runs.append((wall, rss, cpu, moto_cpu_seconds(pid) - before, json.loads(out)))
            document = runs[-1][4]
            scanned = {r["account_id"]: outcome(r) for r in document["accounts"]}
            assert {a: s for a, (s, _) in scanned.items()} == org.expected(), "unexpected verdicts"
            loop_wall, loop_rss, looped = loop_checks(args.binary, endpoint, org)
            equal = scanned == looped
            walls = [r[0] for r in runs]
            wall = statistics.median(walls)
            moto_busy = statistics.median(r[3] / r[0] for r in runs)
            print(
                f"| {size} (+ management) | {wall:.2f} s ({min(walls):.2f} – {max(walls):.2f}) "
                f"| {statistics.median(r[1] for r in runs) / 1024:.1f} MiB "
                f"| {statistics.median(r[2] for r in runs):.2f} s "
                f"| {moto_busy * 100:.0f} % of the wall time "
                f"| {loop_wall:.1f} s ({loop_wall / wall:.1f}×) | {loop_rss / 1024:.1f} MiB | {'yes' if equal else 'NO'} |",
                flush=True,
            )
            print(f"<!-- built in {built:.1f} s; summary {document['summary']} -->", flush=True)
            if not equal:
                for account in scanned:
                    if scanned[account] != looped.get(account):
                        print(f"  {account}: scan {scanned[account]} loop {looped.get(account)}", file=sys.stderr)


if __name__ == "__main__":
    main()
