// Concurrent appends (group commit): many threads appending at once still get
// gapless, unique positions and versions, each acknowledged result points at
// the caller's own events, and the chain verifies.
#include <gtest/gtest.h>

#include <array>
#include <barrier>
#include <functional>
#include <latch>
#include <map>
#include <memory>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "eventstore/event_store.h"
#include "tests/eventstore/test_store.h"

namespace vagt::eventstore {
namespace {

using testing::AppendTo;
using testing::CallIdOf;
using testing::EventStoreTest;
using testing::MakeCallNoteAdded;
using testing::ReadAllEvents;

constexpr int kThreads = 16;

// An acknowledged append and the call ids of its events, in order.
struct Acknowledged {
  std::string stream_id;
  AppendResult result;
  std::vector<std::string> call_ids;
};

class EventStoreConcurrency : public EventStoreTest {
 protected:
  // Runs body(thread_index) on `threads` threads released at the same moment,
  // and joins them.
  static void RunTogether(int threads, const std::function<void(int)>& body) {
    std::latch start(threads);
    std::vector<std::thread> running;
    for (int t = 0; t < threads; ++t) {
      running.emplace_back([&, t] {
        start.arrive_and_wait();
        body(t);
      });
    }
    for (std::thread& t : running) t.join();
  }

  // Checks the whole store against what the threads were told: positions
  // 1..N without gap or duplicate, every acknowledged result pointing at its
  // own events, every stream's versions 1..k, and a verifying chain.
  void ExpectStoreMatches(const std::vector<std::vector<Acknowledged>>& acks) {
    ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> all,
                         ReadAllEvents(store()));
    size_t acknowledged_events = 0;
    for (const auto& per_thread : acks) {
      for (const Acknowledged& a : per_thread) {
        acknowledged_events += a.call_ids.size();
      }
    }
    ASSERT_EQ(all.size(), acknowledged_events);
    EXPECT_EQ(store().LastPosition(), all.size());

    std::set<std::string> event_ids;
    std::map<std::string, uint64_t> last_version;
    for (size_t i = 0; i < all.size(); ++i) {
      const v1::EventEnvelope& e = all[i];
      ASSERT_EQ(e.global_position(), i + 1);
      EXPECT_TRUE(event_ids.insert(e.event_id()).second)
          << "duplicate event id at " << e.global_position();
      uint64_t& version = last_version[e.stream_id()];
      EXPECT_EQ(e.stream_version(), version + 1)
          << e.stream_id() << " at position " << e.global_position();
      version = e.stream_version();
    }

    for (const auto& per_thread : acks) {
      for (const Acknowledged& a : per_thread) {
        const uint64_t count = a.call_ids.size();
        ASSERT_EQ(a.result.last_position - a.result.first_position + 1, count);
        ASSERT_LE(a.result.last_position, all.size());
        for (uint64_t k = 0; k < count; ++k) {
          const v1::EventEnvelope& e = all[a.result.first_position - 1 + k];
          EXPECT_EQ(CallIdOf(e), a.call_ids[k])
              << "position " << e.global_position();
          EXPECT_EQ(e.stream_id(), a.stream_id);
        }
        EXPECT_EQ(all[a.result.last_position - 1].stream_version(),
                  a.result.stream_version);
      }
    }

    for (const auto& [stream, version] : last_version) {
      ASSERT_OK_AND_ASSIGN(uint64_t stored, store().StreamVersion(stream));
      EXPECT_EQ(stored, version) << stream;
    }
    ASSERT_OK_AND_ASSIGN(VerifyReport report, store().VerifyChain());
    EXPECT_TRUE(report.ok) << report.first_bad_position << ": "
                           << report.problem;
    EXPECT_EQ(report.events_checked, all.size());
  }
};

// The events of append `j` of thread `t`: one or two, by j.
std::vector<NewEvent> EventsOf(int t, int j, std::vector<std::string>* ids) {
  std::vector<NewEvent> events;
  for (int k = 0; k <= j % 2; ++k) {
    ids->push_back(absl::StrCat("t", t, "-a", j, "-e", k));
    events.push_back(MakeCallNoteAdded(ids->back()));
  }
  return events;
}

TEST_F(EventStoreConcurrency, WritersToOneSharedStreamGetGaplessPositions) {
  constexpr int kAppendsPerThread = 20;
  std::vector<std::vector<Acknowledged>> acks(kThreads);
  RunTogether(kThreads, [&](int t) {
    for (int j = 0; j < kAppendsPerThread; ++j) {
      Acknowledged a;
      a.stream_id = "call-shared";
      absl::StatusOr<AppendResult> r = store().Append(AppendTo(
          a.stream_id, ExpectedVersion::Any(), EventsOf(t, j, &a.call_ids)));
      ASSERT_OK(r);
      a.result = *r;
      acks[static_cast<size_t>(t)].push_back(std::move(a));
    }
  });
  ExpectStoreMatches(acks);
  ASSERT_OK_AND_ASSIGN(uint64_t version, store().StreamVersion("call-shared"));
  EXPECT_EQ(version, store().LastPosition());
}

TEST_F(EventStoreConcurrency, WritersToOwnStreamsWithExactVersionsAllSucceed) {
  constexpr int kAppendsPerThread = 20;
  std::vector<std::vector<Acknowledged>> acks(kThreads);
  RunTogether(kThreads, [&](int t) {
    uint64_t version = 0;
    for (int j = 0; j < kAppendsPerThread; ++j) {
      Acknowledged a;
      a.stream_id = absl::StrCat("call-t", t);
      absl::StatusOr<AppendResult> r =
          store().Append(AppendTo(a.stream_id, ExpectedVersion::Exact(version),
                                  EventsOf(t, j, &a.call_ids)));
      ASSERT_OK(r);
      version += a.call_ids.size();
      EXPECT_EQ(r->stream_version, version);
      a.result = *r;
      acks[static_cast<size_t>(t)].push_back(std::move(a));
    }
  });
  ExpectStoreMatches(acks);
}

TEST_F(EventStoreConcurrency, RacingExactAppendsHaveOneWinnerPerVersion) {
  constexpr int kRacers = 8;
  constexpr size_t kWinsPerThread = 8;
  std::vector<std::vector<Acknowledged>> acks(kRacers);
  RunTogether(kRacers, [&](int t) {
    int attempt = 0;
    while (acks[static_cast<size_t>(t)].size() < kWinsPerThread) {
      absl::StatusOr<uint64_t> version =
          store().StreamVersion("call-contended");
      ASSERT_OK(version);
      Acknowledged a;
      a.stream_id = "call-contended";
      a.call_ids.push_back(absl::StrCat("t", t, "-try", attempt++));
      absl::StatusOr<AppendResult> r =
          store().Append(AppendTo(a.stream_id, ExpectedVersion::Exact(*version),
                                  {MakeCallNoteAdded(a.call_ids.back())}));
      if (r.status().code() == absl::StatusCode::kAborted) continue;
      ASSERT_OK(r);
      EXPECT_EQ(r->stream_version, *version + 1);
      a.result = *r;
      acks[static_cast<size_t>(t)].push_back(std::move(a));
    }
  });
  ExpectStoreMatches(acks);
  ASSERT_OK_AND_ASSIGN(uint64_t version,
                       store().StreamVersion("call-contended"));
  EXPECT_EQ(version, uint64_t{kRacers * kWinsPerThread});
}

// Pairs of threads send each request twice at the same moment (a client and
// its retry), while the other pairs keep the group-commit leader busy, so that
// both copies often land in one group: the second must be answered from the
// first's not yet written receipt.
TEST_F(EventStoreConcurrency, RetriesRacingTheirOriginalAppendOnce) {
  constexpr int kPairs = kThreads / 2;
  constexpr int kRequestsPerPair = 30;
  // results[pair][request][copy]
  std::vector<std::vector<std::array<AppendResult, 2>>> results(
      kPairs, std::vector<std::array<AppendResult, 2>>(kRequestsPerPair));
  std::vector<std::unique_ptr<std::barrier<>>> in_step;
  for (int p = 0; p < kPairs; ++p) {
    in_step.push_back(std::make_unique<std::barrier<>>(2));
  }
  RunTogether(kThreads, [&](int t) {
    const size_t pair = static_cast<size_t>(t / 2);
    const size_t copy = static_cast<size_t>(t % 2);
    for (size_t n = 0; n < kRequestsPerPair; ++n) {
      const std::string request_id = absl::StrCat("req-", pair, "-", n);
      in_step[pair]->arrive_and_wait();
      absl::StatusOr<AppendResult> r = store().Append(AppendTo(
          absl::StrCat("call-pair-", pair), ExpectedVersion::Any(),
          {MakeCallNoteAdded(request_id), MakeCallNoteAdded(request_id)},
          request_id));
      EXPECT_OK(r);
      if (r.ok()) results[pair][n][copy] = *r;
    }
  });

  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> all,
                       ReadAllEvents(store()));
  ASSERT_EQ(all.size(), 2u * kPairs * kRequestsPerPair)
      << "some request was appended twice or not at all";
  for (size_t pair = 0; pair < kPairs; ++pair) {
    for (size_t n = 0; n < kRequestsPerPair; ++n) {
      const std::array<AppendResult, 2>& copies = results[pair][n];
      EXPECT_NE(copies[0].replayed, copies[1].replayed)
          << "exactly one copy of req-" << pair << "-" << n << " appends";
      EXPECT_EQ(copies[0].first_position, copies[1].first_position);
      EXPECT_EQ(copies[0].last_position, copies[1].last_position);
      EXPECT_EQ(copies[0].stream_version, copies[1].stream_version);
      ASSERT_GE(copies[0].first_position, 1u);
      EXPECT_EQ(CallIdOf(all[copies[0].first_position - 1]),
                absl::StrCat("req-", pair, "-", n));
    }
  }
  ASSERT_OK_AND_ASSIGN(VerifyReport report, store().VerifyChain());
  EXPECT_TRUE(report.ok) << report.problem;
}

// VerifyChain is thread-safe like every method: appends that land while it
// walks the log must not look like a broken chain.
TEST_F(EventStoreConcurrency, VerifyChainDuringAppendsReportsAnIntactChain) {
  for (int i = 0; i < 100; ++i) {
    MustAppend("call-before",
               {MakeCallNoteAdded("before"), MakeCallNoteAdded("before")});
  }
  // Stopped (and joined) when it goes out of scope, also on early return.
  std::jthread writer([this](std::stop_token stop) {
    for (int i = 0; !stop.stop_requested(); ++i) {
      MustAppend("call-during", {MakeCallNoteAdded(absl::StrCat(i))});
    }
  });
  for (int i = 0; i < 20; ++i) {
    ASSERT_OK_AND_ASSIGN(VerifyReport report, store().VerifyChain());
    ASSERT_TRUE(report.ok) << "walk " << i << ": " << report.first_bad_position
                           << ": " << report.problem;
    EXPECT_GE(report.events_checked, 200u);
  }
}

}  // namespace
}  // namespace vagt::eventstore
