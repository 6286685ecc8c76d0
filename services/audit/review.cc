#include "services/audit/review.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "eventstore/status_macros.h"
#include "google/protobuf/util/json_util.h"
#include "services/audit/review_html.h"
#include "services/audit/review_report.h"

namespace vagt::services {
namespace {

// Protobuf's JSON mapping of the report: proto field names (snake_case, as
// in review.proto), enums by name, timestamps in RFC 3339 UTC, fields with
// default values left out, indented. Deterministic: the report has no maps.
absl::StatusOr<std::string> ReviewJson(const v1::ReviewReport& report) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string json;
  const auto status =
      google::protobuf::util::MessageToJsonString(report, &json, options);
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("review: JSON: ", std::string(status.message())));
  }
  return json;
}

}  // namespace

absl::StatusOr<ReviewExport> ExportReview(
    const projections::ProjectionReader& reader, const ReviewRequest& request) {
  ASSIGN_OR_RETURN(v1::ReviewReport report, BuildReviewReport(reader, request));
  ReviewExport out;
  out.citizen_refs.assign(report.citizen_refs().begin(),
                          report.citizen_refs().end());
  out.event_count = report.event_count();
  const std::string stem = request.call_id.empty()
                               ? absl::StrCat("review-", request.citizen_ref)
                               : absl::StrCat("review-call-", request.call_id);
  v1::ExportReviewResponse& response = out.response;
  if (request.format == v1::REVIEW_FORMAT_JSON) {
    ASSIGN_OR_RETURN(std::string json, ReviewJson(report));
    response.set_content_type("application/json");
    response.set_content(std::move(json));
    response.set_file_name(absl::StrCat(stem, ".json"));
  } else {
    ASSIGN_OR_RETURN(std::string html, RenderReviewHtml(report));
    response.set_content_type("text/html; charset=utf-8");
    response.set_content(std::move(html));
    response.set_file_name(absl::StrCat(stem, ".html"));
  }
  return out;
}

}  // namespace vagt::services
