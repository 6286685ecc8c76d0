// CallState: a call's state folded from its stream "call-<call id>" (the
// state machine documented in proto/vagt/v1/calls.proto). The decisions of
// the call's commands are call_decisions.h.
#ifndef VAGT_SERVICES_CALLS_CALL_STATE_H_
#define VAGT_SERVICES_CALLS_CALL_STATE_H_

#include <string>

#include "vagt/v1/calls.pb.h"
#include "vagt/v1/events.pb.h"

namespace vagt::services {

class CallState {
 public:
  enum class Phase { kNone, kOpen, kClosed };

  void Apply(const v1::EventEnvelope& event);

  Phase phase() const { return phase_; }
  const std::string& line_id() const { return line_id_; }
  const std::string& citizen_ref() const { return citizen_ref_; }
  v1::RiskLevel risk() const { return risk_; }
  // Who logged the call (the actor of CallReceived).
  const std::string& received_by() const { return received_by_; }

 private:
  Phase phase_ = Phase::kNone;
  std::string call_id_;
  std::string line_id_;
  std::string citizen_ref_;
  std::string received_by_;
  v1::RiskLevel risk_ = v1::RISK_LEVEL_UNSPECIFIED;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_CALLS_CALL_STATE_H_
