#include "tests/services/common/test_identity_provider.h"

#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"
#include "gtest/gtest.h"

namespace vagt::services {
namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

// Aborts the test binary: a test without its keys cannot run.
void Require(bool ok, const char* what) {
  if (!ok) {
    ADD_FAILURE() << "TestIdentityProvider: " << what;
    std::abort();
  }
}

Key Generate(const char* type, bool rsa) {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr), &EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  Require(ctx != nullptr && EVP_PKEY_keygen_init(ctx.get()) == 1 &&
              (rsa ? EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), 2048)
                   : EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256")) == 1 &&
              EVP_PKEY_generate(ctx.get(), &key) == 1,
          "key generation");
  return Key(key, &EVP_PKEY_free);
}

std::string Pem(EVP_PKEY* key, bool is_private) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()),
                                                &BIO_free);
  Require(is_private
              ? PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0,
                                         nullptr, nullptr) == 1
              : PEM_write_bio_PUBKEY(bio.get(), key) == 1,
          "PEM");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

// A big-number parameter of `key`, base64url; `width` pads it (0: none).
std::string Param(EVP_PKEY* key, const char* name, int width) {
  BIGNUM* bn = nullptr;
  Require(EVP_PKEY_get_bn_param(key, name, &bn) == 1, name);
  const int size = width > 0 ? width : BN_num_bytes(bn);
  std::string bytes(static_cast<size_t>(size), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(bytes.data()), size);
  BN_free(bn);
  return absl::WebSafeBase64Escape(bytes);
}

std::string Encode(const std::string& claims, jwt_alg_t alg,
                   const std::string& key, absl::string_view kid) {
  jwt_t* jwt = nullptr;
  Require(jwt_new(&jwt) == 0, "jwt_new");
  std::unique_ptr<jwt_t, decltype(&jwt_free)> owned(jwt, &jwt_free);
  Require(jwt_add_grants_json(jwt, claims.c_str()) == 0, "claims JSON");
  if (!kid.empty()) {
    Require(jwt_add_header(jwt, "kid", std::string(kid).c_str()) == 0, "kid");
  }
  Require(jwt_set_alg(jwt, alg,
                      key.empty()
                          ? nullptr
                          : reinterpret_cast<const unsigned char*>(key.data()),
                      static_cast<int>(key.size())) == 0,
          "jwt_set_alg");
  char* text = jwt_encode_str(jwt);
  Require(text != nullptr, "jwt_encode_str");
  std::string token(text);
  std::free(text);
  return token;
}

}  // namespace

TestIdentityProvider::TestIdentityProvider() {
  Key rsa = Generate("RSA", true);
  rsa_private_pem_ = Pem(rsa.get(), true);
  rsa_public_pem_ = Pem(rsa.get(), false);
  rsa_n_ = Param(rsa.get(), OSSL_PKEY_PARAM_RSA_N, 0);
  rsa_e_ = Param(rsa.get(), OSSL_PKEY_PARAM_RSA_E, 0);
  Key ec = Generate("EC", false);
  ec_private_pem_ = Pem(ec.get(), true);
  ec_x_ = Param(ec.get(), OSSL_PKEY_PARAM_EC_PUB_X, 32);
  ec_y_ = Param(ec.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 32);
}

std::string TestIdentityProvider::RsaJwk(absl::string_view kid) const {
  return absl::Substitute(
      R"({"kty":"RSA","use":"sig","kid":"$0","n":"$1","e":"$2"})", kid, rsa_n_,
      rsa_e_);
}

std::string TestIdentityProvider::EcJwk(absl::string_view kid) const {
  return absl::Substitute(
      R"({"kty":"EC","use":"sig","kid":"$0","crv":"P-256","x":"$1","y":"$2"})",
      kid, ec_x_, ec_y_);
}

std::string TestIdentityProvider::Jwks() const {
  return absl::StrCat(R"({"keys":[)", RsaJwk(kRsaKid), ",", EcJwk(kEcKid),
                      "]}");
}

std::string TestIdentityProvider::Sign(const std::string& claims,
                                       absl::string_view alg,
                                       absl::string_view kid) const {
  const jwt_alg_t a = jwt_str_alg(std::string(alg).c_str());
  const bool ec =
      a == JWT_ALG_ES256 || a == JWT_ALG_ES384 || a == JWT_ALG_ES512;
  return Encode(claims, a, ec ? ec_private_pem_ : rsa_private_pem_, kid);
}

std::string TestIdentityProvider::SignHmacWithPublicKey(
    const std::string& claims) const {
  return Encode(claims, JWT_ALG_HS256, rsa_public_pem_, kRsaKid);
}

std::string TestIdentityProvider::Unsigned(const std::string& claims) const {
  return Encode(claims, JWT_ALG_NONE, "", kRsaKid);
}

std::string TestIdentityProvider::Compose(absl::string_view header,
                                          absl::string_view claims,
                                          absl::string_view signature) {
  return absl::StrCat(absl::WebSafeBase64Escape(header), ".",
                      absl::WebSafeBase64Escape(claims), ".", signature);
}

std::string TestIdentityProvider::HmacSha256(absl::string_view secret,
                                             absl::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  Require(HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
               reinterpret_cast<const unsigned char*>(data.data()), data.size(),
               mac, &size) != nullptr,
          "HMAC");
  return absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(mac), size));
}

}  // namespace vagt::services
