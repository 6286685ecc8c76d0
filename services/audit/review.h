// The review export (AuditService.ExportReview): the report for the meeting
// after a crisis (DOMAIN.md "After a crisis"), built from the audit
// projection, rendered as HTML (local Europe/Copenhagen times) or JSON.
#ifndef VAGT_SERVICES_AUDIT_REVIEW_H_
#define VAGT_SERVICES_AUDIT_REVIEW_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "projections/reader.h"
#include "vagt/v1/audit.pb.h"

namespace vagt::services {

struct ReviewRequest {
  // Exactly one of them.
  std::string call_id;
  std::string citizen_ref;
  // The recorded_at range [from, to).
  absl::Time from = absl::InfinitePast();
  absl::Time to = absl::InfiniteFuture();
  // Stamped on the report.
  absl::Time generated_at;
  std::string generated_by;
  v1::ReviewFormat format = v1::REVIEW_FORMAT_HTML;
  // Whether an event is the reader's to see (its line, scope.h); the report
  // is built from those alone. Unset: every event.
  std::function<absl::StatusOr<bool>(const v1::EventEnvelope&)> shows;
};

struct ReviewExport {
  v1::ExportReviewResponse response;
  // For the access record: the citizens whose data the report holds, and
  // how many events it was built from.
  std::vector<std::string> citizen_refs;
  uint32_t event_count = 0;
};

// NOT_FOUND when the subject has no events in the range.
absl::StatusOr<ReviewExport> ExportReview(
    const projections::ProjectionReader& reader, const ReviewRequest& request);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_AUDIT_REVIEW_H_
