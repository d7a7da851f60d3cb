#!/usr/bin/env bash
# Tests of libkmswatch from both sides of the C boundary:
#   1. build the library (release: libkmswatch.so and libkmswatch.a);
#   2. the Rust tests of kmswatch-ffi, among them the check that
#      include/kmswatch.h is what cbindgen generates (skipped with
#      KMSWATCH_FFI_RUST_TESTS_DONE=1: tests/run.sh has run them already in its
#      `cargo test --workspace`, and building them again here would compile
#      kmswatch-decisions once more, in another configuration);
#   3. the C test against libkmswatch.so under valgrind (no leak, no invalid
#      access), and against libkmswatch.a;
#   4. the Go package's tests (go vet, go test -race).
# Every bundled example must get the exit code `kmswatch check --snapshot` gives.
# Installs valgrind, golang-go, a C compiler and python3 with apt-get when they
# are missing (as root on Debian). Ends with "kmswatch-ffi: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"

missing=()
command -v cc >/dev/null || missing+=(gcc libc6-dev)
command -v valgrind >/dev/null || missing+=(valgrind)
command -v go >/dev/null || missing+=(golang-go)
command -v python3 >/dev/null || missing+=(python3)
if ((${#missing[@]})); then
    echo "kmswatch-ffi: installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
        { echo "kmswatch-ffi: cannot install ${missing[*]}"; exit 1; }
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
failures=()

# step NAME COMMAND...: runs a step, its output in $work/NAME.log, shown on failure.
step() {
    local name="$1"
    shift
    if "$@" >"$work/$name.log" 2>&1; then
        passed=$((passed + 1))
        echo "ok     $name"
    else
        failed=$((failed + 1))
        failures+=("$name")
        echo "FAILED $name"
        sed 's/^/    /' "$work/$name.log" | tail -n 60
    fi
}

target="$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
lib="$target/release"

step build cargo build --release -p kmswatch-ffi
step no-aws-sdk bash -c '! cargo tree -p kmswatch-ffi -e normal,build --prefix none | grep -E "^aws-"'
if [ "${KMSWATCH_FFI_RUST_TESTS_DONE:-}" != "1" ]; then
    step rust-tests-and-header cargo test -p kmswatch-ffi
fi

# The expected verdicts: the exit codes of the CLI on the same snapshots
# (KMSWATCH_CLI names a kmswatch binary already built; else one is built).
cli="${KMSWATCH_CLI:-}"
if [ -z "$cli" ]; then
    cargo build --quiet -p kmswatch-cli --no-default-features 2>"$work/cli.log" ||
        { cat "$work/cli.log"; echo "kmswatch-ffi: cannot build the CLI"; exit 1; }
    cli="$target/debug/kmswatch"
fi
expectations=()
for example in examples/*.json; do
    "$cli" check --snapshot "$example" >/dev/null 2>&1
    expectations+=("$example:$?")
done

# The corpus as CloudWatch Logs lines, each with whether the CIS pattern and
# `{ $.eventName = DisableKey }` must match it, read from the record's fields.
python3 - kmswatch-decisions/corpus/kms_key_lifecycle.json >"$work/corpus.tsv" <<'EOF'
import json, sys
for entry in json.load(open(sys.argv[1])):
    record = entry["record"]
    name, source = record.get("eventName"), record.get("eventSource")
    cis = source == "kms.amazonaws.com" and name in ("DisableKey", "ScheduleKeyDeletion")
    line = json.dumps(record, separators=(",", ":"), ensure_ascii=False)
    print(f"{int(cis)}{int(name == 'DisableKey')}\t{line}")
EOF
[ -s "$work/corpus.tsv" ] || { echo "kmswatch-ffi: cannot read the corpus"; exit 1; }

cflags=(-std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -g -O1 -I kmswatch-ffi/include)
step c-build-shared cc "${cflags[@]}" kmswatch-ffi/tests/c/test_kmswatch.c -o "$work/test_shared" \
    -L "$lib" -lkmswatch -lpthread -Wl,-rpath,"$lib"
step c-test-valgrind valgrind -q --error-exitcode=99 --leak-check=full \
    --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
    --suppressions=kmswatch-ffi/tests/c/valgrind.supp \
    "$work/test_shared" "$work/corpus.tsv" "${expectations[@]}"
step c-build-static cc "${cflags[@]}" kmswatch-ffi/tests/c/test_kmswatch.c -o "$work/test_static" \
    "$lib/libkmswatch.a" -lpthread -lm -ldl
step c-test-static "$work/test_static" "$work/corpus.tsv" "${expectations[@]}"

export CGO_LDFLAGS="-L$lib -Wl,-rpath,$lib" GOFLAGS=-mod=mod GOTOOLCHAIN=local
step go-vet bash -c 'cd kmswatch-ffi/go && go vet ./... && test -z "$(gofmt -l .)"'
step go-test bash -c 'cd kmswatch-ffi/go && go test -race -count=1 ./...'

for name in c-test-valgrind c-test-static go-test; do
    grep -hE "passed, [0-9]+ failed|^ok " "$work/$name.log" | sed "s/^/    $name: /"
done
if ((failed)); then
    echo "kmswatch-ffi: failed steps: ${failures[*]}"
fi
echo "kmswatch-ffi: $passed passed, $failed failed"
((failed == 0))
