#include "services/common/command_context.h"

#include "absl/strings/str_cat.h"
#include "domain/field_checks.h"
#include "eventstore/event_store.h"
#include "eventstore/status_macros.h"

namespace vagt::services {

absl::StatusOr<std::string> ActorOf(const grpc::ServerContext& call) {
  const auto& metadata = call.client_metadata();
  auto it = metadata.find(kActorMetadataKey);
  if (it == metadata.end() || it->second.empty()) {
    return absl::UnauthenticatedError(absl::StrCat(
        kActorMetadataKey, " metadata: required (who is doing this)"));
  }
  std::string actor(it->second.data(), it->second.size());
  if (absl::Status s =
          CheckId(actor, absl::StrCat(kActorMetadataKey, " metadata"),
                  /*required=*/true, eventstore::kMaxMetadataBytes);
      !s.ok()) {
    return absl::UnauthenticatedError(s.message());
  }
  return actor;
}

absl::StatusOr<CommandContext> MakeCommandContext(
    const grpc::ServerContext& call, const std::string& request_id,
    const Clock& clock) {
  ASSIGN_OR_RETURN(std::string actor, ActorOf(call));
  if (request_id.empty()) {
    return absl::InvalidArgumentError(
        "request_id: required (a unique id per command; reuse it to retry)");
  }
  RETURN_IF_ERROR(CheckId(request_id, "request_id", /*required=*/true,
                          eventstore::kMaxRequestIdBytes));
  return CommandContext{
      .actor = std::move(actor), .request_id = request_id, .now = clock.Now()};
}

}  // namespace vagt::services
