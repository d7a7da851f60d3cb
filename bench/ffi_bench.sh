#!/usr/bin/env bash
# libkmswatch from C next to the Rust API, in one run (results in BENCHMARKS.md):
#   - library sizes (libkmswatch.so as built and stripped, libkmswatch.a);
#   - kmswatch_evaluate on examples/compliant.json from C, median µs per call,
#     next to Facts::from_json + evaluate + Report::to_json in Rust;
#   - kmswatch_pattern_matches with the CIS pattern over 1,000,000 generated
#     CloudTrail lines from C, next to FilterPattern::matches in Rust.
#
#   bash bench/ffi_bench.sh [LINES] [RUNS]      (defaults 1000000, 5)
#
# The lines come from bench/gen_cloudtrail.py --seed 7 (cached in bench/out/).
set -euo pipefail
cd "$(dirname "$0")/.."
lines="${1:-1000000}"
runs="${2:-5}"
calls=2000

target="$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
lib="$target/release"
mkdir -p bench/out
corpus="bench/out/cloudtrail_mixed_$lines.jsonl"
if [ ! -f "$corpus" ]; then
    echo "generating $corpus ..." >&2
    python3 bench/gen_cloudtrail.py --count "$lines" --seed 7 >"$corpus.tmp"
    mv "$corpus.tmp" "$corpus"
fi

cargo build --quiet --release -p kmswatch-ffi
cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Wall -Wextra -I kmswatch-ffi/include -I kmswatch-ffi/tests/c bench/ffi_bench.c \
    -o bench/out/ffi_bench -L "$lib" -lkmswatch -Wl,-rpath,"$lib"

strip -o bench/out/libkmswatch.stripped.so "$lib/libkmswatch.so"
size() { stat -c %s "$1" | awk '{ printf "%.2f MB (%d bytes)", $1 / 1e6, $1 }'; }
echo "libkmswatch.so           $(size "$lib/libkmswatch.so")"
echo "libkmswatch.so stripped  $(size bench/out/libkmswatch.stripped.so)"
echo "libkmswatch.a            $(size "$lib/libkmswatch.a")"
echo "linked: $(ldd bench/out/libkmswatch.stripped.so | awk '{ print $1 }' | tr '\n' ' ')"

bench/out/ffi_bench evaluate examples/compliant.json "$calls"
printf '%-26s %9s %12s %8s %s\n' variant "median s" events/s MB/s matched
bench/out/ffi_bench match "$corpus" "$runs"
cargo bench --quiet -p kmswatch-ffi --bench core_baseline -- "$PWD/$corpus" "$runs" "$PWD/examples/compliant.json" "$calls"
