// Admit with an OpenID Connect verifier: a JWT of the trusted provider
// admits the registered principal it names, with the directory's roles and
// the rights table's verdict, exactly as a vagt access token would; vagt
// tokens keep working beside it.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"
#include "domain/access_token.h"
#include "domain/streams.h"
#include "eventstore/clock.h"
#include "eventstore/timestamps.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/gate.h"
#include "services/common/jwks_cache.h"
#include "services/common/oidc.h"
#include "tests/services/common/test_identity_provider.h"

namespace vagt::services {
namespace {

using ::testing::HasSubstr;

constexpr char kReceiveCall[] = "/vagt.v1.CallService/ReceiveCall";
constexpr char kGetDirectory[] = "/vagt.v1.DirectoryService/GetDirectory";
constexpr char kIssuer[] = "https://login.microsoftonline.com/tenant/v2.0";
const absl::Time kNow = absl::FromUnixSeconds(1'795'000'000);

class GateOidcTest : public ::testing::Test {
 protected:
  GateOidcTest()
      : keys_({.read = [this] { return idp_.Jwks(); }, .source = "test"},
              clock_, {}),
        verifier_(
            {.issuer = kIssuer, .audience = "api://vagt", .domain = "ishoj.dk"},
            keys_) {
    EXPECT_TRUE(keys_.Refresh().ok());
    Register("worker:anna");
    v1::EventPayload p;
    auto* g = p.mutable_principal_role_granted();
    g->set_party_id("worker:anna");
    g->set_role(v1::ROLE_TEAM_WORKER);
    g->set_team_id("ishoj-bos");
    Apply(p);
  }

  void Register(const std::string& party_id) {
    v1::EventPayload p;
    auto* r = p.mutable_principal_registered();
    r->set_party_id(party_id);
    r->set_kind(v1::PRINCIPAL_KIND_PERSON);
    r->set_display_name(party_id);
    Apply(p);
  }
  void Apply(const v1::EventPayload& payload) {
    v1::EventEnvelope e;
    e.set_stream_id(kDirectoryStream);
    e.set_stream_version(++version_);
    *e.mutable_occurred_at() = ToTimestamp(kNow - absl::Hours(1));
    *e.mutable_payload() = payload;
    directory_.Apply(e);
  }
  std::string TokenFor(const std::string& upn,
                       absl::Duration valid = absl::Minutes(5)) {
    return idp_.Sign(absl::Substitute(
        R"({"iss":"$0","aud":"api://vagt","exp":$1,"preferred_username":"$2"})",
        kIssuer, absl::ToUnixSeconds(kNow + valid), upn));
  }
  absl::StatusOr<Caller> AdmitAt(absl::string_view method,
                                 const std::string& bearer,
                                 const OidcVerifier* oidc) {
    return Admit(std::make_shared<const DirectoryState>(directory_), method,
                 "Bearer " + bearer, kNow, oidc);
  }
  void ExpectUnauthenticated(const absl::StatusOr<Caller>& admitted,
                             const std::string& reason) {
    ASSERT_FALSE(admitted.ok());
    EXPECT_EQ(admitted.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_THAT(std::string(admitted.status().message()), HasSubstr(reason));
  }

  FakeClock clock_{kNow};
  TestIdentityProvider idp_;
  JwksCache keys_;
  OidcVerifier verifier_;
  DirectoryState directory_;
  uint64_t version_ = 0;
};

TEST_F(GateOidcTest, JwtAdmitsItsRegisteredPrincipalWithTheDirectorysRoles) {
  absl::StatusOr<Caller> caller =
      AdmitAt(kReceiveCall, TokenFor("Anna@ishoj.dk"), &verifier_);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->party_id, "worker:anna");
  EXPECT_TRUE(caller->credential_id.empty());
  EXPECT_TRUE(caller->roles.contains({v1::ROLE_TEAM_WORKER, "ishoj-bos"}));
  ASSERT_NE(caller->directory, nullptr);
}

TEST_F(GateOidcTest, RightsComeFromTheOneTable) {
  std::string refused_party;
  absl::StatusOr<Caller> caller = Admit(
      std::make_shared<const DirectoryState>(directory_), kGetDirectory,
      "Bearer " + TokenFor("anna@ishoj.dk"), kNow, &verifier_, &refused_party);
  ASSERT_FALSE(caller.ok());
  EXPECT_EQ(caller.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(caller.status().message()),
              HasSubstr("needs the right 'see-directory'"));
  // The refusal is recorded as hers, although no vagt credential names her.
  EXPECT_EQ(refused_party, "worker:anna");
}

TEST_F(GateOidcTest, UnregisteredOrSuspendedPrincipalIsRefused) {
  ExpectUnauthenticated(
      AdmitAt(kReceiveCall, TokenFor("carl@ishoj.dk"), &verifier_),
      "authorization: worker:carl is not registered in the directory");
  v1::EventPayload p;
  p.mutable_principal_suspended()->set_party_id("worker:anna");
  Apply(p);
  ExpectUnauthenticated(
      AdmitAt(kReceiveCall, TokenFor("anna@ishoj.dk"), &verifier_),
      "authorization: the token's principal is suspended");
}

TEST_F(GateOidcTest, VerifiersRefusalIsTheGates) {
  ExpectUnauthenticated(
      AdmitAt(kReceiveCall, TokenFor("anna@ishoj.dk", -absl::Hours(1)),
              &verifier_),
      "authorization: the token has expired");
  ExpectUnauthenticated(
      AdmitAt(kReceiveCall, idp_.SignHmacWithPublicKey("{}"), &verifier_),
      "authorization: alg HS256 (HMAC) is refused");
}

TEST_F(GateOidcTest, WithoutAVerifierJwtsAreRefused) {
  ExpectUnauthenticated(
      AdmitAt(kReceiveCall, TokenFor("anna@ishoj.dk"), nullptr),
      "this server trusts no identity provider");
}

TEST_F(GateOidcTest, VagtAccessTokensKeepWorkingBesideIt) {
  AccessToken token = NewAccessToken("cred-1");
  v1::EventPayload p;
  auto* c = p.mutable_credential_issued();
  c->set_credential_id("cred-1");
  c->set_party_id("worker:anna");
  c->set_label("telefon");
  c->set_secret_sha256(SecretDigest(token.secret));
  *c->mutable_expires_at() = ToTimestamp(kNow + absl::Hours(1));
  Apply(p);
  absl::StatusOr<Caller> caller =
      AdmitAt(kReceiveCall, token.text(), &verifier_);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->credential_id, "cred-1");
  ExpectUnauthenticated(AdmitAt(kReceiveCall, "vagt1.a.b", &verifier_),
                        "not a vagt access token");
}

}  // namespace
}  // namespace vagt::services
