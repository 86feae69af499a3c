#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers at 127.0.0.1:5432, installing one if need be.
set -euo pipefail
ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
ready && exit 0
if ! command -v pg_ctlcluster >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /etc/postgresql | sort -V | tail -n 1)
pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
for _ in $(seq 30); do ready && break; sleep 1; done
ready || { echo "PostgreSQL did not start at 127.0.0.1:5432" >&2; exit 1; }
# Tests connect as postgres over TCP without a password, as on the project's machines.
hba=$(su postgres -c "psql -tAc 'SHOW hba_file'")
if ! grep -qE '^host\s+all\s+all\s+127.0.0.1/32\s+trust' "$hba"; then
  sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
  su postgres -c "psql -qc 'SELECT pg_reload_conf()'"
fi
