// Crash safety of the projection runner: a child process (projection_child)
// catches up over a store of random history in small batches and is killed
// with SIGKILL mid-way, several times. Each restart resumes at the cursor
// stored with the last committed batch (nothing committed is lost, nothing
// is applied twice); the last run finishes, and its database equals a
// rebuild from position 0, key by key. Run three ways: writing batch by
// batch; bulk loading in small chunks (a chunk commits many batches at once,
// by ingesting files; the runs after the first chunk write batch by batch),
// killed between batches; and bulk loading killed in the middle of an
// ingestion, as RocksDB links its files into the database.
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "projections/runner.h"
#include "projections/store_feed.h"
#include "tests/eventstore/test_store.h"
#include "tests/projections/event_generator.h"
#include "tests/projections/projection_testing.h"
#include "tests/support/child_process.h"

#ifndef VAGT_PROJECTION_CHILD
#error "VAGT_PROJECTION_CHILD must name the projection_child executable"
#endif

namespace vagt::projections {
namespace {

using eventstore::testing::OpenStoreAt;
using eventstore::testing::ScratchDir;
using testing::EventGenerator;
using testing::OpenUnsyncedStore;
using testing::SameDatabase;
using testing::UnsyncedStore;
using ::vagt::testing::ChildProcess;

constexpr uint32_t kSeed = 9;
constexpr uint64_t kEvents = 20'000;
constexpr uint64_t kBatchEvents = 50;
constexpr int kKillRounds = 5;
// Batches each round hears of before it kills the child.
constexpr int kMaxBatchesBeforeKill = 8;
// For one run of the child; only reached if it hangs.
constexpr absl::Duration kChildDeadline = absl::Seconds(60);

// A line of the child: "<word> <position> [<cursor>]".
struct Said {
  std::string word;
  uint64_t position = 0;
  std::string cursor;
};

bool Parse(const std::string& line, Said* out) {
  std::vector<std::string> fields = absl::StrSplit(line, ' ');
  if (fields.size() < 2 || fields.size() > 3) return false;
  out->word = fields[0];
  if (fields.size() == 3) out->cursor = fields[2];
  return absl::SimpleAtoi(fields[1], &out->position);
}

// How the child catches up, and how it is killed.
struct Mode {
  const char* name;
  // RunnerOptions::bulk_chunk_bytes: 0 (batch by batch), or chunks of some
  // hundred events.
  size_t bulk_chunk_bytes;
  // The child kills itself as it links the n-th file of an ingestion
  // (random n per run) instead of the test killing it after some batches.
  bool kill_in_ingestion;
};

void PrintTo(const Mode& mode, std::ostream* out) { *out << mode.name; }

class ProjectionCrash : public ::testing::TestWithParam<Mode> {
 protected:
  bool bulk() const { return GetParam().bulk_chunk_bytes != 0; }
  // How far one commit may move the position.
  uint64_t max_commit() const { return bulk() ? events_stored_ : kBatchEvents; }

  // Starts the child and checks where it resumes: at the last batch it
  // reported committed, or at most one batch later (committed, killed before
  // it said so); at the cursor that stands for that position.
  void StartChild(int kill_at_link, std::unique_ptr<ChildProcess>* child) {
    ASSERT_OK_AND_ASSIGN(
        *child,
        ChildProcess::Start({VAGT_PROJECTION_CHILD, store_path_,
                             projections_path_, absl::StrCat(kBatchEvents),
                             absl::StrCat(GetParam().bulk_chunk_bytes),
                             absl::StrCat(kill_at_link)}));
    absl::StatusOr<std::string> line =
        (*child)->ReadLine(absl::Now() + kChildDeadline);
    ASSERT_OK(line);
    Said start;
    ASSERT_TRUE(Parse(*line, &start) && start.word == "start")
        << "child said: " << *line;
    EXPECT_GE(start.position, last_reported_) << "a committed batch is lost";
    EXPECT_LE(start.position, last_reported_ + max_commit());
    if (start.position == 0) {
      EXPECT_EQ(last_reported_, 0u);
    } else {
      EXPECT_EQ(start.cursor, StoreFeed::CursorAt(start.position));
    }
    last_reported_ = start.position;
    starts_.push_back(start.position);
  }

  // Reads the child's reports until its output ends, killing it with SIGKILL
  // after `kill_after` lines (never, if 0), or letting it kill itself as it
  // links the `kill_at_link`-th file of an ingestion (never, if 0). Returns
  // whether it was killed before it was done.
  void RunChild(int kill_after, int kill_at_link, bool* killed_mid_way) {
    std::unique_ptr<ChildProcess> child;
    ASSERT_NO_FATAL_FAILURE(StartChild(kill_at_link, &child));
    const absl::Time deadline = absl::Now() + kChildDeadline;
    int heard = 0;
    bool killed = false;
    while (true) {
      absl::StatusOr<std::string> line = child->ReadLine(deadline);
      if (absl::IsOutOfRange(line.status())) break;  // the child is gone
      ASSERT_OK(line) << child->transcript();
      Said said;
      ASSERT_TRUE(Parse(*line, &said)) << "child said: " << *line;
      if (said.word == "done") {
        done_ = true;
        EXPECT_EQ(said.position, events_stored_);
      } else if (said.word == "stepped") {
        // Gathered by a bulk load, nothing committed: killing it now loses
        // the chunk, which the next run gathers again.
        ASSERT_TRUE(bulk()) << "child said: " << *line;
        ASSERT_EQ(said.position, last_reported_);
        ++gathered_;
      } else {
        ASSERT_EQ(said.word, "applied") << "child said: " << *line;
        ASSERT_GT(said.position, last_reported_);
        ASSERT_LE(said.position, last_reported_ + max_commit());
        largest_commit_ =
            std::max(largest_commit_, said.position - last_reported_);
      }
      last_reported_ = said.position;
      if (++heard == kill_after) {
        child->Signal(SIGKILL);
        killed = true;
      }
    }
    ASSERT_OK_AND_ASSIGN(int status, child->Wait(deadline));
    const bool signalled = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    if (!done_) {
      ASSERT_TRUE(killed || kill_at_link > 0)
          << "the child stopped before it was done: " << child->transcript();
      ASSERT_TRUE(signalled)
          << "wait status " << status << ": " << child->transcript();
      killed = true;
    } else if (!killed) {
      ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
          << "wait status " << status;
    }
    *killed_mid_way = killed && !done_;
  }

  ScratchDir dir_;
  const std::string store_path_ = dir_.Child("store");
  const std::string projections_path_ = dir_.Child("projections");
  uint64_t events_stored_ = 0;
  uint64_t last_reported_ = 0;    // the last position the child reported
  std::vector<uint64_t> starts_;  // where each run of the child started
  uint64_t largest_commit_ = 0;   // the most one "applied" moved
  int gathered_ = 0;              // "stepped" lines: batches not committed
  bool done_ = false;
};

TEST_P(ProjectionCrash, RunnerKilledDuringCatchUpConvergesToTheRebuiltState) {
  SCOPED_TRACE(absl::StrCat("seed ", kSeed, ", ", GetParam().name));
  {
    FakeClock clock(absl::FromUnixSeconds(1'795'000'000));
    ASSERT_OK_AND_ASSIGN(UnsyncedStore s,
                         OpenUnsyncedStore(store_path_, clock));
    EventGenerator generator(kSeed, *s.store, clock);
    ASSERT_OK(generator.Generate(kEvents));
    events_stored_ = s.store->LastPosition();
  }  // closed: the child opens it

  std::mt19937 random(kSeed);
  std::uniform_int_distribution<int> kill_after(1, kMaxBatchesBeforeKill);
  // An ingestion links some 5-7 files: within the first three chunks'.
  std::uniform_int_distribution<int> kill_at_link(1, 20);
  int kills = 0;
  for (int round = 0; round < kKillRounds && !done_; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    bool killed_mid_way = false;
    if (GetParam().kill_in_ingestion) {
      ASSERT_NO_FATAL_FAILURE(
          RunChild(0, kill_at_link(random), &killed_mid_way));
    } else {
      ASSERT_NO_FATAL_FAILURE(RunChild(kill_after(random), 0, &killed_mid_way));
    }
    if (killed_mid_way) ++kills;
  }
  // Each round gets less than a tenth of the way; a machine so busy that the
  // child finished first would show here.
  EXPECT_GT(kills, 0);
  if (!done_) {
    bool killed_mid_way = false;
    ASSERT_NO_FATAL_FAILURE(RunChild(0, 0, &killed_mid_way));
    ASSERT_TRUE(done_);
  }

  std::printf(
      "%d kills; the runs started at %s of %llu events; the largest commit "
      "was %llu events\n",
      kills, absl::StrJoin(starts_, ", ").c_str(),
      static_cast<unsigned long long>(events_stored_),
      static_cast<unsigned long long>(largest_commit_));
  if (bulk()) {
    // The bulk load ran, in chunks of several batches but not in one piece,
    // and kills could land between its commits.
    EXPECT_GT(largest_commit_, kBatchEvents);
    EXPECT_LT(largest_commit_, events_stored_ / 10);
    EXPECT_GT(gathered_, 0);
  }

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<eventstore::EventStore> store,
                       OpenStoreAt(store_path_));
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<ProjectionRunner> survivor,
      ProjectionRunner::Open(projections_path_,
                             std::make_unique<StoreFeed>(*store)));
  EXPECT_EQ(survivor->AppliedPosition(), events_stored_);
  // What a killed bulk load had written but not ingested is gone.
  EXPECT_FALSE(std::filesystem::exists(projections_path_ + "/bulk-load"));
  ASSERT_OK_AND_ASSIGN(uint64_t more, survivor->CatchUp());
  EXPECT_EQ(more, 0u);
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<ProjectionRunner> rebuilt,
      ProjectionRunner::Open(dir_.Child("rebuilt"),
                             std::make_unique<StoreFeed>(*store),
                             {.rebuild = true}));
  ASSERT_OK(rebuilt->CatchUp());
  EXPECT_TRUE(SameDatabase(survivor->db(), rebuilt->db()));
}

INSTANTIATE_TEST_SUITE_P(Modes, ProjectionCrash,
                         ::testing::Values(Mode{"BatchByBatch", 0, false},
                                           Mode{"BulkLoad", size_t{16} << 10,
                                                false},
                                           Mode{"BulkLoadKilledInIngestion",
                                                size_t{16} << 10, true}),
                         [](const ::testing::TestParamInfo<Mode>& param) {
                           return std::string(param.param.name);
                         });

}  // namespace
}  // namespace vagt::projections
