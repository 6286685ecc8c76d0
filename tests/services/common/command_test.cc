// Execute (services/common/command.h) on its own: how a retry is answered.
#include "services/common/command.h"

#include <functional>
#include <optional>

#include "eventstore/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/calls/call_decisions.h"
#include "tests/eventstore/test_store.h"
#include "tests/support/forwarding_event_store.h"

namespace vagt::services {
namespace {

using eventstore::AppendResult;
using eventstore::EventStore;
using ::testing::HasSubstr;

// Forwards to a real store; runs `before_next_read_stream` once, just before
// the next ReadStream: the moment a concurrent first attempt could commit.
class InterleavingStore : public testing::ForwardingEventStore {
 public:
  using ForwardingEventStore::ForwardingEventStore;
  mutable std::function<void()> before_next_read_stream;

  absl::StatusOr<std::vector<v1::EventEnvelope>> ReadStream(
      std::string_view stream_id, uint64_t from_version,
      size_t max_count) const override {
    if (auto hook = std::exchange(before_next_read_stream, nullptr)) hook();
    return inner().ReadStream(stream_id, from_version, max_count);
  }
};

class ExecuteTest : public eventstore::testing::EventStoreTest {
 protected:
  CommandContext Context(const std::string& request_id) {
    return {.actor = "worker:anna", .request_id = request_id, .now = now_};
  }

  absl::StatusOr<AppendResult> Close(EventStore& store,
                                     const std::string& request_id) {
    v1::CloseCallRequest close;
    close.set_call_id("c1");
    close.set_outcome(v1::CALL_OUTCOME_RESOLVED_ON_CALL);
    return Execute<CallState>(
        store, Context(request_id), "call-c1", v1::EventPayload::kCallClosed,
        [&](const CallState& call) { return DecideClose(call, close); });
  }

  void SetUp() override {
    EventStoreTest::SetUp();
    v1::ReceiveCallRequest receive;
    receive.set_line_id("ishoj-bos");
    receive.set_caller_kind(v1::CALLER_KIND_ANONYMOUS);
    receive.set_channel(v1::CONTACT_CHANNEL_PHONE);
    ASSERT_TRUE(Execute<CallState>(store(), Context("receive"), "call-c1",
                                   v1::EventPayload::kCallReceived,
                                   [&](const CallState& call) {
                                     return DecideReceive(call, "c1", receive,
                                                          "worker:anna");
                                   })
                    .ok());
  }

  absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
};

TEST_F(ExecuteTest,
       RetryOverlappingItsCommittingFirstAttemptGetsTheFirstResult) {
  InterleavingStore racing(store());
  absl::StatusOr<AppendResult> first;
  // The retry finds no request id yet; its first attempt commits just before
  // the retry reads the call, so the retry's own decision sees a closed call.
  racing.before_next_read_stream = [&] { first = Close(store(), "close-1"); };
  absl::StatusOr<AppendResult> retry = Close(racing, "close-1");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(retry->replayed);
  EXPECT_EQ(retry->last_position, first->last_position);
  EXPECT_EQ(store().LastPosition(), 2u);
}

TEST_F(ExecuteTest, RequestIdOfAnotherCommandOnTheSameStreamIsAlreadyExists) {
  v1::AddCallNoteRequest note;
  note.set_call_id("c1");
  note.set_text("første note");
  ASSERT_TRUE(
      Execute<CallState>(
          store(), Context("same"), "call-c1", v1::EventPayload::kCallNoteAdded,
          [&](const CallState& call) { return DecideAddNote(call, note); })
          .ok());
  absl::StatusOr<AppendResult> close = Close(store(), "same");
  EXPECT_EQ(close.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(close.status().message(), HasSubstr("request_id"));
  // The call is still open: a real close goes through.
  EXPECT_TRUE(Close(store(), "close-2").ok());
}

}  // namespace
}  // namespace vagt::services
