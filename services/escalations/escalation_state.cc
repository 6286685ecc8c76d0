#include "services/escalations/escalation_state.h"

#include "eventstore/timestamps.h"

namespace vagt::services {

const char* PhaseName(EscalationState::Phase phase) {
  switch (phase) {
    case EscalationState::Phase::kNone:
      return "NONE";
    case EscalationState::Phase::kAwaitingAck:
      return "AWAITING_ACK";
    case EscalationState::Phase::kAcknowledged:
      return "ACKNOWLEDGED";
    case EscalationState::Phase::kAccepted:
      return "ACCEPTED";
    case EscalationState::Phase::kResolved:
      return "RESOLVED";
    case EscalationState::Phase::kCancelled:
      return "CANCELLED";
  }
  return "UNKNOWN";
}

std::optional<absl::Time> EscalationState::ack_deadline() const {
  if (phase_ != Phase::kAwaitingAck) return std::nullopt;
  return deadline_;
}

void EscalationState::SetDeadline(const v1::EventEnvelope& event,
                                  const google::protobuf::Timestamp& deadline) {
  deadline_.reset();
  if ((deadline.seconds() != 0 || deadline.nanos() != 0) &&
      IsValidTimestamp(deadline)) {
    deadline_ = ToTime(deadline);
  }
  deadline_event_id_ = event.event_id();
}

void EscalationState::Apply(const v1::EventEnvelope& event) {
  const v1::EventPayload& p = event.payload();
  switch (p.event_case()) {
    case v1::EventPayload::kEscalationRaised: {
      const v1::EscalationRaised& e = p.escalation_raised();
      phase_ = Phase::kAwaitingAck;
      escalation_id_ = e.escalation_id();
      citizen_ref_ = e.citizen_ref();
      level_ = e.level();
      target_ = e.target();
      urgency_ = e.urgency();
      line_id_ = e.line_id();
      policy_version_ = e.policy_version();
      raised_by_ = event.actor();
      SetDeadline(event, e.ack_deadline());
      break;
    }
    case v1::EventPayload::kEscalationAcknowledged:
      phase_ = Phase::kAcknowledged;
      break;
    case v1::EventPayload::kEscalationAccepted:
      phase_ = Phase::kAccepted;
      break;
    case v1::EventPayload::kEscalationDeclined:
      phase_ = Phase::kAwaitingAck;
      level_ = p.escalation_declined().to_level();
      target_ = p.escalation_declined().to_target();
      SetDeadline(event, p.escalation_declined().ack_deadline());
      break;
    case v1::EventPayload::kEscalationTimedOut: {
      const v1::EscalationTimedOut& e = p.escalation_timed_out();
      phase_ = Phase::kAwaitingAck;
      timeouts_.emplace_back(e.from_level(), e.to_level());
      level_ = e.to_level();
      target_ = e.to_target();
      SetDeadline(event, e.ack_deadline());
      break;
    }
    case v1::EventPayload::kEscalationResolved:
      phase_ = Phase::kResolved;
      break;
    case v1::EventPayload::kEscalationCancelled:
      phase_ = Phase::kCancelled;
      break;
    default:
      return;
  }
  version_ = event.stream_version();
}

}  // namespace vagt::services
