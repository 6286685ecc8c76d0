#!/usr/bin/env bash
# Installs the Debian 12 packages vagt builds and tests with. Idempotent.
#   bash deploy/install-deps.sh            # build and test dependencies
#   bash deploy/install-deps.sh --bench    # also PostgreSQL, the benchmark's baseline
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librocksdb-dev librdkafka-dev libabsl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libssl-dev uuid-dev libpq-dev
  python3-grpcio python3-grpc-tools
  openssl
  tzdata
  libcli11-dev
  libkainjow-mustache-dev
  libical-dev
  libjemalloc-dev
  libjwt-dev libcurl4-openssl-dev ca-certificates
  python3-jwt python3-cryptography
  kcat
  libcpp-httplib-dev curl
  chromium fonts-dejavu-core
)
# The console is built with the machine's Node.js (>= 20.19) and npm; where
# there is none, Debian's.
if ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(postgresql)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
