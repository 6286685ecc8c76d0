#include "services/vagtd/oidc_setup.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/common/jwks_fetch.h"

namespace vagt::vagtd {

absl::StatusOr<std::unique_ptr<OidcParts>> StartOidc(
    const OidcSettings& settings, const Clock& clock) {
  const bool file = !settings.jwks_file.empty();
  const bool url = !settings.jwks_url.empty();
  if (settings.verifier.issuer.empty()) {
    if (file || url || !settings.verifier.audience.empty()) {
      return absl::InvalidArgumentError(
          "--oidc_issuer: required with the other --oidc_* flags (OpenID "
          "Connect is off without it)");
    }
    return nullptr;
  }
  if (absl::Status s = services::CheckOidcOptions(settings.verifier); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(s.message(),
                     " (--oidc_issuer, --oidc_audience, "
                     "--oidc_claim, --oidc_domain, --oidc_skew)"));
  }
  if (file == url) {
    return absl::InvalidArgumentError(
        "--oidc_issuer: give the identity provider's keys with exactly one "
        "of --oidc_jwks_file and --oidc_jwks_url");
  }
  if (settings.cache.refresh <= absl::ZeroDuration() ||
      settings.cache.min_refetch < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "--oidc_jwks_refresh must be positive and --oidc_jwks_min_refetch "
        "not negative");
  }
  services::JwksFetch fetch;
  if (file) {
    fetch = services::JwksFromFile(settings.jwks_file);
  } else {
    absl::StatusOr<services::JwksFetch> from_url =
        services::JwksFromUrl(settings.jwks_url, {.ca_file = settings.jwks_ca});
    if (!from_url.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--oidc_jwks_url: ", from_url.status().message()));
    }
    fetch = *std::move(from_url);
  }
  auto parts = std::make_unique<OidcParts>(std::move(fetch), clock, settings);
  if (absl::Status s = parts->keys().Refresh(); !s.ok() && file) {
    return absl::InvalidArgumentError(
        absl::StrCat("--oidc_jwks_file: ", s.message()));
  }
  parts->keys().Start();
  return parts;
}

std::string Describe(const OidcSettings& settings) {
  const services::OidcOptions& o = settings.verifier;
  return absl::StrCat(
      "OpenID Connect tokens of ", o.issuer, " for ", o.audience,
      " accepted; their ", o.claim, " names the worker (",
      o.domain.empty() ? "anna" : absl::StrCat("anna@", o.domain),
      " -> worker:anna), who must be registered; keys from ",
      settings.jwks_file.empty() ? settings.jwks_url : settings.jwks_file);
}

}  // namespace vagt::vagtd
