// EscalationService through gRPC: every allowed and forbidden transition of
// the escalation's state machine (escalations.proto), who may answer, field
// validation, retries by request id, and two parties accepting at once.
#include <functional>
#include <latch>
#include <string>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/service_test_server.h"
#include "vagt/v1/calls.grpc.pb.h"
#include "vagt/v1/escalations.grpc.pb.h"

namespace vagt {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::vagt::testing::ServiceTestServer;

constexpr char kDutyWorker[] = "worker:anna";
constexpr char kBackup[] = "worker:bo";
constexpr char kNightPartner[] = "partner:natteravnen";
constexpr char kEmergencyService[] = "partner:akuttilbud";
constexpr char kCitizenReason[] = "truer med at skade sig selv";

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

// The escalation's states as the test reaches them, in the proto's terms.
enum class State {
  kNoSuchEscalation,
  kAwaitingAck,
  kAcknowledged,
  kAccepted,
  kResolved,
  kCancelled,
  kAwaitingAckAfterDecline,  // climbed to the night partner
};

const char* Name(State s) {
  switch (s) {
    case State::kNoSuchEscalation:
      return "no such escalation";
    case State::kAwaitingAck:
      return "AWAITING_ACK";
    case State::kAcknowledged:
      return "ACKNOWLEDGED";
    case State::kAccepted:
      return "ACCEPTED";
    case State::kResolved:
      return "RESOLVED";
    case State::kCancelled:
      return "CANCELLED";
    case State::kAwaitingAckAfterDecline:
      return "AWAITING_ACK (after a decline)";
  }
  return "?";
}

enum class Command { kAcknowledge, kAccept, kDecline, kResolve, kCancel };

const char* Name(Command c) {
  switch (c) {
    case Command::kAcknowledge:
      return "Acknowledge";
    case Command::kAccept:
      return "Accept";
    case Command::kDecline:
      return "Decline";
    case Command::kResolve:
      return "Resolve";
    case Command::kCancel:
      return "Cancel";
  }
  return "?";
}

class EscalationServiceTest : public ::testing::Test {
 protected:
  // Logs an open call from a known citizen on line "ishoj-bos".
  std::string OpenCall(const std::string& request_id) {
    v1::ReceiveCallRequest r;
    r.set_request_id(request_id);
    r.set_line_id("ishoj-bos");
    r.set_caller_kind(v1::CALLER_KIND_CITIZEN);
    r.set_citizen_ref("citizen-7f3a");
    r.set_channel(v1::CONTACT_CHANNEL_PHONE);
    v1::ReceiveCallResponse response;
    grpc::Status s = calls_->ReceiveCall(
        ServiceTestServer::As(kDutyWorker).get(), r, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.call_id();
  }

  grpc::Status CloseCall(const std::string& call_id) {
    v1::CloseCallRequest r;
    r.set_request_id(absl::StrCat("close-", call_id));
    r.set_call_id(call_id);
    r.set_outcome(v1::CALL_OUTCOME_RESOLVED_ON_CALL);
    v1::CommandResult result;
    return calls_->CloseCall(ServiceTestServer::As(kDutyWorker).get(), r,
                             &result);
  }

  // To the backup worker, urgent, with a reason.
  static v1::RaiseEscalationRequest ToBackup(const std::string& request_id,
                                             const std::string& call_id) {
    v1::RaiseEscalationRequest r;
    r.set_request_id(request_id);
    r.set_call_id(call_id);
    r.set_level(v1::ESCALATION_LEVEL_BACKUP);
    r.mutable_target()->set_id(kBackup);
    r.mutable_target()->set_display_name("Bo Hansen");
    r.set_urgency(v1::ESCALATION_URGENCY_URGENT);
    r.set_contact_channel(v1::CONTACT_CHANNEL_PHONE);
    r.mutable_details()->set_reason(kCitizenReason);
    return r;
  }

  grpc::Status Raise(const v1::RaiseEscalationRequest& r,
                     v1::RaiseEscalationResponse* response) {
    return escalations_->RaiseEscalation(
        ServiceTestServer::As(kDutyWorker).get(), r, response);
  }

  // Raises an escalation to the backup from a fresh call.
  std::string RaiseToBackup(const std::string& request_id) {
    const std::string call_id = OpenCall(absl::StrCat("call-", request_id));
    v1::RaiseEscalationResponse response;
    grpc::Status s = Raise(ToBackup(request_id, call_id), &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.escalation_id();
  }

  // Runs `command` as its natural party would: answers by `target` (the
  // current target), resolve and cancel by the duty worker. Declines climb
  // to the social emergency service.
  grpc::Status Run(Command command, const std::string& escalation_id,
                   const std::string& request_id, const std::string& target,
                   v1::CommandResult* result) {
    switch (command) {
      case Command::kAcknowledge: {
        v1::AcknowledgeEscalationRequest r;
        r.set_request_id(request_id);
        r.set_escalation_id(escalation_id);
        return escalations_->Acknowledge(ServiceTestServer::As(target).get(), r,
                                         result);
      }
      case Command::kAccept: {
        v1::AcceptEscalationRequest r;
        r.set_request_id(request_id);
        r.set_escalation_id(escalation_id);
        r.mutable_details()->set_note("kører derud nu");
        return escalations_->Accept(ServiceTestServer::As(target).get(), r,
                                    result);
      }
      case Command::kDecline:
        return Decline(escalation_id, request_id, target,
                       v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE,
                       kEmergencyService, result);
      case Command::kResolve: {
        v1::ResolveEscalationRequest r;
        r.set_request_id(request_id);
        r.set_escalation_id(escalation_id);
        r.mutable_details()->set_outcome("borgeren er faldet til ro");
        return escalations_->Resolve(ServiceTestServer::As(kDutyWorker).get(),
                                     r, result);
      }
      case Command::kCancel: {
        v1::CancelEscalationRequest r;
        r.set_request_id(request_id);
        r.set_escalation_id(escalation_id);
        r.mutable_details()->set_reason("borgeren ringede tilbage");
        return escalations_->Cancel(ServiceTestServer::As(kDutyWorker).get(), r,
                                    result);
      }
    }
    return grpc::Status(grpc::StatusCode::INTERNAL, "unknown command");
  }

  grpc::Status Decline(const std::string& escalation_id,
                       const std::string& request_id,
                       const std::string& declining,
                       v1::EscalationLevel next_level,
                       const std::string& next_target,
                       v1::CommandResult* result) {
    v1::DeclineEscalationRequest r;
    r.set_request_id(request_id);
    r.set_escalation_id(escalation_id);
    r.set_reason(v1::ESCALATION_DECLINE_REASON_NO_CAPACITY);
    r.set_next_level(next_level);
    r.mutable_next_target()->set_id(next_target);
    return escalations_->Decline(ServiceTestServer::As(declining).get(), r,
                                 result);
  }

  // A fresh escalation in `state`; its current target in `*target`.
  std::string Reach(State state, const std::string& name, std::string* target) {
    *target = kBackup;
    if (state == State::kNoSuchEscalation) return "no-such-escalation";
    const std::string id = RaiseToBackup(name);
    v1::CommandResult result;
    auto step = [&](Command c, const std::string& suffix) {
      grpc::Status s = Run(c, id, absl::StrCat(name, suffix), kBackup, &result);
      EXPECT_TRUE(s.ok()) << Name(c) << ": " << s.error_message();
    };
    switch (state) {
      case State::kNoSuchEscalation:
      case State::kAwaitingAck:
        break;
      case State::kAcknowledged:
        step(Command::kAcknowledge, "-ack");
        break;
      case State::kAccepted:
        step(Command::kAccept, "-accept");
        break;
      case State::kResolved:
        step(Command::kAcknowledge, "-ack");
        step(Command::kResolve, "-resolve");
        break;
      case State::kCancelled:
        step(Command::kCancel, "-cancel");
        break;
      case State::kAwaitingAckAfterDecline: {
        grpc::Status s =
            Decline(id, absl::StrCat(name, "-decline"), kBackup,
                    v1::ESCALATION_LEVEL_NIGHT_PARTNER, kNightPartner, &result);
        EXPECT_TRUE(s.ok()) << s.error_message();
        *target = kNightPartner;
        break;
      }
    }
    return id;
  }

  std::vector<v1::EventEnvelope> Stream(const std::string& escalation_id) {
    auto events = server_.store().ReadStream(
        absl::StrCat("escalation-", escalation_id), 1, 1000);
    EXPECT_TRUE(events.ok()) << events.status();
    return events.ok() ? *events : std::vector<v1::EventEnvelope>{};
  }

  ServiceTestServer server_;
  std::unique_ptr<v1::CallService::Stub> calls_ =
      v1::CallService::NewStub(server_.channel());
  std::unique_ptr<v1::EscalationService::Stub> escalations_ =
      v1::EscalationService::NewStub(server_.channel());
};

TEST_F(EscalationServiceTest, RaisedEscalationRecordsCallTargetAndDeadline) {
  const std::string call_id = OpenCall("call-1");
  v1::RaiseEscalationRequest request = ToBackup("esc-1", call_id);
  request.set_urgency(v1::ESCALATION_URGENCY_IMMEDIATE);
  v1::RaiseEscalationResponse response;
  grpc::Status s = Raise(request, &response);
  ASSERT_TRUE(s.ok()) << s.error_message();

  EXPECT_FALSE(response.escalation_id().empty());
  EXPECT_EQ(response.result().stream_id(),
            absl::StrCat("escalation-", response.escalation_id()));
  EXPECT_EQ(response.result().stream_version(), 1u);
  EXPECT_FALSE(response.result().replayed());

  std::vector<v1::EventEnvelope> events = Stream(response.escalation_id());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].actor(), kDutyWorker);
  const v1::EscalationRaised& raised = events[0].payload().escalation_raised();
  EXPECT_EQ(raised.escalation_id(), response.escalation_id());
  EXPECT_EQ(raised.call_id(), call_id);
  EXPECT_EQ(raised.line_id(), "ishoj-bos");
  EXPECT_EQ(raised.citizen_ref(), "citizen-7f3a");
  EXPECT_EQ(raised.level(), v1::ESCALATION_LEVEL_BACKUP);
  EXPECT_EQ(raised.target().id(), kBackup);
  EXPECT_EQ(raised.target().kind(), v1::PARTY_KIND_TEAM_WORKER);
  EXPECT_EQ(raised.target().display_name(), "Bo Hansen");
  EXPECT_EQ(raised.urgency(), v1::ESCALATION_URGENCY_IMMEDIATE);
  EXPECT_EQ(raised.contact_channel(), v1::CONTACT_CHANNEL_PHONE);
  EXPECT_EQ(raised.policy_version(), "vagt-escalation-policy-1");
  EXPECT_EQ(raised.sensitive().reason(), kCitizenReason);
  // The policy's default for an immediate escalation: five minutes.
  EXPECT_EQ(TimeOf(raised.ack_deadline()),
            ServiceTestServer::DefaultStart() + absl::Minutes(5));
}

TEST_F(EscalationServiceTest, DefaultAckDeadlineFollowsUrgency) {
  const std::string call_id = OpenCall("call-1");
  const std::pair<v1::EscalationUrgency, absl::Duration> cases[] = {
      {v1::ESCALATION_URGENCY_IMMEDIATE, absl::Minutes(5)},
      {v1::ESCALATION_URGENCY_URGENT, absl::Minutes(15)},
      {v1::ESCALATION_URGENCY_ROUTINE, absl::Minutes(60)},
  };
  for (const auto& [urgency, within] : cases) {
    SCOPED_TRACE(v1::EscalationUrgency_Name(urgency));
    v1::RaiseEscalationRequest request =
        ToBackup(v1::EscalationUrgency_Name(urgency), call_id);
    request.set_urgency(urgency);
    v1::RaiseEscalationResponse response;
    ASSERT_TRUE(Raise(request, &response).ok());
    EXPECT_EQ(TimeOf(Stream(response.escalation_id())[0]
                         .payload()
                         .escalation_raised()
                         .ack_deadline()),
              ServiceTestServer::DefaultStart() + within);
  }
}

TEST_F(EscalationServiceTest, AckDeadlineCanBeGivenAsInstantOrDuration) {
  const std::string call_id = OpenCall("call-1");
  const absl::Time now = ServiceTestServer::DefaultStart();

  v1::RaiseEscalationRequest at = ToBackup("esc-at", call_id);
  at.mutable_ack_deadline()->mutable_at()->set_seconds(
      absl::ToUnixSeconds(now + absl::Minutes(7)));
  v1::RaiseEscalationResponse response;
  ASSERT_TRUE(Raise(at, &response).ok());
  EXPECT_EQ(TimeOf(Stream(response.escalation_id())[0]
                       .payload()
                       .escalation_raised()
                       .ack_deadline()),
            now + absl::Minutes(7));

  v1::RaiseEscalationRequest within = ToBackup("esc-within", call_id);
  within.mutable_ack_deadline()->mutable_within()->set_seconds(120);
  ASSERT_TRUE(Raise(within, &response).ok());
  EXPECT_EQ(TimeOf(Stream(response.escalation_id())[0]
                       .payload()
                       .escalation_raised()
                       .ack_deadline()),
            now + absl::Minutes(2));
}

TEST_F(EscalationServiceTest, RaisingFromUnknownCallIsNotFound) {
  v1::RaiseEscalationResponse response;
  grpc::Status s = Raise(ToBackup("esc-1", "no-such-call"), &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("call_id"));
  EXPECT_EQ(server_.appended(), 0u);
}

TEST_F(EscalationServiceTest, RaisingFromClosedCallIsFailedPrecondition) {
  const std::string call_id = OpenCall("call-1");
  ASSERT_TRUE(CloseCall(call_id).ok());
  const uint64_t before = server_.store().LastPosition();
  v1::RaiseEscalationResponse response;
  grpc::Status s = Raise(ToBackup("esc-1", call_id), &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("closed"));
  EXPECT_EQ(server_.store().LastPosition(), before);
}

TEST_F(EscalationServiceTest, RaiseWithMissingOrBadFieldNamesTheField) {
  const std::string call_id = OpenCall("call-1");
  const uint64_t before = server_.store().LastPosition();
  struct Case {
    const char* field;
    std::function<void(v1::RaiseEscalationRequest&)> spoil;
  };
  const Case cases[] = {
      {"request_id", [](auto& r) { r.clear_request_id(); }},
      {"call_id", [](auto& r) { r.clear_call_id(); }},
      {"level", [](auto& r) { r.clear_level(); }},
      {"target.id", [](auto& r) { r.mutable_target()->clear_id(); }},
      {"target.kind",
       [](auto& r) { r.mutable_target()->set_kind(v1::PARTY_KIND_POLICE); }},
      {"urgency", [](auto& r) { r.clear_urgency(); }},
      {"details.reason", [](auto& r) { r.mutable_details()->clear_reason(); }},
      {"details.reason",
       [](auto& r) {
         r.mutable_details()->set_reason(std::string(9000, 'x'));
       }},
      {"ack_deadline.within",
       [](auto& r) {
         r.mutable_ack_deadline()->mutable_within()->set_seconds(-60);
       }},
      {"ack_deadline.within",
       [](auto& r) {
         r.mutable_ack_deadline()->mutable_within()->set_seconds(2 * 86400);
       }},
      {"ack_deadline.at",
       [](auto& r) {
         r.mutable_ack_deadline()->mutable_at()->set_seconds(
             absl::ToUnixSeconds(ServiceTestServer::DefaultStart()) - 60);
       }},
  };
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    v1::RaiseEscalationRequest request =
        ToBackup(absl::StrCat("esc-", ++n), call_id);
    c.spoil(request);
    v1::RaiseEscalationResponse response;
    grpc::Status s = Raise(request, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr(c.field));
    EXPECT_THAT(s.error_message(), Not(HasSubstr(kCitizenReason)));
  }
  EXPECT_EQ(server_.store().LastPosition(), before);
}

// From each state, each command: the expected code, the event appended when
// allowed, and nothing appended when refused.
TEST_F(EscalationServiceTest, EveryTransitionIsAllowedOrRefusedAsDocumented) {
  using Code = grpc::StatusCode;
  constexpr Code OK = Code::OK;
  constexpr Code FP = Code::FAILED_PRECONDITION;
  constexpr Code NF = Code::NOT_FOUND;
  struct Row {
    State from;
    // Acknowledge, Accept, Decline, Resolve, Cancel.
    Code expected[5];
  };
  const Row table[] = {
      {State::kNoSuchEscalation, {NF, NF, NF, NF, NF}},
      {State::kAwaitingAck, {OK, OK, OK, FP, OK}},
      {State::kAcknowledged, {FP, OK, OK, OK, OK}},
      {State::kAccepted, {FP, FP, FP, OK, OK}},
      {State::kResolved, {FP, FP, FP, FP, FP}},
      {State::kCancelled, {FP, FP, FP, FP, FP}},
      {State::kAwaitingAckAfterDecline, {OK, OK, OK, FP, OK}},
  };
  const v1::EventPayload::EventCase appended[] = {
      v1::EventPayload::kEscalationAcknowledged,
      v1::EventPayload::kEscalationAccepted,
      v1::EventPayload::kEscalationDeclined,
      v1::EventPayload::kEscalationResolved,
      v1::EventPayload::kEscalationCancelled,
  };
  int n = 0;
  for (const Row& row : table) {
    for (int i = 0; i < 5; ++i) {
      const Command command = static_cast<Command>(i);
      SCOPED_TRACE(absl::StrCat(Name(row.from), " --", Name(command), "-->"));
      const std::string name = absl::StrCat("t", ++n);
      std::string target;
      const std::string id = Reach(row.from, name, &target);
      const uint64_t before = server_.store().LastPosition();
      const size_t events_before = Stream(id).size();
      v1::CommandResult result;
      grpc::Status s =
          Run(command, id, absl::StrCat(name, "-cmd"), target, &result);
      EXPECT_EQ(s.error_code(), row.expected[i]) << s.error_message();
      std::vector<v1::EventEnvelope> events = Stream(id);
      if (row.expected[i] == OK) {
        ASSERT_EQ(events.size(), events_before + 1);
        EXPECT_EQ(events.back().payload().event_case(), appended[i]);
        EXPECT_EQ(result.stream_version(), events.size());
        EXPECT_EQ(result.last_position(), server_.store().LastPosition());
      } else {
        EXPECT_EQ(server_.store().LastPosition(), before);
        EXPECT_THAT(s.error_message(), Not(HasSubstr(kCitizenReason)));
        if (row.expected[i] == FP) {
          EXPECT_THAT(s.error_message(), HasSubstr("allowed only in"));
        }
      }
    }
  }
}

TEST_F(EscalationServiceTest, AnswerFromPartyThatIsNotTheTargetIsRefused) {
  const std::string id = RaiseToBackup("esc-1");
  v1::CommandResult result;
  for (Command c :
       {Command::kAcknowledge, Command::kAccept, Command::kDecline}) {
    SCOPED_TRACE(Name(c));
    grpc::Status s =
        Run(c, id, absl::StrCat("other-", Name(c)), "worker:carl", &result);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_THAT(s.error_message(), HasSubstr("the caller"));
  }

  v1::AcknowledgeEscalationRequest on_behalf;
  on_behalf.set_request_id("behalf-wrong");
  on_behalf.set_escalation_id(id);
  on_behalf.set_on_behalf_of("worker:carl");
  grpc::Status s = escalations_->Acknowledge(
      ServiceTestServer::As(kDutyWorker).get(), on_behalf, &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("on_behalf_of"));
  EXPECT_EQ(Stream(id).size(), 1u);
}

TEST_F(EscalationServiceTest, DutyWorkerRecordsAcknowledgementOnTargetsBehalf) {
  const std::string id = RaiseToBackup("esc-1");
  v1::AcknowledgeEscalationRequest r;
  r.set_request_id("ack-1");
  r.set_escalation_id(id);
  r.set_level(v1::ESCALATION_LEVEL_BACKUP);
  r.set_on_behalf_of(kBackup);
  v1::CommandResult result;
  grpc::Status s = escalations_->Acknowledge(
      ServiceTestServer::As(kDutyWorker).get(), r, &result);
  ASSERT_TRUE(s.ok()) << s.error_message();
  std::vector<v1::EventEnvelope> events = Stream(id);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].actor(), kDutyWorker);
  const v1::EscalationAcknowledged& ack =
      events[1].payload().escalation_acknowledged();
  EXPECT_EQ(ack.level(), v1::ESCALATION_LEVEL_BACKUP);
  EXPECT_EQ(ack.acknowledged_by().id(), kBackup);
  EXPECT_EQ(ack.acknowledged_by().kind(), v1::PARTY_KIND_TEAM_WORKER);
  EXPECT_EQ(ack.citizen_ref(), "citizen-7f3a");
}

TEST_F(EscalationServiceTest, DeclineClimbsToNextTargetWithNewDeadline) {
  const std::string id = RaiseToBackup("esc-1");
  server_.clock().Advance(absl::Minutes(3));
  v1::CommandResult result;
  ASSERT_TRUE(Decline(id, "decline-1", kBackup,
                      v1::ESCALATION_LEVEL_NIGHT_PARTNER, kNightPartner,
                      &result)
                  .ok());
  std::vector<v1::EventEnvelope> events = Stream(id);
  ASSERT_EQ(events.size(), 2u);
  const v1::EscalationDeclined& declined =
      events[1].payload().escalation_declined();
  EXPECT_EQ(declined.from_level(), v1::ESCALATION_LEVEL_BACKUP);
  EXPECT_EQ(declined.declined_by().id(), kBackup);
  EXPECT_EQ(declined.reason(), v1::ESCALATION_DECLINE_REASON_NO_CAPACITY);
  EXPECT_EQ(declined.to_level(), v1::ESCALATION_LEVEL_NIGHT_PARTNER);
  EXPECT_EQ(declined.to_target().id(), kNightPartner);
  EXPECT_EQ(declined.to_target().kind(), v1::PARTY_KIND_NIGHT_PARTNER);
  // Urgent: fifteen minutes from the decline.
  EXPECT_EQ(TimeOf(declined.ack_deadline()),
            ServiceTestServer::DefaultStart() + absl::Minutes(3 + 15));

  // The backup is no longer the target; an answer for its level is stale.
  grpc::Status s = Run(Command::kAccept, id, "accept-bo", kBackup, &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  v1::AcceptEscalationRequest stale;
  stale.set_request_id("accept-stale");
  stale.set_escalation_id(id);
  stale.set_level(v1::ESCALATION_LEVEL_BACKUP);
  s = escalations_->Accept(ServiceTestServer::As(kNightPartner).get(), stale,
                           &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("level"));
  EXPECT_EQ(Stream(id).size(), 2u);

  ASSERT_TRUE(
      Run(Command::kAccept, id, "accept-night", kNightPartner, &result).ok());
  const v1::EscalationAccepted accepted =
      Stream(id)[2].payload().escalation_accepted();
  EXPECT_EQ(accepted.level(), v1::ESCALATION_LEVEL_NIGHT_PARTNER);
  EXPECT_EQ(accepted.accepted_by().id(), kNightPartner);
}

TEST_F(EscalationServiceTest, DeclineAtTopOfLadderGoesToAnotherPartySameLevel) {
  const std::string call_id = OpenCall("call-1");
  v1::RaiseEscalationRequest request = ToBackup("esc-1", call_id);
  request.set_level(v1::ESCALATION_LEVEL_POLICE);
  request.mutable_target()->set_id("partner:politi-1");
  v1::RaiseEscalationResponse raised;
  ASSERT_TRUE(Raise(request, &raised).ok());
  v1::CommandResult result;
  grpc::Status same =
      Decline(raised.escalation_id(), "decline-1", "partner:politi-1",
              v1::ESCALATION_LEVEL_POLICE, "partner:politi-1", &result);
  EXPECT_EQ(same.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(same.error_message(), HasSubstr("next_target.id"));
  EXPECT_TRUE(Decline(raised.escalation_id(), "decline-2", "partner:politi-1",
                      v1::ESCALATION_LEVEL_POLICE, "partner:politi-2", &result)
                  .ok());
}

// A decline that does not climb (or climbs down) would let the escalation
// go round between parties that each decline it.
TEST_F(EscalationServiceTest, DeclineMustClimbUnlessAtTheTopOfTheLadder) {
  std::string target;
  const std::string id = Reach(State::kAwaitingAckAfterDecline, "esc", &target);
  ASSERT_EQ(target, kNightPartner);
  const size_t before = Stream(id).size();
  v1::CommandResult result;
  const std::pair<v1::EscalationLevel, const char*> not_up[] = {
      {v1::ESCALATION_LEVEL_NIGHT_PARTNER, "partner:andet-natteravn"},
      {v1::ESCALATION_LEVEL_BACKUP, kBackup},
  };
  int n = 0;
  for (const auto& [level, next] : not_up) {
    SCOPED_TRACE(v1::EscalationLevel_Name(level));
    grpc::Status s = Decline(id, absl::StrCat("down-", ++n), kNightPartner,
                             level, next, &result);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr("next_level"));
  }
  EXPECT_EQ(Stream(id).size(), before);

  // At BACKUP, another backup worker is not a climb either.
  const std::string at_backup = RaiseToBackup("esc-backup");
  grpc::Status s = Decline(at_backup, "sideways", kBackup,
                           v1::ESCALATION_LEVEL_BACKUP, "worker:carl", &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("next_level"));
  EXPECT_EQ(Stream(at_backup).size(), 1u);

  ASSERT_TRUE(Decline(id, "up", kNightPartner, v1::ESCALATION_LEVEL_POLICE,
                      "partner:politi-1", &result)
                  .ok());
  EXPECT_EQ(Stream(id).back().payload().escalation_declined().to_level(),
            v1::ESCALATION_LEVEL_POLICE);
}

// The target that cancels ends the escalation without it climbing; it
// declines instead (or resolves what it accepted).
TEST_F(EscalationServiceTest, CurrentTargetMayNotCancelTheEscalation) {
  v1::CommandResult result;
  auto cancel = [&](const std::string& id, const std::string& actor) {
    v1::CancelEscalationRequest r;
    r.set_request_id(absl::StrCat("cancel-", id, "-", actor));
    r.set_escalation_id(id);
    r.mutable_details()->set_reason("har ikke tid");
    return escalations_->Cancel(ServiceTestServer::As(actor).get(), r, &result);
  };
  for (State state : {State::kAwaitingAck, State::kAcknowledged,
                      State::kAccepted, State::kAwaitingAckAfterDecline}) {
    SCOPED_TRACE(Name(state));
    std::string target;
    const std::string id =
        Reach(state, absl::StrCat("s", static_cast<int>(state)), &target);
    const size_t before = Stream(id).size();
    grpc::Status s = cancel(id, target);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_THAT(s.error_message(), HasSubstr("target"));
    EXPECT_EQ(Stream(id).size(), before);
    EXPECT_TRUE(cancel(id, kDutyWorker).ok());
  }
}

// on_behalf_of records an answer a party gave by phone; only a team worker
// (the duty worker) records one, never a partner for someone else.
TEST_F(EscalationServiceTest, OnlyATeamWorkerMayAnswerOnAnothersBehalf) {
  std::string target;
  const std::string id = Reach(State::kAwaitingAckAfterDecline, "esc", &target);
  v1::CommandResult result;
  for (const char* actor : {kEmergencyService, kNightPartner}) {
    SCOPED_TRACE(actor);
    v1::AcknowledgeEscalationRequest r;
    r.set_request_id(absl::StrCat("ack-", actor));
    r.set_escalation_id(id);
    r.set_on_behalf_of(kNightPartner);
    grpc::Status s = escalations_->Acknowledge(
        ServiceTestServer::As(actor).get(), r, &result);
    if (actor == target) {
      EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
      EXPECT_THAT(s.error_message(), HasSubstr("on_behalf_of"));
    } else {
      // A partner the escalation is not aimed at does not get that far.
      EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
      EXPECT_THAT(s.error_message(),
                  HasSubstr("needs the right 'answer-escalations'"));
    }
  }
  v1::DeclineEscalationRequest decline;
  decline.set_request_id("decline-behalf");
  decline.set_escalation_id(id);
  decline.set_on_behalf_of(kNightPartner);
  decline.set_reason(v1::ESCALATION_DECLINE_REASON_NO_CAPACITY);
  decline.set_next_level(v1::ESCALATION_LEVEL_POLICE);
  decline.mutable_next_target()->set_id("partner:politi-1");
  grpc::Status s = escalations_->Decline(
      ServiceTestServer::As(kNightPartner).get(), decline, &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("on_behalf_of"));
  EXPECT_EQ(Stream(id).size(), 2u);

  v1::AcceptEscalationRequest accept;
  accept.set_request_id("accept-behalf");
  accept.set_escalation_id(id);
  accept.set_on_behalf_of(kNightPartner);
  ASSERT_TRUE(
      escalations_
          ->Accept(ServiceTestServer::As(kDutyWorker).get(), accept, &result)
          .ok());
  EXPECT_EQ(
      Stream(id).back().payload().escalation_accepted().accepted_by().id(),
      kNightPartner);
}

TEST_F(EscalationServiceTest, TargetIdMustAgreeWithTheKindOfItsLevel) {
  const std::string call_id = OpenCall("call-1");
  const uint64_t before = server_.store().LastPosition();
  const std::pair<v1::EscalationLevel, const char*> mismatched[] = {
      {v1::ESCALATION_LEVEL_BACKUP, "partner:natpartner"},
      {v1::ESCALATION_LEVEL_NIGHT_PARTNER, kBackup},
      {v1::ESCALATION_LEVEL_POLICE, kDutyWorker},
  };
  int n = 0;
  for (const auto& [level, id] : mismatched) {
    SCOPED_TRACE(v1::EscalationLevel_Name(level));
    v1::RaiseEscalationRequest r = ToBackup(absl::StrCat("esc-", ++n), call_id);
    r.set_level(level);
    r.mutable_target()->set_id(id);
    v1::RaiseEscalationResponse response;
    grpc::Status s = Raise(r, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr("target.id"));
  }
  EXPECT_EQ(server_.store().LastPosition(), before);

  const std::string id = RaiseToBackup("esc-ok");
  v1::CommandResult result;
  grpc::Status s = Decline(id, "decline-1", kBackup,
                           v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE,
                           "worker:carl", &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("next_target.id"));
  EXPECT_EQ(Stream(id).size(), 1u);
}

TEST_F(EscalationServiceTest, CommandsWithMissingFieldsNameTheField) {
  const std::string id = RaiseToBackup("esc-1");
  const uint64_t before = server_.store().LastPosition();
  v1::CommandResult result;
  auto as_backup = [] { return ServiceTestServer::As(kBackup); };

  v1::AcknowledgeEscalationRequest ack;
  ack.set_request_id("ack-1");
  grpc::Status s = escalations_->Acknowledge(as_backup().get(), ack, &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("escalation_id"));

  struct DeclineCase {
    const char* field;
    std::function<void(v1::DeclineEscalationRequest&)> spoil;
  };
  const DeclineCase declines[] = {
      {"reason", [](auto& r) { r.clear_reason(); }},
      {"next_level", [](auto& r) { r.clear_next_level(); }},
      {"next_target.id", [](auto& r) { r.mutable_next_target()->clear_id(); }},
      {"next_target.id",
       [](auto& r) { r.mutable_next_target()->set_id(kBackup); }},
      {"next_target.kind",
       [](auto& r) {
         r.mutable_next_target()->set_kind(v1::PARTY_KIND_TEAM_WORKER);
       }},
      {"next_ack_deadline.within",
       [](auto& r) {
         r.mutable_next_ack_deadline()->mutable_within()->set_seconds(0);
       }},
  };
  int n = 0;
  for (const DeclineCase& c : declines) {
    SCOPED_TRACE(c.field);
    v1::DeclineEscalationRequest r;
    r.set_request_id(absl::StrCat("decline-", ++n));
    r.set_escalation_id(id);
    r.set_reason(v1::ESCALATION_DECLINE_REASON_OUTSIDE_MANDATE);
    r.set_next_level(v1::ESCALATION_LEVEL_NIGHT_PARTNER);
    r.mutable_next_target()->set_id(kNightPartner);
    c.spoil(r);
    s = escalations_->Decline(as_backup().get(), r, &result);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr(c.field));
  }

  ASSERT_TRUE(Run(Command::kAccept, id, "accept-1", kBackup, &result).ok());
  const uint64_t accepted = server_.store().LastPosition();
  EXPECT_EQ(accepted, before + 1);

  v1::ResolveEscalationRequest resolve;
  resolve.set_request_id("resolve-1");
  resolve.set_escalation_id(id);
  s = escalations_->Resolve(as_backup().get(), resolve, &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("details.outcome"));

  v1::CancelEscalationRequest cancel;
  cancel.set_request_id("cancel-1");
  cancel.set_escalation_id(id);
  s = escalations_->Cancel(ServiceTestServer::As(kDutyWorker).get(), cancel,
                           &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("details.reason"));
  EXPECT_EQ(server_.store().LastPosition(), accepted);
}

TEST_F(EscalationServiceTest, ResolvedByTheTargetOrByTheRecordingWorker) {
  const std::string by_target = RaiseToBackup("esc-1");
  const std::string by_worker = RaiseToBackup("esc-2");
  v1::CommandResult result;
  for (const std::string& id : {by_target, by_worker}) {
    ASSERT_TRUE(
        Run(Command::kAccept, id, id + "-accept", kBackup, &result).ok());
  }
  v1::ResolveEscalationRequest r;
  r.set_request_id("resolve-1");
  r.set_escalation_id(by_target);
  r.mutable_details()->set_outcome("borgeren sover");
  ASSERT_TRUE(
      escalations_->Resolve(ServiceTestServer::As(kBackup).get(), r, &result)
          .ok());
  ASSERT_TRUE(Run(Command::kResolve, by_worker, "resolve-2", "", &result).ok());

  const v1::Party target_party =
      Stream(by_target)[2].payload().escalation_resolved().resolved_by();
  EXPECT_EQ(target_party.id(), kBackup);
  EXPECT_EQ(target_party.display_name(), "Bo Hansen");
  const v1::Party worker_party =
      Stream(by_worker)[2].payload().escalation_resolved().resolved_by();
  EXPECT_EQ(worker_party.id(), kDutyWorker);
  EXPECT_EQ(worker_party.kind(), v1::PARTY_KIND_TEAM_WORKER);
}

TEST_F(EscalationServiceTest,
       RetriedRaiseAnswersFirstResultEvenAfterCallClosed) {
  const std::string call_id = OpenCall("call-1");
  v1::RaiseEscalationResponse first;
  ASSERT_TRUE(Raise(ToBackup("esc-1", call_id), &first).ok());
  ASSERT_TRUE(CloseCall(call_id).ok());
  const uint64_t before = server_.store().LastPosition();

  v1::RaiseEscalationResponse retry;
  grpc::Status s = Raise(ToBackup("esc-1", call_id), &retry);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(retry.escalation_id(), first.escalation_id());
  EXPECT_TRUE(retry.result().replayed());
  EXPECT_EQ(retry.result().stream_version(), 1u);
  EXPECT_EQ(retry.result().first_position(), first.result().first_position());
  EXPECT_EQ(server_.store().LastPosition(), before);
  EXPECT_EQ(Stream(first.escalation_id()).size(), 1u);
}

TEST_F(EscalationServiceTest,
       RetriedAnswerAnswersFirstResultAndAppendsNothing) {
  const std::string id = RaiseToBackup("esc-1");
  v1::CommandResult first;
  ASSERT_TRUE(Run(Command::kAccept, id, "accept-1", kBackup, &first).ok());
  v1::CommandResult resolved;
  ASSERT_TRUE(Run(Command::kResolve, id, "resolve-1", "", &resolved).ok());
  const uint64_t before = server_.store().LastPosition();

  // The accept is retried after the escalation moved on: still its first
  // result, not FAILED_PRECONDITION.
  for (Command c : {Command::kAccept, Command::kResolve}) {
    SCOPED_TRACE(Name(c));
    v1::CommandResult retry;
    const bool accept = c == Command::kAccept;
    grpc::Status s =
        Run(c, id, accept ? "accept-1" : "resolve-1", kBackup, &retry);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_TRUE(retry.replayed());
    const v1::CommandResult& original = accept ? first : resolved;
    EXPECT_EQ(retry.stream_version(), original.stream_version());
    EXPECT_EQ(retry.last_position(), original.last_position());
  }
  EXPECT_EQ(server_.store().LastPosition(), before);
  EXPECT_EQ(Stream(id).size(), 3u);
}

TEST_F(EscalationServiceTest, RequestIdOfAnotherCommandIsAlreadyExists) {
  const std::string call_id = OpenCall("call-1");
  v1::RaiseEscalationResponse raised;
  grpc::Status s = Raise(ToBackup("call-1", call_id), &raised);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(s.error_message(), HasSubstr("request_id"));

  const std::string id = RaiseToBackup("esc-1");
  v1::CommandResult result;
  ASSERT_TRUE(
      Run(Command::kAcknowledge, id, "answer-1", kBackup, &result).ok());
  const uint64_t before = server_.store().LastPosition();
  s = Run(Command::kAccept, id, "answer-1", kBackup, &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(s.error_message(), HasSubstr("request_id"));
  EXPECT_EQ(server_.store().LastPosition(), before);
}

TEST_F(EscalationServiceTest, CommandWithoutActorIsUnauthenticated) {
  const std::string call_id = OpenCall("call-1");
  const uint64_t before = server_.store().LastPosition();
  v1::RaiseEscalationResponse response;
  grpc::Status s = escalations_->RaiseEscalation(
      ServiceTestServer::As("").get(), ToBackup("esc-1", call_id), &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  std::vector<v1::AccessRefused> refusals;
  EXPECT_THAT(server_.AppendedAfter(before, &refusals), ::testing::IsEmpty());
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0].kind(), v1::REFUSAL_KIND_UNAUTHENTICATED);
  EXPECT_EQ(refusals[0].method(), "/vagt.v1.EscalationService/RaiseEscalation");
}

// The backup accepts on their phone while the duty worker records the same
// acceptance for them: both are valid alone; exactly one may win.
TEST_F(EscalationServiceTest, TwoPartiesAcceptingAtOnceRecordExactlyOneAccept) {
  constexpr int kRounds = 50;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    const std::string id = RaiseToBackup(absl::StrCat("race-", round));
    std::latch start(2);
    grpc::Status outcomes[2];
    v1::CommandResult results[2];
    auto accept = [&](int i) {
      v1::AcceptEscalationRequest r;
      r.set_request_id(absl::StrCat("race-", round, "-accept-", i));
      r.set_escalation_id(id);
      if (i == 1) r.set_on_behalf_of(kBackup);
      auto ctx = ServiceTestServer::As(i == 0 ? kBackup : kDutyWorker);
      start.arrive_and_wait();
      outcomes[i] = escalations_->Accept(ctx.get(), r, &results[i]);
    };
    std::thread first(accept, 0);
    std::thread second(accept, 1);
    first.join();
    second.join();

    const int winners = (outcomes[0].ok() ? 1 : 0) + (outcomes[1].ok() ? 1 : 0);
    ASSERT_EQ(winners, 1) << outcomes[0].error_message() << " / "
                          << outcomes[1].error_message();
    const grpc::Status& loser = outcomes[0].ok() ? outcomes[1] : outcomes[0];
    EXPECT_THAT(loser.error_code(),
                ::testing::AnyOf(grpc::StatusCode::ABORTED,
                                 grpc::StatusCode::FAILED_PRECONDITION))
        << loser.error_message();
    int accepted = 0;
    for (const v1::EventEnvelope& e : Stream(id)) {
      if (e.payload().has_escalation_accepted()) ++accepted;
    }
    EXPECT_EQ(accepted, 1);
    EXPECT_EQ(Stream(id).size(), 2u);
  }
}

}  // namespace
}  // namespace vagt
