#!/usr/bin/env bash
# The local broker's SASL_SSL listener (PLAIN mechanism), the way Confluent
# Cloud and most managed clusters are reached: TLS with a certificate the
# client checks against a CA, then a user name and password. Everything it
# needs is made here once and reused on every start:
#   $STACK_HOME/kafka/tls/ca.pem          the CA clients trust (KAFKA_SSL_CA_LOCATION)
#   $STACK_HOME/kafka/tls/broker.p12      the broker's key and certificate (localhost, 127.0.0.1)
#   $STACK_HOME/kafka/sasl-ssl.env        the client settings, user and password included
# Sourced by stack/kafka.sh; the PLAINTEXT listener beside it is unchanged.

KAFKA_SASL_SSL_PORT="${KAFKA_LOCAL_SASL_SSL_PORT:-9094}"
KAFKA_SASL_SSL_BOOTSTRAP="127.0.0.1:$KAFKA_SASL_SSL_PORT"
KAFKA_SASL_SSL_USER="auction"
KAFKA_TLS_DIR="$KAFKA_HOME_DIR/tls"
KAFKA_SASL_SSL_ENV="$KAFKA_HOME_DIR/sasl-ssl.env"

# A random secret of 32 hex digits (keystore and SASL passwords).
kafka_random_secret() {
  od -An -tx1 -N16 /dev/urandom | tr -d ' \n'
}

kafka_keytool() {
  local keytool
  keytool="$(dirname "$(java_bin)")/keytool"
  [[ -x "$keytool" ]] || keytool="$(command -v keytool)" || die kafka "keytool (from the JDK) is not installed"
  "$keytool" "$@"
}

# Makes the CA and the broker's certificate, once. The broker's certificate
# names localhost and 127.0.0.1, which is what librdkafka checks the address
# it dialled against (ssl.endpoint.identification.algorithm=https).
kafka_ensure_tls() {
  [[ -f "$KAFKA_TLS_DIR/.complete" ]] && return 0
  say kafka "making a CA and the broker's TLS certificate in $KAFKA_TLS_DIR (first run only)"
  rm -rf "$KAFKA_TLS_DIR"
  mkdir -p "$KAFKA_TLS_DIR"
  chmod 700 "$KAFKA_TLS_DIR"
  local password
  password="$(kafka_random_secret)"
  printf '%s\n' "$password" >"$KAFKA_TLS_DIR/keystore.password"
  (
    cd "$KAFKA_TLS_DIR"
    local store=(-storetype PKCS12 -storepass "$password" -keypass "$password")
    kafka_keytool -genkeypair -alias ca -keyalg RSA -keysize 2048 -validity 3650 \
      -dname "CN=auction-bids local stack CA" -ext bc:c -keystore ca.p12 "${store[@]}"
    kafka_keytool -exportcert -rfc -alias ca -keystore ca.p12 "${store[@]}" -file ca.pem
    kafka_keytool -genkeypair -alias broker -keyalg RSA -keysize 2048 -validity 3650 \
      -dname "CN=localhost" -keystore broker.p12 "${store[@]}"
    kafka_keytool -certreq -alias broker -keystore broker.p12 "${store[@]}" -file broker.csr
    kafka_keytool -gencert -alias ca -keystore ca.p12 "${store[@]}" -infile broker.csr -outfile broker.pem -rfc \
      -validity 3650 -ext SAN=dns:localhost,ip:127.0.0.1 -ext KeyUsage=digitalSignature,keyEncipherment \
      -ext ExtendedKeyUsage=serverAuth
    # The CA first, so that the broker's signed certificate replaces its
    # self-signed one as a chain the keystore can verify.
    kafka_keytool -importcert -noprompt -alias ca -file ca.pem -keystore broker.p12 "${store[@]}"
    kafka_keytool -importcert -alias broker -file broker.pem -keystore broker.p12 "${store[@]}"
    rm -f broker.csr
  ) >"$KAFKA_TLS_DIR/keytool.log" 2>&1 ||
    die kafka "could not make the TLS certificates; see $KAFKA_TLS_DIR/keytool.log"
  chmod 644 "$KAFKA_TLS_DIR/ca.pem"
  touch "$KAFKA_TLS_DIR/.complete"
}

# The SASL user's password: the one already written, else a new one.
kafka_sasl_ssl_password() {
  local existing=""
  [[ -f "$KAFKA_SASL_SSL_ENV" ]] && existing="$(sed -n 's/^KAFKA_SASL_PASSWORD=//p' "$KAFKA_SASL_SSL_ENV")"
  if [[ -n "$existing" ]]; then
    printf '%s\n' "$existing"
  else
    kafka_random_secret
  fi
}

# Writes the client settings for the listener (a .env fragment), readable by
# this user only: it holds the password.
kafka_write_sasl_ssl_env() {
  local password="$1"
  (
    umask 077
    cat >"$KAFKA_SASL_SSL_ENV" <<EOF
# The local broker's SASL_SSL listener (written by stack/kafka.sh). Use these
# settings instead of the KAFKA_* defaults to reach Kafka the way a managed
# cluster is reached: TLS checked against the stack's own CA, then SASL PLAIN.
KAFKA_BOOTSTRAP_SERVERS=$KAFKA_SASL_SSL_BOOTSTRAP
KAFKA_SECURITY_PROTOCOL=SASL_SSL
KAFKA_SASL_MECHANISM=PLAIN
KAFKA_SASL_USERNAME=$KAFKA_SASL_SSL_USER
KAFKA_SASL_PASSWORD=$password
KAFKA_SSL_CA_LOCATION=$KAFKA_TLS_DIR/ca.pem
EOF
  )
}

# The broker properties of the listener, for server.properties (after
# kafka_prepare_sasl_ssl has made what they name).
kafka_sasl_ssl_properties() {
  local password keystore_password
  password="$(sed -n 's/^KAFKA_SASL_PASSWORD=//p' "$KAFKA_SASL_SSL_ENV")"
  keystore_password="$(cat "$KAFKA_TLS_DIR/keystore.password")"
  cat <<EOF
# SASL_SSL (PLAIN) for clients on $KAFKA_SASL_SSL_BOOTSTRAP; see stack/kafkaSaslSsl.sh.
listener.name.sasl_ssl.ssl.keystore.type=PKCS12
listener.name.sasl_ssl.ssl.keystore.location=$KAFKA_TLS_DIR/broker.p12
listener.name.sasl_ssl.ssl.keystore.password=$keystore_password
listener.name.sasl_ssl.ssl.key.password=$keystore_password
listener.name.sasl_ssl.sasl.enabled.mechanisms=PLAIN
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$KAFKA_SASL_SSL_USER="$password";
EOF
}

# Makes the certificates (once) and writes the client settings with the
# user's password (made once, then kept).
kafka_prepare_sasl_ssl() {
  kafka_ensure_tls
  local password
  password="$(kafka_sasl_ssl_password)"
  [[ -n "$password" ]] || die kafka "could not make a password for the SASL_SSL listener"
  kafka_write_sasl_ssl_env "$password"
}

# One phrase for the ready line and status: where the listener is, or why not.
kafka_sasl_ssl_summary() {
  if is_port_open 127.0.0.1 "$KAFKA_SASL_SSL_PORT"; then
    printf 'SASL_SSL (PLAIN) on %s, client settings in %s\n' "$KAFKA_SASL_SSL_BOOTSTRAP" "$KAFKA_SASL_SSL_ENV"
  else
    printf 'no SASL_SSL listener on %s (the broker was started without it: stack:down, then stack:up)\n' \
      "$KAFKA_SASL_SSL_BOOTSTRAP"
  fi
}
