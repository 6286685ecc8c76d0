// A failed storage write: the append that hit it is reported UNAVAILABLE and
// the store refuses every later append until it is reopened, while reads keep
// working. After a reopen nothing acknowledged is lost, the failed append is
// there whole or not at all, and a retry with its request id lands it exactly
// once. No caller is told OK for an append that is not stored, also when
// retries with the same request id share a group-commit with the failed write.
//
// Faults are injected into RocksDB's write-ahead log (the *.log files) through
// a FileSystem wrapped into the Env passed as Options::rocksdb_env; every
// reopen after a fault uses the default (healthy) file system.
#include <gtest/gtest.h>

#include <array>
#include <barrier>
#include <cstdint>
#include <latch>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "eventstore/event_store.h"
#include "rocksdb/env.h"
#include "tests/eventstore/test_store.h"
#include "tests/support/faulty_file_system.h"

namespace vagt::eventstore {
namespace {

using testing::AppendTo;
using testing::CallIdOf;
using testing::MakeCallNoteAdded;
using testing::OpenStoreAt;
using testing::ReadAllEvents;
using testing::ScratchDir;
using ::vagt::testing::FaultyFileSystem;
using Fault = ::vagt::testing::WalFault;

class EventStoreWriteFailure : public ::testing::TestWithParam<Fault> {
 protected:
  // Opens the store at path() on the faulty file system.
  absl::StatusOr<std::unique_ptr<EventStore>> OpenFaulty() {
    Options options;
    options.path = path();
    options.rocksdb_env = env_.get();
    options.on_appends_refused = [this](const absl::Status& why) {
      refusals_.push_back(why);
    };
    return EventStore::Open(std::move(options));
  }

  // What on_appends_refused was called with, in order.
  const std::vector<absl::Status>& refusals() const { return refusals_; }

  const std::string& path() const { return path_; }
  FaultyFileSystem& fs() { return *fs_; }

 private:
  ScratchDir dir_;
  std::string path_ = dir_.Child("store");
  std::shared_ptr<FaultyFileSystem> fs_ = std::make_shared<FaultyFileSystem>();
  // Outlives every store a test opens on it.
  std::unique_ptr<rocksdb::Env> env_ = rocksdb::NewCompositeEnv(fs_);
  std::vector<absl::Status> refusals_;
};

// Checks that `all` holds positions 1..all.size() and that the chain verifies
// over all of them.
void ExpectGaplessVerifiedLog(const EventStore& store,
                              const std::vector<v1::EventEnvelope>& all) {
  for (size_t i = 0; i < all.size(); ++i) {
    ASSERT_EQ(all[i].global_position(), i + 1);
  }
  EXPECT_EQ(store.LastPosition(), all.size());
  ASSERT_OK_AND_ASSIGN(VerifyReport report, store.VerifyChain());
  EXPECT_TRUE(report.ok) << report.first_bad_position << ": " << report.problem;
  EXPECT_EQ(report.events_checked, all.size());
}

// Three acknowledged appends (call-1 versions 1..2, call-2 version 1), then
// an append of two events to call-1 whose WAL write fails.
constexpr uint64_t kAcknowledgedEvents = 3;
constexpr std::array<const char*, kAcknowledgedEvents> kAcknowledgedIds = {
    "ack-1", "ack-2", "ack-3"};

AppendRequest FailingRequest() {
  return AppendTo(
      "call-1", ExpectedVersion::Exact(2),
      {MakeCallNoteAdded("failed-1"), MakeCallNoteAdded("failed-2")},
      "req-failed");
}

// Makes the acknowledged appends and the failed one on `store`, whose file
// system is `fs`; leaves the fault cleared.
void AppendThenFail(EventStore& store, FaultyFileSystem& fs, Fault fault) {
  ASSERT_OK(store.Append(AppendTo("call-1", ExpectedVersion::NoStream(),
                                  {MakeCallNoteAdded("ack-1")}, "req-ack-1")));
  ASSERT_OK(store.Append(AppendTo("call-1", ExpectedVersion::Exact(1),
                                  {MakeCallNoteAdded("ack-2")}, "req-ack-2")));
  ASSERT_OK(store.Append(AppendTo("call-2", ExpectedVersion::NoStream(),
                                  {MakeCallNoteAdded("ack-3")})));
  fs.Inject(fault);
  absl::StatusOr<AppendResult> failed = store.Append(FailingRequest());
  fs.Clear();
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable)
      << failed.status();
  EXPECT_GT(fs.injected(), 0) << "the fault never fired";
}

TEST_P(EventStoreWriteFailure, FailedWriteIsReportedOnceThroughAppendStatus) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventStore> store, OpenFaulty());
  EXPECT_OK(store->AppendStatus());
  ASSERT_NO_FATAL_FAILURE(AppendThenFail(*store, fs(), GetParam()));
  EXPECT_EQ(store->AppendStatus().code(), absl::StatusCode::kUnavailable);
  // A refused append later does not report again: once, when it happened.
  EXPECT_FALSE(store->Append(FailingRequest()).ok());
  ASSERT_EQ(refusals().size(), 1u);
  EXPECT_EQ(refusals()[0].code(), absl::StatusCode::kUnavailable);
  store.reset();
  ASSERT_OK_AND_ASSIGN(store, OpenFaulty());
  EXPECT_OK(store->AppendStatus());
}

TEST_P(EventStoreWriteFailure,
       FailedWriteIsUnavailableAndLaterAppendsAreRefusedUntilReopen) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventStore> store, OpenFaulty());
  ASSERT_NO_FATAL_FAILURE(AppendThenFail(*store, fs(), GetParam()));

  // The fault is cleared, but the outcome of the failed write is unknown:
  // no append is taken, not even one that only replays a stored receipt.
  for (AppendRequest request :
       {FailingRequest(),
        AppendTo("call-3", ExpectedVersion::NoStream(),
                 {MakeCallNoteAdded("after")}, "req-after"),
        AppendTo("call-1", ExpectedVersion::Any(), {MakeCallNoteAdded("ack-1")},
                 "req-ack-1")}) {
    const std::string request_id = request.request_id;
    absl::StatusOr<AppendResult> r = store->Append(std::move(request));
    EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable)
        << request_id << ": " << r.status();
  }

  // Reads work and show exactly the acknowledged events.
  EXPECT_EQ(store->LastPosition(), kAcknowledgedEvents);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> all,
                       ReadAllEvents(*store));
  ASSERT_EQ(all.size(), kAcknowledgedEvents);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(CallIdOf(all[i]), kAcknowledgedIds[i]);
  }
  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> call_1,
                       store->ReadStream("call-1", 1, 10));
  ASSERT_EQ(call_1.size(), 2u);
  EXPECT_EQ(CallIdOf(call_1[1]), "ack-2");
  ASSERT_OK_AND_ASSIGN(uint64_t version, store->StreamVersion("call-1"));
  EXPECT_EQ(version, 2u);
  ASSERT_NO_FATAL_FAILURE(ExpectGaplessVerifiedLog(*store, all));
}

TEST_P(EventStoreWriteFailure,
       AfterReopenFailedAppendIsWholeOrAbsentAndItsRetryLandsOnce) {
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventStore> store, OpenFaulty());
    ASSERT_NO_FATAL_FAILURE(AppendThenFail(*store, fs(), GetParam()));
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventStore> store, OpenStoreAt(path()));

  // Every acknowledged event is there; the failed append is whole or absent.
  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> all,
                       ReadAllEvents(*store));
  ASSERT_TRUE(all.size() == kAcknowledgedEvents ||
              all.size() == kAcknowledgedEvents + 2)
      << all.size() << " events: the failed append is partly stored";
  ASSERT_NO_FATAL_FAILURE(ExpectGaplessVerifiedLog(*store, all));
  for (size_t i = 0; i < kAcknowledgedEvents; ++i) {
    EXPECT_EQ(CallIdOf(all[i]), kAcknowledgedIds[i]);
  }
  const bool present = all.size() == kAcknowledgedEvents + 2;
  RecordProperty("failed_append", present ? "present" : "absent");
  if (present) {
    for (size_t k = 0; k < 2; ++k) {
      const v1::EventEnvelope& e = all[kAcknowledgedEvents + k];
      EXPECT_EQ(CallIdOf(e), absl::StrCat("failed-", k + 1));
      EXPECT_EQ(e.stream_id(), "call-1");
      EXPECT_EQ(e.stream_version(), 3 + k);
    }
  }
  ASSERT_OK_AND_ASSIGN(uint64_t version, store->StreamVersion("call-1"));
  EXPECT_EQ(version, present ? 4u : 2u);

  // The retry the UNAVAILABLE asked for: answered from the stored receipt, or
  // appended now, at the same place either way.
  ASSERT_OK_AND_ASSIGN(AppendResult retry, store->Append(FailingRequest()));
  EXPECT_EQ(retry.replayed, present);
  EXPECT_EQ(retry.first_position, kAcknowledgedEvents + 1);
  EXPECT_EQ(retry.last_position, kAcknowledgedEvents + 2);
  EXPECT_EQ(retry.stream_version, 4u);
  // And once more, now surely from the receipt.
  ASSERT_OK_AND_ASSIGN(AppendResult again, store->Append(FailingRequest()));
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.first_position, retry.first_position);

  ASSERT_OK_AND_ASSIGN(all, ReadAllEvents(*store));
  ASSERT_EQ(all.size(), kAcknowledgedEvents + 2);
  EXPECT_EQ(CallIdOf(all[kAcknowledgedEvents]), "failed-1");
  EXPECT_EQ(CallIdOf(all[kAcknowledgedEvents + 1]), "failed-2");
  ASSERT_NO_FATAL_FAILURE(ExpectGaplessVerifiedLog(*store, all));

  // The reopened store takes new appends.
  ASSERT_OK_AND_ASSIGN(
      AppendResult next,
      store->Append(AppendTo("call-1", ExpectedVersion::Exact(4),
                             {MakeCallNoteAdded("next")})));
  EXPECT_EQ(next.first_position, kAcknowledgedEvents + 3);
}

// A retry that queues behind its original while an earlier write is in
// flight is committed in the same group as the original, answered from the
// original's receipt before anything is written. When that group's write
// fails, the retry must fail with it. An unrelated append holds the WAL sync
// so that both copies queue up behind it; their group is the one that fails.
TEST_P(EventStoreWriteFailure,
       RetryInTheFailedGroupOfItsOriginalIsUnavailable) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventStore> store, OpenFaulty());
  ASSERT_OK(store->Append(
      AppendTo("call-1", ExpectedVersion::NoStream(),
               {MakeCallNoteAdded("ack-1"), MakeCallNoteAdded("ack-2")})));
  // The plug's sync is healthy (but held); the next WAL write fails.
  fs().Inject(GetParam(), /*healthy_syncs=*/1);
  fs().HoldNextSync();
  absl::StatusOr<AppendResult> plug;
  std::thread plugger([&] {
    plug = store->Append(AppendTo("call-plug", ExpectedVersion::NoStream(),
                                  {MakeCallNoteAdded("plug")}));
    fs().ReleaseSync();  // No hang if the plug never reached a sync.
  });
  fs().WaitUntilSyncHeld();

  std::array<absl::StatusOr<AppendResult>, 2> copies;
  std::latch about_to_append(2);
  std::vector<std::thread> senders;
  for (size_t copy = 0; copy < copies.size(); ++copy) {
    senders.emplace_back([&, copy] {
      about_to_append.count_down();
      copies[copy] = store->Append(FailingRequest());
    });
  }
  about_to_append.wait();
  fs().ReleaseSync();
  plugger.join();
  for (std::thread& t : senders) t.join();
  fs().Clear();

  ASSERT_OK(plug);
  EXPECT_GT(fs().injected(), 0) << "the fault never fired";
  // The original's write failed, whichever copy was first; the other copy
  // shared its group or came after the store stopped appending.
  for (const absl::StatusOr<AppendResult>& r : copies) {
    EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable) << r.status();
  }
  store.reset();

  ASSERT_OK_AND_ASSIGN(store, OpenStoreAt(path()));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> all,
                       ReadAllEvents(*store));
  ASSERT_NO_FATAL_FAILURE(ExpectGaplessVerifiedLog(*store, all));
  ASSERT_EQ(plug->first_position, 3u);
  ASSERT_GE(all.size(), 3u);
  EXPECT_EQ(CallIdOf(all[2]), "plug");
  ASSERT_TRUE(all.size() == 3 || all.size() == 5)
      << all.size() << " events: the failed append is partly stored";
  ASSERT_OK_AND_ASSIGN(AppendResult retry, store->Append(FailingRequest()));
  EXPECT_EQ(retry.replayed, all.size() == 5);
  EXPECT_EQ(retry.first_position, 4u);
  ASSERT_OK_AND_ASSIGN(all, ReadAllEvents(*store));
  EXPECT_EQ(all.size(), 5u);
  ASSERT_NO_FATAL_FAILURE(ExpectGaplessVerifiedLog(*store, all));
}

// Pairs of threads send each request twice at once (a client and its retry)
// while the WAL starts failing after a few healthy writes, so that a failed
// group often holds both copies. Whatever the interleaving, a caller told OK
// finds its events stored after a reopen, and retrying everything then stores
// each request exactly once.
TEST_P(EventStoreWriteFailure, RacingRetriesAreAcknowledgedOnlyWhenStored) {
  constexpr int kThreads = 8;
  constexpr size_t kPairs = kThreads / 2;
  constexpr size_t kRequestsPerPair = 40;
  constexpr int64_t kHealthyWrites = 6;
  auto stream_of = [](size_t pair) { return absl::StrCat("call-pair-", pair); };
  auto request_of = [](size_t pair, size_t n) {
    return AppendTo(absl::StrCat("call-pair-", pair), ExpectedVersion::Any(),
                    {MakeCallNoteAdded(absl::StrCat("req-", pair, "-", n)),
                     MakeCallNoteAdded(absl::StrCat("req-", pair, "-", n))},
                    absl::StrCat("req-", pair, "-", n));
  };

  struct Acknowledged {
    std::string request_id;
    std::string stream_id;
    AppendResult result;
  };
  std::vector<std::vector<Acknowledged>> acks(kThreads);
  std::vector<int> unavailable(kThreads, 0);
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventStore> store, OpenFaulty());
    fs().Inject(GetParam(), kHealthyWrites);
    std::vector<std::unique_ptr<std::barrier<>>> in_step;
    for (size_t p = 0; p < kPairs; ++p) {
      in_step.push_back(std::make_unique<std::barrier<>>(2));
    }
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        const size_t thread = static_cast<size_t>(t);
        const size_t pair = thread / 2;
        start.arrive_and_wait();
        for (size_t n = 0; n < kRequestsPerPair; ++n) {
          in_step[pair]->arrive_and_wait();
          AppendRequest request = request_of(pair, n);
          std::string request_id = request.request_id;
          absl::StatusOr<AppendResult> r = store->Append(std::move(request));
          if (r.ok()) {
            acks[thread].push_back(
                {std::move(request_id), stream_of(pair), *r});
          } else {
            EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable)
                << request_id << ": " << r.status();
            ++unavailable[thread];
          }
        }
      });
    }
    for (std::thread& t : threads) t.join();
    fs().Clear();
  }
  EXPECT_GT(fs().injected(), 0) << "the fault never fired";
  int told_ok = 0;
  int told_unavailable = 0;
  for (size_t t = 0; t < kThreads; ++t) {
    told_ok += static_cast<int>(acks[t].size());
    told_unavailable += unavailable[t];
  }
  // Each pair needs a write per request, more than the healthy ones.
  EXPECT_GT(told_ok, 0);
  EXPECT_GT(told_unavailable, 0);
  RecordProperty("told_ok", told_ok);
  RecordProperty("told_unavailable", told_unavailable);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventStore> store, OpenStoreAt(path()));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> all,
                       ReadAllEvents(*store));
  ASSERT_NO_FATAL_FAILURE(ExpectGaplessVerifiedLog(*store, all));
  for (const std::vector<Acknowledged>& per_thread : acks) {
    for (const Acknowledged& a : per_thread) {
      ASSERT_EQ(a.result.last_position, a.result.first_position + 1)
          << a.request_id;
      ASSERT_LE(a.result.last_position, all.size())
          << a.request_id << " was acknowledged but is not stored";
      for (uint64_t p = a.result.first_position; p <= a.result.last_position;
           ++p) {
        EXPECT_EQ(CallIdOf(all[p - 1]), a.request_id) << "position " << p;
        EXPECT_EQ(all[p - 1].stream_id(), a.stream_id) << "position " << p;
      }
      EXPECT_EQ(all[a.result.last_position - 1].stream_version(),
                a.result.stream_version)
          << a.request_id;
    }
  }

  // Retrying every request after the restart stores each exactly once.
  for (size_t pair = 0; pair < kPairs; ++pair) {
    for (size_t n = 0; n < kRequestsPerPair; ++n) {
      ASSERT_OK(store->Append(request_of(pair, n)));
    }
  }
  ASSERT_OK_AND_ASSIGN(all, ReadAllEvents(*store));
  ASSERT_NO_FATAL_FAILURE(ExpectGaplessVerifiedLog(*store, all));
  std::map<std::string, int> copies;
  for (const v1::EventEnvelope& e : all) ++copies[CallIdOf(e)];
  EXPECT_EQ(copies.size(), kPairs * kRequestsPerPair);
  for (const auto& [request_id, events] : copies) {
    EXPECT_EQ(events, 2) << request_id << " is stored " << events / 2.0
                         << " times";
  }
}

INSTANTIATE_TEST_SUITE_P(Faults, EventStoreWriteFailure,
                         ::testing::Values(Fault::kSync, Fault::kAppend));

}  // namespace
}  // namespace vagt::eventstore
