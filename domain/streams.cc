#include "domain/streams.h"

#include "absl/strings/str_cat.h"
#include "eventstore/status_macros.h"
#include "eventstore/validation.h"

namespace vagt {

absl::StatusOr<std::string> StreamOf(std::string_view kind,
                                     const std::string& id,
                                     absl::string_view field) {
  if (id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  std::string stream = StreamId(kind, id);
  RETURN_IF_ERROR(eventstore::ValidateStreamId(stream, field));
  return stream;
}

absl::Status ValidateCitizenRef(const std::string& citizen_ref,
                                absl::string_view field) {
  if (citizen_ref.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  if (IdInStream(citizen_ref, kCitizenKind).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": must be a citizen stream id, \"citizen-<pseudonymous id>\""));
  }
  return eventstore::ValidateStreamId(citizen_ref, field);
}

}  // namespace vagt
