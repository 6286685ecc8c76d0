// The report's escalations: each step, with the time the party took to
// respond from when the level began.
#include <cstdint>
#include <string>
#include <utility>

#include "eventstore/timestamps.h"
#include "services/audit/review_report_builder.h"

namespace vagt::services::internal {
namespace {

using Case = ReviewCase;

// Seconds from `from` to `to`.
int64_t Seconds(const google::protobuf::Timestamp& from,
                const google::protobuf::Timestamp& to) {
  return absl::ToInt64Seconds(ToTime(to) - ToTime(from));
}

}  // namespace

void ReportBuilder::AddToEscalation(const v1::EventEnvelope& e) {
  const std::string id = e.stream_id().substr(11);
  auto [index, added] =
      escalation_index_.emplace(id, report_.escalations_size());
  if (added) {
    v1::ReviewEscalation& x = *report_.add_escalations();
    x.set_escalation_id(id);
    x.set_status(v1::REVIEW_ESCALATION_STATUS_RUNNING);
  }
  v1::ReviewEscalation& x = *report_.mutable_escalations(index->second);
  const v1::EventPayload& p = e.payload();
  v1::ReviewEscalationStep step;
  *step.mutable_event() = Ref(e);
  auto respond = [&](v1::ReviewEscalationStep& s) {
    auto start = level_start_.find(id);
    if (start != level_start_.end()) {
      s.mutable_response_seconds()->set_value(
          Seconds(start->second, e.occurred_at()));
    }
  };
  switch (p.event_case()) {
    case Case::kEscalationRaised: {
      const v1::EscalationRaised& r = p.escalation_raised();
      x.set_call_id(r.call_id());
      x.set_line_id(r.line_id());
      x.set_citizen_ref(r.citizen_ref());
      x.set_urgency(r.urgency());
      x.set_policy_version(r.policy_version());
      x.set_contact_channel(r.contact_channel());
      *x.mutable_details() = r.sensitive();
      step.set_kind(v1::REVIEW_ESCALATION_STEP_KIND_RAISED);
      step.set_level(r.level());
      *step.mutable_party() = r.target();
      *step.mutable_ack_deadline() = r.ack_deadline();
      level_start_[id] = e.occurred_at();
      break;
    }
    case Case::kEscalationAcknowledged: {
      const v1::EscalationAcknowledged& r = p.escalation_acknowledged();
      step.set_kind(v1::REVIEW_ESCALATION_STEP_KIND_ACKNOWLEDGED);
      step.set_level(r.level());
      *step.mutable_party() = r.acknowledged_by();
      respond(step);
      break;
    }
    case Case::kEscalationAccepted: {
      const v1::EscalationAccepted& r = p.escalation_accepted();
      step.set_kind(v1::REVIEW_ESCALATION_STEP_KIND_ACCEPTED);
      step.set_level(r.level());
      *step.mutable_party() = r.accepted_by();
      if (r.has_expected_contact_at()) {
        *step.mutable_expected_contact_at() = r.expected_contact_at();
      }
      step.set_text(r.sensitive().note());
      respond(step);
      break;
    }
    case Case::kEscalationDeclined: {
      const v1::EscalationDeclined& r = p.escalation_declined();
      step.set_kind(v1::REVIEW_ESCALATION_STEP_KIND_DECLINED);
      step.set_level(r.from_level());
      *step.mutable_party() = r.declined_by();
      step.set_decline_reason(r.reason());
      step.set_next_level(r.to_level());
      *step.mutable_next_target() = r.to_target();
      *step.mutable_ack_deadline() = r.ack_deadline();
      step.set_text(r.sensitive().reason());
      respond(step);
      level_start_[id] = e.occurred_at();
      break;
    }
    case Case::kEscalationTimedOut: {
      const v1::EscalationTimedOut& r = p.escalation_timed_out();
      step.set_kind(v1::REVIEW_ESCALATION_STEP_KIND_TIMED_OUT);
      step.set_level(r.from_level());
      *step.mutable_party() = r.from_target();
      *step.mutable_missed_deadline() = r.missed_deadline();
      step.set_next_level(r.to_level());
      *step.mutable_next_target() = r.to_target();
      *step.mutable_ack_deadline() = r.ack_deadline();
      level_start_[id] = e.occurred_at();
      break;
    }
    case Case::kEscalationResolved: {
      const v1::EscalationResolved& r = p.escalation_resolved();
      step.set_kind(v1::REVIEW_ESCALATION_STEP_KIND_RESOLVED);
      step.set_level(r.level());
      *step.mutable_party() = r.resolved_by();
      step.set_text(r.sensitive().outcome());
      x.set_status(v1::REVIEW_ESCALATION_STATUS_RESOLVED);
      break;
    }
    case Case::kEscalationCancelled: {
      const v1::EscalationCancelled& r = p.escalation_cancelled();
      step.set_kind(v1::REVIEW_ESCALATION_STEP_KIND_CANCELLED);
      step.set_level(r.level());
      step.set_text(r.sensitive().reason());
      x.set_status(v1::REVIEW_ESCALATION_STATUS_CANCELLED);
      break;
    }
    default:
      return;  // a correction: shown with the step it corrects
  }
  *x.add_steps() = std::move(step);
}

}  // namespace vagt::services::internal
