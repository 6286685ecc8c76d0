// The relationship rules (services/common/scope.h) through the real
// services: an unregistered line is refused naming it; a team acts on its
// own lines only; a partner on the lines of the teams that work with it,
// and there only on what is aimed at it. Each refusal is PERMISSION_DENIED
// naming the right and is recorded in the trail; nothing else changes.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "eventstore/timestamps.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/services/duty_commands.h"
#include "tests/services/service_test_server.h"
#include "tests/support/test_roles.h"
#include "vagt/v1/audit.grpc.pb.h"
#include "vagt/v1/calls.grpc.pb.h"
#include "vagt/v1/escalations.grpc.pb.h"
#include "vagt/v1/lines.grpc.pb.h"
#include "vagt/v1/oncall.grpc.pb.h"

namespace vagt {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;
using ::vagt::testing::Created;
using ::vagt::testing::DutyCommands;
using ::vagt::testing::kOtherLine;
using ::vagt::testing::kOtherTeamWorker;
using ::vagt::testing::kStrangerPartner;
using ::vagt::testing::ServiceTestServer;

constexpr char kLine[] = "ishoj-bos";
constexpr char kAnna[] = "worker:anna";
constexpr char kNight[] = "partner:natteravnen";
constexpr char kEmergency[] = "partner:akuttilbud";
constexpr char kAuditor[] = "worker:tilsyn";
constexpr char kCitizen[] = "citizen-7f3a";

class RelationshipTest : public ::testing::Test {
 protected:
  grpc::Status Receive(const std::string& actor, const std::string& line,
                       const std::string& request_id = "receive") {
    v1::ReceiveCallRequest r;
    r.set_request_id(request_id);
    r.set_line_id(line);
    r.set_caller_kind(v1::CALLER_KIND_RELATIVE);
    r.set_channel(v1::CONTACT_CHANNEL_PHONE);
    v1::ReceiveCallResponse response;
    return calls_->ReceiveCall(ServiceTestServer::As(actor).get(), r,
                               &response);
  }

  grpc::Status Board(const std::string& actor, const std::string& line,
                     v1::Board* board) {
    v1::GetBoardRequest r;
    r.set_line_id(line);
    return oncall_->GetBoard(ServiceTestServer::As(actor).get(), r, board);
  }

  // Expects PERMISSION_DENIED naming `right` and the line, recorded once in
  // the trail as `actor`'s, and nothing else appended since `before`.
  void ExpectDenied(const grpc::Status& s, uint64_t before,
                    const std::string& right, const std::string& actor) {
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << s.error_message();
    EXPECT_THAT(s.error_message(),
                HasSubstr(absl::StrCat("needs the right '", right, "'")));
    std::vector<v1::AccessRefused> refusals;
    EXPECT_THAT(server_.AppendedAfter(before, &refusals), IsEmpty());
    ASSERT_EQ(refusals.size(), 1u);
    EXPECT_EQ(refusals[0].kind(), v1::REFUSAL_KIND_PERMISSION_DENIED);
    EXPECT_EQ(refusals[0].right(), right);
    EXPECT_EQ(refusals[0].reason(), s.error_message());
    // The refusal is recorded as the caller's.
    auto events = server_.store().ReadAll(before + 1, 10);
    ASSERT_TRUE(events.ok());
    ASSERT_EQ(events->size(), 1u);
    EXPECT_EQ(events->front().actor(), actor);
  }

  ServiceTestServer server_;
  DutyCommands duty_{server_.channel()};
  std::unique_ptr<v1::CallService::Stub> calls_ =
      v1::CallService::NewStub(server_.channel());
  std::unique_ptr<v1::LineService::Stub> lines_ =
      v1::LineService::NewStub(server_.channel());
  std::unique_ptr<v1::EscalationService::Stub> escalations_ =
      v1::EscalationService::NewStub(server_.channel());
  std::unique_ptr<v1::EscalationPolicyService::Stub> policies_ =
      v1::EscalationPolicyService::NewStub(server_.channel());
  std::unique_ptr<v1::OnCallService::Stub> oncall_ =
      v1::OnCallService::NewStub(server_.channel());
  std::unique_ptr<v1::AuditService::Stub> audit_ =
      v1::AuditService::NewStub(server_.channel());
};

TEST_F(RelationshipTest, UnregisteredLineIsRefusedNamingItAndOpensNothing) {
  const uint64_t before = server_.store().LastPosition();
  grpc::Status s = Receive(kAnna, "ishoj-bs");  // a typo
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(),
              HasSubstr("\"ishoj-bs\" is not a registered line"));

  v1::TakeLineRequest take;
  take.set_request_id("take");
  take.set_line_id("ishoj-bs");
  take.set_reason(v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED);
  v1::CommandResult result;
  s = lines_->TakeLine(ServiceTestServer::As(kAnna).get(), take, &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("ishoj-bs"));

  v1::GetPolicyRequest policy;
  policy.set_line_id("ishoj-bs");
  v1::GetPolicyResponse got;
  s = policies_->GetPolicy(ServiceTestServer::As(kAnna).get(), policy, &got);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);

  v1::Board board;
  EXPECT_EQ(Board(kAnna, "ishoj-bs", &board).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(server_.store().LastPosition(), before);
}

TEST_F(RelationshipTest, TeamActsOnItsOwnLinesOnly) {
  // Vera works in the other team: its line is hers, this one is not.
  uint64_t before = server_.store().LastPosition();
  ExpectDenied(Receive(kOtherTeamWorker, kLine), before, "log-calls",
               kOtherTeamWorker);
  EXPECT_TRUE(Receive(kOtherTeamWorker, kOtherLine, "vera-call").ok());

  before = server_.store().LastPosition();
  grpc::Status s = Receive(kAnna, kOtherLine, "anna-call");
  ExpectDenied(s, before, "log-calls", kAnna);
  EXPECT_THAT(s.error_message(),
              HasSubstr("on the line \"other-line\" (held by TEAM_WORKER, "
                        "INTEGRATION of the team \"other-team\""));

  // Commands on an existing call follow its line.
  const Created call = duty_.ReceiveCall(kLine, kAnna, kCitizen);
  v1::AddCallNoteRequest note;
  note.set_request_id("vera-note");
  note.set_call_id(call.id);
  note.set_text("ikke min linje");
  v1::CommandResult result;
  before = server_.store().LastPosition();
  ExpectDenied(calls_->AddNote(ServiceTestServer::As(kOtherTeamWorker).get(),
                               note, &result),
               before, "log-calls", kOtherTeamWorker);

  // Reading follows the same rule.
  v1::Board board;
  before = server_.store().LastPosition();
  ExpectDenied(Board(kOtherTeamWorker, kLine, &board), before, "read-board",
               kOtherTeamWorker);
}

TEST_F(RelationshipTest, PartnerActsOnlyForTeamsThatWorkWithIt) {
  duty_.TakeLine(kLine, kAnna);
  v1::Board board;
  EXPECT_TRUE(Board(kNight, kLine, &board).ok());
  const uint64_t before = server_.store().LastPosition();
  grpc::Status s = Board(kStrangerPartner, kLine, &board);
  ExpectDenied(s, before, "read-board", kStrangerPartner);
  EXPECT_THAT(s.error_message(), HasSubstr("a partner the team works with"));
}

TEST_F(RelationshipTest, PartnerSeesAndAnswersOnlyWhatIsAimedAtIt) {
  duty_.TakeLine(kLine, kAnna);
  const Created call = duty_.ReceiveCall(kLine, kAnna, kCitizen);
  v1::RaiseEscalationRequest raise;
  raise.set_request_id("raise");
  raise.set_call_id(call.id);
  raise.set_level(v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
  raise.mutable_target()->set_kind(v1::PARTY_KIND_SOCIAL_EMERGENCY_SERVICE);
  raise.mutable_target()->set_id(kEmergency);
  raise.set_urgency(v1::ESCALATION_URGENCY_URGENT);
  raise.mutable_details()->set_reason("har brug for et sted at sove");
  v1::RaiseEscalationResponse raised;
  grpc::Status s = escalations_->RaiseEscalation(
      ServiceTestServer::As(kAnna).get(), raise, &raised);
  ASSERT_TRUE(s.ok()) << s.error_message();

  // The team sees everything running on its line.
  v1::Board board;
  ASSERT_TRUE(Board(kAnna, kLine, &board).ok());
  EXPECT_EQ(board.open_calls_size(), 1);
  EXPECT_EQ(board.running_escalations_size(), 1);
  // The emergency service sees the escalation aimed at it, not the call.
  ASSERT_TRUE(Board(kEmergency, kLine, &board).ok());
  EXPECT_THAT(board.open_calls(), IsEmpty());
  ASSERT_EQ(board.running_escalations_size(), 1);
  EXPECT_EQ(board.running_escalations(0).target().id(), kEmergency);
  // The night partner sees neither.
  ASSERT_TRUE(Board(kNight, kLine, &board).ok());
  EXPECT_THAT(board.open_calls(), IsEmpty());
  EXPECT_THAT(board.running_escalations(), IsEmpty());

  // Only the partner it is aimed at answers it; the other is refused.
  v1::AcknowledgeEscalationRequest ack;
  ack.set_request_id("night-ack");
  ack.set_escalation_id(raised.escalation_id());
  v1::CommandResult result;
  const uint64_t before = server_.store().LastPosition();
  ExpectDenied(escalations_->Acknowledge(ServiceTestServer::As(kNight).get(),
                                         ack, &result),
               before, "answer-escalations", kNight);
  ack.set_request_id("emergency-ack");
  EXPECT_TRUE(
      escalations_
          ->Acknowledge(ServiceTestServer::As(kEmergency).get(), ack, &result)
          .ok());
}

TEST_F(RelationshipTest, AuditorReadsEveryLineATeamLeaderHisTeamsOnly) {
  duty_.TakeLine(kOtherLine, kOtherTeamWorker);
  server_.clock().Advance(absl::Minutes(1));
  v1::BoardAtRequest r;
  r.set_line_id(kOtherLine);
  *r.mutable_at() = ToTimestamp(server_.clock().Now());
  r.mutable_access()->set_purpose(v1::ACCESS_PURPOSE_CRISIS_REVIEW);
  r.mutable_access()->set_reason("gennemgang");
  v1::Board board;
  grpc::Status s =
      audit_->BoardAt(ServiceTestServer::As(kAuditor).get(), r, &board);
  EXPECT_TRUE(s.ok()) << s.error_message();
  // Anna leads her own team, not the other.
  const uint64_t before = server_.store().LastPosition();
  ExpectDenied(audit_->BoardAt(ServiceTestServer::As(kAnna).get(), r, &board),
               before, "read-trail", kAnna);
}

// A team leader reads the trail of the calls and escalations on his own
// team's lines; by a citizen, only what happened on those lines (and the
// citizen's own records). An auditor reads it all.
TEST_F(RelationshipTest, ATeamLeadersTrailOfACallOrACitizenIsHisTeamsOnly) {
  auto receive = [&](const std::string& actor, const std::string& line,
                     const std::string& request_id) {
    v1::ReceiveCallRequest r;
    r.set_request_id(request_id);
    r.set_line_id(line);
    r.set_caller_kind(v1::CALLER_KIND_CITIZEN);
    r.set_channel(v1::CONTACT_CHANNEL_PHONE);
    r.set_citizen_ref(kCitizen);
    v1::ReceiveCallResponse response;
    EXPECT_TRUE(
        calls_->ReceiveCall(ServiceTestServer::As(actor).get(), r, &response)
            .ok());
    return response.call_id();
  };
  const std::string own = receive(kAnna, kLine, "own-call");
  const std::string other = receive(kOtherTeamWorker, kOtherLine, "other");
  v1::AccessReason access;
  access.set_purpose(v1::ACCESS_PURPOSE_CRISIS_REVIEW);
  access.set_reason("gennemgang");
  auto timeline = [&](const std::string& actor, v1::TimelineRequest r,
                      v1::TimelineResponse* out) {
    *r.mutable_access() = access;
    return audit_->Timeline(ServiceTestServer::As(actor).get(), r, out);
  };
  auto streams_of = [](const v1::TimelineResponse& page) {
    std::vector<std::string> out;
    for (const auto& e : page.events()) {
      if (e.stream_id().starts_with("call-")) out.push_back(e.stream_id());
    }
    return out;
  };

  v1::TimelineRequest by_call;
  by_call.set_call_id(other);
  v1::TimelineResponse page;
  ASSERT_TRUE(timeline(kAuditor, by_call, &page).ok());
  EXPECT_THAT(streams_of(page), ElementsAre("call-" + other));
  uint64_t before = server_.store().LastPosition();
  ExpectDenied(timeline(kAnna, by_call, &page), before, "read-trail", kAnna);

  v1::ExportReviewRequest review;
  review.set_call_id(other);
  review.set_format(v1::REVIEW_FORMAT_JSON);
  *review.mutable_access() = access;
  v1::ExportReviewResponse exported;
  before = server_.store().LastPosition();
  ExpectDenied(audit_->ExportReview(ServiceTestServer::As(kAnna).get(), review,
                                    &exported),
               before, "read-trail", kAnna);

  v1::TimelineRequest by_citizen;
  by_citizen.set_citizen_ref(kCitizen);
  ASSERT_TRUE(timeline(kAuditor, by_citizen, &page).ok());
  EXPECT_THAT(streams_of(page),
              UnorderedElementsAre("call-" + own, "call-" + other));
  ASSERT_TRUE(timeline(kAnna, by_citizen, &page).ok());
  EXPECT_THAT(streams_of(page), ElementsAre("call-" + own));

  review.set_citizen_ref(kCitizen);
  ASSERT_TRUE(
      audit_
          ->ExportReview(ServiceTestServer::As(kAnna).get(), review, &exported)
          .ok());
  // The other team's call is not in the report; the reads of the citizen's
  // data are hers, so the auditor's read of it is listed.
  EXPECT_THAT(exported.content(), HasSubstr("Call " + own + " received"));
  EXPECT_THAT(exported.content(),
              Not(HasSubstr("Call " + other + " received")));
  ASSERT_TRUE(audit_
                  ->ExportReview(ServiceTestServer::As(kAuditor).get(), review,
                                 &exported)
                  .ok());
  EXPECT_THAT(exported.content(), HasSubstr("Call " + other + " received"));
}

}  // namespace
}  // namespace vagt
