#!/usr/bin/env bash
# Development PostgreSQL: the machine's PostgreSQL binaries with a cluster of our own under the run directory,
# listening on 127.0.0.1:5433 only (5432 may belong to the system cluster that Debian's package starts).
# The password of the `callcenter` role is generated once into the run directory and never committed.
#
# Usage: scripts/postgres.sh start|stop|status|psql [psql args...]
# Env:   CALLCENTER_RUN_DIR  (default <repo>/.run)  cluster in postgres/data, log in postgres/postgres.log,
#                            password in secrets/db-password
#        CALLCENTER_DB_PORT  (default 5433)         the bench runs a second cluster on another port
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN_DIR=${CALLCENTER_RUN_DIR:-$REPO/.run}
PG_DIR=$RUN_DIR/postgres
DATA=$PG_DIR/data
LOG=$PG_DIR/postgres.log
PORT=${CALLCENTER_DB_PORT:-5433}
PASSWORD_FILE=$RUN_DIR/secrets/db-password
# The SIP edge's read-only login (kamailio-config/README.md): EDGE_DB_PASSWORD, or generated once into this file.
EDGE_PASSWORD_FILE=$RUN_DIR/secrets/edge-db-password

die() { echo "postgres.sh: $*" >&2; exit 1; }

find_bin() {
  # The newest installed major version; the cluster remembers which one created it (PG_VERSION).
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

BIN=$(find_bin)

ensure_binaries() {
  [ -n "$BIN" ] && [ -x "$BIN/initdb" ] && return 0
  [ "$(id -u)" = 0 ] || die "PostgreSQL is not installed; run: sudo apt-get install -y postgresql"
  echo "postgres.sh: installing postgresql" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  BIN=$(find_bin)
  [ -n "$BIN" ] && [ -x "$BIN/initdb" ] || die "no initdb under /usr/lib/postgresql/*/bin after installing postgresql"
}

# initdb and postgres refuse to run as root: as root, run them as the `postgres` OS user (from Debian's package).
# runuser takes an argument vector (no shell quoting of paths); cd / spares "could not change directory" noise.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

running() {
  [ -f "$DATA/PG_VERSION" ] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

# The superuser has no password and logs in over the Unix socket in $PG_DIR (peer authentication).
superuser_psql() {
  as_pg "$BIN/psql" -X -q -h "$PG_DIR" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"
}

start() {
  ensure_binaries
  mkdir -p "$PG_DIR" "$RUN_DIR/secrets"
  chmod 700 "$RUN_DIR/secrets"
  if [ ! -s "$PASSWORD_FILE" ]; then
    # Alphanumeric only: it goes into a SQL literal and into environment variables unquoted. (cut, not head,
    # at the end: it reads all its input, so no SIGPIPE trips pipefail.)
    (umask 077; head -c 48 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9' | cut -c1-32 > "$PASSWORD_FILE")
  fi
  chmod 600 "$PASSWORD_FILE"
  if [ -n "${EDGE_DB_PASSWORD:-}" ]; then
    [[ $EDGE_DB_PASSWORD =~ ^[A-Za-z0-9]+$ ]] || die "EDGE_DB_PASSWORD must be letters and digits"
    (umask 077; printf '%s\n' "$EDGE_DB_PASSWORD" > "$EDGE_PASSWORD_FILE")
  elif [ ! -s "$EDGE_PASSWORD_FILE" ]; then
    (umask 077; head -c 48 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9' | cut -c1-32 > "$EDGE_PASSWORD_FILE")
  fi
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$PG_DIR"
    [ -d "$DATA" ] && chown -R postgres "$DATA"
    as_pg test -w "$PG_DIR" \
      || die "the postgres OS user cannot reach $PG_DIR (a parent directory is not world-searchable, e.g. /root); set CALLCENTER_RUN_DIR to a path under /srv or /tmp"
  fi
  # The socket path must fit in sun_path (107 bytes).
  [ ${#PG_DIR} -le 90 ] || die "run directory path too long for a Unix socket: $PG_DIR; set CALLCENTER_RUN_DIR shorter"

  if [ ! -f "$DATA/PG_VERSION" ]; then
    echo "postgres.sh: creating a cluster in $DATA"
    # Network logins need a password (scram); only the OS user postgres may log in as superuser, over the socket.
    # Explicit encoding and locale: CI and su sessions often have no LANG, which would give SQL_ASCII.
    as_pg "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-host=scram-sha-256 --auth-local=peer >/dev/null
  fi
  if ! running; then
    # -w: pg_ctl returns once the server accepts connections (or fails after -t seconds).
    if ! as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
        -o "-p $PORT -c listen_addresses=127.0.0.1 -k $PG_DIR" start >/dev/null; then
      echo "postgres.sh: PostgreSQL did not start; last log lines:" >&2
      tail -n 20 "$LOG" >&2 || true
      exit 1
    fi
  fi

  # Idempotent: the role and database are created once; the password is (re)set from the file every time, so
  # a deleted password file heals itself on the next start.
  local password edge_password
  password=$(cat "$PASSWORD_FILE")
  edge_password=$(cat "$EDGE_PASSWORD_FILE")
  superuser_psql >/dev/null <<SQL
do \$\$ begin
  if not exists (select from pg_roles where rolname = 'callcenter') then create role callcenter login; end if;
  if not exists (select from pg_roles where rolname = 'callcenter_edge') then create role callcenter_edge login; end if;
end \$\$;
alter role callcenter password '$password';
alter role callcenter_edge password '$edge_password';
select 'create database callcenter owner callcenter'
  where not exists (select from pg_database where datname = 'callcenter')\gexec
SQL
  # The edge may read its view (migration V130) and nothing else; granted here too in case the app migrated first.
  superuser_psql -d callcenter >/dev/null <<SQL
select 'grant select on edge_subscriber to callcenter_edge'
  where exists (select from pg_views where viewname = 'edge_subscriber')\gexec
SQL
  echo "postgres.sh: PostgreSQL on 127.0.0.1:$PORT (database callcenter, user callcenter, password in $PASSWORD_FILE)"
}

stop() {
  if [ -n "$BIN" ] && running; then
    as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null
    echo "postgres.sh: stopped"
  else
    echo "postgres.sh: not running"
  fi
}

status() {
  if [ ! -f "$DATA/PG_VERSION" ]; then
    echo "postgres.sh: no cluster yet in $DATA (scripts/postgres.sh start creates it)"
    return 3
  fi
  if running; then
    echo "postgres.sh: running on 127.0.0.1:$PORT (data $DATA)"
  else
    echo "postgres.sh: stopped (data $DATA)"
    return 3
  fi
}

open_psql() {
  [ -s "$PASSWORD_FILE" ] || die "no password file $PASSWORD_FILE; run scripts/postgres.sh start first"
  running || die "not running; run scripts/postgres.sh start first"
  PGPASSWORD=$(cat "$PASSWORD_FILE") exec "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U callcenter -d callcenter "$@"
}

cmd=${1:-}
shift || true
case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  psql) open_psql "$@" ;;
  *) echo "usage: $0 start|stop|status|psql [psql args...]" >&2; exit 2 ;;
esac
