#!/usr/bin/env bash
# Builds the browser console into web/dist, which vagtd serves (--web_dir):
# npm ci from the committed lock file (only when node_modules is missing or
# older than the lock), then npm run build (generates the clients from proto/,
# type-checks, bundles). Needs Node.js >= 20.19 and npm (deploy/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/../web"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build
