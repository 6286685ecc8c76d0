// Append: expected versions, gapless versions and positions, the envelope the
// store fills in, and the read paths that show it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "eventstore/clock.h"
#include "eventstore/event_store.h"
#include "google/protobuf/util/message_differencer.h"
#include "tests/eventstore/test_store.h"

namespace vagt::eventstore {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using testing::AppendTo;
using testing::CallIdOf;
using ::testing::ElementsAre;
using testing::EventStoreTest;
using ::testing::HasSubstr;
using testing::MakeCallNoteAdded;
using testing::MakeCallReceived;
using testing::ReadAllEvents;

class EventStoreAppend : public EventStoreTest {
 protected:
  // Versions of the events of `stream_id`, read back from the store.
  std::vector<uint64_t> StreamVersions(std::string_view stream_id) {
    std::vector<uint64_t> versions;
    absl::StatusOr<std::vector<v1::EventEnvelope>> events =
        store().ReadStream(stream_id, 1, 1000);
    EXPECT_OK(events);
    if (!events.ok()) return versions;
    for (const v1::EventEnvelope& e : *events) {
      versions.push_back(e.stream_version());
    }
    return versions;
  }

  // Checks that an append failed with ABORTED and left the store as it was.
  void ExpectAbortedAndNothingAppended(AppendRequest request) {
    const uint64_t last_before = store().LastPosition();
    const std::string stream_id = request.stream_id;
    absl::StatusOr<std::vector<v1::EventEnvelope>> before =
        store().ReadStream(stream_id, 1, 1000);
    ASSERT_OK(before);

    absl::StatusOr<AppendResult> r = store().Append(std::move(request));
    EXPECT_EQ(r.status().code(), absl::StatusCode::kAborted) << r.status();

    EXPECT_EQ(store().LastPosition(), last_before);
    absl::StatusOr<std::vector<v1::EventEnvelope>> after =
        store().ReadStream(stream_id, 1, 1000);
    ASSERT_OK(after);
    ASSERT_EQ(after->size(), before->size());
    for (size_t i = 0; i < after->size(); ++i) {
      EXPECT_TRUE(MessageDifferencer::Equals((*after)[i], (*before)[i]));
    }
    ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> all,
                         ReadAllEvents(store()));
    EXPECT_EQ(all.size(), last_before);
  }
};

TEST_F(EventStoreAppend, NoStreamCreatesStreamAtVersionOneAndPositionOne) {
  ASSERT_OK_AND_ASSIGN(AppendResult r,
                       store().Append(AppendTo(
                           "call-1", ExpectedVersion::NoStream(),
                           {MakeCallReceived("1"), MakeCallNoteAdded("1")})));
  EXPECT_EQ(r.first_position, 1u);
  EXPECT_EQ(r.last_position, 2u);
  EXPECT_EQ(r.stream_version, 2u);
  EXPECT_FALSE(r.replayed);
  EXPECT_EQ(store().LastPosition(), 2u);
  ASSERT_OK_AND_ASSIGN(uint64_t version, store().StreamVersion("call-1"));
  EXPECT_EQ(version, 2u);
  EXPECT_THAT(StreamVersions("call-1"), ElementsAre(1, 2));
}

TEST_F(EventStoreAppend, NoStreamOnExistingStreamIsAbortedAndAppendsNothing) {
  MustAppend("call-1", {MakeCallReceived("1")});
  ExpectAbortedAndNothingAppended(
      AppendTo("call-1", ExpectedVersion::NoStream(), {MakeCallReceived("1")}));
}

TEST_F(EventStoreAppend, ExactVersionBehindStreamIsAbortedAndAppendsNothing) {
  MustAppend("call-1", {MakeCallReceived("1"), MakeCallNoteAdded("1"),
                        MakeCallNoteAdded("1")});
  ExpectAbortedAndNothingAppended(
      AppendTo("call-1", ExpectedVersion::Exact(2), {MakeCallNoteAdded("1")}));
}

TEST_F(EventStoreAppend, ExactVersionAheadOfStreamIsAbortedAndAppendsNothing) {
  MustAppend("call-1", {MakeCallReceived("1")});
  ExpectAbortedAndNothingAppended(
      AppendTo("call-1", ExpectedVersion::Exact(2), {MakeCallNoteAdded("1")}));
  ExpectAbortedAndNothingAppended(AppendTo(
      "call-never", ExpectedVersion::Exact(1), {MakeCallReceived("2")}));
}

TEST_F(EventStoreAppend, AbortedMessageGivesTheStreamsActualVersion) {
  MustAppend("call-1", {MakeCallReceived("1"), MakeCallNoteAdded("1"),
                        MakeCallNoteAdded("1"), MakeCallNoteAdded("1"),
                        MakeCallNoteAdded("1"), MakeCallNoteAdded("1"),
                        MakeCallNoteAdded("1")});
  absl::StatusOr<AppendResult> r = store().Append(
      AppendTo("call-1", ExpectedVersion::Exact(3), {MakeCallNoteAdded("1")}));
  ASSERT_EQ(r.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(r.status().message(), HasSubstr("7"));
}

TEST_F(EventStoreAppend, ExactVersionMatchingStreamAppendsAtNextVersion) {
  ASSERT_OK(store().Append(
      AppendTo("call-1", ExpectedVersion::Exact(0), {MakeCallReceived("1")})));
  ASSERT_OK_AND_ASSIGN(AppendResult r,
                       store().Append(AppendTo(
                           "call-1", ExpectedVersion::Exact(1),
                           {MakeCallNoteAdded("1"), MakeCallNoteAdded("1")})));
  EXPECT_EQ(r.first_position, 2u);
  EXPECT_EQ(r.last_position, 3u);
  EXPECT_EQ(r.stream_version, 3u);
  ASSERT_OK(store().Append(
      AppendTo("call-1", ExpectedVersion::Exact(3), {MakeCallNoteAdded("1")})));
  EXPECT_THAT(StreamVersions("call-1"), ElementsAre(1, 2, 3, 4));
}

TEST_F(EventStoreAppend, AnyAppendsToNewAndExistingStreams) {
  ASSERT_OK(store().Append(
      AppendTo("call-1", ExpectedVersion::Any(), {MakeCallReceived("1")})));
  ASSERT_OK_AND_ASSIGN(AppendResult r,
                       store().Append(AppendTo("call-1", ExpectedVersion::Any(),
                                               {MakeCallNoteAdded("1")})));
  EXPECT_EQ(r.stream_version, 2u);
  EXPECT_THAT(StreamVersions("call-1"), ElementsAre(1, 2));
}

TEST_F(EventStoreAppend, AbortedAppendDoesNotConsumeAPositionOrVersion) {
  MustAppend("call-1", {MakeCallReceived("1")});
  ASSERT_FALSE(store()
                   .Append(AppendTo("call-1", ExpectedVersion::NoStream(),
                                    {MakeCallReceived("1")}))
                   .ok());
  AppendResult r = MustAppend("call-1", {MakeCallNoteAdded("1")});
  EXPECT_EQ(r.first_position, 2u);
  EXPECT_EQ(r.stream_version, 2u);
}

TEST_F(EventStoreAppend, InterleavedStreamsGetGaplessVersionsAndPositions) {
  // (stream, events in that append)
  const std::vector<std::pair<std::string, int>> appends = {
      {"call-a", 1}, {"call-b", 3}, {"call-a", 2}, {"call-c", 1},
      {"call-b", 1}, {"call-a", 1}, {"call-c", 4}, {"call-b", 2}};
  std::map<std::string, uint64_t> versions;
  uint64_t position = 0;
  for (const auto& [stream, count] : appends) {
    std::vector<NewEvent> events;
    for (int i = 0; i < count; ++i) {
      events.push_back(MakeCallNoteAdded(
          absl::StrCat(stream, "/", versions[stream] + 1 + i)));
    }
    ASSERT_OK_AND_ASSIGN(AppendResult r,
                         store().Append(AppendTo(
                             stream, ExpectedVersion::Exact(versions[stream]),
                             std::move(events))));
    EXPECT_EQ(r.first_position, position + 1);
    position += count;
    versions[stream] += count;
    EXPECT_EQ(r.last_position, position);
    EXPECT_EQ(r.stream_version, versions[stream]);
  }

  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> all,
                       ReadAllEvents(store()));
  ASSERT_EQ(all.size(), position);
  std::set<std::string> event_ids;
  for (size_t i = 0; i < all.size(); ++i) {
    const v1::EventEnvelope& e = all[i];
    EXPECT_EQ(e.global_position(), i + 1);
    EXPECT_EQ(CallIdOf(e), absl::StrCat(e.stream_id(), "/", e.stream_version()))
        << "position " << e.global_position();
    event_ids.insert(e.event_id());
  }
  EXPECT_EQ(event_ids.size(), all.size()) << "event ids must be unique";
  for (const auto& [stream, version] : versions) {
    ASSERT_OK_AND_ASSIGN(uint64_t stored, store().StreamVersion(stream));
    EXPECT_EQ(stored, version);
    std::vector<uint64_t> expected;
    for (uint64_t v = 1; v <= version; ++v) expected.push_back(v);
    EXPECT_EQ(StreamVersions(stream), expected) << stream;
  }
}

TEST_F(EventStoreAppend, EventsAreChainedByHash) {
  MustAppend("call-1", {MakeCallReceived("1"), MakeCallNoteAdded("1")});
  MustAppend("call-2", {MakeCallReceived("2")});
  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> all,
                       ReadAllEvents(store()));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].prev_hash(), std::string(32, '\0'));
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].hash().size(), 32u);
    if (i > 0) {
      EXPECT_EQ(all[i].prev_hash(), all[i - 1].hash());
    }
  }
  EXPECT_NE(all[1].hash(), all[2].hash());
}

TEST_F(EventStoreAppend, EnvelopeKeepsCallerFieldsAndStampsStoreFields) {
  FakeClock clock(absl::FromUnixSeconds(1732406400));  // 2024-11-24 00:00 UTC
  Close();
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<EventStore> store,
      EventStore::Open({.path = store_path(), .clock = &clock}));

  NewEvent told = MakeCallReceived("1", "borgeren er urolig");
  told.occurred_at = absl::FromUnixSeconds(1732406000);
  told.actor = "worker:bo";
  told.correlation_id = "corr-1";
  told.causation_id = "cmd-1";
  NewEvent now = MakeCallNoteAdded("1");
  ASSERT_OK(
      store->Append(AppendTo("call-1", ExpectedVersion::Any(), {told, now})));

  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> events,
                       store->ReadStream("call-1", 1, 10));
  ASSERT_EQ(events.size(), 2u);
  const v1::EventEnvelope& first = events[0];
  EXPECT_EQ(first.stream_id(), "call-1");
  EXPECT_EQ(first.type(), "vagt.v1.CallReceived");
  EXPECT_EQ(first.actor(), "worker:bo");
  EXPECT_EQ(first.correlation_id(), "corr-1");
  EXPECT_EQ(first.causation_id(), "cmd-1");
  EXPECT_EQ(first.occurred_at().seconds(), 1732406000);
  EXPECT_EQ(first.recorded_at().seconds(), 1732406400);
  EXPECT_TRUE(MessageDifferencer::Equals(first.payload(), told.payload));
  // RFC 4122 text form: 36 characters, lower case.
  EXPECT_EQ(first.event_id().size(), 36u);
  EXPECT_EQ(first.event_id(), absl::AsciiStrToLower(first.event_id()));

  const v1::EventEnvelope& second = events[1];
  EXPECT_EQ(second.type(), "vagt.v1.CallNoteAdded");
  // No occurred_at given: it happened "now", by the store's clock.
  EXPECT_EQ(second.occurred_at().seconds(), 1732406400);
  EXPECT_NE(second.event_id(), first.event_id());
}

TEST_F(EventStoreAppend, ReadStreamHonoursFromVersionAndMaxCount) {
  MustAppend("call-1", {MakeCallReceived("1"), MakeCallNoteAdded("1"),
                        MakeCallNoteAdded("1"), MakeCallNoteAdded("1")});
  MustAppend("call-2", {MakeCallReceived("2")});
  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> page,
                       store().ReadStream("call-1", 2, 2));
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].stream_version(), 2u);
  EXPECT_EQ(page[1].stream_version(), 3u);
  ASSERT_OK_AND_ASSIGN(page, store().ReadStream("call-1", 4, 100));
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].stream_id(), "call-1");
  ASSERT_OK_AND_ASSIGN(page, store().ReadStream("call-1", 5, 100));
  EXPECT_TRUE(page.empty());
}

TEST_F(EventStoreAppend, ReadAllHonoursFromPositionAndMaxCount) {
  MustAppend("call-1", {MakeCallReceived("1"), MakeCallNoteAdded("1")});
  MustAppend("call-2", {MakeCallReceived("2"), MakeCallNoteAdded("2")});
  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> page,
                       store().ReadAll(2, 2));
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].global_position(), 2u);
  EXPECT_EQ(page[1].global_position(), 3u);
  ASSERT_OK_AND_ASSIGN(page, store().ReadAll(5, 10));
  EXPECT_TRUE(page.empty());
}

TEST_F(EventStoreAppend, UnknownStreamReadsEmptyAtVersionZero) {
  MustAppend("call-1", {MakeCallReceived("1")});
  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> events,
                       store().ReadStream("call-2", 1, 10));
  EXPECT_TRUE(events.empty());
  // "call-1" is a prefix of "call-10": the stream index must not mix them.
  ASSERT_OK_AND_ASSIGN(events, store().ReadStream("call-10", 1, 10));
  EXPECT_TRUE(events.empty());
  ASSERT_OK_AND_ASSIGN(uint64_t version, store().StreamVersion("call-2"));
  EXPECT_EQ(version, 0u);
}

TEST_F(EventStoreAppend, StreamWhoseIdExtendsAnotherKeepsItsOwnEvents) {
  MustAppend("call-1", {MakeCallReceived("1")});
  MustAppend("call-10", {MakeCallReceived("10"), MakeCallNoteAdded("10")});
  MustAppend("call-1", {MakeCallNoteAdded("1")});
  EXPECT_THAT(StreamVersions("call-1"), ElementsAre(1, 2));
  EXPECT_THAT(StreamVersions("call-10"), ElementsAre(1, 2));
}

TEST_F(EventStoreAppend, EmptyStoreHasLastPositionZero) {
  EXPECT_EQ(store().LastPosition(), 0u);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> all,
                       store().ReadAll(1, 10));
  EXPECT_TRUE(all.empty());
}

}  // namespace
}  // namespace vagt::eventstore
