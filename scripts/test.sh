#!/usr/bin/env bash
# Sets up from scratch, then runs the whole suite on SQLite and on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
bash scripts/postgres.sh
bash scripts/chromium.sh \
  || echo "warning: Chromium could not be installed; the browser test will not run" >&2
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== test suite on SQLite"
HCPCS_TEST_BACKEND=sqlite .venv/bin/pytest "$@"
echo "== test suite on PostgreSQL"
HCPCS_TEST_BACKEND=postgresql .venv/bin/pytest "$@"
