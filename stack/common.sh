#!/usr/bin/env bash
# Shared helpers for the local stack scripts. Sourced, never run.
# Everything the stack keeps (downloads, data, logs, pid files) lives under
# $STACK_HOME, one git-ignored folder at the project root.

set -euo pipefail

STACK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACK_HOME="${STACK_HOME:-$STACK_ROOT/.stack}"
mkdir -p "$STACK_HOME"

# say COMPONENT MESSAGE... : one readable progress line on stderr.
say() {
  local component="$1"; shift
  printf '[stack:%s] %s\n' "$component" "$*" >&2
}

# die COMPONENT MESSAGE... : a one-line error, then exit 1.
die() {
  local component="$1"; shift
  printf '[stack:%s] error: %s\n' "$component" "$*" >&2
  exit 1
}

# is_port_open HOST PORT : true when something accepts TCP connections there.
is_port_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# wait_until SECONDS DESCRIPTION COMMAND... : poll COMMAND every half second
# until it succeeds; fail with DESCRIPTION after SECONDS.
wait_until() {
  local seconds="$1" description="$2"; shift 2
  local deadline=$(( $(date +%s) + seconds ))
  until "$@"; do
    if (( $(date +%s) >= deadline )); then
      return 1
    fi
    sleep 0.5
  done
}

# pid_is_alive PIDFILE : true when the pid file names a running process.
pid_is_alive() {
  [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

# stop_pidfile COMPONENT PIDFILE : TERM the process, wait up to 30 s, then KILL.
stop_pidfile() {
  local component="$1" pidfile="$2" pid
  if ! pid_is_alive "$pidfile"; then
    rm -f "$pidfile"
    return 0
  fi
  pid="$(cat "$pidfile")"
  say "$component" "stopping (pid $pid)"
  kill "$pid" 2>/dev/null || true
  if ! wait_until 30 "$component to stop" bash -c "! kill -0 $pid 2>/dev/null"; then
    say "$component" "did not stop in 30 s; killing"
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

# load_dotenv : export the settings of the project's .env file, never
# overriding a variable that is already set in the environment (the same rule
# the Node programs follow).
load_dotenv() {
  local file="$STACK_ROOT/.env" line key value
  [[ -f "$file" ]] || return 0
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    key="${BASH_REMATCH[2]}"
    value="${BASH_REMATCH[3]}"
    value="${value%\"}"; value="${value#\"}"
    value="${value%\'}"; value="${value#\'}"
    [[ -n "${!key+set}" ]] || export "$key=$value"
  done <"$file"
}

# maven_fetch COMPONENT POM OUTPUT_DIR : copy the runtime jars a pom names
# into OUTPUT_DIR, once. Maven keeps its own cache in ~/.m2, so a second
# machine-wide run is offline.
maven_fetch() {
  local component="$1" pom="$2" output="$3"
  if [[ -f "$output/.complete" && "$output/.complete" -nt "$pom" ]]; then
    return 0
  fi
  command -v mvn >/dev/null || die "$component" "Maven (mvn) is not installed; it fetches the stack's jars from Maven Central"
  say "$component" "fetching jars from Maven Central (first run only)"
  rm -rf "$output"
  mkdir -p "$output"
  mvn -q -B -Dstyle.color=never -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$output" >"$STACK_HOME/maven.log" 2>&1 ||
    die "$component" "Maven could not fetch the jars named in $pom; see $STACK_HOME/maven.log"
  touch "$output/.complete"
}

# java_bin : the Java 17+ the stack runs on (JAVA_HOME first, then PATH).
java_bin() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    printf '%s\n' "$JAVA_HOME/bin/java"
  elif command -v java >/dev/null; then
    command -v java
  else
    die java "no Java found; install OpenJDK 17 or set JAVA_HOME"
  fi
}

# host_of HOST:PORT / port_of HOST:PORT
host_of() { printf '%s\n' "${1%:*}"; }
port_of() { printf '%s\n' "${1##*:}"; }

# stack_status_all : one line per component; fails when any is down (the
# optional HiveServer2 only reports).
stack_status_all() {
  local failed=0
  kafka_status || failed=1
  registry_status || failed=1
  mysql_status || failed=1
  odbc_status || failed=1
  hive_status
  return "$failed"
}
