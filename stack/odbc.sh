#!/usr/bin/env bash
# The ODBC data source the Hive worker writes to on this machine: unixODBC
# with PostgreSQL's psqlODBC driver ("PostgreSQL Unicode") against the
# machine's PostgreSQL, database auction_analytics. In production
# HIVE_ODBC_CONNECTION_STRING names HiveServer2 through the Cloudera/Simba Hive
# ODBC driver instead, and nothing here runs. Sourced by stack/stack.sh.

ODBC_PG_DATABASE="${ODBC_PG_DATABASE:-auction_analytics}"
ODBC_DRIVER_NAME="PostgreSQL Unicode"

odbc_is_external() {
  [[ -n "${HIVE_ODBC_CONNECTION_STRING:-}" && "$HIVE_ODBC_CONNECTION_STRING" != *"Database=$ODBC_PG_DATABASE;"* ]]
}

odbc_psql() {
  psql -h 127.0.0.1 -p 5432 -U postgres -v ON_ERROR_STOP=1 -tAq "$@"
}

odbc_up() {
  if odbc_is_external; then
    say odbc "using the configured data source (HIVE_ODBC_CONNECTION_STRING; nothing started)"
    return 0
  fi
  command -v odbcinst >/dev/null || die odbc "unixODBC is not installed (npm run setup installs it)"
  odbcinst -q -d -n "$ODBC_DRIVER_NAME" >/dev/null 2>&1 ||
    die odbc "the ODBC driver \"$ODBC_DRIVER_NAME\" is not registered (apt-get install odbc-postgresql)"
  odbc_psql -d postgres -c 'select 1' >/dev/null 2>&1 ||
    die odbc "cannot reach PostgreSQL at 127.0.0.1:5432 as postgres"
  if [[ -z "$(odbc_psql -d postgres -c "select 1 from pg_database where datname = '$ODBC_PG_DATABASE'")" ]]; then
    say odbc "creating PostgreSQL database $ODBC_PG_DATABASE"
    odbc_psql -d postgres -c "create database $ODBC_PG_DATABASE" >/dev/null
  fi
  say odbc "ready: Driver={$ODBC_DRIVER_NAME};Server=127.0.0.1;Port=5432;Database=$ODBC_PG_DATABASE;Uid=postgres;"
}

odbc_status() {
  if odbc_is_external; then
    echo "odbc: external data source"
  elif odbcinst -q -d -n "$ODBC_DRIVER_NAME" >/dev/null 2>&1 && odbc_psql -d "$ODBC_PG_DATABASE" -c 'select 1' >/dev/null 2>&1; then
    echo "odbc: up, driver \"$ODBC_DRIVER_NAME\", database $ODBC_PG_DATABASE"
  else
    echo "odbc: down"
    return 1
  fi
}
