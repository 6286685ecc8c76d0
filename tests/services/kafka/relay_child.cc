// The victim of kafka_relay_crash_test: opens (or creates) the event store
// at argv[1], relays it to the Kafka cluster at argv[3] with its checkpoint
// in argv[2], and appends argv[4] events to a few streams of every kind,
// four appends at a time, waiting after each four until the relay has
// published them. It writes to stdout, each line in one write(2):
//
//   start <checkpoint> <last position>   after opening the relay
//   relayed <checkpoint>                 after each four are published
//   done <checkpoint>                    once all is published; exits 0
//   error <message>                      and exits 1
//
// A "relayed" line is written only once its checkpoint is saved, so a
// restarted child must start at least there.
//
// Usage: relay_child <store> <relay checkpoint dir> <bootstraps> <events>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "eventstore/event_store.h"
#include "services/kafka/relay.h"

namespace vagt::kafka {
namespace {

constexpr absl::Duration kPublishDeadline = absl::Seconds(30);
constexpr uint64_t kAppendsPerStep = 4;

void Say(std::string line) {
  line.push_back('\n');
  if (write(STDOUT_FILENO, line.data(), line.size()) !=
      static_cast<ssize_t>(line.size())) {
    _exit(3);
  }
}

int Fail(const absl::Status& status) {
  Say(absl::StrCat("error ", status.ToString()));
  return 1;
}

// The n-th append: cycles through streams of every kind.
eventstore::AppendRequest NthAppend(uint64_t n) {
  eventstore::NewEvent e;
  e.actor = "worker:anna";
  eventstore::AppendRequest request;
  const std::string id = absl::StrCat(n % 3);
  switch (n % 4) {
    case 0:
      request.stream_id = "call-" + id;
      e.payload.mutable_call_note_added()->set_call_id(id);
      e.payload.mutable_call_note_added()->mutable_sensitive()->set_text(
          "aftalt opfølgning");
      break;
    case 1:
      request.stream_id = "line-" + id;
      e.payload.mutable_line_backup_assigned()->set_line_id(id);
      break;
    case 2:
      request.stream_id = "escalation-" + id;
      e.payload.mutable_escalation_acknowledged()->set_escalation_id(id);
      break;
    default:
      request.stream_id = "citizen-" + id;
      e.payload.mutable_citizen_consent_granted()->set_citizen_ref(id);
      break;
  }
  request.events.push_back(std::move(e));
  return request;
}

int Run(const std::string& store_path, const std::string& relay_path,
        const std::string& bootstraps, uint64_t events) {
  absl::StatusOr<std::unique_ptr<eventstore::EventStore>> store =
      eventstore::EventStore::Open({.path = store_path});
  if (!store.ok()) return Fail(store.status());
  absl::StatusOr<std::unique_ptr<OutboxRelay>> relay = OutboxRelay::Open(
      **store, {.bootstrap_servers = bootstraps,
                .checkpoint_path = relay_path,
                .producer_config = {{"reconnect.backoff.ms", "10"},
                                    {"reconnect.backoff.max.ms", "100"}}});
  if (!relay.ok()) return Fail(relay.status());
  Say(absl::StrCat("start ", (*relay)->checkpoint(), " ",
                   (*store)->LastPosition()));
  if (absl::Status s = (*relay)->Start(); !s.ok()) return Fail(s);
  const uint64_t first = (*store)->LastPosition();
  const uint64_t end = first + events;
  for (uint64_t n = first; n < end;) {
    // A step of up to kAppendsPerStep appends, so that several records are
    // in flight when the child is killed.
    uint64_t last = 0;
    for (uint64_t step_end = std::min(end, n + kAppendsPerStep); n < step_end;
         ++n) {
      absl::StatusOr<eventstore::AppendResult> appended =
          (*store)->Append(NthAppend(n));
      if (!appended.ok()) return Fail(appended.status());
      last = appended->last_position;
    }
    if (!(*relay)->WaitForCheckpoint(last, absl::Now() + kPublishDeadline)) {
      return Fail(absl::DeadlineExceededError(
          absl::StrCat("position ", last,
                       " not published: ", (*relay)->status().last_error)));
    }
    Say(absl::StrCat("relayed ", (*relay)->checkpoint()));
  }
  if (!(*relay)->WaitForCheckpoint((*store)->LastPosition(),
                                   absl::Now() + kPublishDeadline)) {
    return Fail(absl::DeadlineExceededError("not all published"));
  }
  (*relay)->Stop();
  Say(absl::StrCat("done ", (*relay)->checkpoint()));
  return 0;
}

}  // namespace
}  // namespace vagt::kafka

int main(int argc, char** argv) {
  uint64_t events = 0;
  if (argc != 5 || !absl::SimpleAtoi(argv[4], &events)) {
    std::fprintf(stderr,
                 "usage: relay_child <store> <relay checkpoint dir> "
                 "<bootstraps> <events>\n");
    return 2;
  }
  return vagt::kafka::Run(argv[1], argv[2], argv[3], events);
}
