// Input checks for the event store. Every error is INVALID_ARGUMENT and names
// the offending field and the rule; none repeats the field's value, because a
// value may carry a citizen's data.
#ifndef VAGT_EVENTSTORE_VALIDATION_H_
#define VAGT_EVENTSTORE_VALIDATION_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "eventstore/event_store.h"

namespace vagt::eventstore {

// 1..kMaxStreamIdBytes of [A-Za-z0-9._:@-].
absl::Status ValidateStreamId(std::string_view stream_id,
                              absl::string_view field = "stream_id");

// Everything Append() checks before it touches the store.
absl::Status ValidateAppend(const AppendRequest& request);

// Checkpoint names follow the stream id rules.
absl::Status ValidateCheckpointName(std::string_view name);

// "vagt.v1.CallReceived" for a payload holding a CallReceived. Requires a
// payload whose event is set.
std::string EventTypeName(const v1::EventPayload& payload);

}  // namespace vagt::eventstore

#endif  // VAGT_EVENTSTORE_VALIDATION_H_
