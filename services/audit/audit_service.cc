#include "services/audit/audit_service.h"

#include <functional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/field_checks.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"
#include "projections/board_fold.h"
#include "projections/entities.h"
#include "services/audit/review.h"
#include "services/audit/timeline_query.h"
#include "services/common/access_log.h"
#include "services/common/command_context.h"
#include "services/common/grpc_status.h"
#include "services/common/scope.h"

namespace vagt::services {
namespace {

// The reader's actor (the rights table decides who may read the trail).
absl::StatusOr<std::string> AuditReader(const grpc::ServerContext& context) {
  return ActorOf(context);
}

void AddCitizensOf(const v1::EventEnvelope& event,
                   std::vector<std::string>& out) {
  for (auto& [kind, id] : projections::EntitiesOf(event, "")) {
    if (kind == projections::keys::Entity::kCitizen) out.push_back(id);
  }
}

std::vector<std::string> CitizensOnBoard(const v1::Board& board) {
  std::vector<std::string> out;
  auto add = [&](const std::string& ref) {
    if (!ref.empty()) out.push_back(ref);
  };
  for (const auto& c : board.open_calls()) add(c.citizen_ref());
  for (const auto& e : board.running_escalations()) add(e.citizen_ref());
  for (const auto& i : board.pending_handover().items()) add(i.citizen_ref());
  for (const auto& i : board.last_handover_note().items()) add(i.citizen_ref());
  return out;
}

// A subject that lives on a line (a call, an escalation) is read only by
// those who may read that line's trail (scope.h): PERMISSION_DENIED naming
// the right and the line otherwise.
absl::Status CheckSubjectsLine(const Caller& caller,
                               const projections::ProjectionReader& reader,
                               const projections::EntityRef& subject) {
  ASSIGN_OR_RETURN(const std::string line, reader.LineOfSubject(subject));
  if (SeesLine(caller, line)) return absl::OkStatus();
  return CheckLine(
      caller, line,
      absl::StrCat("the ",
                   std::string(projections::keys::EntityName(subject.first)),
                   "'s line"));
}

// Whether an event is the caller's to see: on a line it may read, or on
// none (scope.h SeesLine). Unset for a caller who reads every line.
using EventShown =
    std::function<absl::StatusOr<bool>(const v1::EventEnvelope&)>;
EventShown ShownTo(const Caller& caller,
                   const projections::ProjectionReader& reader) {
  if (ReadsEveryLine(caller)) return nullptr;
  return
      [&caller, &reader](const v1::EventEnvelope& e) -> absl::StatusOr<bool> {
        ASSIGN_OR_RETURN(const std::string line, reader.LineOf(e));
        return SeesLine(caller, line);
      };
}

}  // namespace

grpc::Status AuditService::Timeline(grpc::ServerContext* context,
                                    const v1::TimelineRequest* request,
                                    v1::TimelineResponse* response) {
  auto timeline = [&]() -> absl::StatusOr<v1::TimelineResponse> {
    ASSIGN_OR_RETURN(Caller caller, AuthenticatedCaller(*context));
    const std::string& actor = caller.party_id;
    ASSIGN_OR_RETURN(projections::TimelineQuery query,
                     QueryOf(*request, kMaxTimelinePage, kDefaultTimelinePage));
    if (request->subject_case() == v1::TimelineRequest::kLineId) {
      RETURN_IF_ERROR(CheckLine(caller, request->line_id()));
    }
    RETURN_IF_ERROR(CheckAccessReason(request->access(), "access"));
    v1::TimelineResponse out;
    out.set_as_of_position(view_.CatchUp());
    if (query.subject.has_value()) {
      RETURN_IF_ERROR(
          CheckSubjectsLine(caller, view_.reader(), *query.subject));
    }
    ASSIGN_OR_RETURN(projections::TimelinePage page,
                     view_.reader().Timeline(query));
    if (const EventShown shown = ShownTo(caller, view_.reader())) {
      std::vector<v1::EventEnvelope> seen;
      for (v1::EventEnvelope& e : page.events) {
        ASSIGN_OR_RETURN(const bool show, shown(e));
        if (show) seen.push_back(std::move(e));
      }
      page.events = std::move(seen);
    }
    AccessRecord record{
        .kind = v1::ACCESS_KIND_TIMELINE,
        .query = DescribeQuery(query),
        .event_count = static_cast<uint32_t>(page.events.size()),
        .access = request->access()};
    for (const auto& e : page.events) AddCitizensOf(e, record.citizen_refs);
    RETURN_IF_ERROR(RecordAccess(access_, actor, std::move(record)));
    for (auto& e : page.events) *out.add_events() = std::move(e);
    out.set_next_page_token(PageToken(page.next_after));
    return out;
  };
  return Answer(timeline(), response);
}

grpc::Status AuditService::BoardAt(grpc::ServerContext* context,
                                   const v1::BoardAtRequest* request,
                                   v1::Board* response) {
  auto board = [&]() -> absl::StatusOr<v1::Board> {
    ASSIGN_OR_RETURN(Caller caller, AuthenticatedCaller(*context));
    const std::string& actor = caller.party_id;
    RETURN_IF_ERROR(CheckLine(caller, request->line_id()));
    if (!request->has_at() || !IsValidTimestamp(request->at())) {
      return absl::InvalidArgumentError("at: required, a valid instant");
    }
    RETURN_IF_ERROR(CheckAccessReason(request->access(), "access"));
    view_.CatchUp();
    const absl::Time at = ToTime(request->at());
    ASSIGN_OR_RETURN(projections::BoardAtResult past,
                     view_.reader().BoardAt(request->line_id(), at));
    v1::Board rendered = projections::RenderBoard(
        std::move(past.board), at, past.position,
        ActsAsPartner(caller) ? projections::BoardReader::kPartner
                              : projections::BoardReader::kTeamWorker);
    RETURN_IF_ERROR(RecordAccess(
        access_, actor,
        {.kind = v1::ACCESS_KIND_BOARD_AT,
         .query =
             absl::StrCat("line_id=", request->line_id(), " at ", UtcText(at)),
         .citizen_refs = CitizensOnBoard(rendered),
         .event_count = static_cast<uint32_t>(rendered.event_count()),
         .access = request->access()}));
    return rendered;
  };
  return Answer(board(), response);
}

grpc::Status AuditService::Verify(grpc::ServerContext* context,
                                  const v1::VerifyRequest*,
                                  v1::VerifyResponse* response) {
  auto verify = [&]() -> absl::StatusOr<v1::VerifyResponse> {
    RETURN_IF_ERROR(AuditReader(*context).status());
    if (store_ == nullptr) {
      return absl::FailedPreconditionError(
          "verify walks the event store, which this server does not hold; "
          "ask the server that hosts the command services");
    }
    ASSIGN_OR_RETURN(eventstore::VerifyReport report, store_->VerifyChain());
    v1::VerifyResponse out;
    out.set_ok(report.ok);
    out.set_events_checked(report.events_checked);
    out.set_first_bad_position(report.first_bad_position);
    out.set_problem(report.problem);
    return out;
  };
  return Answer(verify(), response);
}

grpc::Status AuditService::ExportReview(grpc::ServerContext* context,
                                        const v1::ExportReviewRequest* request,
                                        v1::ExportReviewResponse* response) {
  auto review = [&]() -> absl::StatusOr<v1::ExportReviewResponse> {
    ASSIGN_OR_RETURN(Caller caller, AuthenticatedCaller(*context));
    const std::string& actor = caller.party_id;
    ReviewRequest r{.generated_at = clock_.Now(),
                    .generated_by = actor,
                    .shows = ShownTo(caller, view_.reader())};
    switch (request->subject_case()) {
      case v1::ExportReviewRequest::kCallId:
        RETURN_IF_ERROR(CheckId(request->call_id(), "call_id", true));
        r.call_id = request->call_id();
        break;
      case v1::ExportReviewRequest::kCitizenRef:
        RETURN_IF_ERROR(CheckId(request->citizen_ref(), "citizen_ref", true));
        r.citizen_ref = request->citizen_ref();
        break;
      case v1::ExportReviewRequest::SUBJECT_NOT_SET:
        return absl::InvalidArgumentError(
            "call_id or citizen_ref: required (what the review is about)");
    }
    ASSIGN_OR_RETURN(TimeRange range,
                     RangeOf(request->from(), request->to(),
                             request->has_from(), request->has_to()));
    r.from = range.from;
    r.to = range.to;
    if (request->format() != v1::REVIEW_FORMAT_HTML &&
        request->format() != v1::REVIEW_FORMAT_JSON) {
      return absl::InvalidArgumentError("format: HTML or JSON");
    }
    r.format = request->format();
    RETURN_IF_ERROR(CheckAccessReason(request->access(), "access"));
    view_.CatchUp();
    if (!r.call_id.empty()) {
      RETURN_IF_ERROR(
          CheckSubjectsLine(caller, view_.reader(),
                            {projections::keys::Entity::kCall, r.call_id}));
    }
    ASSIGN_OR_RETURN(ReviewExport exported,
                     services::ExportReview(view_.reader(), r));
    std::string query = r.call_id.empty()
                            ? absl::StrCat("citizen_ref=", r.citizen_ref)
                            : absl::StrCat("call_id=", r.call_id);
    if (request->has_from()) absl::StrAppend(&query, " from ", UtcText(r.from));
    if (request->has_to()) absl::StrAppend(&query, " to ", UtcText(r.to));
    RETURN_IF_ERROR(RecordAccess(access_, actor,
                                 {.kind = v1::ACCESS_KIND_REVIEW_EXPORT,
                                  .query = std::move(query),
                                  .citizen_refs = exported.citizen_refs,
                                  .event_count = exported.event_count,
                                  .access = request->access()}));
    return std::move(exported.response);
  };
  return Answer(review(), response);
}

}  // namespace vagt::services
