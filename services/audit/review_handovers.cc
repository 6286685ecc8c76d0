// The report's handovers: which items of a handover are about the report
// (the rest are only counted), and how each offered handover was answered.
#include <utility>

#include "services/audit/review_report_builder.h"

namespace vagt::services::internal {

bool ReportBuilder::AboutReport(const v1::HandoverItem& item) const {
  return call_ids_.contains(item.call_id()) ||
         escalation_ids_.contains(item.escalation_id()) ||
         (!item.citizen_ref().empty() &&
          citizens_.contains(item.citizen_ref()));
}

bool ReportBuilder::HasItemAboutReport(
    const google::protobuf::RepeatedPtrField<v1::HandoverItem>& items) const {
  for (const v1::HandoverItem& item : items) {
    if (AboutReport(item)) return true;
  }
  return false;
}

void ReportBuilder::AddHandover(const v1::EventEnvelope& e) {
  const v1::EventPayload& p = e.payload();
  v1::ReviewHandover h;
  const google::protobuf::RepeatedPtrField<v1::HandoverItem>* items = nullptr;
  if (p.has_line_handover_offered()) {
    const v1::LineHandoverOffered& r = p.line_handover_offered();
    h.set_line_id(r.line_id());
    h.set_handover_id(r.handover_id());
    h.set_kind(v1::REVIEW_HANDOVER_KIND_OFFERED);
    *h.mutable_from() = r.holder();
    *h.mutable_to() = r.offered_to();
    if (r.has_respond_by()) *h.mutable_respond_by() = r.respond_by();
    items = &r.items();
    auto answer = answers_.find(r.handover_id());
    if (answer != answers_.end()) {
      const v1::EventPayload& a = answer->second->payload();
      *h.mutable_answer()->mutable_event() = Ref(*answer->second);
      h.mutable_answer()->set_kind(
          a.has_line_handover_accepted()
              ? v1::REVIEW_HANDOVER_ANSWER_KIND_ACCEPTED
          : a.has_line_handover_declined()
              ? v1::REVIEW_HANDOVER_ANSWER_KIND_DECLINED
              : v1::REVIEW_HANDOVER_ANSWER_KIND_WITHDRAWN);
    }
  } else if (p.has_line_coverage_passed_to_night_partner()) {
    const v1::LineCoveragePassedToNightPartner& r =
        p.line_coverage_passed_to_night_partner();
    h.set_line_id(r.line_id());
    h.set_handover_id(r.handover_id());
    h.set_kind(v1::REVIEW_HANDOVER_KIND_PASSED_TO_NIGHT_PARTNER);
    *h.mutable_from() = r.previous_holder();
    *h.mutable_to() = r.night_partner();
    items = &r.items();
  } else if (p.has_line_coverage_taken_back()) {
    const v1::LineCoverageTakenBack& r = p.line_coverage_taken_back();
    h.set_line_id(r.line_id());
    h.set_handover_id(r.handover_id());
    h.set_kind(v1::REVIEW_HANDOVER_KIND_TAKEN_BACK);
    *h.mutable_from() = r.night_partner();
    *h.mutable_to() = r.holder();
    items = &r.items();
  }
  if (items == nullptr || !HasItemAboutReport(*items)) return;
  *h.mutable_event() = Ref(e);
  for (const v1::HandoverItem& item : *items) {
    if (!AboutReport(item)) {
      h.set_other_items(h.other_items() + 1);
      continue;
    }
    v1::ReviewHandoverItem& out = *h.add_items();
    out.set_kind(item.kind());
    out.set_call_id(item.call_id());
    out.set_escalation_id(item.escalation_id());
    out.set_citizen_ref(item.citizen_ref());
    out.set_risk_level(item.risk_level());
    out.set_shared_with_recipient(item.shared_with_recipient());
    out.set_text(item.sensitive().text());
    if (!item.citizen_ref().empty()) shown_citizens_.insert(item.citizen_ref());
  }
  *report_.add_handovers() = std::move(h);
}

}  // namespace vagt::services::internal
