#include "services/audit/review.h"

namespace vagt::services {

absl::StatusOr<ReviewExport> ExportReview(const projections::ProjectionReader&,
                                          const ReviewRequest&) {
  return absl::UnimplementedError("review export: not yet");
}

}  // namespace vagt::services
