#!/usr/bin/env bash
# A streaming replica of the local PostgreSQL cluster, for the read-replica tests and benches:
#
#   scripts/pg-replica.sh start [port, default 5433]   # pg_basebackup of 127.0.0.1:5432, then start
#   scripts/pg-replica.sh stop  [port]                 # stop it and delete its data directory
#
# Runs the server as the postgres user from /tmp/kyodo-replica-<port>. The primary must let
# kyodo_test replicate (scripts/test.sh grants it). Prints the replica's kyodo_test URL on start.
set -euo pipefail
ACTION=${1:?start or stop}
PORT=${2:-5433}
DIR=/tmp/kyodo-replica-$PORT
PGV=$(ls /usr/lib/postgresql | sort -n | tail -1)
BIN=/usr/lib/postgresql/$PGV/bin
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres bash -c "$1"; fi; }

case "$ACTION" in
  start)
    if as_postgres "$BIN/pg_ctl -D $DIR status" >/dev/null 2>&1; then
      as_postgres "$BIN/pg_ctl -D $DIR -m fast -w stop" >/dev/null
    fi
    as_postgres "rm -rf $DIR && mkdir -p $DIR && chmod 700 $DIR"
    as_postgres "PGPASSWORD=kyodo_test $BIN/pg_basebackup -h 127.0.0.1 -p 5432 -U kyodo_test -D $DIR -R -X stream -c fast"
    # Debian keeps the primary's configuration under /etc: the copy gets a minimal one of its own
    # (its own port and socket directory; hot standby answers reads while replaying).
    as_postgres "printf 'hot_standby = on\nlisten_addresses = '\''127.0.0.1'\''\n' > $DIR/postgresql.conf"
    as_postgres "printf 'local all all peer\nhost all all 127.0.0.1/32 scram-sha-256\n' > $DIR/pg_hba.conf"
    as_postgres "$BIN/pg_ctl -D $DIR -l $DIR/server.log -w -t 60 -o '-p $PORT -k /tmp' start" >/dev/null
    echo "postgres://kyodo_test:kyodo_test@127.0.0.1:$PORT/kyodo_test"
    ;;
  stop)
    if as_postgres "$BIN/pg_ctl -D $DIR status" >/dev/null 2>&1; then
      as_postgres "$BIN/pg_ctl -D $DIR -m fast -w stop" >/dev/null
    fi
    as_postgres "rm -rf $DIR"
    ;;
  *) echo "start or stop" >&2; exit 2 ;;
esac
