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
import tempfile
from pathlib import Path

# The platform a release wheel must install on, by libc: (family, major, minor).
REQUIRED = {"manylinux": (2, 17), "musllinux": (1, 2)}
# zig links a musl extension against `libc.so` where auditwheel's musllinux
# policy lists Alpine's file name `libc.musl-x86_64.so.1`. musl's dynamic loader
# resolves every `libc.*` (and libm, libpthread, libdl, librt...) to itself, so
# both names load the same libc on any musl system; auditwheel, which does not
# know this, then calls the wheel plain `linux`. For musl wheels `libc.so` is
# therefore the one library allowed, and the rest of the report must be clean.
MUSL_LIBC = "libc.so"
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
    with tempfile.TemporaryDirectory() as empty:
        command = ["auditwheel", "show", "--json", str(wheel)]
        if family == "musllinux":
            # On a glibc host the default search path finds glibc's `libc.so`, a
            # linker script, for the wheel's `libc.so`: search an empty directory.
            command[2:2] = ["--ldpaths", empty]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return problems + [f"auditwheel show failed: {done.stderr.strip() or done.stdout.strip()}"]
    report = json.loads(done.stdout)
    if "error" in report:
        return problems + [f"auditwheel: {report['error']}"]
    external = set(report["external_libs"])
    if family == "musllinux" and external == {MUSL_LIBC} and report["overall_tag"] == f"linux_{arch}":
        external = set()
        report["overall_tag"] = f"{family}_{major}_{minor}_{arch}"
        if report["versioned_symbols"]:
            problems.append(f"versioned symbols in a musl wheel: {report['versioned_symbols']}")
    best = parse_tag(report["overall_tag"])
    if best[0] != family or best[3] != arch:
        problems.append(f"auditwheel sees {report['overall_tag']}, the name says {family} {arch}")
    elif (best[1], best[2]) > (major, minor):
        problems.append(
            f"needs {report['overall_tag']} (symbols {report['versioned_symbols']}),"
            f" newer than the {family}_{major}_{minor} of its name"
        )
    if external:
        problems.append(f"undeclared external libraries: {sorted(external)}")
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
