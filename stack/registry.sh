#!/usr/bin/env bash
# The local Schema Registry: Apicurio Registry 3.x, the runnable Quarkus
# application that Maven Central publishes as io.apicurio:apicurio-registry-app
# (classifier `all`, tar.gz). Its Confluent-compatible API answers under
# /apis/ccompat/v7 on 127.0.0.1:8081. Schemas are kept in the machine's
# PostgreSQL (database apicurio_registry), so they survive a restart.
# Sourced by stack/stack.sh.
#
# When SCHEMA_REGISTRY_URL names another registry, nothing is started.

REGISTRY_VERSION="3.3.3"
REGISTRY_LOCAL_URL="http://127.0.0.1:8081/apis/ccompat/v7"
REGISTRY_HOME_DIR="$STACK_HOME/registry"
REGISTRY_PIDFILE="$REGISTRY_HOME_DIR/registry.pid"
REGISTRY_PG_DATABASE="${REGISTRY_PG_DATABASE:-apicurio_registry}"
REGISTRY_PG_HOST="${REGISTRY_PG_HOST:-127.0.0.1}"
REGISTRY_PG_PORT="${REGISTRY_PG_PORT:-5432}"
REGISTRY_PG_USER="${REGISTRY_PG_USER:-postgres}"

registry_is_external() {
  local url="${SCHEMA_REGISTRY_URL:-$REGISTRY_LOCAL_URL}"
  [[ "${url%/}" != "$REGISTRY_LOCAL_URL" && "${url%/}" != "http://localhost:8081/apis/ccompat/v7" ]]
}

# Apicurio 3.3 is compiled for Java 21. Use REGISTRY_JAVA_HOME, else the
# newest JDK of 21 or later that JAVA_HOME, PATH or /usr/lib/jvm offers.
registry_java() {
  local candidate version best="" best_version=0
  for candidate in "${REGISTRY_JAVA_HOME:+$REGISTRY_JAVA_HOME/bin/java}" \
    "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    [[ -n "$candidate" && -x "$candidate" ]] || continue
    version="$("$candidate" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
    [[ "$version" =~ ^[0-9]+$ ]] || continue
    if ((version >= 21 && version > best_version)); then
      best="$candidate"
      best_version="$version"
    fi
  done
  [[ -n "$best" ]] ||
    die registry "Apicurio Registry $REGISTRY_VERSION needs Java 21 or newer; none found (set REGISTRY_JAVA_HOME)"
  printf '%s\n' "$best"
}

registry_fetch() {
  local app="$REGISTRY_HOME_DIR/app-$REGISTRY_VERSION"
  [[ -f "$app/quarkus-run.jar" ]] && return 0
  command -v mvn >/dev/null || die registry "Maven (mvn) is not installed; it fetches the registry from Maven Central"
  say registry "fetching Apicurio Registry $REGISTRY_VERSION from Maven Central (first run only)"
  mkdir -p "$REGISTRY_HOME_DIR/download"
  mvn -q -B -Dstyle.color=never dependency:copy \
    -Dartifact="io.apicurio:apicurio-registry-app:$REGISTRY_VERSION:tar.gz:all" \
    -DoutputDirectory="$REGISTRY_HOME_DIR/download" >"$STACK_HOME/maven.log" 2>&1 ||
    die registry "Maven could not fetch io.apicurio:apicurio-registry-app:$REGISTRY_VERSION:tar.gz:all; see $STACK_HOME/maven.log"
  rm -rf "$app.partial"
  mkdir -p "$app.partial"
  tar xzf "$REGISTRY_HOME_DIR/download/apicurio-registry-app-$REGISTRY_VERSION-all.tar.gz" -C "$app.partial"
  mv "$app.partial" "$app"
  rm -rf "$REGISTRY_HOME_DIR/download"
}

registry_psql() {
  psql -h "$REGISTRY_PG_HOST" -p "$REGISTRY_PG_PORT" -U "$REGISTRY_PG_USER" -v ON_ERROR_STOP=1 -tAq "$@"
}

registry_ensure_database() {
  command -v psql >/dev/null || die registry "psql is not installed (apt-get install postgresql-client)"
  registry_psql -d postgres -c 'select 1' >/dev/null 2>&1 ||
    die registry "cannot reach PostgreSQL at $REGISTRY_PG_HOST:$REGISTRY_PG_PORT as $REGISTRY_PG_USER (the registry stores its schemas there)"
  if [[ -z "$(registry_psql -d postgres -c "select 1 from pg_database where datname = '$REGISTRY_PG_DATABASE'")" ]]; then
    say registry "creating PostgreSQL database $REGISTRY_PG_DATABASE"
    registry_psql -d postgres -c "create database $REGISTRY_PG_DATABASE" >/dev/null
  fi
}

registry_answers() {
  curl -sf -o /dev/null "$REGISTRY_LOCAL_URL/subjects"
}

registry_up() {
  if registry_is_external; then
    say registry "using the configured registry $SCHEMA_REGISTRY_URL (nothing started)"
    return 0
  fi
  if registry_answers; then
    say registry "already running at $REGISTRY_LOCAL_URL"
    return 0
  fi
  is_port_open 127.0.0.1 8081 && die registry "port 8081 is taken by something that is not a schema registry"
  registry_fetch
  registry_ensure_database
  local java
  java="$(registry_java)"
  say registry "starting Apicurio Registry $REGISTRY_VERSION"
  (
    cd "$REGISTRY_HOME_DIR/app-$REGISTRY_VERSION"
    setsid nohup "$java" -Xms128m -Xmx512m \
      -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=8081 \
      -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port=8091 \
      -Dquarkus.log.console.json=false \
      -Dapicurio.storage.kind=sql -Dapicurio.storage.sql.kind=postgresql \
      -Dapicurio.datasource.url="jdbc:postgresql://$REGISTRY_PG_HOST:$REGISTRY_PG_PORT/$REGISTRY_PG_DATABASE" \
      -Dapicurio.datasource.username="$REGISTRY_PG_USER" \
      -Dapicurio.datasource.password="${REGISTRY_PG_PASSWORD:-}" \
      -jar quarkus-run.jar >>"$REGISTRY_HOME_DIR/registry.log" 2>&1 </dev/null &
    echo $! >"$REGISTRY_PIDFILE"
  )
  wait_until 120 "the registry to answer" registry_answers ||
    die registry "the registry did not answer within 120 s; see $REGISTRY_HOME_DIR/registry.log"
  say registry "ready: SCHEMA_REGISTRY_URL=$REGISTRY_LOCAL_URL"
}

registry_down() {
  registry_is_external && return 0
  stop_pidfile registry "$REGISTRY_PIDFILE"
}

registry_status() {
  if registry_is_external; then
    echo "registry: external, $SCHEMA_REGISTRY_URL"
  elif registry_answers; then
    echo "registry: up, $REGISTRY_LOCAL_URL$(pid_is_alive "$REGISTRY_PIDFILE" && echo " (pid $(cat "$REGISTRY_PIDFILE"))")"
  else
    echo "registry: down"
    return 1
  fi
}
