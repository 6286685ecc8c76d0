// The decisions of the call's commands (the state machine documented in
// proto/vagt/v1/calls.proto): pure functions of the folded CallState and the
// request, returning the events to append or why not. No I/O, no clock.
#ifndef VAGT_SERVICES_CALLS_CALL_DECISIONS_H_
#define VAGT_SERVICES_CALLS_CALL_DECISIONS_H_

#include <string>

#include "absl/status/statusor.h"
#include "domain/decision.h"
#include "services/calls/call_state.h"
#include "vagt/v1/calls.pb.h"

namespace vagt::services {

Decision DecideReceive(const CallState& call, const std::string& call_id,
                       const v1::ReceiveCallRequest& request,
                       const std::string& actor);
Decision DecideAddNote(const CallState& call,
                       const v1::AddCallNoteRequest& request);
Decision DecideAssessRisk(const CallState& call,
                          const v1::AssessRiskRequest& request);
Decision DecideCrisisPlanConsulted(
    const CallState& call, const v1::RecordCrisisPlanConsultedRequest& request);
Decision DecideClose(const CallState& call,
                     const v1::CloseCallRequest& request);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_CALLS_CALL_DECISIONS_H_
