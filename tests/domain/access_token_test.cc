// vagt access tokens: the text round-trips, secrets are fresh, digests are
// SHA-256 (a known vector), and anything that is not a token is refused
// without being repeated.
#include "domain/access_token.h"

#include <set>
#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vagt {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kId[] = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

TEST(AccessTokenTest, TextParsesBackToTheSameToken) {
  const AccessToken token = NewAccessToken(kId);
  EXPECT_EQ(token.secret.size(), 64u);
  absl::StatusOr<AccessToken> parsed = ParseAccessToken(token.text());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->credential_id, kId);
  EXPECT_EQ(parsed->secret, token.secret);
}

TEST(AccessTokenTest, EverySecretIsNew) {
  std::set<std::string> secrets;
  for (int i = 0; i < 100; ++i) secrets.insert(NewAccessToken(kId).secret);
  EXPECT_EQ(secrets.size(), 100u);
}

TEST(AccessTokenTest, DigestIsSha256) {
  // FIPS 180-2, appendix B.1.
  EXPECT_EQ(absl::BytesToHexString(SecretDigest("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(AccessTokenTest, DigestMatchesOnlyTheSameBytes) {
  const std::string a = SecretDigest("one");
  EXPECT_TRUE(DigestMatches(a, SecretDigest("one")));
  EXPECT_FALSE(DigestMatches(a, SecretDigest("two")));
  EXPECT_FALSE(DigestMatches(a, a.substr(0, 31)));
  EXPECT_FALSE(DigestMatches(a, ""));
}

TEST(AccessTokenTest, AnythingElseIsRefusedWithoutRepeatingIt) {
  const std::string secret(64, 'a');
  for (const std::string& text : {
           std::string(""), std::string("Bearer"),
           "vagt2." + std::string(kId) + "." + secret,
           "vagt1." + secret,                                     // no id
           "vagt1.." + secret,                                    // empty id
           "vagt1." + std::string(kId) + "." + secret.substr(1),  // short
           "vagt1." + std::string(kId) + "." + std::string(64, 'A'),
           "vagt1." + std::string(kId) + "." + std::string(63, 'a') + "g",
           "vagt1.id with space." + secret,
           "vagt1." + std::string(65, 'a') + "." + secret,  // id too long
       }) {
    absl::StatusOr<AccessToken> parsed = ParseAccessToken(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_THAT(std::string(parsed.status().message()),
                Not(HasSubstr(secret.substr(0, 16))));
  }
}

}  // namespace
}  // namespace vagt
