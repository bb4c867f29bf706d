#!/bin/sh
# Initialise the cluster on first start, then run PostgreSQL in the foreground.
# Settings (memory, connections) arrive as `-c name=value` arguments.
set -eu
: "${POSTGRES_USER:=bakeoff}" "${POSTGRES_PASSWORD:=bakeoff}" "${POSTGRES_DB:=bakeoff}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  echo "CREATE DATABASE \"$POSTGRES_DB\" OWNER \"$POSTGRES_USER\";" \
    | postgres --single -D "$PGDATA" postgres >/dev/null
  echo "bakeoff-postgres: initialised database $POSTGRES_DB"
fi

exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
