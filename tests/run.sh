#!/usr/bin/env bash
# The one test command (see README.md): every Rust test of the workspace, then
# the Python tests. The moto-backed tests start their own moto server unless
# KMSWATCH_MOTO_ENDPOINT names a running one (.ci/run starts one).
set -euo pipefail
cd "$(dirname "$0")/.."

# The core must build without the AWS SDK (embedders that bring their own inventory).
cargo check --quiet -p kmswatch-core --no-default-features
cargo test --workspace

if [ -d tests/python ] && ls tests/python/test_*.py >/dev/null 2>&1; then
    python3 -m pytest -q tests/python
fi
