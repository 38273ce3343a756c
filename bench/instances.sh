#!/usr/bin/env bash
# Two Kyodo instances on one PostgreSQL primary with a streaming replica (release build, demo
# organization): the staff mix spread over both instances, then the soak mix (anonymous visitors
# read through the replica) with the replica stopped halfway. Prints each run's table; exits 1
# when any request failed.
#
#   bench/instances.sh [seconds per run, default 20] [sessions, default 64]
#
# Needs the PostgreSQL that scripts/test.sh prepares (kyodo_test may replicate); the replica runs
# on port 5434 from /tmp and is removed afterwards. Traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_=${1:-20}
SESSIONS=${2:-64}
PG_ADMIN=${KYODO_BENCH_POSTGRES_URL:-postgres://kyodo_test:kyodo_test@127.0.0.1:5432/kyodo_test}
A=127.0.0.1:18101
B=127.0.0.1:18102

cargo build --release -q -p kyodo -p kyodo-load
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(git rev-parse --short HEAD)"
DIR=$(mktemp -d)
PIDS=()
DB=""
teardown() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait "${PIDS[@]}" 2>/dev/null || true
  PIDS=()
  ./scripts/pg-replica.sh stop 5434 >/dev/null 2>&1 || true
  [ -n "$DB" ] && psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  [ -n "${KYODO_BENCH_KEEP:-}" ] && cp "$DIR"/*.log "$KYODO_BENCH_KEEP"/ 2>/dev/null || true
}
trap 'teardown; rm -rf "$DIR"' EXIT

start() { # $1 address, $2 log name
  KYODO_DATA_DIR="$DIR" KYODO_DATABASE_URL="$PRIMARY" KYODO_DATABASE_REPLICA_URL="$REPLICA" \
    KYODO_LISTEN="$1" KYODO_LOG="${KYODO_BENCH_LOG:-warn}" KYODO_LOGIN_PER_MINUTE=1000 \
    target/release/kyodo serve >"$DIR/$2.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do curl -fs "http://$1/healthz" >/dev/null && return; sleep 0.1; done
  echo "instance at $1 did not start" >&2; exit 1
}

# Each run on a fresh demo database (a run ends with reports mid-workflow), its own replica and
# two fresh instances.
setup() {
  DB="kyodo_bench_inst_$$_$1"
  psql "$PG_ADMIN" -qc "CREATE DATABASE $DB"
  PRIMARY="${PG_ADMIN%/*}/$DB"
  KYODO_DATA_DIR="$DIR" KYODO_DATABASE_URL="$PRIMARY" target/release/kyodo demo >/dev/null
  REPLICA_BASE=$(./scripts/pg-replica.sh start 5434)
  REPLICA="${REPLICA_BASE%/*}/$DB"
  start "$A" "a-$1"
  start "$B" "b-$1"
}

status=0
echo
echo "## Staff mix over two instances (sessions alternate between them)"
setup staff
target/release/kyodo-load --addr "$A,$B" --sessions "$SESSIONS" --seconds "$SECONDS_" --mix staff || status=1
teardown

echo
echo "## Soak mix over two instances; the replica stops after $((SECONDS_ / 2)) s"
setup soak
target/release/kyodo-load --addr "$A,$B" --sessions "$SESSIONS" --seconds "$SECONDS_" --mix soak &
LOAD=$!
sleep $((SECONDS_ / 2 + 2))
./scripts/pg-replica.sh stop 5434 >/dev/null
echo "(replica stopped)"
wait $LOAD || status=1
grep -h "read replica" "$DIR"/a-soak.log "$DIR"/b-soak.log | sed 's/\x1b\[[0-9;]*m//g' | cut -c1-160 || true
teardown

echo
echo "## Soak mix over two instances; instance A is killed (SIGKILL) after $((SECONDS_ / 2)) s"
echo "(its sessions fail from then on: those errors are expected; what counts is that every comment"
echo " either instance acknowledged is in the database)"
setup kill
target/release/kyodo-load --addr "$A,$B" --sessions "$SESSIONS" --seconds "$SECONDS_" --mix soak \
  --acknowledged "$DIR/acknowledged.txt" >"$DIR/kill-run.txt" &
LOAD=$!
sleep $((SECONDS_ / 2 + 2))
kill -9 "${PIDS[0]}"
echo "(instance A killed)"
wait $LOAD || true
head -1 "$DIR/kill-run.txt"
acked=$(wc -l <"$DIR/acknowledged.txt")
missing=$(psql "$PRIMARY" -qAt <<SQL | tail -1
CREATE TEMP TABLE acked (body TEXT);
\\copy acked FROM '$DIR/acknowledged.txt'
SELECT COUNT(*) FROM acked a WHERE NOT EXISTS (SELECT 1 FROM citizen_comments c WHERE c.body = a.body);
SQL
)
echo "acknowledged comments: $acked, missing from the database: $missing"
[ "$acked" -gt 0 ] && [ "$missing" = 0 ] || status=1
exit $status
