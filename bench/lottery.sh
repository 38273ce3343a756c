#!/usr/bin/env bash
# 抽選 at scale: 10,000 applicants (three wishes each) for 500 (day, slot) pairs of one room,
# drawn with `kyodo reservations draw --lottery` on SQLite and on PostgreSQL (release build, demo
# organization). Prints the time the draw took (as the command reports it, and the whole process)
# and checks the database: one booking per pair, one win per applicant, as many bookings as wins.
#
#   bench/lottery.sh [applicants, default 10000]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
PG_ADMIN=${KYODO_BENCH_POSTGRES_URL:-postgres://kyodo_test:kyodo_test@127.0.0.1:5432/kyodo_test}
command -v sqlite3 >/dev/null || apt-get install -y -q sqlite3 >/dev/null
cargo build --release -q -p kyodo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(git rev-parse --short HEAD)"
DIR=$(mktemp -d)
DB=""
trap '[ -n "$DB" ] && psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1; rm -rf "$DIR"' EXIT

# The month after next: 25 days × 20 slots = 500 pairs.
MONTH=$(date -d "$(date +%Y-%m-01) +2 month" +%Y-%m)
DAYS_SQL=$(for i in $(seq 0 24); do printf "INSERT INTO bench_days VALUES (%d, '%s-%02d');\n" "$i" "$MONTH" $((i + 1)); done)
SETUP_SQL=$(cat <<SQL
CREATE TABLE bench_days (n BIGINT, d TEXT);
$DAYS_SQL
INSERT INTO rsv_facilities (organization_id, id, name, kana, is_demo)
  SELECT organization_id, 900000001, 'ベンチ体育館', 'べんち', 1 FROM users WHERE email = 'citizen@demo.kyodo.jp';
INSERT INTO rsv_rooms (organization_id, id, facility_id, name, capacity)
  SELECT organization_id, 900000002, 900000001, 'アリーナ', 100 FROM users WHERE email = 'citizen@demo.kyodo.jp';
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 20)
INSERT INTO rsv_slots (organization_id, room_id, code, label, starts_at, ends_at, fee_resident, fee_nonresident, fee_commercial)
  SELECT u.organization_id, 900000002, 's' || k.i, 's' || k.i, '00:00', '00:30', 1000, 2000, 3000
  FROM users u, k WHERE u.email = 'citizen@demo.kyodo.jp';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO users (organization_id, id, email, display_name, kind, password_hash, created_at)
  SELECT u.organization_id, 800000000 + n.i, 'applicant' || n.i || '@bench.kyodo.jp', 'applicant ' || n.i, 'citizen', 'x', u.created_at
  FROM users u, n WHERE u.email = 'citizen@demo.kyodo.jp';
INSERT INTO rsv_registrations (organization_id, user_id, kind, representative, phone, address, resident, status, registered_at)
  SELECT organization_id, id, 'individual', display_name, '0', 'bench', 1, 'active', created_at FROM users WHERE email LIKE 'applicant%@bench.kyodo.jp';
INSERT INTO rsv_lotteries (organization_id, id, room_id, month, apply_from, apply_until, seed, status)
  SELECT organization_id, 900000010, 900000002, '$MONTH', '2020-01-01', '2020-01-02', 'bench-seed', 'open' FROM users WHERE email = 'citizen@demo.kyodo.jp';
INSERT INTO rsv_lottery_entries (organization_id, lottery_id, user_id, entry_no, applied_at)
  SELECT organization_id, 900000010, id, id - 800000000, created_at FROM users WHERE email LIKE 'applicant%@bench.kyodo.jp';
WITH RECURSIVE r(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM r WHERE k < 3)
INSERT INTO rsv_lottery_wishes (organization_id, lottery_id, entry_no, rank, used_on, slot_code)
  SELECT e.organization_id, 900000010, e.entry_no, r.k, d.d, 's' || (((e.entry_no * 7 + r.k * 13) % 500) % 20 + 1)
  FROM rsv_lottery_entries e, r, bench_days d
  WHERE e.lottery_id = 900000010 AND d.n = ((e.entry_no * 7 + r.k * 13) % 500) / 20;
SQL
)
CHECK_SQL="SELECT (SELECT COUNT(*) FROM rsv_bookings WHERE room_id = 900000002) || ' ' || (SELECT COUNT(DISTINCT used_on || slot_code) FROM rsv_bookings WHERE room_id = 900000002) || ' ' || (SELECT COUNT(DISTINCT user_id) FROM rsv_bookings WHERE room_id = 900000002) || ' ' || (SELECT COUNT(*) FROM rsv_lottery_wishes WHERE lottery_id = 900000010 AND won = 1);"

status=0
run() { # $1 label, $2 database URL, $3 sql runner
  echo "## $1: $N applicants, $(($N * 3)) wishes, 500 pairs"
  local t0 t1 out
  t0=$(date +%s%N)
  out=$(KYODO_DATA_DIR="$DIR" KYODO_DATABASE_URL="$2" target/release/kyodo reservations draw --lottery 900000010)
  t1=$(date +%s%N)
  echo "$out"
  echo "whole process: $(( (t1 - t0) / 1000000 )) ms"
  local bookings pairs users wins
  read -r bookings pairs users wins < <($3 "$CHECK_SQL")
  echo "database: $bookings bookings, $pairs distinct pairs, $users distinct users, $wins wishes marked won"
  echo
  [ "$bookings" = 500 ] && [ "$pairs" = 500 ] && [ "$users" = 500 ] && [ "$wins" = 500 ] || status=1
}

SQLITE="$DIR/kyodo.db"
KYODO_DATA_DIR="$DIR" KYODO_DATABASE_URL="sqlite://$SQLITE" target/release/kyodo demo >/dev/null
sqlite3 "$SQLITE" "$SETUP_SQL"
sq() { sqlite3 -separator ' ' "$SQLITE" "$1"; }
run "SQLite" "sqlite://$SQLITE" sq

DB="kyodo_bench_lottery_$$"
psql "$PG_ADMIN" -qc "CREATE DATABASE $DB"
PRIMARY="${PG_ADMIN%/*}/$DB"
KYODO_DATA_DIR="$DIR" KYODO_DATABASE_URL="$PRIMARY" target/release/kyodo demo >/dev/null
psql "$PRIMARY" -qc "$SETUP_SQL"
pg() { psql "$PRIMARY" -qtAc "$1"; }
run "PostgreSQL" "$PRIMARY" pg
exit $status
