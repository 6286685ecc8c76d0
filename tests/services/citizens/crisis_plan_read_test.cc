// CitizenService.GetCrisisPlan: the plan in force for a team worker, for a
// partner only under consent, and every returned plan recorded as a read
// before it is returned.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/service_test_server.h"
#include "vagt/v1/citizens.grpc.pb.h"

namespace vagt {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::vagt::testing::ServiceTestServer;

constexpr char kCitizen[] = "citizen-7f3a";
constexpr char kAnna[] = "worker:anna";
constexpr char kNight[] = "partner:natteravnen";

class CrisisPlanReadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    citizens_ = v1::CitizenService::NewStub(server_.channel());
  }

  void WritePlan(const std::string& request_id, const std::string& helps) {
    v1::UpdateCrisisPlanRequest r;
    r.set_request_id(request_id);
    r.set_citizen_ref(kCitizen);
    r.mutable_plan()->add_what_helps(helps);
    r.set_agreed_with_citizen(true);
    v1::UpdateCrisisPlanResponse response;
    ASSERT_TRUE(
        citizens_->UpdateCrisisPlan(As(kAnna).get(), r, &response).ok());
  }

  void GrantNightPartner(v1::ConsentDataCategory category) {
    v1::GrantConsentRequest r;
    r.set_request_id(absl::StrCat("consent-", category));
    r.set_citizen_ref(kCitizen);
    r.set_form(v1::CONSENT_FORM_WRITTEN);
    v1::ConsentScope* scope = r.add_scopes();
    scope->set_recipient_kind(v1::CONSENT_RECIPIENT_KIND_NIGHT_PARTNER);
    scope->add_categories(category);
    v1::GrantConsentResponse response;
    ASSERT_TRUE(citizens_->GrantConsent(As(kAnna).get(), r, &response).ok());
    consent_id_ = response.consent_id();
  }

  grpc::Status Read(
      const std::string& actor, v1::GetCrisisPlanResponse* out,
      v1::AccessPurpose purpose = v1::ACCESS_PURPOSE_ONGOING_CALL,
      v1::ConsentRecipientKind kind = v1::CONSENT_RECIPIENT_KIND_UNSPECIFIED) {
    v1::GetCrisisPlanRequest r;
    r.set_citizen_ref(kCitizen);
    r.mutable_access()->set_purpose(purpose);
    r.set_reader_kind(kind);
    return citizens_->GetCrisisPlan(As(actor).get(), r, out);
  }

  // The access records appended since position `after`.
  std::vector<v1::EventEnvelope> AccessesAfter(uint64_t after) {
    std::vector<v1::EventEnvelope> out;
    auto events = server_.store().ReadAll(after + 1, 1000);
    EXPECT_TRUE(events.ok());
    for (auto& e : *events) {
      if (e.payload().has_sensitive_data_accessed()) out.push_back(e);
    }
    return out;
  }

  static std::unique_ptr<grpc::ClientContext> As(const std::string& actor) {
    return ServiceTestServer::As(actor);
  }

  ServiceTestServer server_;
  std::unique_ptr<v1::CitizenService::Stub> citizens_;
  std::string consent_id_;
};

TEST_F(CrisisPlanReadTest, WorkerGetsThePlanInForceAndTheReadIsRecorded) {
  WritePlan("plan-1", "en gåtur");
  WritePlan("plan-2", "musik");
  const uint64_t before = server_.store().LastPosition();

  v1::GetCrisisPlanResponse plan;
  ASSERT_TRUE(Read(kAnna, &plan).ok());
  EXPECT_EQ(plan.result(), v1::CRISIS_PLAN_LOOKUP_RESULT_CONSULTED);
  EXPECT_EQ(plan.revision(), 2u);
  EXPECT_THAT(plan.plan().what_helps(), ElementsAre("musik"));
  auto stored = server_.store().ReadStream(kCitizen, 2, 1);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(plan.event_id(), stored->at(0).event_id());

  std::vector<v1::EventEnvelope> accesses = AccessesAfter(before);
  ASSERT_EQ(accesses.size(), 1u);
  const v1::SensitiveDataAccessed& a =
      accesses[0].payload().sensitive_data_accessed();
  EXPECT_EQ(accesses[0].actor(), kAnna);
  EXPECT_EQ(a.kind(), v1::ACCESS_KIND_CRISIS_PLAN);
  EXPECT_THAT(a.citizen_refs(), ElementsAre(kCitizen));
  EXPECT_EQ(a.purpose(), v1::ACCESS_PURPOSE_ONGOING_CALL);
}

TEST_F(CrisisPlanReadTest, NoPlanIsSaidAndNothingIsRecorded) {
  const uint64_t before = server_.store().LastPosition();
  v1::GetCrisisPlanResponse plan;
  ASSERT_TRUE(Read(kAnna, &plan).ok());
  EXPECT_EQ(plan.result(), v1::CRISIS_PLAN_LOOKUP_RESULT_NO_PLAN);
  EXPECT_TRUE(AccessesAfter(before).empty());
}

TEST_F(CrisisPlanReadTest, PartnerReadsOnlyUnderAConsentCoveringThePlan) {
  WritePlan("plan-1", "en gåtur");
  GrantNightPartner(v1::CONSENT_DATA_CATEGORY_HANDOVER_NOTES);
  uint64_t before = server_.store().LastPosition();
  v1::GetCrisisPlanResponse plan;
  ASSERT_TRUE(Read(kNight, &plan, v1::ACCESS_PURPOSE_ONGOING_CALL,
                   v1::CONSENT_RECIPIENT_KIND_NIGHT_PARTNER)
                  .ok());
  EXPECT_EQ(plan.result(), v1::CRISIS_PLAN_LOOKUP_RESULT_NOT_PERMITTED);
  EXPECT_FALSE(plan.has_plan());
  EXPECT_TRUE(AccessesAfter(before).empty());

  GrantNightPartner(v1::CONSENT_DATA_CATEGORY_CRISIS_PLAN);
  // Another partner is not covered by the night partner's consent, whatever
  // it claims to be.
  before = server_.store().LastPosition();
  ASSERT_TRUE(Read("partner:akuttilbud", &plan).ok());
  EXPECT_EQ(plan.result(), v1::CRISIS_PLAN_LOOKUP_RESULT_NOT_PERMITTED);
  EXPECT_FALSE(Read("partner:akuttilbud", &plan,
                    v1::ACCESS_PURPOSE_ONGOING_CALL,
                    v1::CONSENT_RECIPIENT_KIND_NIGHT_PARTNER)
                   .ok());
  EXPECT_FALSE(plan.has_plan());

  before = server_.store().LastPosition();
  ASSERT_TRUE(Read(kNight, &plan, v1::ACCESS_PURPOSE_ONGOING_CALL,
                   v1::CONSENT_RECIPIENT_KIND_NIGHT_PARTNER)
                  .ok());
  EXPECT_EQ(plan.result(), v1::CRISIS_PLAN_LOOKUP_RESULT_CONSULTED);
  EXPECT_EQ(plan.consent_id(), consent_id_);
  EXPECT_EQ(AccessesAfter(before).size(), 1u);
}

TEST_F(CrisisPlanReadTest, BadReadsNameTheProblemAndRecordNothing) {
  WritePlan("plan-1", "en gåtur");
  const uint64_t before = server_.store().LastPosition();
  v1::GetCrisisPlanResponse plan;

  grpc::Status s = Read(kAnna, &plan, v1::ACCESS_PURPOSE_UNSPECIFIED);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("access.purpose"));

  // A partner reads as what the directory registers it as; claiming to be
  // the police is refused, naming the claim and not the plan.
  s = Read(kNight, &plan, v1::ACCESS_PURPOSE_ONGOING_CALL,
           v1::CONSENT_RECIPIENT_KIND_POLICE);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(),
              HasSubstr("registered as CONSENT_RECIPIENT_KIND_NIGHT_PARTNER"));

  s = Read("system:engine", &plan);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("read-crisis-plans"));

  // Nothing but the records of the two refusals.
  std::vector<v1::AccessRefused> refusals;
  EXPECT_THAT(server_.AppendedAfter(before, &refusals), ::testing::IsEmpty());
  ASSERT_EQ(refusals.size(), 2u);
  EXPECT_EQ(refusals[0].right(), "read-crisis-plans");
  EXPECT_EQ(refusals[1].right(), "read-crisis-plans");
}

}  // namespace
}  // namespace vagt
