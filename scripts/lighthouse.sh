#!/usr/bin/env bash
# Lighthouse (npm, headless Chromium) over a sample of public page kinds — home, plans, an item,
# evaluation, a programme, survey results and a page of each area — on the demo organization: every
# page must score 100 in performance, accessibility, best practices and SEO.
#
# The demo instance first imports the browser suite's accessibility results (written by the
# browser tests, target/accessibility/results.json) when they exist, so the JIS X 8341-3 report
# page Lighthouse visits is the one generated from this run.
#
#   scripts/lighthouse.sh [path to a kyodo binary, default target/debug/kyodo]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/debug/kyodo}
PORT=${KYODO_LIGHTHOUSE_PORT:-18094}
RESULTS=${KYODO_A11Y_RESULTS:-target/accessibility/results.json}
[ -x "$BIN" ] || cargo build -q -p kyodo
if [ ! -f crates/kyodo/tests/browser/node_modules/lighthouse/package.json ]; then
  (cd crates/kyodo/tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
DIR=$(mktemp -d)
KYODO_DATA_DIR="$DIR" "$BIN" demo >/dev/null
if [ -f "$RESULTS" ]; then
  KYODO_DATA_DIR="$DIR" "$BIN" accessibility import "$RESULTS"
else
  echo "no accessibility results at $RESULTS: the report page shows none"
fi
KYODO_DATA_DIR="$DIR" KYODO_LISTEN="127.0.0.1:$PORT" KYODO_LOG=warn "$BIN" serve >"$DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$DIR"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
CHROME_PATH=$(command -v chromium) node crates/kyodo/tests/browser/lighthouse.mjs "http://127.0.0.1:$PORT"
