// Admit: who is at the other end of a request, and whether they may call its
// method. The gate at the gRPC edge (edge.h) calls this once per request with
// the directory as folded so far; nothing else decides identity.
//
//   ASSIGN_OR_RETURN(Caller caller,
//                    Admit(directory, "/vagt.v1.CallService/ReceiveCall",
//                          authorization_header, clock.Now()));
//   RETURN_IF_ERROR(CheckLine(caller, request.line_id()));   // scope.h
//   ctx.actor = caller.party_id;
//
// The bearer is a vagt access token ("vagt1.<credential>.<secret>",
// domain/access_token.h) or, when the server trusts an identity provider,
// an OpenID Connect JWT (oidc.h), which names a principal of the directory;
// either way the principal's roles come from the directory, and the method
// is judged by the one rights table.
//
// UNAUTHENTICATED when the request carries no valid token (no
// "authorization: Bearer ...", an unknown credential or wrong secret, a
// revoked or expired token, a JWT the verifier refuses or whose principal is
// not registered, a suspended principal); PERMISSION_DENIED naming the
// missing right and the roles that carry it. No message repeats the token.
#ifndef VAGT_SERVICES_COMMON_GATE_H_
#define VAGT_SERVICES_COMMON_GATE_H_

#include <memory>
#include <set>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/directory.h"

namespace vagt::services {

struct MethodRule;
class OidcVerifier;

struct Caller {
  // Empty for an exempt method called without credentials.
  std::string party_id;
  // The vagt credential presented; empty for an OpenID Connect token.
  std::string credential_id;
  // (role, team id) as the directory holds them.
  std::set<std::pair<v1::Role, std::string>> roles;
  // The directory the request was admitted against, for the relationship
  // rules (scope.h): the same snapshot for the whole request.
  std::shared_ptr<const DirectoryState> directory;
  // The rights table's rule for the request's method.
  const MethodRule* rule = nullptr;
};

// Where the gate reads the directory: the store itself (LiveDirectory), or
// the projections where the store lives in another process.
class DirectorySource {
 public:
  virtual ~DirectorySource() = default;
  // UNAVAILABLE when the directory cannot be read.
  virtual absl::StatusOr<std::shared_ptr<const DirectoryState>> Current()
      const = 0;
};

// `oidc` verifies OpenID Connect tokens; null: the server accepts none.
// When the credentials name a principal that the rights table then refuses,
// `refused_party` (if not null) is set to its party id, so that the refusal
// is recorded as that party's.
absl::StatusOr<Caller> Admit(std::shared_ptr<const DirectoryState> directory,
                             absl::string_view method,
                             absl::string_view authorization, absl::Time now,
                             const OidcVerifier* oidc = nullptr,
                             std::string* refused_party = nullptr);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_GATE_H_
