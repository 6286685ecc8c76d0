#include "services/common/gate.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "domain/access_token.h"
#include "eventstore/status_macros.h"
#include "services/common/jwt_signature.h"
#include "services/common/oidc.h"
#include "services/common/rights.h"

namespace vagt::services {
namespace {

// Compared with when the credential is unknown, so that an unknown id costs
// the same digest and comparison as a wrong secret.
const std::string& NoDigest() {
  static const auto* digest = new std::string(32, '\0');
  return *digest;
}

// The principal a vagt access token names.
absl::StatusOr<const Principal*> ByAccessToken(const DirectoryState& directory,
                                               absl::string_view bearer,
                                               absl::Time now,
                                               std::string* credential_id) {
  ASSIGN_OR_RETURN(AccessToken token, ParseAccessToken(bearer));
  const Credential* credential = directory.credential(token.credential_id);
  const bool matches = DigestMatches(
      SecretDigest(token.secret),
      credential == nullptr ? NoDigest() : credential->secret_sha256);
  if (credential == nullptr || !matches) {
    return absl::UnauthenticatedError(
        "authorization: not a token this server issued");
  }
  if (credential->revoked) {
    return absl::UnauthenticatedError("authorization: the token is revoked");
  }
  if (now >= credential->expires_at) {
    return absl::UnauthenticatedError("authorization: the token has expired");
  }
  const Principal* principal = directory.principal(credential->party_id);
  if (principal == nullptr) {
    return absl::UnauthenticatedError(
        "authorization: not a token this server issued");
  }
  *credential_id = credential->credential_id;
  return principal;
}

// The principal an OpenID Connect token names.
absl::StatusOr<const Principal*> ByIdentityToken(
    const DirectoryState& directory, absl::string_view bearer, absl::Time now,
    const OidcVerifier* oidc) {
  if (oidc == nullptr) {
    return absl::UnauthenticatedError(
        "authorization: an OpenID Connect token, but this server trusts no "
        "identity provider");
  }
  absl::StatusOr<std::string> party_id = oidc->PartyOf(bearer, now);
  if (!party_id.ok()) {
    return absl::UnauthenticatedError(
        absl::StrCat("authorization: ", party_id.status().message()));
  }
  const Principal* principal = directory.principal(*party_id);
  if (principal == nullptr) {
    return absl::UnauthenticatedError(absl::StrCat(
        "authorization: ", *party_id, " is not registered in the directory"));
  }
  return principal;
}

absl::StatusOr<const Principal*> Authenticate(const DirectoryState& directory,
                                              absl::string_view authorization,
                                              absl::Time now,
                                              const OidcVerifier* oidc,
                                              std::string* credential_id) {
  if (authorization.empty()) {
    return absl::UnauthenticatedError(
        "authorization: required (\"Bearer <vagt access token>\" or an "
        "OpenID Connect token)");
  }
  if (!absl::ConsumePrefix(&authorization, "Bearer ")) {
    return absl::UnauthenticatedError(
        "authorization: must be \"Bearer <vagt access token>\" or an OpenID "
        "Connect token");
  }
  ASSIGN_OR_RETURN(
      const Principal* principal,
      LooksLikeJwt(authorization)
          ? ByIdentityToken(directory, authorization, now, oidc)
          : ByAccessToken(directory, authorization, now, credential_id));
  if (principal->suspended) {
    return absl::UnauthenticatedError(
        "authorization: the token's principal is suspended");
  }
  return principal;
}

std::string RoleNames(Right right) {
  return absl::StrJoin(
      RolesWith(right), ", ", [](std::string* out, v1::Role r) {
        absl::StrAppend(out, absl::StripPrefix(v1::Role_Name(r), "ROLE_"));
      });
}

}  // namespace

absl::StatusOr<Caller> Admit(std::shared_ptr<const DirectoryState> directory,
                             absl::string_view method,
                             absl::string_view authorization, absl::Time now,
                             const OidcVerifier* oidc,
                             std::string* refused_party) {
  const MethodRule* rule = RuleFor(method);
  if (rule == nullptr) {
    return absl::PermissionDeniedError(absl::StrCat(
        method, ": no rule in the rights table, so nobody may call it"));
  }
  Caller caller;
  caller.rule = rule;
  if (rule->exempt && authorization.empty()) return caller;
  ASSIGN_OR_RETURN(const Principal* principal,
                   Authenticate(*directory, authorization, now, oidc,
                                &caller.credential_id));
  caller.party_id = principal->party_id;
  caller.roles = principal->roles;
  caller.directory = std::move(directory);
  if (rule->exempt) return caller;
  for (const auto& [role, team] : principal->roles) {
    if (RoleCarries(role, rule->right)) return caller;
  }
  if (refused_party != nullptr) *refused_party = caller.party_id;
  return absl::PermissionDeniedError(
      absl::StrCat("needs the right '", RightName(rule->right), "' (held by ",
                   RoleNames(rule->right), ")"));
}

}  // namespace vagt::services
