// The roles the tests' principals hold, by party id, for the in-process
// test directory (tests/services/test_principals.h) and the accounts a
// process test makes in a real vagtd (test_accounts.h) alike:
// "worker:admin" is an administrator, "worker:tilsyn" and "worker:xyz" are
// auditors, every other "worker:" is a team worker and team leader of the
// team kTestTeam, a "partner:" is a partner, a "system:" an integration of
// the team.
#ifndef VAGT_TESTS_SUPPORT_TEST_ROLES_H_
#define VAGT_TESTS_SUPPORT_TEST_ROLES_H_

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "vagt/v1/events.pb.h"

namespace vagt::testing {

inline constexpr char kTestTeam[] = "test-team";

inline std::vector<v1::Role> TestRolesOf(const std::string& id) {
  if (id == "worker:admin") return {v1::ROLE_ADMINISTRATOR};
  if (id == "worker:tilsyn" || id == "worker:xyz") return {v1::ROLE_AUDITOR};
  if (absl::StartsWith(id, "worker:")) {
    return {v1::ROLE_TEAM_WORKER, v1::ROLE_TEAM_LEADER};
  }
  if (absl::StartsWith(id, "partner:")) return {v1::ROLE_PARTNER};
  return {v1::ROLE_INTEGRATION};
}

inline v1::PrincipalKind TestKindOf(const std::string& id) {
  if (absl::StartsWith(id, "worker:")) return v1::PRINCIPAL_KIND_PERSON;
  if (absl::StartsWith(id, "partner:")) return v1::PRINCIPAL_KIND_PARTNER;
  return v1::PRINCIPAL_KIND_SYSTEM;
}

// Night partners by name, other partners a social emergency service.
inline v1::PartyKind TestPartnerKindOf(const std::string& id) {
  if (!absl::StartsWith(id, "partner:")) return v1::PARTY_KIND_UNSPECIFIED;
  return absl::StrContains(id, "nat") || absl::StrContains(id, "night")
             ? v1::PARTY_KIND_NIGHT_PARTNER
             : v1::PARTY_KIND_SOCIAL_EMERGENCY_SERVICE;
}

}  // namespace vagt::testing

#endif  // VAGT_TESTS_SUPPORT_TEST_ROLES_H_
