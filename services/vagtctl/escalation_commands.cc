// vagtctl escalate ... and vagtctl escalation ...: escalations raised from a
// call and the answers of the party escalated to (EscalationService).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/duration.pb.h"
#include "services/vagtctl/command_line.h"
#include "services/vagtctl/commands.h"
#include "services/vagtctl/local_time.h"
#include "vagt/v1/escalations.grpc.pb.h"

namespace vagt::vagtctl {
namespace {

using Stub = v1::EscalationService::Stub;

std::unique_ptr<Stub> EscalationStub(const Session& s) {
  return v1::EscalationService::NewStub(s.connection.channel());
}

// --ack-within / --ack-by: when the target must have acknowledged.
struct AckDeadlineOptions {
  std::string within;
  std::string by;
};

void AddAckDeadlineOptions(CLI::App* cmd, AckDeadlineOptions* o,
                           const std::string& prefix) {
  CLI::Option* within =
      cmd->add_option("--" + prefix + "ack-within", o->within,
                      "Acknowledge within, e.g. 10m (default: the escalation "
                      "policy's, see vagtctl help escalate)");
  cmd->add_option("--" + prefix + "ack-by", o->by,
                  "Acknowledge by this local time (22:15 or "
                  "2026-11-24T22:15)")
      ->excludes(within);
}

// Fills `*deadline` from the options; a usage error message otherwise.
absl::Status SetAckDeadline(const AckDeadlineOptions& o, absl::Time now,
                            const std::string& prefix,
                            v1::AckDeadline* deadline) {
  if (!o.within.empty()) {
    absl::StatusOr<absl::Duration> within =
        ParsePositiveDuration(o.within, "--" + prefix + "ack-within");
    if (!within.ok()) return within.status();
    const int64_t seconds = absl::ToInt64Seconds(*within);
    deadline->mutable_within()->set_seconds(seconds);
    deadline->mutable_within()->set_nanos(static_cast<int32_t>(
        absl::ToInt64Nanoseconds(*within - absl::Seconds(seconds))));
  } else if (!o.by.empty()) {
    absl::StatusOr<absl::Time> by =
        ParseLocalTime(o.by, now, "--" + prefix + "ack-by");
    if (!by.ok()) return by.status();
    *deadline->mutable_at() = ToTimestamp(*by);
  }
  return absl::OkStatus();
}

// " Acknowledge within 10m." / " Acknowledge by 22:15." / "".
std::string AckSentence(const AckDeadlineOptions& o, absl::Time now) {
  if (!o.within.empty())
    return absl::StrCat(" Acknowledge within ", o.within, ".");
  if (!o.by.empty()) {
    absl::StatusOr<absl::Time> by = ParseLocalTime(o.by, now, "");
    if (by.ok()) {
      return absl::StrCat(" Acknowledge by ", FormatLocalTime(*by, now), ".");
    }
  }
  return "";
}

// ---------------------------------------------------------------------------
// escalate

struct RaiseOptions {
  std::string call;
  v1::EscalationLevel level = v1::ESCALATION_LEVEL_UNSPECIFIED;
  std::string to;
  std::string to_name;
  v1::EscalationUrgency urgency = v1::ESCALATION_URGENCY_URGENT;
  AckDeadlineOptions ack;
  v1::ContactChannel via = v1::CONTACT_CHANNEL_UNSPECIFIED;
  std::string reason;
  std::string location;
  std::string contact;
};

int Raise(const RaiseOptions& o, Session& s) {
  v1::RaiseEscalationRequest request;
  request.set_request_id(s.request_id());
  request.set_call_id(o.call);
  request.set_level(o.level);
  request.set_urgency(o.urgency);
  request.set_contact_channel(o.via);
  // Without LEVEL and --to the line's escalation policy chooses both.
  const bool by_policy =
      o.level == v1::ESCALATION_LEVEL_UNSPECIFIED && o.to.empty();
  if (!by_policy) {
    if (o.level == v1::ESCALATION_LEVEL_UNSPECIFIED || o.to.empty()) {
      return Output::UsageError(
          "give LEVEL and --to together (or neither, to follow the line's "
          "escalation policy)");
    }
    // The kind is left to the service, which takes it from the level.
    absl::StatusOr<v1::Party> target =
        ParseParty(o.to, v1::PARTY_KIND_UNSPECIFIED, o.to_name, "--to");
    if (!target.ok()) {
      return Output::UsageError(std::string(target.status().message()));
    }
    *request.mutable_target() = *target;
  }
  if (absl::Status st =
          SetAckDeadline(o.ack, s.now, "", request.mutable_ack_deadline());
      !st.ok()) {
    return Output::UsageError(std::string(st.message()));
  }
  request.mutable_details()->set_reason(o.reason);
  request.mutable_details()->set_citizen_location(o.location);
  request.mutable_details()->set_contact_instructions(o.contact);

  v1::RaiseEscalationResponse response;
  auto stub = EscalationStub(s);
  return s.output.Report(
      Send(s, *stub, &Stub::RaiseEscalation, request, &response), response,
      [&] {
        return absl::StrCat(
            "Escalation ", response.escalation_id(), " raised from call ",
            o.call, " to ",
            by_policy ? "the first level of the line's escalation policy"
                      : absl::StrCat(WordFor(kEscalationLevels, o.level), " ",
                                     ShowParty(request.target())),
            " (", WordFor(kUrgencies, o.urgency), ").",
            AckSentence(o.ack, s.now), RetryNote(response.result()));
      });
}

void AddRaise(CommandLine& cli) {
  auto o = std::make_shared<RaiseOptions>();
  CLI::App* cmd = cli.AddCommand(
      cli.root(), "escalate",
      "Escalate a situation from an open call (prints the escalation id)",
      R"(  vagtctl escalate CALL_ID --reason "Cannot be alone tonight"
      (no level: the line's escalation policy picks the first level with
      somebody on it; see vagtctl policy show)
  vagtctl escalate CALL_ID social-emergency --to partner:akut-ishoj \
      --reason "Cannot be alone tonight" --ack-within 10m
  vagtctl escalate CALL_ID backup --to worker:bo --urgency routine \
      --reason "Needs a visit tomorrow morning"
  vagtctl escalate CALL_ID police --to partner:politi --urgency immediate \
      --reason "Threatens to jump" --location "Ishøj Strand, by the bridge")",
      [o](Session& s) { return Raise(*o, s); });
  cmd->add_option("CALL", o->call, "The open call the situation came from")
      ->required();
  AddChoice(cmd, "LEVEL", &o->level, kEscalationLevels,
            "Who to escalate to (default: the line's escalation policy)");
  cmd->add_option("--to", o->to,
                  "The party at LEVEL: worker:<id> or partner:<id>");
  cmd->add_option("--to-name", o->to_name,
                  "Their name as shown now, e.g. \"Akuttilbuddet\"");
  cmd->add_option("--reason", o->reason,
                  "The situation and what has been tried")
      ->required();
  AddChoice(cmd, "--urgency", &o->urgency, kUrgencies,
            "How urgent (default: urgent)");
  AddAckDeadlineOptions(cmd, &o->ack, "");
  AddChoice(cmd, "--via", &o->via, kChannels, "How the target is contacted");
  cmd->add_option("--location", o->location, "Where the citizen is now");
  cmd->add_option("--contact", o->contact,
                  "How to reach the citizen or the caller");
}

// ---------------------------------------------------------------------------
// escalation ack / accept / decline: answers of the current target.

// What every answer names: the escalation, and optionally the level answered
// and the party answered for.
struct AnswerOptions {
  std::string escalation;
  v1::EscalationLevel level = v1::ESCALATION_LEVEL_UNSPECIFIED;
  std::string on_behalf_of;
};

void AddAnswerOptions(CLI::App* cmd, AnswerOptions* o) {
  cmd->add_option("ESCALATION", o->escalation, "The escalation id")->required();
  cmd->add_option("--for", o->on_behalf_of,
                  "Record the answer for this party (e.g. partner:politi who "
                  "answered by phone); default: yourself");
  AddChoice(cmd, "--level", &o->level, kEscalationLevels,
            "The level you answer for (refused if it has moved on)");
}

std::string Answerer(const AnswerOptions& o) {
  return o.on_behalf_of.empty() ? "" : absl::StrCat(" by ", o.on_behalf_of);
}

void AddAcknowledge(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<AnswerOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "ack", "Acknowledge an escalation: you have seen it",
      R"(  vagtctl escalation ack ESCALATION_ID
  vagtctl escalation ack ESCALATION_ID --for partner:politi)",
      [o](Session& s) {
        v1::AcknowledgeEscalationRequest request;
        request.set_request_id(s.request_id());
        request.set_escalation_id(o->escalation);
        request.set_level(o->level);
        request.set_on_behalf_of(o->on_behalf_of);
        v1::CommandResult result;
        auto stub = EscalationStub(s);
        return s.output.Report(
            Send(s, *stub, &Stub::Acknowledge, request, &result), result, [&] {
              return absl::StrCat("Escalation ", o->escalation, " acknowledged",
                                  Answerer(*o), ".", RetryNote(result));
            });
      });
  AddAnswerOptions(cmd, o.get());
}

struct AcceptOptions {
  AnswerOptions answer;
  std::string expected_at;
  std::string note;
};

int Accept(const AcceptOptions& o, Session& s) {
  v1::AcceptEscalationRequest request;
  request.set_request_id(s.request_id());
  request.set_escalation_id(o.answer.escalation);
  request.set_level(o.answer.level);
  request.set_on_behalf_of(o.answer.on_behalf_of);
  request.mutable_details()->set_note(o.note);
  if (!o.expected_at.empty()) {
    absl::StatusOr<absl::Time> at =
        ParseLocalTime(o.expected_at, s.now, "--expected-at");
    if (!at.ok()) return Output::UsageError(std::string(at.status().message()));
    *request.mutable_expected_contact_at() = ToTimestamp(*at);
  }
  v1::CommandResult result;
  auto stub = EscalationStub(s);
  return s.output.Report(
      Send(s, *stub, &Stub::Accept, request, &result), result, [&] {
        return absl::StrCat(
            "Escalation ", o.answer.escalation, " accepted", Answerer(o.answer),
            request.has_expected_contact_at()
                ? absl::StrCat(
                      ", with the citizen by ",
                      FormatLocalTime(ToTime(request.expected_contact_at()),
                                      s.now))
                : "",
            ".", RetryNote(result));
      });
}

void AddAccept(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<AcceptOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "accept", "Accept an escalation: you take the situation on",
      R"(  vagtctl escalation accept ESCALATION_ID --expected-at 22:40 \
      --note "Sending two staff to her address")",
      [o](Session& s) { return Accept(*o, s); });
  AddAnswerOptions(cmd, &o->answer);
  cmd->add_option("--expected-at", o->expected_at,
                  "When you expect to be with the citizen, local time");
  cmd->add_option("--note", o->note, "What you will do");
}

struct DeclineOptions {
  AnswerOptions answer;
  v1::EscalationDeclineReason reason =
      v1::ESCALATION_DECLINE_REASON_UNSPECIFIED;
  v1::EscalationLevel next_level = v1::ESCALATION_LEVEL_UNSPECIFIED;
  std::string next_to;
  std::string next_name;
  AckDeadlineOptions ack;
  std::string explanation;
};

int Decline(const DeclineOptions& o, Session& s) {
  v1::DeclineEscalationRequest request;
  request.set_request_id(s.request_id());
  request.set_escalation_id(o.answer.escalation);
  request.set_level(o.answer.level);
  request.set_on_behalf_of(o.answer.on_behalf_of);
  request.set_reason(o.reason);
  request.set_next_level(o.next_level);
  absl::StatusOr<v1::Party> next = ParseParty(
      o.next_to, v1::PARTY_KIND_UNSPECIFIED, o.next_name, "--next-to");
  if (!next.ok())
    return Output::UsageError(std::string(next.status().message()));
  *request.mutable_next_target() = *next;
  if (absl::Status st = SetAckDeadline(o.ack, s.now, "next-",
                                       request.mutable_next_ack_deadline());
      !st.ok()) {
    return Output::UsageError(std::string(st.message()));
  }
  request.mutable_details()->set_reason(o.explanation);
  v1::CommandResult result;
  auto stub = EscalationStub(s);
  return s.output.Report(
      Send(s, *stub, &Stub::Decline, request, &result), result, [&] {
        return absl::StrCat(
            "Escalation ", o.answer.escalation, " declined", Answerer(o.answer),
            " (", WordFor(kEscalationDeclineReasons, o.reason),
            "); it moves on to ", WordFor(kEscalationLevels, o.next_level), " ",
            ShowParty(request.next_target()), ".", AckSentence(o.ack, s.now),
            RetryNote(result));
      });
}

void AddDecline(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<DeclineOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "decline",
      "Decline an escalation; it moves on to the next party at once",
      R"(  vagtctl escalation decline ESCALATION_ID no-capacity \
      --next-level psychiatric-emergency --next-to partner:psyk-glostrup
  vagtctl escalation decline ESCALATION_ID needs-higher-level \
      --next-level police --next-to partner:politi --next-ack-within 5m)",
      [o](Session& s) { return Decline(*o, s); });
  AddAnswerOptions(cmd, &o->answer);
  AddChoice(cmd, "REASON", &o->reason, kEscalationDeclineReasons,
            "Why it is declined")
      ->required();
  AddChoice(cmd, "--next-level", &o->next_level, kEscalationLevels,
            "The level it climbs to")
      ->required();
  cmd->add_option("--next-to", o->next_to,
                  "The party at that level: worker:<id> or partner:<id>")
      ->required();
  cmd->add_option("--next-name", o->next_name, "Their name as shown now");
  AddAckDeadlineOptions(cmd, &o->ack, "next-");
  cmd->add_option("--explanation", o->explanation, "The reason in your words");
}

// ---------------------------------------------------------------------------
// escalation resolve / cancel

struct EndOptions {
  std::string escalation;
  std::vector<std::string> text;
};

void AddResolve(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<EndOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "resolve", "Record that the situation is handled (final)",
      R"(  vagtctl escalation resolve ESCALATION_ID "Stays at the akuttilbud tonight")",
      [o](Session& s) {
        v1::ResolveEscalationRequest request;
        request.set_request_id(s.request_id());
        request.set_escalation_id(o->escalation);
        request.mutable_details()->set_outcome(absl::StrJoin(o->text, " "));
        v1::CommandResult result;
        auto stub = EscalationStub(s);
        return s.output.Report(
            Send(s, *stub, &Stub::Resolve, request, &result), result, [&] {
              return absl::StrCat("Escalation ", o->escalation, " resolved.",
                                  RetryNote(result));
            });
      });
  cmd->add_option("ESCALATION", o->escalation, "The escalation id")->required();
  cmd->add_option("OUTCOME", o->text, "How the situation ended")->required();
}

void AddCancel(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<EndOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "cancel", "Cancel an escalation that is no longer needed (final)",
      R"(  vagtctl escalation cancel ESCALATION_ID "She called back, her sister is with her")",
      [o](Session& s) {
        v1::CancelEscalationRequest request;
        request.set_request_id(s.request_id());
        request.set_escalation_id(o->escalation);
        request.mutable_details()->set_reason(absl::StrJoin(o->text, " "));
        v1::CommandResult result;
        auto stub = EscalationStub(s);
        return s.output.Report(
            Send(s, *stub, &Stub::Cancel, request, &result), result, [&] {
              return absl::StrCat("Escalation ", o->escalation, " cancelled.",
                                  RetryNote(result));
            });
      });
  cmd->add_option("ESCALATION", o->escalation, "The escalation id")->required();
  cmd->add_option("REASON", o->text, "Why it is no longer needed")->required();
}

}  // namespace

void AddEscalationCommands(CommandLine& cli) {
  AddRaise(cli);
  CLI::App* group = cli.AddGroup(
      "escalation",
      "Answer or end an escalation: ack, accept, decline, resolve, cancel",
      R"(  vagtctl escalation ack ESCALATION_ID
  vagtctl escalation accept ESCALATION_ID --expected-at 22:40
  vagtctl escalation resolve ESCALATION_ID "Stays at the akuttilbud tonight")");
  AddAcknowledge(cli, group);
  AddAccept(cli, group);
  AddDecline(cli, group);
  AddResolve(cli, group);
  AddCancel(cli, group);
}

}  // namespace vagt::vagtctl
