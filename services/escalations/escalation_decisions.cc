#include "services/escalations/escalation_decisions.h"

#include <initializer_list>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "domain/field_checks.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"

namespace vagt::services {
namespace {

// An acknowledgement deadline further away than this would let an
// escalation stall.
constexpr absl::Duration kMaxAckWithin = absl::Hours(24);

// The deadline `spec` asks for, or now + `default_within`. `field` names
// `spec` in errors.
absl::StatusOr<absl::Time> AckDeadlineOf(const v1::AckDeadline& spec,
                                         absl::Duration default_within,
                                         absl::Time now,
                                         absl::string_view field) {
  switch (spec.deadline_case()) {
    case v1::AckDeadline::kAt: {
      const std::string at_field = absl::StrCat(field, ".at");
      if (!IsValidTimestamp(spec.at())) {
        return absl::InvalidArgumentError(
            absl::StrCat(at_field, ": not a valid timestamp"));
      }
      const absl::Time at = ToTime(spec.at());
      if (at <= now || at - now > kMaxAckWithin) {
        return absl::InvalidArgumentError(absl::StrCat(
            at_field, ": must be after now and at most 24 hours away"));
      }
      return at;
    }
    case v1::AckDeadline::kWithin: {
      const absl::Duration within = absl::Seconds(spec.within().seconds()) +
                                    absl::Nanoseconds(spec.within().nanos());
      if (within <= absl::ZeroDuration() || within > kMaxAckWithin) {
        return absl::InvalidArgumentError(absl::StrCat(
            field, ".within: must be positive and at most 24 hours"));
      }
      return now + within;
    }
    case v1::AckDeadline::DEADLINE_NOT_SET:
      break;
  }
  return now + default_within;
}

// Whether the request leaves the target to the policy: no level, no target.
bool FollowsPolicy(const v1::RaiseEscalationRequest& request) {
  return request.level() == v1::ESCALATION_LEVEL_UNSPECIFIED &&
         request.target().id().empty() &&
         request.target().kind() == v1::PARTY_KIND_UNSPECIFIED &&
         request.target().display_name().empty();
}

absl::Status CheckLevel(v1::EscalationLevel level, absl::string_view field) {
  if (level == v1::ESCALATION_LEVEL_UNSPECIFIED ||
      !v1::EscalationLevel_IsValid(level)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field,
        ": required (backup, night_partner, social_emergency_service, "
        "psychiatric_emergency, police)"));
  }
  return absl::OkStatus();
}

// The target at `level` as the event records it: `party` with its kind
// filled in from the level when unspecified. `field` names `party`.
absl::StatusOr<v1::Party> TargetAt(v1::EscalationLevel level,
                                   const v1::Party& party,
                                   absl::string_view field) {
  const v1::PartyKind kind = PartyKindForLevel(level);
  if (party.kind() != v1::PARTY_KIND_UNSPECIFIED && party.kind() != kind) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ".kind: must be ", v1::PartyKind_Name(kind),
        " (or unspecified) at level ", v1::EscalationLevel_Name(level)));
  }
  v1::Party target = party;
  target.set_kind(kind);
  // The shared party rule, on the kind the level gives: a BACKUP target is a
  // "worker:", every other level's a "partner:".
  RETURN_IF_ERROR(CheckParty(target, field));
  return target;
}

// NOT_FOUND or FAILED_PRECONDITION unless the escalation is in one of
// `allowed`.
absl::Status RequirePhase(const EscalationState& escalation,
                          std::initializer_list<EscalationState::Phase> allowed,
                          absl::string_view command) {
  if (escalation.phase() == EscalationState::Phase::kNone) {
    return absl::NotFoundError("escalation_id: no such escalation");
  }
  std::string names;
  for (EscalationState::Phase phase : allowed) {
    if (phase == escalation.phase()) return absl::OkStatus();
    absl::StrAppend(&names, names.empty() ? "" : ", ", PhaseName(phase));
  }
  return absl::FailedPreconditionError(
      absl::StrCat("the escalation is ", PhaseName(escalation.phase()), "; ",
                   command, " is allowed only in ", names));
}

// The answering party (the actor, or the one it records for), checked to be
// the current target answering for the current level. On success the current
// target, as the answer's event names it.
absl::StatusOr<v1::Party> AnsweringTarget(const EscalationState& escalation,
                                          v1::EscalationLevel level,
                                          const std::string& on_behalf_of,
                                          const std::string& actor) {
  if (!v1::EscalationLevel_IsValid(level)) {
    return absl::InvalidArgumentError("level: not a known escalation level");
  }
  if (level != v1::ESCALATION_LEVEL_UNSPECIFIED &&
      level != escalation.level()) {
    return absl::FailedPreconditionError(
        absl::StrCat("level: the escalation is no longer at ",
                     v1::EscalationLevel_Name(level), "; it is now at ",
                     v1::EscalationLevel_Name(escalation.level())));
  }
  // Only a team worker records an answer given outside the system (the duty
  // worker noting what the police said on the phone); a partner answers for
  // itself.
  if (!on_behalf_of.empty() && !IsWorkerId(actor)) {
    return absl::FailedPreconditionError(
        "on_behalf_of: only a team worker (a caller \"worker:<id>\") may "
        "record an answer on another party's behalf");
  }
  const std::string& answering = on_behalf_of.empty() ? actor : on_behalf_of;
  if (answering != escalation.target().id()) {
    return absl::FailedPreconditionError(
        absl::StrCat(on_behalf_of.empty() ? "the caller" : "on_behalf_of",
                     ": only the escalation's current target can answer it"));
  }
  return escalation.target();
}

}  // namespace

absl::Duration DefaultAckWithin(v1::EscalationUrgency urgency) {
  switch (urgency) {
    case v1::ESCALATION_URGENCY_IMMEDIATE:
      return absl::Minutes(5);
    case v1::ESCALATION_URGENCY_URGENT:
      return absl::Minutes(15);
    default:
      return absl::Minutes(60);
  }
}

Decision DecideRaise(const EscalationState& escalation, const CallState& call,
                     const std::string& escalation_id,
                     const v1::RaiseEscalationRequest& request, absl::Time now,
                     const EscalationPolicy& policy,
                     const CoverageLookup& coverage) {
  if (escalation.phase() != EscalationState::Phase::kNone) {
    return absl::AlreadyExistsError(
        "escalation_id: the escalation is already raised");
  }
  const bool follows_policy = FollowsPolicy(request);
  v1::Party target;
  if (!follows_policy) {
    if (request.level() == v1::ESCALATION_LEVEL_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          "level: required with a target (or give neither level nor target "
          "to follow the line's escalation policy)");
    }
    RETURN_IF_ERROR(CheckLevel(request.level(), "level"));
    ASSIGN_OR_RETURN(target,
                     TargetAt(request.level(), request.target(), "target"));
  }
  if (request.urgency() == v1::ESCALATION_URGENCY_UNSPECIFIED ||
      !v1::EscalationUrgency_IsValid(request.urgency())) {
    return absl::InvalidArgumentError(
        "urgency: required (routine, urgent, immediate)");
  }
  if (!v1::ContactChannel_IsValid(request.contact_channel())) {
    return absl::InvalidArgumentError(
        "contact_channel: not a known contact channel");
  }
  RETURN_IF_ERROR(CheckText(request.details().reason(), "details.reason",
                            /*required=*/true));
  RETURN_IF_ERROR(CheckText(request.details().citizen_location(),
                            "details.citizen_location", /*required=*/false));
  RETURN_IF_ERROR(CheckText(request.details().contact_instructions(),
                            "details.contact_instructions",
                            /*required=*/false));
  // Checked before the policy is asked, with the longest default, so that a
  // bad deadline is INVALID_ARGUMENT whatever the ladder says.
  RETURN_IF_ERROR(AckDeadlineOf(request.ack_deadline(),
                                DefaultAckWithin(request.urgency()), now,
                                "ack_deadline")
                      .status());
  switch (call.phase()) {
    case CallState::Phase::kNone:
      return absl::NotFoundError("call_id: no such call");
    case CallState::Phase::kClosed:
      return absl::FailedPreconditionError(
          "call_id: the call is closed; escalations are raised only from an "
          "open call");
    case CallState::Phase::kOpen:
      break;
  }
  v1::EscalationLevel level = request.level();
  absl::Duration default_within = DefaultAckWithin(request.urgency());
  if (follows_policy) {
    ASSIGN_OR_RETURN(
        std::optional<LadderStep> first,
        FirstApplicableLevel(policy, call.line_id(), -1, now, coverage));
    if (!first.has_value()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "no level of the line's escalation policy ", policy.version,
          " is in force with somebody on it now; name a level and a target"));
    }
    level = first->level;
    target = std::move(first->target);
    default_within = first->ack_within;
  }
  ASSIGN_OR_RETURN(absl::Time deadline,
                   AckDeadlineOf(request.ack_deadline(), default_within, now,
                                 "ack_deadline"));
  v1::EventPayload payload;
  v1::EscalationRaised* e = payload.mutable_escalation_raised();
  e->set_escalation_id(escalation_id);
  e->set_call_id(request.call_id());
  e->set_line_id(call.line_id());
  e->set_citizen_ref(call.citizen_ref());
  e->set_level(level);
  *e->mutable_target() = std::move(target);
  e->set_urgency(request.urgency());
  *e->mutable_ack_deadline() = ToTimestamp(deadline);
  e->set_policy_version(policy.version);
  e->set_contact_channel(request.contact_channel());
  *e->mutable_sensitive() = request.details();
  return One(std::move(payload));
}

Decision DecideTimeout(const EscalationState& escalation,
                       const EscalationPolicy& policy, absl::Time now,
                       const CoverageLookup& coverage) {
  RETURN_IF_ERROR(RequirePhase(
      escalation, {EscalationState::Phase::kAwaitingAck}, "timing out"));
  const std::optional<absl::Time> deadline = escalation.ack_deadline();
  if (!deadline.has_value()) {
    return absl::FailedPreconditionError(
        "the escalation has no acknowledgement deadline to time out");
  }
  if (*deadline > now) {
    return absl::FailedPreconditionError(
        "the acknowledgement deadline has not passed yet");
  }
  ASSIGN_OR_RETURN(
      LadderStep next,
      NextLevelAfterTimeout(
          policy, escalation.line_id(),
          PositionOf(policy, escalation.level(), escalation.timeouts()),
          escalation.level(), escalation.target(), now, coverage));
  v1::EventPayload payload;
  v1::EscalationTimedOut* e = payload.mutable_escalation_timed_out();
  e->set_escalation_id(escalation.escalation_id());
  e->set_citizen_ref(escalation.citizen_ref());
  e->set_from_level(escalation.level());
  *e->mutable_from_target() = escalation.target();
  *e->mutable_missed_deadline() = ToTimestamp(*deadline);
  e->set_to_level(next.level);
  *e->mutable_to_target() = std::move(next.target);
  *e->mutable_ack_deadline() = ToTimestamp(now + next.ack_within);
  e->set_policy_version(policy.version);
  return One(std::move(payload));
}

Decision DecideAcknowledge(const EscalationState& escalation,
                           const v1::AcknowledgeEscalationRequest& request,
                           const std::string& actor) {
  RETURN_IF_ERROR(RequirePhase(
      escalation, {EscalationState::Phase::kAwaitingAck}, "acknowledging"));
  ASSIGN_OR_RETURN(v1::Party by,
                   AnsweringTarget(escalation, request.level(),
                                   request.on_behalf_of(), actor));
  v1::EventPayload payload;
  v1::EscalationAcknowledged* e = payload.mutable_escalation_acknowledged();
  e->set_escalation_id(escalation.escalation_id());
  e->set_citizen_ref(escalation.citizen_ref());
  e->set_level(escalation.level());
  *e->mutable_acknowledged_by() = std::move(by);
  return One(std::move(payload));
}

Decision DecideAccept(const EscalationState& escalation,
                      const v1::AcceptEscalationRequest& request,
                      const std::string& actor) {
  RETURN_IF_ERROR(RequirePhase(escalation,
                               {EscalationState::Phase::kAwaitingAck,
                                EscalationState::Phase::kAcknowledged},
                               "accepting"));
  if (request.has_expected_contact_at() &&
      !IsValidTimestamp(request.expected_contact_at())) {
    return absl::InvalidArgumentError(
        "expected_contact_at: not a valid timestamp");
  }
  RETURN_IF_ERROR(CheckText(request.details().note(), "details.note",
                            /*required=*/false));
  ASSIGN_OR_RETURN(v1::Party by,
                   AnsweringTarget(escalation, request.level(),
                                   request.on_behalf_of(), actor));
  v1::EventPayload payload;
  v1::EscalationAccepted* e = payload.mutable_escalation_accepted();
  e->set_escalation_id(escalation.escalation_id());
  e->set_citizen_ref(escalation.citizen_ref());
  e->set_level(escalation.level());
  *e->mutable_accepted_by() = std::move(by);
  if (request.has_expected_contact_at()) {
    *e->mutable_expected_contact_at() = request.expected_contact_at();
  }
  *e->mutable_sensitive() = request.details();
  return One(std::move(payload));
}

Decision DecideDecline(const EscalationState& escalation,
                       const v1::DeclineEscalationRequest& request,
                       const std::string& actor, absl::Time now) {
  RETURN_IF_ERROR(RequirePhase(escalation,
                               {EscalationState::Phase::kAwaitingAck,
                                EscalationState::Phase::kAcknowledged},
                               "declining"));
  if (request.reason() == v1::ESCALATION_DECLINE_REASON_UNSPECIFIED ||
      !v1::EscalationDeclineReason_IsValid(request.reason())) {
    return absl::InvalidArgumentError(
        "reason: required (no_capacity, outside_mandate, needs_higher_level, "
        "other)");
  }
  RETURN_IF_ERROR(CheckLevel(request.next_level(), "next_level"));
  // A decline climbs, so the escalation never stalls on the ladder: a higher
  // level, or the same level only at the top (another police party).
  if (request.next_level() < escalation.level() ||
      (request.next_level() == escalation.level() &&
       escalation.level() != v1::ESCALATION_LEVEL_POLICE)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "next_level: must be above ",
        v1::EscalationLevel_Name(escalation.level()),
        " (a decline climbs; the same level only at POLICE, the top)"));
  }
  ASSIGN_OR_RETURN(
      v1::Party next,
      TargetAt(request.next_level(), request.next_target(), "next_target"));
  if (next.id() == escalation.target().id()) {
    return absl::InvalidArgumentError(
        "next_target.id: must be another party than the one declining");
  }
  RETURN_IF_ERROR(CheckText(request.details().reason(), "details.reason",
                            /*required=*/false));
  ASSIGN_OR_RETURN(absl::Time deadline,
                   AckDeadlineOf(request.next_ack_deadline(),
                                 DefaultAckWithin(escalation.urgency()), now,
                                 "next_ack_deadline"));
  ASSIGN_OR_RETURN(v1::Party by,
                   AnsweringTarget(escalation, request.level(),
                                   request.on_behalf_of(), actor));
  v1::EventPayload payload;
  v1::EscalationDeclined* e = payload.mutable_escalation_declined();
  e->set_escalation_id(escalation.escalation_id());
  e->set_citizen_ref(escalation.citizen_ref());
  e->set_from_level(escalation.level());
  *e->mutable_declined_by() = std::move(by);
  e->set_reason(request.reason());
  e->set_to_level(request.next_level());
  *e->mutable_to_target() = std::move(next);
  *e->mutable_ack_deadline() = ToTimestamp(deadline);
  *e->mutable_sensitive() = request.details();
  return One(std::move(payload));
}

Decision DecideResolve(const EscalationState& escalation,
                       const v1::ResolveEscalationRequest& request,
                       const std::string& actor) {
  RETURN_IF_ERROR(RequirePhase(escalation,
                               {EscalationState::Phase::kAcknowledged,
                                EscalationState::Phase::kAccepted},
                               "resolving"));
  RETURN_IF_ERROR(CheckText(request.details().outcome(), "details.outcome",
                            /*required=*/true));
  v1::Party by = escalation.target();
  if (actor != by.id()) {
    by.Clear();
    by.set_kind(absl::StartsWith(actor, "worker:")
                    ? v1::PARTY_KIND_TEAM_WORKER
                    : v1::PARTY_KIND_OTHER_PARTNER);
    by.set_id(actor);
  }
  v1::EventPayload payload;
  v1::EscalationResolved* e = payload.mutable_escalation_resolved();
  e->set_escalation_id(escalation.escalation_id());
  e->set_citizen_ref(escalation.citizen_ref());
  e->set_level(escalation.level());
  *e->mutable_resolved_by() = std::move(by);
  *e->mutable_sensitive() = request.details();
  return One(std::move(payload));
}

Decision DecideCancel(const EscalationState& escalation,
                      const v1::CancelEscalationRequest& request,
                      const std::string& actor) {
  RETURN_IF_ERROR(RequirePhase(escalation,
                               {EscalationState::Phase::kAwaitingAck,
                                EscalationState::Phase::kAcknowledged,
                                EscalationState::Phase::kAccepted},
                               "cancelling"));
  // The target would otherwise end the escalation without it climbing: it
  // declines (naming who is next) or, once accepted, resolves.
  if (actor == escalation.target().id()) {
    return absl::FailedPreconditionError(
        "the caller: the escalation's current target may not cancel it "
        "(decline it, so it climbs, or resolve it)");
  }
  RETURN_IF_ERROR(CheckText(request.details().reason(), "details.reason",
                            /*required=*/true));
  v1::EventPayload payload;
  v1::EscalationCancelled* e = payload.mutable_escalation_cancelled();
  e->set_escalation_id(escalation.escalation_id());
  e->set_citizen_ref(escalation.citizen_ref());
  e->set_level(escalation.level());
  *e->mutable_sensitive() = request.details();
  return One(std::move(payload));
}

}  // namespace vagt::services
