// OidcVerifier over keys and tokens made in the test: a token the provider
// signed, for vagt, valid now, names its worker; every other token is
// refused with its reason and without any part of itself in the message.
#include "services/common/oidc.h"

#include <jwt.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/substitute.h"
#include "eventstore/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/jwks_cache.h"
#include "tests/services/common/test_identity_provider.h"

namespace vagt::services {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kIssuer[] = "https://login.example.dk/realms/ishoj";
const absl::Time kNow = absl::FromUnixSeconds(1'795'000'000);

int64_t At(absl::Duration from_now) {
  return absl::ToUnixSeconds(kNow + from_now);
}

// The claims of a token, as JSON; each member may be changed or dropped.
struct Claims {
  std::optional<std::string> iss = kIssuer;
  std::optional<std::string> aud = R"("vagt")";  // JSON
  std::optional<int64_t> exp = At(absl::Minutes(5));
  std::optional<int64_t> nbf;
  std::optional<int64_t> iat = At(-absl::Minutes(1));
  std::string name_claim = "preferred_username";
  std::optional<std::string> name = "Anna";

  std::string Json() const {
    std::vector<std::string> members;
    if (iss) members.push_back(absl::Substitute(R"("iss":"$0")", *iss));
    if (aud) members.push_back(absl::StrCat(R"("aud":)", *aud));
    if (exp) members.push_back(absl::StrCat(R"("exp":)", *exp));
    if (nbf) members.push_back(absl::StrCat(R"("nbf":)", *nbf));
    if (iat) members.push_back(absl::StrCat(R"("iat":)", *iat));
    if (name) {
      members.push_back(absl::Substitute(R"("$0":"$1")", name_claim, *name));
    }
    return absl::StrCat("{", absl::StrJoin(members, ","), "}");
  }
};

class OidcTest : public ::testing::Test {
 protected:
  OidcTest()
      : keys_({.read = [this] { return idp_.Jwks(); }, .source = "test"},
              clock_, {}),
        verifier_({.issuer = kIssuer, .audience = "vagt"}, keys_) {
    EXPECT_TRUE(keys_.Refresh().ok());
  }

  absl::StatusOr<std::string> Verify(const std::string& token) {
    return verifier_.PartyOf(token, clock_.Now());
  }
  // Refused UNAUTHENTICATED with `reason`; no part of the token in it.
  void ExpectRefused(const std::string& token, const std::string& reason) {
    absl::StatusOr<std::string> party = Verify(token);
    ASSERT_FALSE(party.ok()) << *party;
    EXPECT_EQ(party.status().code(), absl::StatusCode::kUnauthenticated);
    const std::string message(party.status().message());
    EXPECT_THAT(message, HasSubstr(reason));
    for (absl::string_view part : absl::StrSplit(token, '.')) {
      if (part.size() >= 8) {
        EXPECT_THAT(message, Not(HasSubstr(part)));
      }
    }
  }

  FakeClock clock_{kNow};
  TestIdentityProvider idp_;
  JwksCache keys_;
  OidcVerifier verifier_;
};

TEST_F(OidcTest, TokenOfTheProviderForVagtNamesItsWorker) {
  absl::StatusOr<std::string> party = Verify(idp_.Sign(Claims().Json()));
  ASSERT_TRUE(party.ok()) << party.status();
  EXPECT_EQ(*party, "worker:anna");
}

TEST_F(OidcTest, Es256TokenIsAccepted) {
  absl::StatusOr<std::string> party =
      Verify(idp_.Sign(Claims().Json(), "ES256", TestIdentityProvider::kEcKid));
  ASSERT_TRUE(party.ok()) << party.status();
  EXPECT_EQ(*party, "worker:anna");
}

TEST_F(OidcTest, ExpiredTokenIsRefusedOnceTheSkewHasPassed) {
  Claims claims;
  claims.exp = At(-absl::Seconds(30));
  EXPECT_TRUE(Verify(idp_.Sign(claims.Json())).ok());
  claims.exp = At(-absl::Seconds(60));
  ExpectRefused(idp_.Sign(claims.Json()), "the token has expired");
  claims.exp.reset();
  ExpectRefused(idp_.Sign(claims.Json()), "the token has no exp");
}

TEST_F(OidcTest, TokenNotYetValidIsRefused) {
  Claims claims;
  claims.nbf = At(absl::Seconds(30));
  EXPECT_TRUE(Verify(idp_.Sign(claims.Json())).ok());
  claims.nbf = At(absl::Minutes(2));
  ExpectRefused(idp_.Sign(claims.Json()), "the token is not yet valid");
  claims.nbf.reset();
  claims.iat = At(absl::Minutes(2));
  ExpectRefused(idp_.Sign(claims.Json()), "the token is not yet valid");
}

TEST_F(OidcTest, TheClockIsTheInjectedOne) {
  const std::string token = idp_.Sign(Claims().Json());
  EXPECT_TRUE(Verify(token).ok());
  clock_.Advance(absl::Minutes(6));
  ExpectRefused(token, "the token has expired");
}

TEST_F(OidcTest, AudienceMustBeVagtAlsoAmongOthers) {
  Claims claims;
  claims.aud = R"(["account","vagt"])";
  EXPECT_TRUE(Verify(idp_.Sign(claims.Json())).ok());
  claims.aud = R"("account")";
  ExpectRefused(idp_.Sign(claims.Json()), "wrong audience");
  claims.aud = R"(["account","vagt-test"])";
  ExpectRefused(idp_.Sign(claims.Json()), "wrong audience");
  claims.aud.reset();
  ExpectRefused(idp_.Sign(claims.Json()), "wrong audience");
}

TEST_F(OidcTest, IssuerMustBeTheConfiguredOneExactly) {
  Claims claims;
  claims.iss = "https://login.example.dk/realms/other";
  ExpectRefused(idp_.Sign(claims.Json()), "wrong issuer");
  claims.iss = absl::StrCat(kIssuer, "/");
  ExpectRefused(idp_.Sign(claims.Json()), "wrong issuer");
  claims.iss.reset();
  ExpectRefused(idp_.Sign(claims.Json()), "wrong issuer");
}

TEST_F(OidcTest, PayloadChangedAfterSigningIsRefused) {
  const std::string token = idp_.Sign(Claims().Json());
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  Claims admin;
  admin.name = "admin";
  parts[1] = absl::WebSafeBase64Escape(admin.Json());
  ExpectRefused(absl::StrJoin(parts, "."), "the signature does not verify");
}

TEST_F(OidcTest, SignatureOfAnotherKeyWithTheSameKidIsRefused) {
  TestIdentityProvider impostor;
  ExpectRefused(impostor.Sign(Claims().Json()),
                "the signature does not verify");
}

TEST_F(OidcTest, AlgNoneIsRefused) {
  const std::string unsigned_token = idp_.Unsigned(Claims().Json());
  ExpectRefused(unsigned_token, "alg none is refused");
  ExpectRefused(TestIdentityProvider::Compose(R"({"alg":"none","kid":"rsa-1"})",
                                              Claims().Json(), "c2lnbmF0dXJl"),
                "alg none is refused");
  ExpectRefused(TestIdentityProvider::Compose(R"({"alg":"None","kid":"rsa-1"})",
                                              Claims().Json(), ""),
                "alg none is refused");
}

TEST_F(OidcTest, Hs256SignedWithThePublicKeyIsRefused) {
  const std::string forged = idp_.SignHmacWithPublicKey(Claims().Json());
  // The forgery is real: libjwt handed the public key accepts it.
  jwt_t* naive = nullptr;
  const std::string pem = idp_.RsaPublicPem();
  ASSERT_EQ(jwt_decode(&naive, forged.c_str(),
                       reinterpret_cast<const unsigned char*>(pem.data()),
                       static_cast<int>(pem.size())),
            0);
  jwt_free(naive);
  ExpectRefused(forged, "alg HS256 (HMAC) is refused");
}

TEST_F(OidcTest, RepeatedAlgInTheHeaderIsRefused) {
  // Readers that keep the first or the last "alg" would disagree.
  const std::string header =
      R"({"alg":"RS256","kid":"rsa-1","typ":"JWT","alg":"HS256"})";
  const std::string signing_input =
      absl::StrCat(absl::WebSafeBase64Escape(header), ".",
                   absl::WebSafeBase64Escape(Claims().Json()));
  const std::string forged = absl::StrCat(
      signing_input, ".",
      TestIdentityProvider::HmacSha256(idp_.RsaPublicPem(), signing_input));
  ExpectRefused(forged, "the token's header is not a JSON object");
}

TEST_F(OidcTest, KidMustNameAKnownKeyOfTheAlgorithmsType) {
  ExpectRefused(idp_.Sign(Claims().Json(), "RS256", "rsa-2"), "unknown kid");
  ExpectRefused(idp_.Sign(Claims().Json(), "RS256", ""),
                "the token's header names no kid");
  ExpectRefused(
      idp_.Sign(Claims().Json(), "RS256", TestIdentityProvider::kEcKid),
      "the key the token's kid names is not for alg RS256");
  ExpectRefused(
      idp_.Sign(Claims().Json(), "ES256", TestIdentityProvider::kRsaKid),
      "not for alg ES256");
}

TEST_F(OidcTest, HeadersVagtCannotHonourAreRefused) {
  const std::string claims = Claims().Json();
  ExpectRefused(TestIdentityProvider::Compose(
                    R"({"alg":"PS256","kid":"rsa-1"})", claims, "c2ln"),
                "alg PS256 is not supported");
  ExpectRefused(
      TestIdentityProvider::Compose(
          R"({"alg":"RS256","kid":"rsa-1","typ":"at+jwt"})", claims, "c2ln"),
      "typ is not JWT");
  ExpectRefused(
      TestIdentityProvider::Compose(
          R"({"alg":"RS256","kid":"rsa-1","crit":["exp"]})", claims, "c2ln"),
      "crit");
  ExpectRefused(
      TestIdentityProvider::Compose(R"({"kid":"rsa-1"})", claims, "c2ln"),
      "names no alg");
  ExpectRefused(TestIdentityProvider::Compose("not json", claims, "c2ln"),
                "the token's header is not a JSON object");
  ExpectRefused("eyJ.only-two", "not a JWT");
  ExpectRefused(TestIdentityProvider::Compose(
                    R"({"alg":"RS256","kid":"rsa-1"})", claims, ""),
                "the token has no signature");
}

TEST_F(OidcTest, TheWorkerClaimMustBeThere) {
  Claims claims;
  claims.name.reset();
  ExpectRefused(idp_.Sign(claims.Json()),
                "the token has no preferred_username claim");
}

TEST(OidcMapping, ClaimValueLowerCasedAfterWorker) {
  const OidcOptions options{.issuer = kIssuer, .audience = "vagt"};
  EXPECT_EQ(*PartyIdOfClaim("Anna.Hansen", options), "worker:anna.hansen");
  EXPECT_EQ(*PartyIdOfClaim("bo_1-x", options), "worker:bo_1-x");
  absl::StatusOr<std::string> with_domain =
      PartyIdOfClaim("anna@ishoj.dk", options);
  ASSERT_FALSE(with_domain.ok());
  EXPECT_THAT(std::string(with_domain.status().message()),
              HasSubstr("--oidc_domain"));
  EXPECT_FALSE(PartyIdOfClaim("søren", options).ok());
  EXPECT_FALSE(PartyIdOfClaim("worker:admin", options).ok());
  EXPECT_FALSE(PartyIdOfClaim(std::string(65, 'a'), options).ok());
}

TEST(OidcMapping, DomainIsRemovedAndOtherDomainsAreRefused) {
  const OidcOptions options{
      .issuer = kIssuer, .audience = "vagt", .domain = "ishoj.dk"};
  EXPECT_EQ(*PartyIdOfClaim("Anna.Hansen@Ishoj.DK", options),
            "worker:anna.hansen");
  for (const char* guest : {"anna.hansen@gmail.com", "anna.hansen", "@ishoj.dk",
                            "anna@evil-ishoj.dk", "anna@ishoj.dk.evil"}) {
    absl::StatusOr<std::string> party = PartyIdOfClaim(guest, options);
    EXPECT_FALSE(party.ok()) << guest << " -> " << *party;
  }
  EXPECT_THAT(
      std::string(PartyIdOfClaim("a@gmail.com", options).status().message()),
      HasSubstr("is not in the domain ishoj.dk"));
}

TEST(OidcOptionsCheck, IssuerAudienceAndASaneSkewAreRequired) {
  EXPECT_TRUE(CheckOidcOptions({.issuer = kIssuer, .audience = "vagt"}).ok());
  EXPECT_FALSE(CheckOidcOptions({.audience = "vagt"}).ok());
  EXPECT_FALSE(CheckOidcOptions({.issuer = kIssuer}).ok());
  EXPECT_FALSE(
      CheckOidcOptions({.issuer = kIssuer, .audience = "vagt", .claim = ""})
          .ok());
  EXPECT_FALSE(
      CheckOidcOptions(
          {.issuer = kIssuer, .audience = "vagt", .domain = "@ishoj.dk"})
          .ok());
  EXPECT_FALSE(
      CheckOidcOptions(
          {.issuer = kIssuer, .audience = "vagt", .skew = absl::Hours(1)})
          .ok());
}

}  // namespace
}  // namespace vagt::services
