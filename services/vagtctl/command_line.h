// CommandLine: vagtctl's command tree (CLI11), its global options, and the
// run of the one command the user chose.
//
// Each command group registers itself (AddCallCommands(cli), ...): it adds a
// group and its commands with a description, examples for the help, and an
// Action that runs once the command line is parsed. Global options may come
// anywhere on the line:
//   --server HOST:PORT (or $VAGT_SERVER; default 127.0.0.1:50051)
// Every command but login sends the token of `vagtctl login` (or
// $VAGT_TOKEN; see credentials.h).
//   --json             print the response as JSON, for scripts
//   --request-id ID    repeat an earlier command safely with its id
//   --timeout 10s      deadline of one attempt of the RPC
//
// Lifecycle: made once in main(), used by one thread; the options the
// commands bind live as long as it.
#ifndef VAGT_SERVICES_VAGTCTL_COMMAND_LINE_H_
#define VAGT_SERVICES_VAGTCTL_COMMAND_LINE_H_

#include <functional>
#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/vagtctl/connection.h"
#include "services/vagtctl/output.h"
#include "services/vagtctl/vocabulary.h"
#include "vagt/v1/events.pb.h"

namespace vagt::vagtctl {

// What a command needs while it runs.
struct Session {
  const Connection& connection;
  const Output& output;
  // When the command started: "10:00" means 10:00 on this local day.
  absl::Time now;

  const std::string& request_id() const {
    return connection.options().request_id;
  }
};

// A command's work once its arguments are parsed; returns the exit code.
using Action = std::function<int(Session&)>;

class CommandLine {
 public:
  CommandLine();
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;

  CLI::App* root() { return &app_; }

  // Adds a command group (`vagtctl call ...`) under the root.
  CLI::App* AddGroup(const std::string& name, const std::string& description,
                     const std::string& examples);

  // Adds a command under `parent` (a group, or the root); `examples` end its
  // help, `action` runs when it is chosen; without `needs_login` it runs
  // with no token (login itself).
  CLI::App* AddCommand(CLI::App* parent, const std::string& name,
                       const std::string& description,
                       const std::string& examples, Action action,
                       bool needs_login = true);

  // Parses the arguments and runs the chosen command; returns the process's
  // exit code (see output.h).
  int Run(int argc, const char* const* argv);

 private:
  int RunChosen();
  int Help(const std::vector<std::string>& topic) const;

  CLI::App app_;
  std::string server_ = "127.0.0.1:50051";
  std::string request_id_;
  std::string tls_ca_;
  std::string tls_cert_;
  std::string tls_key_;
  std::string timeout_ = "10s";
  bool json_ = false;
  std::vector<std::string> help_topic_;
  Action chosen_;
  bool chosen_needs_login_ = true;
};

// Adds an option (or, for a name without dashes, a positional argument)
// taking one word of `words`, stored into `*target` as its enum value.
template <typename Enum>
CLI::Option* AddChoice(CLI::App* app, const std::string& name, Enum* target,
                       Vocabulary words, const std::string& description) {
  return app
      ->add_option_function<std::string>(
          name,
          [target, words, name](const std::string& text) {
            absl::StatusOr<int> value = ParseWord(words, text, name);
            if (!value.ok()) {
              throw CLI::ValidationError(std::string(value.status().message()));
            }
            *target = static_cast<Enum>(*value);
          },
          description)
      ->type_name(Choices(words));
}

// Sends `request` through `method` of `stub` (with the session's retries)
// into `*response`.
//   Send(s, *stub, &v1::CallService::Stub::AddNote, request, &result)
template <typename Stub, typename Request, typename Response>
grpc::Status Send(const Session& session, Stub& stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*,
                                               const Request&, Response*),
                  const Request& request, Response* response) {
  return session.connection.Invoke([&](grpc::ClientContext& context) {
    return (stub.*method)(&context, request, response);
  });
}

// Parses "worker:anna" (a team worker) or "partner:natpartner" (a partner of
// kind `partner_kind`) into a Party; `display_name` is optional.
// INVALID_ARGUMENT naming `field` for anything else.
absl::StatusOr<v1::Party> ParseParty(const std::string& text,
                                     v1::PartyKind partner_kind,
                                     const std::string& display_name,
                                     const std::string& field);

// "worker:anna" or "worker:anna (Anna Jensen)": a party for human output.
std::string ShowParty(const v1::Party& party);

}  // namespace vagt::vagtctl

#endif  // VAGT_SERVICES_VAGTCTL_COMMAND_LINE_H_
