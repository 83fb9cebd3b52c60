#!/usr/bin/env bash
# The local HiveServer2 (optional): Apache Hive 4.0.1 from Maven Central jars
# on the machine's Java 17, with an embedded Derby metastore, a warehouse on
# the local file system and MapReduce's local job runner (no YARN, no HDFS).
# It proves the Hive sink's HiveQL on a real HiveServer2 over Hive's own JDBC
# driver; the worker itself keeps talking ODBC. Started only on request:
#   bash stack/stack.sh up --with-hive      (the rest of the stack, then Hive)
#   bash stack/hive.sh up|down|status|fetch (Hive alone)
# and by the tests that need it. Jars, metastore, warehouse, logs and the pid
# file live under $STACK_HOME/hive. HIVE_LOCAL_PORT moves the Thrift port.

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
  load_dotenv
fi

HIVE_PORT="${HIVE_LOCAL_PORT:-10000}"
HIVE_HOME_DIR="$STACK_HOME/hive"
HIVE_PIDFILE="$HIVE_HOME_DIR/hiveserver2.pid"
HIVE_LOG="$HIVE_HOME_DIR/hiveserver2.log"
HIVE_JDBC_URL="jdbc:hive2://127.0.0.1:$HIVE_PORT/default"
# Seconds the first start may take: the metastore's schema is created in Derby then.
HIVE_START_TIMEOUT="${HIVE_START_TIMEOUT:-300}"

# Hive 4.0.1 was built for Java 8/11; on Java 17 its reflection (Kryo plan
# serialisation, Hadoop's and DataNucleus's introspection) needs these opened.
HIVE_JAVA_OPENS=(
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.regex=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.sql/java.sql=ALL-UNNAMED
)

# The Java 17 the stack runs Hive on: a JDK (javac compiles the JDBC runner).
hive_java_home() {
  local java
  java="$(readlink -f "$(java_bin)")"
  printf '%s\n' "${java%/bin/java}"
}

hive_fetch() {
  maven_fetch hive "$STACK_ROOT/stack/hive/pom.xml" "$HIVE_HOME_DIR/lib"
  local runner="$HIVE_HOME_DIR/runner/HiveSqlRunner.class" source="$STACK_ROOT/stack/hive/HiveSqlRunner.java"
  if [[ ! -f "$runner" || "$source" -nt "$runner" ]]; then
    mkdir -p "$HIVE_HOME_DIR/runner"
    "$(hive_java_home)/bin/javac" -nowarn -d "$HIVE_HOME_DIR/runner" -cp "$HIVE_HOME_DIR/lib/*" "$source" ||
      die hive "could not compile $source (javac of $(hive_java_home))"
  fi
}

hive_write_config() {
  mkdir -p "$HIVE_HOME_DIR/conf" "$HIVE_HOME_DIR/warehouse" "$HIVE_HOME_DIR/scratch" "$HIVE_HOME_DIR/tmp"
  cat >"$HIVE_HOME_DIR/conf/hive-site.xml" <<EOF
<?xml version="1.0"?>
<!-- Written by stack/hive.sh: one local HiveServer2 for development and tests. -->
<configuration>
  <property><name>hive.server2.thrift.bind.host</name><value>127.0.0.1</value></property>
  <property><name>hive.server2.thrift.port</name><value>$HIVE_PORT</value></property>
  <property><name>hive.server2.transport.mode</name><value>binary</value></property>
  <property><name>hive.server2.webui.port</name><value>0</value></property>
  <property><name>hive.server2.enable.doAs</name><value>false</value></property>
  <property><name>hive.metastore.uris</name><value></value></property>
  <property><name>javax.jdo.option.ConnectionURL</name><value>jdbc:derby:;databaseName=$HIVE_HOME_DIR/metastore_db;create=true</value></property>
  <property><name>javax.jdo.option.ConnectionDriverName</name><value>org.apache.derby.jdbc.EmbeddedDriver</value></property>
  <property><name>datanucleus.schema.autoCreateAll</name><value>true</value></property>
  <property><name>hive.metastore.schema.verification</name><value>false</value></property>
  <property><name>hive.metastore.warehouse.dir</name><value>file://$HIVE_HOME_DIR/warehouse</value></property>
  <property><name>hive.metastore.warehouse.external.dir</name><value>file://$HIVE_HOME_DIR/warehouse/external</value></property>
  <property><name>fs.defaultFS</name><value>file:///</value></property>
  <property><name>hive.exec.scratchdir</name><value>$HIVE_HOME_DIR/scratch</value></property>
  <property><name>hive.exec.local.scratchdir</name><value>$HIVE_HOME_DIR/scratch/local</value></property>
  <property><name>hive.downloaded.resources.dir</name><value>$HIVE_HOME_DIR/scratch/resources</value></property>
  <property><name>hive.querylog.location</name><value>$HIVE_HOME_DIR/scratch/querylog</value></property>
  <property><name>hive.server2.logging.operation.log.location</name><value>$HIVE_HOME_DIR/scratch/operation_logs</value></property>
  <property><name>hive.execution.engine</name><value>mr</value></property>
  <property><name>mapreduce.framework.name</name><value>local</value></property>
  <property><name>mapreduce.jobtracker.address</name><value>local</value></property>
  <property><name>hive.exec.submitviachild</name><value>false</value></property>
  <property><name>hive.exec.submit.local.task.via.child</name><value>false</value></property>
  <property><name>hadoop.tmp.dir</name><value>$HIVE_HOME_DIR/tmp</value></property>
  <property><name>hive.security.authorization.enabled</name><value>false</value></property>
</configuration>
EOF
  # Found before the one inside hive-common: everything to standard output, that is hiveserver2.log.
  cat >"$HIVE_HOME_DIR/conf/hive-log4j2.properties" <<'EOF'
status = warn
name = HiveLocal
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{ISO8601} %-5p [%t] %c{2}: %m%n
rootLogger.level = INFO
rootLogger.appenderRef.console.ref = console
logger.datanucleus.name = DataNucleus
logger.datanucleus.level = WARN
logger.datanucleusorg.name = org.datanucleus
logger.datanucleusorg.level = WARN
logger.hadoop.name = org.apache.hadoop.conf
logger.hadoop.level = WARN
EOF
}

hive_up() {
  hive_fetch
  hive_write_config
  if is_port_open 127.0.0.1 "$HIVE_PORT"; then
    say hive "already running at $HIVE_JDBC_URL"
  else
    say hive "starting HiveServer2 (the first start creates the metastore; allow a few minutes)"
    local started
    started=$(date +%s)
    (
      cd "$HIVE_HOME_DIR"
      HADOOP_HOME="$HIVE_HOME_DIR" setsid nohup "$(hive_java_home)/bin/java" -Xms256m -Xmx2g -XX:+UseG1GC \
        "${HIVE_JAVA_OPENS[@]}" \
        -Dhadoop.home.dir="$HIVE_HOME_DIR" -Djava.io.tmpdir="$HIVE_HOME_DIR/tmp" \
        -Dderby.stream.error.file="$HIVE_HOME_DIR/derby.log" \
        -cp "$HIVE_HOME_DIR/conf:$HIVE_HOME_DIR/lib/*" org.apache.hive.service.server.HiveServer2 \
        >>"$HIVE_LOG" 2>&1 </dev/null &
      echo $! >"$HIVE_PIDFILE"
    )
    wait_until "$HIVE_START_TIMEOUT" "HiveServer2 to listen" hive_listening_or_dead ||
      die hive "HiveServer2 did not open port $HIVE_PORT within $HIVE_START_TIMEOUT s (HIVE_START_TIMEOUT); see $HIVE_LOG"
    pid_is_alive "$HIVE_PIDFILE" || die hive "HiveServer2 exited while starting; see $HIVE_LOG"
    say hive "listening after $(($(date +%s) - started)) s"
  fi
  # The port opens before the session manager takes connections: a JDBC session is the real check.
  "$(hive_java_home)/bin/java" -cp "$HIVE_HOME_DIR/lib/*:$HIVE_HOME_DIR/runner" HiveSqlRunner "$HIVE_JDBC_URL" \
    --wait 120 >/dev/null 2>>"$HIVE_HOME_DIR/readiness.log" ||
    die hive "HiveServer2 listens on $HIVE_PORT but refused JDBC sessions for 120 s; see $HIVE_LOG and $HIVE_HOME_DIR/readiness.log"
  say hive "ready: $HIVE_JDBC_URL (Hive's JDBC driver; log $HIVE_LOG)"
}

# True once the port is open, or once the process has died (so a crash fails fast).
hive_listening_or_dead() {
  is_port_open 127.0.0.1 "$HIVE_PORT" || ! pid_is_alive "$HIVE_PIDFILE"
}

hive_down() {
  stop_pidfile hive "$HIVE_PIDFILE"
}

# One status line; an optional part that is down is not a failure of the stack.
hive_status() {
  if is_port_open 127.0.0.1 "$HIVE_PORT" && pid_is_alive "$HIVE_PIDFILE"; then
    echo "hive: up, $HIVE_JDBC_URL (pid $(cat "$HIVE_PIDFILE"))"
  elif is_port_open 127.0.0.1 "$HIVE_PORT"; then
    echo "hive: port $HIVE_PORT taken by another process (not this stack's HiveServer2)"
  else
    echo "hive: down (optional; npm run stack:up -- --with-hive)"
  fi
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  case "${1:-}" in
    up) hive_up ;;
    down) hive_down ;;
    status) hive_status ;;
    fetch) hive_fetch ;;
    *)
      echo "usage: bash stack/hive.sh up|down|status|fetch" >&2
      exit 2
      ;;
  esac
fi
