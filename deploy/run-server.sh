#!/usr/bin/env bash
# Sets up and starts vagtd on its embedded default: the event store under
# ./var/vagt, gRPC on 127.0.0.1:50051, the console and its Connect gateway on
# http://127.0.0.1:8080/. Nothing else to install or start.
# Builds vagtctl, the client, too (build/services/vagtctl/vagtctl).
# Extra arguments go to vagtd (e.g. --listen=0.0.0.0:50051).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
bash deploy/build.sh vagtd vagtctl
bash deploy/build-web.sh
mkdir -p var
exec build/services/vagtd/vagtd --data_dir=var/vagt --http_listen=127.0.0.1:8080 \
  --web_dir=web/dist "$@"
