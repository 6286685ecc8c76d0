#include "services/audit/review_report.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"
#include "services/audit/review_wording.h"

namespace vagt::services {
namespace {

using projections::EntityRef;
using projections::keys::Entity;
using Case = v1::EventPayload::EventCase;

constexpr size_t kPageSize = 1000;
// Line events read after the report's last event while looking for the
// answer to a handover the report shows.
constexpr size_t kMaxLineEventsAfter = 1000;

bool InStream(const v1::EventEnvelope& e, absl::string_view kind) {
  return absl::StartsWith(e.stream_id(), absl::StrCat(kind, "-"));
}

// Seconds from `from` to `to`.
int64_t Seconds(const google::protobuf::Timestamp& from,
                const google::protobuf::Timestamp& to) {
  return absl::ToInt64Seconds(ToTime(to) - ToTime(from));
}

// Collects the events of a report, then builds its sections. Single use.
class ReportBuilder {
 public:
  ReportBuilder(const projections::ProjectionReader& reader,
                const ReviewRequest& request)
      : reader_(reader), request_(request) {}

  absl::StatusOr<v1::ReviewReport> Build();

 private:
  // Adds every event about `subject` in the range (only those of case
  // `only`, when given).
  absl::Status Collect(const EntityRef& subject,
                       std::optional<Case> only = std::nullopt);
  // The report's calls and escalations, from the events collected so far.
  void FindCallsAndEscalations();
  // The holders of `line_id` from `span_start` on; see LineHolding.
  absl::Status CollectHolders(const std::string& line_id, absl::Time span_start,
                              absl::Time span_end);
  bool AboutReport(const v1::HandoverItem& item) const;
  bool HasItemAboutReport(
      const google::protobuf::RepeatedPtrField<v1::HandoverItem>& items) const;

  v1::ReviewEventRef Ref(const v1::EventEnvelope& e) const;
  v1::ReviewCall& CallOf(const std::string& call_id);
  void AddToCall(const v1::EventEnvelope& e);
  void AddToEscalation(const v1::EventEnvelope& e);
  void AddHandover(const v1::EventEnvelope& e);
  void AddCitizenEvent(const v1::EventEnvelope& e);

  const projections::ProjectionReader& reader_;
  const ReviewRequest& request_;
  // Every event of the report, by global position.
  std::map<uint64_t, v1::EventEnvelope> events_;
  std::set<std::string> call_ids_, escalation_ids_, citizens_, line_ids_;
  // The citizens of handover items shown (normally among `citizens_`).
  std::set<std::string> shown_citizens_;
  // Corrections by the position they correct, in log order.
  std::map<uint64_t, std::vector<const v1::EventEnvelope*>> corrections_;
  // Offered handovers the report shows, and their answers.
  std::set<std::string> offered_handovers_;
  std::map<std::string, const v1::EventEnvelope*> answers_;
  // Holder changes, in order, for each line.
  std::vector<v1::LineHolding> holdings_;

  v1::ReviewReport report_;
  std::map<std::string, int> call_index_, escalation_index_;
  // Per escalation: when its current level began (for response times).
  std::map<std::string, google::protobuf::Timestamp> level_start_;
};

absl::Status ReportBuilder::Collect(const EntityRef& subject,
                                    std::optional<Case> only) {
  projections::TimelineQuery query{.subject = subject,
                                   .from = request_.from,
                                   .to = request_.to,
                                   .limit = kPageSize};
  do {
    ASSIGN_OR_RETURN(projections::TimelinePage page, reader_.Timeline(query));
    for (v1::EventEnvelope& e : page.events) {
      if (only.has_value() && e.payload().event_case() != *only) continue;
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
    if (InStream(e, "call")) {
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
    if (!request_.citizen_ref.empty() && InStream(e, "escalation")) {
      escalation_ids_.insert(e.stream_id().substr(11));
    }
  }
}

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

absl::Status ReportBuilder::CollectHolders(const std::string& line_id,
                                           absl::Time span_start,
                                           absl::Time span_end) {
  absl::StatusOr<projections::BoardAtResult> start =
      reader_.BoardAt(line_id, span_start);
  if (absl::IsNotFound(start.status())) return absl::OkStatus();
  RETURN_IF_ERROR(start.status());
  std::vector<v1::LineHolding> holdings;
  if (start->board.has_holder()) {
    v1::LineHolding& h = holdings.emplace_back();
    h.set_line_id(line_id);
    *h.mutable_holder() = start->board.holder();
    *h.mutable_since() = start->board.holder_since();
  }
  const std::string stream = absl::StrCat("line-", line_id);
  std::set<std::string> pending;
  for (const std::string& id : offered_handovers_) pending.insert(id);
  projections::TimelineQuery query{.subject = EntityRef(Entity::kLine, line_id),
                                   .from = request_.from,
                                   .to = request_.to,
                                   .after_position = start->position,
                                   .limit = kPageSize};
  size_t read_after_end = 0;
  do {
    ASSIGN_OR_RETURN(projections::TimelinePage page, reader_.Timeline(query));
    query.after_position = page.next_after;
    for (v1::EventEnvelope& e : page.events) {
      if (ToTime(e.recorded_at()) > span_end) {
        if (pending.empty() || ++read_after_end > kMaxLineEventsAfter) {
          query.after_position = 0;
          break;
        }
      }
      if (e.stream_id() != stream) continue;
      const v1::EventPayload& p = e.payload();
      std::optional<v1::Party> holder;
      std::string how;
      switch (p.event_case()) {
        case Case::kLineCoverageTaken:
          holder = p.line_coverage_taken().holder();
          how = absl::StrCat("took the line (",
                             Label(p.line_coverage_taken().reason()), ")");
          break;
        case Case::kLineHandoverAccepted:
          holder = p.line_handover_accepted().accepted_by();
          how = absl::StrCat(
              "accepted the handover from ",
              PartyText(p.line_handover_accepted().previous_holder()));
          break;
        case Case::kLineCoveragePassedToNightPartner:
          holder = p.line_coverage_passed_to_night_partner().night_partner();
          how = absl::StrCat(
              "passed to the night partner by ",
              PartyText(
                  p.line_coverage_passed_to_night_partner().previous_holder()));
          break;
        case Case::kLineCoverageTakenBack:
          holder = p.line_coverage_taken_back().holder();
          how = absl::StrCat(
              "took the line back from ",
              PartyText(p.line_coverage_taken_back().night_partner()));
          break;
        default:
          break;
      }
      std::string answered;
      if (p.has_line_handover_accepted()) {
        answered = p.line_handover_accepted().handover_id();
      } else if (p.has_line_handover_declined()) {
        answered = p.line_handover_declined().handover_id();
      } else if (p.has_line_handover_withdrawn()) {
        answered = p.line_handover_withdrawn().handover_id();
      }
      const bool answers_report = pending.erase(answered) > 0;
      if (!holder.has_value() && !answers_report) continue;
      const uint64_t position = e.global_position();
      const v1::EventEnvelope& kept =
          events_.emplace(position, std::move(e)).first->second;
      if (answers_report) answers_[answered] = &kept;
      if (!holder.has_value()) continue;
      if (!holdings.empty())
        *holdings.back().mutable_until() = kept.occurred_at();
      v1::LineHolding& h = holdings.emplace_back();
      h.set_line_id(line_id);
      *h.mutable_holder() = *holder;
      *h.mutable_since() = kept.occurred_at();
      h.set_how(how);
      *h.mutable_event() = Ref(kept);
    }
  } while (query.after_position != 0);
  for (v1::LineHolding& h : holdings) holdings_.push_back(std::move(h));
  return absl::OkStatus();
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
      s.set_response_seconds(Seconds(start->second, e.occurred_at()));
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

void ReportBuilder::AddCitizenEvent(const v1::EventEnvelope& e) {
  const v1::EventPayload& p = e.payload();
  if (p.has_citizen_crisis_plan_updated()) {
    const v1::CitizenCrisisPlanUpdated& r = p.citizen_crisis_plan_updated();
    v1::ReviewCrisisPlanRevision& out = *report_.add_crisis_plan_revisions();
    *out.mutable_event() = Ref(e);
    out.set_revision(r.revision());
    out.set_agreed_with_citizen(r.agreed_with_citizen());
    if (r.has_next_review_at()) {
      *out.mutable_next_review_at() = r.next_review_at();
    }
    *out.mutable_plan() = r.sensitive();
  } else if (p.has_citizen_consent_granted()) {
    const v1::CitizenConsentGranted& r = p.citizen_consent_granted();
    v1::ReviewConsent& out = *report_.add_consents();
    *out.mutable_event() = Ref(e);
    out.set_consent_id(r.consent_id());
    *out.mutable_scopes() = r.scopes();
    if (r.has_valid_from()) *out.mutable_valid_from() = r.valid_from();
    if (r.has_expires_at()) *out.mutable_expires_at() = r.expires_at();
    out.set_form(r.form());
    out.set_text(r.sensitive().conditions());
  } else if (p.has_citizen_consent_withdrawn()) {
    const v1::CitizenConsentWithdrawn& r = p.citizen_consent_withdrawn();
    v1::ReviewConsent& out = *report_.add_consents();
    *out.mutable_event() = Ref(e);
    out.set_consent_id(r.consent_id());
    out.set_withdrawn(true);
    out.set_text(r.sensitive().note());
  }
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
      RETURN_IF_ERROR(
          Collect({Entity::kCitizen, citizen}, Case::kSensitiveDataAccessed));
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
    if (InStream(e, "call")) AddToCall(e);
    if (InStream(e, "escalation")) AddToEscalation(e);
    if (InStream(e, "line")) AddHandover(e);
    if (InStream(e, "citizen")) AddCitizenEvent(e);
    if (e.payload().has_sensitive_data_accessed()) {
      const v1::SensitiveDataAccessed& r =
          e.payload().sensitive_data_accessed();
      v1::ReviewAccess& out = *report_.add_accesses();
      *out.mutable_event() = Ref(e);
      out.set_kind(r.kind());
      out.set_purpose(r.purpose());
      out.set_reason(r.sensitive().reason());
      out.set_query(r.query());
      out.set_event_count(r.event_count());
    }
    v1::ReviewEntry& entry = *report_.add_entries();
    *entry.mutable_event() = Ref(e);
    entry.set_type(e.type());
    entry.set_description(DescribePayload(e.payload(), about_report));
  }
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

}  // namespace

absl::StatusOr<v1::ReviewReport> BuildReviewReport(
    const projections::ProjectionReader& reader, const ReviewRequest& request) {
  return ReportBuilder(reader, request).Build();
}

}  // namespace vagt::services
