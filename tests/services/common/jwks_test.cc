// ParseJwks and the JWK -> PEM conversion: the provider's RSA and EC signing
// keys are kept as the very keys it holds; what cannot verify a signature
// vagt accepts (symmetric keys above all) is skipped with its reason.
#include "services/common/jwks.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/jwk_pem.h"
#include "tests/services/common/test_identity_provider.h"

namespace vagt::services {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

bool SamePublicKey(const std::string& a, const std::string& b) {
  auto read = [](const std::string& pem) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    return key;
  };
  EVP_PKEY* ka = read(a);
  EVP_PKEY* kb = read(b);
  const bool same = ka != nullptr && kb != nullptr && EVP_PKEY_eq(ka, kb) == 1;
  EVP_PKEY_free(ka);
  EVP_PKEY_free(kb);
  return same;
}

TEST(Jwks, RsaAndEcSigningKeysAreKeptByKid) {
  TestIdentityProvider idp;
  absl::StatusOr<JwkSet> keys = ParseJwks(idp.Jwks());
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_THAT(keys->kids(), ElementsAre("ec-1", "rsa-1"));
  const SigningKey* rsa = keys->Find("rsa-1");
  ASSERT_NE(rsa, nullptr);
  EXPECT_EQ(rsa->type, KeyType::kRsa);
  EXPECT_TRUE(SamePublicKey(rsa->pem, idp.RsaPublicPem()));
  const SigningKey* ec = keys->Find("ec-1");
  ASSERT_NE(ec, nullptr);
  EXPECT_EQ(ec->type, KeyType::kEc);
  EXPECT_EQ(ec->curve, "P-256");
  EXPECT_EQ(keys->Find("rsa-2"), nullptr);
  EXPECT_TRUE(keys->skipped().empty());
}

TEST(Jwks, KeysVagtCannotUseAreSkippedWithTheirReason) {
  TestIdentityProvider idp;
  const std::string document = absl::StrCat(
      R"({"keys":[)", idp.RsaJwk("good"), ",",
      R"({"kty":"oct","kid":"hmac","k":"c2VjcmV0"},)",
      R"({"kty":"RSA","use":"enc","kid":"enc","n":"AQAB","e":"AQAB"},)",
      R"({"kty":"RSA","kid":"short","n":"AQAB","e":"AQAB"},)",
      R"({"kty":"RSA","kid":"bad","n":"not base64!","e":"AQAB"},)",
      R"({"kty":"EC","kid":"off-curve","crv":"P-256",)",
      R"("x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",)",
      R"("y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE"},)",
      R"({"kty":"RSA","n":"AQAB","e":"AQAB"},)", idp.RsaJwk("good"), ",",
      R"("text"])", "}");
  absl::StatusOr<JwkSet> keys = ParseJwks(document);
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_THAT(keys->kids(), ElementsAre("good"));
  EXPECT_EQ(keys->Find("hmac"), nullptr);
  ASSERT_EQ(keys->skipped().size(), 8u);
  EXPECT_THAT(keys->skipped()[0], HasSubstr("kid 'hmac': kty 'oct'"));
  EXPECT_THAT(keys->skipped()[1], HasSubstr("kid 'enc': use 'enc'"));
  EXPECT_THAT(keys->skipped()[2], HasSubstr("at least 2048"));
  EXPECT_THAT(keys->skipped()[3], HasSubstr("'n' is missing or not base64url"));
  EXPECT_THAT(keys->skipped()[4], HasSubstr("kid 'off-curve': OpenSSL"));
  EXPECT_THAT(keys->skipped()[5], HasSubstr("key 7: it has no kid"));
  EXPECT_THAT(keys->skipped()[6], HasSubstr("a second key with its kid"));
  EXPECT_THAT(keys->skipped()[7], HasSubstr("not a JSON object"));
}

TEST(Jwks, KeyOfAnotherUseOrAlgorithmIsSkipped) {
  TestIdentityProvider idp;
  std::string jwk = idp.RsaJwk("k");
  jwk.insert(1, R"("alg":"HS256",)");
  EXPECT_FALSE(ParseJwks(absl::StrCat(R"({"keys":[)", jwk, "]}")).ok());
  jwk = idp.RsaJwk("k");
  jwk.insert(1, R"("key_ops":["encrypt"],)");
  EXPECT_FALSE(ParseJwks(absl::StrCat(R"({"keys":[)", jwk, "]}")).ok());
  jwk = idp.RsaJwk("k");
  jwk.insert(1, R"("alg":"RS256","key_ops":["verify"],)");
  absl::StatusOr<JwkSet> keys =
      ParseJwks(absl::StrCat(R"({"keys":[)", jwk, "]}"));
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_EQ(keys->Find("k")->alg, "RS256");
}

TEST(Jwks, DocumentWithoutUsableKeysIsRefused) {
  for (const char* document :
       {"", "[]", "{}", R"({"keys":{}})", R"({"keys":[]})",
        R"({"keys":[{"kty":"oct","kid":"h","k":"c2VjcmV0"}]})"}) {
    absl::StatusOr<JwkSet> keys = ParseJwks(document);
    EXPECT_EQ(keys.status().code(), absl::StatusCode::kInvalidArgument)
        << document;
  }
  EXPECT_THAT(std::string(ParseJwks(R"({"keys":[{"kty":"oct","kid":"h"}]})")
                              .status()
                              .message()),
              HasSubstr("kid 'h': kty 'oct'"));
}

TEST(JwkPem, MembersAreCheckedBeforeOpenSslSeesThem) {
  EXPECT_THAT(std::string(RsaPublicKeyPem("", "AQAB").status().message()),
              HasSubstr("'n'"));
  EXPECT_THAT(
      std::string(EcPublicKeyPem("P-192", "AA", "AA").status().message()),
      HasSubstr("not one of P-256"));
  EXPECT_THAT(
      std::string(EcPublicKeyPem("P-256", "AAAA", "AAAA").status().message()),
      HasSubstr("32 bytes"));
}

}  // namespace
}  // namespace vagt::services
