#!/usr/bin/env bash
# Soak: a mixed load for a long time — anonymous visitors on the public pages, citizens commenting,
# staff saving, submitting and returning progress reports — that must end with zero errors and the
# server's memory flat (RSS at the end at most KYODO_SOAK_MAX_GROWTH_MIB, default 16, above its level
# after the first quarter of the run; the caches fill during that quarter).
#
#   bench/soak.sh [seconds, default 1800] [sessions, default 32] [release|debug, default release]
#
# CI runs a short form on the debug build (scripts/test.sh). SQLite, demo organization; traffic to
# 127.0.0.1 only. Exits non-zero on any failed request or on memory growth.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_=${1:-1800}
SESSIONS=${2:-32}
PROFILE=${3:-release}
PORT=${KYODO_BENCH_PORT:-18092}
MAX_GROWTH=${KYODO_SOAK_MAX_GROWTH_MIB:-16}
[[ "$SECONDS_" =~ ^[1-9][0-9]*$ ]] || { echo "soak seconds must be a positive number, not '$SECONDS_'" >&2; exit 2; }

if [ "$PROFILE" = release ]; then cargo build --release -q -p kyodo -p kyodo-load; else cargo build -q -p kyodo -p kyodo-load; fi
BIN=target/$PROFILE
DIR=$(mktemp -d)
KYODO_DATA_DIR="$DIR" "$BIN/kyodo" demo >/dev/null
# All sessions come from 127.0.0.1: lift the per-address sign-in throttle for the run.
KYODO_DATA_DIR="$DIR" KYODO_LISTEN="127.0.0.1:$PORT" KYODO_LOG=warn KYODO_LOGIN_PER_MINUTE=1000 \
  "$BIN/kyodo" serve >"$DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$DIR"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
echo "soak: $SECONDS_ s, $SESSIONS sessions, $PROFILE build, $(nproc) cores, $(git rev-parse --short HEAD)"
"$BIN/kyodo-load" --addr "127.0.0.1:$PORT" --sessions "$SESSIONS" --seconds "$SECONDS_" --mix soak \
  --pid "$PID" --max-growth-mib "$MAX_GROWTH"
if grep -q "ERROR\|panicked" "$DIR/server.log"; then
  echo "server logged errors:"; grep "ERROR\|panicked" "$DIR/server.log" | head -5; exit 1
fi
