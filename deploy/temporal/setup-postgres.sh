#!/bin/sh
# Creates (first run) or upgrades (later runs) the Temporal schemas in PostgreSQL; run by the temporal-schema
# service of docker-compose.yml with the temporalio/admin-tools image. Safe to run on every `docker compose up`.
set -eu

: "${POSTGRES_SEEDS:=postgresql}"
: "${DB_PORT:=5432}"
: "${POSTGRES_USER:=temporal}"
export SQL_PASSWORD="${POSTGRES_PWD:?POSTGRES_PWD is not set}"

echo "waiting for PostgreSQL at ${POSTGRES_SEEDS}:${DB_PORT}"
until nc -z "${POSTGRES_SEEDS}" "${DB_PORT}"; do sleep 1; done

for db in temporal temporal_visibility; do
  case "$db" in
    temporal) schema=/etc/temporal/schema/postgresql/v12/temporal/versioned ;;
    *) schema=/etc/temporal/schema/postgresql/v12/visibility/versioned ;;
  esac
  tool() { temporal-sql-tool --plugin postgres12 --ep "${POSTGRES_SEEDS}" -p "${DB_PORT}" -u "${POSTGRES_USER}" --db "$db" "$@"; }
  # create and setup-schema fail when their work exists already (a restart); update-schema is what must succeed.
  tool create >/dev/null 2>&1 || echo "database $db exists"
  tool setup-schema -v 0.0 >/dev/null 2>&1 || echo "schema of $db is set up"
  tool update-schema -d "$schema"
done
echo "Temporal schemas are up to date"
