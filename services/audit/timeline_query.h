// Turning a TimelineRequest into a projections::TimelineQuery (and back into
// words for the access record), with every check of the request.
#ifndef VAGT_SERVICES_AUDIT_TIMELINE_QUERY_H_
#define VAGT_SERVICES_AUDIT_TIMELINE_QUERY_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "projections/reader.h"
#include "vagt/v1/audit.pb.h"

namespace vagt::services {

// The recorded_at range [from, to) of a request; INVALID_ARGUMENT naming
// `from` or `to` when one is not a valid instant or from > to.
struct TimeRange {
  absl::Time from = absl::InfinitePast();
  absl::Time to = absl::InfiniteFuture();
};
absl::StatusOr<TimeRange> RangeOf(const google::protobuf::Timestamp& from,
                                  const google::protobuf::Timestamp& to,
                                  bool has_from, bool has_to);

// The query a request asks for; INVALID_ARGUMENT names the bad field.
absl::StatusOr<projections::TimelineQuery> QueryOf(
    const v1::TimelineRequest& request, uint32_t max_page,
    uint32_t default_page);

// The query in words, for SensitiveDataAccessed.query: ids and times only.
std::string DescribeQuery(const projections::TimelineQuery& query);

// An instant as RFC 3339 UTC text, for access records.
std::string UtcText(absl::Time t);

// Page tokens: the position to continue after.
std::string PageToken(uint64_t after_position);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_AUDIT_TIMELINE_QUERY_H_
