// vagtctl directory ...: who may use vagt (DirectoryService), for an
// administrator: people, partners and systems with their roles, their
// tokens, teams with their lines and partners. `token` prints the new token
// on stdout alone (so that `> anna.token` keeps it) and the rest on stderr.
#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "eventstore/timestamps.h"
#include "services/vagtctl/command_line.h"
#include "services/vagtctl/commands.h"
#include "services/vagtctl/local_time.h"
#include "vagt/v1/directory.grpc.pb.h"

namespace vagt::vagtctl {
namespace {

using Stub = v1::DirectoryService::Stub;

std::unique_ptr<Stub> DirectoryStub(const Session& s) {
  return v1::DirectoryService::NewStub(s.connection.channel());
}

// "90d" (days), or what ParsePositiveDuration reads ("12h", "30m").
absl::StatusOr<absl::Duration> ParseValidity(const std::string& text) {
  int days = 0;
  if (absl::EndsWith(text, "d") &&
      absl::SimpleAtoi(text.substr(0, text.size() - 1), &days) && days > 0) {
    return absl::Hours(24) * days;
  }
  return ParsePositiveDuration(text, "--valid");
}

struct Options {
  std::string party;
  std::string name;
  int partner_kind = v1::PARTY_KIND_UNSPECIFIED;
  int role = v1::ROLE_UNSPECIFIED;
  std::string team;
  std::string reason;
  std::string label;
  std::string valid;
  std::string credential;
  std::string line;
  std::string partner;
};

template <typename Request>
int Command(Session& s, const Request& request,
            grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                         v1::CommandResult*),
            const std::string& done) {
  v1::CommandResult result;
  auto stub = DirectoryStub(s);
  return s.output.Report(Send(s, *stub, method, request, &result), result,
                         [&] { return done + RetryNote(result); });
}

int Register(const Options& o, Session& s) {
  v1::RegisterPrincipalRequest r;
  r.set_request_id(s.request_id());
  r.set_party_id(o.party);
  r.set_display_name(o.name);
  r.set_partner_kind(static_cast<v1::PartyKind>(o.partner_kind));
  return Command(s, r, &Stub::RegisterPrincipal,
                 absl::StrCat("Registered ", o.name, " (", o.party, ")."));
}

int Grant(const Options& o, Session& s, bool revoke) {
  const std::string what =
      absl::StrCat(WordFor(kRoles, o.role),
                   o.team.empty() ? "" : absl::StrCat(" of ", o.team));
  if (revoke) {
    v1::RevokeRoleRequest r;
    r.set_request_id(s.request_id());
    r.set_party_id(o.party);
    r.set_role(static_cast<v1::Role>(o.role));
    r.set_team_id(o.team);
    return Command(s, r, &Stub::RevokeRole,
                   absl::StrCat(o.party, " is no longer ", what, "."));
  }
  v1::GrantRoleRequest r;
  r.set_request_id(s.request_id());
  r.set_party_id(o.party);
  r.set_role(static_cast<v1::Role>(o.role));
  r.set_team_id(o.team);
  return Command(s, r, &Stub::GrantRole,
                 absl::StrCat(o.party, " is now ", what, "."));
}

int Suspend(const Options& o, Session& s, bool reinstate) {
  if (reinstate) {
    v1::ReinstatePrincipalRequest r;
    r.set_request_id(s.request_id());
    r.set_party_id(o.party);
    return Command(s, r, &Stub::ReinstatePrincipal,
                   absl::StrCat(o.party, " may act again."));
  }
  v1::SuspendPrincipalRequest r;
  r.set_request_id(s.request_id());
  r.set_party_id(o.party);
  r.set_reason(o.reason);
  return Command(s, r, &Stub::SuspendPrincipal,
                 absl::StrCat(o.party,
                              " is suspended: every request with its tokens "
                              "is refused."));
}

int Token(const Options& o, Session& s) {
  v1::IssueTokenRequest r;
  r.set_request_id(s.request_id());
  r.set_party_id(o.party);
  r.set_label(o.label);
  if (!o.valid.empty()) {
    absl::StatusOr<absl::Duration> valid = ParseValidity(o.valid);
    if (!valid.ok()) {
      return Output::UsageError(std::string(valid.status().message()));
    }
    r.mutable_valid_for()->set_seconds(absl::ToInt64Seconds(*valid));
  }
  v1::IssueTokenResponse response;
  auto stub = DirectoryStub(s);
  const grpc::Status status = Send(s, *stub, &Stub::IssueToken, r, &response);
  if (!status.ok()) return s.output.Failure(status);
  if (s.output.json()) {
    std::printf("%s\n", ToJson(response).c_str());
    return kExitOk;
  }
  if (response.token().empty()) {
    std::fprintf(stderr,
                 "Credential %s was issued by an earlier run of this command; "
                 "its token is not shown again. Revoke it and issue a new "
                 "one.\n",
                 response.credential_id().c_str());
    return kExitOk;
  }
  std::printf("%s\n", response.token().c_str());
  std::fflush(stdout);
  std::fprintf(stderr,
               "Token for %s (credential %s, \"%s\"), valid until %s. It is "
               "shown this once: give it to its owner, who runs vagtctl "
               "login.\n",
               o.party.c_str(), response.credential_id().c_str(),
               o.label.c_str(),
               FormatLocalTime(ToTime(response.expires_at()), s.now).c_str());
  return kExitOk;
}

int RevokeToken(const Options& o, Session& s) {
  v1::RevokeTokenRequest r;
  r.set_request_id(s.request_id());
  r.set_credential_id(o.credential);
  r.set_reason(o.reason);
  return Command(s, r, &Stub::RevokeToken,
                 absl::StrCat("Credential ", o.credential,
                              " is revoked: its token is refused from now."));
}

int Team(const Options& o, Session& s) {
  v1::RegisterTeamRequest r;
  r.set_request_id(s.request_id());
  r.set_team_id(o.team);
  r.set_display_name(o.name);
  return Command(
      s, r, &Stub::RegisterTeam,
      absl::StrCat("Registered the team ", o.name, " (", o.team, ")."));
}

int Line(const Options& o, Session& s) {
  v1::RegisterLineRequest r;
  r.set_request_id(s.request_id());
  r.set_team_id(o.team);
  r.set_line_id(o.line);
  return Command(
      s, r, &Stub::RegisterLine,
      absl::StrCat("The line ", o.line, " belongs to ", o.team, "."));
}

int Partner(const Options& o, Session& s) {
  v1::AddTeamPartnerRequest r;
  r.set_request_id(s.request_id());
  r.set_team_id(o.team);
  r.set_partner_id(o.partner);
  return Command(s, r, &Stub::AddTeamPartner,
                 absl::StrCat(o.partner, " works with ", o.team, "."));
}

std::string ShowDirectory(const v1::Directory& d, absl::Time now) {
  std::string out;
  for (const v1::TeamInfo& t : d.teams()) {
    absl::StrAppend(&out, "Team ", t.display_name(), " (", t.team_id(),
                    "): lines ", absl::StrJoin(t.line_ids(), ", "),
                    t.partner_ids().empty() ? "" : "; partners ",
                    absl::StrJoin(t.partner_ids(), ", "), "\n");
  }
  for (const v1::PrincipalInfo& p : d.principals()) {
    absl::StrAppend(&out, p.party_id(), "  ", p.display_name(),
                    p.suspended() ? "  SUSPENDED" : "", "\n    roles: ",
                    absl::StrJoin(p.roles(), ", ",
                                  [](std::string* o, const v1::RoleGrant& g) {
                                    absl::StrAppend(o,
                                                    WordFor(kRoles, g.role()));
                                    if (!g.team_id().empty()) {
                                      absl::StrAppend(o, " of ", g.team_id());
                                    }
                                  }),
                    "\n");
    for (const v1::CredentialInfo& c : p.credentials()) {
      absl::StrAppend(
          &out, "    token ", c.credential_id(), " \"", c.label(), "\" ",
          c.revoked()
              ? "revoked"
              : absl::StrCat("until ",
                             FormatLocalTime(ToTime(c.expires_at()), now)),
          "\n");
    }
  }
  return out;
}

int Show(Session& s) {
  v1::Directory d;
  auto stub = DirectoryStub(s);
  const grpc::Status status =
      Send(s, *stub, &Stub::GetDirectory, v1::GetDirectoryRequest(), &d);
  return s.output.ReportRead(status, d, [&] {
    std::string text = ShowDirectory(d, s.now);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  });
}

}  // namespace

void AddDirectoryCommands(CommandLine& cli) {
  CLI::App* group = cli.AddGroup(
      "directory", "Who may use vagt: people, partners, tokens, teams, lines",
      R"(  vagtctl directory team ishoj-bos --name "Ishøj bostøtte"
  vagtctl directory line ishoj-bos central
  vagtctl directory register worker:anna --name "Anna Jensen"
  vagtctl directory grant worker:anna team-worker --team ishoj-bos
  vagtctl directory token worker:anna --label "Annas telefon" > anna.token)");
  auto o = std::make_shared<Options>();
  cli.AddCommand(group, "show", "Everything in the directory (no secrets)",
                 "  vagtctl directory show",
                 [](Session& s) { return Show(s); });

  CLI::App* c = cli.AddCommand(
      group, "register", "A new person, partner or system, without roles",
      R"(  vagtctl directory register worker:anna --name "Anna Jensen"
  vagtctl directory register partner:natteravnen --name "Natteravnen ApS" \
      --kind night-partner)",
      [o](Session& s) { return Register(*o, s); });
  c->add_option("PARTY", o->party, "worker:<id>, partner:<id> or system:<id>")
      ->required();
  c->add_option("--name", o->name, "The name people see")->required();
  AddChoice(c, "--kind", &o->partner_kind, kPartnerKinds,
            "For a partner: which kind");

  for (const bool revoke : {false, true}) {
    c = cli.AddCommand(
        group, revoke ? "revoke" : "grant",
        revoke ? "Take a role back"
               : "Give a role (for a team, where held "
                 "for one)",
        revoke ? "  vagtctl directory revoke worker:anna team-leader --team "
                 "ishoj-bos"
               : "  vagtctl directory grant worker:anna team-worker --team "
                 "ishoj-bos\n  vagtctl directory grant partner:natteravnen "
                 "partner",
        [o, revoke](Session& s) { return Grant(*o, s, revoke); });
    c->add_option("PARTY", o->party, "Whose role")->required();
    AddChoice(c, "ROLE", &o->role, kRoles, "The role")->required();
    c->add_option("--team", o->team,
                  "The team (team-worker, team-leader, integration)");
  }

  c = cli.AddCommand(
      group, "suspend", "Refuse every request of a principal until reinstated",
      R"(  vagtctl directory suspend worker:bo --reason "Lost phone")",
      [o](Session& s) { return Suspend(*o, s, false); });
  c->add_option("PARTY", o->party, "Who")->required();
  c->add_option("--reason", o->reason, "Why (recorded)")->required();
  c = cli.AddCommand(group, "reinstate", "Let a suspended principal act again",
                     "  vagtctl directory reinstate worker:bo",
                     [o](Session& s) { return Suspend(*o, s, true); });
  c->add_option("PARTY", o->party, "Who")->required();

  c = cli.AddCommand(
      group, "token",
      "A new token for a principal, printed once on stdout (kept only as a "
      "hash)",
      R"(  vagtctl directory token worker:anna --label "Annas telefon" > anna.token
  vagtctl directory token partner:natteravnen --label "Lise Holm" --valid 30d)",
      [o](Session& s) { return Token(*o, s); });
  c->add_option("PARTY", o->party, "For whom")->required();
  c->add_option("--label", o->label, "Whom or what it is for")->required();
  c->add_option("--valid", o->valid, "How long: 90d (default), 12h, ...");
  c = cli.AddCommand(
      group, "revoke-token", "Refuse a token from now on",
      R"(  vagtctl directory revoke-token CREDENTIAL_ID --reason "Phone lost")",
      [o](Session& s) { return RevokeToken(*o, s); });
  c->add_option("CREDENTIAL", o->credential,
                "The credential id (directory show lists them)")
      ->required();
  c->add_option("--reason", o->reason, "Why (recorded)")->required();

  c = cli.AddCommand(
      group, "team", "A new team",
      R"(  vagtctl directory team ishoj-bos --name "Ishøj bostøtte")",
      [o](Session& s) { return Team(*o, s); });
  c->add_option("TEAM", o->team, "Its id, e.g. ishoj-bos")->required();
  c->add_option("--name", o->name, "The name people see")->required();
  c = cli.AddCommand(group, "line", "A line belongs to a team",
                     "  vagtctl directory line ishoj-bos central",
                     [o](Session& s) { return Line(*o, s); });
  c->add_option("TEAM", o->team, "The team")->required();
  c->add_option("LINE", o->line, "The line's id")->required();
  c = cli.AddCommand(
      group, "partner", "A partner works with a team",
      "  vagtctl directory partner ishoj-bos partner:natteravnen",
      [o](Session& s) { return Partner(*o, s); });
  c->add_option("TEAM", o->team, "The team")->required();
  c->add_option("PARTNER", o->partner, "partner:<id>")->required();
}

}  // namespace vagt::vagtctl
