#!/usr/bin/env bash
# Development PostgreSQL: the machine's PostgreSQL binaries with a cluster under the run directory, on
# 127.0.0.1:5433 (5432 may belong to a system cluster). The database password is generated once, never committed.
# Usage: scripts/postgres.sh start|stop|status|psql
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN_DIR=${CALLCENTER_RUN_DIR:-$REPO/.run}
DATA=$RUN_DIR/postgres/data
PORT=${CALLCENTER_DB_PORT:-5433}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$BIN" ] || { echo "postgres.sh: no PostgreSQL binaries; run scripts/install-deps.sh" >&2; exit 1; }
PASSWORD_FILE=$RUN_DIR/secrets/db-password

as_postgres() {
  # initdb and postgres refuse to run as root.
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

start() {
  mkdir -p "$RUN_DIR/postgres" "$RUN_DIR/secrets"
  chmod 700 "$RUN_DIR/secrets"
  [ -s "$PASSWORD_FILE" ] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$PASSWORD_FILE")
  [ "$(id -u)" = 0 ] && chown postgres "$RUN_DIR/postgres"
  if [ ! -f "$DATA/PG_VERSION" ]; then
    # Network logins need a password; the superuser has none and only works over the Unix socket (peer).
    as_postgres "'$BIN/initdb' -D '$DATA' -U postgres --auth-host=scram-sha-256 --auth-local=peer >/dev/null"
  fi
  if ! as_postgres "'$BIN/pg_ctl' -D '$DATA' status" >/dev/null 2>&1; then
    as_postgres "'$BIN/pg_ctl' -D '$DATA' -l '$RUN_DIR/postgres/postgres.log' -w -t 30 \
      -o \"-p $PORT -c listen_addresses=127.0.0.1 -k '$RUN_DIR/postgres'\" start" >/dev/null
  fi
  local password
  password=$(cat "$PASSWORD_FILE")
  as_postgres "'$BIN/psql' -q -h '$RUN_DIR/postgres' -p $PORT -U postgres -d postgres -v ON_ERROR_STOP=1" <<SQL >/dev/null
do \$\$ begin
  if not exists (select from pg_roles where rolname = 'callcenter') then create role callcenter login; end if;
end \$\$;
alter role callcenter password '$password';
select 'create database callcenter owner callcenter' where not exists (select from pg_database where datname = 'callcenter')\gexec
SQL
  echo "postgres.sh: PostgreSQL on 127.0.0.1:$PORT (database callcenter, user callcenter)"
}

stop() {
  if [ -f "$DATA/PG_VERSION" ] && as_postgres "'$BIN/pg_ctl' -D '$DATA' status" >/dev/null 2>&1; then
    as_postgres "'$BIN/pg_ctl' -D '$DATA' -m fast -w stop" >/dev/null
  fi
  echo "postgres.sh: stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) as_postgres "'$BIN/pg_ctl' -D '$DATA' status" ;;
  psql) PGPASSWORD=$(cat "$PASSWORD_FILE") exec "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U callcenter callcenter ;;
  *) echo "usage: $0 start|stop|status|psql" >&2; exit 2 ;;
esac
