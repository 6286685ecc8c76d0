// LineState: who holds a line, folded from its stream "line-<line id>" (the
// state machine documented in proto/vagt/v1/lines.proto). The decisions of
// LineService's commands are line_decisions.h.
#ifndef VAGT_SERVICES_LINES_LINE_STATE_H_
#define VAGT_SERVICES_LINES_LINE_STATE_H_

#include <string>

#include "absl/container/flat_hash_set.h"
#include "vagt/v1/events.pb.h"

namespace vagt::services {

class LineState {
 public:
  enum class Phase { kUncovered, kHeld, kHandoverPending, kHeldByNight };

  void Apply(const v1::EventEnvelope& event);

  Phase phase() const { return phase_; }
  // Who is responsible for the line now: a team worker (kHeld,
  // kHandoverPending) or the night partner (kHeldByNight); empty while
  // kUncovered.
  const v1::Party& holder() const { return holder_; }
  // The pending offer; meaningful only in kHandoverPending.
  const std::string& pending_handover_id() const {
    return pending_handover_id_;
  }
  const v1::Party& offered_to() const { return offered_to_; }
  // Whether any handover (offer, pass or take-back) of this line had this id.
  bool KnowsHandover(const std::string& handover_id) const {
    return handover_ids_.contains(handover_id);
  }
  // The latest backup assigned; empty before the first.
  const v1::Party& backup() const { return backup_; }

 private:
  Phase phase_ = Phase::kUncovered;
  v1::Party holder_;
  std::string pending_handover_id_;
  v1::Party offered_to_;
  absl::flat_hash_set<std::string> handover_ids_;
  v1::Party backup_;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_LINES_LINE_STATE_H_
