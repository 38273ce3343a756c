#!/usr/bin/env bash
# Fuzzes the parsers of user-typed text (和暦 dates, fiscal-year headers, 団体コード, numbers) and the
# decoders of uploads and form bodies (xlsx, CSV in UTF-8/Shift_JIS, urlencoded and multipart fields, plain-text minutes, NDL XML records,
# finance files: budgets, statements, outlook, bidding results) with
# cargo-fuzz (nightly toolchain). Each target runs for the given seconds; corpora live in fuzz/corpus/
# (not committed). A crash fails the script and leaves its input in fuzz/artifacts/.
#
#   scripts/fuzz.sh [seconds per target, default 10]
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
SECONDS_PER_TARGET=${1:-10}
command -v cargo-fuzz >/dev/null || cargo install -q cargo-fuzz
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
for target in wareki_date fiscal_year lgcode numbers spreadsheet form_fields minutes_text ndl_xml finance_files; do
  mkdir -p "corpus/$target"
  max_len=256 seeds=()
  # Spreadsheets start from committed seed files (a real xlsx is a zip that random bytes never reach).
  if [ "$target" = spreadsheet ]; then max_len=65536 seeds=(seeds/spreadsheet); fi
  # Finance files start from one small consistent file of each kind.
  if [ "$target" = finance_files ]; then max_len=4096 seeds=(seeds/finance); fi
  out=$(cargo +nightly fuzz run "$target" "corpus/$target" "${seeds[@]}" -- -max_total_time="$SECONDS_PER_TARGET" -max_len=$max_len -rss_limit_mb=1024 2>&1) || { echo "$out" | tail -40; exit 1; }
  echo "$target: $(echo "$out" | grep -o 'Done [0-9]* runs in [0-9]* second(s)' | tail -1)"
done
