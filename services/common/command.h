// Execute: runs one command against one aggregate stream.
//
//   ASSIGN_OR_RETURN(eventstore::AppendResult r,
//       Execute<CallState>(store, ctx, "call-1", [&](const CallState& call)
//           -> absl::StatusOr<std::vector<v1::EventPayload>> {
//         if (!call.open()) return absl::FailedPreconditionError(...);
//         return std::vector<v1::EventPayload>{...};
//       }));
//
// 1. A request id already used on this stream answers with its first result:
//    nothing is decided again, so a retry after a later change still
//    succeeds. Used on another stream, it is ALREADY_EXISTS.
// 2. The stream is read and folded into `State` (which needs
//    `void Apply(const v1::EventEnvelope&)`), and `decide` returns the events.
// 3. They are appended with ExpectedVersion::Exact(the version read): a
//    concurrent change fails with ABORTED instead of being overwritten.
#ifndef VAGT_SERVICES_COMMON_COMMAND_H_
#define VAGT_SERVICES_COMMON_COMMAND_H_

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "eventstore/event_store.h"
#include "eventstore/status_macros.h"
#include "services/common/command_context.h"
#include "vagt/v1/commands.pb.h"

namespace vagt::services {

// Streams larger than this are not folded by a command (no aggregate of vagt
// comes near it: a call has tens of events).
inline constexpr size_t kMaxAggregateEvents = 100'000;

template <typename State>
absl::StatusOr<State> LoadAggregate(const eventstore::EventStore& store,
                                    const std::string& stream_id,
                                    uint64_t* version) {
  ASSIGN_OR_RETURN(std::vector<v1::EventEnvelope> events,
                   store.ReadStream(stream_id, 1, kMaxAggregateEvents));
  State state;
  for (const v1::EventEnvelope& e : events) state.Apply(e);
  *version = events.empty() ? 0 : events.back().stream_version();
  return state;
}

template <typename State>
absl::StatusOr<eventstore::AppendResult> Execute(
    eventstore::EventStore& store, const CommandContext& ctx,
    const std::string& stream_id,
    absl::FunctionRef<
        absl::StatusOr<std::vector<v1::EventPayload>>(const State&)>
        decide) {
  ASSIGN_OR_RETURN(std::optional<eventstore::AppendResult> earlier,
                   store.FindRequest(ctx.request_id));
  if (earlier.has_value()) {
    // The first result answers only a retry of the same command on the same
    // stream, never a request id reused elsewhere.
    ASSIGN_OR_RETURN(std::vector<v1::EventEnvelope> first,
                     store.ReadAll(earlier->last_position, 1));
    if (first.empty() || first.front().stream_id() != stream_id) {
      return absl::AlreadyExistsError(
          "request_id: already used for a different command; use a new one");
    }
    return *earlier;
  }
  uint64_t version = 0;
  ASSIGN_OR_RETURN(State state,
                   LoadAggregate<State>(store, stream_id, &version));
  ASSIGN_OR_RETURN(std::vector<v1::EventPayload> payloads, decide(state));
  eventstore::AppendRequest request;
  request.stream_id = stream_id;
  request.expected = eventstore::ExpectedVersion::Exact(version);
  request.request_id = ctx.request_id;
  for (v1::EventPayload& payload : payloads) {
    eventstore::NewEvent event;
    event.payload = std::move(payload);
    event.occurred_at = ctx.now;
    event.actor = ctx.actor;
    event.correlation_id = ctx.request_id;
    request.events.push_back(std::move(event));
  }
  return store.Append(std::move(request));
}

inline v1::CommandResult ToCommandResult(const std::string& stream_id,
                                         const eventstore::AppendResult& r) {
  v1::CommandResult out;
  out.set_stream_id(stream_id);
  out.set_stream_version(r.stream_version);
  out.set_first_position(r.first_position);
  out.set_last_position(r.last_position);
  out.set_replayed(r.replayed);
  return out;
}

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_COMMAND_H_
