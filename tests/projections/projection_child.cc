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
// With a fifth argument N > 0 it kills itself (SIGKILL) as RocksDB links
// the N-th file of a bulk load's ingestion into the database, before the
// ingestion is recorded: a crash in the middle of committing a chunk.
//
// Usage: projection_child <store path> <projections path> <batch events>
//                         <bulk chunk bytes> [<kill at link N>]
#include <signal.h>
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
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"

namespace vagt::projections {
namespace {

void Say(std::string line) {
  line.push_back('\n');
  if (write(STDOUT_FILENO, line.data(), line.size()) !=
      static_cast<ssize_t>(line.size())) {
    _exit(3);
  }
}

// Kills the process as it links the `kill_at`-th file.
class KillingFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  explicit KillingFileSystem(int kill_at)
      : FileSystemWrapper(rocksdb::FileSystem::Default()), kill_at_(kill_at) {}
  const char* Name() const override { return "KillingFileSystem"; }

  rocksdb::IOStatus LinkFile(const std::string& from, const std::string& to,
                             const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* debug) override {
    if (++links_ == kill_at_) raise(SIGKILL);
    return FileSystemWrapper::LinkFile(from, to, options, debug);
  }

 private:
  const int kill_at_;
  int links_ = 0;
};

int Fail(const absl::Status& status) {
  Say(absl::StrCat("error ", status.ToString()));
  return 1;
}

int Run(const std::string& store_path, const std::string& projections_path,
        size_t batch_events, size_t bulk_chunk_bytes, int kill_at_link) {
  eventstore::Options options;
  options.path = store_path;
  options.create_if_missing = false;
  absl::StatusOr<std::unique_ptr<eventstore::EventStore>> store =
      eventstore::EventStore::Open(std::move(options));
  if (!store.ok()) return Fail(store.status());
  std::unique_ptr<rocksdb::Env> env;
  if (kill_at_link > 0) {
    env = rocksdb::NewCompositeEnv(
        std::make_shared<KillingFileSystem>(kill_at_link));
  }
  absl::StatusOr<std::unique_ptr<ProjectionRunner>> runner =
      ProjectionRunner::Open(projections_path,
                             std::make_unique<StoreFeed>(**store),
                             {.batch_events = batch_events,
                              .bulk_chunk_bytes = bulk_chunk_bytes,
                              .env = env.get()});
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
  int kill_at_link = 0;
  if ((argc != 5 && argc != 6) || !absl::SimpleAtoi(argv[3], &batch_events) ||
      batch_events == 0 || !absl::SimpleAtoi(argv[4], &bulk_chunk_bytes) ||
      (argc == 6 && !absl::SimpleAtoi(argv[5], &kill_at_link))) {
    std::fprintf(stderr,
                 "usage: projection_child <store path> <projections path> "
                 "<batch events> <bulk chunk bytes> [<kill at link N>]\n");
    return 2;
  }
  return vagt::projections::Run(argv[1], argv[2], batch_events,
                                bulk_chunk_bytes, kill_at_link);
}
