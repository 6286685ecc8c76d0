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
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"
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

// Catches `runner` up step by step; returns how many commits moved its
// applied position (a bulk load commits a chunk of many steps at once).
absl::StatusOr<int> CatchUpCountingCommits(ProjectionRunner& runner) {
  int commits = 0;
  uint64_t position = runner.AppliedPosition();
  while (true) {
    absl::StatusOr<uint64_t> n = runner.Step(absl::InfinitePast());
    if (!n.ok()) return n.status();
    if (runner.AppliedPosition() != position) ++commits;
    position = runner.AppliedPosition();
    if (*n == 0) return commits;
  }
}

// Rebuilds from position 0 through `feed` into a new database at `path` and
// expects it to equal `live`'s: bulk loaded in one chunk (the default), in
// chunks of a few batches of 50 events (each chunk's files overlapping the
// earlier chunks'), or written batch by batch.
void ExpectEqualsRebuildThrough(ProjectionRunner& live,
                                std::unique_ptr<EventFeed> feed,
                                uint64_t events, const std::string& path,
                                size_t chunk_bytes) {
  SCOPED_TRACE(absl::StrCat("bulk chunk bytes ", chunk_bytes));
  const bool small_chunks =
      chunk_bytes != 0 && chunk_bytes < RunnerOptions().bulk_chunk_bytes;
  RunnerOptions options{.rebuild = true, .bulk_chunk_bytes = chunk_bytes};
  if (small_chunks) options.batch_events = 50;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ProjectionRunner> rebuilt,
                       ProjectionRunner::Open(path, std::move(feed), options));
  ASSERT_OK_AND_ASSIGN(int commits, CatchUpCountingCommits(*rebuilt));
  EXPECT_EQ(rebuilt->AppliedPosition(), events);
  if (small_chunks) {
    EXPECT_GT(commits, 2);
  }
  EXPECT_TRUE(SameDatabase(live.db(), rebuilt->db()));
}

void ExpectEqualsRebuild(ProjectionRunner& live,
                         const eventstore::EventStore& store,
                         const std::string& path) {
  ASSERT_EQ(live.AppliedPosition(), store.LastPosition());
  for (const size_t chunk_bytes :
       {RunnerOptions().bulk_chunk_bytes, size_t{4} << 10, size_t{0}}) {
    ASSERT_NO_FATAL_FAILURE(ExpectEqualsRebuildThrough(
        live, std::make_unique<StoreFeed>(store), store.LastPosition(),
        absl::StrCat(path, "-", chunk_bytes), chunk_bytes));
  }
}

// A feed that changes what the store's feed hands out.
class StoreFeedWrapper : public EventFeed {
 public:
  explicit StoreFeedWrapper(const eventstore::EventStore& store)
      : inner_(store) {}
  void Interrupt() override { inner_.Interrupt(); }

 protected:
  StoreFeed inner_;
};

// A feed that, like a Kafka consumer after a rebalance, sometimes hands out
// again events it handed out before: at its furthest cursor it rewinds by
// 1..30 positions now and then.
class RedeliveringFeed final : public StoreFeedWrapper {
 public:
  RedeliveringFeed(const eventstore::EventStore& store, uint32_t seed)
      : StoreFeedWrapper(store), random_(seed) {}

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

 private:
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
  // Bulk loaded from the redelivering feed, in small chunks.
  ASSERT_NO_FATAL_FAILURE(ExpectEqualsRebuildThrough(
      *live, std::make_unique<RedeliveringFeed>(*s.store, seed),
      s.store->LastPosition(), dir.Child("rebuilt-redelivered"),
      size_t{4} << 10));
}

INSTANTIATE_TEST_SUITE_P(Seeds, IncrementalVsRebuild,
                         ::testing::Values(1u, 2u, 3u, 4u, 5u));

// A store holding a random history of kEvents events.
class IncrementalVsRebuildBulk : public ::testing::Test {
 protected:
  void Generate(uint32_t seed) {
    ASSERT_OK_AND_ASSIGN(s_, OpenUnsyncedStore(dir_.Child("store"), clock_));
    EventGenerator generator(seed, *s_.store, clock_);
    ASSERT_OK(generator.Generate(kEvents));
  }
  eventstore::EventStore& store() { return *s_.store; }

  ScratchDir dir_;
  FakeClock clock_{Start()};
  UnsyncedStore s_;
};

// A feed whose record times go back once: event `back_at` is stamped a day
// before the first event. The store never does this, but a feed may.
class TimeGoingBackFeed final : public StoreFeedWrapper {
 public:
  TimeGoingBackFeed(const eventstore::EventStore& store, uint64_t back_at)
      : StoreFeedWrapper(store), back_at_(back_at) {}

  absl::StatusOr<FeedBatch> Next(const std::string& cursor, size_t max_events,
                                 absl::Time deadline) override {
    absl::StatusOr<FeedBatch> batch = inner_.Next(cursor, max_events, deadline);
    if (!batch.ok()) return batch;
    for (v1::EventEnvelope& e : batch->events) {
      if (e.global_position() == back_at_) {
        e.mutable_recorded_at()->set_seconds(
            absl::ToUnixSeconds(Start() - absl::Hours(24)));
      }
    }
    return batch;
  }

 private:
  const uint64_t back_at_;
};

TEST_F(IncrementalVsRebuildBulk, AFeedWhoseTimesGoBackIsFollowedBatchByBatch) {
  ASSERT_NO_FATAL_FAILURE(Generate(7));
  const uint64_t events = store().LastPosition();
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<ProjectionRunner> batch_by_batch,
      ProjectionRunner::Open(
          dir_.Child("batch-by-batch"),
          std::make_unique<TimeGoingBackFeed>(store(), events / 2),
          {.bulk_chunk_bytes = 0}));
  ASSERT_OK(batch_by_batch->CatchUp());
  // The bulk load meets the time index going back in its second chunk: it
  // keeps its first chunk and follows the rest batch by batch.
  ASSERT_NO_FATAL_FAILURE(ExpectEqualsRebuildThrough(
      *batch_by_batch, std::make_unique<TimeGoingBackFeed>(store(), events / 2),
      events, dir_.Child("bulk"), size_t{4} << 10));
}

TEST_F(IncrementalVsRebuildBulk,
       ARunnerClosedDuringABulkLoadKeepsWhatItGathered) {
  ASSERT_NO_FATAL_FAILURE(Generate(8));
  const RunnerOptions options{.batch_events = 100};
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<ProjectionRunner> runner,
                         OpenRunner(dir_.Child("live"), store(), options));
    for (int i = 0; i < 3; ++i) ASSERT_OK(runner->Step(absl::InfinitePast()));
    EXPECT_EQ(runner->AppliedPosition(), 0u) << "gathered, not committed";
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ProjectionRunner> reopened,
                       OpenRunner(dir_.Child("live"), store(), options));
  EXPECT_EQ(reopened->AppliedPosition(), 300u);
  ASSERT_OK(reopened->CatchUp());
  ASSERT_NO_FATAL_FAILURE(
      ExpectEqualsRebuild(*reopened, store(), dir_.Child("rebuilt")));
}

// A feed that fails its `fail_at`-th and `fail_at` * 3-rd Next().
class FailingFeed final : public StoreFeedWrapper {
 public:
  FailingFeed(const eventstore::EventStore& store, int fail_at)
      : StoreFeedWrapper(store), fail_at_(fail_at) {}

  absl::StatusOr<FeedBatch> Next(const std::string& cursor, size_t max_events,
                                 absl::Time deadline) override {
    if (++calls_ == fail_at_ || calls_ == fail_at_ * 3) {
      return absl::UnavailableError("failing feed: the broker is away");
    }
    return inner_.Next(cursor, max_events, deadline);
  }

 private:
  const int fail_at_;
  int calls_ = 0;
};

// Fails the creation of the `fail_at`-th file a bulk load writes.
class FailingBulkFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  explicit FailingBulkFileSystem(int fail_at)
      : FileSystemWrapper(rocksdb::FileSystem::Default()), fail_at_(fail_at) {}
  const char* Name() const override { return "FailingBulkFileSystem"; }

  rocksdb::IOStatus NewWritableFile(
      const std::string& name, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* file,
      rocksdb::IODebugContext* debug) override {
    if (name.find("/bulk-load/") != std::string::npos &&
        ++bulk_files_ == fail_at_) {
      return rocksdb::IOStatus::NoSpace("failing file system: disk full");
    }
    return FileSystemWrapper::NewWritableFile(name, options, file, debug);
  }

 private:
  const int fail_at_;
  int bulk_files_ = 0;
};

TEST_F(IncrementalVsRebuildBulk, ErrorsInTheMiddleOfAChunkLoseNothing) {
  ASSERT_NO_FATAL_FAILURE(Generate(9));
  const std::unique_ptr<rocksdb::Env> env =
      rocksdb::NewCompositeEnv(std::make_shared<FailingBulkFileSystem>(9));
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<ProjectionRunner> runner,
      ProjectionRunner::Open(dir_.Child("live"),
                             std::make_unique<FailingFeed>(store(), 4),
                             {.batch_events = 50,
                              .bulk_chunk_bytes = size_t{4} << 10,
                              .env = env.get()}));
  // Each failure discards the chunk being gathered; the next step starts
  // over from the last one committed.
  int failures = 0;
  for (int step = 0; step < 1000; ++step) {
    absl::StatusOr<uint64_t> n = runner->Step(absl::InfinitePast());
    if (!n.ok()) {
      EXPECT_TRUE(absl::IsUnavailable(n.status())) << n.status();
      ++failures;
      continue;
    }
    if (*n == 0) break;
  }
  EXPECT_EQ(failures, 3);  // the feed twice, a bulk file once
  ASSERT_NO_FATAL_FAILURE(
      ExpectEqualsRebuild(*runner, store(), dir_.Child("rebuilt")));
}

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
