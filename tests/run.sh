#!/usr/bin/env bash
# The one test command (see README.md): every Rust test of the workspace, then
# the Python package built as a wheel (debug profile), installed into the
# current python3 and tested with pytest and mypy --strict. The moto-backed tests
# start their own moto server unless KMSWATCH_MOTO_ENDPOINT names a running one
# (.ci/run starts one). Needs: pip install -r tests/moto/requirements.txt -r tests/python-requirements.txt
set -euo pipefail
cd "$(dirname "$0")/.."

# The core must build without the AWS SDK (embedders that bring their own inventory).
cargo check --quiet -p kmswatch-core --no-default-features
cargo test --workspace

wheels="$(mktemp -d)"
trap 'rm -rf "$wheels"' EXIT
(cd kmswatch-py && maturin build --quiet --profile dev --out "$wheels")
python3 -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheels"/kmswatch-*.whl
python3 -m pytest -q tests/python
python3 -m mypy --strict tests/python kmswatch-py/python/kmswatch
