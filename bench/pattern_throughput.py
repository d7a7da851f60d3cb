#!/usr/bin/env python3
"""Whole-process throughput of `kmswatch pattern test` on generated CloudTrail lines.

Generates (once, cached in bench/out/) 1,000,000 realistic CloudTrail lines with
bench/gen_cloudtrail.py — a mixed trail and one without any KMS event — builds the
release binary, then times `kmswatch pattern test CIS FILE > /dev/null` on one
thread and on every core several times and prints the median events/s and MB/s,
next to `cat FILE > /dev/null` as the I/O floor and GNU grep's literal scan
`grep -F -c kms.amazonaws.com FILE` as the baseline (the ratio column is MB/s
over grep's). The commands take turns within each run, so that load from other
processes falls on all of them alike.

grep's standard output is a pipe, not /dev/null: GNU grep notices /dev/null and
stops at the first match, which would not be a scan of the file. With `-c` it
reads every line and prints one number, so its output costs nothing.

The *archives* data set is the mixed trail as a trail delivers it to S3: 200
gzip-compressed CloudTrail archive files (`{"Records":[…]}`, 5,000 records
each) in one directory tree, read with `--recursive`; its floor is
`zcat FILES > /dev/null` (decompression alone). grep is no baseline there: each
archive is one 5 MB line, and GNU grep takes minutes over such lines.

    python3 bench/pattern_throughput.py [--lines 1000000] [--runs 5]

CARGO_TARGET_DIR is honoured (default: target/).
"""

import argparse
import glob
import gzip
import json
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


def archives(source, directory, per_file=5000):
    """The lines of `source` as gzip-compressed CloudTrail archives under `directory`."""
    if os.path.isdir(directory):
        return
    print(f"generating {directory} ...", file=sys.stderr)
    tmp = directory + ".tmp"
    os.makedirs(tmp, exist_ok=True)
    records, index = [], 0

    def flush():
        nonlocal records, index
        day = os.path.join(tmp, f"{index // 50:02d}")
        os.makedirs(day, exist_ok=True)
        with gzip.open(os.path.join(day, f"123456789012_CloudTrail_{index:04d}.json.gz"), "wt",
                       compresslevel=6) as f:
            json.dump({"Records": records}, f, separators=(",", ":"))
        records, index = [], index + 1

    with open(source) as f:
        for line in f:
            records.append(json.loads(line))
            if len(records) == per_file:
                flush()
    if records:
        flush()
    os.rename(tmp, directory)


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
    print(f"cores: {os.cpu_count()}; load average before: {os.getloadavg()[0]:.2f}")
    print(f"{'data':8} {'command':30} {'median s':>9} {'events/s':>12} {'MB/s':>8} {'x grep':>7}  matched")
    for label, path, extra in datasets:
        generate(path, args.lines, extra)
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            lines = sum(1 for _ in f)
        matched = subprocess.run([binary, "pattern", "test", CIS, path], capture_output=True).stdout.count(b"\n")
        commands = [
            ("cat", ["cat", path], subprocess.DEVNULL),
            ("grep -F -c (pipe)", ["grep", "-F", "-c", "kms.amazonaws.com", path], subprocess.PIPE),
            ("kmswatch pattern test -t1", [binary, "pattern", "test", CIS, path, "--threads", "1"],
             subprocess.DEVNULL),
            ("kmswatch pattern test", [binary, "pattern", "test", CIS, path], subprocess.DEVNULL),
        ]
        times = {name: [] for name, _, _ in commands}
        for _ in range(args.runs):
            for name, cmd, out in commands:
                times[name].append(timed(cmd, out)[0])
        grep = statistics.median(times["grep -F -c (pipe)"])
        for name, _, _ in commands:
            med = statistics.median(times[name])
            print(f"{label:8} {name:30} {med:9.3f} {lines / med:12,.0f} {size / med / 1e6:8.0f} {grep / med:7.2f}  "
                  f"{matched if name.startswith('kmswatch') else '-'}  "
                  f"(runs: {', '.join(f'{t:.3f}' for t in times[name])}; {lines:,} lines, {size / 1e6:.0f} MB)")
    bench_archives(binary, datasets[0][1], args.runs)


def bench_archives(binary, mixed, runs):
    directory = os.path.join(OUT, "archives_mixed")
    archives(mixed, directory)
    files = sorted(glob.glob(os.path.join(directory, "*", "*.json.gz")))
    size = sum(os.path.getsize(f) for f in files)
    commands = [
        ("zcat > /dev/null", ["zcat", *files]),
        ("kmswatch pattern test -r -t1", [binary, "pattern", "test", CIS, "-r", directory, "--threads", "1"]),
        ("kmswatch pattern test -r", [binary, "pattern", "test", CIS, "-r", directory]),
    ]
    times = {name: [] for name, _ in commands}
    for _ in range(runs):
        for name, cmd in commands:
            times[name].append(timed(cmd)[0])
    base = statistics.median(times["zcat > /dev/null"])
    for name, _ in commands:
        med = statistics.median(times[name])
        print(f"{'archives':8} {name:30} {med:9.3f} {1_000_000 / med:12,.0f} {size / med / 1e6:8.0f} {base / med:7.2f}  "
              f"(runs: {', '.join(f'{t:.3f}' for t in times[name])}; {len(files)} files, "
              f"{size / 1e6:.0f} MB compressed; MB/s of compressed input; ratio: zcat's time over this one)")


if __name__ == "__main__":
    main()
