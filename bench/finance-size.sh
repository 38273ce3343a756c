#!/usr/bin/env bash
# 予算・決算 at a city's size: twenty years of 決算 for four 会計 of 50,000 節 lines each (200,000 lines
# a year, 4,000,000 in all, 80 CSV files as a finance system exports them: 千円 in the header,
# commas, △ negatives), imported with `kyodo finance import` (files read and checked on every
# core while one transaction writes those checked; any problem rolls it back), then the server
# time of the finance pages for the largest edition (and its lines CSV) and of the open-data
# catalogue with every edition listed, uncached (unique query strings), as the server logs it.
# Release build; SQLite, and PostgreSQL when KYODO_BENCH_POSTGRES_URL names an empty database.
#
#   bench/finance-size.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${KYODO_BENCH_PORT:-18098}
cargo build --release -q -p kyodo
DIR=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$DIR"' EXIT
python3 - "$DIR" <<'PY'
import sys, random
out = sys.argv[1]
random.seed(7)
kans = ["議会費", "総務費", "民生費", "衛生費", "労働費", "農林水産業費", "商工費", "土木費", "消防費", "教育費", "災害復旧費", "公債費", "諸支出金", "予備費"]
natures = ["人件費", "物件費", "維持補修費", "扶助費", "補助費等", "普通建設事業費", "公債費", "積立金", "繰出金"]
setsu = ["報酬", "給料", "職員手当等", "共済費", "報償費", "旅費", "需用費", "役務費", "委託料", "使用料及び賃借料", "工事請負費", "備品購入費", "負担金補助及び交付金", "扶助費", "繰出金"]
incomes = ["市税", "地方譲与税", "地方交付税", "分担金及び負担金", "使用料及び手数料", "国庫支出金", "県支出金", "財産収入", "繰入金", "繰越金", "諸収入", "市債"]
accounts = ["一般会計", "国民健康保険特別会計", "介護保険特別会計", "下水道事業特別会計"]
def amount(k):
    v = k
    return f"\"△{-v:,}\"" if v < 0 else f"\"{v:,}\""
for year in range(2005, 2025):
    for a in accounts:
        rows = [f"{year}年度 {a} 決算書,,,,,,,,,", "年度,会計,予算区分,歳入歳出,款,項,目,節,性質,金額(千円)"]
        for i in range(50_000):
            if i % 10 == 0:
                kan = incomes[i // 10 % len(incomes)]
                rows.append(f"{year},{a},決算,歳入,{kan},{kan}{i % 7 + 1}項,第{i % 13 + 1}目,第{i % 5 + 1}節,,{amount(random.randint(-50, 90_000))}")
            else:
                kan = kans[i % len(kans)]
                rows.append(f"{year},{a},決算,歳出,{kan},{kan}{i % 5 + 1}項,{kan}{i % 11 + 1}目,{setsu[i % len(setsu)]},{natures[i % len(natures)]},{amount(random.randint(1, 80_000))}")
        with open(f"{out}/{year}-{accounts.index(a)}.csv", "w", encoding="utf-8") as f:
            f.write("\n".join(rows) + "\n")
PY
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(git rev-parse --short HEAD)"
echo "files: $(ls "$DIR"/*.csv | wc -l), $(du -sh "$DIR" | cut -f1), $(cat "$DIR"/*.csv | wc -l) rows"
run() { # $1 label, then env for the database
  local label=$1; shift
  local data="$DIR/data-$label"; mkdir -p "$data"
  env "$@" KYODO_DATA_DIR="$data" target/release/kyodo demo >/dev/null
  echo "== $label: import"
  /usr/bin/time -f "peak RSS %M KiB, wall %e s" env "$@" KYODO_DATA_DIR="$data" \
    target/release/kyodo finance import "$DIR"/*.csv 2>&1 | grep -v '^importing' | tail -2
  env "$@" KYODO_DATA_DIR="$data" KYODO_LISTEN="127.0.0.1:$PORT" KYODO_LOG=info KYODO_LOG_FORMAT=json \
    target/release/kyodo serve >"$data/server.log" 2>&1 &
  local pid=$!
  local B="http://127.0.0.1:$PORT"
  for _ in $(seq 1 100); do curl -fs "$B/healthz" >/dev/null && break; sleep 0.1; done
  local edition
  # An imported 50,000-line edition (the demo's own editions are small).
  edition=$(curl -fs "$B/finance" | grep -o '<option value="[0-9]*"[^>]*>[^<]*介護保険特別会計' | head -1 \
    | grep -o 'value="[0-9]*"' | grep -o '[0-9]*')
  printf '%-30s %10s %10s\n' "page ($label)" "first ms" "median ms"
  for pair in "finance, 50,000-line edition:/finance?edition=$edition&" "finance default:/finance" \
    "lines CSV, 50,000 lines:/finance/editions/$edition/lines.csv" "statements:/finance/statements" "open data page:/opendata" "CKAN package_search:/api/3/action/package_search?rows=100&" \
    "CKAN package_list:/api/3/action/package_list"; do
    local label2=${pair%%:*} target=${pair#*:} url path
    case "$target" in *'&') url="$target"; path=${target%%\?*} ;; *) url="$target?"; path=$target ;; esac
    for i in $(seq 1 20); do curl -fs -o /dev/null "$B${url}t=$i"; done
    sleep 0.2
    times=$(grep -F "\"http.path\":\"$path\"" "$data/server.log" | grep -o '"duration_ms":[0-9.]*' | cut -d: -f2 | tail -20)
    printf '%-30s %10.2f %10.2f\n' "$label2" "$(echo "$times" | head -1)" \
      "$(echo "$times" | tail -n +2 | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')"
  done
  kill $pid; wait $pid 2>/dev/null || true
}
run sqlite
if [ -n "${KYODO_BENCH_POSTGRES_URL:-}" ]; then run postgres KYODO_DATABASE_URL="$KYODO_BENCH_POSTGRES_URL"; fi
