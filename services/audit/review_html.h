// Rendering the review report as one self-contained HTML page (inline CSS,
// no scripts, printable), with every time in local Europe/Copenhagen time
// ("2026-11-24 22:05"). The template is services/audit/review_template.html,
// embedded at build time; it is a mustache template (kainjow::mustache) and
// every value from the report is inserted with {{...}}, which escapes HTML.
#ifndef VAGT_SERVICES_AUDIT_REVIEW_HTML_H_
#define VAGT_SERVICES_AUDIT_REVIEW_HTML_H_

#include <string>

#include "absl/status/statusor.h"
#include "vagt/v1/review.pb.h"

namespace vagt::services {

// INTERNAL if the time zone `report.time_zone()` cannot be loaded or the
// template does not render.
absl::StatusOr<std::string> RenderReviewHtml(const v1::ReviewReport& report);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_AUDIT_REVIEW_HTML_H_
