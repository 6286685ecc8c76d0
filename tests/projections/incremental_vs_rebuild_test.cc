// A projection database kept current in many small steps, interleaved with
// the appends (and across reopenings of the runner), holds exactly what a
// rebuild from position 0 gives: every key and value, the feed's cursor and
// the applied position included. Over random histories (event_generator.h),
// one per seed; a failure names its seed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "projections/event_feed.h"
#include "projections/runner.h"
#include "projections/store_feed.h"
#include "tests/eventstore/test_store.h"
#include "tests/projections/event_generator.h"
#include "tests/projections/projection_testing.h"

namespace vagt::projections {
namespace {

using eventstore::testing::ScratchDir;
using testing::EventGenerator;
using testing::OpenUnsyncedStore;
using testing::SameDatabase;
using testing::UnsyncedStore;

constexpr uint64_t kEvents = 2000;
// Real time allowed for the runner's thread to catch up; only reached if it
// hangs.
constexpr absl::Duration kCatchUpDeadline = absl::Seconds(60);

absl::Time Start() { return absl::FromUnixSeconds(1'795'000'000); }

absl::StatusOr<std::unique_ptr<ProjectionRunner>> OpenRunner(
    const std::string& path, const eventstore::EventStore& store,
    RunnerOptions options = {}) {
  return ProjectionRunner::Open(path, std::make_unique<StoreFeed>(store),
                                options);
}

// Rebuilds from position 0 into new databases under `path` and expects each
// to equal `live`'s: bulk loaded in one chunk (the default), in chunks of a
// few dozen events (each chunk's files overlapping the earlier chunks'), and
// written batch by batch.
void ExpectEqualsRebuild(ProjectionRunner& live,
                         const eventstore::EventStore& store,
                         const std::string& path) {
  ASSERT_EQ(live.AppliedPosition(), store.LastPosition());
  for (const size_t chunk_bytes :
       {RunnerOptions().bulk_chunk_bytes, size_t{4} << 10, size_t{0}}) {
    SCOPED_TRACE(absl::StrCat("bulk chunk bytes ", chunk_bytes));
    ASSERT_OK_AND_ASSIGN(
        std::unique_ptr<ProjectionRunner> rebuilt,
        OpenRunner(absl::StrCat(path, "-", chunk_bytes), store,
                   {.rebuild = true, .bulk_chunk_bytes = chunk_bytes}));
    ASSERT_OK_AND_ASSIGN(uint64_t applied, rebuilt->CatchUp());
    EXPECT_EQ(applied, store.LastPosition());
    EXPECT_TRUE(SameDatabase(live.db(), rebuilt->db()));
  }
}

// A feed that, like a Kafka consumer after a rebalance, sometimes hands out
// again events it handed out before: at its furthest cursor it rewinds by
// 1..30 positions now and then.
class RedeliveringFeed final : public EventFeed {
 public:
  RedeliveringFeed(const eventstore::EventStore& store, uint32_t seed)
      : inner_(store), random_(seed) {}

  absl::StatusOr<FeedBatch> Next(const std::string& cursor, size_t max_events,
                                 absl::Time deadline) override {
    uint64_t after = 0;
    if (!cursor.empty() && !absl::SimpleAtoi(cursor, &after)) {
      return absl::InvalidArgumentError(cursor);
    }
    if (after >= furthest_ && std::bernoulli_distribution(0.3)(random_)) {
      after -= std::min<uint64_t>(
          after, std::uniform_int_distribution<uint64_t>(1, 30)(random_));
    }
    absl::StatusOr<FeedBatch> batch =
        inner_.Next(StoreFeed::CursorAt(after), max_events, deadline);
    uint64_t next = 0;
    if (batch.ok() && absl::SimpleAtoi(batch->cursor, &next)) {
      furthest_ = std::max(furthest_, next);
    }
    return batch;
  }
  void Interrupt() override { inner_.Interrupt(); }

 private:
  StoreFeed inner_;
  std::mt19937 random_;
  uint64_t furthest_ = 0;  // the furthest cursor handed out
};

class IncrementalVsRebuild : public ::testing::TestWithParam<uint32_t> {};

TEST_P(IncrementalVsRebuild, SmallStepsBetweenAppendsGiveTheRebuiltState) {
  const uint32_t seed = GetParam();
  SCOPED_TRACE(absl::StrCat("seed ", seed));
  ScratchDir dir;
  FakeClock clock(Start());
  ASSERT_OK_AND_ASSIGN(UnsyncedStore s,
                       OpenUnsyncedStore(dir.Child("store"), clock));
  EventGenerator generator(seed, *s.store, clock);
  std::mt19937 random(seed);
  auto uniform = [&](int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(random);
  };
  // Small batches, so that batches end inside multi-event appends.
  const RunnerOptions options{.batch_events = 1 + seed % 13};
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ProjectionRunner> live,
                       OpenRunner(dir.Child("live"), *s.store, options));
  int reopened = 0;
  while (generator.appended() < kEvents) {
    ASSERT_OK(generator.Generate(static_cast<uint64_t>(uniform(1, 40))));
    const int what = uniform(0, 19);
    if (what < 12) {
      ASSERT_OK(live->Step(absl::InfinitePast()));
    } else if (what < 19) {
      ASSERT_OK(live->CatchUp());
    } else {
      live.reset();  // resumes at the stored cursor
      ASSERT_OK_AND_ASSIGN(live,
                           OpenRunner(dir.Child("live"), *s.store, options));
      ++reopened;
    }
  }
  ASSERT_OK(live->CatchUp());
  EXPECT_GT(reopened, 0);
  ASSERT_NO_FATAL_FAILURE(
      ExpectEqualsRebuild(*live, *s.store, dir.Child("rebuilt")));

  // Rebuilt in place, the live database is the same again.
  ASSERT_OK(live->Rebuild());
  EXPECT_EQ(live->AppliedPosition(), 0u);
  ASSERT_OK(live->CatchUp());
  ASSERT_NO_FATAL_FAILURE(
      ExpectEqualsRebuild(*live, *s.store, dir.Child("rebuilt-again")));
}

TEST_P(IncrementalVsRebuild, RedeliveredEventsAreAppliedOnce) {
  const uint32_t seed = GetParam();
  SCOPED_TRACE(absl::StrCat("seed ", seed));
  ScratchDir dir;
  FakeClock clock(Start());
  ASSERT_OK_AND_ASSIGN(UnsyncedStore s,
                       OpenUnsyncedStore(dir.Child("store"), clock));
  EventGenerator generator(seed, *s.store, clock);
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<ProjectionRunner> live,
      ProjectionRunner::Open(dir.Child("live"),
                             std::make_unique<RedeliveringFeed>(*s.store, seed),
                             {.batch_events = 1 + seed % 7}));
  while (generator.appended() < kEvents / 4) {
    ASSERT_OK(generator.Generate(20));
    ASSERT_OK(live->CatchUp());
    ASSERT_EQ(live->AppliedPosition(), s.store->LastPosition())
        << "CatchUp() stopped before the end of the feed";
  }
  ASSERT_NO_FATAL_FAILURE(
      ExpectEqualsRebuild(*live, *s.store, dir.Child("rebuilt")));
}

INSTANTIATE_TEST_SUITE_P(Seeds, IncrementalVsRebuild,
                         ::testing::Values(1u, 2u, 3u, 4u, 5u));

TEST(IncrementalVsRebuildThread,
     RunnerThreadFollowingAppendsGivesTheRebuiltState) {
  constexpr uint32_t kSeed = 6;
  SCOPED_TRACE(absl::StrCat("seed ", kSeed));
  ScratchDir dir;
  FakeClock clock(Start());
  ASSERT_OK_AND_ASSIGN(UnsyncedStore s,
                       OpenUnsyncedStore(dir.Child("store"), clock));
  EventGenerator generator(kSeed, *s.store, clock);
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<ProjectionRunner> live,
      OpenRunner(dir.Child("live"), *s.store, {.batch_events = 5}));
  live->Start();
  for (int round = 0; generator.appended() < kEvents; ++round) {
    ASSERT_OK(generator.Generate(50));
    // Sometimes the thread has to catch up with a backlog, sometimes it
    // follows one append at a time.
    if (round % 4 == 0) {
      ASSERT_TRUE(live->WaitUntilApplied(s.store->LastPosition(),
                                         absl::Now() + kCatchUpDeadline))
          << live->status();
    }
  }
  ASSERT_TRUE(live->WaitUntilApplied(s.store->LastPosition(),
                                     absl::Now() + kCatchUpDeadline))
      << live->status();
  ASSERT_OK(live->status());
  ASSERT_NO_FATAL_FAILURE(
      ExpectEqualsRebuild(*live, *s.store, dir.Child("rebuilt")));

  // Rebuild() stops the thread, wipes the database and restarts the thread.
  ASSERT_OK(live->Rebuild());
  ASSERT_TRUE(live->WaitUntilApplied(s.store->LastPosition(),
                                     absl::Now() + kCatchUpDeadline))
      << live->status();
  ASSERT_NO_FATAL_FAILURE(
      ExpectEqualsRebuild(*live, *s.store, dir.Child("rebuilt-again")));
}

}  // namespace
}  // namespace vagt::projections
