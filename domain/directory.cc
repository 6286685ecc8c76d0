#include "domain/directory.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "eventstore/timestamps.h"

namespace vagt {
namespace {

constexpr size_t kMaxNameBytes = 64;

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

absl::Status CheckName(absl::string_view name, absl::string_view field) {
  if (name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  if (name.size() > kMaxNameBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": at most ", kMaxNameBytes, " characters"));
  }
  for (char c : name) {
    if (!IsNameChar(c)) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": only lower-case letters, digits, '.', '_' and '-'"));
    }
  }
  return absl::OkStatus();
}

constexpr std::pair<absl::string_view, v1::PrincipalKind> kPrefixes[] = {
    {"worker:", v1::PRINCIPAL_KIND_PERSON},
    {"partner:", v1::PRINCIPAL_KIND_PARTNER},
    {"system:", v1::PRINCIPAL_KIND_SYSTEM},
};

}  // namespace

v1::PrincipalKind KindOfPrincipalId(absl::string_view party_id) {
  for (const auto& [prefix, kind] : kPrefixes) {
    if (absl::StartsWith(party_id, prefix)) return kind;
  }
  return v1::PRINCIPAL_KIND_UNSPECIFIED;
}

absl::Status CheckPrincipalId(const std::string& party_id,
                              absl::string_view field) {
  if (party_id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  for (const auto& [prefix, kind] : kPrefixes) {
    if (absl::StartsWith(party_id, prefix)) {
      return CheckName(absl::string_view(party_id).substr(prefix.size()),
                       absl::StrCat(field, " (after \"", prefix, "\")"));
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": must start with \"worker:\", \"partner:\" or \"system:\""));
}

absl::Status CheckDirectoryName(const std::string& id,
                                absl::string_view field) {
  return CheckName(id, field);
}

bool IsTeamRole(v1::Role role) {
  return role == v1::ROLE_TEAM_WORKER || role == v1::ROLE_TEAM_LEADER ||
         role == v1::ROLE_INTEGRATION;
}

v1::PrincipalKind KindForRole(v1::Role role) {
  switch (role) {
    case v1::ROLE_TEAM_WORKER:
    case v1::ROLE_TEAM_LEADER:
    case v1::ROLE_AUDITOR:
    case v1::ROLE_ADMINISTRATOR:
      return v1::PRINCIPAL_KIND_PERSON;
    case v1::ROLE_PARTNER:
      return v1::PRINCIPAL_KIND_PARTNER;
    case v1::ROLE_INTEGRATION:
      return v1::PRINCIPAL_KIND_SYSTEM;
    default:
      return v1::PRINCIPAL_KIND_UNSPECIFIED;
  }
}

void DirectoryState::Apply(const v1::EventEnvelope& event) {
  if (event.stream_id() != kDirectoryStream) return;
  version_ = event.stream_version();
  const v1::EventPayload& p = event.payload();
  switch (p.event_case()) {
    case v1::EventPayload::kPrincipalRegistered: {
      const auto& e = p.principal_registered();
      Principal& principal = principals_[e.party_id()];
      principal.party_id = e.party_id();
      principal.kind = e.kind();
      principal.partner_kind = e.partner_kind();
      principal.display_name = e.display_name();
      break;
    }
    case v1::EventPayload::kPrincipalRoleGranted: {
      const auto& e = p.principal_role_granted();
      principals_[e.party_id()].roles.insert({e.role(), e.team_id()});
      break;
    }
    case v1::EventPayload::kPrincipalRoleRevoked: {
      const auto& e = p.principal_role_revoked();
      principals_[e.party_id()].roles.erase({e.role(), e.team_id()});
      break;
    }
    case v1::EventPayload::kPrincipalSuspended:
      principals_[p.principal_suspended().party_id()].suspended = true;
      break;
    case v1::EventPayload::kPrincipalReinstated:
      principals_[p.principal_reinstated().party_id()].suspended = false;
      break;
    case v1::EventPayload::kCredentialIssued: {
      const auto& e = p.credential_issued();
      Credential& c = credentials_[e.credential_id()];
      c.credential_id = e.credential_id();
      c.party_id = e.party_id();
      c.label = e.label();
      c.secret_sha256 = e.secret_sha256();
      c.issued_at = ToTime(event.occurred_at());
      c.expires_at = ToTime(e.expires_at());
      principals_[e.party_id()].credentials.insert(e.credential_id());
      break;
    }
    case v1::EventPayload::kCredentialRevoked:
      credentials_[p.credential_revoked().credential_id()].revoked = true;
      break;
    case v1::EventPayload::kTeamRegistered: {
      const auto& e = p.team_registered();
      Team& team = teams_[e.team_id()];
      team.team_id = e.team_id();
      team.display_name = e.display_name();
      break;
    }
    case v1::EventPayload::kTeamLineRegistered: {
      const auto& e = p.team_line_registered();
      teams_[e.team_id()].line_ids.insert(e.line_id());
      team_of_line_[e.line_id()] = e.team_id();
      break;
    }
    case v1::EventPayload::kTeamPartnerAdded: {
      const auto& e = p.team_partner_added();
      teams_[e.team_id()].partner_ids.insert(e.partner_id());
      break;
    }
    default:
      break;
  }
}

const Principal* DirectoryState::principal(const std::string& party_id) const {
  auto it = principals_.find(party_id);
  return it == principals_.end() ? nullptr : &it->second;
}

const Credential* DirectoryState::credential(
    const std::string& credential_id) const {
  auto it = credentials_.find(credential_id);
  return it == credentials_.end() ? nullptr : &it->second;
}

const Team* DirectoryState::team(const std::string& team_id) const {
  auto it = teams_.find(team_id);
  return it == teams_.end() ? nullptr : &it->second;
}

const Team* DirectoryState::TeamOfLine(const std::string& line_id) const {
  auto it = team_of_line_.find(line_id);
  return it == team_of_line_.end() ? nullptr : team(it->second);
}

}  // namespace vagt
