// Where the identity provider's JWKS comes from (jwks_cache.h): a file the
// operator keeps (--oidc_jwks_file), or the provider's jwks_uri
// (--oidc_jwks_url), fetched with libcurl.
//
//   ASSIGN_OR_RETURN(JwksFetch fetch, JwksFromUrl(url, {}));
//   JwksCache keys(std::move(fetch), SystemClock(), {});
//
// A URL must be https, or http on loopback (a test's provider); redirects
// are not followed; the server's certificate is checked against the
// system's CAs or `ca_file`. A fetch takes at most `timeout`, and a document
// above 1 MiB is refused. Each call reads anew; calls may come from any
// thread.
#ifndef VAGT_SERVICES_COMMON_JWKS_FETCH_H_
#define VAGT_SERVICES_COMMON_JWKS_FETCH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/jwks_cache.h"

namespace vagt::services {

JwksFetch JwksFromFile(std::string path);

struct UrlFetchOptions {
  // PEM CAs to check the server's certificate with; empty: the system's.
  std::string ca_file;
  absl::Duration timeout = absl::Seconds(5);
};

// INVALID_ARGUMENT when `url` is not https (or http on loopback).
absl::StatusOr<JwksFetch> JwksFromUrl(std::string url, UrlFetchOptions options);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_JWKS_FETCH_H_
