// AuditService through gRPC, over an evening driven through the command
// services: timelines by every subject, paged and by recorded_at range;
// every read of citizens' data recorded as exactly one SensitiveDataAccessed
// (and visible in the citizen's and the reader's timelines); bad requests
// refused without recording; the board at a past instant; chain
// verification; and a read refused when its record cannot be stored.
#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "eventstore/timestamps.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "rocksdb/env.h"
#include "tests/services/duty_commands.h"
#include "tests/services/service_test_server.h"
#include "tests/support/faulty_file_system.h"
#include "vagt/v1/audit.grpc.pb.h"
#include "vagt/v1/oncall.grpc.pb.h"

namespace vagt {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::vagt::testing::Created;
using ::vagt::testing::DutyCommands;
using ::vagt::testing::FaultyFileSystem;
using ::vagt::testing::ServiceTestServer;
using ::vagt::testing::WalFault;

constexpr char kAnna[] = "worker:anna";
constexpr char kBo[] = "worker:bo";
constexpr char kCarl[] = "worker:carl";
constexpr char kAuditor[] = "worker:tilsyn";
constexpr char kCentral[] = "central";
constexpr char kVest[] = "vest";
constexpr char kCitizen[] = "citizen-7f3a";
constexpr char kOtherCitizen[] = "citizen-9c1e";
constexpr char kReason[] = "gennemgang efter natten til 25. november";

// Positions (and ids) of an evening on two lines, one command every five
// minutes from 19:00 UTC:
//   19:00 anna takes central          19:30 anna resolves the escalation
//   19:05 call A (kCitizen)           19:35 anna closes call A
//   19:10 anna assesses A: HIGH       19:40 kCitizen consents (night partner)
//   19:15 anna escalates A to bo      19:45 carl takes vest
//   19:20 bo acknowledges             19:50 anonymous call C on vest
//   19:25 call B (kOtherCitizen)
// The clock then stands at 20:00, so reads are recorded after `end` (19:55).
struct Evening {
  std::string call_a, call_b, call_c, escalation;
  uint64_t take = 0, received_a = 0, risk_a = 0, raised = 0, acknowledged = 0,
           received_b = 0, resolved = 0, closed_a = 0, consent = 0,
           take_vest = 0, received_c = 0;
  absl::Time start, end;
};

absl::Time At(int hour, int minute) {
  return absl::FromCivil(absl::CivilSecond(2026, 11, 24, hour, minute, 0),
                         absl::UTCTimeZone());
}

std::vector<uint64_t> PositionsOf(
    const google::protobuf::RepeatedPtrField<v1::EventEnvelope>& events) {
  std::vector<uint64_t> out;
  for (const v1::EventEnvelope& e : events) out.push_back(e.global_position());
  return out;
}

v1::AccessReason Purpose(v1::AccessPurpose purpose,
                         const std::string& reason = kReason) {
  v1::AccessReason access;
  access.set_purpose(purpose);
  access.set_reason(reason);
  return access;
}

class AuditServiceTest : public ::testing::Test {
 protected:
  // Plays the evening above.
  Evening PlayEvening() {
    Evening e;
    e.start = server_.clock().Now();
    EXPECT_EQ(e.start, At(19, 0));
    auto next = [&] { server_.clock().Advance(absl::Minutes(5)); };
    e.take = duty_.TakeLine(kCentral, kAnna);
    next();
    Created call = duty_.ReceiveCall(kCentral, kAnna, kCitizen);
    e.call_a = call.id;
    e.received_a = call.position;
    next();
    e.risk_a = duty_.AssessRisk(e.call_a, kAnna, v1::RISK_LEVEL_HIGH);
    next();
    Created escalation = duty_.RaiseToBackup(e.call_a, kAnna, kBo);
    e.escalation = escalation.id;
    e.raised = escalation.position;
    next();
    e.acknowledged = duty_.Acknowledge(e.escalation, kBo);
    next();
    call = duty_.ReceiveCall(kCentral, kAnna, kOtherCitizen);
    e.call_b = call.id;
    e.received_b = call.position;
    next();
    e.resolved = duty_.Resolve(e.escalation, kAnna);
    next();
    e.closed_a = duty_.CloseCall(e.call_a, kAnna);
    next();
    e.consent = duty_.ConsentToNightPartner(kCitizen, kAnna).position;
    next();
    e.take_vest = duty_.TakeLine(kVest, kCarl);
    next();
    call = duty_.ReceiveCall(kVest, kCarl, "");
    e.call_c = call.id;
    e.received_c = call.position;
    next();
    e.end = server_.clock().Now();
    next();
    EXPECT_EQ(server_.store().LastPosition(), e.received_c);
    return e;
  }

  // A timeline request up to the end of the evening, so that the records
  // of earlier reads (made at 20:00) stay out of it.
  static v1::TimelineRequest UpToEnd(const Evening& e) {
    v1::TimelineRequest r;
    *r.mutable_to() = ToTimestamp(e.end);
    *r.mutable_access() = Purpose(v1::ACCESS_PURPOSE_CRISIS_REVIEW);
    return r;
  }

  grpc::Status Timeline(const v1::TimelineRequest& r,
                        v1::TimelineResponse* response,
                        const std::string& actor = kAnna) {
    return audit_->Timeline(ServiceTestServer::As(actor).get(), r, response);
  }

  // The positions of the timeline, read in one page; a failure fails.
  std::vector<uint64_t> Positions(v1::TimelineRequest r,
                                  const std::string& actor = kAnna) {
    v1::TimelineResponse response;
    grpc::Status s = Timeline(r, &response, actor);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(response.next_page_token(), "");
    ExpectStoredCopies(response.events());
    return PositionsOf(response.events());
  }

  // The positions of the timeline read `page_size` at a time, following
  // next_page_token; `pages` counts the pages.
  std::vector<uint64_t> Paged(v1::TimelineRequest r, uint32_t page_size,
                              int* pages) {
    std::vector<uint64_t> out;
    r.set_page_size(page_size);
    *pages = 0;
    do {
      v1::TimelineResponse response;
      grpc::Status s = Timeline(r, &response);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok() || ++*pages > 100) break;
      EXPECT_LE(response.events_size(), static_cast<int>(page_size));
      ExpectStoredCopies(response.events());
      for (uint64_t p : PositionsOf(response.events())) out.push_back(p);
      r.set_page_token(response.next_page_token());
    } while (!r.page_token().empty());
    return out;
  }

  // Each event is the store's own, hash included, in increasing position.
  void ExpectStoredCopies(
      const google::protobuf::RepeatedPtrField<v1::EventEnvelope>& events) {
    uint64_t previous = 0;
    for (const v1::EventEnvelope& e : events) {
      EXPECT_GT(e.global_position(), previous);
      previous = e.global_position();
      EXPECT_FALSE(e.hash().empty());
      auto stored = server_.store().ReadAll(e.global_position(), 1);
      ASSERT_TRUE(stored.ok()) << stored.status();
      ASSERT_EQ(stored->size(), 1u);
      EXPECT_TRUE(MessageDifferencer::Equals(e, stored->front()))
          << "position " << e.global_position();
    }
  }

  // The events appended after `position`.
  // Without the gate's records of refusals.
  std::vector<v1::EventEnvelope> AppendedAfter(uint64_t position) {
    return server_.AppendedAfter(position);
  }

  // The one access record appended after `position`; fails unless there is
  // exactly one event after it and it is such a record.
  v1::EventEnvelope OnlyAccessAfter(uint64_t position) {
    std::vector<v1::EventEnvelope> events = AppendedAfter(position);
    EXPECT_EQ(events.size(), 1u);
    if (events.empty()) return {};
    EXPECT_TRUE(events[0].payload().has_sensitive_data_accessed());
    EXPECT_TRUE(absl::StartsWith(events[0].stream_id(), "access-"));
    return events[0];
  }

  grpc::Status BoardAt(const std::string& line, absl::Time at, v1::Board* board,
                       const std::string& actor = kAnna) {
    v1::BoardAtRequest r;
    r.set_line_id(line);
    *r.mutable_at() = ToTimestamp(at);
    *r.mutable_access() = Purpose(v1::ACCESS_PURPOSE_CRISIS_REVIEW);
    return audit_->BoardAt(ServiceTestServer::As(actor).get(), r, board);
  }

  v1::Board BoardAtOk(const std::string& line, absl::Time at) {
    v1::Board board;
    grpc::Status s = BoardAt(line, at, &board);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return board;
  }

  ServiceTestServer server_;
  DutyCommands duty_{server_.channel()};
  std::unique_ptr<v1::AuditService::Stub> audit_ =
      v1::AuditService::NewStub(server_.channel());
};

TEST_F(AuditServiceTest, TimelineOfEachSubjectHoldsItsEventsInLogOrder) {
  const Evening e = PlayEvening();
  v1::TimelineRequest r = UpToEnd(e);

  r.set_call_id(e.call_a);
  EXPECT_THAT(Positions(r),
              ElementsAre(e.received_a, e.risk_a, e.raised, e.closed_a));
  r.set_escalation_id(e.escalation);
  EXPECT_THAT(Positions(r), ElementsAre(e.raised, e.acknowledged, e.resolved));
  r.set_citizen_ref(kCitizen);
  EXPECT_THAT(Positions(r),
              ElementsAre(e.received_a, e.risk_a, e.raised, e.acknowledged,
                          e.resolved, e.closed_a, e.consent));
  r.set_citizen_ref(kOtherCitizen);
  EXPECT_THAT(Positions(r), ElementsAre(e.received_b));
  r.set_worker_id(kBo);
  EXPECT_THAT(Positions(r), ElementsAre(e.raised, e.acknowledged));
  r.set_worker_id(kCarl);
  EXPECT_THAT(Positions(r), ElementsAre(e.take_vest, e.received_c));
  r.set_line_id(kCentral);
  EXPECT_THAT(Positions(r), ElementsAre(e.take, e.received_a, e.risk_a,
                                        e.raised, e.acknowledged, e.received_b,
                                        e.resolved, e.closed_a));
  r.set_line_id(kVest);
  EXPECT_THAT(Positions(r), ElementsAre(e.take_vest, e.received_c));

  // Everything since the test directory was set up.
  std::vector<uint64_t> all(e.received_c - server_.seeded());
  for (uint64_t i = 0; i < all.size(); ++i) all[i] = server_.seeded() + i + 1;
  r.clear_subject();
  *r.mutable_from() = ToTimestamp(ServiceTestServer::DefaultStart());
  EXPECT_THAT(Positions(r), ElementsAreArray(all));
}

TEST_F(AuditServiceTest, PagesOfTwoJoinToTheWholeTimeline) {
  const Evening e = PlayEvening();
  int pages = 0;

  // A call's timeline does not grow with the records of its own reads.
  v1::TimelineRequest r;
  *r.mutable_access() = Purpose(v1::ACCESS_PURPOSE_SUPERVISION);
  r.set_call_id(e.call_a);
  EXPECT_THAT(Paged(r, 2, &pages), ElementsAreArray(Positions(r)));
  EXPECT_EQ(pages, 2);

  r = UpToEnd(e);
  r.set_line_id(kCentral);
  std::vector<uint64_t> whole = Positions(r);
  EXPECT_EQ(whole.size(), 8u);
  EXPECT_THAT(Paged(r, 2, &pages), ElementsAreArray(whole));
  EXPECT_EQ(pages, 4);
  EXPECT_THAT(Paged(r, 3, &pages), ElementsAreArray(whole));
  EXPECT_EQ(pages, 3);

  // Everything of the evening (the test directory was set up the day
  // before).
  r.clear_subject();
  *r.mutable_from() = ToTimestamp(ServiceTestServer::DefaultStart());
  whole = Positions(r);
  const uint64_t evening = e.received_c - server_.seeded();
  EXPECT_EQ(whole.size(), evening);
  EXPECT_THAT(Paged(r, 2, &pages), ElementsAreArray(whole));
  EXPECT_EQ(pages, static_cast<int>(evening + 1) / 2);
}

TEST_F(AuditServiceTest, RangeIsRecordedAtFromInclusiveToExclusive) {
  const Evening e = PlayEvening();
  v1::TimelineRequest r;
  *r.mutable_access() = Purpose(v1::ACCESS_PURPOSE_CRISIS_REVIEW);
  r.set_line_id(kCentral);

  *r.mutable_from() = ToTimestamp(At(19, 10));
  *r.mutable_to() = ToTimestamp(At(19, 25));
  EXPECT_THAT(Positions(r), ElementsAre(e.risk_a, e.raised, e.acknowledged));

  r.clear_to();
  *r.mutable_from() = ToTimestamp(At(19, 30));
  EXPECT_THAT(Positions(r), ElementsAre(e.resolved, e.closed_a));

  r.clear_from();
  *r.mutable_to() = ToTimestamp(At(19, 5));
  EXPECT_THAT(Positions(r), ElementsAre(e.take));

  *r.mutable_from() = ToTimestamp(At(19, 7));
  *r.mutable_to() = ToTimestamp(At(19, 7));
  EXPECT_THAT(Positions(r), IsEmpty());

  // A range and pages together.
  *r.mutable_from() = ToTimestamp(At(19, 5));
  *r.mutable_to() = ToTimestamp(At(19, 30));
  int pages = 0;
  EXPECT_THAT(Paged(r, 2, &pages), ElementsAre(e.received_a, e.risk_a, e.raised,
                                               e.acknowledged, e.received_b));
  EXPECT_EQ(pages, 3);
}

TEST_F(AuditServiceTest, EachReadRecordsOneAccessWithWhoWhatAndWhy) {
  const Evening e = PlayEvening();

  // A timeline.
  uint64_t before = server_.store().LastPosition();
  v1::TimelineRequest r;
  r.set_citizen_ref(kCitizen);
  *r.mutable_access() = Purpose(v1::ACCESS_PURPOSE_CRISIS_REVIEW);
  v1::TimelineResponse timeline;
  ASSERT_TRUE(Timeline(r, &timeline).ok());
  v1::EventEnvelope record = OnlyAccessAfter(before);
  EXPECT_EQ(record.actor(), kAnna);
  EXPECT_EQ(ToTime(record.recorded_at()), At(20, 0));
  const v1::SensitiveDataAccessed& access =
      record.payload().sensitive_data_accessed();
  EXPECT_FALSE(access.access_id().empty());
  EXPECT_EQ(access.kind(), v1::ACCESS_KIND_TIMELINE);
  EXPECT_THAT(access.query(), HasSubstr(kCitizen));
  EXPECT_THAT(access.citizen_refs(), ElementsAre(kCitizen));
  EXPECT_EQ(access.event_count(), 7u);
  EXPECT_EQ(timeline.events_size(), 7);
  EXPECT_EQ(access.purpose(), v1::ACCESS_PURPOSE_CRISIS_REVIEW);
  EXPECT_EQ(access.sensitive().reason(), kReason);

  // A line's timeline names both citizens on it; an auditor may read.
  before = server_.store().LastPosition();
  r.set_line_id(kCentral);
  *r.mutable_access() = Purpose(v1::ACCESS_PURPOSE_OTHER, "stikprøve");
  ASSERT_TRUE(Timeline(r, &timeline, kAuditor).ok());
  record = OnlyAccessAfter(before);
  EXPECT_EQ(record.actor(), kAuditor);
  EXPECT_THAT(record.payload().sensitive_data_accessed().citizen_refs(),
              ElementsAre(kCitizen, kOtherCitizen));
  EXPECT_EQ(record.payload().sensitive_data_accessed().event_count(), 8u);
  EXPECT_EQ(record.payload().sensitive_data_accessed().purpose(),
            v1::ACCESS_PURPOSE_OTHER);
  EXPECT_EQ(record.payload().sensitive_data_accessed().sensitive().reason(),
            "stikprøve");

  // An anonymous call's timeline names no citizen, and is still recorded.
  before = server_.store().LastPosition();
  r.set_call_id(e.call_c);
  ASSERT_TRUE(Timeline(r, &timeline).ok());
  record = OnlyAccessAfter(before);
  EXPECT_THAT(record.payload().sensitive_data_accessed().citizen_refs(),
              IsEmpty());
  EXPECT_EQ(record.payload().sensitive_data_accessed().event_count(), 1u);

  // The board at 19:22: call A and its escalation, not yet call B.
  before = server_.store().LastPosition();
  v1::Board board;
  ASSERT_TRUE(BoardAt(kCentral, At(19, 22), &board).ok());
  record = OnlyAccessAfter(before);
  EXPECT_EQ(record.actor(), kAnna);
  EXPECT_EQ(record.payload().sensitive_data_accessed().kind(),
            v1::ACCESS_KIND_BOARD_AT);
  EXPECT_THAT(record.payload().sensitive_data_accessed().query(),
              HasSubstr(kCentral));
  EXPECT_THAT(record.payload().sensitive_data_accessed().citizen_refs(),
              ElementsAre(kCitizen));
  EXPECT_EQ(record.payload().sensitive_data_accessed().event_count(), 5u);
  EXPECT_EQ(record.payload().sensitive_data_accessed().purpose(),
            v1::ACCESS_PURPOSE_CRISIS_REVIEW);
}

TEST_F(AuditServiceTest, ReviewExportIsRecordedAsOneAccess) {
  const Evening e = PlayEvening();
  const uint64_t before = server_.store().LastPosition();
  v1::ExportReviewRequest review;
  review.set_call_id(e.call_a);
  review.set_format(v1::REVIEW_FORMAT_JSON);
  *review.mutable_access() = Purpose(v1::ACCESS_PURPOSE_CRISIS_REVIEW);
  v1::ExportReviewResponse exported;
  grpc::Status s = audit_->ExportReview(ServiceTestServer::As(kAnna).get(),
                                        review, &exported);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const v1::EventEnvelope record = OnlyAccessAfter(before);
  const v1::SensitiveDataAccessed& access =
      record.payload().sensitive_data_accessed();
  EXPECT_EQ(record.actor(), kAnna);
  EXPECT_EQ(access.kind(), v1::ACCESS_KIND_REVIEW_EXPORT);
  EXPECT_THAT(access.query(), HasSubstr(e.call_a));
  EXPECT_THAT(access.citizen_refs(), ElementsAre(kCitizen));
  EXPECT_GT(access.event_count(), 0u);
  EXPECT_EQ(access.purpose(), v1::ACCESS_PURPOSE_CRISIS_REVIEW);
  EXPECT_EQ(access.sensitive().reason(), kReason);
}

TEST_F(AuditServiceTest, AccessesShowInTheCitizensAndTheReadersTimelines) {
  const Evening e = PlayEvening();
  v1::TimelineRequest r;
  *r.mutable_access() = Purpose(v1::ACCESS_PURPOSE_AUDIT);
  r.set_call_id(e.call_a);
  v1::TimelineResponse response;
  ASSERT_TRUE(Timeline(r, &response, kAuditor).ok());
  const uint64_t looked = server_.store().LastPosition();

  // Who looked at her data: the auditor's read is the last of her events.
  r.set_citizen_ref(kCitizen);
  std::vector<uint64_t> citizen = Positions(r);
  ASSERT_FALSE(citizen.empty());
  EXPECT_EQ(citizen.back(), looked);
  EXPECT_EQ(citizen.size(), 8u);  // her 7 events and the read

  // What the auditor looked at: their one read, of the call.
  r.set_worker_id(kAuditor);
  v1::TimelineResponse reads;
  ASSERT_TRUE(Timeline(r, &reads).ok());
  ASSERT_EQ(reads.events_size(), 1);
  EXPECT_EQ(reads.events(0).global_position(), looked);
  EXPECT_EQ(reads.events(0).actor(), kAuditor);

  // Another citizen's timeline does not show it.
  r.set_citizen_ref(kOtherCitizen);
  EXPECT_THAT(Positions(r), ElementsAre(e.received_b));
}

TEST_F(AuditServiceTest, BoardReadsAndVerifyRecordNothing) {
  PlayEvening();
  const uint64_t before = server_.store().LastPosition();
  auto oncall = v1::OnCallService::NewStub(server_.channel());
  v1::GetBoardRequest get;
  get.set_line_id(kCentral);
  v1::Board board;
  ASSERT_TRUE(
      oncall->GetBoard(ServiceTestServer::As(kAnna).get(), get, &board).ok());

  v1::VerifyResponse verified;
  grpc::Status s = audit_->Verify(ServiceTestServer::As(kAuditor).get(),
                                  v1::VerifyRequest(), &verified);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(verified.ok()) << verified.problem();
  EXPECT_EQ(verified.events_checked(), before);
  EXPECT_EQ(verified.first_bad_position(), 0u);
  EXPECT_THAT(AppendedAfter(before), IsEmpty());

  // After reads were recorded, Verify checks them too.
  v1::TimelineResponse response;
  v1::TimelineRequest r;
  *r.mutable_access() = Purpose(v1::ACCESS_PURPOSE_AUDIT);
  ASSERT_TRUE(Timeline(r, &response).ok());
  s = audit_->Verify(ServiceTestServer::As(kAnna).get(), v1::VerifyRequest(),
                     &verified);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(verified.ok()) << verified.problem();
  EXPECT_EQ(verified.events_checked(), server_.store().LastPosition());
  EXPECT_EQ(verified.events_checked(), before + 1);
}

struct BadRead {
  const char* name;
  std::function<grpc::Status(v1::AuditService::Stub&)> read;
  grpc::StatusCode code;
  const char* names;  // what the message must name; empty: anything
};

v1::TimelineRequest ValidTimeline() {
  v1::TimelineRequest r;
  r.set_citizen_ref(kCitizen);
  *r.mutable_access() = Purpose(v1::ACCESS_PURPOSE_CRISIS_REVIEW);
  return r;
}

std::function<grpc::Status(v1::AuditService::Stub&)> TimelineAs(
    const std::string& actor, v1::TimelineRequest r) {
  return [actor, r](v1::AuditService::Stub& audit) {
    v1::TimelineResponse response;
    grpc::Status s =
        audit.Timeline(ServiceTestServer::As(actor).get(), r, &response);
    if (!s.ok()) {
      EXPECT_EQ(response.events_size(), 0);
    }
    return s;
  };
}

std::function<grpc::Status(v1::AuditService::Stub&)> BoardAtAs(
    const std::string& actor, v1::BoardAtRequest r) {
  return [actor, r](v1::AuditService::Stub& audit) {
    v1::Board board;
    return audit.BoardAt(ServiceTestServer::As(actor).get(), r, &board);
  };
}

std::vector<BadRead> BadReads() {
  using grpc::StatusCode;
  std::vector<BadRead> bad;
  v1::TimelineRequest r = ValidTimeline();
  r.clear_access();
  bad.push_back({"timeline without purpose", TimelineAs(kAnna, r),
                 StatusCode::INVALID_ARGUMENT, "access.purpose"});
  r = ValidTimeline();
  r.mutable_access()->set_purpose(v1::ACCESS_PURPOSE_OTHER);
  r.mutable_access()->clear_reason();
  bad.push_back({"OTHER without reason", TimelineAs(kAnna, r),
                 StatusCode::INVALID_ARGUMENT, "access.reason"});
  r = ValidTimeline();
  r.set_page_size(1001);
  bad.push_back({"page_size 1001", TimelineAs(kAnna, r),
                 StatusCode::INVALID_ARGUMENT, "page_size"});
  r = ValidTimeline();
  r.set_page_token("page-3");
  bad.push_back({"made-up page_token", TimelineAs(kAnna, r),
                 StatusCode::INVALID_ARGUMENT, "page_token"});
  r.set_page_token("after:three");
  bad.push_back({"malformed page_token", TimelineAs(kAnna, r),
                 StatusCode::INVALID_ARGUMENT, "page_token"});
  r = ValidTimeline();
  *r.mutable_from() = ToTimestamp(At(19, 30));
  *r.mutable_to() = ToTimestamp(At(19, 0));
  bad.push_back({"from after to", TimelineAs(kAnna, r),
                 StatusCode::INVALID_ARGUMENT, "to:"});
  r = ValidTimeline();
  r.set_citizen_ref("");
  bad.push_back({"empty citizen_ref", TimelineAs(kAnna, r),
                 StatusCode::INVALID_ARGUMENT, "citizen_ref"});
  bad.push_back({"partner reads a timeline",
                 TimelineAs("partner:night", ValidTimeline()),
                 StatusCode::PERMISSION_DENIED, ""});
  bad.push_back({"system reads a timeline",
                 TimelineAs("system:escalation-timer", ValidTimeline()),
                 StatusCode::PERMISSION_DENIED, ""});
  bad.push_back({"no actor", TimelineAs("", ValidTimeline()),
                 StatusCode::UNAUTHENTICATED, ""});

  v1::BoardAtRequest b;
  b.set_line_id(kCentral);
  *b.mutable_access() = Purpose(v1::ACCESS_PURPOSE_CRISIS_REVIEW);
  bad.push_back({"BoardAt without at", BoardAtAs(kAnna, b),
                 StatusCode::INVALID_ARGUMENT, "at:"});
  *b.mutable_at() = ToTimestamp(At(19, 20));
  bad.push_back({"partner reads a past board", BoardAtAs("partner:night", b),
                 StatusCode::PERMISSION_DENIED, ""});
  b.clear_access();
  bad.push_back({"BoardAt without purpose", BoardAtAs(kAnna, b),
                 StatusCode::INVALID_ARGUMENT, "access.purpose"});
  *b.mutable_access() = Purpose(v1::ACCESS_PURPOSE_AUDIT);
  b.set_line_id("");
  bad.push_back({"BoardAt without line_id", BoardAtAs(kAnna, b),
                 StatusCode::INVALID_ARGUMENT, "line_id"});
  b.set_line_id("no-such-line");
  bad.push_back({"BoardAt of an unknown line", BoardAtAs(kAnna, b),
                 StatusCode::NOT_FOUND, "line_id"});
  bad.push_back({"partner verifies",
                 [](v1::AuditService::Stub& audit) {
                   v1::VerifyResponse response;
                   return audit.Verify(
                       ServiceTestServer::As("partner:night").get(),
                       v1::VerifyRequest(), &response);
                 },
                 StatusCode::PERMISSION_DENIED, ""});
  return bad;
}

TEST_F(AuditServiceTest, BadReadsAreRefusedAndRecordNothing) {
  PlayEvening();
  for (const BadRead& bad : BadReads()) {
    SCOPED_TRACE(bad.name);
    const uint64_t before = server_.store().LastPosition();
    const grpc::Status s = bad.read(*audit_);
    EXPECT_EQ(s.error_code(), bad.code) << s.error_message();
    EXPECT_THAT(s.error_message(), HasSubstr(bad.names));
    EXPECT_THAT(s.error_message(), Not(HasSubstr(kCitizen)));
    // Only a refusal of the gate's own is recorded, as such.
    std::vector<v1::AccessRefused> refusals;
    EXPECT_THAT(server_.AppendedAfter(before, &refusals), IsEmpty());
    const bool by_gate = bad.code == grpc::StatusCode::PERMISSION_DENIED ||
                         bad.code == grpc::StatusCode::UNAUTHENTICATED;
    EXPECT_EQ(refusals.size(), by_gate ? 1u : 0u);
  }

  // Any auditor id may read, and the read is recorded.
  const uint64_t before = server_.store().LastPosition();
  const grpc::Status s = TimelineAs("worker:xyz", ValidTimeline())(*audit_);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(OnlyAccessAfter(before).actor(), "worker:xyz");
}

TEST_F(AuditServiceTest, BoardAtShowsTheLineBetweenTwoCommands) {
  const Evening e = PlayEvening();

  // 19:17: after the escalation (19:15), before bo acknowledged (19:20).
  v1::Board board = BoardAtOk(kCentral, At(19, 17));
  EXPECT_EQ(board.state(), v1::LINE_STATE_HELD);
  EXPECT_EQ(board.holder().id(), kAnna);
  EXPECT_EQ(ToTime(board.as_of()), At(19, 17));
  EXPECT_EQ(board.as_of_position(), e.raised);
  EXPECT_EQ(board.last_position(), e.raised);
  EXPECT_EQ(board.event_count(), 4u);
  ASSERT_EQ(board.open_calls_size(), 1);
  EXPECT_EQ(board.open_calls(0).call_id(), e.call_a);
  EXPECT_EQ(board.open_calls(0).latest_risk(), v1::RISK_LEVEL_HIGH);
  EXPECT_EQ(board.open_calls(0).age_seconds(), 12 * 60);
  ASSERT_EQ(board.running_escalations_size(), 1);
  EXPECT_EQ(board.running_escalations(0).status(),
            v1::ESCALATION_STATUS_AWAITING_ACK);
  EXPECT_FALSE(board.running_escalations(0).deadline_passed());
  EXPECT_THAT(board.alerts(), IsEmpty());

  // At the very instant of a command, the board includes it.
  board = BoardAtOk(kCentral, At(19, 20));
  ASSERT_EQ(board.running_escalations_size(), 1);
  EXPECT_EQ(board.running_escalations(0).status(),
            v1::ESCALATION_STATUS_ACKNOWLEDGED);
  EXPECT_EQ(board.as_of_position(), e.acknowledged);

  // 19:32: the escalation resolved, both calls still open.
  board = BoardAtOk(kCentral, At(19, 32));
  EXPECT_THAT(board.running_escalations(), IsEmpty());
  ASSERT_EQ(board.open_calls_size(), 2);
  EXPECT_EQ(board.open_calls(0).call_id(), e.call_a);
  EXPECT_EQ(board.open_calls(1).call_id(), e.call_b);

  // Events on other lines do not change this line's past boards.
  board = BoardAtOk(kCentral, At(19, 52));
  EXPECT_EQ(board.last_position(), e.closed_a);
  EXPECT_EQ(board.as_of_position(), e.received_c);
  EXPECT_EQ(board.open_calls_size(), 1);

  // Before anything happened on the line: nobody was responsible.
  board = BoardAtOk(kCentral, At(18, 59));
  EXPECT_EQ(board.state(), v1::LINE_STATE_UNCOVERED);
  EXPECT_TRUE(board.nobody_responsible());
  EXPECT_EQ(board.event_count(), 0u);
  ASSERT_GE(board.alerts_size(), 1);
  EXPECT_THAT(board.alerts(0), HasSubstr("NOBODY IS RESPONSIBLE"));

  // vest before carl took it, while central was already held.
  board = BoardAtOk(kVest, At(19, 44));
  EXPECT_EQ(board.state(), v1::LINE_STATE_UNCOVERED);
  EXPECT_TRUE(board.nobody_responsible());
}

// ---------------------------------------------------------------------------
// A store that refuses appends: every service on a store whose write-ahead
// log stops syncing on demand.

class AuditOnRefusingStoreTest : public ::testing::Test {
 protected:
  std::shared_ptr<FaultyFileSystem> fs_ = std::make_shared<FaultyFileSystem>();
  std::unique_ptr<rocksdb::Env> env_ = rocksdb::NewCompositeEnv(fs_);
  // Declared last: shut down before the file system it writes through.
  ServiceTestServer server_{env_.get()};
};

TEST_F(AuditOnRefusingStoreTest, ReadThatCannotBeRecordedReturnsNothing) {
  DutyCommands duty(server_.channel());
  duty.TakeLine(kCentral, kAnna);
  const Created call = duty.ReceiveCall(kCentral, kAnna, kCitizen);
  ASSERT_NE(call.position, 0u);
  auto audit = v1::AuditService::NewStub(server_.channel());

  fs_->Inject(WalFault::kSync);
  const uint64_t before = server_.store().LastPosition();
  v1::TimelineRequest r = ValidTimeline();
  v1::TimelineResponse response;
  grpc::Status s =
      audit->Timeline(ServiceTestServer::As(kAnna).get(), r, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_THAT(s.error_message(), Not(HasSubstr(kCitizen)));
  EXPECT_THAT(response.events(), IsEmpty());
  EXPECT_EQ(server_.store().LastPosition(), before);

  // The store keeps refusing; so does every recorded read.
  s = audit->Timeline(ServiceTestServer::As(kAnna).get(), r, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(response.events(), IsEmpty());
  v1::BoardAtRequest b;
  b.set_line_id(kCentral);
  *b.mutable_at() = ToTimestamp(server_.clock().Now());
  *b.mutable_access() = Purpose(v1::ACCESS_PURPOSE_CRISIS_REVIEW);
  v1::Board board;
  s = audit->BoardAt(ServiceTestServer::As(kAnna).get(), b, &board);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(board.open_calls(), IsEmpty());
  EXPECT_EQ(server_.store().LastPosition(), before);
}

}  // namespace
}  // namespace vagt
