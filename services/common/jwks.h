// A JSON Web Key Set (RFC 7517 section 5): the public keys an OpenID Connect
// identity provider signs its tokens with, by key id ("kid"), each turned
// into the PEM libjwt verifies with (jwk_pem.h).
//
//   ASSIGN_OR_RETURN(JwkSet keys, ParseJwks(document));
//   const SigningKey* key = keys.Find(header_kid);   // null: unknown kid
//
// Only asymmetric signing keys are kept: RSA (at least 2048 bits) and EC on
// P-256, P-384 or P-521, with a kid, not marked for another use ("use" other
// than "sig", "key_ops" without "verify"). Every other entry is skipped and
// noted in skipped(), so one key the server cannot use does not cost the
// others; above all a symmetric ("oct") key is never kept, so nothing a JWKS
// says can make an HMAC secret of it. A JwkSet is immutable, so any thread
// may read it.
#ifndef VAGT_SERVICES_COMMON_JWKS_H_
#define VAGT_SERVICES_COMMON_JWKS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vagt::services {

enum class KeyType { kRsa, kEc };

struct SigningKey {
  std::string kid;
  KeyType type = KeyType::kRsa;
  // The curve of an EC key ("P-256"); empty for RSA.
  std::string curve;
  // The JWK's "alg" ("RS256"); empty when it names none.
  std::string alg;
  // SubjectPublicKeyInfo PEM.
  std::string pem;
};

class JwkSet {
 public:
  // Null when no kept key has `kid`.
  const SigningKey* Find(const std::string& kid) const;
  // The kept keys' ids, sorted.
  std::vector<std::string> kids() const;
  // Why entries were skipped, one line each ("kid 'enc-1': use 'enc'").
  const std::vector<std::string>& skipped() const { return skipped_; }
  bool empty() const { return keys_.empty(); }

 private:
  friend absl::StatusOr<JwkSet> ParseJwks(absl::string_view document);

  std::map<std::string, SigningKey> keys_;
  std::vector<std::string> skipped_;
};

// INVALID_ARGUMENT when `document` is not a JSON object with a "keys"
// array, or keeps no key at all (naming why each was skipped).
absl::StatusOr<JwkSet> ParseJwks(absl::string_view document);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_JWKS_H_
