#!/usr/bin/env python3
"""`kmswatch check` against a faulty moto server: how often is the verdict right?

For each fault mode, starts tests/moto/server.py with ``--faults MODE=RATE
--fault-seed SEED``, builds a compliant account and a broken one (alarm without
actions) with boto3 through fault-free keys, takes each account's fault-free report,
then runs ``kmswatch check --format json`` RUNS times per account with the account's
opted-in key (``<account>-faults``, so every request of the run may meet a fault) and
sorts each run:

- true: the fault-free status and gaps (plus, at most, gaps of severity ``error``
  that name a fact the run could not get);
- wrong: PASS or FAIL, but another status, or a gap lost or added (must never happen);
- error: ERROR or MANUAL (exit 3), or exit 3 without a report;
- hang: still running at the deadline (killed); with ``--kmswatch-timeout`` kmswatch
  ends the run itself, as ERROR, when its ``--timeout`` passes.

    cargo build -p kmswatch-cli
    python3 bench/faults_moto.py --runs 50

Prints a Markdown table (and ``--json FILE`` writes the figures). Exit status 1 if
any run gave a wrong verdict.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "python"))

from harness import kmswatch_binary, kmswatch_env, moto_server, untyped  # noqa: E402
from scenarios import Breakage, build_account  # noqa: E402

REGION = "us-east-1"
# The brief's per-request rates: a run of `check` makes about 8 requests.
DEFAULT_MODES = {
    "throttle": "throttle=0.3",
    "5xx": "5xx=0.1",
    "reset": "reset=0.1",
    "truncate": "truncate=0.1",
    "hang": "hang=0.01",
    "mixed": "throttle=0.3,5xx=0.1,reset=0.1,truncate=0.1,hang=0.01",
}
ACCOUNTS = {"compliant": ("210000000001", Breakage()), "broken": ("210000000002", Breakage(alarm_without_actions=True))}


@dataclass
class Outcome:
    """How the runs of one (mode, account) went."""

    counts: Counter[str] = field(default_factory=Counter)
    seconds: list[float] = field(default_factory=list)
    error_codes: Counter[str] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)


def run_check(
    binary: Path, endpoint: str, home: Path, key: str, deadline: float, timeout: float | None = None
) -> tuple[str, Any, float]:
    """One `kmswatch check` (with ``--timeout`` when given): (``done`` or
    ``hang``, its report or None, seconds)."""
    started = time.monotonic()
    extra = ["--timeout", f"{timeout:g}"] if timeout else []
    try:
        done = subprocess.run(
            [str(binary), "check", "--format", "json", "--endpoint-url", endpoint, *extra],
            env=kmswatch_env(home, key, "testing"),
            capture_output=True,
            text=True,
            timeout=deadline,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "hang", None, time.monotonic() - started
    report = json.loads(done.stdout) if done.stdout.strip() else None
    return "done", report, time.monotonic() - started


def gaps(report: Any) -> Counter[tuple[str, str]]:
    """Every gap of a report as (code, severity)."""
    found: Counter[tuple[str, str]] = Counter()
    if isinstance(report, dict):
        found.update((g["code"], g.get("severity", "")) for g in report.get("gaps", []) if isinstance(g, dict))
        for value in report.values():
            found += gaps(value)
    elif isinstance(report, list):
        for value in report:
            found += gaps(value)
    return found


def classify(ending: str, report: Any, baseline: Any) -> tuple[str, str]:
    """The kind of a run and, for a wrong one, how it differs from the baseline."""
    if ending == "hang":
        return "hang", ""
    if report is None or report["status"] in ("ERROR", "MANUAL"):
        return "error", ""
    if report["status"] != baseline["status"]:
        return "wrong", f"{report['status']} instead of {baseline['status']}"
    found, truth = gaps(report), gaps(baseline)
    # Gaps that say a fact is unknown may come on top of the true ones; nothing else.
    lost = truth - found
    added = Counter({gap: n for gap, n in (found - truth).items() if gap[1] != "error"})
    if lost or added:
        return "wrong", f"{report['status']} losing {sorted(lost)} adding {sorted(added)}"
    return "true", ""


def error_gaps(report: Any) -> list[str]:
    """The error-severity gaps of a report (each names a fact kmswatch could not get)."""
    if not isinstance(report, dict):
        return ["(no report)"]
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            found.extend(g["code"] for g in value.get("gaps", []) if isinstance(g, dict) and g.get("severity") == "error")
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(report)
    return found


def bench_mode(args: argparse.Namespace, binary: Path, spec: str) -> dict[str, Outcome]:
    server_args = ["--faults", spec, "--fault-seed", str(args.seed), "--fault-hang-seconds", str(args.hang_seconds)]
    outcomes: dict[str, Outcome] = {}
    with moto_server(server_args) as endpoint, tempfile.TemporaryDirectory() as home_dir:
        home = Path(home_dir)
        session_cls = untyped("boto3").session.Session
        for name, (account, broken) in ACCOUNTS.items():
            session = session_cls(aws_access_key_id=account, aws_secret_access_key="testing", region_name=REGION)
            build_account(lambda service: session.client(service, endpoint_url=endpoint), account, broken)
            ending, baseline, _ = run_check(binary, endpoint, home, account, args.deadline)
            assert ending == "done" and baseline is not None, f"fault-free check of {name} did not finish"
            outcome = Outcome()
            with ThreadPoolExecutor(args.jobs) as pool:
                runs = list(
                    pool.map(
                        lambda _: run_check(
                            binary, endpoint, home, f"{account}-faults", args.deadline, args.kmswatch_timeout
                        ),
                        range(args.runs),
                    )
                )
            for ending, report, seconds in runs:
                kind, difference = classify(ending, report, baseline)
                outcome.counts[kind] += 1
                if difference:
                    outcome.wrong.append(difference)
                if ending == "done":
                    outcome.seconds.append(seconds)
                if kind == "error":
                    outcome.error_codes.update(error_gaps(report))
            outcomes[name] = outcome
    return outcomes


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=50, help="runs per mode and account")
    parser.add_argument(
        "--modes",
        nargs="*",
        default=list(DEFAULT_MODES),
        help="named modes (default: all of them) or --faults specs such as reset=0.3",
    )
    parser.add_argument("--seed", type=int, default=7, help="--fault-seed of the servers")
    parser.add_argument("--deadline", type=float, default=30.0, help="seconds before a run counts as a hang")
    parser.add_argument("--hang-seconds", type=float, default=120.0, help="how long the server holds a hung request")
    parser.add_argument("--jobs", type=int, default=4, help="concurrent runs")
    parser.add_argument("--kmswatch-timeout", type=float, help="pass --timeout SECONDS to kmswatch check")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    binary = kmswatch_binary()
    if binary is None:
        raise SystemExit("no kmswatch binary: run `cargo build -p kmswatch-cli` or set KMSWATCH_BIN")
    print(f"kmswatch: {binary}; {args.runs} runs per mode and account; deadline {args.deadline:g} s\n")
    print("| mode (per-request rate) | account | true verdict | wrong | ERROR/MANUAL | hang | median s (finished runs) |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    figures: dict[str, Any] = {}
    wrong = 0
    for mode in args.modes:
        spec = DEFAULT_MODES.get(mode, mode)
        label = f"{mode} (`{spec}`)" if mode != spec else f"`{spec}`"
        for name, outcome in bench_mode(args, binary, spec).items():
            c = outcome.counts
            median = f"{statistics.median(outcome.seconds):.2f}" if outcome.seconds else "-"
            print(
                f"| {label} | {name} | {percent(c['true'], args.runs)} | {c['wrong']} "
                f"| {percent(c['error'], args.runs)} | {percent(c['hang'], args.runs)} | {median} |",
                flush=True,
            )
            wrong += c["wrong"]
            figures[f"{mode}/{name}"] = {
                "spec": spec,
                "counts": dict(c),
                "median_seconds": statistics.median(outcome.seconds) if outcome.seconds else None,
                "error_gaps": dict(outcome.error_codes.most_common(8)),
                "wrong": outcome.wrong,
            }
    print("\nError-severity gaps of the ERROR runs (the facts that could not be had):")
    for key, figure in figures.items():
        if figure["error_gaps"]:
            print(f"- {key}: {figure['error_gaps']}")
    for key, figure in figures.items():
        for difference in figure["wrong"]:
            print(f"WRONG {key}: {difference}")
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
