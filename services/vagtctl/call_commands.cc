// vagtctl call ...: the duty worker's log of a call (CallService).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/vagtctl/command_line.h"
#include "services/vagtctl/commands.h"
#include "services/vagtctl/local_time.h"
#include "vagt/v1/calls.grpc.pb.h"

namespace vagt::vagtctl {
namespace {

using Stub = v1::CallService::Stub;

std::unique_ptr<Stub> CallStub(const Session& s) {
  return v1::CallService::NewStub(s.connection.channel());
}

// ---------------------------------------------------------------------------
// call receive

struct ReceiveOptions {
  std::string line;
  v1::CallerKind from = v1::CALLER_KIND_UNSPECIFIED;
  std::string citizen;
  v1::ContactChannel channel = v1::CONTACT_CHANNEL_PHONE;
  std::string reason;
  std::string caller_name;
  std::string caller_phone;
  std::string caller_relation;
  std::string partner;
  std::string at;
};

// "citizen-7f3a, phone", "relative of citizen-7f3a, sms", "anonymous, phone".
std::string WhoCalled(const v1::ReceiveCallRequest& r) {
  std::string who;
  if (r.caller_kind() == v1::CALLER_KIND_CITIZEN && !r.citizen_ref().empty()) {
    who = r.citizen_ref();
  } else {
    who = WordFor(kCallerKinds, r.caller_kind());
    if (r.has_caller_party()) absl::StrAppend(&who, " ", r.caller_party().id());
    if (!r.citizen_ref().empty()) {
      absl::StrAppend(&who, " about ", r.citizen_ref());
    }
  }
  return absl::StrCat(who, ", ", WordFor(kChannels, r.channel()));
}

int Receive(const ReceiveOptions& o, Session& s) {
  v1::ReceiveCallRequest request;
  request.set_request_id(s.request_id());
  request.set_line_id(o.line);
  request.set_caller_kind(o.from);
  request.set_citizen_ref(o.citizen);
  request.set_channel(o.channel);
  if (!o.at.empty()) {
    absl::StatusOr<absl::Time> at = ParseRecentLocalTime(o.at, s.now, "--at");
    if (!at.ok()) return Output::UsageError(std::string(at.status().message()));
    *request.mutable_received_at() = ToTimestamp(*at);
  }
  if (!o.partner.empty()) {
    absl::StatusOr<v1::Party> partner =
        ParseParty(o.partner, v1::PARTY_KIND_OTHER_PARTNER, "", "--partner");
    if (!partner.ok()) {
      return Output::UsageError(std::string(partner.status().message()));
    }
    *request.mutable_caller_party() = *partner;
  }
  v1::CallReceivedSensitive* details = request.mutable_details();
  details->set_reason(o.reason);
  details->set_caller_name(o.caller_name);
  details->set_caller_phone(o.caller_phone);
  details->set_caller_relation(o.caller_relation);

  v1::ReceiveCallResponse response;
  auto stub = CallStub(s);
  const grpc::Status status =
      Send(s, *stub, &Stub::ReceiveCall, request, &response);
  return s.output.Report(status, response, [&] {
    const std::string when =
        request.has_received_at()
            ? absl::StrCat(
                  " at ", FormatLocalTime(ToTime(request.received_at()), s.now))
            : "";
    return absl::StrCat("Call ", response.call_id(), " logged on line ",
                        request.line_id(), when, " (", WhoCalled(request), ").",
                        RetryNote(response.result()));
  });
}

void AddReceive(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<ReceiveOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "receive", "Log a call that came in (prints the call id)",
      R"(  vagtctl call receive --line ishoj-bos --from citizen --citizen citizen-7f3a \
      --reason "Cannot sleep, voices are back"
  vagtctl call receive --line ishoj-bos --from relative --citizen citizen-7f3a \
      --caller-relation mother --reason "Worried, he does not answer"
  vagtctl call receive --line ishoj-bos --from anonymous --channel sms --at 21:40)",
      [o](Session& s) { return Receive(*o, s); });
  cmd->add_option("--line", o->line, "The line the call came in on")
      ->required();
  AddChoice(cmd, "--from", &o->from, kCallerKinds, "Who called")->required();
  cmd->add_option("--citizen", o->citizen,
                  "The citizen the call is about (pseudonymous ref)");
  AddChoice(cmd, "--channel", &o->channel, kChannels,
            "How the contact came in (default: phone)");
  cmd->add_option("--reason", o->reason, "What the call is about");
  cmd->add_option("--caller-name", o->caller_name,
                  "The caller's name, when not the citizen");
  cmd->add_option("--caller-phone", o->caller_phone, "The number to call back");
  cmd->add_option("--caller-relation", o->caller_relation,
                  "The caller's relation to the citizen, e.g. mother");
  cmd->add_option("--partner", o->partner,
                  "The calling partner, for --from partner (partner:<id>)");
  cmd->add_option("--at", o->at,
                  "When it came in, local time (21:40 or 2026-11-24T21:40); "
                  "default now");
}

// ---------------------------------------------------------------------------
// call note / risk / plan

struct NoteOptions {
  std::string call;
  std::vector<std::string> text;
};

void AddNote(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<NoteOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "note", "Add a note to a call (also after it is closed)",
      R"(  vagtctl call note 3f2a9c1e-... "Called back, she is calmer now")",
      [o](Session& s) {
        v1::AddCallNoteRequest request;
        request.set_request_id(s.request_id());
        request.set_call_id(o->call);
        request.set_text(absl::StrJoin(o->text, " "));
        v1::CommandResult result;
        auto stub = CallStub(s);
        return s.output.Report(
            Send(s, *stub, &Stub::AddNote, request, &result), result, [&] {
              return absl::StrCat("Note added to call ", o->call, ".",
                                  RetryNote(result));
            });
      });
  cmd->add_option("CALL", o->call, "The call id")->required();
  cmd->add_option("TEXT", o->text, "The note")->required();
}

struct RiskOptions {
  std::string call;
  v1::RiskLevel level = v1::RISK_LEVEL_UNSPECIFIED;
  std::vector<std::string> reason;
};

void AddRisk(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<RiskOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "risk", "Assess the risk in a call (the latest assessment stands)",
      R"(  vagtctl call risk 3f2a9c1e-... high "Talks about not wanting to go on"
  vagtctl call risk 3f2a9c1e-... low "Calmer after talking")",
      [o](Session& s) {
        v1::AssessRiskRequest request;
        request.set_request_id(s.request_id());
        request.set_call_id(o->call);
        request.set_level(o->level);
        request.set_reason(absl::StrJoin(o->reason, " "));
        v1::CommandResult result;
        auto stub = CallStub(s);
        return s.output.Report(
            Send(s, *stub, &Stub::AssessRisk, request, &result), result, [&] {
              return absl::StrCat("Risk in call ", o->call, " assessed as ",
                                  WordFor(kRiskLevels, o->level), ".",
                                  RetryNote(result));
            });
      });
  cmd->add_option("CALL", o->call, "The call id")->required();
  AddChoice(cmd, "LEVEL", &o->level, kRiskLevels, "The risk level")->required();
  cmd->add_option("REASON", o->reason, "What the assessment is based on")
      ->required();
}

struct PlanOptions {
  std::string call;
  v1::CrisisPlanLookupResult result = v1::CRISIS_PLAN_LOOKUP_RESULT_CONSULTED;
  uint32_t revision = 0;
  std::string plan_event;
  std::string note;
};

std::string PlanSentence(const PlanOptions& o) {
  switch (o.result) {
    case v1::CRISIS_PLAN_LOOKUP_RESULT_NO_PLAN:
      return absl::StrCat("Recorded for call ", o.call,
                          ": the citizen has no crisis plan.");
    case v1::CRISIS_PLAN_LOOKUP_RESULT_NOT_PERMITTED:
      return absl::StrCat("Recorded for call ", o.call,
                          ": the crisis plan may not be shown.");
    default:
      return absl::StrCat(
          "Crisis plan",
          o.revision > 0 ? absl::StrCat(" (revision ", o.revision, ")") : "",
          " consulted in call ", o.call, ".");
  }
}

void AddPlan(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<PlanOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "plan", "Record that the citizen's crisis plan was looked up",
      R"(  vagtctl call plan 3f2a9c1e-... consulted --revision 3 --note "Called her sister"
  vagtctl call plan 3f2a9c1e-... no-plan)",
      [o](Session& s) {
        v1::RecordCrisisPlanConsultedRequest request;
        request.set_request_id(s.request_id());
        request.set_call_id(o->call);
        request.set_result(o->result);
        request.set_crisis_plan_revision(o->revision);
        request.set_crisis_plan_event_id(o->plan_event);
        request.set_note(o->note);
        v1::CommandResult result;
        auto stub = CallStub(s);
        return s.output.Report(
            Send(s, *stub, &Stub::RecordCrisisPlanConsulted, request, &result),
            result,
            [&] { return absl::StrCat(PlanSentence(*o), RetryNote(result)); });
      });
  cmd->add_option("CALL", o->call, "The call id")->required();
  AddChoice(cmd, "RESULT", &o->result, kCrisisPlanLookups,
            "What the lookup found (default: consulted)");
  cmd->add_option("--revision", o->revision, "The plan revision shown");
  cmd->add_option("--plan-event", o->plan_event,
                  "The event id of that plan revision");
  cmd->add_option("--note", o->note, "How the plan was used in the call");
}

// ---------------------------------------------------------------------------
// call close

struct CloseOptions {
  std::string call;
  v1::CallOutcome outcome = v1::CALL_OUTCOME_UNSPECIFIED;
  std::string summary;
  std::string follow_up_by;
  std::string follow_up_due;
  std::string follow_up_task;
  std::vector<std::string> escalations;
};

int Close(const CloseOptions& o, Session& s) {
  v1::CloseCallRequest request;
  request.set_request_id(s.request_id());
  request.set_call_id(o.call);
  request.set_outcome(o.outcome);
  for (const std::string& id : o.escalations) request.add_escalation_ids(id);
  request.mutable_details()->set_summary(o.summary);
  request.mutable_details()->set_follow_up_task(o.follow_up_task);
  if (!o.follow_up_by.empty() || !o.follow_up_due.empty() ||
      !o.follow_up_task.empty()) {
    v1::FollowUp* follow_up = request.mutable_follow_up();
    follow_up->set_needed(true);
    if (!o.follow_up_by.empty()) {
      absl::StatusOr<v1::Party> owner = ParseParty(
          o.follow_up_by, v1::PARTY_KIND_OTHER_PARTNER, "", "--follow-up-by");
      if (!owner.ok()) {
        return Output::UsageError(std::string(owner.status().message()));
      }
      *follow_up->mutable_owner() = *owner;
    }
    if (!o.follow_up_due.empty()) {
      absl::StatusOr<absl::Time> due =
          ParseLocalTime(o.follow_up_due, s.now, "--follow-up-due");
      if (!due.ok()) {
        return Output::UsageError(std::string(due.status().message()));
      }
      *follow_up->mutable_due_at() = ToTimestamp(*due);
    }
  }
  v1::CommandResult result;
  auto stub = CallStub(s);
  return s.output.Report(
      Send(s, *stub, &Stub::CloseCall, request, &result), result, [&] {
        std::string text =
            absl::StrCat("Call ", o.call,
                         " closed: ", WordFor(kCallOutcomes, o.outcome), ".");
        const v1::FollowUp& f = request.follow_up();
        if (f.needed()) {
          absl::StrAppend(
              &text, " Follow-up", f.has_owner() ? " by " + f.owner().id() : "",
              f.has_due_at()
                  ? " due " + FormatLocalTime(ToTime(f.due_at()), s.now)
                  : "",
              ".");
        }
        return absl::StrCat(text, RetryNote(result));
      });
}

void AddClose(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<CloseOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "close", "Close a call with its outcome and any follow-up",
      R"(  vagtctl call close 3f2a9c1e-... resolved --summary "Talked it through"
  vagtctl call close 3f2a9c1e-... visit --follow-up-by worker:bo \
      --follow-up-due "tomorrow 10:00" --follow-up-task "Visit in the morning"
  vagtctl call close 3f2a9c1e-... escalated --escalation 8d41e0aa-...)",
      [o](Session& s) { return Close(*o, s); });
  cmd->add_option("CALL", o->call, "The call id")->required();
  AddChoice(cmd, "OUTCOME", &o->outcome, kCallOutcomes, "How the call ended")
      ->required();
  cmd->add_option("--summary", o->summary, "What was done, in short");
  cmd->add_option("--follow-up-by", o->follow_up_by,
                  "Who follows up (worker:<id> or partner:<id>)");
  cmd->add_option("--follow-up-due", o->follow_up_due,
                  "By when, local time (\"tomorrow 10:00\", 2026-11-25T10:00)");
  cmd->add_option("--follow-up-task", o->follow_up_task,
                  "What the follow-up is to do");
  cmd->add_option("--escalation", o->escalations,
                  "An escalation raised from the call (repeatable)")
      ->allow_extra_args(false);
}

}  // namespace

void AddCallCommands(CommandLine& cli) {
  CLI::App* group = cli.AddGroup(
      "call", "Log a call: receive, note, risk, plan, close",
      R"(  vagtctl call receive --line ishoj-bos --from citizen --citizen citizen-7f3a
  vagtctl call risk CALL_ID moderate "Anxious, no plans to hurt himself"
  vagtctl call close CALL_ID resolved)");
  AddReceive(cli, group);
  AddNote(cli, group);
  AddRisk(cli, group);
  AddPlan(cli, group);
  AddClose(cli, group);
}

}  // namespace vagt::vagtctl
