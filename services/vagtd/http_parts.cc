#include "services/vagtd/http_parts.h"

#include <cstdio>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "grpcpp/support/channel_arguments.h"

namespace vagt::vagtd {

absl::Status CheckHttpListen(const gateway::GatewayOptions& http,
                             const ListenOptions& grpc) {
  if (http.address.empty()) return absl::OkStatus();
  if (http.max_connections < 2 || http.max_streams < 1 ||
      http.max_streams >= http.max_connections) {
    return absl::InvalidArgumentError(
        "--http_max_streams: at least 1 and fewer than "
        "--http_max_connections, so that ordinary requests keep "
        "connections of their own");
  }
  if (http.tls_cert.empty() && !grpc.insecure_plaintext_on_network &&
      !IsLoopback(http.address)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--http_listen=", http.address,
        ": plaintext beyond loopback would carry tokens readable; give "
        "--tls_cert and --tls_key (or --insecure_plaintext_on_network "
        "behind a proxy that does TLS)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<gateway::BrowserGateway>> StartHttp(
    const gateway::GatewayOptions& http, grpc::Server& server) {
  absl::StatusOr<std::unique_ptr<gateway::BrowserGateway>> started =
      gateway::BrowserGateway::Start(
          http, server.InProcessChannel(grpc::ChannelArguments()));
  if (!started.ok()) return started.status();
  const gateway::BrowserGateway& gateway = **started;
  const std::string host = http.address.substr(0, http.address.rfind(':'));
  const std::string origin =
      absl::StrCat(http.tls_cert.empty() ? "http" : "https", "://", host, ":",
                   gateway.port(), "/");
  if (gateway.serves_console()) {
    std::printf("vagtd: console at %s (log in with a vagt token)\n",
                origin.c_str());
  } else {
    std::printf(
        "vagtd: Connect gateway at %s; no console in %s (build it: bash "
        "deploy/build-web.sh)\n",
        origin.c_str(), http.web_dir.c_str());
  }
  return started;
}

}  // namespace vagt::vagtd
