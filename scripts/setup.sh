#!/usr/bin/env bash
# Creates .venv and installs the project; with --test, its test tools too.
# Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
extras=""
[ "${1:-}" = "--test" ] && extras="[test]"
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".${extras}"
# GraphiQL's browser files, from the npm registry, so the page needs no CDN.
.venv/bin/python scripts/vendor_graphiql.py \
  || echo "warning: GraphiQL's files were not fetched; its page will load them from unpkg.com" >&2
