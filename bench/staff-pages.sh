#!/usr/bin/env bash
# Staff pages under load: 64 signed-in sessions (release build, demo organization) each working on a
# progress report of its own — dashboards, work lists, plan and item pages, the report form, draft
# saves, submission and return by the HQ — on SQLite and then on PostgreSQL. Prints p50/p99 latency
# per kind of request and the server's peak RSS (the sign-ins are included: argon2id at 19 MiB each).
#
#   bench/staff-pages.sh [seconds, default 20] [sessions, default 64]
#
# PostgreSQL: KYODO_BENCH_POSTGRES_URL (default: the test server scripts/test.sh starts); a fresh
# database is created and dropped. Set it to "none" to skip. Traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_=${1:-20}
SESSIONS=${2:-64}
PORT=${KYODO_BENCH_PORT:-18091}
PG_ADMIN=${KYODO_BENCH_POSTGRES_URL:-postgres://kyodo_test:kyodo_test@127.0.0.1:5432/kyodo_test}

cargo build --release -q -p kyodo -p kyodo-load
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(git rev-parse --short HEAD)"

run() { # $1 label, $2 database URL
  local dir pid
  dir=$(mktemp -d)
  KYODO_DATA_DIR="$dir" KYODO_DATABASE_URL="$2" target/release/kyodo demo >/dev/null
  # All sessions come from 127.0.0.1: lift the per-address sign-in throttle for the run.
  KYODO_DATA_DIR="$dir" KYODO_DATABASE_URL="$2" KYODO_LISTEN="127.0.0.1:$PORT" KYODO_LOG=warn KYODO_LOGIN_PER_MINUTE=1000 \
    target/release/kyodo serve >"$dir/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
  echo
  echo "## $1"
  target/release/kyodo-load --addr "127.0.0.1:$PORT" --sessions "$SESSIONS" --seconds "$SECONDS_" --mix staff --pid "$pid" || status=1
  kill "$pid"; wait "$pid" 2>/dev/null || true
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
