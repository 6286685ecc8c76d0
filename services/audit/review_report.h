// Building the review report (proto/vagt/v1/review.proto) from the audit
// projection: the subject's timeline, the timelines of its calls and their
// escalations, the reads of its citizens' data, and the line events that
// say who held the line.
//
//   ASSIGN_OR_RETURN(v1::ReviewReport report,
//                    BuildReviewReport(view.reader(), request));
#ifndef VAGT_SERVICES_AUDIT_REVIEW_REPORT_H_
#define VAGT_SERVICES_AUDIT_REVIEW_REPORT_H_

#include <cstddef>

#include "absl/status/statusor.h"
#include "domain/local_time.h"
#include "eventstore/timestamps.h"
#include "projections/reader.h"
#include "services/audit/review.h"
#include "vagt/v1/review.pb.h"

namespace vagt::services {

// A report is built from at most this many events; a wider subject or range
// is refused (INVALID_ARGUMENT naming `from`), so that one export cannot
// hold the server for long.
inline constexpr size_t kMaxReviewEvents = 20'000;

// The time zone of the report's local times.
inline constexpr const char* kReviewTimeZone = kDutyTimeZone;

// NOT_FOUND (naming the subject's id) when the subject has no events in the
// range. Reads only through `reader`; the report is deterministic for a
// given log and request.
absl::StatusOr<v1::ReviewReport> BuildReviewReport(
    const projections::ProjectionReader& reader, const ReviewRequest& request);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_AUDIT_REVIEW_REPORT_H_
