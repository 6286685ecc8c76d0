// CloudEvents binary-mode headers of a stored event, and the decoding of a
// consumed record back to the event, which refuses records whose key,
// headers or value do not agree.
#include "services/kafka/cloud_events.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "google/protobuf/util/message_differencer.h"
#include "tests/eventstore/test_store.h"
#include "tests/projections/projection_testing.h"

namespace vagt::kafka {
namespace {

using eventstore::ExpectedVersion;
using eventstore::testing::AppendTo;
using eventstore::testing::MakeCallNoteAdded;
using eventstore::testing::MakeCallReceived;
using eventstore::testing::ScratchDir;
using projections::testing::OpenUnsyncedStore;
using projections::testing::UnsyncedStore;

constexpr char kSensitive[] = "borgeren hedder Jens Hansen";

class CloudEventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(UnsyncedStore s,
                         OpenUnsyncedStore(dir_.Child("store"), clock_));
    store_ = std::move(s);
    ASSERT_OK(
        store_.store->Append(AppendTo("call-7", ExpectedVersion::NoStream(),
                                      {MakeCallReceived("7", kSensitive)})));
    clock_.Advance(absl::Milliseconds(250));
    ASSERT_OK(store_.store->Append(AppendTo("call-7", ExpectedVersion::Exact(1),
                                            {MakeCallNoteAdded("7")})));
    ASSERT_OK_AND_ASSIGN(events_, store_.store->ReadAll(1, 10));
    ASSERT_EQ(events_.size(), 2u);
  }

  // A consumed record of events_[i] as the relay produces it.
  void RecordOf(size_t i, std::string* key, std::string* value,
                std::vector<KafkaHeader>* headers) {
    *key = events_[i].stream_id();
    *value = events_[i].SerializeAsString();
    ASSERT_OK_AND_ASSIGN(*headers, CloudEventHeaders(events_[i]));
  }

  ScratchDir dir_;
  // 2026-09-21T14:13:20Z
  FakeClock clock_{absl::FromUnixSeconds(1'790'000'000)};
  UnsyncedStore store_;
  std::vector<v1::EventEnvelope> events_;
};

TEST_F(CloudEventsTest, HeadersCarryTheEnvelopesAttributes) {
  ASSERT_OK_AND_ASSIGN(std::vector<KafkaHeader> headers,
                       CloudEventHeaders(events_[0]));
  const std::vector<KafkaHeader> expected = {
      {"ce_specversion", "1.0"},
      {"ce_id", events_[0].event_id()},
      {"ce_source", "/vagt/streams/call-7"},
      {"ce_type", "vagt.v1.CallReceived"},
      {"ce_time", "2026-09-21T14:13:20Z"},
      {"content-type", "application/protobuf"},
      {"ce_streamversion", "1"},
      {"ce_globalposition", "1"},
  };
  EXPECT_EQ(headers, expected);
  EXPECT_EQ(events_[0].event_id().size(), 36u);
}

TEST_F(CloudEventsTest, TimeKeepsFractionsOfASecondAndTypeFollowsThePayload) {
  ASSERT_OK_AND_ASSIGN(std::vector<KafkaHeader> headers,
                       CloudEventHeaders(events_[1]));
  auto value_of = [&headers](const std::string& name) {
    for (const KafkaHeader& h : headers) {
      if (h.name == name) return h.value;
    }
    return std::string("<missing>");
  };
  EXPECT_EQ(value_of("ce_time"), "2026-09-21T14:13:20.25Z");
  EXPECT_EQ(value_of("ce_type"), "vagt.v1.CallNoteAdded");
  EXPECT_EQ(value_of("ce_streamversion"), "2");
  EXPECT_EQ(value_of("ce_globalposition"), "2");
}

TEST_F(CloudEventsTest, NoHeaderCarriesPayloadData) {
  ASSERT_OK_AND_ASSIGN(std::vector<KafkaHeader> headers,
                       CloudEventHeaders(events_[0]));
  for (const KafkaHeader& h : headers) {
    EXPECT_EQ(h.value.find("Jens"), std::string::npos) << h.name;
  }
}

TEST_F(CloudEventsTest, DecodesARecordToTheStoredEnvelope) {
  std::string key, value;
  std::vector<KafkaHeader> headers;
  ASSERT_NO_FATAL_FAILURE(RecordOf(0, &key, &value, &headers));
  headers.push_back({"traceparent", "00-abc-def-01"});  // others are ignored
  ASSERT_OK_AND_ASSIGN(v1::EventEnvelope event,
                       DecodeCloudEvent(key, value, headers));
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(event, events_[0]));
  EXPECT_FALSE(event.hash().empty()) << "the value is the whole envelope";
}

TEST_F(CloudEventsTest, RefusesAWrongKey) {
  std::string key, value;
  std::vector<KafkaHeader> headers;
  ASSERT_NO_FATAL_FAILURE(RecordOf(0, &key, &value, &headers));
  absl::StatusOr<v1::EventEnvelope> event =
      DecodeCloudEvent("call-8", value, headers);
  EXPECT_TRUE(absl::IsInvalidArgument(event.status())) << event.status();
}

TEST_F(CloudEventsTest, RefusesAValueThatIsNotAnEnvelope) {
  std::string key, value;
  std::vector<KafkaHeader> headers;
  ASSERT_NO_FATAL_FAILURE(RecordOf(0, &key, &value, &headers));
  absl::StatusOr<v1::EventEnvelope> event =
      DecodeCloudEvent(key, "\xff\xff\xff", headers);
  EXPECT_TRUE(absl::IsInvalidArgument(event.status())) << event.status();
}

TEST_F(CloudEventsTest, RefusesMissingRepeatedOrDifferentHeaders) {
  std::string key, value;
  std::vector<KafkaHeader> good;
  ASSERT_NO_FATAL_FAILURE(RecordOf(0, &key, &value, &good));
  for (size_t i = 0; i < good.size(); ++i) {
    SCOPED_TRACE(good[i].name);
    std::vector<KafkaHeader> missing = good;
    missing.erase(missing.begin() + static_cast<std::ptrdiff_t>(i));
    absl::StatusOr<v1::EventEnvelope> event =
        DecodeCloudEvent(key, value, missing);
    EXPECT_TRUE(absl::IsInvalidArgument(event.status())) << event.status();
    EXPECT_NE(event.status().message().find(good[i].name), std::string::npos);

    std::vector<KafkaHeader> repeated = good;
    repeated.push_back(good[i]);
    EXPECT_FALSE(DecodeCloudEvent(key, value, repeated).ok());

    std::vector<KafkaHeader> different = good;
    different[i].value += "x";
    event = DecodeCloudEvent(key, value, different);
    EXPECT_TRUE(absl::IsInvalidArgument(event.status())) << event.status();
    EXPECT_EQ(event.status().message().find("Jens"), std::string::npos);
  }
  // The headers of the other event do not fit this value.
  std::string other_key, other_value;
  std::vector<KafkaHeader> other;
  ASSERT_NO_FATAL_FAILURE(RecordOf(1, &other_key, &other_value, &other));
  EXPECT_FALSE(DecodeCloudEvent(key, value, other).ok());
}

TEST_F(CloudEventsTest, RefusesAnEnvelopeWithoutWhatTheStoreAssigns) {
  v1::EventEnvelope event = events_[0];
  event.clear_event_id();
  EXPECT_TRUE(absl::IsInvalidArgument(CloudEventHeaders(event).status()));
  event = events_[0];
  event.clear_recorded_at();
  EXPECT_TRUE(absl::IsInvalidArgument(CloudEventHeaders(event).status()));
  event = events_[0];
  event.set_global_position(0);
  EXPECT_TRUE(absl::IsInvalidArgument(CloudEventHeaders(event).status()));
}

}  // namespace
}  // namespace vagt::kafka
