#include "services/common/command_context.h"

#include "absl/strings/str_cat.h"
#include "domain/field_checks.h"
#include "eventstore/event_store.h"
#include "eventstore/status_macros.h"
#include "services/common/edge.h"

namespace vagt::services {

absl::StatusOr<Caller> AuthenticatedCaller(const grpc::ServerContext& call) {
  ASSIGN_OR_RETURN(Caller caller, CallerOf(call));
  if (caller.party_id.empty()) {
    return absl::UnauthenticatedError(
        "authorization: required (\"Bearer <vagt access token>\")");
  }
  return caller;
}

absl::StatusOr<std::string> ActorOf(const grpc::ServerContext& call) {
  ASSIGN_OR_RETURN(Caller caller, AuthenticatedCaller(call));
  return std::move(caller.party_id);
}

absl::StatusOr<CommandContext> MakeCommandContext(
    const grpc::ServerContext& call, const std::string& request_id,
    const Clock& clock) {
  ASSIGN_OR_RETURN(Caller caller, AuthenticatedCaller(call));
  if (request_id.empty()) {
    return absl::InvalidArgumentError(
        "request_id: required (a unique id per command; reuse it to retry)");
  }
  RETURN_IF_ERROR(CheckId(request_id, "request_id", /*required=*/true,
                          eventstore::kMaxRequestIdBytes));
  std::string actor = caller.party_id;
  return CommandContext{.actor = std::move(actor),
                        .request_id = request_id,
                        .now = clock.Now(),
                        .caller = std::move(caller)};
}

}  // namespace vagt::services
