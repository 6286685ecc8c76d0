// Idempotency: a retried request id returns the first result and appends
// nothing, durably; a request id reused for a different append is refused.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "eventstore/event_store.h"
#include "tests/eventstore/test_store.h"

namespace vagt::eventstore {
namespace {

using testing::AppendTo;
using testing::EventStoreTest;
using testing::MakeCallNoteAdded;
using testing::MakeCallReceived;
using testing::ReadAllEvents;

class EventStoreIdempotency : public EventStoreTest {
 protected:
  // The append a client retries: opens call-1 with two events.
  static AppendRequest OpenCallRequest() {
    return AppendTo("call-1", ExpectedVersion::NoStream(),
                    {MakeCallReceived("1"), MakeCallNoteAdded("1")},
                    "req-open-call-1");
  }

  // Checks that `request` fails with ALREADY_EXISTS and appends nothing.
  void ExpectRefusedReuse(AppendRequest request) {
    const uint64_t last_before = store().LastPosition();
    absl::StatusOr<AppendResult> r = store().Append(std::move(request));
    EXPECT_EQ(r.status().code(), absl::StatusCode::kAlreadyExists)
        << r.status();
    EXPECT_EQ(store().LastPosition(), last_before);
    ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> all,
                         ReadAllEvents(store()));
    EXPECT_EQ(all.size(), last_before);
  }
};

void ExpectSameResult(const AppendResult& replay, const AppendResult& first) {
  EXPECT_EQ(replay.first_position, first.first_position);
  EXPECT_EQ(replay.last_position, first.last_position);
  EXPECT_EQ(replay.stream_version, first.stream_version);
}

TEST_F(EventStoreIdempotency,
       RetriedRequestReturnsFirstResultAndAppendsNothing) {
  MustAppend("call-0", {MakeCallReceived("0")});
  ASSERT_OK_AND_ASSIGN(AppendResult first, store().Append(OpenCallRequest()));
  EXPECT_FALSE(first.replayed);
  EXPECT_EQ(first.first_position, 2u);
  MustAppend("call-0", {MakeCallNoteAdded("0")});

  // The retry carries NoStream although call-1 exists now: it is answered
  // from the first result, not checked again.
  ASSERT_OK_AND_ASSIGN(AppendResult replay, store().Append(OpenCallRequest()));
  EXPECT_TRUE(replay.replayed);
  ExpectSameResult(replay, first);
  EXPECT_EQ(store().LastPosition(), 4u);
  ASSERT_OK_AND_ASSIGN(uint64_t version, store().StreamVersion("call-1"));
  EXPECT_EQ(version, 2u);
}

TEST_F(EventStoreIdempotency, RequestIdReusedForAnotherStreamIsAlreadyExists) {
  ASSERT_OK(store().Append(OpenCallRequest()));
  AppendRequest other = OpenCallRequest();
  other.stream_id = "call-2";
  ExpectRefusedReuse(std::move(other));
  ASSERT_OK_AND_ASSIGN(uint64_t version, store().StreamVersion("call-2"));
  EXPECT_EQ(version, 0u);
}

TEST_F(EventStoreIdempotency,
       RequestIdReusedForOtherEventTypesIsAlreadyExists) {
  ASSERT_OK(store().Append(OpenCallRequest()));
  AppendRequest other = OpenCallRequest();
  other.expected = ExpectedVersion::Any();
  other.events = {MakeCallNoteAdded("1"), MakeCallNoteAdded("1")};
  ExpectRefusedReuse(std::move(other));
}

TEST_F(EventStoreIdempotency, ReplayAfterReopenReturnsFirstResult) {
  ASSERT_OK_AND_ASSIGN(AppendResult first, store().Append(OpenCallRequest()));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  ASSERT_OK_AND_ASSIGN(AppendResult replay, store().Append(OpenCallRequest()));
  EXPECT_TRUE(replay.replayed);
  ExpectSameResult(replay, first);
  EXPECT_EQ(store().LastPosition(), 2u);

  AppendRequest other = OpenCallRequest();
  other.stream_id = "call-2";
  ExpectRefusedReuse(std::move(other));
}

TEST_F(EventStoreIdempotency, RejectedAppendDoesNotClaimItsRequestId) {
  MustAppend("call-1", {MakeCallReceived("1")});
  // Aborted (call-1 exists): the request id stays free.
  ASSERT_EQ(store().Append(OpenCallRequest()).status().code(),
            absl::StatusCode::kAborted);
  AppendRequest retry = OpenCallRequest();
  retry.expected = ExpectedVersion::Exact(1);
  ASSERT_OK_AND_ASSIGN(AppendResult r, store().Append(std::move(retry)));
  EXPECT_FALSE(r.replayed);
  EXPECT_EQ(r.stream_version, 3u);
}

TEST_F(EventStoreIdempotency, EmptyRequestIdAppendsEveryTime) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK_AND_ASSIGN(AppendResult r, store().Append(AppendTo(
                                             "call-1", ExpectedVersion::Any(),
                                             {MakeCallNoteAdded("1")})));
    EXPECT_FALSE(r.replayed);
    EXPECT_EQ(r.first_position, static_cast<uint64_t>(i + 1));
  }
}

}  // namespace
}  // namespace vagt::eventstore
