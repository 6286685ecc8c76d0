// The field rules every service shares (domain/field_checks.h). Parties: a
// party's id agrees with its kind, so a partner is never taken for a team
// worker (who sees every item of a note, consent or not).
#include "domain/field_checks.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vagt/v1/events.pb.h"

namespace vagt {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kBo[] = "worker:bo";

TEST(PartyRuleTest, IdMustAgreeWithKindForEveryKind) {
  auto party = [](v1::PartyKind kind, const std::string& id) {
    v1::Party p;
    p.set_kind(kind);
    p.set_id(id);
    return p;
  };
  EXPECT_TRUE(CheckParty(party(v1::PARTY_KIND_TEAM_WORKER, kBo), "p").ok());
  for (const char* bad : {"partner:natpartner", "worker:", "bo", "Worker:bo"}) {
    SCOPED_TRACE(bad);
    absl::Status s = CheckParty(party(v1::PARTY_KIND_TEAM_WORKER, bad), "p");
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(s.message(), HasSubstr("p.id"));
    EXPECT_THAT(s.message(), Not(HasSubstr("natpartner")));
  }
  for (v1::PartyKind kind :
       {v1::PARTY_KIND_NIGHT_PARTNER, v1::PARTY_KIND_SOCIAL_EMERGENCY_SERVICE,
        v1::PARTY_KIND_PSYCHIATRIC_EMERGENCY, v1::PARTY_KIND_POLICE,
        v1::PARTY_KIND_OTHER_PARTNER}) {
    SCOPED_TRACE(v1::PartyKind_Name(kind));
    EXPECT_TRUE(CheckParty(party(kind, "partner:akut-ishoj"), "p").ok());
    for (const char* bad : {"worker:anna", "partner:", "akut-ishoj"}) {
      SCOPED_TRACE(bad);
      absl::Status s = CheckParty(party(kind, bad), "p");
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
      EXPECT_THAT(s.message(), HasSubstr("p.id"));
    }
  }
  absl::Status unspecified =
      CheckParty(party(v1::PARTY_KIND_UNSPECIFIED, kBo), "p");
  EXPECT_EQ(unspecified.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unspecified.message(), HasSubstr("p.kind"));
}

}  // namespace
}  // namespace vagt
