#!/usr/bin/env bash
# Load test of the public evaluation pages with 1,000 programmes × 10 published years (generated on
# top of the demo organization): the programme list (cached, uncached, sorted by cost and filtered)
# and a programme page with its ten-year charts. Release build, SQLite by default; set
# KYODO_BENCH_DATABASE_URL=postgres://… to run on PostgreSQL. Reports requests/s and p50/p99 from
# wrk and the server's resident memory.
#
#   bench/evaluation-pages.sh [duration, default 10s] [connections, default 64]
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
cargo build --release -q
DIR=$(mktemp -d)
export KYODO_DATA_DIR="$DIR"
if [ -n "${KYODO_BENCH_DATABASE_URL:-}" ]; then export KYODO_DATABASE_URL="$KYODO_BENCH_DATABASE_URL"; fi
target/release/kyodo demo >/dev/null
START=$(date +%s.%N)
target/release/kyodo evaluation generate --programmes 1000 --years 10
echo "generated in $(echo "$(date +%s.%N) - $START" | bc) s"
KYODO_LISTEN="127.0.0.1:$PORT" KYODO_LOG=warn target/release/kyodo serve >"$DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$DIR"' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.1; done

# `head` closes the pipe early; that is not a failure here.
set +o pipefail
COUNT=$(curl -fs "$BASE/evaluation" | grep -o '[0-9,]*事業、総コスト' | head -1)
PROGRAMME=$(curl -fs "$BASE/evaluation?sort=cost_desc" | grep -o 'href="/evaluation/programmes/[0-9]*"' | head -1 | grep -o '[0-9]*')
YEARS=$(curl -fs "$BASE/evaluation/programmes/$PROGRAMME" | grep -c 'id="sheet-' || true)
set -o pipefail
echo "list: $COUNT; programme page of $PROGRAMME shows $YEARS yearly sheets"

cat >"$DIR/unique.lua" <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "bench=" .. counter .. "-" .. math.random(1, 1000000000))
end
LUA

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(git rev-parse --short HEAD), $([ -n "${KYODO_DATABASE_URL:-}" ] && echo PostgreSQL || echo SQLite)"
echo "wrk -t2 -c$CONNECTIONS -d$DURATION"
printf '%-44s %12s %10s %10s\n' "page" "requests/s" "p50" "p99"
run() {
  local label=$1 url=$2; shift 2
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url")
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  if echo "$out" | grep -q "Non-2xx"; then echo "$out" >&2; echo "non-2xx responses on $label" >&2; exit 1; fi
  printf '%-44s %12s %10s %10s\n' "$label" "$rps" "$p50" "$p99"
}
run "list, 1,030 programmes (cached)" "$BASE/evaluation"
run "list (uncached)" "$BASE/evaluation" -s "$DIR/unique.lua"
run "list sorted by cost, filtered (uncached)" "$BASE/evaluation?sort=cost_desc&direction=continue&min=1000" -s "$DIR/unique.lua"
run "programme page, 10 years (cached)" "$BASE/evaluation/programmes/$PROGRAMME"
run "programme page, 10 years (uncached)" "$BASE/evaluation/programmes/$PROGRAMME" -s "$DIR/unique.lua"
echo "server RSS after the runs: $(( $(ps -o rss= -p $PID) / 1024 )) MiB"
