#!/usr/bin/env bash
# Load test of the public plan pages (the pages crawlers and citizens hit most), release build,
# SQLite, demo organization. Reports requests/s and p50/p99 latency from wrk, cached (anonymous
# page cache hit) and uncached (a unique query string per request defeats the cache), and the
# server's resident memory afterwards.
#
#   bench/plan-pages.sh [duration, default 10s] [connections, default 64]
#
# Traffic goes to 127.0.0.1 only and stops after the given duration.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10s}
CONNECTIONS=${2:-64}
PORT=${KYODO_BENCH_PORT:-18090}

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq wrk >/dev/null; else sudo apt-get install -y -qq wrk >/dev/null; fi
fi
cargo build --release -q
DIR=$(mktemp -d)
KYODO_DATA_DIR="$DIR" target/release/kyodo demo >/dev/null
KYODO_DATA_DIR="$DIR" KYODO_LISTEN="127.0.0.1:$PORT" KYODO_LOG=warn target/release/kyodo serve >"$DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$DIR"' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.1; done

PLAN=$(curl -fs "$BASE/plans" | grep -o 'href="/plans/[0-9]*"' | head -1 | grep -o '[0-9]*')
# The S-2.2.4 item (staff numbers): it has the indicator and fiscal-effect charts.
ITEM=$(curl -fs "$BASE/plans/$PLAN" | grep -B2 '職員数と給与等の適正化' | grep -o '/plans/items/[0-9]*' | head -1)

cat >"$DIR/unique.lua" <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "?bench=" .. counter .. "-" .. math.random(1, 1000000000))
end
LUA

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(git rev-parse --short HEAD)"
echo "wrk -t2 -c$CONNECTIONS -d$DURATION"
printf '%-34s %12s %10s %10s\n' "page" "requests/s" "p50" "p99"
run() {
  local label=$1 url=$2; shift 2
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url")
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  if echo "$out" | grep -q "Non-2xx"; then echo "$out" >&2; echo "non-2xx responses on $label" >&2; exit 1; fi
  printf '%-34s %12s %10s %10s\n' "$label" "$rps" "$p50" "$p99"
}
run "plan page (cached)" "$BASE/plans/$PLAN"
run "plan page (uncached)" "$BASE/plans/$PLAN" -s "$DIR/unique.lua"
run "item page S-2.2.4 (cached)" "$BASE$ITEM"
run "item page S-2.2.4 (uncached)" "$BASE$ITEM" -s "$DIR/unique.lua"
run "home page (uncached render)" "$BASE/"
echo "server RSS after the runs: $(( $(ps -o rss= -p $PID) / 1024 )) MiB"
