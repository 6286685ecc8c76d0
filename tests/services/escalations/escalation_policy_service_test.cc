// EscalationPolicyService through gRPC, and RaiseEscalation under a line's
// policy: the built-in policy of a line without one, versions as events,
// retries, bad policies refused with the field named and nothing appended,
// and the policy version every raise records.
#include <functional>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/duty_commands.h"
#include "tests/services/parties.h"
#include "tests/services/service_test_server.h"
#include "vagt/v1/escalations.grpc.pb.h"

namespace vagt {
namespace {

using ::testing::HasSubstr;
using ::vagt::testing::DutyCommands;
using ::vagt::testing::Level;
using ::vagt::testing::ServiceTestServer;

constexpr char kLine[] = "ishoj-bos";
constexpr char kLeader[] = "worker:leder";
constexpr char kDutyWorker[] = "worker:anna";

// Backup 10 minutes, then the emergency service 5 minutes at night.
v1::SetPolicyRequest GoodPolicy(const std::string& request_id) {
  v1::SetPolicyRequest r;
  r.set_request_id(request_id);
  r.set_line_id(kLine);
  *r.add_levels() =
      Level(v1::ESCALATION_LEVEL_BACKUP, v1::POLICY_TARGET_BACKUP, 600);
  v1::PolicyLevel* akut = r.add_levels();
  *akut = Level(v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE,
                v1::POLICY_TARGET_PARTY, 300, "partner:akut");
  v1::PolicyWindow* night = akut->add_windows();
  night->mutable_start()->set_hour(22);
  night->mutable_end()->set_hour(7);
  r.set_repeats(2);
  return r;
}

class EscalationPolicyServiceTest : public ::testing::Test {
 protected:
  EscalationPolicyServiceTest()
      : duty_(server_.channel()),
        policies_(v1::EscalationPolicyService::NewStub(server_.channel())),
        escalations_(v1::EscalationService::NewStub(server_.channel())) {}

  grpc::Status Set(const v1::SetPolicyRequest& r,
                   v1::SetPolicyResponse* response) {
    return policies_->SetPolicy(ServiceTestServer::As(kLeader).get(), r,
                                response);
  }

  v1::GetPolicyResponse Get() {
    v1::GetPolicyRequest r;
    r.set_line_id(kLine);
    v1::GetPolicyResponse response;
    grpc::Status s = policies_->GetPolicy(
        ServiceTestServer::As(kDutyWorker).get(), r, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }

  grpc::Status Raise(v1::RaiseEscalationRequest r,
                     v1::EscalationRaised* raised) {
    r.set_call_id(call_id_);
    r.set_urgency(v1::ESCALATION_URGENCY_URGENT);
    r.mutable_details()->set_reason("vil ikke leve mere");
    v1::RaiseEscalationResponse response;
    grpc::Status s = escalations_->RaiseEscalation(
        ServiceTestServer::As(kDutyWorker).get(), r, &response);
    if (s.ok()) {
      auto events = server_.store().ReadStream(
          absl::StrCat("escalation-", response.escalation_id()), 1, 1);
      EXPECT_TRUE(events.ok() && events->size() == 1u);
      *raised = (*events)[0].payload().escalation_raised();
    }
    return s;
  }

  void OpenCall() {
    duty_.TakeLine(kLine, kDutyWorker);
    call_id_ = duty_.ReceiveCall(kLine, kDutyWorker, "citizen-7f3a").id;
  }

  ServiceTestServer server_;
  DutyCommands duty_;
  std::unique_ptr<v1::EscalationPolicyService::Stub> policies_;
  std::unique_ptr<v1::EscalationService::Stub> escalations_;
  std::string call_id_;
};

TEST_F(EscalationPolicyServiceTest, LineWithoutPolicyShowsTheBuiltInLadder) {
  const v1::GetPolicyResponse policy = Get();
  EXPECT_TRUE(policy.built_in());
  EXPECT_EQ(policy.policy_version(), "vagt-escalation-policy-1");
  ASSERT_EQ(policy.policy().levels_size(), 3);
  EXPECT_EQ(policy.policy().levels(0).level(), v1::ESCALATION_LEVEL_BACKUP);
  EXPECT_EQ(policy.policy().levels(1).level(),
            v1::ESCALATION_LEVEL_NIGHT_PARTNER);
  EXPECT_EQ(policy.policy().levels(1).windows(0).start().hour(), 22);
  EXPECT_EQ(policy.policy().levels(2).level(),
            v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
  EXPECT_EQ(server_.appended(), 0u);
}

TEST_F(EscalationPolicyServiceTest, SetPolicyAppendsANewVersion) {
  v1::SetPolicyResponse response;
  grpc::Status s = Set(GoodPolicy("policy-1"), &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(response.policy_version(), "policy-ishoj-bos@1");
  EXPECT_EQ(response.result().stream_id(), "policy-ishoj-bos");
  v1::GetPolicyResponse policy = Get();
  EXPECT_FALSE(policy.built_in());
  EXPECT_EQ(policy.policy_version(), "policy-ishoj-bos@1");
  EXPECT_EQ(policy.policy().line_id(), kLine);
  EXPECT_EQ(policy.policy().repeats(), 2u);
  // The party's kind is taken from its level.
  EXPECT_EQ(policy.policy().levels(1).party().kind(),
            v1::PARTY_KIND_SOCIAL_EMERGENCY_SERVICE);
  auto events = server_.store().ReadStream("policy-ishoj-bos", 1, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].actor(), kLeader);

  // A retry appends nothing; a new request is version 2.
  ASSERT_TRUE(Set(GoodPolicy("policy-1"), &response).ok());
  EXPECT_TRUE(response.result().replayed());
  EXPECT_EQ(response.policy_version(), "policy-ishoj-bos@1");
  ASSERT_TRUE(Set(GoodPolicy("policy-2"), &response).ok());
  EXPECT_EQ(response.policy_version(), "policy-ishoj-bos@2");
  EXPECT_EQ(Get().policy_version(), "policy-ishoj-bos@2");
}

TEST_F(EscalationPolicyServiceTest, BadPolicyIsRefusedNamingTheField) {
  struct Case {
    const char* field;
    std::function<void(v1::SetPolicyRequest&)> spoil;
  };
  const Case cases[] = {
      {"line_id", [](auto& r) { r.clear_line_id(); }},
      {"levels", [](auto& r) { r.clear_levels(); }},
      {"levels[0].ack_timeout_seconds",
       [](auto& r) { r.mutable_levels(0)->clear_ack_timeout_seconds(); }},
      {"levels[1].party", [](auto& r) { r.mutable_levels(1)->clear_party(); }},
      {"levels[1].windows[0]",
       [](auto& r) {
         r.mutable_levels(1)->mutable_windows(0)->mutable_end()->set_hour(22);
       }},
      {"levels[1].windows[0].end.minute",
       [](auto& r) {
         r.mutable_levels(1)->mutable_windows(0)->mutable_end()->set_minute(60);
       }},
      {"time_zone", [](auto& r) { r.set_time_zone("Mars/Olympus"); }},
  };
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    v1::SetPolicyRequest r = GoodPolicy(absl::StrCat("bad-", ++n));
    c.spoil(r);
    v1::SetPolicyResponse response;
    grpc::Status s = Set(r, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr(std::string(c.field) + ":"));
  }
  EXPECT_EQ(server_.appended(), 0u);
  EXPECT_TRUE(Get().built_in());
}

TEST_F(EscalationPolicyServiceTest, SetPolicyNeedsAnActor) {
  v1::SetPolicyResponse response;
  grpc::Status s = policies_->SetPolicy(ServiceTestServer::As("").get(),
                                        GoodPolicy("p"), &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(server_.AppendedAfter(server_.seeded()), ::testing::IsEmpty());
}

TEST_F(EscalationPolicyServiceTest, EveryRaiseRecordsThePolicyVersion) {
  OpenCall();
  v1::RaiseEscalationRequest explicit_raise;
  explicit_raise.set_request_id("esc-1");
  explicit_raise.set_level(v1::ESCALATION_LEVEL_POLICE);
  explicit_raise.mutable_target()->set_id("partner:politi");
  v1::EscalationRaised raised;
  ASSERT_TRUE(Raise(explicit_raise, &raised).ok());
  EXPECT_EQ(raised.policy_version(), "vagt-escalation-policy-1");
  EXPECT_EQ(raised.level(), v1::ESCALATION_LEVEL_POLICE);

  v1::SetPolicyResponse set;
  ASSERT_TRUE(Set(GoodPolicy("policy-1"), &set).ok());
  explicit_raise.set_request_id("esc-2");
  ASSERT_TRUE(Raise(explicit_raise, &raised).ok());
  EXPECT_EQ(raised.policy_version(), "policy-ishoj-bos@1");
  // Named levels keep the urgency's default deadline.
  EXPECT_EQ(raised.ack_deadline().seconds(),
            absl::ToUnixSeconds(ServiceTestServer::DefaultStart() +
                                absl::Minutes(15)));
}

TEST_F(EscalationPolicyServiceTest, RaiseByPolicyNeedsSomebodyOnALevel) {
  OpenCall();
  // 20:00: no backup is assigned, the emergency level is a night level.
  v1::SetPolicyResponse set;
  ASSERT_TRUE(Set(GoodPolicy("policy-1"), &set).ok());
  const uint64_t before = server_.store().LastPosition();
  v1::RaiseEscalationRequest r;
  r.set_request_id("esc-1");
  v1::EscalationRaised raised;
  grpc::Status s = Raise(r, &raised);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("policy-ishoj-bos@1"));
  EXPECT_EQ(server_.store().LastPosition(), before);

  // With a backup on call the policy's first level applies.
  duty_.AssignBackup(kLine, kDutyWorker, "worker:bo",
                     ServiceTestServer::DefaultStart(),
                     ServiceTestServer::DefaultStart() + absl::Hours(2));
  r.set_request_id("esc-2");
  ASSERT_TRUE(Raise(r, &raised).ok());
  EXPECT_EQ(raised.level(), v1::ESCALATION_LEVEL_BACKUP);
  EXPECT_EQ(raised.target().id(), "worker:bo");
  EXPECT_EQ(raised.policy_version(), "policy-ishoj-bos@1");
  EXPECT_EQ(raised.ack_deadline().seconds(),
            absl::ToUnixSeconds(ServiceTestServer::DefaultStart() +
                                absl::Minutes(10)));
}

TEST_F(EscalationPolicyServiceTest, LevelAndTargetComeTogether) {
  OpenCall();
  v1::RaiseEscalationRequest no_target;
  no_target.set_request_id("esc-1");
  no_target.set_level(v1::ESCALATION_LEVEL_BACKUP);
  v1::EscalationRaised raised;
  grpc::Status s = Raise(no_target, &raised);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("target"));
  v1::RaiseEscalationRequest no_level;
  no_level.set_request_id("esc-2");
  no_level.mutable_target()->set_id("worker:bo");
  s = Raise(no_level, &raised);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("level"));
}

}  // namespace
}  // namespace vagt
