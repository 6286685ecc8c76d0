// vagtctl login, logout, whoami: the token vagtctl sends, and whom it names
// (DirectoryService.WhoAmI). The token is checked with the server before it
// is kept, and never printed.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "eventstore/timestamps.h"
#include "services/vagtctl/command_line.h"
#include "services/vagtctl/commands.h"
#include "services/vagtctl/credentials.h"
#include "services/vagtctl/local_time.h"
#include "vagt/v1/directory.pb.h"

namespace vagt::vagtctl {
namespace {

// "Anna Jensen (worker:anna): team-worker of ishoj-bos, team-leader of
// ishoj-bos".
std::string Describe(const v1::PrincipalInfo& p) {
  std::string roles = absl::StrJoin(
      p.roles(), ", ", [](std::string* out, const v1::RoleGrant& g) {
        absl::StrAppend(out, WordFor(kRoles, g.role()));
        if (!g.team_id().empty()) absl::StrAppend(out, " of ", g.team_id());
      });
  return absl::StrCat(p.display_name(), " (", p.party_id(),
                      "): ", roles.empty() ? "no roles yet" : roles,
                      p.suspended() ? " (SUSPENDED)" : "");
}

// When the credential in use expires, as a sentence ending.
std::string Expiry(const v1::WhoAmIResponse& who, absl::Time now) {
  for (const v1::CredentialInfo& c : who.principal().credentials()) {
    if (c.credential_id() == who.credential_id()) {
      return absl::StrCat("; the token (", c.label(), ") expires ",
                          FormatLocalTime(ToTime(c.expires_at()), now));
    }
  }
  return "";
}

struct LoginOptions {
  std::string token_file;
};

int Login(const LoginOptions& o, Session& s) {
  std::string token;
  if (!o.token_file.empty()) {
    absl::StatusOr<std::string> read = ReadTokenFile(o.token_file);
    if (!read.ok())
      return Output::UsageError(std::string(read.status().message()));
    token = *read;
  } else {
    std::fprintf(stderr, "Paste your vagt token and press Enter: ");
    std::getline(std::cin, token);
    token = std::string(absl::StripAsciiWhitespace(token));
    if (token.empty()) return Output::UsageError("no token given");
  }
  ConnectionOptions options = s.connection.options();
  options.token = token;
  const Connection connection(options);
  v1::WhoAmIResponse who;
  const grpc::Status status = connection.WhoAmI(&who);
  if (!status.ok()) return s.output.Failure(status, /*read=*/true);
  if (absl::Status saved = SaveToken(options.server, token); !saved.ok()) {
    return Output::UsageError(std::string(saved.message()));
  }
  return s.output.ReportRead(status, who, [&] {
    return absl::StrCat("Logged in to ", options.server, " as ",
                        Describe(who.principal()), Expiry(who, s.now), ".");
  });
}

int Logout(Session& s) {
  const std::string& server = s.connection.options().server;
  if (absl::Status s2 = ForgetToken(server); !s2.ok()) {
    return Output::UsageError(std::string(s2.message()));
  }
  std::printf(
      "Logged out of %s (the token is forgotten here; an "
      "administrator can revoke it).\n",
      server.c_str());
  return kExitOk;
}

int Whoami(Session& s) {
  v1::WhoAmIResponse who;
  const grpc::Status status = s.connection.WhoAmI(&who);
  return s.output.ReportRead(status, who, [&] {
    return absl::StrCat(Describe(who.principal()), Expiry(who, s.now), ".");
  });
}

}  // namespace

void AddLoginCommands(CommandLine& cli) {
  auto o = std::make_shared<LoginOptions>();
  CLI::App* login = cli.AddCommand(
      cli.root(), "login",
      "Log in with a vagt token (checked with the server, then kept in your "
      "credentials file, mode 0600)",
      R"(  vagtctl login --token-file anna.token
  vagtctl login --server vagt.example.dk:50051     (then paste the token))",
      [o](Session& s) { return Login(*o, s); }, /*needs_login=*/false);
  login->add_option("--token-file", o->token_file,
                    "A file whose first line is the token (default: read it "
                    "from stdin)");
  cli.AddCommand(
      cli.root(), "logout", "Forget the token kept for the server",
      "  vagtctl logout", [](Session& s) { return Logout(s); },
      /*needs_login=*/false);
  cli.AddCommand(cli.root(), "whoami",
                 "Who the token names, with its roles and expiry",
                 "  vagtctl whoami", [](Session& s) { return Whoami(s); });
}

}  // namespace vagt::vagtctl
