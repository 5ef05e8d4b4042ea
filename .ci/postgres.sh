#!/usr/bin/env bash
# Debian's PostgreSQL on 127.0.0.1:5432 with a throw-away test database, for the multi-replica
# tests. Prints the SQLAlchemy URL on stdout. Needs root (apt, pg_ctlcluster).
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql) >/dev/null
fi
ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$ver main"; then
  pg_createcluster "$ver" main >/dev/null
fi
pg_ctlcluster "$ver" main start >/dev/null 2>&1 || true
for _ in $(seq 30); do
  su postgres -c "pg_isready -q -h 127.0.0.1 -p 5432" && break
  sleep 1
done
su postgres -c "psql -q -v ON_ERROR_STOP=1" >/dev/null <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'assistant') THEN
    CREATE ROLE assistant LOGIN PASSWORD 'assistant-ci' CREATEDB;
  END IF;
END $$;
SQL
echo "postgresql+psycopg://assistant:assistant-ci@127.0.0.1:5432/postgres"
