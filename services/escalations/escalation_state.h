// EscalationState: an escalation's state folded from its stream, and the
// decisions of the escalation's commands (the state machine and policy
// documented in proto/vagt/v1/escalations.proto). Pure functions of state,
// input and the `now` they are given: no I/O, no clock of their own.
//
//   EscalationState escalation;
//   for (const v1::EventEnvelope& e : stream) escalation.Apply(e);
//   Decision d = DecideAccept(escalation, request, "worker:bo", now);
#ifndef VAGT_SERVICES_ESCALATIONS_ESCALATION_STATE_H_
#define VAGT_SERVICES_ESCALATIONS_ESCALATION_STATE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/calls/call_state.h"
#include "vagt/v1/escalations.pb.h"
#include "vagt/v1/events.pb.h"

namespace vagt::services {

// "escalation-<escalation_id>".
std::string EscalationStreamId(const std::string& escalation_id);

// The policy version this build applies (EscalationRaised.policy_version).
inline constexpr char kEscalationPolicyVersion[] = "vagt-escalation-policy-1";

// The policy's acknowledgement deadline when a request gives none.
absl::Duration DefaultAckWithin(v1::EscalationUrgency urgency);

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

 private:
  Phase phase_ = Phase::kNone;
  std::string escalation_id_;
  std::string citizen_ref_;
  v1::EscalationLevel level_ = v1::ESCALATION_LEVEL_UNSPECIFIED;
  v1::Party target_;
  v1::EscalationUrgency urgency_ = v1::ESCALATION_URGENCY_UNSPECIFIED;
};

// For log and error messages: "AWAITING_ACK", "ACCEPTED", ...
const char* PhaseName(EscalationState::Phase phase);

// Decision (the events a command appends, or why it may not) is declared in
// call_state.h.

// `call` is the call named by request.call_id, folded by the caller.
Decision DecideRaise(const EscalationState& escalation, const CallState& call,
                     const std::string& escalation_id,
                     const v1::RaiseEscalationRequest& request, absl::Time now);
// `actor` answers, or records the answer of request.on_behalf_of (then
// `actor` must be a team worker, "worker:<id>").
Decision DecideAcknowledge(const EscalationState& escalation,
                           const v1::AcknowledgeEscalationRequest& request,
                           const std::string& actor);
Decision DecideAccept(const EscalationState& escalation,
                      const v1::AcceptEscalationRequest& request,
                      const std::string& actor);
Decision DecideDecline(const EscalationState& escalation,
                       const v1::DeclineEscalationRequest& request,
                       const std::string& actor, absl::Time now);
Decision DecideResolve(const EscalationState& escalation,
                       const v1::ResolveEscalationRequest& request,
                       const std::string& actor);
// `actor` may be anyone but the current target (who declines instead).
Decision DecideCancel(const EscalationState& escalation,
                      const v1::CancelEscalationRequest& request,
                      const std::string& actor);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_ESCALATIONS_ESCALATION_STATE_H_
