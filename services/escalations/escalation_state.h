// EscalationState: an escalation's state folded from its stream, and the
// decisions of the escalation's commands (the state machine and policy
// documented in proto/vagt/v1/escalations.proto), including the deadline
// engine's timeout. Pure functions of state, input, policy and the `now`
// they are given: no clock of their own and no I/O beyond the
// CoverageLookup the caller gives (who is on a BACKUP or DUTY level).
//
//   EscalationState escalation;
//   for (const v1::EventEnvelope& e : stream) escalation.Apply(e);
//   Decision d = DecideAccept(escalation, request, "worker:bo", now);
#ifndef VAGT_SERVICES_ESCALATIONS_ESCALATION_STATE_H_
#define VAGT_SERVICES_ESCALATIONS_ESCALATION_STATE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/calls/call_state.h"
#include "services/escalations/coverage.h"
#include "services/escalations/policy.h"
#include "vagt/v1/escalations.pb.h"
#include "vagt/v1/events.pb.h"

namespace vagt::services {

// "escalation-<escalation_id>".
std::string EscalationStreamId(const std::string& escalation_id);

// The acknowledgement deadline of an escalation raised (or declined) to a
// level the request names, when the request gives none.
absl::Duration DefaultAckWithin(v1::EscalationUrgency urgency);

// The actor of the events the deadline engine appends.
inline constexpr char kEscalationEngineActor[] = "system:escalation-engine";

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
  std::optional<absl::Time> deadline_;
  std::string deadline_event_id_;
  uint64_t version_ = 0;
  std::vector<std::pair<v1::EscalationLevel, v1::EscalationLevel>> timeouts_;
};

// For log and error messages: "AWAITING_ACK", "ACCEPTED", ...
const char* PhaseName(EscalationState::Phase phase);

// Decision (the events a command appends, or why it may not) is declared in
// call_state.h.

// `call` is the call named by request.call_id, folded by the caller, and
// `policy` the policy in force on its line (LoadCurrentPolicy). A request
// without level and target starts at the policy's first level in force with
// somebody on it (FAILED_PRECONDITION when none is); a request naming both
// is addressed to them. Either way the event records policy.version.
Decision DecideRaise(const EscalationState& escalation, const CallState& call,
                     const std::string& escalation_id,
                     const v1::RaiseEscalationRequest& request, absl::Time now,
                     const EscalationPolicy& policy,
                     const CoverageLookup& coverage);
// The deadline engine's decision once the acknowledgement deadline has
// passed at `now`: EscalationTimedOut to where `policy` (the version the
// escalation follows, LoadPolicyVersion) sends it, with a new deadline
// `now` + that level's timeout. FAILED_PRECONDITION when the escalation is
// not AWAITING_ACK, has no deadline, or its deadline is still ahead.
Decision DecideTimeout(const EscalationState& escalation,
                       const EscalationPolicy& policy, absl::Time now,
                       const CoverageLookup& coverage);
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
