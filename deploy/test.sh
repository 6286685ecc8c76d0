#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
python3 deploy/check-layers.py
bash deploy/build.sh
bash deploy/build-web.sh
npm --prefix web run --silent lint
npm --prefix web run --silent format:check
ctest --test-dir build --output-on-failure -j "${VAGT_JOBS:-2}"
