// Subscriptions: catch-up from a checkpoint, then live appends, every event
// exactly once and in global order; a handler error stops delivery.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "eventstore/event_store.h"
#include "tests/eventstore/test_store.h"

namespace vagt::eventstore {
namespace {

using testing::EventStoreTest;
using ::testing::HasSubstr;
using testing::MakeCallNoteAdded;
using testing::MakeCallReceived;
using testing::ReadAllEvents;

// Generous: only reached when delivery is broken.
absl::Time Deadline() { return absl::Now() + absl::Seconds(30); }

// What a subscription's handler was given, in order. Outlives the
// subscription that feeds it.
class DeliveredEvents {
 public:
  std::function<absl::Status(const v1::EventEnvelope&)> Handler() {
    return [this](const v1::EventEnvelope& e) {
      absl::MutexLock lock(&mu_);
      events_.push_back(e);
      handler_threads_.push_back(std::this_thread::get_id());
      return absl::OkStatus();
    };
  }

  std::vector<uint64_t> Positions() const {
    absl::MutexLock lock(&mu_);
    std::vector<uint64_t> positions;
    for (const v1::EventEnvelope& e : events_) {
      positions.push_back(e.global_position());
    }
    return positions;
  }

  std::vector<std::string> EventIds() const {
    absl::MutexLock lock(&mu_);
    std::vector<std::string> ids;
    for (const v1::EventEnvelope& e : events_) ids.push_back(e.event_id());
    return ids;
  }

  std::vector<std::thread::id> HandlerThreads() const {
    absl::MutexLock lock(&mu_);
    return handler_threads_;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<v1::EventEnvelope> events_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread::id> handler_threads_ ABSL_GUARDED_BY(mu_);
};

std::vector<uint64_t> Range(uint64_t first, uint64_t last) {
  std::vector<uint64_t> out;
  for (uint64_t p = first; p <= last; ++p) out.push_back(p);
  return out;
}

class EventStoreSubscription : public EventStoreTest {
 protected:
  // `appends` appends of two events each to `stream_id`.
  void AppendPairs(const std::string& stream_id, int appends) {
    for (int i = 0; i < appends; ++i) {
      MustAppend(stream_id, {MakeCallNoteAdded(absl::StrCat(stream_id, i)),
                             MakeCallNoteAdded(absl::StrCat(stream_id, i))});
    }
  }

  // Blocks until the store holds at least `position` events.
  void AwaitStoreReaches(uint64_t position) {
    const absl::Time deadline = Deadline();
    uint64_t last = store().LastPosition();
    while (last < position && absl::Now() < deadline) {
      last = store().WaitForAppend(last, deadline);
    }
    ASSERT_GE(last, position);
  }
};

TEST_F(EventStoreSubscription,
       CatchUpMeetsConcurrentLiveAppendsWithEveryEventOnceInOrder) {
  constexpr int kWriters = 4;
  constexpr int kPairsPerWriter = 15;
  // More stored events than any sensible read page, so that catch-up spans
  // several pages before it meets the live appends.
  for (int i = 0; i < 6; ++i) {
    MustAppend("call-before",
               std::vector<NewEvent>(100, MakeCallNoteAdded("before")));
  }
  const uint64_t stored_before = store().LastPosition();
  ASSERT_EQ(stored_before, 600u);

  // jthread: joined even when an assertion below returns early.
  std::vector<std::jthread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([this, w] {
      AppendPairs(absl::StrCat("call-live-", w), kPairsPerWriter);
    });
  }
  // Subscriptions from 0 started at staggered points of the live appends, so
  // that their catch-up ends while writers are still appending.
  constexpr int kSubscribers = 3;
  std::vector<DeliveredEvents> delivered(kSubscribers);
  std::vector<std::unique_ptr<Subscription>> subscriptions;
  for (int s = 0; s < kSubscribers; ++s) {
    ASSERT_NO_FATAL_FAILURE(AwaitStoreReaches(stored_before + 30u * s));
    subscriptions.push_back(
        store().Subscribe(0, delivered[static_cast<size_t>(s)].Handler()));
  }
  for (std::jthread& w : writers) w.join();

  const uint64_t last = store().LastPosition();
  ASSERT_EQ(last, stored_before + 2u * kWriters * kPairsPerWriter);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> all,
                       ReadAllEvents(store()));
  std::vector<std::string> stored_ids;
  for (const v1::EventEnvelope& e : all) stored_ids.push_back(e.event_id());

  for (int s = 0; s < kSubscribers; ++s) {
    const Subscription& sub = *subscriptions[static_cast<size_t>(s)];
    const DeliveredEvents& got = delivered[static_cast<size_t>(s)];
    ASSERT_TRUE(sub.WaitUntilDelivered(last, Deadline()))
        << "subscriber " << s << " stopped at " << sub.position() << ": "
        << sub.status();
    EXPECT_OK(sub.status());
    EXPECT_EQ(sub.position(), last);
    EXPECT_EQ(got.Positions(), Range(1, last)) << "subscriber " << s;
    EXPECT_EQ(got.EventIds(), stored_ids) << "subscriber " << s;
  }

  // Still live after the burst.
  MustAppend("call-after", {MakeCallReceived("after")});
  for (int s = 0; s < kSubscribers; ++s) {
    ASSERT_TRUE(subscriptions[static_cast<size_t>(s)]->WaitUntilDelivered(
        last + 1, Deadline()));
    EXPECT_EQ(delivered[static_cast<size_t>(s)].Positions(),
              Range(1, last + 1));
  }
}

TEST_F(EventStoreSubscription, SubscriptionFromCheckpointStartsAfterIt) {
  AppendPairs("call-1", 5);
  DeliveredEvents delivered;
  std::unique_ptr<Subscription> sub = store().Subscribe(4, delivered.Handler());
  ASSERT_TRUE(sub->WaitUntilDelivered(10, Deadline())) << sub->status();
  EXPECT_EQ(delivered.Positions(), Range(5, 10));

  AppendPairs("call-2", 1);
  ASSERT_TRUE(sub->WaitUntilDelivered(12, Deadline())) << sub->status();
  EXPECT_EQ(delivered.Positions(), Range(5, 12));
  EXPECT_EQ(sub->position(), 12u);
}

TEST_F(EventStoreSubscription, SubscriptionAtTheEndDeliversOnlyNewEvents) {
  AppendPairs("call-1", 2);
  DeliveredEvents delivered;
  std::unique_ptr<Subscription> sub = store().Subscribe(4, delivered.Handler());
  MustAppend("call-2", {MakeCallReceived("2")});
  ASSERT_TRUE(sub->WaitUntilDelivered(5, Deadline())) << sub->status();
  EXPECT_EQ(delivered.Positions(), Range(5, 5));
}

TEST_F(EventStoreSubscription, SubscriptionToEmptyStoreFollowsFirstAppends) {
  DeliveredEvents delivered;
  std::unique_ptr<Subscription> sub = store().Subscribe(0, delivered.Handler());
  AppendPairs("call-1", 2);
  ASSERT_TRUE(sub->WaitUntilDelivered(4, Deadline())) << sub->status();
  EXPECT_EQ(delivered.Positions(), Range(1, 4));
}

TEST_F(EventStoreSubscription, HandlerRunsOnItsOwnThread) {
  AppendPairs("call-1", 1);
  DeliveredEvents delivered;
  std::unique_ptr<Subscription> sub = store().Subscribe(0, delivered.Handler());
  ASSERT_TRUE(sub->WaitUntilDelivered(2, Deadline()));
  for (std::thread::id id : delivered.HandlerThreads()) {
    EXPECT_NE(id, std::this_thread::get_id());
  }
}

TEST_F(EventStoreSubscription, HandlerErrorStopsSubscriptionAndIsReported) {
  AppendPairs("call-1", 3);
  absl::Mutex mu;
  std::vector<uint64_t> handled;
  std::unique_ptr<Subscription> sub =
      store().Subscribe(0, [&](const v1::EventEnvelope& e) {
        absl::MutexLock lock(&mu);
        handled.push_back(e.global_position());
        if (e.global_position() == 3) {
          return absl::ResourceExhaustedError("projection disk full");
        }
        return absl::OkStatus();
      });

  // Returns false once the subscription has failed, long before the deadline.
  EXPECT_FALSE(sub->WaitUntilDelivered(6, Deadline()));
  EXPECT_EQ(sub->status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(sub->status().message(), HasSubstr("projection disk full"));
  EXPECT_EQ(sub->position(), 2u);

  MustAppend("call-2", {MakeCallReceived("2")});
  EXPECT_FALSE(sub->WaitUntilDelivered(7, Deadline()));
  sub.reset();
  absl::MutexLock lock(&mu);
  EXPECT_EQ(handled, Range(1, 3));
}

TEST_F(EventStoreSubscription, DestroyedSubscriptionDeliversNothingMore) {
  AppendPairs("call-1", 1);
  DeliveredEvents delivered;
  std::unique_ptr<Subscription> sub = store().Subscribe(0, delivered.Handler());
  ASSERT_TRUE(sub->WaitUntilDelivered(2, Deadline()));
  sub.reset();
  AppendPairs("call-1", 2);
  EXPECT_EQ(delivered.Positions(), Range(1, 2));
}

TEST_F(EventStoreSubscription, WaitForAppendWakesWhenAnotherThreadAppends) {
  MustAppend("call-1", {MakeCallReceived("1")});
  std::jthread writer(
      [this] { MustAppend("call-2", {MakeCallReceived("2")}); });
  const uint64_t seen = store().WaitForAppend(1, Deadline());
  writer.join();
  EXPECT_EQ(seen, 2u);
}

TEST_F(EventStoreSubscription, WaitForAppendPastDeadlineReturnsAtOnce) {
  MustAppend("call-1", {MakeCallReceived("1")});
  EXPECT_EQ(store().WaitForAppend(1, absl::Now() - absl::Seconds(1)), 1u);
  EXPECT_EQ(store().WaitForAppend(0, absl::Now() - absl::Seconds(1)), 1u);
}

}  // namespace
}  // namespace vagt::eventstore
