# Sourced (not run) by tests/run.sh and .ci/run: starts tests/moto/server.py on
# a free loopback port unless KMSWATCH_MOTO_ENDPOINT already names a running
# server, exports KMSWATCH_MOTO_ENDPOINT, and stops the server when the
# sourcing shell exits (it takes over the EXIT trap: source it before setting
# one of your own, or call moto_stop from yours).
#
# Needs python3 with tests/moto/requirements.txt installed.

moto_pid=""
moto_workdir=""

moto_stop() {
    if [ -n "$moto_pid" ]; then
        kill "$moto_pid" 2>/dev/null || true
        wait "$moto_pid" 2>/dev/null || true
        moto_pid=""
    fi
    if [ -n "$moto_workdir" ]; then
        rm -rf "$moto_workdir"
        moto_workdir=""
    fi
}

moto_start() {
    if [ -n "${KMSWATCH_MOTO_ENDPOINT:-}" ]; then
        return 0
    fi
    local root
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    moto_workdir="$(mktemp -d)"
    trap moto_stop EXIT
    python3 "$root/tests/moto/server.py" --host 127.0.0.1 --port 0 \
        >"$moto_workdir/moto.out" 2>"$moto_workdir/moto.err" &
    moto_pid=$!
    local _
    for _ in $(seq 1 120); do
        if grep -q '^READY ' "$moto_workdir/moto.out" 2>/dev/null; then break; fi
        if ! kill -0 "$moto_pid" 2>/dev/null; then
            echo "moto server exited:" >&2
            cat "$moto_workdir/moto.err" >&2
            return 1
        fi
        sleep 0.5
    done
    KMSWATCH_MOTO_ENDPOINT="$(sed -n 's/^READY //p' "$moto_workdir/moto.out" | head -1)"
    if [ -z "$KMSWATCH_MOTO_ENDPOINT" ]; then
        echo "moto server did not become ready" >&2
        cat "$moto_workdir/moto.err" >&2
        return 1
    fi
    export KMSWATCH_MOTO_ENDPOINT
    echo "moto server at $KMSWATCH_MOTO_ENDPOINT"
}

moto_start
