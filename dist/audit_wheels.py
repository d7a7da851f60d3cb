"""Checks Linux wheels with `auditwheel show --json`: each wheel's filename
claims manylinux2014 (= manylinux_2_17) or musllinux_1_2, and auditwheel agrees
that its shared objects need no newer glibc/musl symbols and no shared library
outside the policy (libc, libm, libgcc_s, ...).

Usage: python3 dist/audit_wheels.py WHEEL...   (exit 1 on the first failure)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

# The platform a release wheel must install on, by libc: (family, major, minor).
REQUIRED = {"manylinux": (2, 17), "musllinux": (1, 2)}
TAG = re.compile(r"^(manylinux|musllinux)_(\d+)_(\d+)_(\w+)$")


def parse_tag(tag: str) -> tuple[str, int, int, str]:
    found = TAG.match(tag)
    if not found:
        raise ValueError(f"not a manylinux/musllinux tag: {tag!r}")
    family, major, minor, arch = found.groups()
    return family, int(major), int(minor), arch


def claimed_tag(wheel: Path) -> tuple[str, int, int, str]:
    """The filename's PEP 600 tag (`manylinux2014_x86_64` is also spelt
    `manylinux_2_17_x86_64` in the name maturin writes)."""
    platforms = wheel.name[: -len(".whl")].split("-")[-1].split(".")
    modern = [parse_tag(p) for p in platforms if TAG.match(p)]
    if len(modern) != 1:
        raise ValueError(f"{wheel.name}: expected one manylinux_X_Y or musllinux_X_Y tag, got {platforms}")
    return modern[0]


def audit(wheel: Path) -> list[str]:
    """The problems found in `wheel` (empty when it is good)."""
    family, major, minor, arch = claimed_tag(wheel)
    problems = []
    if (major, minor) != REQUIRED[family]:
        want = "%s_%d_%d" % (family, *REQUIRED[family])
        problems.append(f"tagged {family}_{major}_{minor}, release wheels are {want}")
    done = subprocess.run(
        ["auditwheel", "show", "--json", str(wheel)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return problems + [f"auditwheel show failed: {done.stderr.strip() or done.stdout.strip()}"]
    report = json.loads(done.stdout)
    if "error" in report:
        return problems + [f"auditwheel: {report['error']}"]
    best = parse_tag(report["overall_tag"])
    if best[0] != family or best[3] != arch:
        problems.append(f"auditwheel sees {report['overall_tag']}, the name says {family} {arch}")
    elif (best[1], best[2]) > (major, minor):
        problems.append(
            f"needs {report['overall_tag']} (symbols {report['versioned_symbols']}),"
            f" newer than the {family}_{major}_{minor} of its name"
        )
    if report["external_libs"]:
        problems.append(f"undeclared external libraries: {sorted(report['external_libs'])}")
    for flag in ("pyfpe", "ucs2", "unsupported_isa"):
        if report[flag]:
            problems.append(f"auditwheel flags {flag}")
    return problems


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    failed = False
    for name in argv:
        wheel = Path(name)
        problems = audit(wheel)
        for problem in problems:
            print(f"FAIL {wheel.name}: {problem}", file=sys.stderr)
        if not problems:
            print(f"ok   {wheel.name}")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
