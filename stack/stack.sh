#!/usr/bin/env bash
# The local stack: `up` starts what is not running yet and waits until each
# part is healthy, `down` stops what this project started, `status` reports.
#   bash stack/stack.sh up [--with-hive]|down|status
# Components: Kafka (KRaft), the Schema Registry (Apicurio), MySQL (MariaDB)
# and the ODBC data source standing in for Hive. Each one is skipped when the
# environment points the project at an external server, and one already
# running is left as it is. --with-hive also starts the optional local
# HiveServer2 (stack/hive.sh); `down` stops it with the rest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
load_dotenv
source "$STACK_ROOT/stack/kafka.sh"
source "$STACK_ROOT/stack/registry.sh"
source "$STACK_ROOT/stack/mysql.sh"
source "$STACK_ROOT/stack/odbc.sh"
source "$STACK_ROOT/stack/hive.sh"

command="${1:-}"
case "$command" in
  up)
    with_hive=false
    for option in "${@:2}"; do
      case "$option" in
        --with-hive) with_hive=true ;;
        *)
          echo "usage: bash stack/stack.sh up [--with-hive]" >&2
          exit 2
          ;;
      esac
    done
    started=$(date +%s)
    mysql_up
    odbc_up
    kafka_up
    registry_up
    if [[ "$with_hive" == true ]]; then
      hive_up
    fi
    say stack "up in $(( $(date +%s) - started )) s"
    stack_status_all || true
    ;;
  down)
    hive_down
    registry_down
    kafka_down
    say stack "down"
    ;;
  status)
    stack_status_all
    ;;
  *)
    echo "usage: bash stack/stack.sh up [--with-hive]|down|status" >&2
    exit 2
    ;;
esac
