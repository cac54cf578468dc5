#!/bin/bash
# First start on an empty data directory: a cluster, the role and the database from POSTGRES_USER,
# POSTGRES_PASSWORD and POSTGRES_DB (as the official postgres image). Then the server in the foreground, its
# log on stdout; arguments go to the server (e.g. -c listen_addresses=127.0.0.1).
set -euo pipefail
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
user=${POSTGRES_USER:-postgres}
db=${POSTGRES_DB:-$user}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  # The password never appears on a command line or in the environment of psql.
  pwfile=$(mktemp)
  printf '%s' "$POSTGRES_PASSWORD" > "$pwfile"
  initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  # The socket stays inside the container (trust there: the superuser need not be the OS user postgres);
  # every network login needs the password.
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  # A server on the socket only, to create the database; its "ready" line comes before the real server's.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
  if [ "$db" != postgres ]; then
    psql -v ON_ERROR_STOP=1 -q -h /var/run/postgresql -U "$user" -d postgres \
      -c "create database \"$db\" owner \"$user\""
  fi
  pg_ctl -D "$PGDATA" -m fast -w stop
fi
# As the official image: a command may start with "postgres" (Testcontainers passes `postgres -c fsync=off`).
[ "${1:-}" = postgres ] && shift
exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
