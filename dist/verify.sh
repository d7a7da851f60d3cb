#!/usr/bin/env bash
# Checks the release artifacts in dist/out/ (those that are there; at least one
# wheel must be):
#   - every Linux wheel: dist/audit_wheels.py (auditwheel show: manylinux2014 or
#     musllinux_1_2, no undeclared external library);
#   - the manylinux x86_64 wheel: installs into a fresh virtual environment with
#     `pip install --no-index --only-binary=:all:` (no compiler, no sdist), is the
#     kmswatch that Python imports there, and passes the smoke tests of
#     tests/python (`-m smoke`) and tests/python/test_version.py;
#   - the sdist (KMSWATCH_DIST_BUILD_SDIST=1): `pip wheel` builds it from source
#     (Rust toolchain and C compiler, maturin from PyPI), in the dev profile;
#   - the static binary: `ldd` calls it static, and it runs
#     `kmswatch check --snapshot examples/compliant.json` (PASS) and `--version`.
# The smoke tests' own tools (pytest, moto, boto3) are the system's, or come
# from PyPI, in a second venv.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
out="$repo/dist/out"
python="${PYTHON:-python3}"

version="$(cargo metadata --no-deps --format-version 1 \
    | "$python" -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "kmswatch-cli"))')"
# The wheel's file name spells a pre-release the PEP 440 way (1.0.0-rc.1 -> 1.0.0rc1).
py_version="$("$python" -c 'import sys; from packaging.version import Version; print(Version(sys.argv[1]))' "$version")"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
shopt -s nullglob

linux_wheels=("$out"/kmswatch-"$py_version"-*linux*.whl)
if [ ${#linux_wheels[@]} -eq 0 ]; then
    echo "dist/verify.sh: no Linux wheel of kmswatch $py_version in $out" >&2
    exit 1
fi

echo "== auditwheel"
"$python" dist/audit_wheels.py "${linux_wheels[@]}"

# A plain path, not a pattern: nullglob would keep it even when it is absent.
bin="$out/kmswatch-$version-x86_64-unknown-linux-musl"
if [ -f "$bin" ]; then
    echo "== static binary: ${bin##*/} ($(stat -c %s "$bin") bytes)"
    ldd_out="$(ldd "$bin" 2>&1 || true)"
    case "$ldd_out" in
        *"not a dynamic executable"* | *"statically linked"*) echo "ldd: $ldd_out" ;;
        *) echo "dist/verify.sh: $bin is dynamically linked: $ldd_out" >&2; exit 1 ;;
    esac
    if readelf -S "$bin" | grep -q '\.symtab'; then
        echo "dist/verify.sh: $bin is not stripped" >&2
        exit 1
    fi
    [ "$("$bin" --version)" = "kmswatch $version" ]
    status=0
    "$bin" check --snapshot examples/compliant.json >"$work/check.out" || status=$?
    if [ "$status" -ne 0 ] || ! grep -q PASS "$work/check.out"; then
        echo "dist/verify.sh: kmswatch check --snapshot examples/compliant.json exited $status:" >&2
        cat "$work/check.out" >&2
        exit 1
    fi
    echo "kmswatch check --snapshot examples/compliant.json: PASS"
    # tests/python/test_version.py compares this binary's --version.
    export KMSWATCH_BIN="${KMSWATCH_BIN:-$bin}"
fi

manylinux_x86=("$out"/kmswatch-"$py_version"-cp39-abi3-*manylinux2014_x86_64*.whl)
if [ ${#manylinux_x86[@]} -eq 1 ] && [ "$(uname -m)" = x86_64 ]; then
    echo "== fresh virtual environment: ${manylinux_x86[0]##*/}"
    "$python" -m venv "$work/venv"
    venv_py="$work/venv/bin/python"
    start=$(date +%s%N)
    "$venv_py" -m pip install --quiet --disable-pip-version-check \
        --no-index --only-binary=:all: --find-links "$out" "kmswatch==$py_version"
    end=$(date +%s%N)
    echo "pip install --no-index of the wheel: $(( (end - start) / 1000000 )) ms"
    "$venv_py" - "$work/venv" <<'EOF'
import sys
from pathlib import Path

import kmswatch
import kmswatch._kmswatch as native

venv = Path(sys.argv[1]).resolve()
for module in (kmswatch, native):
    where = Path(module.__file__).resolve()
    assert venv in where.parents, f"{module.__name__} imported from {where}, not from {venv}"
report = kmswatch.check_snapshot("examples/compliant.json")
assert report.status == "PASS", report.to_json()
print(f"kmswatch {kmswatch.__version__} from {Path(native.__file__).name}: compliant.json {report.status}")
EOF
    # The tests run in a second fresh venv that also sees the system's packages,
    # so that the test tools (pytest, moto, boto3) installed for the workspace's
    # tests serve here too; the wheel goes into the venv, ahead of any kmswatch
    # installed in the system.
    "$python" -m venv --system-site-packages "$work/test-venv"
    test_py="$work/test-venv/bin/python"
    "$test_py" -m pip install --quiet --disable-pip-version-check --ignore-installed \
        --no-index --only-binary=:all: --find-links "$out" "kmswatch==$py_version"
    "$test_py" -m pip install --quiet --disable-pip-version-check \
        -r tests/moto/requirements.txt pytest
    "$test_py" - "$work/test-venv" <<'EOF'
import sys
from pathlib import Path

import kmswatch._kmswatch as native

assert Path(sys.argv[1]).resolve() in Path(native.__file__).resolve().parents, native.__file__
EOF
    # -p no:cacheprovider: leave no .pytest_cache in the checkout.
    "$test_py" -m pytest -q -p no:cacheprovider -m smoke tests/python
    "$test_py" -m pytest -q -p no:cacheprovider tests/python/test_version.py
elif [ ${#manylinux_x86[@]} -ne 1 ]; then
    echo "dist/verify.sh: expected one manylinux2014 x86_64 wheel in $out" >&2
    exit 1
fi

sdist="$out/kmswatch-$py_version.tar.gz"
if [ "${KMSWATCH_DIST_BUILD_SDIST:-0}" = 1 ]; then
    if [ ! -f "$sdist" ]; then
        echo "dist/verify.sh: no sdist kmswatch-$py_version.tar.gz in $out" >&2
        exit 1
    fi
    echo "== sdist builds: ${sdist##*/}"
    # What this proves is that the sdist holds everything a build needs; the
    # dev profile and the test wheel's features (`conformance`) reuse the AWS
    # SDK crates the test command compiled (same target dir, same features:
    # tests/tools/feature_sets.py), where the wheel profile, or the default
    # features without `s3`, would compile them all once more (about 2
    # minutes on two cores).
    MATURIN_PEP517_ARGS="--profile dev --features conformance" \
        nice -n 19 "$python" -m pip wheel --quiet --disable-pip-version-check --no-deps \
        --wheel-dir "$work/from-sdist" "$sdist"
    built=("$work"/from-sdist/kmswatch-"$py_version"-cp39-abi3-*.whl)
    [ ${#built[@]} -eq 1 ] || { echo "the sdist built no abi3 wheel" >&2; exit 1; }
    echo "built ${built[0]##*/}"
fi

echo "dist/verify.sh: ok"
