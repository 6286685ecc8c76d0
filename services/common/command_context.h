// CommandContext: who asked for a command, under which request id, and when.
// Built from a gRPC call from what the edge admitted (edge.h); everything
// below takes it.
#ifndef VAGT_SERVICES_COMMON_COMMAND_CONTEXT_H_
#define VAGT_SERVICES_COMMON_COMMAND_CONTEXT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "eventstore/clock.h"
#include "grpcpp/server_context.h"
#include "services/common/gate.h"

namespace vagt::services {

struct CommandContext {
  std::string actor;       // e.g. "worker:anna"
  std::string request_id;  // idempotency key, never empty
  absl::Time now;          // from the injected clock
  // Who the edge admitted, with the directory it read: for the
  // relationship rules (scope.h).
  Caller caller;
};

// The caller as the edge admitted the request (edge.h), with credentials
// (UNAUTHENTICATED for an exempt method called without); the refusal when it
// was not admitted.
absl::StatusOr<Caller> AuthenticatedCaller(const grpc::ServerContext& call);
// Its party id.
absl::StatusOr<std::string> ActorOf(const grpc::ServerContext& call);

// The actor as ActorOf, `request_id` checked (INVALID_ARGUMENT naming it).
absl::StatusOr<CommandContext> MakeCommandContext(
    const grpc::ServerContext& call, const std::string& request_id,
    const Clock& clock);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_COMMAND_CONTEXT_H_
