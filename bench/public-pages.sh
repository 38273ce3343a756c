#!/usr/bin/env bash
# Every kind of public page, uncached: the server's own time for one request with the server idle
# (`duration_ms` of the JSON access log, median of 20 asks after 3 uncounted ones) and wrk's
# requests/s and p99 with a unique query string per request (so the page cache never answers).
# One page of each kind per area — plans, evaluation, surveys, 会議録, 意見公募, 審議会等, 外部有識者,
# 施設予約, 窓口, 予算・決算, open data — release build, demo organization, SQLite and then PostgreSQL.
#
#   bench/public-pages.sh [wrk seconds per page, default 5] [connections, default 16]
#
# PostgreSQL: KYODO_BENCH_POSTGRES_URL (default: the test server scripts/test.sh starts); a fresh
# database is created and dropped. Set it to "none" to skip (or ONLY=sqlite; ONLY=postgres skips
# SQLite). PAGES=regex measures only the pages whose label matches. Traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-5}
CONNECTIONS=${2:-16}
PORT=${KYODO_BENCH_PORT:-18098}
PG_ADMIN=${KYODO_BENCH_POSTGRES_URL:-postgres://kyodo_test:kyodo_test@127.0.0.1:5432/kyodo_test}

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq wrk >/dev/null; else sudo apt-get install -y -qq wrk >/dev/null; fi
fi
[ -n "${NOBUILD:-}" ] || cargo build --release -q -p kyodo
LUA=$(mktemp)
cat >"$LUA" <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "bench=" .. counter .. "-" .. math.random(1, 1000000000))
end
LUA
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(git rev-parse --short HEAD)"
echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s, a unique query string per request"

# The first link on page $1 that matches the pattern $2 (an extended regular expression).
first_link() { curl -fs "$B$1" | grep -oE "$2" | head -1 || true; }

# A 施策 page: the first programme (of ten) whose policy node is a 施策 with a public page.
policy_page() {
  local p id
  for p in $(curl -fs "$B/evaluation" | grep -oE '/evaluation/programmes/[0-9]+' | head -10); do
    id=$(curl -fs "$B/api/v1$p" | grep -oE '"policy_node_id": *[0-9]+' | grep -oE '[0-9]+$' || true)
    if [ -n "$id" ] && curl -fs -o /dev/null "$B/evaluation/policies/$id"; then echo "/evaluation/policies/$id"; return; fi
  done
}

measure() { # $1 label, $2 address (path and maybe a query)
  local label=$1 target=$2 path sep times median out rps p99
  [[ -z "${PAGES:-}" || "$label" =~ $PAGES ]] || return 0
  path=${target%%\?*}
  case "$target" in *'?'*) sep='&' ;; *) sep='?' ;; esac
  for i in $(seq 1 23); do curl -fs -o /dev/null "$B$target${sep}idle=$i" || { echo "$label: $target failed" >&2; status=1; return; }; done
  sleep 0.2
  times=$(grep -F "\"http.path\":\"$path\"" "$DIR/server.log" | grep -o '"duration_ms":[0-9.]*' | cut -d: -f2 | tail -20)
  median=$(echo "$times" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$LUA" "$B$target")
  if echo "$out" | grep -q "Non-2xx"; then echo "$out" >&2; echo "non-2xx responses on $label" >&2; status=1; fi
  rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  printf '%-22s %-44.44s %9.2f %9s %9s\n' "$label" "$target" "$median" "$rps" "$p99"
}

run() { # $1 label, $2 database URL
  DIR=$(mktemp -d)
  KYODO_DATA_DIR="$DIR" KYODO_DATABASE_URL="$2" target/release/kyodo demo >/dev/null
  KYODO_DATA_DIR="$DIR" KYODO_DATABASE_URL="$2" KYODO_LISTEN="127.0.0.1:$PORT" KYODO_LOG=info KYODO_LOG_FORMAT=json \
    target/release/kyodo serve >"$DIR/server.log" 2>&1 &
  local pid=$!
  B="http://127.0.0.1:$PORT"
  for _ in $(seq 1 100); do curl -fs "$B/healthz" >/dev/null && break; sleep 0.1; done
  echo
  echo "## $1"
  printf '%-22s %-44s %9s %9s %9s\n' page address "idle ms" "req/s" "p99"
  local plan item programme policy results meeting consultation result body call cmeeting facility room casetype bid
  plan=$(first_link /plans '/plans/[0-9]+"' | tr -d '"')
  item=$(curl -fs "$B$plan" | grep -B2 '職員数と給与等の適正化' | grep -oE '/plans/items/[0-9]+' | head -1)
  programme=$(first_link /evaluation '/evaluation/programmes/[0-9]+')
  policy=$(policy_page)
  results=$(first_link /surveys '/surveys/[0-9]+/results')
  meeting=$(first_link /minutes '/minutes/meetings/[0-9]+')
  consultation=$(first_link /consultations '/consultations/[0-9]+"' | tr -d '"')
  result=$(first_link /consultations '/consultations/[0-9]+/result"' | tr -d '"')
  body=$(first_link /councils '/councils/[0-9]+"' | tr -d '"')
  call=$(first_link "$body" '/councils/calls/[0-9]+')
  cmeeting=$(first_link "$body" '/councils/meetings/[0-9]+"' | tr -d '"')
  facility=$(first_link /facilities '/facilities/[0-9]+"' | tr -d '"')
  room=$(first_link "$facility" '/facilities/rooms/[0-9]+"' | tr -d '"')
  casetype=$(first_link /cases '/cases/types/[0-9]+"' | tr -d '"')
  bid=$(first_link /finance/bids '/finance/bids/[0-9]+"' | tr -d '"')
  measure "home" /
  measure "plans" /plans
  measure "plan" "$plan"
  measure "item S-2.2.4" "$item"
  measure "evaluation" /evaluation
  measure "programme" "$programme"
  [ -z "$policy" ] || measure "policy (施策)" "$policy"
  measure "surveys" /surveys
  measure "survey results" "$results"
  measure "minutes: newest" /minutes
  measure "minutes: search" "/minutes?q=%E8%B2%A1%E6%94%BF"
  measure "minutes: meeting" "$meeting"
  measure "consultations" /consultations
  measure "consultation" "$consultation"
  [ -z "$result" ] || measure "consultation result" "$result"
  measure "councils" /councils
  measure "council body" "$body"
  [ -z "$call" ] || measure "council call" "$call"
  [ -z "$cmeeting" ] || measure "council meeting" "$cmeeting"
  measure "advisers" /advisers
  measure "facilities" /facilities
  measure "facility" "$facility"
  measure "room month" "$room"
  measure "case desk" /cases
  measure "case form" "$casetype"
  measure "procedures" /procedures
  measure "proposals" /cases/proposals
  measure "voices" /cases/voices
  measure "finance: budget" /finance
  measure "finance: statements" /finance/statements
  measure "finance: indicators" /finance/indicators
  measure "finance: outlook" /finance/outlook
  measure "bids" /finance/bids
  measure "bid (one tender)" "$bid"
  measure "open data" /opendata
  measure "accessibility" /accessibility
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$DIR"
}

status=0
[ "${ONLY:-}" = postgres ] || run "SQLite" "sqlite://$(mktemp -d)/kyodo.db"
if [ "${ONLY:-}" != sqlite ] && [ "$PG_ADMIN" != none ] && psql "$PG_ADMIN" -qc 'SELECT 1' >/dev/null 2>&1; then
  db="kyodo_bench_$$"
  psql "$PG_ADMIN" -qc "CREATE DATABASE $db"
  run "PostgreSQL" "${PG_ADMIN%/*}/$db"
  psql "$PG_ADMIN" -qc "DROP DATABASE $db WITH (FORCE)"
else
  echo "PostgreSQL not reachable at $PG_ADMIN: skipped"
fi
rm -f "$LUA"
exit $status
