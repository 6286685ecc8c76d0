// The report's calls: what was received, noted, assessed and consulted,
// how each call closed, and the escalations it raised.
#include <string>

#include "services/audit/review_report_builder.h"

namespace vagt::services::internal {

using Case = ReviewCase;

v1::ReviewCall& ReportBuilder::CallOf(const std::string& call_id) {
  auto [it, added] = call_index_.emplace(call_id, report_.calls_size());
  if (added) report_.add_calls()->set_call_id(call_id);
  return *report_.mutable_calls(it->second);
}

void ReportBuilder::AddToCall(const v1::EventEnvelope& e) {
  const v1::EventPayload& p = e.payload();
  switch (p.event_case()) {
    case Case::kCallReceived: {
      const v1::CallReceived& r = p.call_received();
      v1::ReviewCall& call = CallOf(r.call_id());
      call.set_line_id(r.line_id());
      call.set_citizen_ref(r.citizen_ref());
      call.set_caller_kind(r.caller_kind());
      call.set_channel(r.channel());
      *call.mutable_answered_by() = r.answered_by();
      if (r.has_caller_party()) *call.mutable_caller_party() = r.caller_party();
      *call.mutable_details() = r.sensitive();
      *call.mutable_received() = Ref(e);
      break;
    }
    case Case::kCallNoteAdded: {
      v1::ReviewCallNote& note =
          *CallOf(p.call_note_added().call_id()).add_notes();
      *note.mutable_event() = Ref(e);
      note.set_text(p.call_note_added().sensitive().text());
      break;
    }
    case Case::kCallRiskAssessed: {
      const v1::CallRiskAssessed& r = p.call_risk_assessed();
      v1::ReviewRiskAssessment& risk =
          *CallOf(r.call_id()).add_risk_assessments();
      *risk.mutable_event() = Ref(e);
      risk.set_level(r.level());
      risk.set_reason(r.sensitive().reason());
      break;
    }
    case Case::kCallCrisisPlanConsulted: {
      const v1::CallCrisisPlanConsulted& r = p.call_crisis_plan_consulted();
      v1::ReviewCrisisPlanConsultation& c =
          *CallOf(r.call_id()).add_crisis_plan_consultations();
      *c.mutable_event() = Ref(e);
      c.set_result(r.result());
      c.set_crisis_plan_revision(r.crisis_plan_revision());
      c.set_note(r.sensitive().note());
      break;
    }
    case Case::kCallClosed: {
      const v1::CallClosed& r = p.call_closed();
      v1::ReviewCall& call = CallOf(r.call_id());
      v1::ReviewCallClose& close = *call.mutable_close();
      *close.mutable_event() = Ref(e);
      close.set_outcome(r.outcome());
      if (r.has_follow_up()) *close.mutable_follow_up() = r.follow_up();
      close.set_summary(r.sensitive().summary());
      close.set_follow_up_task(r.sensitive().follow_up_task());
      for (const std::string& id : r.escalation_ids()) {
        call.add_escalation_ids(id);
      }
      break;
    }
    default:
      break;
  }
}

void ReportBuilder::ListEscalationsUnderCalls() {
  for (const v1::ReviewEscalation& x : report_.escalations()) {
    auto call = call_index_.find(x.call_id());
    if (call == call_index_.end()) continue;
    v1::ReviewCall& c = *report_.mutable_calls(call->second);
    bool listed = false;
    for (const std::string& id : c.escalation_ids()) {
      listed = listed || id == x.escalation_id();
    }
    if (!listed) c.add_escalation_ids(x.escalation_id());
  }
}

}  // namespace vagt::services::internal
