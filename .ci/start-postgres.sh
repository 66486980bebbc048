#!/usr/bin/env bash
# Installs (if needed) and starts Debian's PostgreSQL on loopback with a role that may create and drop
# databases; prints the URL for PG_TEST_URL. Its own process, so `set -e` holds even when the caller
# tests its exit status.
set -euo pipefail
if ! dpkg -s postgresql >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
pg_lsclusters -h | awk '{ print $1, $2 }' | grep -qx "$version main" || pg_createcluster "$version" main >/dev/null
pg_ctlcluster "$version" main status >/dev/null 2>&1 || pg_ctlcluster "$version" main start >&2
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')
runuser -u postgres -- psql -p "$port" -qAt -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
SELECT 'CREATE ROLE migrate_lint' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'migrate_lint') \gexec
ALTER ROLE migrate_lint LOGIN CREATEDB PASSWORD 'migrate_lint';
SELECT 'CREATE DATABASE migrate_lint_ci OWNER migrate_lint' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'migrate_lint_ci') \gexec
SQL
echo "postgres://migrate_lint:migrate_lint@127.0.0.1:$port/migrate_lint_ci"
