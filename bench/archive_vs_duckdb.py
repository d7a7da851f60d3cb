#!/usr/bin/env python3
"""`kmswatch pattern test` over a local CloudTrail archive against DuckDB running
the query `kmswatch pattern sql --dialect duckdb` writes, on the same files, on
the same machine, in the same run.

The archive is laid out as a trail delivers it to S3
(`AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz`, gzip
`{"Records":[…]}` objects) and is at least `--gb` GB of gzip objects. Records
come from bench/gen_cloudtrail.py; to keep generation to seconds, a pool of
`--pool` distinct objects is generated and copied under as many keys as the
size asks (every copy is a separate file that both engines read whole).

Each run times, in turns, so that load from other processes falls on both:
  kmswatch pattern test CIS DIR --recursive --format json   (matches: the summary's `matched`)
  DuckDB (Python module): the generated query over 'DIR/**/*.json.gz', every row fetched
Both use every core. The matches must be equal, or the script fails. Prints the
median wall time of each, the throughput in compressed MB/s, and the ratio.

    python3 bench/archive_vs_duckdb.py --dir /tmp/ct-archive --gb 1 --runs 3 [--keep]

KMSWATCH_BIN names the binary (default: $CARGO_TARGET_DIR/release/kmswatch).
The archive is deleted at the end unless --keep.
"""

import argparse
import gzip
import importlib.util
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CIS = ("{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || "
       "($.eventName = ScheduleKeyDeletion)) }")
ACCOUNTS = ["111122223333", "444455556666", "777788889999"]
REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"]


def generator():
    spec = importlib.util.spec_from_file_location("gen_cloudtrail", os.path.join(ROOT, "bench", "gen_cloudtrail.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pool_objects(count, records, seed):
    """`count` distinct gzip archive objects of `records` records each."""
    gen = generator()
    rng = random.Random(seed)
    weights = [w for (_, _, w, _) in gen.MIX]
    objects = []
    for _ in range(count):
        batch = []
        for _ in range(records):
            # Lifecycle calls a hundred times as often as gen_cloudtrail's mix,
            # so that every object has matches to compare.
            if rng.randrange(gen.LIFECYCLE_RATE // 100) == 0:
                source, name, read_only = "kms.amazonaws.com", rng.choice(["DisableKey", "ScheduleKeyDeletion"]), False
            else:
                source, name, _, read_only = rng.choices(gen.MIX, weights)[0]
            batch.append(gen.record(rng, source, name, read_only, rng.choice(ACCOUNTS)))
        # CloudTrail's own objects: compact JSON, gzip at the default level.
        objects.append(gzip.compress(json.dumps({"Records": batch}, separators=(",", ":")).encode(), 6))
    return objects


def generate(directory, gb, pool, records):
    objects = pool_objects(pool, records, seed=7)
    target = int(gb * 1e9)
    written = 0
    i = 0
    while written < target:
        account = ACCOUNTS[i % len(ACCOUNTS)]
        region = REGIONS[(i // len(ACCOUNTS)) % len(REGIONS)]
        day = i // (len(ACCOUNTS) * len(REGIONS))
        y, m, d = 2025 + day // 336, 1 + (day // 28) % 12, 1 + day % 28
        folder = os.path.join(directory, "AWSLogs", account, "CloudTrail", region, f"{y:04}", f"{m:02}", f"{d:02}")
        os.makedirs(folder, exist_ok=True)
        body = objects[i % len(objects)]
        name = f"{account}_CloudTrail_{region}_{y:04}{m:02}{d:02}T0000Z_{i:06}.json.gz"
        with open(os.path.join(folder, name), "wb") as f:
            f.write(body)
        written += len(body)
        i += 1
    return i, written


def archive_size(directory):
    files, size = 0, 0
    for root, _, names in os.walk(directory):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(root, name))
    return files, size


def run_kmswatch(binary, directory):
    start = time.perf_counter()
    done = subprocess.run([binary, "pattern", "test", CIS, directory, "--recursive", "--format", "json"],
                          capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"kmswatch failed ({done.returncode}): {done.stderr}")
    summary = json.loads(done.stdout.splitlines()[-1])
    if summary["errors"]:
        sys.exit(f"kmswatch could not read: {summary['errors'][:3]}")
    return elapsed, summary["matched"]


def run_duckdb(sql):
    import duckdb

    start = time.perf_counter()
    con = duckdb.connect()
    rows = con.execute(sql).fetchall()
    con.close()
    return time.perf_counter() - start, len(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", required=True, help="where the archive is generated (reused if present)")
    ap.add_argument("--gb", type=float, default=1.0, help="GB of gzip objects, at least")
    ap.add_argument("--pool", type=int, default=48, help="distinct objects")
    ap.add_argument("--records", type=int, default=2500, help="records per object")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the archive")
    args = ap.parse_args()
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    binary = os.environ.get("KMSWATCH_BIN", os.path.join(target, "release", "kmswatch"))
    if not os.path.isdir(args.dir):
        started = time.perf_counter()
        count, written = generate(args.dir, args.gb, args.pool, args.records)
        print(f"generated {count} objects, {written / 1e9:.2f} GB, in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
    files, size = archive_size(args.dir)
    sql = subprocess.run([binary, "pattern", "sql", CIS, "--dialect", "duckdb", "--source",
                          os.path.join(args.dir, "**", "*.json.gz")],
                         capture_output=True, text=True, check=True).stdout
    times = {"kmswatch": [], "duckdb": []}
    matches = {"kmswatch": set(), "duckdb": set()}
    for run in range(args.runs):
        for name in (["kmswatch", "duckdb"] if run % 2 == 0 else ["duckdb", "kmswatch"]):
            elapsed, matched = run_kmswatch(binary, args.dir) if name == "kmswatch" else run_duckdb(sql)
            times[name].append(elapsed)
            matches[name].add(matched)
            print(f"run {run + 1}: {name} {elapsed:.1f} s, {matched} matches", file=sys.stderr)
    if matches["kmswatch"] != matches["duckdb"] or len(matches["kmswatch"]) != 1:
        sys.exit(f"the matches differ: {matches}")
    print(f"archive: {files} objects, {size / 1e6:,.0f} MB of gzip; matches: {matches['kmswatch'].pop()}")
    print("| engine | median (min – max) | compressed MB/s |")
    print("| --- | ---: | ---: |")
    medians = {}
    for name, label in (("kmswatch", "`kmswatch pattern test -r`"), ("duckdb", "DuckDB, `pattern sql --dialect duckdb`")):
        medians[name] = statistics.median(times[name])
        print(f"| {label} | {medians[name]:.1f} s ({min(times[name]):.1f} – {max(times[name]):.1f}) "
              f"| {size / 1e6 / medians[name]:.0f} |")
    print(f"ratio (DuckDB median / kmswatch median): {medians['duckdb'] / medians['kmswatch']:.2f}×")
    if not args.keep:
        shutil.rmtree(args.dir)


if __name__ == "__main__":
    main()
