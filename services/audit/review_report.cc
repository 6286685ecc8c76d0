// Building the review report: collecting its events (the subject's
// timeline, then its calls', escalations' and citizens' reads), the
// references to events with their corrections, and the report's entries.
// The sections are filled in the files named in review_report_builder.h.
#include "services/audit/review_report.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"
#include "services/audit/review_report_builder.h"
#include "services/audit/review_wording.h"

namespace vagt::services {
namespace internal {
namespace {

using projections::EntityRef;
using projections::keys::Entity;

}  // namespace

absl::Status ReportBuilder::Collect(const EntityRef& subject,
                                    std::optional<ReviewCase> only) {
  projections::TimelineQuery query{.subject = subject,
                                   .from = request_.from,
                                   .to = request_.to,
                                   .limit = kReviewPageSize};
  do {
    ASSIGN_OR_RETURN(projections::TimelinePage page, reader_.Timeline(query));
    for (v1::EventEnvelope& e : page.events) {
      if (only.has_value() && e.payload().event_case() != *only) continue;
      if (request_.shows) {
        ASSIGN_OR_RETURN(const bool shown, request_.shows(e));
        if (!shown) continue;
      }
      const uint64_t position = e.global_position();
      events_.emplace(position, std::move(e));
    }
    if (events_.size() > kMaxReviewEvents) {
      return absl::InvalidArgumentError(
          absl::StrCat("from: the review would hold more than ",
                       kMaxReviewEvents, " events; narrow the range"));
    }
    query.after_position = page.next_after;
  } while (query.after_position != 0);
  return absl::OkStatus();
}

void ReportBuilder::FindCallsAndEscalations() {
  for (const auto& [position, e] : events_) {
    const v1::EventPayload& p = e.payload();
    if (HasKind(e.stream_id(), kCallKind)) {
      call_ids_.insert(e.stream_id().substr(5));
    }
    if (p.has_escalation_raised()) {
      call_ids_.insert(p.escalation_raised().call_id());
    }
  }
  if (!request_.call_id.empty()) call_ids_ = {request_.call_id};
  for (const auto& [position, e] : events_) {
    const v1::EventPayload& p = e.payload();
    if (p.has_escalation_raised() &&
        call_ids_.contains(p.escalation_raised().call_id())) {
      escalation_ids_.insert(p.escalation_raised().escalation_id());
    }
    if (p.has_call_closed() && call_ids_.contains(p.call_closed().call_id())) {
      escalation_ids_.insert(p.call_closed().escalation_ids().begin(),
                             p.call_closed().escalation_ids().end());
    }
    if (!request_.citizen_ref.empty() &&
        HasKind(e.stream_id(), kEscalationKind)) {
      escalation_ids_.insert(e.stream_id().substr(11));
    }
  }
}

v1::ReviewEventRef ReportBuilder::Ref(const v1::EventEnvelope& e) const {
  v1::ReviewEventRef ref;
  ref.set_global_position(e.global_position());
  ref.set_hash(absl::BytesToHexString(e.hash()));
  *ref.mutable_occurred_at() = e.occurred_at();
  *ref.mutable_recorded_at() = e.recorded_at();
  ref.set_actor(e.actor());
  auto it = corrections_.find(e.global_position());
  if (it == corrections_.end()) return ref;
  for (const v1::EventEnvelope* c : it->second) {
    const v1::CorrectionRecorded& r = c->payload().correction_recorded();
    v1::ReviewCorrection& out = *ref.add_corrections();
    out.set_global_position(c->global_position());
    *out.mutable_recorded_at() = c->recorded_at();
    out.set_actor(c->actor());
    out.set_kind(r.kind());
    out.set_reason(r.sensitive().reason());
    if (r.has_replacement()) {
      out.set_replacement(DescribePayload(
          r.replacement(),
          [this](const v1::HandoverItem& item) { return AboutReport(item); }));
    }
  }
  return ref;
}

absl::StatusOr<v1::ReviewReport> ReportBuilder::Build() {
  const bool about_call = !request_.call_id.empty();
  const EntityRef subject =
      about_call ? EntityRef(Entity::kCall, request_.call_id)
                 : EntityRef(Entity::kCitizen, request_.citizen_ref);
  RETURN_IF_ERROR(Collect(subject));
  if (events_.empty()) {
    return absl::NotFoundError(
        about_call ? absl::StrCat("call_id: no events about call ",
                                  request_.call_id, " in the range")
                   : absl::StrCat("citizen_ref: no events about ",
                                  request_.citizen_ref, " in the range"));
  }

  // The calls and escalations, then their own timelines.
  FindCallsAndEscalations();
  if (!about_call) {
    for (const std::string& id : call_ids_) {
      RETURN_IF_ERROR(Collect({Entity::kCall, id}));
    }
    FindCallsAndEscalations();
  }
  for (const std::string& id : escalation_ids_) {
    RETURN_IF_ERROR(Collect({Entity::kEscalation, id}));
  }
  if (!about_call) citizens_.insert(request_.citizen_ref);
  for (const auto& [position, e] : events_) {
    const v1::EventPayload& p = e.payload();
    if (p.has_call_received() &&
        call_ids_.contains(p.call_received().call_id())) {
      if (!p.call_received().citizen_ref().empty()) {
        citizens_.insert(p.call_received().citizen_ref());
      }
      line_ids_.insert(p.call_received().line_id());
    }
    if (p.has_escalation_raised() &&
        escalation_ids_.contains(p.escalation_raised().escalation_id())) {
      if (!p.escalation_raised().citizen_ref().empty()) {
        citizens_.insert(p.escalation_raised().citizen_ref());
      }
      line_ids_.insert(p.escalation_raised().line_id());
    }
  }
  // Who read the citizens' data.
  for (const std::string& citizen : citizens_) {
    if (about_call || citizen != request_.citizen_ref) {
      RETURN_IF_ERROR(Collect({Entity::kCitizen, citizen},
                              ReviewCase::kSensitiveDataAccessed));
    }
  }

  // Who held the lines, over the span of what happened.
  std::optional<absl::Time> span_start, span_end;
  for (const auto& [position, e] : events_) {
    const v1::EventPayload& p = e.payload();
    if (p.has_correction_recorded()) {
      corrections_[p.correction_recorded().corrected_global_position()]
          .push_back(&e);
    }
    if (p.has_line_handover_offered() &&
        HasItemAboutReport(p.line_handover_offered().items())) {
      offered_handovers_.insert(p.line_handover_offered().handover_id());
    }
    if (p.has_sensitive_data_accessed()) continue;
    const absl::Time t = ToTime(e.recorded_at());
    if (!span_start.has_value()) span_start = t;
    span_end = t;
  }
  if (span_start.has_value()) {
    for (const std::string& line : line_ids_) {
      RETURN_IF_ERROR(CollectHolders(line, *span_start, *span_end));
    }
  }

  // The sections, in log order.
  const ItemFilter about_report = [this](const v1::HandoverItem& item) {
    return AboutReport(item);
  };
  for (const auto& [position, e] : events_) {
    if (HasKind(e.stream_id(), kCallKind)) AddToCall(e);
    if (HasKind(e.stream_id(), kEscalationKind)) AddToEscalation(e);
    if (HasKind(e.stream_id(), kLineKind)) AddHandover(e);
    if (HasKind(e.stream_id(), kCitizenKind)) AddCitizenEvent(e);
    if (e.payload().has_sensitive_data_accessed()) AddAccess(e);
    v1::ReviewEntry& entry = *report_.add_entries();
    *entry.mutable_event() = Ref(e);
    entry.set_type(e.type());
    entry.set_description(DescribePayload(e.payload(), about_report));
  }
  ListEscalationsUnderCalls();
  for (v1::LineHolding& h : holdings_)
    *report_.add_line_holders() = std::move(h);

  *report_.mutable_generated_at() = ToTimestamp(request_.generated_at);
  report_.set_generated_by(request_.generated_by);
  if (about_call) {
    report_.mutable_subject()->set_call_id(request_.call_id);
  } else {
    report_.mutable_subject()->set_citizen_ref(request_.citizen_ref);
  }
  if (request_.from != absl::InfinitePast()) {
    *report_.mutable_from() = ToTimestamp(request_.from);
  }
  if (request_.to != absl::InfiniteFuture()) {
    *report_.mutable_to() = ToTimestamp(request_.to);
  }
  report_.set_time_zone(kReviewTimeZone);
  report_.set_event_count(static_cast<uint32_t>(events_.size()));
  shown_citizens_.insert(citizens_.begin(), citizens_.end());
  for (const std::string& citizen : shown_citizens_) {
    report_.add_citizen_refs(citizen);
  }
  return std::move(report_);
}

}  // namespace internal

absl::StatusOr<v1::ReviewReport> BuildReviewReport(
    const projections::ProjectionReader& reader, const ReviewRequest& request) {
  return internal::ReportBuilder(reader, request).Build();
}

}  // namespace vagt::services
