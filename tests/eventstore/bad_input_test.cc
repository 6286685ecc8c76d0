// Bad input to Append: every malformed or oversized request is refused with
// INVALID_ARGUMENT naming the field, appends nothing, claims no request id,
// and never echoes a citizen's sensitive text; input just inside the limits
// is accepted.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "eventstore/event_store.h"
#include "google/protobuf/unknown_field_set.h"
#include "tests/eventstore/test_store.h"

namespace vagt::eventstore {
namespace {

using testing::AppendTo;
using testing::EventStoreTest;
using ::testing::HasSubstr;
using testing::MakeCallReceived;
using ::testing::Not;

// Stands for sensitive personal data; must never reach an error message.
constexpr char kSensitiveMarker[] = "MARKER-borger-selvmordstanker-0102";

struct BadAppendCase {
  std::string name;
  // Spoils an otherwise valid request.
  std::function<void(AppendRequest&)> spoil;
  // What the error message must mention.
  std::string field;
};

// Keeps test names (and ctest's listing) readable: the case's name, not its
// bytes.
void PrintTo(const BadAppendCase& c, std::ostream* os) { *os << c.name; }

// A payload whose only content is a field this build does not define: an
// event type from a newer build, as this build parses it.
v1::EventPayload PayloadOfUnknownType() {
  constexpr int kFieldOfNewerBuild = 10000;
  EXPECT_EQ(
      v1::EventPayload::descriptor()->FindFieldByNumber(kFieldOfNewerBuild),
      nullptr);
  google::protobuf::UnknownFieldSet newer;
  newer.AddLengthDelimited(kFieldOfNewerBuild, "abc");
  std::string bytes;
  EXPECT_TRUE(newer.SerializeToString(&bytes));
  v1::EventPayload payload;
  EXPECT_TRUE(payload.ParseFromString(bytes));
  EXPECT_EQ(payload.event_case(), v1::EventPayload::EVENT_NOT_SET);
  return payload;
}

std::vector<BadAppendCase> BadAppendCases() {
  const std::string over_stream_id(kMaxStreamIdBytes + 1, 'a');
  const std::string over_metadata(kMaxMetadataBytes + 1, 'm');
  return {
      {"EmptyStreamId", [](AppendRequest& r) { r.stream_id = ""; },
       "stream_id"},
      {"StreamIdOverLimit",
       [=](AppendRequest& r) { r.stream_id = over_stream_id; }, "stream_id"},
      {"StreamIdWithSpace", [](AppendRequest& r) { r.stream_id = "call 1"; },
       "stream_id"},
      {"StreamIdWithNul",
       [](AppendRequest& r) { r.stream_id = std::string("call\0one", 8); },
       "stream_id"},
      {"StreamIdWithSlash", [](AppendRequest& r) { r.stream_id = "call/1"; },
       "stream_id"},
      {"NoEvents", [](AppendRequest& r) { r.events.clear(); }, "events"},
      {"EventWithoutPayload",
       [](AppendRequest& r) { r.events[0].payload.Clear(); }, "payload"},
      {"LaterEventWithoutPayload",
       [](AppendRequest& r) { r.events.push_back(NewEvent{}); }, "payload"},
      {"EventOfUnknownType",
       [](AppendRequest& r) {
         r.events.push_back(MakeCallReceived("1", kSensitiveMarker));
         r.events.back().payload = PayloadOfUnknownType();
       },
       "payload"},
      {"PayloadOverLimit",
       [](AppendRequest& r) {
         r.events.push_back(
             MakeCallReceived("1", std::string(kSensitiveMarker) +
                                       std::string(kMaxPayloadBytes, 'x')));
       },
       "payload"},
      {"TooManyEvents",
       [](AppendRequest& r) {
         r.events.assign(kMaxEventsPerAppend + 1,
                         MakeCallReceived("1", kSensitiveMarker));
       },
       "events"},
      {"RequestIdOverLimit",
       [](AppendRequest& r) {
         r.request_id = std::string(kMaxRequestIdBytes + 1, 'r');
       },
       "request_id"},
      {"ActorOverLimit",
       [=](AppendRequest& r) { r.events[0].actor = over_metadata; }, "actor"},
      {"ActorWithControlCharacter",
       [](AppendRequest& r) { r.events[0].actor = "worker:anna\nroot"; },
       "actor"},
      {"OccurredAtNotFinite",
       [](AppendRequest& r) {
         r.events[0].occurred_at = absl::InfiniteFuture();
       },
       "occurred_at"},
      {"CorrelationIdOverLimit",
       [=](AppendRequest& r) { r.events[0].correlation_id = over_metadata; },
       "correlation_id"},
      {"CausationIdOverLimit",
       [=](AppendRequest& r) { r.events[0].causation_id = over_metadata; },
       "causation_id"},
      // 70 payloads of 60 KiB: each within kMaxPayloadBytes, together over
      // kMaxAppendBytes.
      {"AppendOverTotalLimit",
       [](AppendRequest& r) {
         r.events.assign(
             70, MakeCallReceived("1", std::string(kSensitiveMarker) +
                                           std::string(60 * 1024, 'x')));
       },
       "events"},
  };
}

class EventStoreBadInput : public EventStoreTest,
                           public ::testing::WithParamInterface<BadAppendCase> {
 protected:
  static AppendRequest ValidRequest() {
    return AppendTo("call-1", ExpectedVersion::Any(),
                    {MakeCallReceived("1", kSensitiveMarker)}, "req-bad");
  }
};

TEST_P(EventStoreBadInput, IsInvalidArgumentNamingFieldAndAppendsNothing) {
  MustAppend("call-0", {MakeCallReceived("0")});
  AppendRequest request = ValidRequest();
  GetParam().spoil(request);

  absl::StatusOr<AppendResult> r = store().Append(std::move(request));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument)
      << r.status();
  EXPECT_THAT(std::string(r.status().message()), HasSubstr(GetParam().field));
  EXPECT_THAT(std::string(r.status().message()),
              Not(HasSubstr(kSensitiveMarker)));

  EXPECT_EQ(store().LastPosition(), 1u);
  ASSERT_OK_AND_ASSIGN(uint64_t version, store().StreamVersion("call-1"));
  EXPECT_EQ(version, 0u);
  ASSERT_OK_AND_ASSIGN(VerifyReport report, store().VerifyChain());
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.events_checked, 1u);

  // The refused append did not claim its request id.
  ASSERT_OK_AND_ASSIGN(AppendResult valid, store().Append(ValidRequest()));
  EXPECT_FALSE(valid.replayed);
  EXPECT_EQ(valid.first_position, 2u);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, EventStoreBadInput, ::testing::ValuesIn(BadAppendCases()),
    [](const ::testing::TestParamInfo<BadAppendCase>& case_info) {
      return case_info.param.name;
    });

class EventStoreInputLimits : public EventStoreTest {};

TEST_F(EventStoreInputLimits, StreamIdAtLimitWithEveryAllowedCharIsAccepted) {
  const std::string allowed =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:@-";
  std::string stream_id;
  while (stream_id.size() < kMaxStreamIdBytes) {
    stream_id.push_back(allowed[stream_id.size() % allowed.size()]);
  }
  ASSERT_OK_AND_ASSIGN(
      AppendResult r, store().Append(AppendTo(stream_id, ExpectedVersion::Any(),
                                              {MakeCallReceived("1")})));
  EXPECT_EQ(r.stream_version, 1u);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> events,
                       store().ReadStream(stream_id, 1, 10));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].stream_id(), stream_id);
}

TEST_F(EventStoreInputLimits, MetadataAndRequestIdAtLimitAreAccepted) {
  NewEvent e = MakeCallReceived("1");
  e.actor = std::string(kMaxMetadataBytes, 'a');
  e.correlation_id = std::string(kMaxMetadataBytes, 'c');
  e.causation_id = std::string(kMaxMetadataBytes, 'k');
  ASSERT_OK(store().Append(AppendTo("call-1", ExpectedVersion::Any(), {e},
                                    std::string(kMaxRequestIdBytes, 'r'))));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> events,
                       store().ReadStream("call-1", 1, 10));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].actor(), e.actor);
}

TEST_F(EventStoreInputLimits, MaxEventsPerAppendAreAppendedTogether) {
  std::vector<NewEvent> events(kMaxEventsPerAppend, MakeCallReceived("1"));
  ASSERT_OK_AND_ASSIGN(AppendResult r,
                       store().Append(AppendTo("call-1", ExpectedVersion::Any(),
                                               std::move(events))));
  EXPECT_EQ(r.first_position, 1u);
  EXPECT_EQ(r.last_position, kMaxEventsPerAppend);
  EXPECT_EQ(r.stream_version, kMaxEventsPerAppend);
}

}  // namespace
}  // namespace vagt::eventstore
