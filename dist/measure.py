"""Measures the release artifacts in dist/out/ for BENCHMARKS.md: the size of
each artifact, the time `pip install` takes for the manylinux2014 x86_64 wheel
in a fresh virtual environment (--no-index, median of --runs), and the time to
install from the sdist (a cold Rust build at `nice -n 19`: no CARGO_TARGET_DIR,
pip's own build directory) for comparison.

Usage: python3 dist/measure.py [--runs 5] [--no-source]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "dist" / "out"


def venv(where: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    return where / "bin" / "python"


def timed_install(args: list[str], env: dict[str, str] | None = None, nice: bool = False) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        python = venv(Path(tmp) / "venv")
        command = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args]
        if nice:  # a Rust build on a shared machine
            command = ["nice", "-n", "19", *command]
        start = time.perf_counter()
        subprocess.run(command, check=True, env=env)
        elapsed = time.perf_counter() - start
        check = "import kmswatch; assert kmswatch.check_snapshot(%r).status == 'PASS'" % str(
            REPO / "examples" / "compliant.json"
        )
        subprocess.run([str(python), "-c", check], check=True)
        return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-source", action="store_true", help="skip the install from the sdist")
    args = parser.parse_args()

    artifacts = sorted(p for p in OUT.iterdir() if p.suffix in {".whl", ".gz"} or "-linux-musl" in p.name)
    print("| artifact | bytes | MB |\n| --- | ---: | ---: |")
    for path in artifacts:
        size = path.stat().st_size
        print(f"| `{path.name}` | {size:,} | {size / 1e6:.1f} |")

    (wheel,) = OUT.glob("kmswatch-*-cp39-abi3-*manylinux2014_x86_64*.whl")
    (sdist,) = OUT.glob("kmswatch-*.tar.gz")
    print(f"\nload average before: {os.getloadavg()}")
    wheel_args = ["--no-index", "--only-binary=:all:", "--find-links", str(OUT), "kmswatch"]
    times = [timed_install(wheel_args) for _ in range(args.runs)]
    print(
        f"pip install of {wheel.name}: median {statistics.median(times):.2f} s"
        f" (min {min(times):.2f}, max {max(times):.2f}, {args.runs} runs)"
    )
    if not args.no_source:
        env = {k: v for k, v in os.environ.items() if k != "CARGO_TARGET_DIR"}
        print(f"load average before: {os.getloadavg()}")
        elapsed = timed_install(["--no-cache-dir", str(sdist)], env=env, nice=True)
        print(f"pip install of {sdist.name} (from source): {elapsed:.1f} s")
        print(f"load average after: {os.getloadavg()}")
        print(f"ratio: {elapsed / statistics.median(times):.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
