// The event store case: one-event Append()s, one stream per thread.
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "eventstore/event_store.h"
#include "eventstore/status_macros.h"
#include "tests/bench/cases.h"

namespace vagt::bench {
namespace {

constexpr char kActor[] = "worker:bench";

std::string StreamOf(int thread) { return absl::StrCat("call-bench-", thread); }

// A CallReceived whose reason is just long enough that the envelope the
// store keeps for it is about kEventBytes. The envelope is estimated with the
// fields the store fills in set to typical sizes (a UUID, a 32-byte prev_hash,
// two timestamps, positions in the ten thousands).
v1::EventPayload SizedCallReceived(int thread) {
  v1::EventPayload payload;
  v1::CallReceived* call = payload.mutable_call_received();
  call->set_call_id(absl::StrCat("bench-", thread));
  call->set_line_id("line-bench");
  call->set_citizen_ref("citizen-bench");

  v1::EventEnvelope envelope;
  envelope.set_event_id("00000000-0000-4000-8000-000000000000");
  envelope.set_stream_id(StreamOf(thread));
  envelope.set_stream_version(10'000);
  envelope.set_global_position(100'000);
  envelope.set_type(v1::CallReceived::descriptor()->full_name());
  envelope.mutable_occurred_at()->set_seconds(1'750'000'000);
  envelope.mutable_occurred_at()->set_nanos(123'456'789);
  *envelope.mutable_recorded_at() = envelope.occurred_at();
  envelope.set_actor(kActor);
  envelope.set_prev_hash(std::string(32, '\x5a'));
  *envelope.mutable_payload() = payload;
  std::string* reason = envelope.mutable_payload()
                            ->mutable_call_received()
                            ->mutable_sensitive()
                            ->mutable_reason();
  // Letters drawn from EventBytes(): as incompressible as UTF-8 text allows,
  // like the raw baselines' values.
  const std::string& noise = EventBytes();
  while (envelope.ByteSizeLong() < kEventBytes) {
    const auto byte =
        static_cast<unsigned char>(noise[reason->size() % noise.size()]);
    reason->push_back(static_cast<char>('a' + byte % 26));
  }
  *call->mutable_sensitive()->mutable_reason() = *reason;
  return payload;
}

}  // namespace

absl::StatusOr<Throughput> MeasureEventStoreAppend(const std::string& dir,
                                                   int threads,
                                                   absl::Duration duration) {
  ASSIGN_OR_RETURN(std::unique_ptr<eventstore::EventStore> store,
                   eventstore::EventStore::Open({.path = dir}));

  // Built before the clock starts; each is read only by its own thread.
  std::vector<eventstore::NewEvent> events(static_cast<size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    eventstore::NewEvent& event = events[static_cast<size_t>(t)];
    event.payload = SizedCallReceived(t);
    event.actor = kActor;
  }

  return RunThreads(
      threads, duration, [&](int thread, uint64_t i) -> absl::Status {
        eventstore::AppendRequest request;
        request.stream_id = StreamOf(thread);
        request.expected = eventstore::ExpectedVersion::Any();
        request.request_id = absl::StrCat("bench-", thread, "-", i);
        request.events.push_back(events[static_cast<size_t>(thread)]);
        return store->Append(std::move(request)).status();
      });
}

}  // namespace vagt::bench
