#!/usr/bin/env bash
# Kyodo's whole test suite: formatting, lints, unit tests, integration tests on SQLite AND PostgreSQL,
# browser tests in headless Chromium with axe-core, Lighthouse over a sample of public pages, and the
# API tested from its OpenAPI document (schemathesis from PyPI, in a virtualenv under target/).
# Installs what is missing (Debian packages postgresql, chromium, chromium-driver, fonts-ipaexfont,
# mecab-ipadic for ふりがな; npm axe-core and lighthouse; cargo-deny) and starts PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres bash -c "$1"; fi; }
step() { printf '\n==> %s\n' "$*"; }

# Switches that would quietly weaken the suite are refused: a crash test of zero rounds, a soak or a
# fuzzing run of zero seconds proves nothing while reporting success.
for var in KYODO_CRASH_ROUNDS KYODO_SOAK_SECONDS KYODO_FUZZ_SECONDS; do
  val=${!var:-}
  if [ -n "$val" ] && ! [[ "$val" =~ ^[1-9][0-9]*$ ]]; then
    echo "$var=$val would weaken the suite: give a positive whole number or leave it unset" >&2
    exit 2
  fi
done

step "system packages"
missing=()
for pkg in postgresql chromium chromium-driver fonts-ipaexfont poppler-utils curl mecab-ipadic; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "all present"
fi

step "PostgreSQL"
PGV=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_isready -h 127.0.0.1 -q; then
  as_root pg_ctlcluster "$PGV" main start || true
fi
pg_isready -h 127.0.0.1 -t 60
as_postgres "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = 'kyodo_test'\"" | grep -q 1 \
  || as_postgres "psql -qc \"CREATE ROLE kyodo_test LOGIN PASSWORD 'kyodo_test' CREATEDB\""
as_postgres "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname = 'kyodo_test'\"" | grep -q 1 \
  || as_postgres "createdb -O kyodo_test kyodo_test"
# The read-replica test copies the cluster (pg_basebackup) and pauses the copy's replay.
as_postgres "psql -qc 'ALTER ROLE kyodo_test REPLICATION'"
as_postgres "psql -d kyodo_test -qc 'GRANT EXECUTE ON FUNCTION pg_wal_replay_pause(), pg_wal_replay_resume() TO kyodo_test'"
step "PostgreSQL streaming replica (port 5433)"
KYODO_TEST_REPLICA_URL=$(./scripts/pg-replica.sh start 5433)
export KYODO_TEST_REPLICA_URL KYODO_TEST_REQUIRE_REPLICA=1
trap './scripts/pg-replica.sh stop 5433 || true' EXIT

step "npm packages for browser tests"
if [ ! -f crates/kyodo/tests/browser/node_modules/axe-core/axe.min.js ] \
  || [ ! -f crates/kyodo/tests/browser/node_modules/@digital-go-jp/design-tokens/dist/tokens.css ] \
  || [ ! -f crates/kyodo/tests/browser/node_modules/lighthouse/package.json ]; then
  (cd crates/kyodo/tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

step "cargo fmt"
cargo fmt --all -- --check

step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo deny (licences compatible with AGPL-3.0-or-later, banned crates, crates.io only)"
command -v cargo-deny >/dev/null || cargo install -q --locked cargo-deny
cargo deny --log-level error check licenses bans sources

step "tests (SQLite + PostgreSQL + headless Chromium)"
export KYODO_TEST_POSTGRES_URL="postgres://kyodo_test:kyodo_test@127.0.0.1:5432/kyodo_test"
export KYODO_TEST_REQUIRE_POSTGRES=1
export KYODO_TEST_REQUIRE_BROWSER=1
export KYODO_TEST_REQUIRE_FURIGANA=1
# The browser tests write what they checked here; Lighthouse's demo instance imports it.
export KYODO_A11Y_RESULTS="$PWD/target/accessibility/results.json"
cargo test --workspace --locked "$@"

step "Lighthouse: 100 in every category on a sample of public pages (with this run's accessibility report)"
./scripts/lighthouse.sh "${CARGO_TARGET_DIR:-target}/debug/kyodo"

step "The API tested from its OpenAPI document (schemathesis: no 5xx, every answer as declared)"
./scripts/api-check.sh "${CARGO_TARGET_DIR:-target}/debug/kyodo"

step "soak (short run on the debug build; the long form is bench/soak.sh 1800)"
./bench/soak.sh "${KYODO_SOAK_SECONDS:-30}" 16 debug

step "fuzzing (short run; the long form is scripts/fuzz.sh 600)"
./scripts/fuzz.sh "${KYODO_FUZZ_SECONDS:-5}"
