#include "services/roster/roster_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/roster_state.h"
#include "domain/streams.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"
#include "services/common/command.h"
#include "services/common/command_context.h"
#include "services/common/grpc_status.h"
#include "services/common/ids.h"
#include "services/common/scope.h"
#include "services/roster/roster_decisions.h"
#include "services/roster/roster_ics.h"

namespace vagt::services {
namespace {

// The longest period ExportIcs covers, and its default.
constexpr absl::Duration kMaxExport = absl::Hours(24 * 400);
constexpr int kDefaultExportWeeks = 8;

using RosterDecide =
    absl::FunctionRef<Decision(const RosterState&, const CommandContext&)>;

// Everyone the decided events plan to cover the line (a rotation's slots,
// an override) must work on it (scope.h): a shift planned for someone who
// cannot answer in vagt would leave the line uncovered.
absl::Status CheckPlannedParties(const Caller& caller,
                                 const std::string& line_id,
                                 const std::vector<v1::EventPayload>& events) {
  for (const v1::EventPayload& e : events) {
    if (e.has_roster_override_added()) {
      RETURN_IF_ERROR(CheckWorksOnLine(
          caller, line_id, e.roster_override_added().covered_by().id(),
          "covered_by"));
    }
    if (e.has_roster_rotation_set()) {
      const auto& slots = e.roster_rotation_set().slots();
      for (int i = 0; i < slots.size(); ++i) {
        RETURN_IF_ERROR(
            CheckWorksOnLine(caller, line_id, slots[i].assignee().id(),
                             absl::StrCat("rotation.slots[", i, "].assignee")));
      }
    }
  }
  return absl::OkStatus();
}

// Runs `decide` against the line's roster stream.
absl::StatusOr<v1::CommandResult> OnRoster(eventstore::EventStore& store,
                                           const Clock& clock,
                                           const grpc::ServerContext& context,
                                           const std::string& request_id,
                                           const std::string& line_id,
                                           v1::EventPayload::EventCase recorded,
                                           RosterDecide decide) {
  ASSIGN_OR_RETURN(CommandContext ctx,
                   MakeCommandContext(context, request_id, clock));
  ASSIGN_OR_RETURN(std::string stream,
                   StreamOf(kRosterKind, line_id, "line_id"));
  RETURN_IF_ERROR(CheckLine(ctx.caller, line_id));
  ASSIGN_OR_RETURN(
      eventstore::AppendResult result,
      Execute<RosterState>(
          store, ctx, stream, recorded,
          [&](const RosterState& roster) -> Decision {
            ASSIGN_OR_RETURN(std::vector<v1::EventPayload> events,
                             decide(roster, ctx));
            RETURN_IF_ERROR(CheckPlannedParties(ctx.caller, line_id, events));
            return events;
          }));
  return ToCommandResult(stream, result);
}

// The roster of a line, for a read by a caller who may act on the line;
// NOT_FOUND when
// the line has none.
absl::StatusOr<RosterState> ReadRoster(const eventstore::EventStore& store,
                                       const grpc::ServerContext& context,
                                       const std::string& line_id) {
  ASSIGN_OR_RETURN(Caller caller, AuthenticatedCaller(context));
  ASSIGN_OR_RETURN(std::string stream,
                   StreamOf(kRosterKind, line_id, "line_id"));
  RETURN_IF_ERROR(CheckLine(caller, line_id));
  uint64_t version = 0;
  ASSIGN_OR_RETURN(RosterState roster,
                   LoadAggregate<RosterState>(store, stream, &version));
  if (version == 0) {
    return absl::NotFoundError(
        absl::StrCat("line_id: line ", line_id, " has no roster"));
  }
  return roster;
}

absl::StatusOr<absl::Time> TimeOr(bool has,
                                  const google::protobuf::Timestamp& t,
                                  absl::Time otherwise,
                                  absl::string_view field) {
  if (!has) return otherwise;
  if (!IsValidTimestamp(t)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": not a valid timestamp"));
  }
  return ToTime(t);
}

std::string LocalMinute(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M", t, DutyTimeZone());
}

v1::PlannedShift ToProto(const PlannedShift& s) {
  v1::PlannedShift out;
  out.set_role(s.role);
  *out.mutable_party() = s.party;
  *out.mutable_starts_at() = ToTimestamp(s.start);
  *out.mutable_ends_at() = ToTimestamp(s.end);
  out.set_override_id(s.override_id);
  out.set_local_start(LocalMinute(s.start));
  out.set_local_end(LocalMinute(s.end));
  return out;
}

// Monday 00:00 local of the week holding `day`.
absl::CivilDay MondayOf(absl::CivilDay day) {
  while (absl::GetWeekday(day) != absl::Weekday::monday) --day;
  return day;
}

absl::Time StartOfDay(absl::CivilDay day) {
  return ResolveLocal(absl::CivilSecond(day), DutyTimeZone());
}

absl::StatusOr<v1::AddOverrideResponse> AddOverrideCommand(
    eventstore::EventStore& store, const Clock& clock,
    const grpc::ServerContext& context, const v1::AddOverrideRequest& request) {
  const std::string override_id =
      IdFromRequest("roster-override", request.request_id());
  ASSIGN_OR_RETURN(
      v1::CommandResult result,
      OnRoster(store, clock, context, request.request_id(), request.line_id(),
               v1::EventPayload::kRosterOverrideAdded,
               [&](const RosterState& roster, const CommandContext&) {
                 return DecideAddOverride(roster, request, override_id);
               }));
  v1::AddOverrideResponse response;
  response.set_override_id(override_id);
  *response.mutable_result() = std::move(result);
  return response;
}

absl::StatusOr<v1::ImportOverridesResponse> ImportCommand(
    eventstore::EventStore& store, const Clock& clock,
    const grpc::ServerContext& context,
    const v1::ImportOverridesRequest& request) {
  auto decide = [&](const RosterState& roster,
                    const CommandContext& ctx) -> Decision {
    ASSIGN_OR_RETURN(std::vector<IcsShift> shifts,
                     ShiftsFromIcs(request.ics()));
    std::vector<v1::AddOverrideRequest> overrides;
    std::vector<std::string> ids;
    for (size_t i = 0; i < shifts.size(); ++i) {
      v1::AddOverrideRequest& o = overrides.emplace_back();
      o.set_line_id(request.line_id());
      o.set_time_zone(shifts[i].time_zone);
      *o.mutable_start() = shifts[i].start;
      *o.mutable_end() = shifts[i].end;
      o.set_role(shifts[i].role);
      *o.mutable_covered_by() = shifts[i].party;
      o.set_reason(request.reason());
      o.set_note("imported from iCalendar");
      ids.push_back(IdFromRequest("roster-override",
                                  absl::StrCat(ctx.request_id, "#", i)));
    }
    return DecideImportOverrides(roster, overrides, ids);
  };
  ASSIGN_OR_RETURN(
      v1::CommandResult result,
      OnRoster(store, clock, context, request.request_id(), request.line_id(),
               v1::EventPayload::kRosterOverrideAdded, decide));
  // The ids as recorded, also when this answers a retry.
  const uint64_t count = result.last_position() - result.first_position() + 1;
  ASSIGN_OR_RETURN(
      std::vector<v1::EventEnvelope> recorded,
      store.ReadStream(result.stream_id(), result.stream_version() - count + 1,
                       count));
  v1::ImportOverridesResponse response;
  for (const v1::EventEnvelope& e : recorded) {
    response.add_override_ids(
        e.payload().roster_override_added().override_id());
  }
  *response.mutable_result() = std::move(result);
  return response;
}

absl::StatusOr<v1::WhoShouldCoverResponse> Who(
    const eventstore::EventStore& store, const Clock& clock,
    const grpc::ServerContext& context,
    const v1::WhoShouldCoverRequest& request) {
  ASSIGN_OR_RETURN(RosterState roster,
                   ReadRoster(store, context, request.line_id()));
  ASSIGN_OR_RETURN(absl::Time at,
                   TimeOr(request.has_at(), request.at(), clock.Now(), "at"));
  v1::WhoShouldCoverResponse out;
  out.set_line_id(request.line_id());
  *out.mutable_at() = ToTimestamp(at);
  if (auto duty = roster.ShiftAt(v1::ROSTER_ROLE_DUTY, at)) {
    *out.mutable_duty() = ToProto(duty->shift);
  }
  if (auto backup = roster.ShiftAt(v1::ROSTER_ROLE_BACKUP, at)) {
    *out.mutable_backup() = ToProto(backup->shift);
  }
  // The override (if any) that plans `at` itself, not just part of the
  // shift.
  const PlannedCoverage now = roster.WhoShouldCover(at);
  if (now.duty.has_value()) {
    out.mutable_duty()->set_override_id(now.duty->override_id);
  }
  if (now.backup.has_value()) {
    out.mutable_backup()->set_override_id(now.backup->override_id);
  }
  return out;
}

absl::StatusOr<v1::ShowWeekResponse> Week(const eventstore::EventStore& store,
                                          const Clock& clock,
                                          const grpc::ServerContext& context,
                                          const v1::ShowWeekRequest& request) {
  ASSIGN_OR_RETURN(RosterState roster,
                   ReadRoster(store, context, request.line_id()));
  absl::CivilDay day = absl::ToCivilDay(clock.Now(), DutyTimeZone());
  if (!request.week_of().empty()) {
    std::optional<absl::CivilDay> given = ParseLocalDate(request.week_of());
    if (!given.has_value()) {
      return absl::InvalidArgumentError("week_of: \"YYYY-MM-DD\" expected");
    }
    day = *given;
  }
  const absl::CivilDay monday = MondayOf(day);
  v1::ShowWeekResponse out;
  out.set_line_id(request.line_id());
  out.set_week_start(absl::FormatCivilTime(monday));
  for (const PlannedShift& s :
       roster.Shifts(StartOfDay(monday), StartOfDay(monday + 7))) {
    *out.add_shifts() = ToProto(s);
  }
  return out;
}

absl::StatusOr<v1::ExportIcsResponse> Export(
    const eventstore::EventStore& store, const Clock& clock,
    const grpc::ServerContext& context, const v1::ExportIcsRequest& request) {
  ASSIGN_OR_RETURN(RosterState roster,
                   ReadRoster(store, context, request.line_id()));
  const absl::Time now = clock.Now();
  ASSIGN_OR_RETURN(
      absl::Time from,
      TimeOr(request.has_from(), request.from(),
             StartOfDay(MondayOf(absl::ToCivilDay(now, DutyTimeZone()))),
             "from"));
  ASSIGN_OR_RETURN(absl::Time to,
                   TimeOr(request.has_to(), request.to(),
                          StartOfDay(absl::ToCivilDay(from, DutyTimeZone()) +
                                     7 * kDefaultExportWeeks),
                          "to"));
  if (!(from < to)) {
    return absl::InvalidArgumentError("to: must be after from");
  }
  if (to - from > kMaxExport) {
    return absl::InvalidArgumentError("to: at most 400 days after from");
  }
  const std::vector<PlannedShift> shifts = roster.Shifts(from, to);
  v1::ExportIcsResponse out;
  out.set_content_type("text/calendar");
  out.set_ics(ShiftsToIcs(request.line_id(), shifts, now));
  out.set_event_count(static_cast<uint32_t>(shifts.size()));
  return out;
}

}  // namespace

grpc::Status RosterService::SetRotation(grpc::ServerContext* context,
                                        const v1::SetRotationRequest* request,
                                        v1::CommandResult* response) {
  return Answer(OnRoster(store_, clock_, *context, request->request_id(),
                         request->rotation().line_id(),
                         v1::EventPayload::kRosterRotationSet,
                         [&](const RosterState& roster, const CommandContext&) {
                           return DecideSetRotation(roster, *request);
                         }),
                response);
}

grpc::Status RosterService::AddOverride(grpc::ServerContext* context,
                                        const v1::AddOverrideRequest* request,
                                        v1::AddOverrideResponse* response) {
  return Answer(AddOverrideCommand(store_, clock_, *context, *request),
                response);
}

grpc::Status RosterService::RemoveOverride(
    grpc::ServerContext* context, const v1::RemoveOverrideRequest* request,
    v1::CommandResult* response) {
  return Answer(
      OnRoster(store_, clock_, *context, request->request_id(),
               request->line_id(), v1::EventPayload::kRosterOverrideRemoved,
               [&](const RosterState& roster, const CommandContext&) {
                 return DecideRemoveOverride(roster, *request);
               }),
      response);
}

grpc::Status RosterService::WhoShouldCover(
    grpc::ServerContext* context, const v1::WhoShouldCoverRequest* request,
    v1::WhoShouldCoverResponse* response) {
  return Answer(Who(store_, clock_, *context, *request), response);
}

grpc::Status RosterService::ShowWeek(grpc::ServerContext* context,
                                     const v1::ShowWeekRequest* request,
                                     v1::ShowWeekResponse* response) {
  return Answer(Week(store_, clock_, *context, *request), response);
}

grpc::Status RosterService::ExportIcs(grpc::ServerContext* context,
                                      const v1::ExportIcsRequest* request,
                                      v1::ExportIcsResponse* response) {
  return Answer(Export(store_, clock_, *context, *request), response);
}

grpc::Status RosterService::ImportOverrides(
    grpc::ServerContext* context, const v1::ImportOverridesRequest* request,
    v1::ImportOverridesResponse* response) {
  return Answer(ImportCommand(store_, clock_, *context, *request), response);
}

}  // namespace vagt::services
