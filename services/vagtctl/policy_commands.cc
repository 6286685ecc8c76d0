// vagtctl policy show|set: a line's escalation policy
// (EscalationPolicyService), its levels written as policy_spec.h reads them.
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/vagtctl/command_line.h"
#include "services/vagtctl/commands.h"
#include "services/vagtctl/policy_spec.h"
#include "vagt/v1/escalations.grpc.pb.h"

namespace vagt::vagtctl {
namespace {

using Stub = v1::EscalationPolicyService::Stub;

std::unique_ptr<Stub> PolicyStub(const Session& s) {
  return v1::EscalationPolicyService::NewStub(s.connection.channel());
}

std::string Target(const v1::PolicyLevel& level) {
  switch (level.target()) {
    case v1::POLICY_TARGET_BACKUP:
      return "the line's backup";
    case v1::POLICY_TARGET_DUTY:
      return "whoever holds the line";
    case v1::POLICY_TARGET_PARTY:
      return ShowParty(level.party());
    default:
      return "?";
  }
}

std::string Repeats(uint32_t repeats) {
  if (repeats == 0) return "no repeats";
  return absl::StrCat("the ladder starts again ", repeats,
                      repeats == 1 ? " time" : " times");
}

// The policy, one rung a line, then the flags that set it again.
std::string PolicyText(const v1::GetPolicyResponse& response,
                       const std::string& line) {
  const v1::EscalationPolicySet& policy = response.policy();
  std::string out =
      response.built_in()
          ? absl::StrCat("Line ", line,
                         " has no escalation policy of its own: it follows "
                         "the built-in ",
                         response.policy_version())
          : absl::StrCat("Escalation policy of line ", line, ": ",
                         response.policy_version());
  absl::StrAppend(
      &out, " (",
      policy.time_zone().empty() ? "Europe/Copenhagen" : policy.time_zone(),
      ", ", Repeats(policy.repeats()), ")");
  std::vector<std::string> flags;
  for (int i = 0; i < policy.levels_size(); ++i) {
    const v1::PolicyLevel& level = policy.levels(i);
    std::vector<std::string> windows;
    for (const v1::PolicyWindow& w : level.windows()) {
      windows.push_back(FormatPolicyWindow(w));
    }
    absl::StrAppend(
        &out, "\n  ", i + 1, ". ", WordFor(kEscalationLevels, level.level()),
        ": ", Target(level), "; acknowledge within ",
        absl::FormatDuration(absl::Seconds(level.ack_timeout_seconds())), "; ",
        windows.empty() ? "always" : absl::StrJoin(windows, ", "));
    flags.push_back(absl::StrCat("--level ", FormatPolicyLevel(level)));
  }
  absl::StrAppend(&out, "\nAs flags: ", absl::StrJoin(flags, " "));
  return out;
}

struct ShowOptions {
  std::string line;
};

int Show(const ShowOptions& o, Session& s) {
  v1::GetPolicyRequest request;
  request.set_line_id(o.line);
  v1::GetPolicyResponse response;
  auto stub = PolicyStub(s);
  return s.output.ReportRead(
      Send(s, *stub, &Stub::GetPolicy, request, &response), response,
      [&] { return PolicyText(response, o.line); });
}

struct SetOptions {
  std::string line;
  std::vector<std::string> levels;
  std::string file;
  int repeats = -1;
  std::string time_zone;
};

int Set(const SetOptions& o, Session& s) {
  v1::SetPolicyRequest request;
  request.set_request_id(s.request_id());
  request.set_line_id(o.line);
  if (!o.file.empty()) {
    std::ifstream in(o.file);
    if (!in) {
      return Output::UsageError(
          absl::StrCat("--file: cannot read '", o.file, "'"));
    }
    std::stringstream text;
    text << in.rdbuf();
    absl::StatusOr<v1::EscalationPolicySet> policy =
        ParsePolicyJson(text.str(), "--file");
    if (!policy.ok()) {
      return Output::UsageError(std::string(policy.status().message()));
    }
    if (!policy->line_id().empty() && policy->line_id() != o.line) {
      return Output::UsageError(absl::StrCat("--file: the policy is for line '",
                                             policy->line_id(),
                                             "', not --line ", o.line));
    }
    request.set_time_zone(policy->time_zone());
    *request.mutable_levels() = policy->levels();
    request.set_repeats(policy->repeats());
  }
  for (size_t i = 0; i < o.levels.size(); ++i) {
    absl::StatusOr<v1::PolicyLevel> level =
        ParsePolicyLevel(o.levels[i], absl::StrCat("--level #", i + 1));
    if (!level.ok()) {
      return Output::UsageError(std::string(level.status().message()));
    }
    *request.add_levels() = *std::move(level);
  }
  if (request.levels().empty()) {
    return Output::UsageError(
        "give the ladder: one --level per rung (e.g. --level backup:15m "
        "--level night-partner:10m@22:00-07:00 --level "
        "social-emergency=partner:akut:10m), or --file policy.json");
  }
  if (o.repeats >= 0) request.set_repeats(static_cast<uint32_t>(o.repeats));
  if (!o.time_zone.empty()) request.set_time_zone(o.time_zone);

  v1::SetPolicyResponse response;
  auto stub = PolicyStub(s);
  return s.output.Report(
      Send(s, *stub, &Stub::SetPolicy, request, &response), response, [&] {
        return absl::StrCat("Escalation policy of line ", o.line,
                            " set: ", response.policy_version(), ", ",
                            request.levels_size(),
                            request.levels_size() == 1 ? " level" : " levels",
                            ", ", Repeats(request.repeats()),
                            ". It applies to escalations raised from now on.",
                            RetryNote(response.result()));
      });
}

}  // namespace

void AddPolicyCommands(CommandLine& cli) {
  CLI::App* group = cli.AddGroup(
      "policy", "A line's escalation policy: who is called, in which order",
      R"(  vagtctl policy show --line ishoj-bos
  vagtctl policy set --line ishoj-bos --level backup:15m \
      --level night-partner:10m@22:00-07:00 \
      --level social-emergency=partner:akut-ishoj:10m)");

  auto show = std::make_shared<ShowOptions>();
  CLI::App* show_cmd = cli.AddCommand(
      group, "show",
      "The policy in force for a line (the built-in one if it has none)",
      R"(  vagtctl policy show --line ishoj-bos
  vagtctl policy show --line ishoj-bos --json | jq .policy > policy.json)",
      [show](Session& s) { return Show(*show, s); });
  show_cmd->add_option("--line", show->line, "The line, e.g. ishoj-bos")
      ->required();

  auto set = std::make_shared<SetOptions>();
  CLI::App* set_cmd = cli.AddCommand(
      group, "set", "Set a line's policy for escalations raised from now on",
      R"(  vagtctl policy set --line ishoj-bos --level backup:15m \
      --level night-partner:10m@22:00-07:00 \
      --level social-emergency=partner:akut-ishoj:10m --repeats 1
  vagtctl policy set --line ishoj-bos --level backup:10m \
      --level police=partner:politi:5m@sat,sun/22:00-07:00
  vagtctl policy set --line ishoj-bos --file policy.json

A level is LEVEL[=TARGET]:TIMEOUT[@WINDOW]...: LEVEL one of backup,
night-partner, social-emergency, psychiatric-emergency, police; TARGET
backup (the line's backup; the default at backup), duty (whoever holds the
line; the default at night-partner) or a party partner:<id> / worker:<id>;
TIMEOUT how long the target has to acknowledge (10m, 90s); each WINDOW
[DAYS/]HH:MM-HH:MM local time, when the level applies (default: always; an
end before the start runs into the next day; DAYS like mon-fri or sat,sun).
A level outside its windows, or with nobody on it, is passed at once.
--file takes the JSON that `policy show --json` prints under "policy".)",
      [set](Session& s) { return Set(*set, s); });
  set_cmd->add_option("--line", set->line, "The line, e.g. ishoj-bos")
      ->required();
  CLI::Option* levels = set_cmd->add_option(
      "--level", set->levels,
      "One rung of the ladder, in climbing order (repeat the flag)");
  set_cmd
      ->add_option("--file", set->file,
                   "The policy as JSON (an EscalationPolicySet)")
      ->excludes(levels);
  set_cmd
      ->add_option("--repeats", set->repeats,
                   "How many times the ladder starts again after its top "
                   "(default 0, or the file's)")
      ->check(CLI::Range(0, 10));
  set_cmd->add_option("--time-zone", set->time_zone,
                      "IANA zone of the windows (default Europe/Copenhagen, "
                      "or the file's)");
}

}  // namespace vagt::vagtctl
