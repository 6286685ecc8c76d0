#include "eventstore/validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace vagt::eventstore {
namespace {

bool IsStreamIdChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' ||
         c == '_' || c == ':' || c == '@' || c == '-';
}

// Free-text metadata: bounded, printable ASCII or UTF-8, no control bytes.
absl::Status ValidateMetadata(std::string_view value, absl::string_view field,
                              size_t limit) {
  if (value.size() > limit) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": ", value.size(), " bytes exceed the limit of ", limit));
  }
  for (char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": control characters are not allowed"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateStreamId(std::string_view stream_id,
                              absl::string_view field) {
  if (stream_id.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must not be empty"));
  }
  if (stream_id.size() > kMaxStreamIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", stream_id.size(),
                     " bytes exceed the limit of ", kMaxStreamIdBytes));
  }
  for (size_t i = 0; i < stream_id.size(); ++i) {
    if (!IsStreamIdChar(stream_id[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": character at offset ", i,
                       " is not allowed (use A-Z a-z 0-9 and . _ : @ -)"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateCheckpointName(std::string_view name) {
  return ValidateStreamId(name, "checkpoint name");
}

absl::Status ValidateAppend(const AppendRequest& request) {
  if (absl::Status s = ValidateStreamId(request.stream_id); !s.ok()) return s;
  if (absl::Status s = ValidateMetadata(request.request_id, "request_id",
                                        kMaxRequestIdBytes);
      !s.ok()) {
    return s;
  }
  if (request.events.empty()) {
    return absl::InvalidArgumentError("events: at least one event is required");
  }
  if (request.events.size() > kMaxEventsPerAppend) {
    return absl::InvalidArgumentError(absl::StrCat(
        "events: ", request.events.size(), " events exceed the limit of ",
        kMaxEventsPerAppend, " per append"));
  }
  size_t total = 0;
  for (size_t i = 0; i < request.events.size(); ++i) {
    const NewEvent& e = request.events[i];
    const std::string at = absl::StrCat("events[", i, "].");
    if (e.payload.event_case() == v1::EventPayload::EVENT_NOT_SET) {
      return absl::InvalidArgumentError(absl::StrCat(
          at, "payload: unknown or missing event type (no known event set)"));
    }
    const size_t size = e.payload.ByteSizeLong();
    if (size > kMaxPayloadBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat(at, "payload: ", size, " bytes exceed the limit of ",
                       kMaxPayloadBytes));
    }
    total += size;
    for (auto [value, name] : {std::pair{&e.actor, "actor"},
                               std::pair{&e.correlation_id, "correlation_id"},
                               std::pair{&e.causation_id, "causation_id"}}) {
      if (absl::Status s = ValidateMetadata(*value, absl::StrCat(at, name),
                                            kMaxMetadataBytes);
          !s.ok()) {
        return s;
      }
    }
    if (e.occurred_at == absl::InfiniteFuture()) {
      return absl::InvalidArgumentError(
          absl::StrCat(at, "occurred_at: must be a finite time"));
    }
  }
  if (total > kMaxAppendBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("events: ", total, " payload bytes exceed the limit of ",
                     kMaxAppendBytes, " per append"));
  }
  return absl::OkStatus();
}

std::string EventTypeName(const v1::EventPayload& payload) {
  const google::protobuf::FieldDescriptor* field =
      payload.GetDescriptor()->FindFieldByNumber(payload.event_case());
  return field == nullptr ? std::string() : field->message_type()->full_name();
}

}  // namespace vagt::eventstore
