#!/usr/bin/env bash
# The one test command (see README.md), on a fresh machine too: installs the
# Python test requirements, starts moto server unless KMSWATCH_MOTO_ENDPOINT
# names a running one (.ci/run starts one), runs every Rust test of the
# workspace, the import-cycle check and the C ABI tests (C under valgrind, Go;
# they install valgrind and golang-go with apt-get when missing), then builds
# the Python package as a wheel (debug profile), installs it into the current
# python3 and tests it with pytest and mypy --strict; last, the release
# artifacts CI checks (dist/check.sh: the crates, the release workflow, the
# manylinux2014 x86_64 wheel and the sdist; KMSWATCH_SKIP_DIST=1 skips them for
# a quicker local run). Needs a Rust toolchain and python3 with pip.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check \
    -r tests/moto/requirements.txt -r tests/python-requirements.txt
# shellcheck source=tests/moto/start.sh
source tests/moto/start.sh

# The core must build without the AWS SDK (embedders that bring their own inventory).
cargo check --quiet -p kmswatch-core --no-default-features
cargo test --workspace
python3 tests/tools/import_cycles.py
KMSWATCH_CLI="$(pwd)/target/debug/kmswatch" bash kmswatch-ffi/tests/run.sh

wheels="$(mktemp -d)"
trap 'rm -rf "$wheels"; moto_stop' EXIT
# The test wheel carries the backend conformance suite (released wheels do not).
(cd kmswatch-py && maturin build --quiet --profile dev --features conformance --out "$wheels")
python3 -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheels"/kmswatch-*.whl
python3 -m pytest -q tests/python
python3 -m mypy --strict tests/python kmswatch-py/python/kmswatch
if [ "${KMSWATCH_SKIP_DIST:-}" != "1" ]; then
    bash dist/check.sh
fi
