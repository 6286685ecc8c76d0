// CommandContext: who asked for a command, under which request id, and when.
// Built from a gRPC call at the service edge; everything below takes it.
#ifndef VAGT_SERVICES_COMMON_COMMAND_CONTEXT_H_
#define VAGT_SERVICES_COMMON_COMMAND_CONTEXT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "eventstore/clock.h"
#include "grpcpp/server_context.h"

namespace vagt::services {

// The metadata key that names the actor until real authentication arrives.
inline constexpr char kActorMetadataKey[] = "x-vagt-actor";

struct CommandContext {
  std::string actor;       // e.g. "worker:anna"
  std::string request_id;  // idempotency key, never empty
  absl::Time now;          // from the injected clock
};

// The actor named in `x-vagt-actor`; UNAUTHENTICATED when it is missing or
// malformed.
absl::StatusOr<std::string> ActorOf(const grpc::ServerContext& call);

// Reads the actor from `x-vagt-actor` (UNAUTHENTICATED when missing or
// malformed) and checks `request_id` (INVALID_ARGUMENT naming it).
absl::StatusOr<CommandContext> MakeCommandContext(
    const grpc::ServerContext& call, const std::string& request_id,
    const Clock& clock);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_COMMAND_CONTEXT_H_
