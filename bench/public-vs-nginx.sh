#!/usr/bin/env bash
# Public pages against the physical limit: Kyodo (release build, SQLite, demo organization) and nginx
# serving byte-identical copies of the same pages as static files, loaded the same way with wrk.
# Also reports start-up time (process start → first successful /healthz on an existing database)
# and the server's peak resident memory (VmHWM).
#
#   bench/public-vs-nginx.sh [duration, default 10s] [connections, default 64]
#
# Loopback only; every run is bounded by the duration.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10s}
CONNECTIONS=${2:-64}
KPORT=${KYODO_BENCH_PORT:-18091}
NPORT=${NGINX_BENCH_PORT:-18092}
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
for tool in wrk nginx; do
  command -v "$tool" >/dev/null || as_root apt-get install -y -qq "$tool" >/dev/null
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
cargo build --release -q
DIR=$(mktemp -d)
chmod 755 "$DIR"
KYODO_DATA_DIR="$DIR/data" target/release/kyodo demo >/dev/null

# Start-up: an existing database, measured from exec to the first 200 from /healthz.
START=$(date +%s%N)
KYODO_DATA_DIR="$DIR/data" KYODO_LISTEN="127.0.0.1:$KPORT" KYODO_LOG=warn target/release/kyodo serve >"$DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; [ -f "$DIR/nginx.pid" ] && kill "$(cat "$DIR/nginx.pid")" 2>/dev/null || true; sleep 0.2; rm -rf "$DIR"' EXIT
until curl -fs "http://127.0.0.1:$KPORT/healthz" >/dev/null; do sleep 0.005; done
STARTUP_MS=$(( ($(date +%s%N) - START) / 1000000 ))

BASE="http://127.0.0.1:$KPORT"
PLAN=$(curl -fs "$BASE/plans" | grep -o 'href="/plans/[0-9]*"' | head -1 | grep -o '[0-9]*')
ITEM=$(curl -fs "$BASE/plans/$PLAN" | grep -B2 '職員数と給与等の適正化' | grep -o '/plans/items/[0-9]*' | head -1)
PAGES=("/" "/plans/$PLAN" "$ITEM")

# Byte-identical static copies for nginx.
mkdir -p "$DIR/www"
for i in "${!PAGES[@]}"; do
  curl -fs "$BASE${PAGES[$i]}" -o "$DIR/www/page$i.html"
  gzip -k -6 "$DIR/www/page$i.html" # nginx serves these pre-compressed copies (gzip_static)
done
cat >"$DIR/nginx.conf" <<NGINX
worker_processes 2;
pid $DIR/nginx.pid;
error_log $DIR/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  server {
    listen 127.0.0.1:$NPORT;
    root $DIR/www;
    gzip_static on;
  }
}
NGINX
as_root "$NGINX" -c "$DIR/nginx.conf"
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$NPORT/page0.html" >/dev/null && break; sleep 0.05; done

# A figure from measure, or the script stops: a failed run must not print a ratio of 0.00.
need() { [[ "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "measurement failed: $2" >&2; exit 1; }; }
measure() {
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@")
  if echo "$out" | grep -q "Non-2xx"; then echo "$out" >&2; exit 1; fi
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | awk '$1 == "50%" {print $2}') $(echo "$out" | awk '$1 == "99%" {print $2}')"
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(git rev-parse --short HEAD)"
echo "wrk -t2 -c$CONNECTIONS -d$DURATION; nginx $("$NGINX" -v 2>&1 | cut -d/ -f2), 2 workers"
printf '%-22s %12s %9s %9s | %12s %9s %9s | %7s\n' page "kyodo req/s" p50 p99 "nginx req/s" p50 p99 ratio
for enc in identity gzip; do
  for i in "${!PAGES[@]}"; do
    # measure runs in a subshell: its `exit 1` ends only that, so the figures are checked here.
    read -r krps kp50 kp99 <<<"$(measure -H "Accept-Encoding: $enc" "$BASE${PAGES[$i]}")"
    need "$krps" "kyodo ${PAGES[$i]} ($enc)"
    read -r nrps np50 np99 <<<"$(measure -H "Accept-Encoding: $enc" "http://127.0.0.1:$NPORT/page$i.html")"
    need "$nrps" "nginx page$i ($enc)"
    ratio=$(awk -v k="$krps" -v n="$nrps" 'BEGIN { printf "%.2f", k / n }')
    label="${PAGES[$i]%%[0-9]*}${PAGES[$i]:+ }($enc)"
    printf '%-22s %12s %9s %9s | %12s %9s %9s | %7s\n' "${label:0:22}" "$krps" "$kp50" "$kp99" "$nrps" "$np50" "$np99" "$ratio"
  done
done
echo "start-up to first /healthz: ${STARTUP_MS} ms"
echo "kyodo peak RSS (VmHWM): $(awk '/VmHWM/ {print int($2/1024)}' /proc/$PID/status) MiB"
