// DirectoryService through gRPC: principals, roles, suspension, teams and
// lines; access tokens shown once and kept only as a digest; and refusals
// that name the field and change nothing.
#include <string>

#include "domain/access_token.h"
#include "domain/streams.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/service_test_server.h"
#include "vagt/v1/directory.grpc.pb.h"

namespace vagt {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::vagt::testing::ServiceTestServer;

constexpr char kAdmin[] = "worker:admin";

class DirectoryServiceTest : public ::testing::Test {
 protected:
  std::string NextRequestId() { return "req-" + std::to_string(++requests_); }

  grpc::Status Register(
      const std::string& party_id, const std::string& name = "Anna Jensen",
      v1::PartyKind partner_kind = v1::PARTY_KIND_UNSPECIFIED) {
    v1::RegisterPrincipalRequest r;
    r.set_request_id(NextRequestId());
    r.set_party_id(party_id);
    r.set_display_name(name);
    r.set_partner_kind(partner_kind);
    v1::CommandResult result;
    return directory_->RegisterPrincipal(As().get(), r, &result);
  }
  grpc::Status Team(const std::string& team_id) {
    v1::RegisterTeamRequest r;
    r.set_request_id(NextRequestId());
    r.set_team_id(team_id);
    r.set_display_name("Bostøtten Ishøj");
    v1::CommandResult result;
    return directory_->RegisterTeam(As().get(), r, &result);
  }
  grpc::Status Line(const std::string& team_id, const std::string& line_id) {
    v1::RegisterLineRequest r;
    r.set_request_id(NextRequestId());
    r.set_team_id(team_id);
    r.set_line_id(line_id);
    v1::CommandResult result;
    return directory_->RegisterLine(As().get(), r, &result);
  }
  grpc::Status Grant(const std::string& party_id, v1::Role role,
                     const std::string& team_id = "") {
    v1::GrantRoleRequest r;
    r.set_request_id(NextRequestId());
    r.set_party_id(party_id);
    r.set_role(role);
    r.set_team_id(team_id);
    v1::CommandResult result;
    return directory_->GrantRole(As().get(), r, &result);
  }
  v1::IssueTokenRequest TokenFor(const std::string& party_id) {
    v1::IssueTokenRequest r;
    r.set_request_id(NextRequestId());
    r.set_party_id(party_id);
    r.set_label("Annas telefon");
    return r;
  }
  v1::Directory Read() {
    v1::Directory out;
    EXPECT_TRUE(
        directory_->GetDirectory(As().get(), v1::GetDirectoryRequest(), &out)
            .ok());
    return out;
  }
  // Every stored byte of the log, to look for what must not be there.
  std::string AllStoredBytes() {
    std::string all;
    auto events = server_.store().ReadAll(1, 100'000);
    EXPECT_TRUE(events.ok());
    for (const v1::EventEnvelope& e : *events) all += e.SerializeAsString();
    return all;
  }
  // Expects `s` to be `code` naming `field`, and nothing appended.
  void ExpectRefused(const grpc::Status& s, grpc::StatusCode code,
                     const std::string& field, uint64_t before) {
    EXPECT_EQ(s.error_code(), code) << s.error_message();
    EXPECT_THAT(s.error_message(), HasSubstr(field));
    EXPECT_EQ(server_.store().LastPosition(), before);
  }
  // The principal `id` of `d` (a test failure, and an empty one, if none).
  static v1::PrincipalInfo Principal(const v1::Directory& d,
                                     const std::string& id) {
    for (const v1::PrincipalInfo& p : d.principals()) {
      if (p.party_id() == id) return p;
    }
    ADD_FAILURE() << "no principal " << id;
    return {};
  }
  static v1::TeamInfo TeamIn(const v1::Directory& d, const std::string& id) {
    for (const v1::TeamInfo& t : d.teams()) {
      if (t.team_id() == id) return t;
    }
    ADD_FAILURE() << "no team " << id;
    return {};
  }
  // The directory's version before the test: the test principals'.
  uint64_t SeededVersion() const { return seeded_version_; }
  static std::unique_ptr<grpc::ClientContext> As() {
    return ServiceTestServer::As(kAdmin);
  }

  ServiceTestServer server_;
  std::unique_ptr<v1::DirectoryService::Stub> directory_ =
      v1::DirectoryService::NewStub(server_.channel());
  int requests_ = 0;
  const uint64_t seeded_version_ =
      *server_.store().StreamVersion(kDirectoryStream);
};

TEST_F(DirectoryServiceTest, PrincipalsRolesTeamsAndLinesAreRecorded) {
  ASSERT_TRUE(Team("ishoj-bos").ok());
  ASSERT_TRUE(Line("ishoj-bos", "ishoj-dag").ok());
  ASSERT_TRUE(Register("worker:lise").ok());
  ASSERT_TRUE(Grant("worker:lise", v1::ROLE_TEAM_WORKER, "ishoj-bos").ok());
  ASSERT_TRUE(Register("partner:natlys", "Natteravnen ApS",
                       v1::PARTY_KIND_NIGHT_PARTNER)
                  .ok());
  ASSERT_TRUE(Grant("partner:natlys", v1::ROLE_PARTNER).ok());
  v1::AddTeamPartnerRequest add;
  add.set_request_id(NextRequestId());
  add.set_team_id("ishoj-bos");
  add.set_partner_id("partner:natlys");
  v1::CommandResult result;
  ASSERT_TRUE(directory_->AddTeamPartner(As().get(), add, &result).ok());
  EXPECT_EQ(result.stream_id(), kDirectoryStream);

  const v1::Directory d = Read();
  const v1::PrincipalInfo lise = Principal(d, "worker:lise");
  EXPECT_EQ(lise.kind(), v1::PRINCIPAL_KIND_PERSON);
  ASSERT_EQ(lise.roles_size(), 1);
  EXPECT_EQ(lise.roles(0).role(), v1::ROLE_TEAM_WORKER);
  EXPECT_EQ(lise.roles(0).team_id(), "ishoj-bos");
  EXPECT_EQ(Principal(d, "partner:natlys").partner_kind(),
            v1::PARTY_KIND_NIGHT_PARTNER);
  const v1::TeamInfo team = TeamIn(d, "ishoj-bos");
  EXPECT_THAT(team.line_ids(), ::testing::ElementsAre("ishoj-dag"));
  EXPECT_THAT(team.partner_ids(), ::testing::ElementsAre("partner:natlys"));

  // Every change is an event by whoever made it.
  auto events =
      server_.store().ReadStream(kDirectoryStream, SeededVersion() + 1, 100);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 7u);
  for (const v1::EventEnvelope& e : *events) EXPECT_EQ(e.actor(), kAdmin);
}

TEST_F(DirectoryServiceTest, BadRequestsNameTheFieldAndChangeNothing) {
  ASSERT_TRUE(Team("ishoj-bos").ok());
  ASSERT_TRUE(Register("worker:lise").ok());
  ASSERT_TRUE(Register("partner:natlys", "Natteravnen ApS",
                       v1::PARTY_KIND_NIGHT_PARTNER)
                  .ok());
  ASSERT_TRUE(Line("ishoj-bos", "ishoj-dag").ok());
  ASSERT_TRUE(Team("vest").ok());
  const uint64_t before = server_.store().LastPosition();
  using C = grpc::StatusCode;

  ExpectRefused(Register("anna"), C::INVALID_ARGUMENT, "party_id", before);
  ExpectRefused(Register("worker:Anna"), C::INVALID_ARGUMENT, "party_id",
                before);
  ExpectRefused(Register("worker:mads", ""), C::INVALID_ARGUMENT,
                "display_name", before);
  ExpectRefused(Register("partner:akutlys", "Akuttilbuddet"),
                C::INVALID_ARGUMENT, "partner_kind", before);
  ExpectRefused(Register("worker:mads", "Bo", v1::PARTY_KIND_NIGHT_PARTNER),
                C::INVALID_ARGUMENT, "partner_kind", before);
  ExpectRefused(Register("worker:lise"), C::ALREADY_EXISTS, "party_id", before);

  ExpectRefused(Grant("worker:nobody", v1::ROLE_AUDITOR), C::NOT_FOUND,
                "party_id", before);
  ExpectRefused(Grant("worker:lise", v1::ROLE_UNSPECIFIED), C::INVALID_ARGUMENT,
                "role", before);
  ExpectRefused(Grant("worker:lise", v1::ROLE_PARTNER), C::INVALID_ARGUMENT,
                "role", before);
  ExpectRefused(Grant("partner:natlys", v1::ROLE_TEAM_WORKER, "ishoj-bos"),
                C::INVALID_ARGUMENT, "role", before);
  ExpectRefused(Grant("worker:lise", v1::ROLE_TEAM_WORKER), C::INVALID_ARGUMENT,
                "team_id", before);
  ExpectRefused(Grant("worker:lise", v1::ROLE_TEAM_WORKER, "nord"),
                C::NOT_FOUND, "team_id", before);
  ExpectRefused(Grant("worker:lise", v1::ROLE_AUDITOR, "ishoj-bos"),
                C::INVALID_ARGUMENT, "team_id", before);

  ExpectRefused(Line("nord", "north"), C::NOT_FOUND, "team_id", before);
  ExpectRefused(Line("vest", "ishoj-dag"), C::FAILED_PRECONDITION,
                "another team", before);
  ExpectRefused(Line("ishoj-bos", "Central Line"), C::INVALID_ARGUMENT,
                "line_id", before);
  ExpectRefused(Team("ishoj-bos"), C::ALREADY_EXISTS, "team_id", before);

  v1::IssueTokenRequest token = TokenFor("worker:lise");
  token.mutable_valid_for()->set_seconds(30);
  v1::IssueTokenResponse issued;
  ExpectRefused(directory_->IssueToken(As().get(), token, &issued),
                C::INVALID_ARGUMENT, "valid_for", before);
  token = TokenFor("worker:lise");
  token.set_label("");
  ExpectRefused(directory_->IssueToken(As().get(), token, &issued),
                C::INVALID_ARGUMENT, "label", before);
}

TEST_F(DirectoryServiceTest, TokenIsShownOnceAndKeptOnlyAsItsDigest) {
  ASSERT_TRUE(Register("worker:lise").ok());
  const v1::IssueTokenRequest request = TokenFor("worker:lise");
  v1::IssueTokenResponse issued;
  ASSERT_TRUE(directory_->IssueToken(As().get(), request, &issued).ok());
  absl::StatusOr<AccessToken> token = ParseAccessToken(issued.token());
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->credential_id, issued.credential_id());
  EXPECT_EQ(issued.expires_at().seconds(),
            absl::ToUnixSeconds(server_.clock().Now() + absl::Hours(90 * 24)));

  // The log holds the digest, never the secret.
  const std::string stored = AllStoredBytes();
  EXPECT_THAT(stored, Not(HasSubstr(token->secret)));
  EXPECT_THAT(stored, HasSubstr(SecretDigest(token->secret)));
  const v1::Directory d = Read();
  ASSERT_EQ(Principal(d, "worker:lise").credentials_size(), 1);
  EXPECT_EQ(Principal(d, "worker:lise").credentials(0).label(),
            "Annas telefon");
  EXPECT_THAT(d.SerializeAsString(), Not(HasSubstr(token->secret)));

  // A retry names the same credential but cannot show the token again.
  v1::IssueTokenResponse again;
  ASSERT_TRUE(directory_->IssueToken(As().get(), request, &again).ok());
  EXPECT_TRUE(again.result().replayed());
  EXPECT_EQ(again.credential_id(), issued.credential_id());
  EXPECT_TRUE(again.token().empty());
  EXPECT_EQ(again.expires_at().seconds(), issued.expires_at().seconds());
}

TEST_F(DirectoryServiceTest, RevokedTokenAndSuspendedPrincipal) {
  ASSERT_TRUE(Register("worker:lise").ok());
  v1::IssueTokenResponse issued;
  ASSERT_TRUE(
      directory_->IssueToken(As().get(), TokenFor("worker:lise"), &issued)
          .ok());
  v1::RevokeTokenRequest revoke;
  revoke.set_request_id(NextRequestId());
  revoke.set_credential_id(issued.credential_id());
  revoke.set_reason("telefonen er tabt");
  v1::CommandResult result;
  ASSERT_TRUE(directory_->RevokeToken(As().get(), revoke, &result).ok());
  EXPECT_TRUE(Principal(Read(), "worker:lise").credentials(0).revoked());

  const uint64_t before = server_.store().LastPosition();
  revoke.set_request_id(NextRequestId());
  ExpectRefused(directory_->RevokeToken(As().get(), revoke, &result),
                grpc::StatusCode::FAILED_PRECONDITION, "already revoked",
                before);
  revoke.set_credential_id("no-such-credential");
  ExpectRefused(directory_->RevokeToken(As().get(), revoke, &result),
                grpc::StatusCode::NOT_FOUND, "credential_id", before);

  v1::SuspendPrincipalRequest suspend;
  suspend.set_request_id(NextRequestId());
  suspend.set_party_id("worker:lise");
  suspend.set_reason("fratrådt");
  ASSERT_TRUE(directory_->SuspendPrincipal(As().get(), suspend, &result).ok());
  EXPECT_TRUE(Principal(Read(), "worker:lise").suspended());
  const uint64_t suspended = server_.store().LastPosition();
  ExpectRefused(
      directory_->IssueToken(As().get(), TokenFor("worker:lise"), &issued),
      grpc::StatusCode::FAILED_PRECONDITION, "suspended", suspended);

  v1::ReinstatePrincipalRequest reinstate;
  reinstate.set_request_id(NextRequestId());
  reinstate.set_party_id("worker:lise");
  ASSERT_TRUE(
      directory_->ReinstatePrincipal(As().get(), reinstate, &result).ok());
  EXPECT_FALSE(Principal(Read(), "worker:lise").suspended());
  EXPECT_TRUE(
      directory_->IssueToken(As().get(), TokenFor("worker:lise"), &issued)
          .ok());
}

}  // namespace
}  // namespace vagt
