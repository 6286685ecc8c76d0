// RecordedEvent: the event a replayed command recorded, checked to be that
// command's.
//
// Execute() uses it to answer a known request id only when it recorded this
// command's kind of event on this stream. A command that answers with more
// than the CommandResult (a revision) reads its recorded event back with it:
//
//   ASSIGN_OR_RETURN(v1::EventEnvelope e,
//       RecordedEvent(store, stream, result.stream_version, request_id,
//                     v1::EventPayload::kCitizenCrisisPlanUpdated));
#ifndef VAGT_SERVICES_COMMON_RECORDED_EVENT_H_
#define VAGT_SERVICES_COMMON_RECORDED_EVENT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "eventstore/event_store.h"
#include "eventstore/status_macros.h"

namespace vagt::services {

// The event at `version` of `stream_id` when the command with `request_id`
// recorded it (its correlation id, set by Execute()) and it is an event of
// kind `expected`; ALREADY_EXISTS naming request_id otherwise.
inline absl::StatusOr<v1::EventEnvelope> RecordedEvent(
    const eventstore::EventStore& store, const std::string& stream_id,
    uint64_t version, const std::string& request_id,
    v1::EventPayload::EventCase expected) {
  ASSIGN_OR_RETURN(std::vector<v1::EventEnvelope> events,
                   store.ReadStream(stream_id, version, 1));
  if (events.empty() || events.front().correlation_id() != request_id ||
      events.front().payload().event_case() != expected) {
    return absl::AlreadyExistsError(
        "request_id: already used for a different command; use a new one");
  }
  return std::move(events.front());
}

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_RECORDED_EVENT_H_
