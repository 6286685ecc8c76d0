// TestIdentityProvider: an OpenID Connect identity provider in a test, with
// keys made by OpenSSL when it is created: an RSA key ("rsa-1") and an EC
// P-256 key ("ec-1"). It publishes them as a JWKS document and signs
// tokens with libjwt, including the tokens an attacker would make.
//
//   TestIdentityProvider idp;
//   JwksCache keys({.read = [&] { return idp.Jwks(); }}, clock, {});
//   std::string token = idp.Sign(R"({"iss":"https://idp","exp":...})");
//
// Not thread-safe; for one test.
#ifndef VAGT_TESTS_SERVICES_COMMON_TEST_IDENTITY_PROVIDER_H_
#define VAGT_TESTS_SERVICES_COMMON_TEST_IDENTITY_PROVIDER_H_

#include <string>

#include "absl/strings/string_view.h"

namespace vagt::services {

class TestIdentityProvider {
 public:
  static constexpr char kRsaKid[] = "rsa-1";
  static constexpr char kEcKid[] = "ec-1";

  TestIdentityProvider();

  // {"keys": [the RSA key, the EC key]}, with "use": "sig".
  std::string Jwks() const;
  // The JWK of one key ("kty", "kid", "n"/"e" or "crv"/"x"/"y") as JSON.
  std::string RsaJwk(absl::string_view kid) const;
  std::string EcJwk(absl::string_view kid) const;
  // The keys' SubjectPublicKeyInfo PEM.
  std::string RsaPublicPem() const { return rsa_public_pem_; }

  // `claims` (a JSON object) signed by libjwt with `alg` (RS256: the RSA
  // key, ES256: the EC key) and "kid": `kid` in the header.
  std::string Sign(const std::string& claims, absl::string_view alg = "RS256",
                   absl::string_view kid = kRsaKid) const;
  // The classic attack: HS256 with the RSA public key's PEM as the secret.
  std::string SignHmacWithPublicKey(const std::string& claims) const;
  // "alg": "none", no signature (libjwt's own encoding).
  std::string Unsigned(const std::string& claims) const;

  // A token assembled from a header and claims as given (base64url of
  // each) and `signature` (base64url already).
  static std::string Compose(absl::string_view header, absl::string_view claims,
                             absl::string_view signature);
  // HMAC-SHA256 of `data` with `secret`, base64url.
  static std::string HmacSha256(absl::string_view secret,
                                absl::string_view data);

 private:
  std::string rsa_private_pem_;
  std::string rsa_public_pem_;
  std::string rsa_n_, rsa_e_;  // base64url
  std::string ec_private_pem_;
  std::string ec_x_, ec_y_;  // base64url
};

}  // namespace vagt::services

#endif  // VAGT_TESTS_SERVICES_COMMON_TEST_IDENTITY_PROVIDER_H_
