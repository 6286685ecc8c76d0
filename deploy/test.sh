#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite with ctest.
#   bash deploy/test.sh               # once
#   bash deploy/test.sh --stress[=N]  # N times (default 3), every test, while
#                                     # a busy loop per core keeps the CPUs full
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=""
for arg in "$@"; do
  case "$arg" in
    --stress) repeat=3 ;;
    --stress=*) repeat="${arg#--stress=}" ;;
    *) echo "test.sh: unknown argument '$arg' (--stress[=N])" >&2; exit 2 ;;
  esac
done
if [[ -n "$repeat" && ! "$repeat" =~ ^[1-9][0-9]*$ ]]; then
  echo "test.sh: --stress=N takes a positive number of runs" >&2
  exit 2
fi
bash deploy/install-deps.sh
python3 deploy/check-layers.py
bash deploy/build.sh
bash deploy/build-web.sh
npm --prefix web run --silent lint
npm --prefix web run --silent format:check
if [[ -z "$repeat" ]]; then
  exec ctest --test-dir build --output-on-failure -j "${VAGT_JOBS:-2}"
fi
burners=()
trap 'kill "${burners[@]}" 2>/dev/null || true' EXIT
for _ in $(seq "$(nproc)"); do
  (while :; do :; done) &
  burners+=("$!")
done
echo "test.sh: ${#burners[@]} busy loops running; every test $repeat times"
ctest --test-dir build --output-on-failure -j "${VAGT_JOBS:-2}" \
  --repeat "until-fail:$repeat"
