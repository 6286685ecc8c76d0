// The victim of crash_test: opens the store at argv[1] and appends from four
// threads until it is killed. It first writes "opening\n" just before it
// calls EventStore::Open(). Then, after each Append() returns OK, and only
// then, it writes one line per appended event to stdout:
//
//   <global position> <call id> <stream id> <stream version>\n
//
// so the parent hears only of acknowledged (fsync'd) events. The lines of
// one append go out in a single write(2), well under PIPE_BUF, so they
// arrive whole or not at all.
//
// Usage: eventstore_crash_child <store path> <round>
// Streams: "call-r<round>-t<thread>" (own stream, exact expected versions)
// and "line-shared-0", "line-shared-1" (shared by all threads and rounds,
// any version). Exits non-zero on any error.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "eventstore/event_store.h"

namespace vagt::eventstore {
namespace {

constexpr int kAppenders = 4;

std::mutex stdout_mu;

// Writes all of `text` to stdout, or exits.
void WriteLines(const std::string& text) {
  std::lock_guard<std::mutex> lock(stdout_mu);
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n =
        write(STDOUT_FILENO, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(4);
    done += static_cast<size_t>(n);
  }
}

[[noreturn]] void AppendForever(EventStore& store, int round, int thread) {
  const std::string own_stream = absl::StrCat("call-r", round, "-t", thread);
  uint64_t own_version = 0;
  for (uint64_t n = 0;; ++n) {
    const bool to_own_stream = n % 3 == 0;
    AppendRequest request;
    request.stream_id =
        to_own_stream ? own_stream : absl::StrCat("line-shared-", n % 2);
    request.expected = to_own_stream ? ExpectedVersion::Exact(own_version)
                                     : ExpectedVersion::Any();
    request.request_id = absl::StrCat("r", round, "-t", thread, "-n", n);
    std::vector<std::string> call_ids;
    for (uint64_t k = 0; k <= n % 2; ++k) {
      call_ids.push_back(absl::StrCat(request.request_id, "-e", k));
      NewEvent e;
      e.actor = absl::StrCat("worker:t", thread);
      e.payload.mutable_call_note_added()->set_call_id(call_ids.back());
      e.payload.mutable_call_note_added()->mutable_sensitive()->set_text(
          "notat");
      request.events.push_back(std::move(e));
    }
    const std::string stream_id = request.stream_id;
    absl::StatusOr<AppendResult> r = store.Append(std::move(request));
    if (!r.ok()) {
      std::fprintf(stderr, "crash_child: append to %s: %s\n", stream_id.c_str(),
                   r.status().ToString().c_str());
      _exit(3);
    }
    if (to_own_stream) own_version = r->stream_version;

    std::string lines;
    const uint64_t count = call_ids.size();
    for (uint64_t k = 0; k < count; ++k) {
      absl::StrAppend(&lines, r->first_position + k, " ", call_ids[k], " ",
                      stream_id, " ", r->stream_version - count + 1 + k, "\n");
    }
    WriteLines(lines);
  }
}

int Main(int argc, char** argv) {
  int round = 0;
  if (argc != 3 || !absl::SimpleAtoi(argv[2], &round)) {
    std::fprintf(stderr, "usage: %s <store path> <round>\n", argv[0]);
    return 2;
  }
  WriteLines("opening\n");
  absl::StatusOr<std::unique_ptr<EventStore>> store =
      EventStore::Open({.path = argv[1]});
  if (!store.ok()) {
    std::fprintf(stderr, "crash_child: open %s: %s\n", argv[1],
                 store.status().ToString().c_str());
    return 2;
  }
  std::vector<std::thread> appenders;
  for (int t = 0; t < kAppenders; ++t) {
    appenders.emplace_back([&, t] { AppendForever(**store, round, t); });
  }
  for (std::thread& t : appenders) t.join();  // never: killed first
  return 0;
}

}  // namespace
}  // namespace vagt::eventstore

int main(int argc, char** argv) { return vagt::eventstore::Main(argc, argv); }
