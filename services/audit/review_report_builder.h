// Internal to the review report (review_report.h is the entry point): the
// builder that collects a report's events and fills its sections. Its
// methods are defined by section:
//   review_report.cc        collecting the events, the entries, Build()
//   review_line_holders.cc  who held the lines
//   review_calls.cc         the calls
//   review_escalations.cc   the escalations and their steps
//   review_handovers.cc     the handovers and which items the report shows
//   review_citizen_records.cc  crisis plans, consents and reads of the data
#ifndef VAGT_SERVICES_AUDIT_REVIEW_REPORT_BUILDER_H_
#define VAGT_SERVICES_AUDIT_REVIEW_REPORT_BUILDER_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/streams.h"
#include "projections/reader.h"
#include "services/audit/review.h"
#include "vagt/v1/review.pb.h"

namespace vagt::services::internal {

using ReviewCase = v1::EventPayload::EventCase;

// Events read per timeline page.
inline constexpr size_t kReviewPageSize = 1000;

// Collects the events of a report, then builds its sections. Single use;
// one thread.
class ReportBuilder {
 public:
  // `reader` and `request` must outlive the builder.
  ReportBuilder(const projections::ProjectionReader& reader,
                const ReviewRequest& request)
      : reader_(reader), request_(request) {}

  absl::StatusOr<v1::ReviewReport> Build();

 private:
  // Adds every event about `subject` in the range (only those of case
  // `only`, when given).
  absl::Status Collect(const projections::EntityRef& subject,
                       std::optional<ReviewCase> only = std::nullopt);
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
  // Lists each escalation under its call (once).
  void ListEscalationsUnderCalls();
  void AddToEscalation(const v1::EventEnvelope& e);
  void AddHandover(const v1::EventEnvelope& e);
  void AddCitizenEvent(const v1::EventEnvelope& e);
  void AddAccess(const v1::EventEnvelope& e);

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

}  // namespace vagt::services::internal

#endif  // VAGT_SERVICES_AUDIT_REVIEW_REPORT_BUILDER_H_
