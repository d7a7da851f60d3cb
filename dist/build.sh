#!/usr/bin/env bash
# Builds the release artifacts of kmswatch into dist/out/:
#   - abi3 wheels (CPython >= 3.9) for manylinux2014 x86_64 and aarch64 and
#     musllinux_1_2 x86_64, cross-built with maturin and zig;
#   - the sdist;
#   - a static, stripped `kmswatch` binary for x86_64 Linux (musl);
#   - SHA256SUMS and SIZES (bytes of each artifact).
# then checks them with dist/verify.sh.
#
# Usage: bash dist/build.sh [ARTIFACT...]
#   ARTIFACT: wheel-x86_64 wheel-aarch64 wheel-musl-x86_64 sdist cli-musl
#   (default: all of them). KMSWATCH_DIST_NO_VERIFY=1 skips dist/verify.sh.
#
# Needs: a Rust toolchain (rustup, to add the musl and aarch64 targets), python3
# with pip (installs the pinned dist/requirements.txt: maturin, ziglang,
# cargo-zigbuild, auditwheel). No C cross compiler, no Docker: zig compiles the C
# code (aws-lc, the TLS stack's cryptography) for each target and links against
# glibc 2.17 (manylinux2014) or musl.
#
# Every build uses the workspace's `wheel` profile (root Cargo.toml): release
# settings without LTO, stripped, the AWS SDK at opt-level 0 and the pattern engine
# and kmswatch's own code at opt-level 3. The target dir is kept between runs
# (CARGO_TARGET_DIR, default target/): each target compiles once.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
out="$repo/dist/out"
all=(wheel-x86_64 wheel-aarch64 wheel-musl-x86_64 sdist cli-musl)
wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=("${all[@]}")

for artifact in "${wanted[@]}"; do
    case " ${all[*]} " in
        *" $artifact "*) ;;
        *) echo "dist/build.sh: unknown artifact '$artifact' (known: ${all[*]})" >&2; exit 2 ;;
    esac
done

python3 -m pip install --quiet --disable-pip-version-check -r dist/requirements.txt

version="$(cargo metadata --no-deps --format-version 1 \
    | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "kmswatch-cli"))')"
mkdir -p "$out"
echo "kmswatch $version -> $out"

build() { nice -n 19 "$@"; }

# Adds a Rust target's standard library (a download from the Rust project's
# servers) unless it is there already, as the host's always is.
target() {
    rustup target list --installed | grep -qx "$1" || rustup target add "$1"
}

wheel() { # TARGET COMPATIBILITY
    target "$1"
    (cd kmswatch-py && build maturin build --zig --target "$1" --compatibility "$2" --out "$out")
}

for artifact in "${wanted[@]}"; do
    echo "== $artifact"
    case "$artifact" in
        wheel-x86_64) wheel x86_64-unknown-linux-gnu manylinux2014 ;;
        wheel-aarch64) wheel aarch64-unknown-linux-gnu manylinux2014 ;;
        wheel-musl-x86_64) wheel x86_64-unknown-linux-musl musllinux_1_2 ;;
        sdist) (cd kmswatch-py && maturin sdist --out "$out") ;;
        cli-musl)
            target=x86_64-unknown-linux-musl
            target "$target"
            # musl targets link statically by default (crt-static): no libc at run time.
            build cargo zigbuild --locked -p kmswatch-cli --profile wheel --target "$target"
            install -m 0755 "${CARGO_TARGET_DIR:-target}/$target/wheel/kmswatch" \
                "$out/kmswatch-$version-$target"
            ;;
    esac
done

(
    cd "$out"
    rm -f SHA256SUMS SIZES
    shopt -s nullglob
    files=(*.whl *.tar.gz kmswatch-*-linux-musl)
    sha256sum "${files[@]}" >SHA256SUMS
    for f in "${files[@]}"; do printf '%s\t%s\n' "$(stat -c %s "$f")" "$f"; done >SIZES
    cat SIZES
)

if [ "${KMSWATCH_DIST_NO_VERIFY:-0}" != 1 ]; then
    bash dist/verify.sh
fi
