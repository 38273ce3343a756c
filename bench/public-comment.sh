#!/usr/bin/env bash
# 意見公募 that goes viral: `kyodo-opinion-burst` has 64 guests (no account) send 10,000 opinions
# to the demo's open consultation, paced evenly over ten minutes, on SQLite (one instance) and on
# PostgreSQL (two instances on one database). After each run the database is checked: as many
# opinions stored as were acknowledged, every receipt number distinct. Then the opinions are put
# into 500 answered groups and the result is published, and the result page, xlsx, CSV and PDF
# are timed (each the first, uncached request). Release build, demo organization.
#
#   bench/public-comment.sh [opinions, default 10000] [seconds, default 600]
#
# Needs the PostgreSQL that scripts/test.sh prepares and the sqlite3 shell (installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
OPINIONS=${1:-10000}
SECONDS_=${2:-600}
PG_ADMIN=${KYODO_BENCH_POSTGRES_URL:-postgres://kyodo_test:kyodo_test@127.0.0.1:5432/kyodo_test}
A=127.0.0.1:18121
B=127.0.0.1:18122
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
    KYODO_MAX_CONNECTIONS=4096 target/release/kyodo serve >>"$DIR/server.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do curl -fs "http://$1/healthz" >/dev/null && return; sleep 0.1; done
  echo "instance at $1 did not start" >&2; exit 1
}

# Every guest comes from 127.0.0.1: lift the per-address allowance for the run.
SETUP_SQL="INSERT INTO org_settings (organization_id, key, value)
  SELECT organization_id, 'consultations.per_address_per_day', '100000000' FROM users WHERE email = 'citizen@demo.kyodo.jp';"
ID_SQL="SELECT id FROM pc_consultations WHERE result_state = 'none';"
CHECK_SQL="SELECT COUNT(*) || ' ' || COUNT(DISTINCT receipt_no) FROM pc_opinions WHERE consultation_id = (SELECT id FROM pc_consultations WHERE result_state = 'none') AND email LIKE '%@bench.kyodo.jp';"
# 500 groups, every opinion confirmed and in one of them, answered; the period over; published.
RESULT_SQL=$(cat <<'SQL'
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 499)
INSERT INTO pc_groups (organization_id, id, consultation_id, section_number, summary, city_view, revised, change_text)
  SELECT c.organization_id, 910000000 + n.i, c.id, n.i % 3, '意見の概要 ' || n.i || ': 公表の時期を明確にすべき。',
         '市の考え方 ' || n.i || ': ご意見を踏まえ、毎年度の公表とします。', n.i % 2, CASE WHEN n.i % 2 = 1 THEN '「毎年」を「毎年度」に修正' ELSE '' END
  FROM pc_consultations c, n WHERE c.result_state = 'none';
UPDATE pc_opinions SET confirmed = 1, group_id = 910000000 + (receipt_no % 500)
  WHERE consultation_id = (SELECT id FROM pc_consultations WHERE result_state = 'none');
UPDATE pc_sections SET revised_body = body || '(毎年度、進捗を公表する。)'
  WHERE number = 2 AND consultation_id = (SELECT id FROM pc_consultations WHERE result_state = 'none');
UPDATE pc_consultations SET result_state = 'published', result_published_at = '2026-12-01T00:00:00.000000Z' WHERE result_state = 'none';
SQL
)

run() { # $1 addresses, $2 sql runner
  local addrs=$1 q=$2
  local id; id=$($q "$ID_SQL")
  local out; out=$(target/release/kyodo-opinion-burst --addr "$addrs" --consultation "$id" \
    --opinions "$OPINIONS" --seconds "$SECONDS_") || status=1
  echo "$out" | grep -v '^SENT'
  local sent; sent=$(echo "$out" | sed -n 's/^SENT //p')
  local stored distinct
  read -r stored distinct < <($q "$CHECK_SQL")
  echo
  echo "database: opinions stored $stored (acknowledged $sent), distinct receipt numbers $distinct"
  [ "$stored" = "$sent" ] && [ "$distinct" = "$stored" ] || status=1
  $q "$RESULT_SQL" >/dev/null
  echo
  echo "| result of $stored opinions in 500 groups | seconds | bytes |"
  echo "|---|---:|---:|"
  for f in "" .xlsx .csv .pdf; do
    curl -s -o /dev/null -w "| result$f | %{time_total} | %{size_download} |\n" "http://${addrs%%,*}/consultations/$id/result$f"
  done
  echo
}

status=0
echo
echo "## SQLite, one instance"
SQLITE="$DIR/kyodo.db"
KYODO_DATA_DIR="$DIR" KYODO_DATABASE_URL="sqlite://$SQLITE" target/release/kyodo demo >/dev/null
sqlite3 "$SQLITE" "$SETUP_SQL"
start "$A" "sqlite://$SQLITE"
sq() { sqlite3 -separator ' ' "$SQLITE" "$1"; }
run "$A" sq
teardown

echo "## PostgreSQL, two instances"
DB="kyodo_bench_pc_$$"
psql "$PG_ADMIN" -qc "CREATE DATABASE $DB"
PRIMARY="${PG_ADMIN%/*}/$DB"
KYODO_DATA_DIR="$DIR" KYODO_DATABASE_URL="$PRIMARY" target/release/kyodo demo >/dev/null
psql "$PRIMARY" -qc "$SETUP_SQL"
start "$A" "$PRIMARY"
start "$B" "$PRIMARY"
pg() { psql "$PRIMARY" -qtAF ' ' -c "$1"; }
run "$A,$B" pg
exit $status
