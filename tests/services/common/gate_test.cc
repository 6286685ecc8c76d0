// Admit over a directory folded from its events: a valid token admits its
// principal to what its roles carry; everything else is refused with the
// reason, never the token.
#include "services/common/gate.h"

#include <memory>
#include <string>

#include "domain/access_token.h"
#include "domain/streams.h"
#include "eventstore/timestamps.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vagt::services {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kReceiveCall[] = "/vagt.v1.CallService/ReceiveCall";
constexpr char kGetDirectory[] = "/vagt.v1.DirectoryService/GetDirectory";
constexpr char kHealth[] = "/grpc.health.v1.Health/Check";

const absl::Time kNow = absl::FromUnixSeconds(1'795'000'000);

class GateTest : public ::testing::Test {
 protected:
  GateTest() {
    v1::EventPayload p;
    auto* r = p.mutable_principal_registered();
    r->set_party_id("worker:anna");
    r->set_kind(v1::PRINCIPAL_KIND_PERSON);
    r->set_display_name("Anna");
    Apply(p);
    p.Clear();
    auto* g = p.mutable_principal_role_granted();
    g->set_party_id("worker:anna");
    g->set_role(v1::ROLE_TEAM_WORKER);
    g->set_team_id("ishoj-bos");
    Apply(p);
    token_ = Issue("cred-1", kNow + absl::Hours(1));
  }

  void Apply(const v1::EventPayload& payload) {
    v1::EventEnvelope e;
    e.set_stream_id(kDirectoryStream);
    e.set_stream_version(++version_);
    *e.mutable_occurred_at() = ToTimestamp(kNow - absl::Hours(1));
    *e.mutable_payload() = payload;
    directory_.Apply(e);
  }
  std::string Issue(const std::string& id, absl::Time expires) {
    AccessToken token = NewAccessToken(id);
    v1::EventPayload p;
    auto* c = p.mutable_credential_issued();
    c->set_credential_id(id);
    c->set_party_id("worker:anna");
    c->set_label("telefon");
    c->set_secret_sha256(SecretDigest(token.secret));
    *c->mutable_expires_at() = ToTimestamp(expires);
    Apply(p);
    return token.text();
  }
  absl::StatusOr<Caller> AdmitAt(absl::string_view method,
                                 const std::string& authorization,
                                 absl::Time now = kNow) {
    return Admit(std::make_shared<const DirectoryState>(directory_), method,
                 authorization, now);
  }
  // Expects `code` with `reason`, and no part of the token in the message.
  void ExpectRefused(const absl::StatusOr<Caller>& admitted,
                     absl::StatusCode code, const std::string& reason) {
    ASSERT_FALSE(admitted.ok());
    EXPECT_EQ(admitted.status().code(), code) << admitted.status();
    EXPECT_THAT(std::string(admitted.status().message()), HasSubstr(reason));
    EXPECT_THAT(std::string(admitted.status().message()),
                Not(HasSubstr(token_.substr(token_.size() - 16))));
  }

  DirectoryState directory_;
  uint64_t version_ = 0;
  std::string token_;
};

TEST_F(GateTest, ValidTokenAdmitsItsPrincipalToWhatItsRolesCarry) {
  absl::StatusOr<Caller> caller = AdmitAt(kReceiveCall, "Bearer " + token_);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->party_id, "worker:anna");
  EXPECT_EQ(caller->credential_id, "cred-1");
  EXPECT_TRUE(caller->roles.contains({v1::ROLE_TEAM_WORKER, "ishoj-bos"}));
}

TEST_F(GateTest, MissingRightIsNamedWithTheRolesThatCarryIt) {
  ExpectRefused(AdmitAt(kGetDirectory, "Bearer " + token_),
                absl::StatusCode::kPermissionDenied,
                "needs the right 'see-directory' (held by ADMINISTRATOR, "
                "AUDITOR, TEAM_LEADER)");
  ExpectRefused(AdmitAt("/vagt.v1.CallService/Nothing", "Bearer " + token_),
                absl::StatusCode::kPermissionDenied, "no rule");
}

TEST_F(GateTest, NoOrMalformedCredentialsAreUnauthenticated) {
  ExpectRefused(AdmitAt(kReceiveCall, ""), absl::StatusCode::kUnauthenticated,
                "authorization: required");
  ExpectRefused(AdmitAt(kReceiveCall, token_),
                absl::StatusCode::kUnauthenticated, "Bearer");
  ExpectRefused(AdmitAt(kReceiveCall, "Bearer worker:anna"),
                absl::StatusCode::kUnauthenticated, "not a vagt access token");
}

TEST_F(GateTest, WrongSecretAndUnknownCredentialReadTheSame) {
  std::string wrong = token_;
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  ExpectRefused(AdmitAt(kReceiveCall, "Bearer " + wrong),
                absl::StatusCode::kUnauthenticated, "not a token this server");
  const std::string unknown = NewAccessToken("cred-unknown").text();
  ExpectRefused(AdmitAt(kReceiveCall, "Bearer " + unknown),
                absl::StatusCode::kUnauthenticated, "not a token this server");
}

TEST_F(GateTest, ExpiredRevokedAndSuspendedAreRefusedAtOnce) {
  ExpectRefused(
      AdmitAt(kReceiveCall, "Bearer " + token_, kNow + absl::Hours(1)),
      absl::StatusCode::kUnauthenticated, "expired");
  EXPECT_TRUE(
      AdmitAt(kReceiveCall, "Bearer " + token_, kNow + absl::Minutes(59)).ok());

  const std::string second = Issue("cred-2", kNow + absl::Hours(1));
  v1::EventPayload p;
  p.mutable_credential_revoked()->set_credential_id("cred-1");
  Apply(p);
  ExpectRefused(AdmitAt(kReceiveCall, "Bearer " + token_),
                absl::StatusCode::kUnauthenticated, "revoked");
  EXPECT_TRUE(AdmitAt(kReceiveCall, "Bearer " + second).ok());

  p.Clear();
  p.mutable_principal_suspended()->set_party_id("worker:anna");
  Apply(p);
  ExpectRefused(AdmitAt(kReceiveCall, "Bearer " + second),
                absl::StatusCode::kUnauthenticated, "suspended");
  p.Clear();
  p.mutable_principal_reinstated()->set_party_id("worker:anna");
  Apply(p);
  EXPECT_TRUE(AdmitAt(kReceiveCall, "Bearer " + second).ok());
}

TEST_F(GateTest, HealthNeedsNoCredentialsButChecksThoseGiven) {
  absl::StatusOr<Caller> anonymous = AdmitAt(kHealth, "");
  ASSERT_TRUE(anonymous.ok());
  EXPECT_TRUE(anonymous->party_id.empty());
  ExpectRefused(AdmitAt(kHealth, "Bearer nonsense"),
                absl::StatusCode::kUnauthenticated, "not a vagt access token");
}

}  // namespace
}  // namespace vagt::services
