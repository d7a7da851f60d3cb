#!/usr/bin/env python3
"""`kmswatch scan --organization` of an organization covered by ONE
organization trail, against moto server: the shared chain read once, next to
the scan of a build that did not follow it (`--before BINARY`).

Builds, in moto with boto3, a management account whose organization trail
delivers every member's events to one log group in a log-archive member (the
first member), with the filter, alarm and topic beside it; members see the
trail as AWS shows it (tests/moto/organization_trails.py). Then, per binary,
several runs of `kmswatch scan --organization --format json` through a
counting proxy: wall time (median, min, max), every request the scan sent
(AssumeRole included), the `AssumeRole` into the log archive, and the
verdicts.

    cargo build -p kmswatch-cli
    python3 bench/org_trail_moto.py --members 200 --runs 3 --before /path/to/older/kmswatch
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "python"))
sys.path.insert(0, str(ROOT / "bench"))

import org_scenarios  # noqa: E402
import scenarios  # noqa: E402
from harness import moto_server  # noqa: E402
from scan_moto import client_in, env_for, timed  # noqa: E402

REGION = "us-east-1"


def build(endpoint: str, members: int) -> tuple[str, list[str]]:
    """The organization: its management account and members, the first the log archive."""
    client = client_in(endpoint)
    management = "910000000000"
    org = client(management)("organizations")
    org.create_organization(FeatureSet="ALL")
    made = [
        org.create_account(Email=f"m{i}@example.com", AccountName=f"member-{i}")["CreateAccountStatus"]["AccountId"]
        for i in range(members)
    ]
    archive = made[0]
    client(archive)("logs").create_log_group(logGroupName=scenarios.GROUP)
    group = f"arn:aws:logs:{REGION}:{archive}:log-group:{scenarios.GROUP}:*"
    scenarios.build_trail(client(management), management, group, organization=True)
    scenarios.build_chain(client(archive), archive)
    return management, made


def assumed(seen: list[tuple[str, bytes]]) -> Counter[str]:
    """AssumeRole requests by the account of the role."""
    roles: Counter[str] = Counter()
    for _, body in seen:
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        if form.get("Action") == ["AssumeRole"]:
            roles[form.get("RoleArn", [""])[0].split(":")[4]] += 1
    return roles


def measure(binary: Path, endpoint: str, management: str, archive: str, runs: int) -> dict[str, Any]:
    command = [str(binary), "scan", "--organization", "--format", "json"]
    walls, requests, archive_roles = [], [], []
    document: dict[str, Any] = {}
    for _ in range(runs + 1):
        seen: list[tuple[str, bytes]] = []
        with org_scenarios.refusing_proxy(endpoint, [], seen=seen) as url:
            wall, _, _, out = timed(command, env_for(url, management))
        document = json.loads(out)
        walls.append(wall)
        requests.append(len(seen))
        archive_roles.append(assumed(seen)[archive])
    # The first run warmed moto's lazy imports.
    walls, requests, archive_roles = walls[1:], requests[1:], archive_roles[1:]
    return {
        "wall": statistics.median(walls),
        "min": min(walls),
        "max": max(walls),
        "requests": statistics.median(requests),
        "archive_assume_role": statistics.median(archive_roles),
        "verdicts": Counter(r["status"] for r in document["accounts"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--binary", type=Path, default=ROOT / "target/debug/kmswatch")
    parser.add_argument("--before", type=Path, help="an older kmswatch, which did not follow the chain")
    args = parser.parse_args()
    with moto_server() as endpoint:
        started = time.perf_counter()
        management, members = build(endpoint, args.members)
        print(f"<!-- organization of {args.members} members built in {time.perf_counter() - started:.1f} s -->")
        print("| build | scan wall, median (min – max) | requests | AssumeRole into the log archive | verdicts |")
        print("|---|---|---|---|---|")
        binaries = [("this build", args.binary)] + ([("before", args.before)] if args.before else [])
        for name, binary in binaries:
            m = measure(binary, endpoint, management, members[0], args.runs)
            verdicts = ", ".join(f"{n} {s}" for s, n in sorted(m["verdicts"].items()))
            print(
                f"| {name} | {m['wall']:.2f} s ({m['min']:.2f} – {m['max']:.2f}) | {m['requests']:.0f} "
                f"| {m['archive_assume_role']:.0f} | {verdicts} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
