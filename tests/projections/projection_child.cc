// The victim of projections_crash_test: opens the event store at argv[1]
// and the projection database at argv[2], and catches up batch by batch
// (argv[3] events at most per batch; argv[4] is RunnerOptions::
// bulk_chunk_bytes) until it is killed or done. It writes to stdout, each
// line in one write(2) (whole or not at all):
//
//   start <applied position> <stored cursor>   after opening the runner
//   applied <position>                         after each commit (a batch,
//                                              or a bulk load's chunk)
//   stepped <position>                         after a batch a bulk load
//                                              gathered but did not commit
//   done <position>                            once caught up; then exits 0
//
// A "applied" line is written only after its batch is committed, so the
// parent knows that the database holds at least that much.
//
// Usage: projection_child <store path> <projections path> <batch events>
//                         <bulk chunk bytes>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "eventstore/event_store.h"
#include "projections/keys.h"
#include "projections/runner.h"
#include "projections/store_feed.h"

namespace vagt::projections {
namespace {

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

int Run(const std::string& store_path, const std::string& projections_path,
        size_t batch_events, size_t bulk_chunk_bytes) {
  eventstore::Options options;
  options.path = store_path;
  options.create_if_missing = false;
  absl::StatusOr<std::unique_ptr<eventstore::EventStore>> store =
      eventstore::EventStore::Open(std::move(options));
  if (!store.ok()) return Fail(store.status());
  absl::StatusOr<std::unique_ptr<ProjectionRunner>> runner =
      ProjectionRunner::Open(
          projections_path, std::make_unique<StoreFeed>(**store),
          {.batch_events = batch_events, .bulk_chunk_bytes = bulk_chunk_bytes});
  if (!runner.ok()) return Fail(runner.status());
  std::string cursor;
  rocksdb::Status s =
      (*runner)->db().Get(rocksdb::ReadOptions(), keys::kCursor, &cursor);
  if (!s.ok() && !s.IsNotFound())
    return Fail(absl::InternalError(s.ToString()));
  Say(absl::StrCat("start ", (*runner)->AppliedPosition(), " ",
                   cursor.empty() ? "-" : cursor));
  uint64_t said = (*runner)->AppliedPosition();
  while (true) {
    absl::StatusOr<uint64_t> n = (*runner)->Step(absl::InfinitePast());
    if (!n.ok()) return Fail(n.status());
    if (*n == 0) break;
    // A bulk load commits a chunk of many batches at once.
    if ((*runner)->AppliedPosition() == said) {
      Say(absl::StrCat("stepped ", said));
      continue;
    }
    said = (*runner)->AppliedPosition();
    Say(absl::StrCat("applied ", said));
  }
  Say(absl::StrCat("done ", (*runner)->AppliedPosition()));
  return 0;
}

}  // namespace
}  // namespace vagt::projections

int main(int argc, char** argv) {
  size_t batch_events = 0;
  size_t bulk_chunk_bytes = 0;
  if (argc != 5 || !absl::SimpleAtoi(argv[3], &batch_events) ||
      batch_events == 0 || !absl::SimpleAtoi(argv[4], &bulk_chunk_bytes)) {
    std::fprintf(stderr,
                 "usage: projection_child <store path> <projections path> "
                 "<batch events> <bulk chunk bytes>\n");
    return 2;
  }
  return vagt::projections::Run(argv[1], argv[2], batch_events,
                                bulk_chunk_bytes);
}
