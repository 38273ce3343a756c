#!/usr/bin/env bash
# The JSON API tested from its own OpenAPI document: schemathesis (PyPI) generates requests for every
# operation (a bounded number each, deterministically) against a demo instance and fails on any 5xx,
# any answer that does not match its declared schema, status code or content type. It runs
# anonymously, with the system administrator's token (read and write:admin) and with the reform
# HQ's token of every scope (the area writes), each made with `kyodo user token`.
#
#   scripts/api-check.sh [path to a kyodo binary, default target/debug/kyodo] [examples per operation, default 25]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/debug/kyodo}
EXAMPLES=${2:-25}
PORT=${KYODO_API_CHECK_PORT:-18095}
VENV=$(realpath -m "${CARGO_TARGET_DIR:-target}/schemathesis-venv")
[ -x "$BIN" ] || cargo build -q -p kyodo
if [ ! -x "$VENV/bin/schemathesis" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check 'schemathesis==4.32.5'
fi
DIR=$(mktemp -d)
KYODO_DATA_DIR="$DIR" "$BIN" demo >/dev/null
TOKEN=$(KYODO_DATA_DIR="$DIR" "$BIN" user token --email admin@demo.kyodo.jp --name "API check" \
  --scopes read:published,read:staff,write:admin --days 1)
HQ_TOKEN=$(KYODO_DATA_DIR="$DIR" "$BIN" user token --email hq@demo.kyodo.jp --name "API check (HQ)" \
  --scopes read:published,read:staff,write:admin,write:indicators,write:evaluation,write:minutes,write:cases --days 1)
KYODO_DATA_DIR="$DIR" KYODO_LISTEN="127.0.0.1:$PORT" KYODO_LOG=warn "$BIN" serve >"$DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$DIR"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT"
CHECKS=not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance
run() { # from the scratch directory: schemathesis keeps a cache (.schemathesis/) where it runs
  (cd "$DIR" && "$VENV/bin/schemathesis" run "$BASE/api/v1/openapi.json" --url "$BASE" -n "$EXAMPLES" \
    --checks "$CHECKS" --generation-deterministic --no-color "$@")
}
echo "== anonymous"
run
echo "== with the system administrator's API token"
run -H "Authorization: Bearer $TOKEN"
echo "== with the reform HQ's API token of every scope"
run -H "Authorization: Bearer $HQ_TOKEN"
