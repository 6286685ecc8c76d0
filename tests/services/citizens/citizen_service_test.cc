// CitizenService through gRPC: crisis-plan revisions, the consent state
// machine, retries by request id, field errors that never repeat citizen
// data, and the consent rule other services rely on (ConsentCovering).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"
#include "services/citizens/citizen_state.h"
#include "services/common/ids.h"
#include "tests/services/service_test_server.h"
#include "vagt/v1/citizens.grpc.pb.h"

namespace vagt {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::vagt::services::CitizenState;
using ::vagt::testing::ServiceTestServer;

constexpr char kCitizen[] = "citizen-7f3a";
constexpr char kAnna[] = "worker:anna";

google::protobuf::Timestamp At(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

v1::UpdateCrisisPlanRequest APlan(const std::string& request_id,
                                  const std::string& citizen_ref = kCitizen) {
  v1::UpdateCrisisPlanRequest r;
  r.set_request_id(request_id);
  r.set_citizen_ref(citizen_ref);
  r.mutable_plan()->add_what_helps("gå en tur med hunden");
  r.mutable_plan()->add_what_to_avoid("at blive presset til at tale");
  r.mutable_plan()->set_preferred_place("hjemme");
  r.set_agreed_with_citizen(true);
  return r;
}

v1::GrantConsentRequest AConsent(const std::string& request_id,
                                 const std::string& citizen_ref = kCitizen) {
  v1::GrantConsentRequest r;
  r.set_request_id(request_id);
  r.set_citizen_ref(citizen_ref);
  r.set_form(v1::CONSENT_FORM_WRITTEN);
  v1::ConsentScope* scope = r.add_scopes();
  scope->set_recipient_kind(v1::CONSENT_RECIPIENT_KIND_NIGHT_PARTNER);
  scope->add_categories(v1::CONSENT_DATA_CATEGORY_HANDOVER_NOTES);
  scope->add_categories(v1::CONSENT_DATA_CATEGORY_CRISIS_PLAN);
  return r;
}

class CitizenServiceTest : public ::testing::Test {
 protected:
  grpc::Status Update(const v1::UpdateCrisisPlanRequest& r,
                      v1::UpdateCrisisPlanResponse* response) {
    return citizens_->UpdateCrisisPlan(ServiceTestServer::As(kAnna).get(), r,
                                       response);
  }
  grpc::Status Grant(const v1::GrantConsentRequest& r,
                     v1::GrantConsentResponse* response) {
    return citizens_->GrantConsent(ServiceTestServer::As(kAnna).get(), r,
                                   response);
  }
  grpc::Status Withdraw(const std::string& request_id,
                        const std::string& consent_id,
                        v1::CommandResult* result = nullptr,
                        const std::string& citizen_ref = kCitizen) {
    v1::WithdrawConsentRequest r;
    r.set_request_id(request_id);
    r.set_citizen_ref(citizen_ref);
    r.set_consent_id(consent_id);
    v1::CommandResult ignored;
    return citizens_->WithdrawConsent(ServiceTestServer::As(kAnna).get(), r,
                                      result != nullptr ? result : &ignored);
  }

  std::vector<v1::EventEnvelope> Events() {
    auto events = server_.store().ReadStream(kCitizen, 1, 10'000);
    EXPECT_TRUE(events.ok()) << events.status();
    return events.ok() ? *events : std::vector<v1::EventEnvelope>{};
  }

  ServiceTestServer server_;
  std::unique_ptr<v1::CitizenService::Stub> citizens_ =
      v1::CitizenService::NewStub(server_.channel());
};

// ---------------------------------------------------------------------------
// Crisis plan.

TEST_F(CitizenServiceTest, CrisisPlanRevisionsCountUpFromOne) {
  v1::UpdateCrisisPlanResponse first;
  ASSERT_TRUE(Update(APlan("plan-1"), &first).ok());
  EXPECT_EQ(first.revision(), 1u);
  EXPECT_EQ(first.result().stream_id(), kCitizen);

  v1::UpdateCrisisPlanRequest revised = APlan("plan-2");
  revised.mutable_plan()->add_triggers("for lidt søvn");
  revised.add_related_call_ids("call-1");
  v1::UpdateCrisisPlanResponse second;
  ASSERT_TRUE(Update(revised, &second).ok());
  EXPECT_EQ(second.revision(), 2u);

  const std::vector<v1::EventEnvelope> events = Events();
  ASSERT_EQ(events.size(), 2u);
  const v1::CitizenCrisisPlanUpdated& plan =
      events[1].payload().citizen_crisis_plan_updated();
  EXPECT_EQ(plan.citizen_ref(), kCitizen);
  EXPECT_EQ(plan.revision(), 2u);
  EXPECT_TRUE(plan.agreed_with_citizen());
  EXPECT_EQ(plan.sensitive().triggers(0), "for lidt søvn");
  EXPECT_EQ(plan.related_call_ids(0), "call-1");
  EXPECT_EQ(events[1].actor(), kAnna);
}

TEST_F(CitizenServiceTest,
       RetriedPlanUpdateAnswersItsOwnRevisionAndAppendsNothing) {
  v1::UpdateCrisisPlanResponse first;
  ASSERT_TRUE(Update(APlan("plan-1"), &first).ok());
  v1::UpdateCrisisPlanResponse second;
  ASSERT_TRUE(Update(APlan("plan-2"), &second).ok());
  const uint64_t last = server_.store().LastPosition();

  v1::UpdateCrisisPlanResponse retry;
  ASSERT_TRUE(Update(APlan("plan-1"), &retry).ok());
  EXPECT_TRUE(retry.result().replayed());
  EXPECT_EQ(retry.revision(), 1u);
  EXPECT_EQ(retry.result().stream_version(), first.result().stream_version());
  EXPECT_EQ(server_.store().LastPosition(), last);
}

TEST_F(CitizenServiceTest, CrisisPlanMayBeUpdatedWhateverTheConsents) {
  v1::GrantConsentResponse granted;
  ASSERT_TRUE(Grant(AConsent("consent-1"), &granted).ok());
  ASSERT_TRUE(Withdraw("withdraw-1", granted.consent_id()).ok());
  v1::UpdateCrisisPlanResponse plan;
  ASSERT_TRUE(Update(APlan("plan-1"), &plan).ok());
  EXPECT_EQ(plan.revision(), 1u);
  EXPECT_EQ(plan.result().stream_version(), 3u);
}

// ---------------------------------------------------------------------------
// Consents: (none) --grant--> GRANTED --withdraw--> WITHDRAWN.

enum class ConsentStart { kNone, kGranted, kWithdrawn };

struct ConsentTransition {
  const char* what;
  ConsentStart start;
  bool withdraw;  // else grant another consent
  grpc::StatusCode code;
};

const ConsentTransition kConsentTransitions[] = {
    {"withdraw an unknown consent", ConsentStart::kNone, true,
     grpc::StatusCode::NOT_FOUND},
    {"grant a first consent", ConsentStart::kNone, false, grpc::StatusCode::OK},
    {"withdraw a granted consent", ConsentStart::kGranted, true,
     grpc::StatusCode::OK},
    {"grant another consent beside a granted one", ConsentStart::kGranted,
     false, grpc::StatusCode::OK},
    {"withdraw a withdrawn consent", ConsentStart::kWithdrawn, true,
     grpc::StatusCode::FAILED_PRECONDITION},
    {"grant a consent after a withdrawal", ConsentStart::kWithdrawn, false,
     grpc::StatusCode::OK},
};

TEST_F(CitizenServiceTest, ConsentTransitionsAreAllowedOrRefusedAsDocumented) {
  int row = 0;
  for (const ConsentTransition& t : kConsentTransitions) {
    SCOPED_TRACE(t.what);
    const std::string citizen = absl::StrCat("citizen-row", row++);
    std::string consent_id = services::IdFromRequest("consent", "never");
    if (t.start != ConsentStart::kNone) {
      v1::GrantConsentResponse granted;
      ASSERT_TRUE(
          Grant(AConsent(absl::StrCat(citizen, "-grant"), citizen), &granted)
              .ok());
      consent_id = granted.consent_id();
    }
    if (t.start == ConsentStart::kWithdrawn) {
      ASSERT_TRUE(Withdraw(absl::StrCat(citizen, "-withdraw"), consent_id,
                           nullptr, citizen)
                      .ok());
    }
    const uint64_t last = server_.store().LastPosition();

    grpc::Status s;
    if (t.withdraw) {
      s = Withdraw(absl::StrCat(citizen, "-cmd"), consent_id, nullptr, citizen);
    } else {
      v1::GrantConsentResponse granted;
      s = Grant(AConsent(absl::StrCat(citizen, "-cmd"), citizen), &granted);
    }
    EXPECT_EQ(s.error_code(), t.code) << s.error_message();
    EXPECT_EQ(server_.store().LastPosition(), last + (s.ok() ? 1 : 0));
    if (!s.ok()) {
      EXPECT_THAT(s.error_message(), HasSubstr("consent_id"));
    }
  }
}

TEST_F(CitizenServiceTest,
       GrantedConsentIdComesFromTheRequestIdAndRetriesReplay) {
  v1::GrantConsentResponse first;
  ASSERT_TRUE(Grant(AConsent("consent-1"), &first).ok());
  EXPECT_EQ(first.consent_id(),
            services::IdFromRequest("consent", "consent-1"));
  const std::vector<v1::EventEnvelope> events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload().citizen_consent_granted().consent_id(),
            first.consent_id());

  v1::GrantConsentResponse retry;
  ASSERT_TRUE(Grant(AConsent("consent-1"), &retry).ok());
  EXPECT_TRUE(retry.result().replayed());
  EXPECT_EQ(retry.consent_id(), first.consent_id());
  EXPECT_EQ(server_.appended(), 1u);
}

TEST_F(CitizenServiceTest, RetriedWithdrawalIsReplayedNotRefused) {
  v1::GrantConsentResponse granted;
  ASSERT_TRUE(Grant(AConsent("consent-1"), &granted).ok());
  v1::CommandResult first;
  ASSERT_TRUE(Withdraw("withdraw-1", granted.consent_id(), &first).ok());
  v1::CommandResult retry;
  ASSERT_TRUE(Withdraw("withdraw-1", granted.consent_id(), &retry).ok());
  EXPECT_TRUE(retry.replayed());
  EXPECT_EQ(retry.stream_version(), first.stream_version());
  EXPECT_EQ(server_.appended(), 2u);
  // A new request to withdraw it again is refused.
  EXPECT_EQ(Withdraw("withdraw-2", granted.consent_id()).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(CitizenServiceTest, RequestIdOfAnotherCommandIsRefusedAsAlreadyUsed) {
  v1::UpdateCrisisPlanResponse plan;
  ASSERT_TRUE(Update(APlan("shared-id"), &plan).ok());
  v1::GrantConsentResponse granted;
  grpc::Status s = Grant(AConsent("shared-id"), &granted);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(s.error_message(), HasSubstr("request_id"));
  // Another citizen.
  EXPECT_EQ(Update(APlan("shared-id", "citizen-other"), &plan).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(server_.appended(), 1u);
}

// ---------------------------------------------------------------------------
// Field errors.

TEST_F(CitizenServiceTest, BadCitizenRefIsRefusedWithoutRepeatingIt) {
  const std::string bad_refs[] = {
      "",
      "7f3a-mette-hansen",                 // not a citizen stream
      "line-ishoj",                        // another aggregate's stream
      "citizen-",                          // no id
      "citizen-mette hansen",              // not a stream id
      "citizen-" + std::string(200, 'a'),  // too long
  };
  for (const std::string& ref : bad_refs) {
    SCOPED_TRACE(ref);
    v1::UpdateCrisisPlanResponse plan;
    grpc::Status s =
        Update(APlan("p-" + std::to_string(ref.size()), ref), &plan);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr("citizen_ref"));
    for (const char* data : {"mette", "7f3a", "ishoj", "aaaa"}) {
      EXPECT_THAT(s.error_message(), Not(HasSubstr(data)));
    }

    v1::GrantConsentResponse granted;
    EXPECT_EQ(Grant(AConsent("g-" + std::to_string(ref.size()), ref), &granted)
                  .error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(Withdraw("w-" + std::to_string(ref.size()), "c", nullptr, ref)
                  .error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  EXPECT_EQ(server_.appended(), 0u);
}

struct BadGrant {
  const char* what;
  void (*spoil)(v1::GrantConsentRequest&, absl::Time now);
  const char* field;
};

const BadGrant kBadGrants[] = {
    {"no scopes",
     [](v1::GrantConsentRequest& r, absl::Time) { r.clear_scopes(); },
     "scopes"},
    {"scope without recipient kind",
     [](v1::GrantConsentRequest& r, absl::Time) {
       r.mutable_scopes(0)->clear_recipient_kind();
     },
     "scopes[0].recipient_kind"},
    {"scope without categories",
     [](v1::GrantConsentRequest& r, absl::Time) {
       r.mutable_scopes(0)->clear_categories();
     },
     "scopes[0].categories"},
    {"unspecified category",
     [](v1::GrantConsentRequest& r, absl::Time) {
       r.mutable_scopes(0)->set_categories(
           1, v1::CONSENT_DATA_CATEGORY_UNSPECIFIED);
     },
     "scopes[0].categories[1]"},
    {"network person as recipient id",
     [](v1::GrantConsentRequest& r, absl::Time) {
       v1::ConsentScope* scope = r.add_scopes();
       scope->set_recipient_kind(v1::CONSENT_RECIPIENT_KIND_NETWORK);
       scope->set_recipient_id("Mette Hansen");
       scope->add_categories(v1::CONSENT_DATA_CATEGORY_CRISIS_PLAN);
     },
     "scopes[1].recipient_id"},
    {"no form", [](v1::GrantConsentRequest& r, absl::Time) { r.clear_form(); },
     "form"},
    {"already expired",
     [](v1::GrantConsentRequest& r, absl::Time now) {
       *r.mutable_expires_at() = At(now - absl::Hours(1));
     },
     "expires_at"},
    {"expires before it applies",
     [](v1::GrantConsentRequest& r, absl::Time now) {
       *r.mutable_valid_from() = At(now + absl::Hours(48));
       *r.mutable_expires_at() = At(now + absl::Hours(24));
     },
     "expires_at"},
    {"overlong conditions",
     [](v1::GrantConsentRequest& r, absl::Time) {
       r.set_conditions("Mette Hansen " + std::string(9000, 'x'));
     },
     "conditions"},
};

TEST_F(CitizenServiceTest, MalformedConsentNamesTheFieldAndAppendsNothing) {
  int i = 0;
  for (const BadGrant& bad : kBadGrants) {
    SCOPED_TRACE(bad.what);
    v1::GrantConsentRequest r = AConsent(absl::StrCat("bad-", i++));
    bad.spoil(r, server_.clock().Now());
    v1::GrantConsentResponse granted;
    grpc::Status s = Grant(r, &granted);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr(bad.field));
    EXPECT_THAT(s.error_message(), Not(HasSubstr("Mette")));
    EXPECT_THAT(s.error_message(), Not(HasSubstr(kCitizen)));
  }
  EXPECT_EQ(server_.appended(), 0u);
}

TEST_F(CitizenServiceTest, MalformedPlanAndWithdrawalNameTheirFields) {
  v1::UpdateCrisisPlanResponse plan;
  v1::UpdateCrisisPlanRequest empty = APlan("p1");
  empty.clear_plan();
  grpc::Status s = Update(empty, &plan);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("plan"));

  v1::UpdateCrisisPlanRequest huge = APlan("p2");
  huge.mutable_plan()->set_other(std::string(40 * 1024, 'x'));
  EXPECT_THAT(Update(huge, &plan).error_message(), HasSubstr("plan"));

  v1::UpdateCrisisPlanRequest bad_related = APlan("p3");
  bad_related.add_related_call_ids("call-1");
  bad_related.add_related_call_ids("");
  s = Update(bad_related, &plan);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("related_call_ids[1]"));

  s = Withdraw("w1", "");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("consent_id"));

  s = Withdraw("", "c");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("request_id"));
  EXPECT_EQ(server_.appended(), 0u);
}

// ---------------------------------------------------------------------------
// The consent rule: who may see what, when.

v1::EventEnvelope Granted(absl::Time occurred_at, const std::string& id,
                          v1::ConsentScope scope,
                          std::optional<absl::Time> valid_from = std::nullopt,
                          std::optional<absl::Time> expires_at = std::nullopt) {
  v1::EventEnvelope e;
  *e.mutable_occurred_at() = At(occurred_at);
  v1::CitizenConsentGranted* g =
      e.mutable_payload()->mutable_citizen_consent_granted();
  g->set_citizen_ref(kCitizen);
  g->set_consent_id(id);
  *g->add_scopes() = std::move(scope);
  if (valid_from) *g->mutable_valid_from() = At(*valid_from);
  if (expires_at) *g->mutable_expires_at() = At(*expires_at);
  return e;
}

v1::ConsentScope NightNotes(const std::string& recipient_id = "") {
  v1::ConsentScope scope;
  scope.set_recipient_kind(v1::CONSENT_RECIPIENT_KIND_NIGHT_PARTNER);
  scope.set_recipient_id(recipient_id);
  scope.add_categories(v1::CONSENT_DATA_CATEGORY_HANDOVER_NOTES);
  return scope;
}

TEST(ConsentCovering, ConsentCoversOnlyItsRecipientCategoryAndPeriod) {
  const absl::Time t0 = ServiceTestServer::DefaultStart();
  CitizenState citizen;
  citizen.Apply(Granted(t0, "named", NightNotes("partner:a"), std::nullopt,
                        t0 + absl::Hours(10)));
  citizen.Apply(Granted(t0, "later", NightNotes(), t0 + absl::Hours(5)));

  const auto covering = [&](const std::string& partner,
                            v1::ConsentDataCategory category, absl::Time at) {
    return citizen.ConsentCovering(v1::CONSENT_RECIPIENT_KIND_NIGHT_PARTNER,
                                   partner, category, at);
  };
  const auto notes = v1::CONSENT_DATA_CATEGORY_HANDOVER_NOTES;
  EXPECT_EQ(covering("partner:a", notes, t0), "named");
  EXPECT_EQ(covering("partner:b", notes, t0), std::nullopt);
  EXPECT_EQ(covering("partner:a", v1::CONSENT_DATA_CATEGORY_CALL_NOTES, t0),
            std::nullopt);
  EXPECT_EQ(citizen.ConsentCovering(v1::CONSENT_RECIPIENT_KIND_POLICE,
                                    "partner:a", notes, t0),
            std::nullopt);
  // Before valid_from, and from expires_at on, a consent does not apply.
  EXPECT_EQ(covering("partner:b", notes, t0 + absl::Hours(5)), "later");
  EXPECT_EQ(covering("partner:a", notes, t0 + absl::Hours(10)), "later");
  EXPECT_EQ(covering("partner:a", notes, t0 - absl::Seconds(1)), std::nullopt);

  v1::EventEnvelope withdrawn;
  withdrawn.mutable_payload()
      ->mutable_citizen_consent_withdrawn()
      ->set_consent_id("later");
  citizen.Apply(withdrawn);
  EXPECT_EQ(covering("partner:b", notes, t0 + absl::Hours(6)), std::nullopt);
  EXPECT_EQ(covering("partner:a", notes, t0 + absl::Hours(6)), "named");
}

}  // namespace
}  // namespace vagt
