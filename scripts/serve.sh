#!/usr/bin/env bash
# Sets up from scratch and serves the API over the embedded SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/hcpcs serve "$@"
