#!/usr/bin/env bash
# One-time (and re-runnable) set-up on a fresh machine: system packages, npm
# packages, the build, the local stack (Kafka, Schema Registry, MySQL, ODBC),
# the MySQL schema and the registered bid schema. Every step skips what is
# already done, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== setup: %s\n' "$*"; }

# Debian packages the project needs:
#  - unixodbc, unixodbc-dev, odbc-postgresql: the ODBC driver manager, the
#    headers the `odbc` npm package compiles against, and the local driver;
#  - libssl-dev, libsasl2-dev, zlib1g-dev, libzstd-dev, liblz4-dev: so the
#    librdkafka inside node-rdkafka builds with TLS and SASL (Confluent Cloud);
#  - chromium: the browser tests; docker-compose: checks docker-compose.yml;
#  - postgresql-client, mariadb-client: psql and mariadb for the stack scripts;
#  - libreoffice-calc: a real spreadsheet (soffice) that opens the CSV export
#    in the test proving no cell of it is read as a formula.
APT_PACKAGES=(
  build-essential python3 unixodbc unixodbc-dev odbc-postgresql
  libssl-dev libsasl2-dev zlib1g-dev libzstd-dev liblz4-dev
  chromium docker-compose postgresql-client mariadb-client
  libreoffice-calc
)

missing_apt_packages() {
  local package
  for package in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || printf '%s\n' "$package"
  done
}

install_system_packages() {
  local missing
  mapfile -t missing < <(missing_apt_packages)
  if ((${#missing[@]} == 0)); then
    echo "system packages: all present"
    return
  fi
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "system packages: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=l "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# npm ci only when node_modules is missing or older than the lock file:
# it compiles librdkafka (two minutes or so), which a warm set-up skips.
install_npm_packages() {
  if [[ -f node_modules/.package-lock.json && node_modules/.package-lock.json -nt package-lock.json ]] &&
    node -e "require('node-rdkafka'); require('odbc')" 2>/dev/null; then
    echo "npm packages: up to date"
    return
  fi
  npm ci --no-audit --no-fund
}

step "system packages"
install_system_packages

step "npm packages"
install_npm_packages

step "build"
npx --no-install tsc -p tsconfig.json

step "local stack"
bash stack/stack.sh up

step "MySQL schema"
node dist/scripts/migrate.js

step "bid schema in the registry"
node dist/scripts/registerSchema.js

printf '\n== setup: done. Start everything with: npm start\n'
