#!/usr/bin/env bash
# Sets up from scratch, then runs the whole suite on SQLite and on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/postgres.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== test suite on SQLite"
HCPCS_TEST_BACKEND=sqlite .venv/bin/pytest "$@"
echo "== test suite on PostgreSQL"
HCPCS_TEST_BACKEND=postgresql .venv/bin/pytest "$@"
