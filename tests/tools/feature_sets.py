#!/usr/bin/env python3
"""Fails when the AWS SDK would be compiled twice in one run of the test
command and CI.

`cargo test --workspace` (tests/run.sh) compiles the AWS SDK with the features
that every member and dev-dependency asks for together. The test wheel
(`kmswatch-py --features conformance`), the sdist's build and the packaged
crates of `cargo publish --dry-run` (dist/check.sh) ask for them each on its
own, without the dev-dependencies. Where one feature of one crate under the
SDK differs, every `aws-*` crate above it gets another hash and is compiled
again: minutes of two cores and gigabytes of disk (a dev-dependency turning
on `either/use_std` did that once). This compares, for every crate that an `aws-*` crate depends on,
the features of the tests' build with each of the others', and names the
differences and who asks for them.

Usage: feature_sets.py [ROOT]   (ROOT: the repository, default: two levels up)
"""
from __future__ import annotations

import os
import re
import subprocess
import sys

# `cargo test` in tests/run.sh: every member but the benchmarks.
TESTS = ["--workspace", "--exclude", "kmswatch-benches"]
# The builds after it that link the AWS SDK in the same profile and target dir.
REUSERS = {
    # maturin's `cargo rustc` (tests/run.sh), and the sdist's build (dist/verify.sh).
    "the test wheel and the sdist": ["-p", "kmswatch-py", "--features", "conformance"],
    # `cargo publish --dry-run --all-features` (dist/check.sh) verifies each
    # packaged crate on its own.
    "the packaged kmswatch-core": ["-p", "kmswatch-core", "--all-features"],
    "the packaged kmswatch-cli": ["-p", "kmswatch-cli", "--all-features"],
}
LINE = re.compile(r"^(\d+)(\S+) (v\S+)(?: \([^)]*\))? \[([^\]]*)\]")


def sdk_features(root: str, selection: list[str]) -> dict[str, set[str]]:
    """Package (name and version) -> features, for the crates under `aws-*` ones."""
    command = ["cargo", "tree", "--locked", "--no-dedupe", "--prefix", "depth", "-f", "{p} [{f}]", *selection]
    run = subprocess.run(command, cwd=root, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"feature sets: `{' '.join(command)}` failed:\n{run.stderr.strip()}")
    found: dict[str, set[str]] = {}
    sdk_depth: int | None = None
    for line in run.stdout.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        depth, name, version, features = int(m[1]), m[2], m[3], m[4]
        if sdk_depth is not None and depth <= sdk_depth:
            sdk_depth = None
        if sdk_depth is None and name.startswith("aws-"):
            sdk_depth = depth
        if sdk_depth is not None:
            found[f"{name} {version}"] = set(filter(None, features.split(",")))
    return found


def main() -> int:
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    tests = sdk_features(root, TESTS)
    failed = False
    for build, selection in REUSERS.items():
        other = sdk_features(root, [*selection, "-e", "normal,build"])
        if not other:
            print(f"feature sets: {build} has no aws-* crate; is the AWS SDK still its backend?")
            failed = True
        for package in sorted(p for p in other if tests.get(p) != other[p]):
            name = package.split()[0]
            extra = sorted(tests.get(package, set()) - other[package])
            missing = sorted(other[package] - tests.get(package, set()))
            print(f"feature sets: {package}: the tests' build has {extra or 'nothing'} more and"
                  f" {missing or 'nothing'} less than {build}; `cargo tree --workspace -e features -i {name}`"
                  " shows who asks")
            failed = True
    if failed:
        print("feature sets: the AWS SDK would be compiled again after the tests")
        return 1
    print(f"feature sets: ok ({len(tests)} crates under the AWS SDK, the same features in the tests'"
          f" build as in {', '.join(REUSERS)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
