// The decisions of the escalation's commands (the state machine and policy
// documented in proto/vagt/v1/escalations.proto), including the deadline
// engine's timeout. Pure functions of state, input, policy and the `now`
// they are given: no clock of their own and no I/O beyond the
// CoverageLookup the caller gives (who is on a BACKUP or DUTY level).
//
//   EscalationState escalation;
//   for (const v1::EventEnvelope& e : stream) escalation.Apply(e);
//   Decision d = DecideAccept(escalation, request, "worker:bo");
#ifndef VAGT_SERVICES_ESCALATIONS_ESCALATION_DECISIONS_H_
#define VAGT_SERVICES_ESCALATIONS_ESCALATION_DECISIONS_H_

#include <string>

#include "absl/time/time.h"
#include "domain/decision.h"
#include "services/calls/call_state.h"
#include "services/escalations/coverage.h"
#include "services/escalations/escalation_state.h"
#include "services/escalations/policy.h"
#include "vagt/v1/escalations.pb.h"

namespace vagt::services {

// The acknowledgement deadline of an escalation raised (or declined) to a
// level the request names, when the request gives none.
absl::Duration DefaultAckWithin(v1::EscalationUrgency urgency);

// The actor of the events the deadline engine appends.
inline constexpr char kEscalationEngineActor[] = "system:escalation-engine";

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

#endif  // VAGT_SERVICES_ESCALATIONS_ESCALATION_DECISIONS_H_
