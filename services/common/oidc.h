// OidcVerifier: who an OpenID Connect token from the municipality's identity
// provider (Entra ID, Keycloak, ...) says the caller is, as a vagt party id.
// The gate (gate.h) asks it for every bearer that looks like a JWT; the
// party must then be registered in the directory and not suspended, and its
// roles come from the directory, as for a vagt access token.
//
// A token is accepted when its signature verifies (jwt_signature.h) and
//   - "iss" is the configured issuer, exactly;
//   - "aud" is, or (an array) contains, the configured audience;
//   - "exp" is present and now < exp + skew; "nbf" and "iat", when present,
//     are <= now + skew (the time is the gate's, from the injected clock);
//   - the configured claim (default "preferred_username") is a string that
//     maps to a party id:
//
// The mapping. The identity provider vouches for the municipality's own
// staff, so its tokens name workers: the party id is "worker:" followed by
// the claim's value in lower case. With a domain configured ("ishoj.dk"),
// the value must end in "@ishoj.dk" (in any case), which is removed first;
// a value from another domain (a guest account) is refused. The result must
// be a valid party id (domain/directory.h: 1-64 of a-z 0-9 . _ -).
//   preferred_username "Anna.Hansen@ishoj.dk", domain ishoj.dk
//       -> worker:anna.hansen
//   preferred_username "anna" (Keycloak), no domain -> worker:anna
// Partners and systems keep vagt access tokens (or mutual TLS).
//
//   JwksCache keys(JwksFromFile(path), SystemClock(), {});
//   OidcVerifier oidc({.issuer = "https://login.microsoftonline.com/<t>/v2.0",
//                      .audience = "<client id>"}, keys);
//   ASSIGN_OR_RETURN(std::string party_id, oidc.PartyOf(bearer, now));
//
// Every refusal is UNAUTHENTICATED with its reason ("the token has
// expired", "wrong audience"); no message repeats the token. Thread-safe;
// `keys` must outlive the verifier.
#ifndef VAGT_SERVICES_COMMON_OIDC_H_
#define VAGT_SERVICES_COMMON_OIDC_H_

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/jwks_cache.h"

namespace vagt::services {

struct OidcOptions {
  std::string issuer;
  std::string audience;
  std::string claim = "preferred_username";
  // Empty: the claim's whole value names the worker.
  std::string domain;
  absl::Duration skew = absl::Seconds(60);
};

// INVALID_ARGUMENT naming the option that is missing or out of range
// (issuer, audience and claim are required; skew within 0-10 minutes).
absl::Status CheckOidcOptions(const OidcOptions& options);

// The party id the claim's `value` maps to (see above), or why it does not.
absl::StatusOr<std::string> PartyIdOfClaim(absl::string_view value,
                                           const OidcOptions& options);

class OidcVerifier {
 public:
  // `options` must pass CheckOidcOptions.
  OidcVerifier(OidcOptions options, JwksCache& keys)
      : options_(std::move(options)), keys_(keys) {}

  // The party id `token` names, when it is valid at `now`.
  absl::StatusOr<std::string> PartyOf(absl::string_view token,
                                      absl::Time now) const;

  const OidcOptions& options() const { return options_; }

 private:
  const OidcOptions options_;
  JwksCache& keys_;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_OIDC_H_
