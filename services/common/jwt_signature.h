// VerifiedClaims: the claims of a JWT (RFC 7519) whose signature one of the
// identity provider's keys (jwks_cache.h) verifies. libjwt 1.10 checks the
// signature with whatever algorithm the token's header names, using the key
// it is handed; so the header is judged here first, and libjwt is only ever
// handed a public key for an asymmetric algorithm that fits that key:
//   - the token is three base64url parts (JWS compact serialisation);
//   - the header is a JSON object without repeated names and without "crit";
//   - "alg" is RS256, RS384, RS512, ES256, ES384 or ES512: "none" and the
//     HMAC algorithms (HS256, ...) are refused before any key is looked at,
//     so a token "signed" with the public key as an HMAC secret never
//     reaches libjwt;
//   - "typ", when present, is "JWT";
//   - "kid" names a key the provider publishes, of the algorithm's type
//     (and curve), whose own "alg", if it has one, is the token's;
//   - libjwt verifies the signature, and reads the same alg and kid.
// Claims are not judged here (oidc.h does).
//
//   ASSIGN_OR_RETURN(google::protobuf::Struct claims,
//                    VerifiedClaims(bearer, keys));
//
// Every refusal is UNAUTHENTICATED with the reason ("alg none is refused",
// "unknown kid", "the signature does not verify"); no message repeats any
// part of the token. Thread-safe.
#ifndef VAGT_SERVICES_COMMON_JWT_SIGNATURE_H_
#define VAGT_SERVICES_COMMON_JWT_SIGNATURE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"
#include "services/common/jwks_cache.h"

namespace vagt::services {

// Longer tokens are refused unread (an identity provider's are ~1-2 KiB).
inline constexpr size_t kMaxJwtBytes = 16 * 1024;

// Whether `bearer` has the shape of a JWT: three parts of base64url
// characters separated by dots, the first two non-empty. A vagt access
// token ("vagt1.<id>.<secret>", domain/access_token.h) never has.
bool LooksLikeJwt(absl::string_view bearer);

absl::StatusOr<google::protobuf::Struct> VerifiedClaims(absl::string_view token,
                                                        JwksCache& keys);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_JWT_SIGNATURE_H_
