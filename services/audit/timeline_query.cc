#include "services/audit/timeline_query.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "domain/field_checks.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"

namespace vagt::services {
namespace {

using projections::EntityRef;
using projections::keys::Entity;

constexpr char kTokenPrefix[] = "after:";

absl::StatusOr<std::optional<EntityRef>> SubjectOf(
    const v1::TimelineRequest& r) {
  auto subject =
      [](Entity kind, const std::string& id,
         const char* field) -> absl::StatusOr<std::optional<EntityRef>> {
    RETURN_IF_ERROR(CheckId(id, field, /*required=*/true));
    return EntityRef(kind, id);
  };
  switch (r.subject_case()) {
    case v1::TimelineRequest::kCitizenRef:
      return subject(Entity::kCitizen, r.citizen_ref(), "citizen_ref");
    case v1::TimelineRequest::kCallId:
      return subject(Entity::kCall, r.call_id(), "call_id");
    case v1::TimelineRequest::kEscalationId:
      return subject(Entity::kEscalation, r.escalation_id(), "escalation_id");
    case v1::TimelineRequest::kWorkerId:
      return subject(Entity::kWorker, r.worker_id(), "worker_id");
    case v1::TimelineRequest::kLineId:
      return subject(Entity::kLine, r.line_id(), "line_id");
    case v1::TimelineRequest::SUBJECT_NOT_SET:
      break;
  }
  return std::nullopt;
}

}  // namespace

std::string UtcText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", t, absl::UTCTimeZone());
}

absl::StatusOr<TimeRange> RangeOf(const google::protobuf::Timestamp& from,
                                  const google::protobuf::Timestamp& to,
                                  bool has_from, bool has_to) {
  TimeRange range;
  if (has_from) {
    if (!IsValidTimestamp(from)) {
      return absl::InvalidArgumentError("from: not a valid instant");
    }
    range.from = ToTime(from);
  }
  if (has_to) {
    if (!IsValidTimestamp(to)) {
      return absl::InvalidArgumentError("to: not a valid instant");
    }
    range.to = ToTime(to);
  }
  if (range.from > range.to) {
    return absl::InvalidArgumentError("to: must not be before from");
  }
  return range;
}

absl::StatusOr<projections::TimelineQuery> QueryOf(
    const v1::TimelineRequest& request, uint32_t max_page,
    uint32_t default_page) {
  projections::TimelineQuery query;
  ASSIGN_OR_RETURN(query.subject, SubjectOf(request));
  ASSIGN_OR_RETURN(TimeRange range,
                   RangeOf(request.from(), request.to(), request.has_from(),
                           request.has_to()));
  query.from = range.from;
  query.to = range.to;
  if (request.page_size() > max_page) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: at most ", max_page));
  }
  query.limit = request.page_size() == 0 ? default_page : request.page_size();
  if (!request.page_token().empty()) {
    const std::string& token = request.page_token();
    if (token.rfind(kTokenPrefix, 0) != 0 ||
        !absl::SimpleAtoi(token.substr(sizeof(kTokenPrefix) - 1),
                          &query.after_position)) {
      return absl::InvalidArgumentError(
          "page_token: not a token from a previous page of this timeline");
    }
  }
  return query;
}

std::string DescribeQuery(const projections::TimelineQuery& query) {
  std::string out =
      query.subject.has_value()
          ? absl::StrCat(std::string(projections::keys::EntityName(
                             query.subject->first)),
                         "=", query.subject->second)
          : std::string("all events");
  if (query.from != absl::InfinitePast()) {
    absl::StrAppend(&out, " from ", UtcText(query.from));
  }
  if (query.to != absl::InfiniteFuture()) {
    absl::StrAppend(&out, " to ", UtcText(query.to));
  }
  if (query.after_position > 0) {
    absl::StrAppend(&out, " after position ", query.after_position);
  }
  return out;
}

std::string PageToken(uint64_t after_position) {
  return after_position == 0 ? std::string()
                             : absl::StrCat(kTokenPrefix, after_position);
}

}  // namespace vagt::services
