#include "services/vagtctl/command_line.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "services/vagtctl/credentials.h"
#include "services/vagtctl/local_time.h"

namespace vagt::vagtctl {
namespace {

constexpr char kGlobalOptions[] = "Global options";

constexpr char kRootFooter[] = R"(Who and where:
  export VAGT_SERVER=127.0.0.1:50051   the vagt server (or --server)
  vagtctl login --token-file FILE      log in with the token you were given
                                       (or read from stdin); VAGT_TOKEN, when
                                       set, is used instead
  vagtctl whoami                       who you are logged in as

An evening on the phone:
  vagtctl line take ishoj-bos
  vagtctl call receive --line ishoj-bos --from citizen --citizen citizen-7f3a \
      --reason "Cannot sleep, voices are back"
  vagtctl call risk CALL_ID high "Talks about not wanting to go on"
  vagtctl escalate CALL_ID social-emergency --to partner:akut-ishoj \
      --reason "Needs a place tonight"
  vagtctl call close CALL_ID escalated --escalation ESCALATION_ID
  vagtctl line handover ishoj-bos --to partner:natpartner --note "Quiet evening"

Looking at the board and the trail:
  vagtctl board --line ishoj-bos [--watch]
  vagtctl timeline --call CALL_ID --purpose crisis-review
  vagtctl board-at --line ishoj-bos --at "2026-11-24 22:30" --purpose crisis-review
  vagtctl review --call CALL_ID --format html --purpose crisis-review > review.html
  vagtctl verify

Every command prints what it recorded; add --json for the full response.
If the server cannot be reached, vagtctl retries by itself; if it still fails,
repeat the command with the --request-id it prints: it is never recorded twice.
Exit codes: 0 done, 2 usage, 3 refused by the server, 4 server unreachable.

More: vagtctl help GROUP [COMMAND], e.g. vagtctl help call receive)";

constexpr char kCommandFooter[] =
    "Global options (anywhere on the line): --server HOST:PORT, --json,\n"
    "--request-id ID (repeat a command safely), --timeout 10s. See "
    "vagtctl help.";

// Prints help as CLI11 formats it; `prefix` is the command path before `app`.
std::string HelpText(const CLI::App& app, const std::string& prefix) {
  const std::string path = prefix.empty()
                               ? app.get_name()
                               : absl::StrCat(prefix, " ", app.get_name());
  return app.get_formatter()->make_help(&app, path, CLI::AppFormatMode::Normal);
}

}  // namespace

CommandLine::CommandLine()
    : app_(
          "vagtctl: the duty worker's command line for vagt, the on-call "
          "phone.",
          "vagtctl") {
  // Set before any subcommand is added: subcommands inherit it, so the global
  // options below are accepted after the command too.
  app_.fallthrough();
  app_.require_subcommand(0, 1);
  app_.get_formatter()->column_width(36);
  app_.footer(kRootFooter);
  app_.add_option("--server", server_,
                  "Address of the vagt server (or $VAGT_SERVER)")
      ->envname("VAGT_SERVER")
      ->capture_default_str()
      ->group(kGlobalOptions);
  app_.add_option("--tls-ca", tls_ca_,
                  "TLS: the CA that signed the server's certificate, a PEM "
                  "file (or $VAGT_TLS_CA)")
      ->envname("VAGT_TLS_CA")
      ->group(kGlobalOptions);
  app_.add_option("--tls-cert", tls_cert_,
                  "Mutual TLS: your certificate, a PEM file (or "
                  "$VAGT_TLS_CERT), with --tls-key")
      ->envname("VAGT_TLS_CERT")
      ->group(kGlobalOptions);
  app_.add_option("--tls-key", tls_key_,
                  "Mutual TLS: the key of --tls-cert (or $VAGT_TLS_KEY)")
      ->envname("VAGT_TLS_KEY")
      ->group(kGlobalOptions);
  app_.add_flag("--json", json_, "Print the server's response as JSON")
      ->group(kGlobalOptions);
  app_.add_option("--request-id", request_id_,
                  "Repeat an earlier command safely: give the id it printed")
      ->group(kGlobalOptions);
  app_.add_option("--timeout", timeout_,
                  "How long one attempt may take (e.g. 10s)")
      ->capture_default_str()
      ->group(kGlobalOptions);
}

CLI::App* CommandLine::AddGroup(const std::string& name,
                                const std::string& description,
                                const std::string& examples) {
  CLI::App* group = app_.add_subcommand(name, description);
  group->require_subcommand(0, 1);
  group->footer(absl::StrCat("Examples:\n", examples, "\n\n", kCommandFooter));
  return group;
}

CLI::App* CommandLine::AddCommand(CLI::App* parent, const std::string& name,
                                  const std::string& description,
                                  const std::string& examples, Action action,
                                  bool needs_login) {
  CLI::App* command = parent->add_subcommand(name, description);
  command->footer(
      absl::StrCat("Examples:\n", examples, "\n\n", kCommandFooter));
  command->callback([this, action = std::move(action), needs_login] {
    chosen_ = action;
    chosen_needs_login_ = needs_login;
  });
  return command;
}

int CommandLine::Run(int argc, const char* const* argv) {
  CLI::App* help = app_.add_subcommand(
      "help", "Show help for vagtctl, a group or a command, with examples");
  help->add_option("TOPIC", help_topic_, "A group and command, e.g. call note");
  bool help_chosen = false;
  help->callback([&help_chosen] { help_chosen = true; });

  try {
    app_.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app_.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app_.exit(e);
  } catch (const CLI::ParseError& e) {
    return Output::UsageError(
        absl::StrCat(e.what(),
                     "\n(see vagtctl help, or add --help to the "
                     "command)"));
  }
  if (help_chosen) return Help(help_topic_);
  if (!chosen_) {
    // A group without its command, or nothing at all: show what is possible.
    const CLI::App* app = &app_;
    std::string prefix;
    while (!app->get_subcommands().empty()) {
      prefix = prefix.empty() ? app->get_name()
                              : absl::StrCat(prefix, " ", app->get_name());
      app = app->get_subcommands().front();
    }
    std::fprintf(stderr, "%s", HelpText(*app, prefix).c_str());
    return kExitUsage;
  }
  return RunChosen();
}

int CommandLine::RunChosen() {
  std::string token;
  if (chosen_needs_login_) {
    absl::StatusOr<std::string> stored = StoredToken(server_);
    if (!stored.ok()) {
      return Output::UsageError(
          absl::StrCat(stored.status().message(),
                       ": log in first with vagtctl login --server ", server_,
                       " --token-file FILE (or set VAGT_TOKEN)"));
    }
    token = *std::move(stored);
  }
  absl::StatusOr<absl::Duration> timeout =
      ParsePositiveDuration(timeout_, "--timeout");
  if (!timeout.ok()) {
    return Output::UsageError(std::string(timeout.status().message()));
  }
  std::string pem[3];
  const std::string* files[3] = {&tls_ca_, &tls_cert_, &tls_key_};
  const char* flags[3] = {"--tls-ca", "--tls-cert", "--tls-key"};
  for (int i = 0; i < 3; ++i) {
    if (files[i]->empty()) continue;
    std::ifstream in(*files[i]);
    std::stringstream text;
    text << in.rdbuf();
    if (!in || text.str().empty()) {
      return Output::UsageError(
          absl::StrCat(flags[i], ": cannot read '", *files[i], "'"));
    }
    pem[i] = text.str();
  }
  if (pem[1].empty() != pem[2].empty()) {
    return Output::UsageError("--tls-cert and --tls-key: give both");
  }
  const std::string request_id =
      request_id_.empty() ? NewRequestId() : request_id_;
  const Connection connection({.server = server_,
                               .token = token,
                               .tls_ca = pem[0],
                               .tls_cert = pem[1],
                               .tls_key = pem[2],
                               .request_id = request_id,
                               .rpc_deadline = *timeout,
                               .attempts = 4});
  const Output output(json_, server_, request_id);
  Session session{
      .connection = connection, .output = output, .now = absl::Now()};
  return chosen_(session);
}

int CommandLine::Help(const std::vector<std::string>& topic) const {
  const CLI::App* app = &app_;
  std::string prefix;
  for (const std::string& name : topic) {
    const CLI::App* next = nullptr;
    for (const CLI::App* sub : app->get_subcommands({})) {
      if (sub->get_name() == name) next = sub;
    }
    if (next == nullptr) {
      return Output::UsageError(absl::StrCat(
          "no help on '", absl::StrJoin(topic, " "), "' (see vagtctl help)"));
    }
    prefix = prefix.empty() ? app->get_name()
                            : absl::StrCat(prefix, " ", app->get_name());
    app = next;
  }
  std::printf("%s", HelpText(*app, prefix).c_str());
  return kExitOk;
}

absl::StatusOr<v1::Party> ParseParty(const std::string& text,
                                     v1::PartyKind partner_kind,
                                     const std::string& display_name,
                                     const std::string& field) {
  v1::Party party;
  if (absl::StartsWith(text, "worker:") && text.size() > 7) {
    party.set_kind(v1::PARTY_KIND_TEAM_WORKER);
  } else if (absl::StartsWith(text, "partner:") && text.size() > 8) {
    party.set_kind(partner_kind);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": '", text,
                     "' is not a party (use worker:<id> or partner:<id>)"));
  }
  party.set_id(text);
  party.set_display_name(display_name);
  return party;
}

std::string ShowParty(const v1::Party& party) {
  if (party.display_name().empty()) return party.id();
  return absl::StrCat(party.id(), " (", party.display_name(), ")");
}

}  // namespace vagt::vagtctl
