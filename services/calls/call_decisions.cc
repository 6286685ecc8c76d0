#include "services/calls/call_decisions.h"

#include "absl/strings/str_cat.h"
#include "domain/field_checks.h"
#include "domain/streams.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"
#include "eventstore/validation.h"

namespace vagt::services {
namespace {

// More escalations than this from one call is a client error, not a night.
constexpr int kMaxEscalationsPerCall = 50;

absl::Status RequireOpen(const CallState& call, absl::string_view command) {
  switch (call.phase()) {
    case CallState::Phase::kNone:
      return absl::NotFoundError("call_id: no such call");
    case CallState::Phase::kClosed:
      return absl::FailedPreconditionError(
          absl::StrCat("the call is closed; ", command,
                       " is allowed only while it is open"));
    case CallState::Phase::kOpen:
      break;
  }
  return absl::OkStatus();
}

}  // namespace

Decision DecideReceive(const CallState& call, const std::string& call_id,
                       const v1::ReceiveCallRequest& request,
                       const std::string& actor) {
  if (call.phase() != CallState::Phase::kNone) {
    return absl::AlreadyExistsError("call_id: the call is already logged");
  }
  if (request.line_id().empty()) {
    return absl::InvalidArgumentError("line_id: required");
  }
  RETURN_IF_ERROR(
      eventstore::ValidateStreamId(LineStreamId(request.line_id()), "line_id"));
  if (!request.citizen_ref().empty()) {
    RETURN_IF_ERROR(ValidateCitizenRef(request.citizen_ref()));
  }
  if (request.caller_kind() == v1::CALLER_KIND_UNSPECIFIED ||
      !v1::CallerKind_IsValid(request.caller_kind())) {
    return absl::InvalidArgumentError(
        "caller_kind: required (citizen, relative, partner, anonymous, other)");
  }
  if (request.channel() == v1::CONTACT_CHANNEL_UNSPECIFIED ||
      !v1::ContactChannel_IsValid(request.channel())) {
    return absl::InvalidArgumentError("channel: required (phone, sms, ...)");
  }
  if (request.caller_kind() == v1::CALLER_KIND_ANONYMOUS &&
      !request.citizen_ref().empty()) {
    return absl::InvalidArgumentError(
        "citizen_ref: must be empty for an anonymous caller");
  }
  const v1::CallReceivedSensitive& details = request.details();
  RETURN_IF_ERROR(CheckText(details.reason(), "details.reason", false));
  RETURN_IF_ERROR(
      CheckText(details.caller_name(), "details.caller_name", false));
  RETURN_IF_ERROR(
      CheckText(details.caller_phone(), "details.caller_phone", false));
  RETURN_IF_ERROR(
      CheckText(details.caller_relation(), "details.caller_relation", false));
  v1::EventPayload payload;
  v1::CallReceived* e = payload.mutable_call_received();
  e->set_call_id(call_id);
  e->set_line_id(request.line_id());
  e->set_citizen_ref(request.citizen_ref());
  e->set_caller_kind(request.caller_kind());
  e->set_channel(request.channel());
  e->mutable_answered_by()->set_kind(v1::PARTY_KIND_TEAM_WORKER);
  e->mutable_answered_by()->set_id(actor);
  if (request.has_caller_party())
    *e->mutable_caller_party() = request.caller_party();
  *e->mutable_sensitive() = request.details();
  return One(std::move(payload));
}

Decision DecideAddNote(const CallState& call,
                       const v1::AddCallNoteRequest& request) {
  if (call.phase() == CallState::Phase::kNone) {
    return absl::NotFoundError("call_id: no such call");
  }
  if (absl::Status s = CheckText(request.text(), "text", /*required=*/true);
      !s.ok()) {
    return s;
  }
  v1::EventPayload payload;
  v1::CallNoteAdded* e = payload.mutable_call_note_added();
  e->set_call_id(request.call_id());
  e->set_citizen_ref(call.citizen_ref());
  e->mutable_sensitive()->set_text(request.text());
  return One(std::move(payload));
}

Decision DecideAssessRisk(const CallState& call,
                          const v1::AssessRiskRequest& request) {
  if (absl::Status s = RequireOpen(call, "assessing risk"); !s.ok()) return s;
  if (request.level() == v1::RISK_LEVEL_UNSPECIFIED ||
      !v1::RiskLevel_IsValid(request.level())) {
    return absl::InvalidArgumentError(
        "level: required (none, low, moderate, high, acute)");
  }
  if (absl::Status s = CheckText(request.reason(), "reason", /*required=*/true);
      !s.ok()) {
    return s;
  }
  v1::EventPayload payload;
  v1::CallRiskAssessed* e = payload.mutable_call_risk_assessed();
  e->set_call_id(request.call_id());
  e->set_citizen_ref(call.citizen_ref());
  e->set_level(request.level());
  e->mutable_sensitive()->set_reason(request.reason());
  return One(std::move(payload));
}

Decision DecideCrisisPlanConsulted(
    const CallState& call,
    const v1::RecordCrisisPlanConsultedRequest& request) {
  if (absl::Status s = RequireOpen(call, "consulting the crisis plan");
      !s.ok()) {
    return s;
  }
  if (call.citizen_ref().empty()) {
    return absl::FailedPreconditionError(
        "the call has no citizen_ref; a crisis plan belongs to a known "
        "citizen");
  }
  if (request.result() == v1::CRISIS_PLAN_LOOKUP_RESULT_UNSPECIFIED ||
      !v1::CrisisPlanLookupResult_IsValid(request.result())) {
    return absl::InvalidArgumentError(
        "result: required (consulted, no_plan, not_permitted)");
  }
  RETURN_IF_ERROR(CheckText(request.note(), "note", /*required=*/false));
  RETURN_IF_ERROR(CheckId(request.crisis_plan_event_id(),
                          "crisis_plan_event_id", /*required=*/false));
  v1::EventPayload payload;
  v1::CallCrisisPlanConsulted* e = payload.mutable_call_crisis_plan_consulted();
  e->set_call_id(request.call_id());
  e->set_citizen_ref(call.citizen_ref());
  e->set_result(request.result());
  e->set_crisis_plan_revision(request.crisis_plan_revision());
  e->set_crisis_plan_event_id(request.crisis_plan_event_id());
  e->mutable_sensitive()->set_note(request.note());
  return One(std::move(payload));
}

Decision DecideClose(const CallState& call,
                     const v1::CloseCallRequest& request) {
  if (absl::Status s = RequireOpen(call, "closing"); !s.ok()) return s;
  if (request.outcome() == v1::CALL_OUTCOME_UNSPECIFIED ||
      !v1::CallOutcome_IsValid(request.outcome())) {
    return absl::InvalidArgumentError("outcome: required");
  }
  const v1::FollowUp& follow_up = request.follow_up();
  if (follow_up.needed() &&
      (follow_up.owner().id().empty() || !follow_up.has_due_at())) {
    return absl::InvalidArgumentError(
        "follow_up: when needed, owner.id and due_at are required");
  }
  if (!follow_up.needed() &&
      (follow_up.has_owner() || follow_up.has_due_at())) {
    return absl::InvalidArgumentError(
        "follow_up: owner and due_at are set only when follow-up is needed");
  }
  if (follow_up.has_due_at() && !IsValidTimestamp(follow_up.due_at())) {
    return absl::InvalidArgumentError("follow_up.due_at: not a valid time");
  }
  if (follow_up.has_owner()) {
    RETURN_IF_ERROR(CheckParty(follow_up.owner(), "follow_up.owner"));
  }
  if (request.escalation_ids_size() > kMaxEscalationsPerCall) {
    return absl::InvalidArgumentError(
        absl::StrCat("escalation_ids: at most ", kMaxEscalationsPerCall));
  }
  for (int i = 0; i < request.escalation_ids_size(); ++i) {
    RETURN_IF_ERROR(CheckId(request.escalation_ids(i),
                            absl::StrCat("escalation_ids[", i, "]"),
                            /*required=*/true));
  }
  RETURN_IF_ERROR(CheckText(request.details().follow_up_task(),
                            "details.follow_up_task", /*required=*/false));
  if (absl::Status s = CheckText(request.details().summary(), "details.summary",
                                 /*required=*/false);
      !s.ok()) {
    return s;
  }
  v1::EventPayload payload;
  v1::CallClosed* e = payload.mutable_call_closed();
  e->set_call_id(request.call_id());
  e->set_citizen_ref(call.citizen_ref());
  e->set_outcome(request.outcome());
  *e->mutable_follow_up() = follow_up;
  *e->mutable_escalation_ids() = request.escalation_ids();
  *e->mutable_sensitive() = request.details();
  return One(std::move(payload));
}

}  // namespace vagt::services
