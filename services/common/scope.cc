#include "services/common/scope.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "domain/directory.h"
#include "eventstore/status_macros.h"
#include "services/common/rights.h"

namespace vagt::services {
namespace {

// Whether (role, team) carries `right` on a line of `team`.
bool CarriesOn(const Caller& caller, v1::Role role, const std::string& team_id,
               Right right, const Team& team) {
  if (!RoleCarries(role, right)) return false;
  if (IsTeamRole(role)) return team_id == team.team_id;
  if (role == v1::ROLE_PARTNER) {
    return team.partner_ids.contains(caller.party_id);
  }
  return true;  // a role of the whole installation
}

// "TEAM_WORKER, TEAM_LEADER of the team \"central\", or a partner it works
// with": who carries `right` on the team's lines.
std::string HoldersOn(Right right, const Team& team) {
  std::vector<std::string> team_roles;
  std::vector<std::string> others;
  bool partners = false;
  for (v1::Role role : RolesWith(right)) {
    const std::string name(absl::StripPrefix(v1::Role_Name(role), "ROLE_"));
    if (IsTeamRole(role)) {
      team_roles.push_back(name);
    } else if (role == v1::ROLE_PARTNER) {
      partners = true;
    } else {
      others.push_back(name);
    }
  }
  std::vector<std::string> parts;
  if (!team_roles.empty()) {
    parts.push_back(absl::StrCat(absl::StrJoin(team_roles, ", "),
                                 " of the team \"", team.team_id, "\""));
  }
  if (partners) parts.push_back("a partner the team works with");
  for (std::string& other : others) parts.push_back(std::move(other));
  return absl::StrJoin(parts, "; ");
}

// The team line `line_id` is registered to, in the directory the caller
// was admitted against; NOT_FOUND naming the line when it is not.
absl::StatusOr<const Team*> RegisteredTeamOf(const Caller& caller,
                                             const std::string& line_id,
                                             absl::string_view field) {
  if (caller.directory == nullptr || caller.rule == nullptr) {
    return absl::InternalError(
        "the request was admitted without a directory; refused");
  }
  RETURN_IF_ERROR(CheckDirectoryName(line_id, field));
  const Team* team = caller.directory->TeamOfLine(line_id);
  if (team == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        field, ": \"", line_id,
        "\" is not a registered line (an administrator registers it for its "
        "team: vagtctl directory line ",
        line_id, " <team>)"));
  }
  return team;
}

}  // namespace

absl::Status CheckLine(const Caller& caller, const std::string& line_id,
                       absl::string_view field) {
  ASSIGN_OR_RETURN(const Team* team, RegisteredTeamOf(caller, line_id, field));
  const Right right = caller.rule->right;
  for (const auto& [role, team_id] : caller.roles) {
    if (CarriesOn(caller, role, team_id, right, *team)) {
      return absl::OkStatus();
    }
  }
  return absl::PermissionDeniedError(
      absl::StrCat("needs the right '", RightName(right), "' on the line \"",
                   line_id, "\" (held by ", HoldersOn(right, *team), ")"));
}

absl::Status CheckWorksOnLine(const Caller& caller, const std::string& line_id,
                              const std::string& party_id,
                              absl::string_view field) {
  // A malformed id is the decision's to refuse, naming what is wrong.
  if (!CheckPrincipalId(party_id, field).ok()) return absl::OkStatus();
  ASSIGN_OR_RETURN(const Team* team,
                   RegisteredTeamOf(caller, line_id, "line_id"));
  if (team->partner_ids.contains(party_id)) return absl::OkStatus();
  if (const Principal* p = caller.directory->principal(party_id);
      p != nullptr) {
    for (const auto& [role, team_id] : p->roles) {
      if (IsTeamRole(role) && team_id == team->team_id) {
        return absl::OkStatus();
      }
    }
  }
  return absl::FailedPreconditionError(absl::StrCat(
      field, ": \"", party_id, "\" does not work on the line \"", line_id,
      "\" (neither in its team \"", team->team_id,
      "\" nor a partner the team works with), so could not answer"));
}

absl::Status CheckPartnerConcerned(const Caller& caller, bool concerned,
                                   absl::string_view what) {
  if (concerned || !ActsAsPartner(caller)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      "needs the right '",
      caller.rule == nullptr ? "" : RightName(caller.rule->right), "' on ",
      what, " (a partner acts only on what is aimed at it, offered to it or ",
      "raised by it)"));
}

absl::Status CheckActsOn(const Caller& caller, const std::string& line_id,
                         bool concerned, absl::string_view what) {
  RETURN_IF_ERROR(CheckLine(caller, line_id, absl::StrCat(what, "'s line")));
  return CheckPartnerConcerned(caller, concerned, what);
}

bool ReadsEveryLine(const Caller& caller) {
  if (caller.rule == nullptr) return false;
  for (const auto& [role, team_id] : caller.roles) {
    if (!IsTeamRole(role) && role != v1::ROLE_PARTNER &&
        RoleCarries(role, caller.rule->right)) {
      return true;
    }
  }
  return false;
}

bool SeesLine(const Caller& caller, const std::string& line_id) {
  return line_id.empty() || ReadsEveryLine(caller) ||
         CheckLine(caller, line_id).ok();
}

bool ActsAsPartner(const Caller& caller) {
  bool partner = false;
  for (const auto& [role, team_id] : caller.roles) {
    if (IsTeamRole(role)) return false;
    if (role == v1::ROLE_PARTNER) partner = true;
  }
  return partner;
}

v1::ConsentRecipientKind ConsentRecipientOf(const Caller& caller) {
  if (!ActsAsPartner(caller) || caller.directory == nullptr) {
    return v1::CONSENT_RECIPIENT_KIND_UNSPECIFIED;
  }
  const Principal* principal = caller.directory->principal(caller.party_id);
  if (principal == nullptr) return v1::CONSENT_RECIPIENT_KIND_UNSPECIFIED;
  switch (principal->partner_kind) {
    case v1::PARTY_KIND_NIGHT_PARTNER:
      return v1::CONSENT_RECIPIENT_KIND_NIGHT_PARTNER;
    case v1::PARTY_KIND_SOCIAL_EMERGENCY_SERVICE:
      return v1::CONSENT_RECIPIENT_KIND_SOCIAL_EMERGENCY_SERVICE;
    case v1::PARTY_KIND_PSYCHIATRIC_EMERGENCY:
      return v1::CONSENT_RECIPIENT_KIND_PSYCHIATRIC_EMERGENCY;
    case v1::PARTY_KIND_POLICE:
      return v1::CONSENT_RECIPIENT_KIND_POLICE;
    default:
      return v1::CONSENT_RECIPIENT_KIND_UNSPECIFIED;
  }
}

}  // namespace vagt::services
