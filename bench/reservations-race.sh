#!/usr/bin/env bash
# 施設予約 under load: `kyodo-booking-race` signs in N registered users (default 1,000) and has
# them book 100 (day, slot) pairs of one room at the same instant, then again with the winners
# cancelling while every loser retries. Run on SQLite (one instance) and on PostgreSQL (two
# instances on one database). After each run the database is checked: no pair held twice, and
# exactly as many pairs held as the race reported won. Release build, demo organization.
#
#   bench/reservations-race.sh [clients, default 1000]
#
# Needs the PostgreSQL that scripts/test.sh prepares and the sqlite3 shell (installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${1:-1000}
PG_ADMIN=${KYODO_BENCH_POSTGRES_URL:-postgres://kyodo_test:kyodo_test@127.0.0.1:5432/kyodo_test}
A=127.0.0.1:18111
B=127.0.0.1:18112
ulimit -n 65536 2>/dev/null || true
command -v sqlite3 >/dev/null || apt-get install -y -q sqlite3 >/dev/null

cargo build --release -q -p kyodo -p kyodo-load
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(git rev-parse --short HEAD)"
DIR=$(mktemp -d)
PIDS=()
DB=""
teardown() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait "${PIDS[@]}" 2>/dev/null || true
  PIDS=()
  [ -n "$DB" ] && psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
}
trap 'teardown; rm -rf "$DIR"' EXIT

start() { # $1 address, $2 database URL
  KYODO_DATA_DIR="$DIR" KYODO_DATABASE_URL="$2" KYODO_LISTEN="$1" KYODO_LOG=warn \
    KYODO_LOGIN_PER_MINUTE=100000 KYODO_MAX_CONNECTIONS=4096 KYODO_HEADER_TIMEOUT_SECONDS=300 target/release/kyodo serve >>"$DIR/server.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do curl -fs "http://$1/healthz" >/dev/null && return; sleep 0.1; done
  echo "instance at $1 did not start" >&2; exit 1
}

# A bench facility open every day with one room of five slots, and N users sharing the demo
# citizen's password hash, each with an active registration (portable SQL for both databases).
SETUP_SQL=$(cat <<SQL
INSERT INTO rsv_facilities (organization_id, id, name, kana, is_demo)
  SELECT organization_id, 900000001, 'ベンチ体育館', 'べんち', 1 FROM users WHERE email = 'citizen@demo.kyodo.jp';
INSERT INTO rsv_rooms (organization_id, id, facility_id, name, capacity)
  SELECT organization_id, 900000002, 900000001, 'アリーナ', 100 FROM users WHERE email = 'citizen@demo.kyodo.jp';
INSERT INTO rsv_slots (organization_id, room_id, code, label, starts_at, ends_at, fee_resident, fee_nonresident, fee_commercial)
  SELECT u.organization_id, 900000002, s.code, s.code, s.code || ':00', s.code || ':50', 1000, 2000, 3000
  FROM users u, (SELECT '09' AS code UNION ALL SELECT '11' UNION ALL SELECT '13' UNION ALL SELECT '15' UNION ALL SELECT '17') s
  WHERE u.email = 'citizen@demo.kyodo.jp';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $CLIENTS)
INSERT INTO users (organization_id, id, email, display_name, kind, password_hash, email_verified, created_at)
  SELECT u.organization_id, 800000000 + n.i, 'racer' || n.i || '@bench.kyodo.jp', 'racer ' || n.i, 'citizen', u.password_hash, 1, u.created_at
  FROM users u, n WHERE u.email = 'citizen@demo.kyodo.jp';
INSERT INTO rsv_registrations (organization_id, user_id, kind, representative, phone, address, resident, status, registered_at)
  SELECT organization_id, id, 'individual', display_name, '0', 'bench', 1, 'active', created_at FROM users WHERE email LIKE 'racer%@bench.kyodo.jp';
SQL
)
CHECK_SQL="SELECT (SELECT COUNT(*) FROM (SELECT used_on, slot_code FROM rsv_bookings WHERE room_id = 900000002 AND held = 1 GROUP BY used_on, slot_code HAVING COUNT(*) > 1) d) || ' ' || (SELECT COUNT(*) FROM rsv_bookings WHERE room_id = 900000002 AND held = 1);"
RESET_SQL="DELETE FROM rsv_bookings WHERE room_id = 900000002;"

# 20 days from the fourth day on (a user may cancel online until 3 days before) × 5 slots = 100 pairs.
DAYS=$(for i in $(seq 4 23); do date -d "+$i day" +%F; done | paste -sd,)
SLOTS=09,11,13,15,17

race() { # $1 addresses, $2 sql runner, then extra flags
  local addrs=$1 run=$2; shift 2
  $run "$RESET_SQL" >/dev/null
  local out; out=$(target/release/kyodo-booking-race --addr "$addrs" --clients "$CLIENTS" --room 900000002 \
    --days "$DAYS" --slots "$SLOTS" --users racer --domain bench.kyodo.jp "$@") || status=1
  echo "$out" | grep -v '^HELD'
  local held; held=$(echo "$out" | sed -n 's/^HELD //p')
  local doubled booked
  read -r doubled booked < <($run "$CHECK_SQL")
  echo
  echo "database: pairs held twice: $doubled, pairs held: $booked (race reported $held)"
  echo
  [ "$doubled" = "0" ] && [ "$booked" = "$held" ] || status=1
}

status=0
echo
echo "## SQLite, one instance"
SQLITE="$DIR/kyodo.db"
KYODO_DATA_DIR="$DIR" KYODO_DATABASE_URL="sqlite://$SQLITE" target/release/kyodo demo >/dev/null
sqlite3 "$SQLITE" "$SETUP_SQL"
start "$A" "sqlite://$SQLITE"
sq() { sqlite3 -separator ' ' "$SQLITE" "$1"; }
race "$A" sq
race "$A" sq --interleave
teardown

echo "## PostgreSQL, two instances"
DB="kyodo_bench_race_$$"
psql "$PG_ADMIN" -qc "CREATE DATABASE $DB"
PRIMARY="${PG_ADMIN%/*}/$DB"
KYODO_DATA_DIR="$DIR" KYODO_DATABASE_URL="$PRIMARY" target/release/kyodo demo >/dev/null
psql "$PRIMARY" -qc "$SETUP_SQL"
start "$A" "$PRIMARY"
start "$B" "$PRIMARY"
pg() { psql "$PRIMARY" -qtAc "$1"; }
race "$A,$B" pg
race "$A,$B" pg --interleave
exit $status
