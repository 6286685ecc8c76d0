#include "services/common/command_context.h"

#include "absl/strings/str_cat.h"
#include "eventstore/event_store.h"

namespace vagt::services {
namespace {

bool IsPrintable(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<CommandContext> MakeCommandContext(
    const grpc::ServerContext& call, const std::string& request_id,
    const Clock& clock) {
  const auto& metadata = call.client_metadata();
  auto it = metadata.find(kActorMetadataKey);
  if (it == metadata.end() || it->second.empty()) {
    return absl::UnauthenticatedError(absl::StrCat(
        kActorMetadataKey, " metadata: required (who is doing this)"));
  }
  std::string actor(it->second.data(), it->second.size());
  if (actor.size() > eventstore::kMaxMetadataBytes || !IsPrintable(actor)) {
    return absl::UnauthenticatedError(
        absl::StrCat(kActorMetadataKey, " metadata: at most ",
                     eventstore::kMaxMetadataBytes, " printable characters"));
  }
  if (request_id.empty()) {
    return absl::InvalidArgumentError(
        "request_id: required (a unique id per command; reuse it to retry)");
  }
  if (request_id.size() > eventstore::kMaxRequestIdBytes ||
      !IsPrintable(request_id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("request_id: at most ", eventstore::kMaxRequestIdBytes,
                     " printable characters"));
  }
  return CommandContext{
      .actor = std::move(actor), .request_id = request_id, .now = clock.Now()};
}

}  // namespace vagt::services
