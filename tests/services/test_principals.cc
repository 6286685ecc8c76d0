#include "tests/services/test_principals.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "domain/access_token.h"
#include "domain/directory.h"
#include "domain/streams.h"
#include "eventstore/timestamps.h"
#include "services/common/ids.h"

namespace vagt::testing {
namespace {

constexpr const char* kPrincipals[] = {
    "worker:admin",
    "worker:tilsyn",
    "worker:xyz",
    "worker:akut",
    "worker:ann",
    "worker:anna",
    "worker:bench",
    "worker:bo",
    "worker:bo-backup",
    "worker:cai",
    "worker:carl",
    "worker:dan",
    "worker:dan-backup",
    "worker:eva",
    "worker:finn",
    "worker:finn-backup",
    "worker:gry",
    "worker:hans",
    "worker:hans-backup",
    "worker:ida",
    "worker:leader",
    "worker:leder",
    "worker:python-client",
    "worker:t",
    "worker:vera",
    "partner:a",
    "partner:akut",
    "partner:akut-ishoj",
    "partner:akuttilbud",
    "partner:andet-natteravn",
    "partner:b",
    "partner:fremmed",
    "partner:natpartner",
    "partner:natteravnen",
    "partner:night",
    "partner:other",
    "partner:politi",
    "partner:politi-1",
    "partner:politi-2",
    "partner:psykiatrisk-akutmodtagelse",
    "partner:socialt-akuttilbud",
    "system:a",
    "system:b",
    "system:coverage",
    "system:coverage-watch",
    "system:engine",
    "system:escalation-engine",
    "system:escalation-timer",
    "system:escalations",
};

std::string CredentialId(const std::string& party_id) {
  return services::IdFromRequest("test-credential", party_id);
}

std::string Secret(const std::string& party_id) {
  return absl::BytesToHexString(SecretDigest(absl::StrCat("test ", party_id)));
}

eventstore::NewEvent Event(v1::EventPayload payload, absl::Time now) {
  eventstore::NewEvent e;
  e.payload = std::move(payload);
  e.actor = "system:test-setup";
  e.occurred_at = now;
  return e;
}

}  // namespace

std::string TestToken(const std::string& party_id) {
  return AccessToken{.credential_id = CredentialId(party_id),
                     .secret = Secret(party_id)}
      .text();
}

std::vector<eventstore::NewEvent> TestDirectoryEvents(absl::Time now) {
  std::vector<eventstore::NewEvent> events;
  std::vector<TestTeam> teams = TestTeams();
  for (std::string& line : NumberedTestLines()) {
    teams.front().line_ids.push_back(std::move(line));
  }
  for (const TestTeam& t : teams) {
    v1::EventPayload team;
    team.mutable_team_registered()->set_team_id(t.team_id);
    team.mutable_team_registered()->set_display_name(t.team_id);
    events.push_back(Event(std::move(team), now));
    for (const std::string& line : t.line_ids) {
      v1::EventPayload registered;
      registered.mutable_team_line_registered()->set_team_id(t.team_id);
      registered.mutable_team_line_registered()->set_line_id(line);
      events.push_back(Event(std::move(registered), now));
    }
  }
  for (const char* raw : kPrincipals) {
    const std::string id = raw;
    v1::EventPayload registered;
    auto& r = *registered.mutable_principal_registered();
    r.set_party_id(id);
    r.set_kind(TestKindOf(id));
    r.set_partner_kind(TestPartnerKindOf(id));
    r.set_display_name(id.substr(id.find(':') + 1));
    events.push_back(Event(std::move(registered), now));
    for (v1::Role role : TestRolesOf(id)) {
      v1::EventPayload granted;
      auto& g = *granted.mutable_principal_role_granted();
      g.set_party_id(id);
      g.set_role(role);
      if (IsTeamRole(role)) g.set_team_id(TestTeamOf(id));
      events.push_back(Event(std::move(granted), now));
    }
    if (IsTestTeamPartner(id)) {
      v1::EventPayload added;
      added.mutable_team_partner_added()->set_team_id(kTestTeam);
      added.mutable_team_partner_added()->set_partner_id(id);
      events.push_back(Event(std::move(added), now));
    }
    v1::EventPayload issued;
    auto& c = *issued.mutable_credential_issued();
    c.set_credential_id(CredentialId(id));
    c.set_party_id(id);
    c.set_label("test");
    c.set_secret_sha256(SecretDigest(Secret(id)));
    *c.mutable_expires_at() = ToTimestamp(now + absl::Hours(24 * 3650));
    events.push_back(Event(std::move(issued), now));
  }
  return events;
}

}  // namespace vagt::testing
