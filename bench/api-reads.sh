#!/usr/bin/env bash
# Load test of the JSON API's public reads, release build, SQLite, demo organization: the plan, the
# facilities list and a page of tender results, each anonymous and cached (the page cache keeps
# API answers like pages), anonymous and uncached (a unique query string per request), and with an
# API token (never cached: a token's answer is its own); and a poller's `If-None-Match` (304).
# Reports requests/s and p50/p99 latency from wrk, and the server's resident memory afterwards.
#
#   bench/api-reads.sh [duration, default 10s] [connections, default 64]
#
# Traffic goes to 127.0.0.1 only and stops after the given duration.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10s}
CONNECTIONS=${2:-64}
PORT=${KYODO_BENCH_PORT:-18091}
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq wrk >/dev/null; else sudo apt-get install -y -qq wrk >/dev/null; fi
fi
cargo build --release -q -p kyodo
DIR=$(mktemp -d)
KYODO_DATA_DIR="$DIR" target/release/kyodo demo >/dev/null
TOKEN=$(KYODO_DATA_DIR="$DIR" target/release/kyodo user token --email admin@demo.kyodo.jp --name bench \
  --scopes read:published --days 1)
KYODO_DATA_DIR="$DIR" KYODO_LISTEN="127.0.0.1:$PORT" KYODO_LOG=warn target/release/kyodo serve >"$DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$DIR"' EXIT
B="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -fs "$B/healthz" >/dev/null && break; sleep 0.1; done
PLAN=$(curl -fs "$B/api/v1/plans" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
TAG=$(curl -fsi "$B/api/v1/facilities" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" {print $2}')
cat >"$DIR/unique.lua" <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "bench=" .. counter .. "-" .. math.random(1, 1000000000))
end
LUA
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(git rev-parse --short HEAD)"
echo "wrk -t2 -c$CONNECTIONS -d$DURATION"
printf '%-40s %12s %10s %10s\n' "request" "requests/s" "p50" "p99"
run() {
  local label=$1 url=$2; shift 2
  local out rps p50 p99
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  if echo "$out" | grep -q "Non-2xx"; then echo "$out" >&2; echo "non-2xx responses on $label" >&2; exit 1; fi
  printf '%-40s %12s %10s %10s\n' "$label" "$rps" "$p50" "$p99"
}
run "plan (cached)" "$B/api/v1/plans/$PLAN"
run "plan (uncached)" "$B/api/v1/plans/$PLAN" -s "$DIR/unique.lua"
run "plan (API token)" "$B/api/v1/plans/$PLAN" -H "Authorization: Bearer $TOKEN"
run "facilities (cached)" "$B/api/v1/facilities"
run "facilities (uncached)" "$B/api/v1/facilities" -s "$DIR/unique.lua"
run "tenders, 100 a page (cached)" "$B/api/v1/finance/bids?limit=100"
run "tenders, 100 a page (uncached)" "$B/api/v1/finance/bids?limit=100" -s "$DIR/unique.lua"
# wrk counts 304 as non-2xx: this one is checked by its status line instead.
out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "If-None-Match: $TAG" "$B/api/v1/facilities")
printf '%-40s %12s %10s %10s\n' "facilities, If-None-Match (304)" "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
  "$(echo "$out" | awk '$1 == "50%" {print $2}')" "$(echo "$out" | awk '$1 == "99%" {print $2}')"
curl -s -o /dev/null -w "  (status of a conditional request: %{http_code})\n" -H "If-None-Match: $TAG" "$B/api/v1/facilities"
echo "server RSS after the runs: $(( $(ps -o rss= -p $PID) / 1024 )) MiB"
