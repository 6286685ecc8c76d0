// CallState: a call's state folded from its stream, and the decisions of the
// call's commands (the state machine documented in proto/vagt/v1/calls.proto).
// Pure functions of state and input: no I/O, no clock.
#ifndef VAGT_SERVICES_CALLS_CALL_STATE_H_
#define VAGT_SERVICES_CALLS_CALL_STATE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "vagt/v1/calls.pb.h"
#include "vagt/v1/events.pb.h"

namespace vagt::services {

// "call-<call_id>".
std::string CallStreamId(const std::string& call_id);

// CallStreamId of a call id from a request: INVALID_ARGUMENT naming call_id
// when it is empty or cannot name a stream.
absl::StatusOr<std::string> CallStreamOf(const std::string& call_id);

class CallState {
 public:
  enum class Phase { kNone, kOpen, kClosed };

  void Apply(const v1::EventEnvelope& event);

  Phase phase() const { return phase_; }
  const std::string& line_id() const { return line_id_; }
  const std::string& citizen_ref() const { return citizen_ref_; }
  v1::RiskLevel risk() const { return risk_; }

 private:
  Phase phase_ = Phase::kNone;
  std::string call_id_;
  std::string line_id_;
  std::string citizen_ref_;
  v1::RiskLevel risk_ = v1::RISK_LEVEL_UNSPECIFIED;
};

using Decision = absl::StatusOr<std::vector<v1::EventPayload>>;

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

#endif  // VAGT_SERVICES_CALLS_CALL_STATE_H_
