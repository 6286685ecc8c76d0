// CallService through gRPC: every transition of the call's state machine,
// field-naming errors, retries and a race between two closes.
#include <functional>
#include <latch>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/service_test_server.h"
#include "vagt/v1/calls.grpc.pb.h"

namespace vagt {
namespace {

using ::testing::HasSubstr;
using ::vagt::testing::ServiceTestServer;

enum class Phase { kNone, kOpen, kClosed };
enum class Command { kAddNote, kAssessRisk, kConsultPlan, kClose };

class CallServiceTest : public ::testing::Test {
 protected:
  std::string NextRequestId() { return "req-" + std::to_string(++requests_); }

  // A call in `phase` about a known citizen; for kNone an id never logged.
  std::string CallIn(Phase phase) {
    if (phase == Phase::kNone) return "0000-no-such-call";
    v1::ReceiveCallRequest r;
    r.set_request_id(NextRequestId());
    r.set_line_id("ishoj-bos");
    r.set_caller_kind(v1::CALLER_KIND_CITIZEN);
    r.set_citizen_ref("citizen-7f3a");
    r.set_channel(v1::CONTACT_CHANNEL_PHONE);
    r.mutable_details()->set_reason("kan ikke sove");
    v1::ReceiveCallResponse response;
    EXPECT_TRUE(calls_->ReceiveCall(As().get(), r, &response).ok());
    if (phase == Phase::kClosed) {
      EXPECT_TRUE(Run(Command::kClose, response.call_id()).ok());
    }
    return response.call_id();
  }

  grpc::Status Run(Command command, const std::string& call_id,
                   v1::CommandResult* result = nullptr) {
    v1::CommandResult ignored;
    if (result == nullptr) result = &ignored;
    switch (command) {
      case Command::kAddNote: {
        v1::AddCallNoteRequest r;
        r.set_request_id(NextRequestId());
        r.set_call_id(call_id);
        r.set_text("aftalt at ringe i morgen");
        return calls_->AddNote(As().get(), r, result);
      }
      case Command::kAssessRisk: {
        v1::AssessRiskRequest r;
        r.set_request_id(NextRequestId());
        r.set_call_id(call_id);
        r.set_level(v1::RISK_LEVEL_LOW);
        r.set_reason("rolig ved samtalens slutning");
        return calls_->AssessRisk(As().get(), r, result);
      }
      case Command::kConsultPlan: {
        v1::RecordCrisisPlanConsultedRequest r;
        r.set_request_id(NextRequestId());
        r.set_call_id(call_id);
        r.set_result(v1::CRISIS_PLAN_LOOKUP_RESULT_CONSULTED);
        r.set_crisis_plan_revision(2);
        return calls_->RecordCrisisPlanConsulted(As().get(), r, result);
      }
      case Command::kClose: {
        v1::CloseCallRequest r;
        r.set_request_id(NextRequestId());
        r.set_call_id(call_id);
        r.set_outcome(v1::CALL_OUTCOME_RESOLVED_ON_CALL);
        return calls_->CloseCall(As().get(), r, result);
      }
    }
    return grpc::Status(grpc::StatusCode::INTERNAL, "unknown command");
  }

  static std::unique_ptr<grpc::ClientContext> As() {
    return ServiceTestServer::As("worker:anna");
  }

  ServiceTestServer server_;
  std::unique_ptr<v1::CallService::Stub> calls_ =
      v1::CallService::NewStub(server_.channel());
  int requests_ = 0;
};

struct Transition {
  Phase from;
  Command command;
  grpc::StatusCode expected;
};

TEST_F(CallServiceTest, EveryTransitionIsAllowedOrRefusedAsDocumented) {
  const Transition table[] = {
      {Phase::kNone, Command::kAddNote, grpc::StatusCode::NOT_FOUND},
      {Phase::kNone, Command::kAssessRisk, grpc::StatusCode::NOT_FOUND},
      {Phase::kNone, Command::kConsultPlan, grpc::StatusCode::NOT_FOUND},
      {Phase::kNone, Command::kClose, grpc::StatusCode::NOT_FOUND},
      {Phase::kOpen, Command::kAddNote, grpc::StatusCode::OK},
      {Phase::kOpen, Command::kAssessRisk, grpc::StatusCode::OK},
      {Phase::kOpen, Command::kConsultPlan, grpc::StatusCode::OK},
      {Phase::kOpen, Command::kClose, grpc::StatusCode::OK},
      {Phase::kClosed, Command::kAddNote, grpc::StatusCode::OK},
      {Phase::kClosed, Command::kAssessRisk,
       grpc::StatusCode::FAILED_PRECONDITION},
      {Phase::kClosed, Command::kConsultPlan,
       grpc::StatusCode::FAILED_PRECONDITION},
      {Phase::kClosed, Command::kClose, grpc::StatusCode::FAILED_PRECONDITION},
  };
  for (const Transition& t : table) {
    const std::string call_id = CallIn(t.from);
    const uint64_t before = server_.store().LastPosition();
    grpc::Status s = Run(t.command, call_id);
    SCOPED_TRACE(::testing::Message()
                 << "from phase " << static_cast<int>(t.from) << ", command "
                 << static_cast<int>(t.command) << ": " << s.error_message());
    EXPECT_EQ(s.error_code(), t.expected);
    EXPECT_EQ(server_.store().LastPosition(), before + (s.ok() ? 1 : 0));
  }
}

TEST_F(CallServiceTest, CrisisPlanOfAnAnonymousCallIsRefused) {
  v1::ReceiveCallRequest r;
  r.set_request_id(NextRequestId());
  r.set_line_id("ishoj-bos");
  r.set_caller_kind(v1::CALLER_KIND_ANONYMOUS);
  r.set_channel(v1::CONTACT_CHANNEL_PHONE);
  v1::ReceiveCallResponse response;
  ASSERT_TRUE(calls_->ReceiveCall(As().get(), r, &response).ok());
  grpc::Status s = Run(Command::kConsultPlan, response.call_id());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("citizen_ref"));
}

TEST_F(CallServiceTest, MissingFieldsAreNamedAndChangeNothing) {
  v1::ReceiveCallRequest receive;
  receive.set_request_id(NextRequestId());
  receive.set_caller_kind(v1::CALLER_KIND_CITIZEN);
  receive.set_channel(v1::CONTACT_CHANNEL_PHONE);
  v1::ReceiveCallResponse response;
  grpc::Status s = calls_->ReceiveCall(As().get(), receive, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("line_id"));

  receive.set_line_id("ishoj-bos");
  receive.clear_caller_kind();
  s = calls_->ReceiveCall(As().get(), receive, &response);
  EXPECT_THAT(s.error_message(), HasSubstr("caller_kind"));

  const std::string call_id = CallIn(Phase::kOpen);
  const uint64_t before = server_.store().LastPosition();
  v1::AssessRiskRequest risk;
  risk.set_request_id(NextRequestId());
  risk.set_call_id(call_id);
  risk.set_reason("uro");
  v1::CommandResult result;
  s = calls_->AssessRisk(As().get(), risk, &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("level"));

  v1::AddCallNoteRequest note;
  note.set_request_id(NextRequestId());
  note.set_call_id(call_id);
  note.set_text(std::string(9000, 'x'));
  s = calls_->AddNote(As().get(), note, &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("text"));
  EXPECT_THAT(s.error_message(), ::testing::Not(HasSubstr("xxxx")));

  note.set_text("ok");
  note.clear_request_id();
  s = calls_->AddNote(As().get(), note, &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("request_id"));
  EXPECT_EQ(server_.store().LastPosition(), before);
}

TEST_F(CallServiceTest, ImplausibleReceiveInputIsRefusedNamingTheField) {
  struct Case {
    std::function<void(v1::ReceiveCallRequest&)> spoil;
    std::string field;
  };
  const absl::Time now = server_.clock().Now();
  auto at = [](absl::Time t, v1::ReceiveCallRequest& r) {
    r.mutable_received_at()->set_seconds(absl::ToUnixSeconds(t));
  };
  const Case cases[] = {
      {[&](auto& r) { at(now + absl::Hours(23), r); }, "received_at"},
      {[&](auto& r) { at(now - absl::Hours(24 * 30), r); }, "received_at"},
      {[](auto& r) { r.mutable_received_at()->set_nanos(-5); }, "received_at"},
      {[](auto& r) { r.set_citizen_ref("Hans Jensen 010180-1234"); },
       "citizen_ref"},
      {[](auto& r) { r.set_line_id("ishoj\nbos"); }, "line_id"},
      {[](auto& r) {
         r.mutable_details()->set_caller_name(std::string(9000, 'n'));
       },
       "details.caller_name"},
  };
  for (const Case& c : cases) {
    v1::ReceiveCallRequest r;
    r.set_request_id(NextRequestId());
    r.set_line_id("ishoj-bos");
    r.set_caller_kind(v1::CALLER_KIND_CITIZEN);
    r.set_channel(v1::CONTACT_CHANNEL_PHONE);
    c.spoil(r);
    v1::ReceiveCallResponse response;
    grpc::Status s = calls_->ReceiveCall(As().get(), r, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.field;
    EXPECT_THAT(s.error_message(), HasSubstr(c.field));
    EXPECT_THAT(s.error_message(), ::testing::Not(HasSubstr("Jensen")));
  }
  EXPECT_EQ(server_.appended(), 0u);
}

TEST_F(CallServiceTest, FollowUpDetailsWithoutFollowUpAreRefused) {
  const std::string call_id = CallIn(Phase::kOpen);
  v1::CloseCallRequest r;
  r.set_request_id(NextRequestId());
  r.set_call_id(call_id);
  r.set_outcome(v1::CALL_OUTCOME_RESOLVED_ON_CALL);
  r.mutable_follow_up()->mutable_owner()->set_id("worker:bo");
  v1::CommandResult result;
  grpc::Status s = calls_->CloseCall(As().get(), r, &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("follow_up"));
}

TEST_F(CallServiceTest, RetriedReceiveNamesTheSameCallAndAppendsNothing) {
  v1::ReceiveCallRequest r;
  r.set_request_id("evening-call-1");
  r.set_line_id("ishoj-bos");
  r.set_caller_kind(v1::CALLER_KIND_RELATIVE);
  r.set_channel(v1::CONTACT_CHANNEL_PHONE);
  v1::ReceiveCallResponse first, retry;
  ASSERT_TRUE(calls_->ReceiveCall(As().get(), r, &first).ok());
  ASSERT_TRUE(Run(Command::kAddNote, first.call_id()).ok());
  const uint64_t before = server_.store().LastPosition();
  ASSERT_TRUE(calls_->ReceiveCall(As().get(), r, &retry).ok());
  EXPECT_EQ(retry.call_id(), first.call_id());
  EXPECT_TRUE(retry.result().replayed());
  EXPECT_EQ(retry.result().first_position(), first.result().first_position());
  EXPECT_EQ(server_.store().LastPosition(), before);
}

TEST_F(CallServiceTest, RequestIdReusedOnAnotherCallIsAlreadyExists) {
  const std::string first = CallIn(Phase::kOpen);
  const std::string second = CallIn(Phase::kOpen);
  v1::AddCallNoteRequest note;
  note.set_request_id("note-1");
  note.set_call_id(first);
  note.set_text("første note");
  v1::CommandResult result;
  ASSERT_TRUE(calls_->AddNote(As().get(), note, &result).ok());
  const uint64_t before = server_.store().LastPosition();
  note.set_call_id(second);
  grpc::Status s = calls_->AddNote(As().get(), note, &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(s.error_message(), HasSubstr("request_id"));
  EXPECT_EQ(server_.store().LastPosition(), before);
}

TEST_F(CallServiceTest, TwoWorkersClosingTheSameCallAtOnceCloseItOnce) {
  for (int round = 0; round < 20; ++round) {
    const std::string call_id = CallIn(Phase::kOpen);
    std::latch start(2);
    grpc::Status results[2];
    std::thread workers[2];
    for (int i = 0; i < 2; ++i) {
      workers[i] = std::thread([&, i] {
        v1::CloseCallRequest r;
        r.set_request_id(call_id + "-close-" + std::to_string(i));
        r.set_call_id(call_id);
        r.set_outcome(v1::CALL_OUTCOME_RESOLVED_ON_CALL);
        v1::CommandResult result;
        start.arrive_and_wait();
        results[i] = calls_->CloseCall(As().get(), r, &result);
      });
    }
    for (auto& w : workers) w.join();
    const int ok = results[0].ok() + results[1].ok();
    EXPECT_EQ(ok, 1) << "round " << round;
    for (const grpc::Status& s : results) {
      if (!s.ok()) {
        EXPECT_THAT(s.error_code(),
                    ::testing::AnyOf(grpc::StatusCode::ABORTED,
                                     grpc::StatusCode::FAILED_PRECONDITION));
      }
    }
    auto events = server_.store().ReadStream("call-" + call_id, 1, 100);
    ASSERT_TRUE(events.ok());
    int closes = 0;
    for (const auto& e : *events) closes += e.payload().has_call_closed();
    EXPECT_EQ(closes, 1) << "round " << round;
  }
}

}  // namespace
}  // namespace vagt
