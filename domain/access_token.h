// vagt access tokens: "vagt1.<credential id>.<secret>", the secret 32 random
// bytes in hex. The credential id is public (it names the credential in the
// trail); only SHA-256 of the secret is stored (CredentialIssued), and a
// presented secret is compared with it in constant time. A token is never
// logged, put in an error or an event.
//
//   AccessToken token = NewAccessToken(credential_id);     // show once
//   event.set_secret_sha256(SecretDigest(token.secret));
//   ...
//   ASSIGN_OR_RETURN(AccessToken presented, ParseAccessToken(bearer));
//   if (!DigestMatches(SecretDigest(presented.secret), stored)) refuse;
#ifndef VAGT_DOMAIN_ACCESS_TOKEN_H_
#define VAGT_DOMAIN_ACCESS_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vagt {

inline constexpr char kAccessTokenPrefix[] = "vagt1.";

struct AccessToken {
  std::string credential_id;
  std::string secret;  // 64 hex digits
  // "vagt1.<credential_id>.<secret>".
  std::string text() const;
};

// A token for `credential_id` with a fresh secret from OpenSSL's CSPRNG.
AccessToken NewAccessToken(std::string credential_id);

// UNAUTHENTICATED "not a vagt access token" for anything else (the text is
// never repeated).
absl::StatusOr<AccessToken> ParseAccessToken(absl::string_view text);

// SHA-256 of `secret`, 32 bytes.
std::string SecretDigest(absl::string_view secret);

// Whether two digests are equal, in time independent of their content.
bool DigestMatches(absl::string_view a, absl::string_view b);

}  // namespace vagt

#endif  // VAGT_DOMAIN_ACCESS_TOKEN_H_
