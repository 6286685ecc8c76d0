#!/usr/bin/env bash
# Configures and builds vagt into ./build (Ninja, 2 jobs).
#   bash deploy/build.sh [ninja targets...]
set -euo pipefail
cd "$(dirname "$0")/.."
build_type="${VAGT_BUILD_TYPE:-RelWithDebInfo}"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type" >/dev/null
ninja -C build -j "${VAGT_JOBS:-2}" "$@"
