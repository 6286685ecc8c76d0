// Reopen: a closed and reopened store shows exactly what it held, continues
// its positions, versions and chain, and keeps its checkpoints.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "eventstore/event_store.h"
#include "google/protobuf/util/message_differencer.h"
#include "tests/eventstore/test_store.h"

namespace vagt::eventstore {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using testing::AppendTo;
using testing::EventStoreTest;
using testing::MakeCallNoteAdded;
using testing::MakeCallReceived;
using testing::ReadAllEvents;

const std::vector<std::string> kStreams = {"call-1", "call-2", "call-3"};

// What a reader can see of a store.
struct Observed {
  uint64_t last_position = 0;
  std::vector<v1::EventEnvelope> all;
  std::map<std::string, uint64_t> versions;
  std::map<std::string, std::vector<v1::EventEnvelope>> streams;
};

void ExpectSameEvents(const std::vector<v1::EventEnvelope>& got,
                      const std::vector<v1::EventEnvelope>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(got[i], want[i]))
        << "got " << got[i].ShortDebugString() << "\nwant "
        << want[i].ShortDebugString();
  }
}

class EventStoreReopen : public EventStoreTest {
 protected:
  void Observe(Observed* out) {
    out->last_position = store().LastPosition();
    ASSERT_OK_AND_ASSIGN(out->all, ReadAllEvents(store()));
    for (const std::string& stream : kStreams) {
      ASSERT_OK_AND_ASSIGN(out->versions[stream],
                           store().StreamVersion(stream));
      ASSERT_OK_AND_ASSIGN(out->streams[stream],
                           store().ReadStream(stream, 1, 1000));
    }
  }
};

TEST_F(EventStoreReopen, ReopenedStoreShowsTheSameEventsAndContinues) {
  MustAppend("call-1", {MakeCallReceived("1"), MakeCallNoteAdded("1")});
  MustAppend("call-2", {MakeCallReceived("2")});
  MustAppend("call-1", {MakeCallNoteAdded("1")});
  MustAppend("call-3", {MakeCallReceived("3"), MakeCallNoteAdded("3"),
                        MakeCallNoteAdded("3")});
  Observed before;
  ASSERT_NO_FATAL_FAILURE(Observe(&before));
  ASSERT_EQ(before.last_position, 7u);

  ASSERT_NO_FATAL_FAILURE(Reopen());
  Observed after;
  ASSERT_NO_FATAL_FAILURE(Observe(&after));
  EXPECT_EQ(after.last_position, before.last_position);
  EXPECT_EQ(after.versions, before.versions);
  ExpectSameEvents(after.all, before.all);
  for (const std::string& stream : kStreams) {
    ExpectSameEvents(after.streams[stream], before.streams[stream]);
  }

  // Appends continue where the store left off, and the chain links across
  // the reopen.
  ASSERT_OK_AND_ASSIGN(AppendResult r, store().Append(AppendTo(
                                           "call-1", ExpectedVersion::Exact(3),
                                           {MakeCallNoteAdded("1")})));
  EXPECT_EQ(r.first_position, 8u);
  EXPECT_EQ(r.stream_version, 4u);
  EXPECT_EQ(store()
                .Append(AppendTo("call-2", ExpectedVersion::NoStream(),
                                 {MakeCallReceived("2")}))
                .status()
                .code(),
            absl::StatusCode::kAborted);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> appended,
                       store().ReadAll(8, 10));
  ASSERT_EQ(appended.size(), 1u);
  EXPECT_EQ(appended[0].prev_hash(), before.all.back().hash());
  ASSERT_OK_AND_ASSIGN(VerifyReport report, store().VerifyChain());
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.events_checked, 8u);
}

TEST_F(EventStoreReopen, EmptyStoreReopensEmptyAndStartsAtPositionOne) {
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(store().LastPosition(), 0u);
  AppendResult r = MustAppend("call-1", {MakeCallReceived("1")});
  EXPECT_EQ(r.first_position, 1u);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> all,
                       ReadAllEvents(store()));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].prev_hash(), std::string(32, '\0'));
}

TEST_F(EventStoreReopen, RepeatedReopensKeepAppendingGaplessly) {
  for (int round = 1; round <= 5; ++round) {
    AppendResult r = MustAppend("call-1", {MakeCallNoteAdded("1")});
    EXPECT_EQ(r.first_position, static_cast<uint64_t>(round));
    EXPECT_EQ(r.stream_version, static_cast<uint64_t>(round));
    ASSERT_NO_FATAL_FAILURE(Reopen());
  }
  ASSERT_OK_AND_ASSIGN(VerifyReport report, store().VerifyChain());
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.events_checked, 5u);
}

TEST_F(EventStoreReopen, CheckpointsSurviveReopen) {
  ASSERT_OK(store().SaveCheckpoint("outbox-relay", 5));
  ASSERT_OK(store().SaveCheckpoint("oncall-board", 7));
  ASSERT_OK(store().SaveCheckpoint("oncall-board", 9));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  ASSERT_OK_AND_ASSIGN(uint64_t relay, store().LoadCheckpoint("outbox-relay"));
  EXPECT_EQ(relay, 5u);
  ASSERT_OK_AND_ASSIGN(uint64_t board, store().LoadCheckpoint("oncall-board"));
  EXPECT_EQ(board, 9u);
}

TEST_F(EventStoreReopen, MissingCheckpointReadsZero) {
  ASSERT_OK_AND_ASSIGN(uint64_t missing, store().LoadCheckpoint("audit-log"));
  EXPECT_EQ(missing, 0u);
  ASSERT_OK(store().SaveCheckpoint("outbox-relay", 3));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  ASSERT_OK_AND_ASSIGN(missing, store().LoadCheckpoint("audit-log"));
  EXPECT_EQ(missing, 0u);
}

}  // namespace
}  // namespace vagt::eventstore
