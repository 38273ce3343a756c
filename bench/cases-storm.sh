#!/usr/bin/env bash
# 窓口 at size: the demo organization with 100,000 generated 市民の声 (`kyodo cases generate`), then
# (1) the server time of the staff work list (own department, overdue, all departments, page 50)
# and of the public 「市民の声と市の回答」 page and its counts CSV, each asked 20 times with a unique
# query string so no cache answers, as the server logs it (`duration_ms`): first request and median
# of the rest; (2) a submission storm: 64 guests sending the desk's form as fast as the receipts
# come back (`kyodo-load --mix cases`), p50/p99. Release build, on SQLite and then PostgreSQL.
#
#   bench/cases-storm.sh [cases, default 100000] [storm seconds, default 15] [sessions, default 64]
#
# PostgreSQL: KYODO_BENCH_POSTGRES_URL (default: the test server scripts/test.sh starts); a fresh
# database is created and dropped. Set it to "none" to skip. Traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-100000}
STORM=${2:-15}
SESSIONS=${3:-64}
PORT=${KYODO_BENCH_PORT:-18093}
PG_ADMIN=${KYODO_BENCH_POSTGRES_URL:-postgres://kyodo_test:kyodo_test@127.0.0.1:5432/kyodo_test}
cargo build --release -q -p kyodo -p kyodo-load
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(git rev-parse --short HEAD)"

run() { # $1 label, $2 database URL
  local dir pid B jar token
  dir=$(mktemp -d)
  export KYODO_DATA_DIR="$dir" KYODO_DATABASE_URL="$2"
  target/release/kyodo demo >/dev/null
  local t0=$SECONDS
  target/release/kyodo cases generate --cases "$CASES" 2>/dev/null | tail -1
  echo "generated in $((SECONDS - t0)) s"
  KYODO_LISTEN="127.0.0.1:$PORT" KYODO_LOG=info KYODO_LOG_FORMAT=json KYODO_LOGIN_PER_MINUTE=1000 \
    target/release/kyodo serve >"$dir/server.log" 2>&1 &
  pid=$!
  B="http://127.0.0.1:$PORT"
  for _ in $(seq 1 100); do curl -fs "$B/healthz" >/dev/null && break; sleep 0.1; done
  echo
  echo "## $1"
  # A staff session for the work list (cookies in a jar, the token from the sign-in form).
  jar="$dir/jar"
  token=$(curl -fs -c "$jar" "$B/login" | grep -o 'name="csrf" value="[^"]*"' | head -1 | cut -d'"' -f4)
  curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "email=staff@demo.kyodo.jp" \
    --data-urlencode "password=kyodo-demo-2025" "$B/login"
  printf '%-28s %10s %10s\n' page "first ms" "median ms"
  for pair in "work list (own):/staff/cases?" "work list overdue:/staff/cases?due=overdue&" \
    "work list all:/staff/cases?department=all&" "work list page 50:/staff/cases?department=all&page=50&" \
    "public voices:/cases/voices?" "public counts CSV:/cases/counts.csv?"; do
    label=${pair%%:*}; url=${pair#*:}; path=${url%%\?*}
    for i in $(seq 1 20); do curl -fs -b "$jar" -o /dev/null "$B${url}t=$i"; done
    sleep 0.2
    times=$(grep -aF "\"http.path\":\"$path\"" "$dir/server.log" | grep -ao '"duration_ms":[0-9.]*' | cut -d: -f2 | tail -20)
    first=$(echo "$times" | head -1)
    median=$(echo "$times" | tail -n +2 | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
    printf '%-28s %10.2f %10.2f\n' "$label" "$first" "$median"
  done
  target/release/kyodo-load --addr "127.0.0.1:$PORT" --sessions "$SESSIONS" --seconds "$STORM" --mix cases --pid "$pid" || status=1
  kill "$pid"; wait "$pid" 2>/dev/null || true
  unset KYODO_DATA_DIR KYODO_DATABASE_URL
  rm -rf "$dir"
}

status=0
run "SQLite" "sqlite://$(mktemp -d)/kyodo.db"
if [ "$PG_ADMIN" != none ] && psql "$PG_ADMIN" -qc 'SELECT 1' >/dev/null 2>&1; then
  db="kyodo_bench_$$"
  psql "$PG_ADMIN" -qc "CREATE DATABASE $db"
  run "PostgreSQL" "${PG_ADMIN%/*}/$db"
  psql "$PG_ADMIN" -qc "DROP DATABASE $db WITH (FORCE)"
else
  echo "PostgreSQL not reachable at $PG_ADMIN: skipped"
fi
exit $status
