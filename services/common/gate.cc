#include "services/common/gate.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "domain/access_token.h"
#include "eventstore/status_macros.h"
#include "services/common/rights.h"

namespace vagt::services {
namespace {

// Compared with when the credential is unknown, so that an unknown id costs
// the same digest and comparison as a wrong secret.
const std::string& NoDigest() {
  static const auto* digest = new std::string(32, '\0');
  return *digest;
}

absl::StatusOr<const Principal*> Authenticate(const DirectoryState& directory,
                                              absl::string_view authorization,
                                              absl::Time now,
                                              std::string* credential_id) {
  if (authorization.empty()) {
    return absl::UnauthenticatedError(
        "authorization: required (\"Bearer <vagt access token>\")");
  }
  if (!absl::ConsumePrefix(&authorization, "Bearer ")) {
    return absl::UnauthenticatedError(
        "authorization: must be \"Bearer <vagt access token>\"");
  }
  ASSIGN_OR_RETURN(AccessToken token, ParseAccessToken(authorization));
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
  if (principal->suspended) {
    return absl::UnauthenticatedError(
        "authorization: the token's principal is suspended");
  }
  *credential_id = credential->credential_id;
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
                             absl::string_view authorization, absl::Time now) {
  const MethodRule* rule = RuleFor(method);
  if (rule == nullptr) {
    return absl::PermissionDeniedError(absl::StrCat(
        method, ": no rule in the rights table, so nobody may call it"));
  }
  Caller caller;
  caller.rule = rule;
  if (rule->exempt && authorization.empty()) return caller;
  ASSIGN_OR_RETURN(
      const Principal* principal,
      Authenticate(*directory, authorization, now, &caller.credential_id));
  caller.party_id = principal->party_id;
  caller.roles = principal->roles;
  caller.directory = std::move(directory);
  if (rule->exempt) return caller;
  for (const auto& [role, team] : principal->roles) {
    if (RoleCarries(role, rule->right)) return caller;
  }
  return absl::PermissionDeniedError(
      absl::StrCat("needs the right '", RightName(rule->right), "' (held by ",
                   RoleNames(rule->right), ")"));
}

}  // namespace vagt::services
