// vagtd's OpenID Connect part, from its --oidc_* flags: the identity
// provider's keys (a JwksCache over --oidc_jwks_file or --oidc_jwks_url,
// refreshed on its own thread) and the verifier the edge hands every JWT
// to. Off when no issuer is given.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<OidcParts> oidc, StartOidc(settings,
//   clock)); InstallEdge(builder, {..., .oidc = oidc ? &oidc->verifier() :
//   nullptr});
//
// Made by main before the server starts and destroyed after it stops.
#ifndef VAGT_SERVICES_VAGTD_OIDC_SETUP_H_
#define VAGT_SERVICES_VAGTD_OIDC_SETUP_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "eventstore/clock.h"
#include "services/common/jwks_cache.h"
#include "services/common/oidc.h"

namespace vagt::vagtd {

struct OidcSettings {
  services::OidcOptions verifier;  // issuer empty: OpenID Connect is off
  std::string jwks_file;           // exactly one of jwks_file, jwks_url
  std::string jwks_url;
  std::string jwks_ca;
  services::JwksCacheOptions cache;
};

class OidcParts {
 public:
  OidcParts(services::JwksFetch fetch, const Clock& clock,
            const OidcSettings& settings)
      : keys_(std::move(fetch), clock, settings.cache),
        verifier_(settings.verifier, keys_) {}

  const services::OidcVerifier& verifier() const { return verifier_; }
  services::JwksCache& keys() { return keys_; }

 private:
  services::JwksCache keys_;
  services::OidcVerifier verifier_;
};

// Null when `settings` has no issuer. INVALID_ARGUMENT naming the flag for
// a setup that is incomplete or contradictory, and when the keys file
// cannot be read or holds no usable key (a URL that cannot be fetched yet
// is only reported: tokens are refused until a fetch succeeds).
absl::StatusOr<std::unique_ptr<OidcParts>> StartOidc(
    const OidcSettings& settings, const Clock& clock);

// "OpenID Connect tokens of <issuer> for <audience>, <claim> -> worker:...",
// for the start-up lines.
std::string Describe(const OidcSettings& settings);

}  // namespace vagt::vagtd

#endif  // VAGT_SERVICES_VAGTD_OIDC_SETUP_H_
