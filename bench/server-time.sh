#!/usr/bin/env bash
# Server time of single requests with the server otherwise idle: the plan, item, programme and
# survey results pages, the finance pages (budget, statements, indicators, outlook, bids) and the open-data catalogue (page, CKAN API, DCAT), each requested 20 times in a row with a unique query string (so the page
# cache never answers), as the server logs it (`duration_ms` of the access log). Prints the first
# request (the data snapshots are cold) and the median of the rest. Release build, SQLite, demo
# organization; traffic to 127.0.0.1 only.
#
#   bench/server-time.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${KYODO_BENCH_PORT:-18097}
cargo build --release -q -p kyodo
DIR=$(mktemp -d)
KYODO_DATA_DIR="$DIR" target/release/kyodo demo >/dev/null
KYODO_DATA_DIR="$DIR" KYODO_LISTEN="127.0.0.1:$PORT" KYODO_LOG=info KYODO_LOG_FORMAT=json \
  target/release/kyodo serve >"$DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$DIR"' EXIT
B="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -fs "$B/healthz" >/dev/null && break; sleep 0.1; done
PLAN=$(curl -fs "$B/plans" | grep -o 'href="/plans/[0-9]*"' | head -1 | grep -o '[0-9]*')
ITEM=$(curl -fs "$B/plans/$PLAN" | grep -B2 '職員数と給与等の適正化' | grep -o '/plans/items/[0-9]*' | head -1)
PROGRAMME=$(curl -fs "$B/evaluation" | grep -o '/evaluation/programmes/[0-9]*' | head -1)
RESULTS=$(curl -fs "$B/surveys" | grep -o '/surveys/[0-9]*/results' | head -1)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(git rev-parse --short HEAD)"
printf '%-22s %12s %12s\n' page "first ms" "median ms"
for pair in "plan:/plans/$PLAN" "item S-2.2.4:$ITEM" "programme:$PROGRAMME" "survey results:$RESULTS" \
  "finance page:/finance" "statements:/finance/statements" "indicators:/finance/indicators" \
  "outlook:/finance/outlook" "bids list:/finance/bids" "bids searched:/finance/bids?q=%E5%B7%A5%E4%BA%8B&year=2024&" \
  "open data page:/opendata" "CKAN package_search:/api/3/action/package_search?rows=100&" \
  "CKAN package_show:/api/3/action/package_show?id=plan-$PLAN&" "DCAT catalogue:/catalog.jsonld"; do
  label=${pair%%:*}; target=${pair#*:}
  # A target ending in '&' already has its query; the server logs the path alone.
  case "$target" in *'&') url="$target"; path=${target%%\?*} ;; *) url="$target?"; path=$target ;; esac
  for i in $(seq 1 20); do curl -fs -o /dev/null "$B${url}t=$i"; done
  sleep 0.2
  times=$(grep -F "\"http.path\":\"$path\"" "$DIR/server.log" | grep -o '"duration_ms":[0-9.]*' | cut -d: -f2 | tail -20)
  first=$(echo "$times" | head -1)
  median=$(echo "$times" | tail -n +2 | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
  printf '%-22s %12.2f %12.2f\n' "$label" "$first" "$median"
done
