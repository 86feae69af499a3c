#!/usr/bin/env bash
# Creates .venv and installs the project with its test tools; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
# GraphiQL's browser files, from the npm registry, so the page needs no CDN.
.venv/bin/python scripts/vendor_graphiql.py \
  || echo "warning: GraphiQL's files were not fetched; its page will load them from unpkg.com" >&2
