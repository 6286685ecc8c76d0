#include "services/calls/call_state.h"

namespace vagt::services {

void CallState::Apply(const v1::EventEnvelope& event) {
  const v1::EventPayload& p = event.payload();
  switch (p.event_case()) {
    case v1::EventPayload::kCallReceived:
      phase_ = Phase::kOpen;
      call_id_ = p.call_received().call_id();
      line_id_ = p.call_received().line_id();
      citizen_ref_ = p.call_received().citizen_ref();
      received_by_ = event.actor();
      break;
    case v1::EventPayload::kCallRiskAssessed:
      risk_ = p.call_risk_assessed().level();
      break;
    case v1::EventPayload::kCallClosed:
      phase_ = Phase::kClosed;
      break;
    default:
      break;
  }
}

}  // namespace vagt::services
