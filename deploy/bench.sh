#!/usr/bin/env bash
# Builds (Release) and runs vagt-bench, with PostgreSQL installed as the
# baseline. Arguments go to vagt-bench (see vagt-bench --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh --bench
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C build-release -j "${VAGT_JOBS:-2}" vagt-bench
exec build-release/tests/bench/vagt-bench "$@"
