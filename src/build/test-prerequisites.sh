#!/usr/bin/env bash
# Run by Maven before the integration tests of transforms and pipelines (exec-maven-plugin, phase
# pre-integration-test; -DskipTests skips it). Those tests start their own servers on loopback. This
# checks the system packages the servers run on and stops the build at once, naming the package,
# when one is missing; then it installs the npm servers from their lock files when node_modules is
# missing or older than package-lock.json.
# Argument: the directory of the PostgreSQL 15 server binaries.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
postgres_bin="${1:-/usr/lib/postgresql/15/bin}"

missing() {
  echo "lakeroute tests need $1: apt-get install $2" >&2
  exit 1
}

[ -x "$postgres_bin/postgres" ] && [ -x "$postgres_bin/initdb" ] \
  || missing "the PostgreSQL 15 server (no $postgres_bin/postgres)" postgresql-15
[ -x /usr/sbin/mariadbd ] && [ -x /usr/bin/mariadb-install-db ] \
  || missing "the MariaDB server (no /usr/sbin/mariadbd)" mariadb-server
node_major="$({ node --version 2>/dev/null || true; } | sed -n 's/^v\([0-9]*\)\..*/\1/p')"
[ "${node_major:-0}" -ge 18 ] && command -v npm >/dev/null \
  || missing "Node.js 18+ with npm for the GCS and Azure test servers" "nodejs npm"

# No install scripts: firebase-tools' only fetch or build native add-ons the GCS server never loads,
# and Azurite's only one (protobufjs's postinstall) prints a version warning.
for server in gcs azure; do
  dir="$root/src/local-cloud/$server"
  if [ -L "$dir/node_modules" ]; then
    continue # a link to another checkout's install: that checkout keeps it up to date
  fi
  # npm ci writes node_modules/.package-lock.json as it finishes.
  if [ ! "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
    echo "npm ci in src/local-cloud/$server: node_modules is missing or older than package-lock.json"
    npm ci --prefix "$dir" --ignore-scripts --no-audit --no-fund
  fi
done
