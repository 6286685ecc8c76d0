// The public key of a JSON Web Key (RFC 7517/7518) as the PEM
// ("-----BEGIN PUBLIC KEY-----", SubjectPublicKeyInfo) that libjwt verifies
// signatures with. OpenSSL builds the key from the JWK's members, so a key
// that is not a valid public key of its kind is refused here, not later.
//
//   ASSIGN_OR_RETURN(std::string pem, RsaPublicKeyPem(jwk_n, jwk_e));
//   ASSIGN_OR_RETURN(std::string pem, EcPublicKeyPem("P-256", jwk_x, jwk_y));
//
// The members are base64url as JWKS documents carry them (padding optional).
// Errors are INVALID_ARGUMENT naming the member. Thread-safe.
#ifndef VAGT_SERVICES_COMMON_JWK_PEM_H_
#define VAGT_SERVICES_COMMON_JWK_PEM_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vagt::services {

// RSA keys shorter than this are refused (RFC 7518 section 3.3).
inline constexpr int kMinRsaBits = 2048;

// An RSA public key from its modulus `n` and exponent `e`.
absl::StatusOr<std::string> RsaPublicKeyPem(absl::string_view n,
                                            absl::string_view e);

// An elliptic-curve public key on `crv` ("P-256", "P-384" or "P-521") from
// its coordinates; the point must lie on the curve.
absl::StatusOr<std::string> EcPublicKeyPem(absl::string_view crv,
                                           absl::string_view x,
                                           absl::string_view y);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_JWK_PEM_H_
