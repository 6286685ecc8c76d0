// The roles the tests' principals hold, by party id, for the in-process
// test directory (tests/services/test_principals.h) and the accounts a
// process test makes in a real vagtd (test_accounts.h) alike:
// "worker:admin" is an administrator, "worker:tilsyn" and "worker:xyz" are
// auditors, kOnlyTeamWorker and kOnlyTeamLeader hold that one role, every
// other "worker:" is a team worker and team leader of its
// team (TestTeamOf), a "partner:" is a partner, a "system:" an integration
// of the team.
//
// Two teams: kTestTeam holds every line the tests act on and works with
// every partner but kStrangerPartner; kOtherTeam holds the line kOtherLine,
// and kOtherTeamWorker is its worker, for the relationship rules.
#ifndef VAGT_TESTS_SUPPORT_TEST_ROLES_H_
#define VAGT_TESTS_SUPPORT_TEST_ROLES_H_

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "vagt/v1/events.pb.h"

namespace vagt::testing {

inline constexpr char kTestTeam[] = "test-team";
inline constexpr char kOtherTeam[] = "other-team";
inline constexpr char kOtherLine[] = "other-line";
inline constexpr char kOtherTeamWorker[] = "worker:vera";
// A partner no team works with.
inline constexpr char kStrangerPartner[] = "partner:fremmed";

struct TestTeam {
  std::string team_id;
  std::vector<std::string> line_ids;
};

// Every team, with its lines (a command on any other line is refused as
// unregistered).
inline std::vector<TestTeam> TestTeams() {
  TestTeam test{.team_id = kTestTeam,
                .line_ids = {"ishoj-bos", "central", "vest", "l", "m", "n",
                             "allerod", "line-bos", "line-bench"}};
  return {test, TestTeam{.team_id = kOtherTeam, .line_ids = {kOtherLine}}};
}

// More lines of kTestTeam, in the in-process directory only: the line
// service's state table and its race give each row or round a line of its
// own.
inline std::vector<std::string> NumberedTestLines() {
  std::vector<std::string> lines;
  for (int row = 0; row < 64; ++row) {
    lines.push_back(absl::StrCat("table-", row));
    lines.push_back(absl::StrCat("race-", row));
  }
  return lines;
}

// The team whose team roles `id` holds.
inline std::string TestTeamOf(const std::string& id) {
  return id == kOtherTeamWorker ? kOtherTeam : kTestTeam;
}

// Whether kTestTeam works with the partner `id`.
inline bool IsTestTeamPartner(const std::string& id) {
  return absl::StartsWith(id, "partner:") && id != kStrangerPartner;
}

// One principal for each role alone, for the authorization matrix.
inline constexpr char kOnlyTeamWorker[] = "worker:kun-medarbejder";
inline constexpr char kOnlyTeamLeader[] = "worker:kun-leder";

inline std::vector<v1::Role> TestRolesOf(const std::string& id) {
  if (id == "worker:admin") return {v1::ROLE_ADMINISTRATOR};
  if (id == kOnlyTeamWorker) return {v1::ROLE_TEAM_WORKER};
  if (id == kOnlyTeamLeader) return {v1::ROLE_TEAM_LEADER};
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

// By name: night partners, the police, psychiatric emergency; other
// partners a social emergency service.
inline v1::PartyKind TestPartnerKindOf(const std::string& id) {
  if (!absl::StartsWith(id, "partner:")) return v1::PARTY_KIND_UNSPECIFIED;
  if (absl::StrContains(id, "nat") || absl::StrContains(id, "night")) {
    return v1::PARTY_KIND_NIGHT_PARTNER;
  }
  if (absl::StrContains(id, "politi")) return v1::PARTY_KIND_POLICE;
  if (absl::StrContains(id, "psykiatri")) {
    return v1::PARTY_KIND_PSYCHIATRIC_EMERGENCY;
  }
  return v1::PARTY_KIND_SOCIAL_EMERGENCY_SERVICE;
}

}  // namespace vagt::testing

#endif  // VAGT_TESTS_SUPPORT_TEST_ROLES_H_
