#include "tests/support/test_accounts.h"

#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "domain/directory.h"
#include "grpcpp/create_channel.h"
#include "tests/support/test_roles.h"
#include "vagt/v1/directory.grpc.pb.h"

namespace vagt::testing {
namespace {

absl::Status FromGrpc(const grpc::Status& s, const std::string& what) {
  if (s.ok()) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(what, ": ", s.error_message()));
}

}  // namespace

absl::StatusOr<std::string> FirstAdminToken(const std::string& data_dir) {
  const std::string path = data_dir + "/first-admin-token";
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) {
    return absl::NotFoundError(absl::StrCat("no token in ", path));
  }
  return std::string(absl::StripAsciiWhitespace(line));
}

TestAccounts::TestAccounts(const std::string& address, std::string admin_token)
    : channel_(
          grpc::CreateChannel(address, grpc::InsecureChannelCredentials())),
      admin_token_(std::move(admin_token)) {
  tokens_["worker:admin"] = admin_token_;
}

absl::StatusOr<std::string> TestAccounts::TokenFor(
    const std::string& party_id) {
  if (party_id.empty()) return std::string();
  if (auto it = tokens_.find(party_id); it != tokens_.end()) return it->second;
  if (absl::Status s = Register(party_id); !s.ok()) return s;
  return tokens_[party_id];
}

absl::StatusOr<uint64_t> TestAccounts::DirectoryEvents() {
  auto stub = v1::DirectoryService::NewStub(channel_);
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + admin_token_);
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  v1::Directory directory;
  if (absl::Status s = FromGrpc(
          stub->GetDirectory(&context, v1::GetDirectoryRequest(), &directory),
          "directory");
      !s.ok()) {
    return s;
  }
  return directory.version();
}

absl::Status TestAccounts::Register(const std::string& party_id) {
  auto stub = v1::DirectoryService::NewStub(channel_);
  auto as_admin = [&] {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata("authorization", "Bearer " + admin_token_);
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    return context;
  };
  auto next_id = [&] { return absl::StrCat("test-accounts-", ++requests_); };
  v1::CommandResult result;
  if (!team_registered_) {
    for (const TestTeam& t : TestTeams()) {
      v1::RegisterTeamRequest team;
      team.set_request_id(next_id());
      team.set_team_id(t.team_id);
      team.set_display_name(t.team_id);
      if (absl::Status s = FromGrpc(
              stub->RegisterTeam(as_admin().get(), team, &result), "team");
          !s.ok()) {
        return s;
      }
      for (const std::string& line : t.line_ids) {
        v1::RegisterLineRequest l;
        l.set_request_id(next_id());
        l.set_team_id(t.team_id);
        l.set_line_id(line);
        if (absl::Status s = FromGrpc(
                stub->RegisterLine(as_admin().get(), l, &result), line);
            !s.ok()) {
          return s;
        }
      }
    }
    team_registered_ = true;
  }
  v1::RegisterPrincipalRequest r;
  r.set_request_id(next_id());
  r.set_party_id(party_id);
  r.set_partner_kind(TestPartnerKindOf(party_id));
  r.set_display_name(party_id.substr(party_id.find(':') + 1));
  if (absl::Status s = FromGrpc(
          stub->RegisterPrincipal(as_admin().get(), r, &result), party_id);
      !s.ok()) {
    return s;
  }
  for (v1::Role role : TestRolesOf(party_id)) {
    v1::GrantRoleRequest g;
    g.set_request_id(next_id());
    g.set_party_id(party_id);
    g.set_role(role);
    if (IsTeamRole(role)) g.set_team_id(TestTeamOf(party_id));
    if (absl::Status s =
            FromGrpc(stub->GrantRole(as_admin().get(), g, &result), party_id);
        !s.ok()) {
      return s;
    }
  }
  if (IsTestTeamPartner(party_id)) {
    v1::AddTeamPartnerRequest p;
    p.set_request_id(next_id());
    p.set_team_id(kTestTeam);
    p.set_partner_id(party_id);
    if (absl::Status s = FromGrpc(
            stub->AddTeamPartner(as_admin().get(), p, &result), party_id);
        !s.ok()) {
      return s;
    }
  }
  v1::IssueTokenRequest t;
  t.set_request_id(next_id());
  t.set_party_id(party_id);
  t.set_label("test");
  v1::IssueTokenResponse issued;
  if (absl::Status s =
          FromGrpc(stub->IssueToken(as_admin().get(), t, &issued), party_id);
      !s.ok()) {
    return s;
  }
  tokens_[party_id] = issued.token();
  return absl::OkStatus();
}

}  // namespace vagt::testing
