// EscalationState: an escalation's state folded from its stream
// "escalation-<escalation id>" (the state machine documented in
// proto/vagt/v1/escalations.proto). The decisions of the escalation's
// commands, and the deadline engine's timeout, are escalation_decisions.h.
//
//   EscalationState escalation;
//   for (const v1::EventEnvelope& e : stream) escalation.Apply(e);
//   if (escalation.ack_deadline()) Watch(*escalation.ack_deadline());
#ifndef VAGT_SERVICES_ESCALATIONS_ESCALATION_STATE_H_
#define VAGT_SERVICES_ESCALATIONS_ESCALATION_STATE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "vagt/v1/events.pb.h"

namespace vagt::services {

class EscalationState {
 public:
  enum class Phase {
    kNone,  // no such escalation
    kAwaitingAck,
    kAcknowledged,
    kAccepted,
    kResolved,
    kCancelled,
  };

  void Apply(const v1::EventEnvelope& event);

  Phase phase() const { return phase_; }
  const std::string& escalation_id() const { return escalation_id_; }
  const std::string& citizen_ref() const { return citizen_ref_; }
  // The level and party it is addressed to now (after any climb).
  v1::EscalationLevel level() const { return level_; }
  const v1::Party& target() const { return target_; }
  v1::EscalationUrgency urgency() const { return urgency_; }
  // The line it was raised on, and the policy version it follows.
  const std::string& line_id() const { return line_id_; }
  const std::string& policy_version() const { return policy_version_; }
  // Who raised it (the actor of EscalationRaised).
  const std::string& raised_by() const { return raised_by_; }
  // The acknowledgement deadline running now: set while kAwaitingAck by the
  // raise, the last timeout or the last decline; nullopt in every other
  // phase, or when that event carries none.
  std::optional<absl::Time> ack_deadline() const;
  // The id of the event that set the running deadline (the causation of
  // the timeout that follows it).
  const std::string& deadline_event_id() const { return deadline_event_id_; }
  // The stream version of the last event applied.
  uint64_t version() const { return version_; }
  // Every timeout so far: (from level, to level), in order.
  const std::vector<std::pair<v1::EscalationLevel, v1::EscalationLevel>>&
  timeouts() const {
    return timeouts_;
  }

 private:
  void SetDeadline(const v1::EventEnvelope& event,
                   const google::protobuf::Timestamp& deadline);

  Phase phase_ = Phase::kNone;
  std::string escalation_id_;
  std::string citizen_ref_;
  v1::EscalationLevel level_ = v1::ESCALATION_LEVEL_UNSPECIFIED;
  v1::Party target_;
  v1::EscalationUrgency urgency_ = v1::ESCALATION_URGENCY_UNSPECIFIED;
  std::string line_id_;
  std::string policy_version_;
  std::string raised_by_;
  std::optional<absl::Time> deadline_;
  std::string deadline_event_id_;
  uint64_t version_ = 0;
  std::vector<std::pair<v1::EscalationLevel, v1::EscalationLevel>> timeouts_;
};

// For log and error messages: "AWAITING_ACK", "ACCEPTED", ...
const char* PhaseName(EscalationState::Phase phase);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_ESCALATIONS_ESCALATION_STATE_H_
