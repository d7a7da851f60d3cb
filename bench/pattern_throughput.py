#!/usr/bin/env python3
"""Whole-process throughput of `kmswatch pattern test` on generated CloudTrail lines.

Generates (once, cached in bench/out/) 1,000,000 realistic CloudTrail lines with
bench/gen_cloudtrail.py — a mixed trail and one without any KMS event — builds the
release binary, then times `kmswatch pattern test CIS FILE > /dev/null` several
times and prints the median events/s and MB/s, next to `cat FILE > /dev/null` as
the I/O floor.

    python3 bench/pattern_throughput.py [--lines 1000000] [--runs 5]

CARGO_TARGET_DIR is honoured (default: target/).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
CIS = ("{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || "
       "($.eventName = ScheduleKeyDeletion)) }")


def generate(path, lines, extra):
    if os.path.exists(path):
        return
    print(f"generating {path} ...", file=sys.stderr)
    with open(path + ".tmp", "w") as f:
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_cloudtrail.py"),
                        "--count", str(lines), "--seed", "7", *extra], stdout=f, check=True)
    os.rename(path + ".tmp", path)


def timed(cmd, stdout=subprocess.DEVNULL):
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=stdout)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"{cmd} exited {proc.returncode}")
    return elapsed, proc.returncode


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    subprocess.run(["cargo", "build", "--release", "-p", "kmswatch-cli", "--no-default-features"],
                   cwd=ROOT, check=True)
    binary = os.path.join(target, "release", "kmswatch")
    datasets = [("mixed", os.path.join(OUT, f"cloudtrail_mixed_{args.lines}.jsonl"), []),
                ("no_kms", os.path.join(OUT, f"cloudtrail_no_kms_{args.lines}.jsonl"), ["--no-kms"])]
    print(f"{'data':8} {'command':22} {'median s':>9} {'events/s':>12} {'MB/s':>8}  matched")
    for label, path, extra in datasets:
        generate(path, args.lines, extra)
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            lines = sum(1 for _ in f)
        matched = subprocess.run([binary, "pattern", "test", CIS, path], capture_output=True).stdout.count(b"\n")
        for name, cmd in [("cat", ["cat", path]), ("kmswatch pattern test", [binary, "pattern", "test", CIS, path])]:
            times = [timed(cmd)[0] for _ in range(args.runs)]
            med = statistics.median(times)
            print(f"{label:8} {name:22} {med:9.3f} {lines / med:12,.0f} {size / med / 1e6:8.0f}  "
                  f"{matched if name != 'cat' else '-'}  (runs: {', '.join(f'{t:.3f}' for t in times)}; "
                  f"{lines:,} lines, {size / 1e6:.0f} MB)")


if __name__ == "__main__":
    main()
