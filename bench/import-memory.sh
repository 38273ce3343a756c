#!/usr/bin/env bash
# Memory of an import and a crawl: the HQ imports a 400-programme, 210-column evaluation workbook
# through the import pages, then an anonymous visitor crawls every public page reachable from `/`
# (sheet PDFs and workbooks included). Prints the server's peak RSS (VmHWM) after each step.
#
#   bench/import-memory.sh [programmes, default 400] [release|debug, default release]
#
# SQLite, demo organization; traffic to 127.0.0.1 only. Exits non-zero on a failed step or request.
set -euo pipefail
cd "$(dirname "$0")/.."
PROGRAMMES=${1:-400}
PROFILE=${2:-release}
PORT=${KYODO_BENCH_PORT:-18093}
if [ "$PROFILE" = release ]; then cargo build --release -q -p kyodo -p kyodo-load; else cargo build -q -p kyodo -p kyodo-load; fi
BIN=target/$PROFILE
DIR=$(mktemp -d)
KYODO_DATA_DIR="$DIR" "$BIN/kyodo" demo >/dev/null
KYODO_DATA_DIR="$DIR" KYODO_LISTEN="127.0.0.1:$PORT" KYODO_LOG=warn "$BIN/kyodo" serve >"$DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$DIR"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
echo "import and crawl: $PROGRAMMES programmes, $PROFILE build, $(git rev-parse --short HEAD)"
"$BIN/kyodo-import-crawl" --addr "127.0.0.1:$PORT" --pid "$PID" --programmes "$PROGRAMMES"
if grep -q "ERROR\|panicked" "$DIR/server.log"; then
  echo "server logged errors:"; grep "ERROR\|panicked" "$DIR/server.log" | head -5; exit 1
fi
