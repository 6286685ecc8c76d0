#include "services/kafka/cloud_events.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "eventstore/timestamps.h"

namespace vagt::kafka {
namespace {

absl::Status Missing(absl::string_view field) {
  return absl::InvalidArgumentError(
      absl::StrCat("cloud event: the envelope has no valid ", field));
}

}  // namespace

absl::StatusOr<std::vector<KafkaHeader>> CloudEventHeaders(
    const v1::EventEnvelope& event) {
  if (event.event_id().empty()) return Missing("event_id");
  if (event.stream_id().empty()) return Missing("stream_id");
  if (event.type().empty()) return Missing("type");
  if (event.stream_version() == 0) return Missing("stream_version");
  if (event.global_position() == 0) return Missing("global_position");
  if (!event.has_recorded_at() || !IsValidTimestamp(event.recorded_at())) {
    return Missing("recorded_at");
  }
  return std::vector<KafkaHeader>{
      {kSpecVersionHeader, kSpecVersion},
      {kIdHeader, event.event_id()},
      {kSourceHeader, absl::StrCat(kSourcePrefix, event.stream_id())},
      {kTypeHeader, event.type()},
      {kTimeHeader,
       absl::FormatTime("%Y-%m-%d%ET%H:%M:%E*SZ", ToTime(event.recorded_at()),
                        absl::UTCTimeZone())},
      {kContentTypeHeader, kContentType},
      {kStreamVersionHeader, absl::StrCat(event.stream_version())},
      {kGlobalPositionHeader, absl::StrCat(event.global_position())},
  };
}

absl::StatusOr<v1::EventEnvelope> DecodeCloudEvent(
    std::string_view key, std::string_view value,
    const std::vector<KafkaHeader>& headers) {
  v1::EventEnvelope event;
  if (!event.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::InvalidArgumentError(
        "cloud event: the value is not an EventEnvelope");
  }
  if (key != event.stream_id()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cloud event: the key is not the stream id of event ", event.event_id(),
        " at position ", event.global_position()));
  }
  absl::StatusOr<std::vector<KafkaHeader>> expected = CloudEventHeaders(event);
  if (!expected.ok()) return expected.status();
  for (const KafkaHeader& want : *expected) {
    int found = 0;
    bool equal = false;
    for (const KafkaHeader& header : headers) {
      if (header.name != want.name) continue;
      ++found;
      equal = header.value == want.value;
    }
    if (found != 1 || !equal) {
      return absl::InvalidArgumentError(
          absl::StrCat("cloud event: header ", want.name,
                       found == 0 ? " is missing"
                                  : (found > 1 ? " is repeated" : " differs"),
                       " for event ", event.event_id(), " at position ",
                       event.global_position()));
    }
  }
  return event;
}

}  // namespace vagt::kafka
