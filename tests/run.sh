#!/usr/bin/env bash
# The one test command (see README.md), on a fresh machine too: installs the
# Python test requirements, starts moto server unless KMSWATCH_MOTO_ENDPOINT
# names a running one (.ci/run starts one), then:
#   1. every Rust test of the workspace (unit, integration, doc tests), built
#      once in the dev profile (the criterion benchmarks are only checked to
#      compile: see bench/criterion/Cargo.toml);
#   2. the layer check (layers.toml: no module imports a higher layer), the
#      import-cycle check, and the feature-set check (the test wheel, the
#      sdist and the packaged crates reuse step 1's AWS SDK);
#   3. the C ABI tests (C under valgrind and static, Go; they install
#      valgrind and golang-go with apt-get when missing) on a release build of
#      libkmswatch, without the AWS SDK; the C ABI's Rust tests ran in step 1;
#   4. the Python package as a wheel (dev profile, reusing step 1's
#      dependencies), installed into the current python3 and tested with
#      pytest and mypy --strict.
# Ends with the time of each stage. The release artifacts (dist/check.sh) are
# CI's (.ci/run), not this command's. Needs a Rust toolchain and python3 with pip.
set -euo pipefail
cd "$(dirname "$0")/.."

timings=()
# stage NAME COMMAND...: runs one stage and records how long it took, and the
# disk space left after it (the builds need several gigabytes).
stage() {
    local name="$1" start=$SECONDS
    shift
    echo "== $name"
    "$@"
    timings+=("$(printf '%-16s %5d s   %s free' "$name" $((SECONDS - start)) "$(df -Ph . | awk 'NR == 2 { print $4 }')")")
}

stage requirements python3 -m pip install --quiet --disable-pip-version-check \
    -r tests/moto/requirements.txt -r tests/python-requirements.txt
# shellcheck source=tests/moto/start.sh
source tests/moto/start.sh

wheels="$(mktemp -d)"
trap 'rm -rf "$wheels"; moto_stop' EXIT

stage rust bash -c 'cargo test --workspace --exclude kmswatch-benches && cargo check --quiet -p kmswatch-benches --benches'
stage layers bash -c 'python3 tests/tools/layers.py && python3 tests/tools/import_cycles.py && python3 tests/tools/feature_sets.py'
stage c-abi env KMSWATCH_CLI="$(pwd)/target/debug/kmswatch" KMSWATCH_FFI_RUST_TESTS_DONE=1 \
    bash kmswatch-ffi/tests/run.sh
# The test wheel carries the backend conformance suite (released wheels do not).
stage wheel bash -c "cd kmswatch-py && maturin build --quiet --profile dev --features conformance --out '$wheels'"
stage install bash -c "python3 -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps '$wheels'/kmswatch-*.whl"
# The binary step 1 built: without KMSWATCH_BIN a test would `cargo run` it,
# compiling the CLI once more with other features.
stage pytest env KMSWATCH_BIN="$(pwd)/target/debug/kmswatch" python3 -m pytest -q -n 4 tests/python
stage mypy python3 -m mypy --strict tests/python kmswatch-py/python/kmswatch

echo "== time per stage"
printf '%s\n' "${timings[@]}"
