#!/usr/bin/env bash
# Survey analysis at scale: a closed survey with N generated responses to P importance × satisfaction
# pairs plus two respondent attributes (default 1,000,000 × 40: 82 million answer rows), on SQLite
# and then PostgreSQL. Reports the analysis time (counts, scores, portfolio with 改善度指数,
# cross-tabulation; three runs, the first cold) and the streamed CSV export of every response with
# the exporting process's peak memory, beside the export of a survey 1/100 the size (flat memory
# means the two peaks match).
#
#   bench/survey-analysis.sh [responses, default 1000000] [pairs, default 40]
#
# PostgreSQL: KYODO_BENCH_POSTGRES_URL (default: the test server scripts/test.sh starts); a fresh
# database is created and dropped; "none" skips it. Needs ~12 GB of disk per backend at 1,000,000.
set -euo pipefail
cd "$(dirname "$0")/.."
RESPONSES=${1:-1000000}
PAIRS=${2:-40}
PG_ADMIN=${KYODO_BENCH_POSTGRES_URL:-postgres://kyodo_test:kyodo_test@127.0.0.1:5432/kyodo_test}
cargo build --release -q -p kyodo
K=target/release/kyodo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(git rev-parse --short HEAD)"

run() { # $1 label, $2 database URL, $3 data dir
  echo
  echo "## $1: $RESPONSES responses × $PAIRS pairs"
  export KYODO_DATA_DIR="$3" KYODO_DATABASE_URL="$2" KYODO_LOG=warn
  $K demo >/dev/null
  local big small
  big=$($K survey generate --responses "$RESPONSES" --pairs "$PAIRS")
  small=$($K survey generate --responses $((RESPONSES / 100)) --pairs "$PAIRS" 2>/dev/null)
  # Each result is taken into a variable first: inside `echo "$(…)"` a failed command would print
  # a blank figure and the script would go on.
  local out
  for i in 1 2 3; do
    out=$($K survey analyze "$big")
    echo "analysis run $i: $(tail -1 <<<"$out")"
  done
  out=$($K survey analyze "$big")
  sed -n 1,2p <<<"$out"
  out=$($K survey export "$big" --to "$3/big.csv")
  echo "export of $RESPONSES responses: $out"
  out=$($K survey export "$small" --to "$3/small.csv")
  echo "export of $((RESPONSES / 100)) responses: $out"
  local rows
  rows=$(wc -l <"$3/big.csv")
  [ "$rows" -eq $((RESPONSES + 1)) ] || { echo "the CSV has $rows lines, not $((RESPONSES + 1))" >&2; exit 1; }
  echo "rows exported: $((rows - 1))"
  out=$($K survey export "$big" --to "$3/big.xlsx")
  echo "xlsx export of $RESPONSES responses: $out"
  out=$($K survey export "$small" --to "$3/small.xlsx")
  echo "xlsx export of $((RESPONSES / 100)) responses: $out"
  unset KYODO_DATA_DIR KYODO_DATABASE_URL
}

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
run "SQLite" "sqlite://$dir/kyodo.db" "$dir"
rm -rf "${dir:?}"/*
if [ "$PG_ADMIN" != none ] && psql "$PG_ADMIN" -qc 'SELECT 1' >/dev/null 2>&1; then
  db="kyodo_bench_$$"
  psql "$PG_ADMIN" -qc "CREATE DATABASE $db"
  run "PostgreSQL" "${PG_ADMIN%/*}/$db" "$dir"
  psql "$PG_ADMIN" -qc "DROP DATABASE $db WITH (FORCE)"
else
  echo "PostgreSQL not reachable at $PG_ADMIN: skipped"
fi
