// vagtd's browser gateway (services/gateway): --http_listen checked by the
// gRPC port's rule (plaintext on loopback only, unless the operator says
// --insecure_plaintext_on_network), and started over the server's
// in-process channel, so that every browser request passes the same edge as
// a gRPC client's.
#ifndef VAGT_SERVICES_VAGTD_HTTP_PARTS_H_
#define VAGT_SERVICES_VAGTD_HTTP_PARTS_H_

#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/server.h"
#include "services/gateway/gateway.h"
#include "services/vagtd/listen.h"

namespace vagt::vagtd {

// INVALID_ARGUMENT naming the flag: stream slots that would leave ordinary
// requests no connection, or plaintext beyond loopback. OK when `http` has
// no address (no gateway).
absl::Status CheckHttpListen(const gateway::GatewayOptions& http,
                             const ListenOptions& grpc);

// Starts the gateway in front of `server` and prints where: the console's
// address to log in at, or the gateway's and that no console is built.
absl::StatusOr<std::unique_ptr<gateway::BrowserGateway>> StartHttp(
    const gateway::GatewayOptions& http, grpc::Server& server);

}  // namespace vagt::vagtd

#endif  // VAGT_SERVICES_VAGTD_HTTP_PARTS_H_
