// vagtctl roster ...: the planned coverage of a line (RosterService): the
// week's shifts, who should cover now, overrides, the rotation, and the
// calendar out and in.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/json_util.h"
#include "services/vagtctl/command_line.h"
#include "services/vagtctl/commands.h"
#include "services/vagtctl/local_time.h"
#include "vagt/v1/roster.grpc.pb.h"

namespace vagt::vagtctl {
namespace {

using Stub = v1::RosterService::Stub;

// The largest calendar `roster import` sends (the server's limit).
constexpr size_t kMaxIcsBytes = 1 << 20;

std::unique_ptr<Stub> RosterStub(const Session& s) {
  return v1::RosterService::NewStub(s.connection.channel());
}

// "YYYY-MM-DD HH:MM" (or with a T) as the local date and time it names.
absl::StatusOr<v1::LocalDateTime> ParseLocalDateTime(const std::string& text,
                                                     const std::string& field) {
  std::string civil = text;
  if (civil.size() == 16 && civil[10] == ' ') civil[10] = 'T';
  absl::CivilMinute minute;
  if (civil.size() != 16 || !absl::ParseCivilTime(civil, &minute)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": '", text,
                     "' is not a local date and time (use \"2026-11-24 "
                     "22:00\")"));
  }
  v1::LocalDateTime out;
  out.set_local_date(absl::FormatCivilTime(absl::CivilDay(minute)));
  out.mutable_time()->set_hour(minute.hour());
  out.mutable_time()->set_minute(minute.minute());
  return out;
}

absl::StatusOr<std::string> ParseDate(const std::string& text,
                                      const std::string& field) {
  absl::CivilDay day;
  if (text.size() != 10 || !absl::ParseCivilTime(text, &day)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": '", text, "' is not a date (use 2026-11-23)"));
  }
  return absl::FormatCivilTime(day);
}

// "Mon 23 Nov 07:00 - 22:00" or "Mon 23 Nov 22:00 - Tue 24 Nov 07:00".
std::string ShowPeriod(const v1::PlannedShift& s) {
  const absl::TimeZone& zone = LocalZone();
  const absl::Time start = ToTime(s.starts_at());
  const absl::Time end = ToTime(s.ends_at());
  const bool same_day = absl::ToCivilDay(start, zone) ==
                        absl::ToCivilDay(end - absl::Nanoseconds(1), zone);
  return absl::StrCat(
      absl::FormatTime("%a %d %b %H:%M", start, zone), " - ",
      absl::FormatTime(same_day ? "%H:%M" : "%a %d %b %H:%M", end, zone));
}

std::string ShowShift(const v1::PlannedShift& s) {
  std::string line = absl::StrCat(
      "  ", ShowPeriod(s), "  ", WordFor(kRosterRoles, s.role()),
      s.role() == v1::ROSTER_ROLE_DUTY ? "    " : "  ", ShowParty(s.party()));
  if (!s.override_id().empty()) {
    absl::StrAppend(&line, "  (override ", s.override_id(), ")");
  }
  return line;
}

// ---------------------------------------------------------------------------
// roster show

struct ShowOptions {
  std::string line;
  std::string week;
};

int Show(const ShowOptions& o, Session& s) {
  v1::ShowWeekRequest request;
  request.set_line_id(o.line);
  if (!o.week.empty()) {
    absl::StatusOr<std::string> day = ParseDate(o.week, "--week");
    if (!day.ok())
      return Output::UsageError(std::string(day.status().message()));
    request.set_week_of(*day);
  }
  v1::ShowWeekResponse response;
  auto stub = RosterStub(s);
  return s.output.ReportRead(
      Send(s, *stub, &Stub::ShowWeek, request, &response), response, [&] {
        std::vector<std::string> lines = {absl::StrCat(
            "Roster of line ", o.line, ", week of ", response.week_start(),
            " (", LocalZone().name(), "):")};
        if (response.shifts().empty()) lines.push_back("  nobody planned");
        for (const v1::PlannedShift& shift : response.shifts()) {
          lines.push_back(ShowShift(shift));
        }
        return absl::StrJoin(lines, "\n");
      });
}

void AddShow(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<ShowOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "show", "The planned shifts of a week (Monday to Sunday)",
      R"(  vagtctl roster show --line ishoj-bos --week
  vagtctl roster show --line ishoj-bos --week 2026-03-23)",
      [o](Session& s) { return Show(*o, s); });
  cmd->add_option("--line", o->line, "The line, e.g. ishoj-bos")->required();
  cmd->add_option("--week", o->week,
                  "Any day of the week, YYYY-MM-DD (default: this week)")
      ->expected(0, 1);
}

// ---------------------------------------------------------------------------
// roster who

struct WhoOptions {
  std::string line;
  std::string at;
};

int Who(const WhoOptions& o, Session& s) {
  v1::WhoShouldCoverRequest request;
  request.set_line_id(o.line);
  if (!o.at.empty()) {
    absl::StatusOr<absl::Time> at = ParseLocalTime(o.at, s.now, "--at");
    if (!at.ok()) return Output::UsageError(std::string(at.status().message()));
    *request.mutable_at() = ToTimestamp(*at);
  }
  v1::WhoShouldCoverResponse response;
  auto stub = RosterStub(s);
  return s.output.ReportRead(
      Send(s, *stub, &Stub::WhoShouldCover, request, &response), response, [&] {
        std::vector<std::string> lines = {
            absl::StrCat("Line ", o.line, " at ",
                         FormatLocalTime(ToTime(response.at()), s.now), ":")};
        lines.push_back(
            response.has_duty()
                ? absl::StrCat("  duty:   ", ShowParty(response.duty().party()),
                               "  ", ShowPeriod(response.duty()))
                : "  duty:   NOBODY PLANNED");
        lines.push_back(response.has_backup()
                            ? absl::StrCat("  backup: ",
                                           ShowParty(response.backup().party()),
                                           "  ", ShowPeriod(response.backup()))
                            : "  backup: none");
        return absl::StrJoin(lines, "\n");
      });
}

void AddWho(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<WhoOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "who", "Who the roster plans on duty and as backup at a time",
      R"(  vagtctl roster who --line ishoj-bos
  vagtctl roster who --line ishoj-bos --at "2026-03-29 07:00")",
      [o](Session& s) { return Who(*o, s); });
  cmd->add_option("--line", o->line, "The line, e.g. ishoj-bos")->required();
  cmd->add_option("--at", o->at, "Local time (default: now)");
}

// ---------------------------------------------------------------------------
// roster override / remove-override

struct OverrideOptions {
  std::string line;
  v1::RosterRole role = v1::ROSTER_ROLE_UNSPECIFIED;
  std::string by;
  std::string by_name;
  std::string from;
  std::string to;
  v1::RosterOverrideReason reason = v1::ROSTER_OVERRIDE_REASON_OTHER;
  std::string note;
};

int Override(const OverrideOptions& o, Session& s) {
  v1::AddOverrideRequest request;
  request.set_request_id(s.request_id());
  request.set_line_id(o.line);
  request.set_role(o.role);
  request.set_reason(o.reason);
  request.set_note(o.note);
  absl::StatusOr<v1::Party> by =
      ParseParty(o.by, v1::PARTY_KIND_NIGHT_PARTNER, o.by_name, "--by");
  if (!by.ok()) return Output::UsageError(std::string(by.status().message()));
  *request.mutable_covered_by() = *by;
  absl::StatusOr<v1::LocalDateTime> from = ParseLocalDateTime(o.from, "--from");
  if (!from.ok())
    return Output::UsageError(std::string(from.status().message()));
  absl::StatusOr<v1::LocalDateTime> to = ParseLocalDateTime(o.to, "--to");
  if (!to.ok()) return Output::UsageError(std::string(to.status().message()));
  *request.mutable_start() = *from;
  *request.mutable_end() = *to;
  v1::AddOverrideResponse response;
  auto stub = RosterStub(s);
  return s.output.Report(
      Send(s, *stub, &Stub::AddOverride, request, &response), response, [&] {
        return absl::StrCat(
            "Override ", response.override_id(), " on line ", o.line, ": ",
            ShowParty(request.covered_by()), " covers ",
            WordFor(kRosterRoles, o.role), " from ", o.from, " to ", o.to, " (",
            WordFor(kOverrideReasons, o.reason), ").",
            RetryNote(response.result()),
            "\nUndo with: vagtctl roster remove-override --line ", o.line, " ",
            response.override_id());
      });
}

void AddOverride(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<OverrideOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "override",
      "Someone else covers a role for a period (a swap, an absence); it wins "
      "over the rotation",
      R"(  vagtctl roster override --line ishoj-bos --role duty --by worker:bo \
      --from "2026-11-24 12:00" --to "2026-11-24 22:00" --reason swap
  vagtctl roster override --line ishoj-bos --role backup --by worker:cai \
      --from "2026-11-28 07:00" --to "2026-11-29 22:00" --reason absence)",
      [o](Session& s) { return Override(*o, s); });
  cmd->add_option("--line", o->line, "The line, e.g. ishoj-bos")->required();
  AddChoice(cmd, "--role", &o->role, kRosterRoles, "The role covered")
      ->required();
  cmd->add_option("--by", o->by,
                  "Who covers it: worker:<id>, or partner:<id> (the night "
                  "partner)")
      ->required();
  cmd->add_option("--by-name", o->by_name, "Their name, as shown");
  cmd->add_option("--from", o->from,
                  "Local start, \"YYYY-MM-DD HH:MM\" (Europe/Copenhagen)")
      ->required();
  cmd->add_option("--to", o->to, "Local end, \"YYYY-MM-DD HH:MM\" (exclusive)")
      ->required();
  AddChoice(cmd, "--reason", &o->reason, kOverrideReasons,
            "Why (default: other)");
  cmd->add_option("--note", o->note,
                  "A planning note (no citizen data, no health details)");
}

struct RemoveOptions {
  std::string line;
  std::string override_id;
};

void AddRemoveOverride(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<RemoveOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "remove-override",
      "Remove an override: the rotation applies again for its period",
      R"(  vagtctl roster remove-override --line ishoj-bos OVERRIDE_ID)",
      [o](Session& s) {
        v1::RemoveOverrideRequest request;
        request.set_request_id(s.request_id());
        request.set_line_id(o->line);
        request.set_override_id(o->override_id);
        v1::CommandResult result;
        auto stub = RosterStub(s);
        return s.output.Report(
            Send(s, *stub, &Stub::RemoveOverride, request, &result), result,
            [&] {
              return absl::StrCat("Override ", o->override_id, " of line ",
                                  o->line, " removed.", RetryNote(result));
            });
      });
  cmd->add_option("--line", o->line, "The line, e.g. ishoj-bos")->required();
  cmd->add_option("OVERRIDE", o->override_id,
                  "The override id (printed by vagtctl roster override)")
      ->required();
}

// ---------------------------------------------------------------------------
// roster set

struct SetOptions {
  std::string line;
  std::string file;
  bool standard = false;
  std::string from;
  std::string weekdays;
  std::string night;
  std::vector<std::string> weekends;
};

// "worker:bo+worker:cai": the duty worker and the backup of one weekend.
absl::StatusOr<v1::WeekendCover> ParseWeekend(const std::string& text,
                                              const std::string& field) {
  std::vector<std::string> parts = absl::StrSplit(text, '+');
  if (parts.size() != 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": '", text, "' is not DUTY+BACKUP (worker:bo+worker:cai)"));
  }
  v1::WeekendCover out;
  absl::StatusOr<v1::Party> duty =
      ParseParty(parts[0], v1::PARTY_KIND_UNSPECIFIED, "", field);
  if (!duty.ok()) return duty.status();
  absl::StatusOr<v1::Party> backup =
      ParseParty(parts[1], v1::PARTY_KIND_UNSPECIFIED, "", field);
  if (!backup.ok()) return backup.status();
  *out.mutable_duty() = *duty;
  *out.mutable_backup() = *backup;
  return out;
}

absl::StatusOr<v1::SetRotationRequest> BuildRotation(const SetOptions& o) {
  v1::SetRotationRequest request;
  if (o.standard == !o.file.empty()) {
    return absl::InvalidArgumentError(
        "give either --file ROTATION.json or --standard");
  }
  if (!o.file.empty()) {
    std::ifstream in(o.file);
    if (!in) {
      return absl::InvalidArgumentError(
          absl::StrCat("--file: cannot read ", o.file));
    }
    std::stringstream text;
    text << in.rdbuf();
    const auto parsed = google::protobuf::util::JsonStringToMessage(
        text.str(), request.mutable_rotation());
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--file: not a RosterRotationSet in JSON: ",
                       std::string(parsed.message())));
    }
  } else {
    v1::StandardRotation& standard = *request.mutable_standard();
    absl::StatusOr<v1::Party> weekdays =
        ParseParty(o.weekdays, v1::PARTY_KIND_UNSPECIFIED, "", "--weekdays");
    if (!weekdays.ok()) return weekdays.status();
    *standard.mutable_weekday_worker() = *weekdays;
    absl::StatusOr<v1::Party> night =
        ParseParty(o.night, v1::PARTY_KIND_NIGHT_PARTNER, "", "--night");
    if (!night.ok()) return night.status();
    *standard.mutable_night_partner() = *night;
    for (const std::string& weekend : o.weekends) {
      absl::StatusOr<v1::WeekendCover> cover =
          ParseWeekend(weekend, "--weekend");
      if (!cover.ok()) return cover.status();
      *standard.add_weekends() = *cover;
    }
  }
  v1::RosterRotationSet& rotation = *request.mutable_rotation();
  if (!o.line.empty()) rotation.set_line_id(o.line);
  if (!o.from.empty()) {
    absl::StatusOr<std::string> from = ParseDate(o.from, "--from");
    if (!from.ok()) return from.status();
    rotation.set_effective_from(*from);
  }
  return request;
}

int Set(const SetOptions& o, Session& s) {
  absl::StatusOr<v1::SetRotationRequest> request = BuildRotation(o);
  if (!request.ok()) {
    return Output::UsageError(std::string(request.status().message()));
  }
  request->set_request_id(s.request_id());
  v1::CommandResult result;
  auto stub = RosterStub(s);
  return s.output.Report(
      Send(s, *stub, &Stub::SetRotation, *request, &result), result, [&] {
        return absl::StrCat("Rotation of line ", request->rotation().line_id(),
                            " set from ", request->rotation().effective_from(),
                            ".", RetryNote(result),
                            "\nSee it with: vagtctl roster show --line ",
                            request->rotation().line_id(), " --week ",
                            request->rotation().effective_from());
      });
}

void AddSet(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<SetOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "set",
      "Set the rotation of a line from a Monday on: the typical one "
      "(--standard), or any as RosterRotationSet JSON (--file)",
      R"(  vagtctl roster set --line ishoj-bos --standard --from 2026-11-02 \
      --weekdays worker:anna --night partner:natpartner \
      --weekend worker:bo+worker:cai --weekend worker:dan+worker:eva \
      --weekend worker:finn+worker:gry --weekend worker:hans+worker:ida
  vagtctl roster set --line ishoj-bos --file rotation.json

--standard: Monday-Friday 07:00-22:00 the --weekdays worker, every day
22:00-07:00 the --night partner, Saturday and Sunday 07:00-22:00 a duty worker
and a backup, one --weekend DUTY+BACKUP per week of the cycle (four for the
four-week rotation). --file: the protobuf JSON of vagt.v1.RosterRotationSet,
e.g. {"effectiveFrom": "2026-11-02", "cycleWeeks": 1, "slots": [{"weekdays":
["WEEKDAY_MONDAY"], "start": {"hour": 7}, "end": {"hour": 22}, "role":
"ROSTER_ROLE_DUTY", "assignee": {"kind": "PARTY_KIND_TEAM_WORKER", "id":
"worker:anna"}}, ...]}. The server refuses DUTY slots that leave a gap or
overlap, naming where.)",
      [o](Session& s) { return Set(*o, s); });
  cmd->add_option("--line", o->line, "The line, e.g. ishoj-bos")->required();
  cmd->add_option("--file", o->file, "A RosterRotationSet in JSON");
  cmd->add_flag("--standard", o->standard, "The typical rotation");
  cmd->add_option("--from", o->from,
                  "The Monday it applies from, YYYY-MM-DD (with --file: "
                  "overrides the file's effectiveFrom)");
  cmd->add_option("--weekdays", o->weekdays,
                  "--standard: the weekday duty worker, worker:<id>");
  cmd->add_option("--night", o->night,
                  "--standard: the night partner, partner:<id>");
  cmd->add_option("--weekend", o->weekends,
                  "--standard: DUTY+BACKUP of one weekend (repeatable, one "
                  "per week of the cycle)")
      ->allow_extra_args(false);
}

// ---------------------------------------------------------------------------
// roster export / import

struct ExportOptions {
  std::string line;
  std::string from;
  std::string to;
};

int Export(const ExportOptions& o, Session& s) {
  v1::ExportIcsRequest request;
  request.set_line_id(o.line);
  for (const auto& [text, field, out] :
       {std::tuple(&o.from, "--from", request.mutable_from()),
        std::tuple(&o.to, "--to", request.mutable_to())}) {
    if (text->empty()) continue;
    absl::StatusOr<absl::Time> t = ParseLocalTime(*text, s.now, field);
    if (!t.ok()) return Output::UsageError(std::string(t.status().message()));
    *out = ToTimestamp(*t);
  }
  if (o.from.empty()) request.clear_from();
  if (o.to.empty()) request.clear_to();
  v1::ExportIcsResponse response;
  auto stub = RosterStub(s);
  grpc::Status status = Send(s, *stub, &Stub::ExportIcs, request, &response);
  if (status.ok() && !s.output.json()) {
    // The calendar itself, byte for byte: `> roster.ics`.
    std::fwrite(response.ics().data(), 1, response.ics().size(), stdout);
    std::fflush(stdout);
    return kExitOk;
  }
  return s.output.ReportRead(status, response, [] { return std::string(); });
}

void AddExport(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<ExportOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "export",
      "The planned shifts as an iCalendar (.ics) file any phone can "
      "subscribe to or import",
      R"(  vagtctl roster export --line ishoj-bos > roster.ics
  vagtctl roster export --line ishoj-bos --from "2026-11-23 00:00" --to "2026-12-21 00:00" > roster.ics)",
      [o](Session& s) { return Export(*o, s); });
  cmd->add_option("--line", o->line, "The line, e.g. ishoj-bos")->required();
  cmd->add_option("--from", o->from,
                  "Local start (default: Monday 00:00 of this week)");
  cmd->add_option("--to", o->to,
                  "Local end (default: eight weeks after --from; at most 400 "
                  "days)");
}

struct ImportOptions {
  std::string line;
  std::string file;
  v1::RosterOverrideReason reason = v1::ROSTER_OVERRIDE_REASON_OTHER;
};

int Import(const ImportOptions& o, Session& s) {
  std::ifstream in(o.file, std::ios::binary);
  if (!in) return Output::UsageError(absl::StrCat("cannot read ", o.file));
  std::string ics;
  ics.assign(std::istreambuf_iterator<char>(in),
             std::istreambuf_iterator<char>());
  if (ics.size() > kMaxIcsBytes) {
    return Output::UsageError(
        absl::StrCat(o.file, ": larger than ", kMaxIcsBytes, " bytes"));
  }
  v1::ImportOverridesRequest request;
  request.set_request_id(s.request_id());
  request.set_line_id(o.line);
  request.set_ics(std::move(ics));
  request.set_reason(o.reason);
  v1::ImportOverridesResponse response;
  auto stub = RosterStub(s);
  return s.output.Report(
      Send(s, *stub, &Stub::ImportOverrides, request, &response), response,
      [&] {
        return absl::StrCat(
            "Imported ", response.override_ids_size(),
            response.override_ids_size() == 1 ? " override" : " overrides",
            " into line ", o.line, ".", RetryNote(response.result()));
      });
}

void AddImport(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<ImportOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "import",
      "Add every event of an iCalendar (.ics) file as an override, all or "
      "nothing",
      R"(  vagtctl roster import --line ishoj-bos swaps.ics

Each VEVENT needs DTSTART and DTEND and says who covers which role, as
roster export writes it (SUMMARY "Duty: worker:anna" or "Backup: worker:bo",
or X-VAGT-ROLE and X-VAGT-PARTY). A file the server cannot read changes
nothing; the message names the VEVENT and the property.)",
      [o](Session& s) { return Import(*o, s); });
  cmd->add_option("--line", o->line, "The line, e.g. ishoj-bos")->required();
  cmd->add_option("FILE", o->file, "The .ics file")->required();
  AddChoice(cmd, "--reason", &o->reason, kOverrideReasons,
            "The reason recorded on each override (default: other)");
}

}  // namespace

void AddRosterCommands(CommandLine& cli) {
  CLI::App* group = cli.AddGroup(
      "roster", "The planned coverage of a line: shifts, overrides, calendar",
      R"(  vagtctl roster show --line ishoj-bos --week
  vagtctl roster who --line ishoj-bos
  vagtctl roster override --line ishoj-bos --role duty --by worker:bo \
      --from "2026-11-24 12:00" --to "2026-11-24 22:00" --reason swap
  vagtctl roster export --line ishoj-bos > roster.ics
  vagtctl roster import --line ishoj-bos swaps.ics
  vagtctl roster set --line ishoj-bos --file rotation.json)");
  AddShow(cli, group);
  AddWho(cli, group);
  AddOverride(cli, group);
  AddRemoveOverride(cli, group);
  AddSet(cli, group);
  AddExport(cli, group);
  AddImport(cli, group);
}

}  // namespace vagt::vagtctl
