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

namespace vagt::services {

struct CommandContext {
  std::string actor;       // e.g. "worker:anna"
  std::string request_id;  // idempotency key, never empty
  absl::Time now;          // from the injected clock
};

// The authenticated caller's party id, as the edge admitted the request
// (edge.h); the refusal when it did not.
absl::StatusOr<std::string> ActorOf(const grpc::ServerContext& call);

// The actor as ActorOf, `request_id` checked (INVALID_ARGUMENT naming it).
absl::StatusOr<CommandContext> MakeCommandContext(
    const grpc::ServerContext& call, const std::string& request_id,
    const Clock& clock);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_COMMAND_CONTEXT_H_
