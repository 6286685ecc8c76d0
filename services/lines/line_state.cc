#include "services/lines/line_state.h"

namespace vagt::services {

void LineState::Apply(const v1::EventEnvelope& event) {
  const v1::EventPayload& p = event.payload();
  switch (p.event_case()) {
    case v1::EventPayload::kLineCoverageTaken:
      phase_ = Phase::kHeld;
      holder_ = p.line_coverage_taken().holder();
      break;
    case v1::EventPayload::kLineHandoverOffered:
      phase_ = Phase::kHandoverPending;
      pending_handover_id_ = p.line_handover_offered().handover_id();
      offered_to_ = p.line_handover_offered().offered_to();
      handover_ids_.insert(pending_handover_id_);
      break;
    case v1::EventPayload::kLineHandoverAccepted:
      holder_ = p.line_handover_accepted().accepted_by();
      phase_ = holder_.kind() == v1::PARTY_KIND_TEAM_WORKER
                   ? Phase::kHeld
                   : Phase::kHeldByNight;
      break;
    case v1::EventPayload::kLineHandoverDeclined:
    case v1::EventPayload::kLineHandoverWithdrawn:
      phase_ = Phase::kHeld;
      break;
    case v1::EventPayload::kLineCoveragePassedToNightPartner:
      phase_ = Phase::kHeldByNight;
      holder_ = p.line_coverage_passed_to_night_partner().night_partner();
      handover_ids_.insert(
          p.line_coverage_passed_to_night_partner().handover_id());
      break;
    case v1::EventPayload::kLineCoverageTakenBack:
      phase_ = Phase::kHeld;
      holder_ = p.line_coverage_taken_back().holder();
      handover_ids_.insert(p.line_coverage_taken_back().handover_id());
      break;
    case v1::EventPayload::kLineBackupAssigned:
      backup_ = p.line_backup_assigned().backup();
      break;
    default:
      break;
  }
  if (phase_ != Phase::kHandoverPending) {
    pending_handover_id_.clear();
    offered_to_.Clear();
  }
}

}  // namespace vagt::services
