// Who held the report's lines over the span of what it shows, and the
// answers to the handovers it shows.
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/streams.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"
#include "services/audit/review_report_builder.h"
#include "services/audit/review_wording.h"

namespace vagt::services::internal {
namespace {

using projections::EntityRef;
using projections::keys::Entity;
using Case = ReviewCase;

// Line events read after the report's last event while looking for the
// answer to a handover the report shows.
constexpr size_t kMaxLineEventsAfter = 1000;

}  // namespace

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
  const std::string stream = LineStreamId(line_id);
  std::set<std::string> pending;
  for (const std::string& id : offered_handovers_) pending.insert(id);
  projections::TimelineQuery query{.subject = EntityRef(Entity::kLine, line_id),
                                   .from = request_.from,
                                   .to = request_.to,
                                   .after_position = start->position,
                                   .limit = kReviewPageSize};
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

}  // namespace vagt::services::internal
