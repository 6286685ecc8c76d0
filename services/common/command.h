// Execute: runs one command against one aggregate stream.
//
//   ASSIGN_OR_RETURN(eventstore::AppendResult r,
//       Execute<CallState>(store, ctx, "call-1",
//           v1::EventPayload::kCallClosed, [&](const CallState& call)
//           -> absl::StatusOr<std::vector<v1::EventPayload>> {
//         if (!call.open()) return absl::FailedPreconditionError(...);
//         return std::vector<v1::EventPayload>{...};
//       }));
//
// 1. A request id already used for this command (an event of kind `recorded`
//    on this stream) answers with its first result: nothing is decided again,
//    so a retry after a later change still succeeds. Used for another
//    command, it is ALREADY_EXISTS. A retry that overlaps its first attempt
//    is answered the same way once the first attempt has committed.
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
#include "services/common/recorded_event.h"
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

// Steps 2 and 3 of Execute: fold, decide, append with the exact version.
template <typename State>
absl::StatusOr<eventstore::AppendResult> DecideAndAppend(
    eventstore::EventStore& store, const CommandContext& ctx,
    const std::string& stream_id,
    absl::FunctionRef<
        absl::StatusOr<std::vector<v1::EventPayload>>(const State&)>
        decide) {
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

// The first result of `ctx.request_id`, if the id is known: only when it
// recorded an event of kind `recorded` on `stream_id` (a retry of this very
// command); ALREADY_EXISTS when it was used for another command.
inline absl::StatusOr<std::optional<eventstore::AppendResult>> Replay(
    const eventstore::EventStore& store, const CommandContext& ctx,
    const std::string& stream_id, v1::EventPayload::EventCase recorded) {
  ASSIGN_OR_RETURN(std::optional<eventstore::AppendResult> earlier,
                   store.FindRequest(ctx.request_id));
  if (!earlier.has_value()) return std::nullopt;
  RETURN_IF_ERROR(RecordedEvent(store, stream_id, earlier->stream_version,
                                ctx.request_id, recorded)
                      .status());
  return earlier;
}

template <typename State>
absl::StatusOr<eventstore::AppendResult> Execute(
    eventstore::EventStore& store, const CommandContext& ctx,
    const std::string& stream_id, v1::EventPayload::EventCase recorded,
    absl::FunctionRef<
        absl::StatusOr<std::vector<v1::EventPayload>>(const State&)>
        decide) {
  ASSIGN_OR_RETURN(std::optional<eventstore::AppendResult> earlier,
                   Replay(store, ctx, stream_id, recorded));
  if (earlier.has_value()) return *earlier;
  absl::StatusOr<eventstore::AppendResult> appended =
      DecideAndAppend<State>(store, ctx, stream_id, decide);
  if (!appended.ok()) {
    // A retry that overlapped its own first attempt: the first attempt may
    // have committed after the replay check above, so that this decision saw
    // its effect (and refused) or the append lost the race. Answer it as the
    // retry it is.
    ASSIGN_OR_RETURN(earlier, Replay(store, ctx, stream_id, recorded));
    if (earlier.has_value()) return *earlier;
  }
  return appended;
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
