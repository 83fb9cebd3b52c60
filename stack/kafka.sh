#!/usr/bin/env bash
# The local Kafka: one Apache Kafka 4.x process in KRaft mode, acting as both
# broker (PLAINTEXT on 127.0.0.1:9092, SASL_SSL on 127.0.0.1:9094) and
# controller (127.0.0.1:9093), from Maven Central jars on the machine's Java.
# Data, logs and the pid file live under $STACK_HOME/kafka. Sourced by
# stack/stack.sh. KAFKA_LOCAL_PORT, KAFKA_LOCAL_CONTROLLER_PORT and
# KAFKA_LOCAL_SASL_SSL_PORT move the ports (for a second stack beside this one).
#
# When KAFKA_BOOTSTRAP_SERVERS names anything else than the local broker, the
# project uses that cluster and this script starts nothing.

KAFKA_PORT="${KAFKA_LOCAL_PORT:-9092}"
KAFKA_LOCAL_BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
KAFKA_CONTROLLER_PORT="${KAFKA_LOCAL_CONTROLLER_PORT:-9093}"
KAFKA_HOME_DIR="$STACK_HOME/kafka"
KAFKA_PIDFILE="$KAFKA_HOME_DIR/kafka.pid"
KAFKA_TOPIC_PARTITIONS="${KAFKA_TOPIC_PARTITIONS:-3}"
source "$STACK_ROOT/stack/kafkaSaslSsl.sh"

# Either local listener counts as the local broker.
kafka_is_external() {
  local servers="${KAFKA_BOOTSTRAP_SERVERS:-$KAFKA_LOCAL_BOOTSTRAP}" port
  for port in "$KAFKA_PORT" "$KAFKA_SASL_SSL_PORT"; do
    [[ "$servers" == "127.0.0.1:$port" || "$servers" == "localhost:$port" ]] && return 1
  done
  return 0
}

kafka_java() {
  "$(java_bin)" -Xms128m -Xmx768m -XX:+UseG1GC \
    -Dlog4j2.configurationFile="$KAFKA_HOME_DIR/log4j2.properties" \
    -cp "$KAFKA_HOME_DIR/lib/*" "$@"
}

kafka_write_config() {
  mkdir -p "$KAFKA_HOME_DIR/data"
  kafka_prepare_sasl_ssl
  # The SASL_SSL listener's password and keystore password are in it.
  (
    umask 077
    cat >"$KAFKA_HOME_DIR/server.properties"
  ) <<EOF
# Written by stack/kafka.sh: a single node that is broker and controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$KAFKA_LOCAL_BOOTSTRAP,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT,SASL_SSL://$KAFKA_SASL_SSL_BOOTSTRAP
advertised.listeners=PLAINTEXT://$KAFKA_LOCAL_BOOTSTRAP,SASL_SSL://$KAFKA_SASL_SSL_BOOTSTRAP
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL
log.dirs=$KAFKA_HOME_DIR/data
num.partitions=$KAFKA_TOPIC_PARTITIONS
auto.create.topics.enable=false
# One node: every internal topic has a single replica.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Consumers of a new group start at once instead of waiting 3 s for peers.
group.initial.rebalance.delay.ms=0
$(kafka_sasl_ssl_properties)
EOF
  chmod 600 "$KAFKA_HOME_DIR/server.properties"
  cat >"$KAFKA_HOME_DIR/log4j2.properties" <<'EOF'
status = warn
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = WARN
logger.apache.name = org.apache.kafka
logger.apache.level = WARN
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = INFO
EOF
}

# Format the storage once: KRaft refuses to start on an unformatted log dir.
kafka_format_storage() {
  [[ -f "$KAFKA_HOME_DIR/data/meta.properties" ]] && return 0
  say kafka "formatting storage in $KAFKA_HOME_DIR/data"
  local cluster_id
  cluster_id="$(kafka_java kafka.tools.StorageTool random-uuid)"
  kafka_java kafka.tools.StorageTool format --cluster-id "$cluster_id" \
    --config "$KAFKA_HOME_DIR/server.properties" --ignore-formatted >/dev/null ||
    die kafka "could not format storage in $KAFKA_HOME_DIR/data"
}

kafka_topics() {
  kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_LOCAL_BOOTSTRAP" "$@"
}

kafka_broker_answers() {
  kafka_topics --list >/dev/null 2>&1
}

kafka_ensure_topics() {
  local existing topic
  existing="$(kafka_topics --list 2>/dev/null)"
  for topic in "${KAFKA_TOPIC:-auction}" "${KAFKA_DLQ_TOPIC:-auction.dlq}"; do
    if grep -qxF "$topic" <<<"$existing"; then
      continue
    fi
    say kafka "creating topic $topic ($KAFKA_TOPIC_PARTITIONS partitions)"
    kafka_topics --create --if-not-exists --topic "$topic" \
      --partitions "$KAFKA_TOPIC_PARTITIONS" --replication-factor 1 >/dev/null ||
      die kafka "could not create topic $topic"
  done
}

kafka_up() {
  if kafka_is_external; then
    say kafka "using the configured cluster $KAFKA_BOOTSTRAP_SERVERS (nothing started)"
    return 0
  fi
  maven_fetch kafka "$STACK_ROOT/stack/kafka/pom.xml" "$KAFKA_HOME_DIR/lib"
  kafka_write_config
  if is_port_open 127.0.0.1 "$KAFKA_PORT"; then
    say kafka "already running at $KAFKA_LOCAL_BOOTSTRAP"
  else
    kafka_format_storage
    say kafka "starting"
    (
      cd "$KAFKA_HOME_DIR"
      setsid nohup "$(java_bin)" -Xms256m -Xmx1g -XX:+UseG1GC \
        -Dlog4j2.configurationFile="$KAFKA_HOME_DIR/log4j2.properties" \
        -cp "$KAFKA_HOME_DIR/lib/*" kafka.Kafka "$KAFKA_HOME_DIR/server.properties" \
        >>"$KAFKA_HOME_DIR/kafka.log" 2>&1 </dev/null &
      echo $! >"$KAFKA_PIDFILE"
    )
  fi
  wait_until 90 "Kafka to answer" kafka_broker_answers ||
    die kafka "the broker did not answer within 90 s; see $KAFKA_HOME_DIR/kafka.log"
  kafka_ensure_topics
  say kafka "ready: KAFKA_BOOTSTRAP_SERVERS=$KAFKA_LOCAL_BOOTSTRAP; $(kafka_sasl_ssl_summary)"
}

kafka_down() {
  if kafka_is_external; then
    return 0
  fi
  stop_pidfile kafka "$KAFKA_PIDFILE"
}

kafka_status() {
  if kafka_is_external; then
    echo "kafka: external, $KAFKA_BOOTSTRAP_SERVERS"
  elif is_port_open 127.0.0.1 "$KAFKA_PORT"; then
    echo "kafka: up, $KAFKA_LOCAL_BOOTSTRAP$(pid_is_alive "$KAFKA_PIDFILE" && echo " (pid $(cat "$KAFKA_PIDFILE"))"); $(kafka_sasl_ssl_summary)"
  else
    echo "kafka: down"
    return 1
  fi
}
