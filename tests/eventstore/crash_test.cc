// Crash safety: a child process (crash_child.cc) appends from four threads and
// reports each acknowledged event; after a random number of them it is killed
// with SIGKILL. The store, reopened, must hold every acknowledged event where
// the child was told it is, with gapless positions and stream versions and a
// verifying chain. 25 rounds run on the same directory, so each round also
// recovers from the previous round's crash. A second test kills the child
// while its first Open() is still creating the store.
//
// The seed is printed; rerun a failing sequence with VAGT_CRASH_SEED=<seed>.
#include <signal.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "eventstore/event_store.h"
#include "tests/eventstore/test_store.h"
#include "tests/support/child_process.h"

#ifndef VAGT_CRASH_CHILD
#error "VAGT_CRASH_CHILD must name the crash_child executable"
#endif

namespace vagt::eventstore {
namespace {

using testing::AppendTo;
using testing::CallIdOf;
using testing::MakeCallReceived;
using testing::OpenStoreAt;
using testing::ReadAllEvents;
using testing::ScratchDir;
using ::vagt::testing::ChildProcess;

constexpr int kRounds = 25;
constexpr int kMaxAcknowledgedPerRound = 300;
constexpr int kFirstOpenRounds = 20;
// For one round of the child; only reached if it hangs.
constexpr absl::Duration kChildDeadline = absl::Seconds(60);

// One event the child reported as acknowledged.
struct Acknowledged {
  uint64_t position = 0;
  std::string call_id;
  std::string stream_id;
  uint64_t version = 0;
};

bool ParseLine(absl::string_view line, Acknowledged* out) {
  std::vector<absl::string_view> fields = absl::StrSplit(line, ' ');
  if (fields.size() != 4) return false;
  out->call_id = std::string(fields[1]);
  out->stream_id = std::string(fields[2]);
  return absl::SimpleAtoi(fields[0], &out->position) &&
         absl::SimpleAtoi(fields[3], &out->version);
}

uint64_t ChooseSeed() {
  const char* env = std::getenv("VAGT_CRASH_SEED");
  uint64_t seed = 0;
  if (env != nullptr && absl::SimpleAtoi(env, &seed)) return seed;
  return std::random_device()();
}

// Starts the child on `path` and reads its "opening" line: from then on it is
// inside EventStore::Open().
void StartChild(const std::string& path, int round,
                std::unique_ptr<ChildProcess>* child) {
  ASSERT_OK_AND_ASSIGN(*child, ChildProcess::Start({VAGT_CRASH_CHILD, path,
                                                    absl::StrCat(round)}));
  absl::StatusOr<std::string> line =
      (*child)->ReadLine(absl::Now() + kChildDeadline);
  ASSERT_OK(line);
  ASSERT_EQ(*line, "opening");
}

// Starts the child on `path`, reads its acknowledgements into `acked`, and
// kills it with SIGKILL once `kill_after` more events are acknowledged.
// Lines still in the pipe after the kill were acknowledged too and are kept;
// ReadLine drops a partial last line.
void RunChildUntilKilled(const std::string& path, int round, int kill_after,
                         std::vector<Acknowledged>* acked) {
  std::unique_ptr<ChildProcess> child;
  ASSERT_NO_FATAL_FAILURE(StartChild(path, round, &child));
  const absl::Time deadline = absl::Now() + kChildDeadline;
  int heard = 0;
  bool killed = false;
  while (true) {
    absl::StatusOr<std::string> line = child->ReadLine(deadline);
    if (absl::IsOutOfRange(line.status())) break;  // the child is gone
    if (!line.ok()) {
      ADD_FAILURE() << "round " << round << ": " << line.status() << " after "
                    << heard << " acknowledged events";
      child->Signal(SIGKILL);
      break;
    }
    Acknowledged a;
    // The child's stderr shares the pipe: an error it reports lands here.
    ASSERT_TRUE(ParseLine(*line, &a)) << "child said: " << *line;
    acked->push_back(std::move(a));
    if (++heard >= kill_after && !killed) {
      child->Signal(SIGKILL);
      killed = true;
    }
  }
  ASSERT_OK_AND_ASSIGN(int status, child->Wait(deadline));
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "round " << round << ": child ended on its own (wait status " << status
      << ") after " << heard << " acknowledged events";
}

// Reopens the store and checks it against everything ever acknowledged.
void ExpectStoreHoldsAcknowledged(const std::string& path,
                                  const std::vector<Acknowledged>& acked) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventStore> store, OpenStoreAt(path));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> all,
                       ReadAllEvents(*store));
  ASSERT_EQ(all.size(), store->LastPosition());
  ASSERT_GE(all.size(), acked.size());

  std::map<std::string, uint64_t> versions;
  std::set<std::string> event_ids;
  for (size_t i = 0; i < all.size(); ++i) {
    const v1::EventEnvelope& e = all[i];
    ASSERT_EQ(e.global_position(), i + 1) << "gap or duplicate in positions";
    uint64_t& version = versions[e.stream_id()];
    ASSERT_EQ(e.stream_version(), version + 1)
        << e.stream_id() << " at position " << e.global_position();
    version = e.stream_version();
    EXPECT_TRUE(event_ids.insert(e.event_id()).second);
  }
  for (const auto& [stream, version] : versions) {
    ASSERT_OK_AND_ASSIGN(uint64_t stored, store->StreamVersion(stream));
    EXPECT_EQ(stored, version) << stream;
  }
  for (const Acknowledged& a : acked) {
    ASSERT_GE(a.position, 1u);
    ASSERT_LE(a.position, all.size())
        << "acknowledged " << a.call_id << " is lost";
    const v1::EventEnvelope& e = all[a.position - 1];
    EXPECT_EQ(CallIdOf(e), a.call_id) << "position " << a.position;
    EXPECT_EQ(e.stream_id(), a.stream_id) << "position " << a.position;
    EXPECT_EQ(e.stream_version(), a.version) << "position " << a.position;
  }
  ASSERT_OK_AND_ASSIGN(VerifyReport report, store->VerifyChain());
  EXPECT_TRUE(report.ok) << report.first_bad_position << ": " << report.problem;
  EXPECT_EQ(report.events_checked, all.size());
}

TEST(EventStoreCrash, AcknowledgedAppendsSurviveSigkillOfTheWriter) {
  const uint64_t seed = ChooseSeed();
  std::printf("VAGT_CRASH_SEED=%llu\n", static_cast<unsigned long long>(seed));
  ::testing::Test::RecordProperty("seed", absl::StrCat(seed));
  SCOPED_TRACE(absl::StrCat("VAGT_CRASH_SEED=", seed));
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int> kill_after(1, kMaxAcknowledgedPerRound);

  ScratchDir dir;
  const std::string path = dir.Child("store");
  std::vector<Acknowledged> acked;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    ASSERT_NO_FATAL_FAILURE(
        RunChildUntilKilled(path, round, kill_after(random), &acked));
    ASSERT_NO_FATAL_FAILURE(ExpectStoreHoldsAcknowledged(path, acked));
  }
  std::printf("%zu acknowledged events checked after %d kills\n", acked.size(),
              kRounds);
}

// Files and directories under `dir`, counted while another process changes
// them (entries that vanish meanwhile are skipped).
size_t CountEntries(const std::string& dir) {
  std::error_code ec;
  size_t n = 0;
  for (std::filesystem::recursive_directory_iterator it(dir, ec), end;
       !ec && it != end; it.increment(ec)) {
    ++n;
  }
  return n;
}

// A crash while the very first Open() creates the store (vagtd's first start)
// must not leave a directory that vagt then refuses to open. Each round kills
// the child at a different point of the creation: once the scratch directory
// holds 1, 2, ... 12 entries (the store's directory, RocksDB's LOCK, LOG,
// MANIFEST, CURRENT, OPTIONS files as column families are added, ...), or as
// soon as Open() is over, whichever comes first.
TEST(EventStoreCrash, KillDuringFirstOpenLeavesAStoreThatOpens) {
  for (int round = 0; round < kFirstOpenRounds; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    ScratchDir dir;
    const std::string path = dir.Child("store");
    const size_t kill_at_entries = 1 + static_cast<size_t>(round) % 12;
    std::unique_ptr<ChildProcess> child;
    ASSERT_NO_FATAL_FAILURE(StartChild(path, round, &child));
    // Any further output (an acknowledgement, an error, the end) means Open()
    // is over.
    const absl::Time deadline = absl::Now() + kChildDeadline;
    while (CountEntries(dir.path()) < kill_at_entries &&
           absl::Now() < deadline &&
           absl::IsDeadlineExceeded(child->ReadLine(absl::Now()).status())) {
      std::this_thread::yield();
    }
    child->Signal(SIGKILL);
    ASSERT_OK(child->Wait(deadline));

    ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventStore> store, OpenStoreAt(path));
    ASSERT_OK_AND_ASSIGN(VerifyReport report, store->VerifyChain());
    EXPECT_TRUE(report.ok) << report.problem;
    ASSERT_OK(store->Append(AppendTo("call-after", ExpectedVersion::Any(),
                                     {MakeCallReceived("after")})));
  }
}

}  // namespace
}  // namespace vagt::eventstore
