#include "services/directory/directory_decisions.h"

#include "absl/strings/str_cat.h"
#include "domain/field_checks.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"

namespace vagt::services {
namespace {

constexpr size_t kMaxNameBytes = 200;
constexpr size_t kMaxReasonBytes = 500;

absl::Status CheckBounded(const std::string& text, absl::string_view field,
                          size_t max_bytes) {
  if (text.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  return CheckId(text, field, /*required=*/true, max_bytes);
}

// The principal `party_id` names; NOT_FOUND naming `field` when unknown.
absl::StatusOr<const Principal*> Known(const DirectoryState& directory,
                                       const std::string& party_id,
                                       absl::string_view field) {
  RETURN_IF_ERROR(CheckPrincipalId(party_id, field));
  const Principal* principal = directory.principal(party_id);
  if (principal == nullptr) {
    return absl::NotFoundError(absl::StrCat(field, ": no such principal"));
  }
  return principal;
}

absl::StatusOr<const Team*> KnownTeam(const DirectoryState& directory,
                                      const std::string& team_id) {
  RETURN_IF_ERROR(CheckDirectoryName(team_id, "team_id"));
  const Team* team = directory.team(team_id);
  if (team == nullptr) return absl::NotFoundError("team_id: no such team");
  return team;
}

// The role and team of a grant or revocation, checked against the
// principal's kind.
absl::Status CheckGrant(const DirectoryState& directory,
                        const Principal& principal, v1::Role role,
                        const std::string& team_id) {
  if (role == v1::ROLE_UNSPECIFIED || !v1::Role_IsValid(role)) {
    return absl::InvalidArgumentError("role: required, a known role");
  }
  if (KindForRole(role) != principal.kind) {
    return absl::InvalidArgumentError(
        absl::StrCat("role: ", v1::Role_Name(role), " is not for a ",
                     v1::PrincipalKind_Name(principal.kind), " principal"));
  }
  if (!IsTeamRole(role)) {
    if (!team_id.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("team_id: must be empty for ", v1::Role_Name(role),
                       " (a role of the whole installation)"));
    }
    return absl::OkStatus();
  }
  return KnownTeam(directory, team_id).status();
}

}  // namespace

Decision DecideRegisterPrincipal(const DirectoryState& directory,
                                 const v1::RegisterPrincipalRequest& request) {
  RETURN_IF_ERROR(CheckPrincipalId(request.party_id(), "party_id"));
  const v1::PrincipalKind kind = KindOfPrincipalId(request.party_id());
  const bool partner = kind == v1::PRINCIPAL_KIND_PARTNER;
  if (partner && (request.partner_kind() == v1::PARTY_KIND_UNSPECIFIED ||
                  request.partner_kind() == v1::PARTY_KIND_TEAM_WORKER ||
                  !v1::PartyKind_IsValid(request.partner_kind()))) {
    return absl::InvalidArgumentError(
        "partner_kind: required for a partner, a partner kind "
        "(NIGHT_PARTNER, SOCIAL_EMERGENCY_SERVICE, ...)");
  }
  if (!partner && request.partner_kind() != v1::PARTY_KIND_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        "partner_kind: only for a partner (\"partner:<id>\")");
  }
  RETURN_IF_ERROR(
      CheckBounded(request.display_name(), "display_name", kMaxNameBytes));
  if (directory.principal(request.party_id()) != nullptr) {
    return absl::AlreadyExistsError("party_id: already registered");
  }
  v1::EventPayload payload;
  v1::PrincipalRegistered& e = *payload.mutable_principal_registered();
  e.set_party_id(request.party_id());
  e.set_kind(kind);
  e.set_partner_kind(request.partner_kind());
  e.set_display_name(request.display_name());
  return One(std::move(payload));
}

Decision DecideGrantRole(const DirectoryState& directory,
                         const v1::GrantRoleRequest& request) {
  ASSIGN_OR_RETURN(const Principal* principal,
                   Known(directory, request.party_id(), "party_id"));
  RETURN_IF_ERROR(
      CheckGrant(directory, *principal, request.role(), request.team_id()));
  if (principal->Holds(request.role(), request.team_id())) {
    return absl::FailedPreconditionError(
        "role: already held by this principal");
  }
  v1::EventPayload payload;
  v1::PrincipalRoleGranted& e = *payload.mutable_principal_role_granted();
  e.set_party_id(request.party_id());
  e.set_role(request.role());
  e.set_team_id(request.team_id());
  return One(std::move(payload));
}

Decision DecideRevokeRole(const DirectoryState& directory,
                          const v1::RevokeRoleRequest& request) {
  ASSIGN_OR_RETURN(const Principal* principal,
                   Known(directory, request.party_id(), "party_id"));
  RETURN_IF_ERROR(
      CheckGrant(directory, *principal, request.role(), request.team_id()));
  if (!principal->Holds(request.role(), request.team_id())) {
    return absl::FailedPreconditionError("role: not held by this principal");
  }
  v1::EventPayload payload;
  v1::PrincipalRoleRevoked& e = *payload.mutable_principal_role_revoked();
  e.set_party_id(request.party_id());
  e.set_role(request.role());
  e.set_team_id(request.team_id());
  return One(std::move(payload));
}

Decision DecideSuspend(const DirectoryState& directory,
                       const v1::SuspendPrincipalRequest& request) {
  ASSIGN_OR_RETURN(const Principal* principal,
                   Known(directory, request.party_id(), "party_id"));
  RETURN_IF_ERROR(CheckBounded(request.reason(), "reason", kMaxReasonBytes));
  if (principal->suspended) {
    return absl::FailedPreconditionError("party_id: already suspended");
  }
  v1::EventPayload payload;
  v1::PrincipalSuspended& e = *payload.mutable_principal_suspended();
  e.set_party_id(request.party_id());
  e.set_reason(request.reason());
  return One(std::move(payload));
}

Decision DecideReinstate(const DirectoryState& directory,
                         const v1::ReinstatePrincipalRequest& request) {
  ASSIGN_OR_RETURN(const Principal* principal,
                   Known(directory, request.party_id(), "party_id"));
  if (!principal->suspended) {
    return absl::FailedPreconditionError("party_id: not suspended");
  }
  v1::EventPayload payload;
  payload.mutable_principal_reinstated()->set_party_id(request.party_id());
  return One(std::move(payload));
}

Decision DecideIssueToken(const DirectoryState& directory,
                          const v1::IssueTokenRequest& request,
                          const std::string& credential_id,
                          const std::string& secret_sha256, absl::Time now) {
  ASSIGN_OR_RETURN(const Principal* principal,
                   Known(directory, request.party_id(), "party_id"));
  RETURN_IF_ERROR(CheckBounded(request.label(), "label", kMaxNameBytes));
  absl::Duration lifetime = kDefaultTokenLifetime;
  if (request.has_valid_for()) {
    const int32_t nanos = request.valid_for().nanos();
    if (nanos <= -1'000'000'000 || nanos >= 1'000'000'000) {
      return absl::InvalidArgumentError("valid_for: not a valid duration");
    }
    lifetime = absl::Seconds(request.valid_for().seconds()) +
               absl::Nanoseconds(request.valid_for().nanos());
    if (lifetime < absl::Minutes(1) || lifetime > kMaxTokenLifetime) {
      return absl::InvalidArgumentError("valid_for: from 1 minute to 400 days");
    }
  }
  if (principal->suspended) {
    return absl::FailedPreconditionError(
        "party_id: suspended (reinstate it first)");
  }
  if (directory.credential(credential_id) != nullptr) {
    return absl::AlreadyExistsError("credential_id: already issued");
  }
  v1::EventPayload payload;
  v1::CredentialIssued& e = *payload.mutable_credential_issued();
  e.set_credential_id(credential_id);
  e.set_party_id(request.party_id());
  e.set_label(request.label());
  e.set_secret_sha256(secret_sha256);
  *e.mutable_expires_at() = ToTimestamp(now + lifetime);
  return One(std::move(payload));
}

Decision DecideRevokeToken(const DirectoryState& directory,
                           const v1::RevokeTokenRequest& request) {
  RETURN_IF_ERROR(CheckId(request.credential_id(), "credential_id",
                          /*required=*/true));
  RETURN_IF_ERROR(CheckBounded(request.reason(), "reason", kMaxReasonBytes));
  const Credential* credential = directory.credential(request.credential_id());
  if (credential == nullptr) {
    return absl::NotFoundError("credential_id: no such credential");
  }
  if (credential->revoked) {
    return absl::FailedPreconditionError("credential_id: already revoked");
  }
  v1::EventPayload payload;
  v1::CredentialRevoked& e = *payload.mutable_credential_revoked();
  e.set_credential_id(request.credential_id());
  e.set_party_id(credential->party_id);
  e.set_reason(request.reason());
  return One(std::move(payload));
}

Decision DecideRegisterTeam(const DirectoryState& directory,
                            const v1::RegisterTeamRequest& request) {
  RETURN_IF_ERROR(CheckDirectoryName(request.team_id(), "team_id"));
  RETURN_IF_ERROR(
      CheckBounded(request.display_name(), "display_name", kMaxNameBytes));
  if (directory.team(request.team_id()) != nullptr) {
    return absl::AlreadyExistsError("team_id: already registered");
  }
  v1::EventPayload payload;
  v1::TeamRegistered& e = *payload.mutable_team_registered();
  e.set_team_id(request.team_id());
  e.set_display_name(request.display_name());
  return One(std::move(payload));
}

Decision DecideRegisterLine(const DirectoryState& directory,
                            const v1::RegisterLineRequest& request) {
  ASSIGN_OR_RETURN(const Team* team, KnownTeam(directory, request.team_id()));
  RETURN_IF_ERROR(CheckDirectoryName(request.line_id(), "line_id"));
  if (const Team* holder = directory.TeamOfLine(request.line_id());
      holder != nullptr) {
    return absl::FailedPreconditionError(
        holder == team ? "line_id: already registered for this team"
                       : "line_id: already registered for another team");
  }
  v1::EventPayload payload;
  v1::TeamLineRegistered& e = *payload.mutable_team_line_registered();
  e.set_team_id(request.team_id());
  e.set_line_id(request.line_id());
  return One(std::move(payload));
}

Decision DecideAddTeamPartner(const DirectoryState& directory,
                              const v1::AddTeamPartnerRequest& request) {
  ASSIGN_OR_RETURN(const Team* team, KnownTeam(directory, request.team_id()));
  ASSIGN_OR_RETURN(const Principal* partner,
                   Known(directory, request.partner_id(), "partner_id"));
  if (partner->kind != v1::PRINCIPAL_KIND_PARTNER) {
    return absl::InvalidArgumentError(
        "partner_id: must name a partner (\"partner:<id>\")");
  }
  if (team->partner_ids.contains(request.partner_id())) {
    return absl::FailedPreconditionError(
        "partner_id: already works with this team");
  }
  v1::EventPayload payload;
  v1::TeamPartnerAdded& e = *payload.mutable_team_partner_added();
  e.set_team_id(request.team_id());
  e.set_partner_id(request.partner_id());
  return One(std::move(payload));
}

}  // namespace vagt::services
