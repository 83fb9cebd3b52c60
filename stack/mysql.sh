#!/usr/bin/env bash
# MySQL: the machine's MariaDB (or any MySQL) named by MYSQL_URL, by default
# mysql://root@127.0.0.1:3306/test. When nothing answers on a local address,
# MariaDB is installed from Debian's packages (if missing) and started.
# The schema itself is applied by `npm run migrate`. Sourced by stack/stack.sh.

MYSQL_DEFAULT_URL="mysql://root@127.0.0.1:3306/test"

# Sets MYSQL_HOST, MYSQL_PORT, MYSQL_USER, MYSQL_DATABASE from MYSQL_URL.
mysql_parse_url() {
  local url="${MYSQL_URL:-$MYSQL_DEFAULT_URL}"
  [[ "$url" =~ ^mysql://(([^:@/]+)(:[^@/]*)?@)?([^:/]+)(:([0-9]+))?/([^?]+) ]] ||
    die mysql "MYSQL_URL must look like mysql://user:password@host:3306/database"
  MYSQL_USER="${BASH_REMATCH[2]:-root}"
  MYSQL_HOST="${BASH_REMATCH[4]}"
  MYSQL_PORT="${BASH_REMATCH[6]:-3306}"
  MYSQL_DATABASE="${BASH_REMATCH[7]}"
}

mysql_is_local() {
  [[ "$MYSQL_HOST" == "127.0.0.1" || "$MYSQL_HOST" == "localhost" ]]
}

mysql_answers() {
  is_port_open "$MYSQL_HOST" "$MYSQL_PORT"
}

# True once no MariaDB/MySQL server process is left (one that is shutting
# down still holds its files; mysqld_safe refuses to start beside it).
mysql_server_process_gone() {
  ! pgrep -x mariadbd >/dev/null && ! pgrep -x mysqld >/dev/null
}

mysql_start_local_server() {
  if ! command -v mariadbd >/dev/null && [[ ! -x /usr/sbin/mariadbd ]]; then
    say mysql "installing MariaDB from Debian's packages"
    local sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    "${sudo[@]}" apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=l "${sudo[@]}" apt-get install -y -q mariadb-server >&2
  fi
  say mysql "starting MariaDB"
  # mysqld_safe, as Debian's init script runs it, but without that script's
  # readiness check: it logs in through /etc/mysql/debian.cnf, which machines
  # set up without that file lack, and then reports a healthy server as failed.
  if [[ -x /usr/bin/mysqld_safe ]]; then
    wait_until 60 "the previous MariaDB process to exit" mysql_server_process_gone ||
      die mysql "a MariaDB process is still running but not answering on $MYSQL_HOST:$MYSQL_PORT"
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
    (setsid /usr/bin/mysqld_safe </dev/null >/dev/null 2>&1 &)
  elif command -v service >/dev/null; then
    service mariadb start >&2
  else
    /etc/init.d/mariadb start >&2
  fi
}

mysql_up() {
  mysql_parse_url
  if ! mysql_answers; then
    mysql_is_local || die mysql "nothing answers at $MYSQL_HOST:$MYSQL_PORT (MYSQL_URL)"
    mysql_start_local_server
    wait_until 60 "MariaDB to answer" mysql_answers ||
      die mysql "MariaDB did not answer on $MYSQL_HOST:$MYSQL_PORT within 60 s"
  fi
  say mysql "ready: $MYSQL_HOST:$MYSQL_PORT, database $MYSQL_DATABASE (schema: npm run migrate)"
}

mysql_status() {
  mysql_parse_url
  if mysql_answers; then
    echo "mysql: up, $MYSQL_HOST:$MYSQL_PORT/$MYSQL_DATABASE"
  else
    echo "mysql: down ($MYSQL_HOST:$MYSQL_PORT)"
    return 1
  fi
}
