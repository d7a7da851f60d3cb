"""Soak: many checks in one Python process, RSS and open file descriptors at
the start and the end (they must stay flat).

    python3 bench/soak.py --memory 10000 --moto 1000

``--memory`` runs ``kmswatch.check_snapshot`` on the bundled compliant example
(the in-memory backend); ``--moto`` runs ``kmswatch.check`` against a moto server
started for the purpose, on an account with the compliant chain. Measurements
are taken after a warm-up of 1 % of the runs (allocator and SDK caches filled).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "python"))

import kmswatch  # noqa: E402
from harness import moto_server, untyped  # noqa: E402
from scenarios import build_account  # noqa: E402

EXAMPLE = ROOT / "examples" / "compliant.json"


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return -1


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def soak(name: str, runs: int, one: Callable[[], str]) -> None:
    warm = max(1, runs // 100)
    for _ in range(warm):
        assert one() == "PASS"
    gc.collect()
    start_rss, start_fds, started = rss_kib(), open_fds(), time.monotonic()
    for i in range(runs):
        status = one()
        assert status == "PASS", f"run {i}: {status}"
    gc.collect()
    elapsed = time.monotonic() - started
    end_rss, end_fds = rss_kib(), open_fds()
    print(
        f"| {name} | {runs} | {start_rss / 1024:.1f} | {end_rss / 1024:.1f} | {(end_rss - start_rss) / 1024:+.1f} "
        f"| {start_fds} | {end_fds} | {1000 * elapsed / runs:.2f} |",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--memory", type=int, default=10_000, help="checks on the in-memory backend")
    parser.add_argument("--moto", type=int, default=1_000, help="checks against moto server")
    args = parser.parse_args()
    print("| backend | checks | RSS start MiB | RSS end MiB | change MiB | fds start | fds end | ms per check |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    if args.memory:
        soak("memory (`check_snapshot`)", args.memory, lambda: kmswatch.check_snapshot(str(EXAMPLE)).status)
    if args.moto:
        with moto_server() as endpoint:
            account = "240000000001"
            session = untyped("boto3").session.Session(
                aws_access_key_id=account, aws_secret_access_key="testing", region_name="us-east-1"
            )
            build_account(lambda s: session.client(s, endpoint_url=endpoint), account)
            os.environ.update(
                AWS_ACCESS_KEY_ID=account,
                AWS_SECRET_ACCESS_KEY="testing",
                AWS_REGION="us-east-1",
                AWS_EC2_METADATA_DISABLED="true",
            )
            soak("moto (`check`, AWS SDK)", args.moto, lambda: kmswatch.check(endpoint_url=endpoint).status)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
