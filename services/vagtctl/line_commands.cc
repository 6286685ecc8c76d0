// vagtctl line ...: who holds the on-call phone, and handing it over
// (LineService).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/vagtctl/command_line.h"
#include "services/vagtctl/commands.h"
#include "services/vagtctl/local_time.h"
#include "vagt/v1/lines.grpc.pb.h"

namespace vagt::vagtctl {
namespace {

using Stub = v1::LineService::Stub;
using Note = google::protobuf::RepeatedPtrField<v1::HandoverItem>;

std::unique_ptr<Stub> LineStub(const Session& s) {
  return v1::LineService::NewStub(s.connection.channel());
}

// ---------------------------------------------------------------------------
// The handover note, from repeatable options.

struct NoteOptions {
  std::vector<std::string> remarks;
  std::vector<std::string> calls;
  std::vector<std::string> escalations;
  std::vector<std::string> watch;
};

constexpr char kNoteHelp[] = R"(The handover note:
  --note TEXT                  a remark about the shift; shared with everyone,
                               so it must not identify a citizen
  --call ID[,CITIZEN][,TEXT]   an open call
  --escalation ID[,CITIZEN][,TEXT]  a running escalation
  --watch CITIZEN[,TEXT]       a citizen to keep an eye on
The server takes the citizen of a cited call or escalation from its record
(CITIZEN may be left out; if given it must match). Towards the night partner
an item about a citizen is shared only if that citizen has consented.)";

void AddNoteOptions(CLI::App* cmd, NoteOptions* o) {
  cmd->add_option("--note", o->remarks,
                  "A remark (repeatable; must not identify a citizen)")
      ->allow_extra_args(false);
  cmd->add_option("--call", o->calls,
                  "An open call: ID[,CITIZEN][,TEXT] (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--escalation", o->escalations,
                  "A running escalation: ID[,CITIZEN][,TEXT] (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--watch", o->watch,
                  "A citizen to keep an eye on: CITIZEN[,TEXT] (repeatable)")
      ->allow_extra_args(false);
}

// "ID[,CITIZEN][,TEXT]": the citizen part is recognised by its "citizen-"
// prefix (every citizen ref has it), so "ID,Call back at 8" is an id and a
// text. Sets the citizen and text of `item` and returns the id.
std::string FillItem(const std::string& spec, v1::HandoverItem* item) {
  std::vector<std::string> parts =
      absl::StrSplit(spec, absl::MaxSplits(',', 1));
  if (parts.size() > 1 && absl::StartsWith(parts[1], "citizen-")) {
    std::vector<std::string> rest =
        absl::StrSplit(parts[1], absl::MaxSplits(',', 1));
    item->set_citizen_ref(rest[0]);
    if (rest.size() > 1) item->mutable_sensitive()->set_text(rest[1]);
  } else if (parts.size() > 1) {
    item->mutable_sensitive()->set_text(parts[1]);
  }
  return parts[0];
}

Note BuildNote(const NoteOptions& o) {
  Note note;
  for (const std::string& spec : o.calls) {
    v1::HandoverItem* item = note.Add();
    item->set_kind(v1::HANDOVER_ITEM_KIND_OPEN_CALL);
    item->set_call_id(FillItem(spec, item));
  }
  for (const std::string& spec : o.escalations) {
    v1::HandoverItem* item = note.Add();
    item->set_kind(v1::HANDOVER_ITEM_KIND_RUNNING_ESCALATION);
    item->set_escalation_id(FillItem(spec, item));
  }
  for (const std::string& spec : o.watch) {
    std::vector<std::string> parts =
        absl::StrSplit(spec, absl::MaxSplits(',', 1));
    v1::HandoverItem* item = note.Add();
    item->set_kind(v1::HANDOVER_ITEM_KIND_CITIZEN_TO_WATCH);
    item->set_citizen_ref(parts[0]);
    if (parts.size() > 1) item->mutable_sensitive()->set_text(parts[1]);
  }
  for (const std::string& text : o.remarks) {
    v1::HandoverItem* item = note.Add();
    item->set_kind(v1::HANDOVER_ITEM_KIND_REMARK);
    item->mutable_sensitive()->set_text(text);
  }
  return note;
}

std::string Items(const Note& note) {
  if (note.empty()) return "no note";
  return absl::StrCat("a note of ", note.size(),
                      note.size() == 1 ? " item" : " items");
}

// ---------------------------------------------------------------------------
// line take

struct TakeOptions {
  std::string line;
  v1::LineCoverageTakeReason reason = v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED;
  std::string holder;
};

int Take(const TakeOptions& o, Session& s) {
  v1::TakeLineRequest request;
  request.set_request_id(s.request_id());
  request.set_line_id(o.line);
  request.set_reason(o.reason);
  if (!o.holder.empty()) {
    absl::StatusOr<v1::Party> holder =
        ParseParty(o.holder, v1::PARTY_KIND_UNSPECIFIED, "", "--holder");
    if (!holder.ok()) {
      return Output::UsageError(std::string(holder.status().message()));
    }
    *request.mutable_holder() = *holder;
  }
  v1::CommandResult result;
  auto stub = LineStub(s);
  return s.output.Report(
      Send(s, *stub, &Stub::TakeLine, request, &result), result, [&] {
        const std::string who = o.holder.empty() ? s.connection.Me() : o.holder;
        return absl::StrCat("Line ", o.line, " is now held by ", who, " (",
                            WordFor(kLineTakeReasons, o.reason), ").",
                            RetryNote(result));
      });
}

void AddTake(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<TakeOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "take",
      "Take the line without a handover (a new line, or an unreachable holder)",
      R"(  vagtctl line take ishoj-bos
  vagtctl line take ishoj-bos --reason holder-unreachable
  vagtctl line take ishoj-bos --reason reassigned --holder worker:bo)",
      [o](Session& s) { return Take(*o, s); });
  cmd->add_option("LINE", o->line, "The line, e.g. ishoj-bos")->required();
  AddChoice(cmd, "--reason", &o->reason, kLineTakeReasons,
            "Why (default: line-opened, for a line nobody holds)");
  cmd->add_option("--holder", o->holder,
                  "Who holds it from now on (default: you), worker:<id>");
}

// ---------------------------------------------------------------------------
// line handover / pass-night / take-back: commands with a handover note.

struct HandoverOptions {
  std::string line;
  std::string to;
  std::string to_name;
  std::string respond_by;
  NoteOptions note;
};

int Handover(const HandoverOptions& o, Session& s) {
  v1::OfferHandoverRequest request;
  request.set_request_id(s.request_id());
  request.set_line_id(o.line);
  absl::StatusOr<v1::Party> to =
      ParseParty(o.to, v1::PARTY_KIND_NIGHT_PARTNER, o.to_name, "--to");
  if (!to.ok()) return Output::UsageError(std::string(to.status().message()));
  *request.mutable_offered_to() = *to;
  *request.mutable_items() = BuildNote(o.note);
  if (!o.respond_by.empty()) {
    absl::StatusOr<absl::Time> by =
        ParseLocalTime(o.respond_by, s.now, "--respond-by");
    if (!by.ok()) return Output::UsageError(std::string(by.status().message()));
    *request.mutable_respond_by() = ToTimestamp(*by);
  }
  v1::LineHandoverResponse response;
  auto stub = LineStub(s);
  return s.output.Report(
      Send(s, *stub, &Stub::OfferHandover, request, &response), response, [&] {
        return absl::StrCat(
            "Handover ", response.handover_id(), " of line ", o.line,
            " offered to ", ShowParty(request.offered_to()), " with ",
            Items(request.items()), ".", RetryNote(response.result()),
            "\nYou hold the line until they accept: vagtctl line accept ",
            o.line, " ", response.handover_id());
      });
}

void AddHandover(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<HandoverOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "handover",
      "Offer the line to the next party with a handover note",
      absl::StrCat(
          R"(  vagtctl line handover ishoj-bos --to partner:natpartner \
      --note "Quiet evening, backup phone is charged" \
      --call 3f2a9c1e-...,citizen-7f3a,"Call her back before midnight" \
      --escalation 8d41e0aa-...,citizen-7f3a --watch citizen-9b2c
  vagtctl line handover ishoj-bos --to worker:bo --respond-by 07:00

)",
          kNoteHelp),
      [o](Session& s) { return Handover(*o, s); });
  cmd->add_option("LINE", o->line, "The line you hold")->required();
  cmd->add_option("--to", o->to,
                  "The next party: worker:<id>, or partner:<id> for the "
                  "night partner")
      ->required();
  cmd->add_option("--to-name", o->to_name, "Their name as shown now");
  cmd->add_option("--respond-by", o->respond_by,
                  "When they should answer, local time (22:00)");
  AddNoteOptions(cmd, &o->note);
}

struct PassOptions {
  std::string line;
  std::string to;
  std::string to_name;
  NoteOptions note;
};

void AddPassNight(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<PassOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "pass-night",
      "Pass the line straight to a night partner that does not answer in vagt",
      absl::StrCat(
          R"(  vagtctl line pass-night ishoj-bos --to partner:natpartner \
      --note "Quiet evening" --watch citizen-9b2c,"Was low today"

)",
          kNoteHelp),
      [o](Session& s) {
        v1::PassToNightPartnerRequest request;
        request.set_request_id(s.request_id());
        request.set_line_id(o->line);
        absl::StatusOr<v1::Party> to =
            ParseParty(o->to, v1::PARTY_KIND_NIGHT_PARTNER, o->to_name, "--to");
        if (!to.ok()) {
          return Output::UsageError(std::string(to.status().message()));
        }
        *request.mutable_night_partner() = *to;
        *request.mutable_items() = BuildNote(o->note);
        v1::LineHandoverResponse response;
        auto stub = LineStub(s);
        return s.output.Report(
            Send(s, *stub, &Stub::PassToNightPartner, request, &response),
            response, [&] {
              return absl::StrCat(
                  "Line ", o->line, " passed to ",
                  ShowParty(request.night_partner()), " for the night with ",
                  Items(request.items()), " (handover ", response.handover_id(),
                  ").", RetryNote(response.result()));
            });
      });
  cmd->add_option("LINE", o->line, "The line you hold")->required();
  cmd->add_option("--to", o->to, "The night partner, partner:<id>")->required();
  cmd->add_option("--to-name", o->to_name, "Their name as shown now");
  AddNoteOptions(cmd, &o->note);
}

struct TakeBackOptions {
  std::string line;
  std::string holder;
  NoteOptions note;
};

int TakeBack(const TakeBackOptions& o, Session& s) {
  v1::TakeBackRequest request;
  request.set_request_id(s.request_id());
  request.set_line_id(o.line);
  if (!o.holder.empty()) {
    absl::StatusOr<v1::Party> holder =
        ParseParty(o.holder, v1::PARTY_KIND_UNSPECIFIED, "", "--holder");
    if (!holder.ok()) {
      return Output::UsageError(std::string(holder.status().message()));
    }
    *request.mutable_holder() = *holder;
  }
  *request.mutable_items() = BuildNote(o.note);
  v1::LineHandoverResponse response;
  auto stub = LineStub(s);
  return s.output.Report(
      Send(s, *stub, &Stub::TakeBack, request, &response), response, [&] {
        return absl::StrCat(
            "Line ", o.line, " taken back from the night partner by ",
            o.holder.empty() ? s.connection.Me() : o.holder, " with ",
            Items(request.items()), " (handover ", response.handover_id(), ").",
            RetryNote(response.result()));
      });
}

void AddTakeBack(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<TakeBackOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "take-back",
      "Take the line back from the night partner in the morning, with their "
      "report",
      absl::StrCat(
          R"(  vagtctl line take-back ishoj-bos \
      --call 5b7c...,citizen-7f3a,"Called at 03:10, calmer after talking"

The night partner's report:
)",
          kNoteHelp),
      [o](Session& s) { return TakeBack(*o, s); });
  cmd->add_option("LINE", o->line, "The line")->required();
  cmd->add_option("--holder", o->holder,
                  "Who holds it from now on (default: you), worker:<id>");
  AddNoteOptions(cmd, &o->note);
}

// ---------------------------------------------------------------------------
// line accept / decline / withdraw: answers to a pending handover.

struct AnswerOptions {
  std::string line;
  std::string handover;
};

void AddAnswerPositionals(CLI::App* cmd, AnswerOptions* o) {
  cmd->add_option("LINE", o->line, "The line")->required();
  cmd->add_option("HANDOVER", o->handover,
                  "The handover id (printed by vagtctl line handover)")
      ->required();
}

void AddAccept(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<AnswerOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "accept", "Accept a handover offered to you: you hold the line",
      R"(  VAGT_TOKEN=$(cat natpartner.token) vagtctl line accept ishoj-bos HANDOVER_ID)",
      [o](Session& s) {
        v1::AcceptHandoverRequest request;
        request.set_request_id(s.request_id());
        request.set_line_id(o->line);
        request.set_handover_id(o->handover);
        v1::CommandResult result;
        auto stub = LineStub(s);
        return s.output.Report(
            Send(s, *stub, &Stub::AcceptHandover, request, &result), result,
            [&] {
              return absl::StrCat("Handover accepted: line ", o->line,
                                  " is now held by ", s.connection.Me(), ".",
                                  RetryNote(result));
            });
      });
  AddAnswerPositionals(cmd, o.get());
}

struct DeclineOptions {
  AnswerOptions answer;
  v1::LineHandoverDeclineReason reason =
      v1::LINE_HANDOVER_DECLINE_REASON_UNSPECIFIED;
  std::string explanation;
};

void AddDecline(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<DeclineOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "decline",
      "Decline a handover offered to you; the holder keeps the line",
      R"(  vagtctl line decline ishoj-bos HANDOVER_ID not-on-duty
  vagtctl line decline ishoj-bos HANDOVER_ID other --explanation "Phone is broken")",
      [o](Session& s) {
        v1::DeclineHandoverRequest request;
        request.set_request_id(s.request_id());
        request.set_line_id(o->answer.line);
        request.set_handover_id(o->answer.handover);
        request.set_reason(o->reason);
        request.set_explanation(o->explanation);
        v1::CommandResult result;
        auto stub = LineStub(s);
        return s.output.Report(
            Send(s, *stub, &Stub::DeclineHandover, request, &result), result,
            [&] {
              return absl::StrCat(
                  "Handover of line ", o->answer.line, " declined (",
                  WordFor(kHandoverDeclineReasons, o->reason),
                  "); the holder keeps the line.", RetryNote(result));
            });
      });
  AddAnswerPositionals(cmd, &o->answer);
  AddChoice(cmd, "REASON", &o->reason, kHandoverDeclineReasons, "Why")
      ->required();
  cmd->add_option("--explanation", o->explanation,
                  "In your words (required for reason other)");
}

struct WithdrawOptions {
  AnswerOptions answer;
  std::string reason;
};

void AddWithdraw(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<WithdrawOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "withdraw",
      "Withdraw your handover offer before it is answered; you keep the line",
      R"(  vagtctl line withdraw ishoj-bos HANDOVER_ID --reason "Offered to the wrong worker")",
      [o](Session& s) {
        v1::WithdrawHandoverRequest request;
        request.set_request_id(s.request_id());
        request.set_line_id(o->answer.line);
        request.set_handover_id(o->answer.handover);
        request.set_reason(o->reason);
        v1::CommandResult result;
        auto stub = LineStub(s);
        return s.output.Report(
            Send(s, *stub, &Stub::WithdrawHandover, request, &result), result,
            [&] {
              return absl::StrCat("Handover of line ", o->answer.line,
                                  " withdrawn; you keep the line.",
                                  RetryNote(result));
            });
      });
  AddAnswerPositionals(cmd, &o->answer);
  cmd->add_option("--reason", o->reason, "Why");
}

// ---------------------------------------------------------------------------
// line backup

struct BackupOptions {
  std::string line;
  std::string backup;
  std::string backup_name;
  std::string from;
  std::string until;
};

int Backup(const BackupOptions& o, Session& s) {
  v1::AssignBackupRequest request;
  request.set_request_id(s.request_id());
  request.set_line_id(o.line);
  absl::StatusOr<v1::Party> backup =
      ParseParty(o.backup, v1::PARTY_KIND_UNSPECIFIED, o.backup_name, "BACKUP");
  if (!backup.ok()) {
    return Output::UsageError(std::string(backup.status().message()));
  }
  *request.mutable_backup() = *backup;
  absl::StatusOr<absl::Time> from = ParseLocalTime(o.from, s.now, "--from");
  if (!from.ok())
    return Output::UsageError(std::string(from.status().message()));
  absl::StatusOr<absl::Time> until = ParseLocalTime(o.until, s.now, "--until");
  if (!until.ok()) {
    return Output::UsageError(std::string(until.status().message()));
  }
  *request.mutable_starts_at() = ToTimestamp(*from);
  *request.mutable_ends_at() = ToTimestamp(*until);
  v1::CommandResult result;
  auto stub = LineStub(s);
  return s.output.Report(
      Send(s, *stub, &Stub::AssignBackup, request, &result), result, [&] {
        return absl::StrCat(
            "Backup for line ", o.line, ": ", ShowParty(request.backup()),
            " from ", FormatLocalTime(*from, s.now), " until ",
            FormatLocalTime(*until, s.now), ".", RetryNote(result));
      });
}

void AddBackup(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<BackupOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "backup", "Assign the backup worker (bagvagt) for a period",
      R"(  vagtctl line backup ishoj-bos worker:bo --from 2026-11-28T07:00 \
      --until 2026-11-30T07:00)",
      [o](Session& s) { return Backup(*o, s); });
  cmd->add_option("LINE", o->line, "The line")->required();
  cmd->add_option("BACKUP", o->backup, "The backup worker, worker:<id>")
      ->required();
  cmd->add_option("--name", o->backup_name, "Their name as shown now");
  cmd->add_option("--from", o->from, "Start, local time (2026-11-28T07:00)")
      ->required();
  cmd->add_option("--until", o->until, "End, local time (2026-11-30T07:00)")
      ->required();
}

}  // namespace

void AddLineCommands(CommandLine& cli) {
  CLI::App* group = cli.AddGroup(
      "line",
      "The on-call phone: take, handover, accept, decline, withdraw, "
      "pass-night, take-back, backup",
      R"(  vagtctl line take ishoj-bos
  vagtctl line handover ishoj-bos --to partner:natpartner --note "Quiet evening"
  VAGT_TOKEN=$(cat natpartner.token) vagtctl line accept ishoj-bos HANDOVER_ID
  vagtctl line take-back ishoj-bos)");
  AddTake(cli, group);
  AddHandover(cli, group);
  AddAccept(cli, group);
  AddDecline(cli, group);
  AddWithdraw(cli, group);
  AddPassNight(cli, group);
  AddTakeBack(cli, group);
  AddBackup(cli, group);
}

}  // namespace vagt::vagtctl
