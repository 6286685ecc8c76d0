#include "services/roster/roster_decisions.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "domain/field_checks.h"
#include "domain/roster_rotation.h"
#include "eventstore/status_macros.h"
#include "eventstore/validation.h"

namespace vagt::services {

Decision DecideSetRotation(const RosterState&,
                           const v1::SetRotationRequest& request) {
  v1::RosterRotationSet rotation = request.rotation();
  if (request.has_standard()) {
    if (!rotation.slots().empty() || rotation.cycle_weeks() != 0) {
      return absl::InvalidArgumentError(
          "standard: give either rotation.slots and rotation.cycle_weeks, "
          "or standard, not both");
    }
    ASSIGN_OR_RETURN(v1::RosterRotationSet expanded,
                     StandardRotation(request.standard()));
    rotation.set_cycle_weeks(expanded.cycle_weeks());
    *rotation.mutable_slots() = std::move(*expanded.mutable_slots());
  }
  RETURN_IF_ERROR(ValidateRotation(rotation));
  v1::EventPayload payload;
  *payload.mutable_roster_rotation_set() = std::move(rotation);
  return One(std::move(payload));
}

absl::StatusOr<v1::EventPayload> OverrideAdded(
    const v1::AddOverrideRequest& request, const std::string& override_id,
    absl::string_view field) {
  RETURN_IF_ERROR(ValidateOverridePeriod(request.time_zone(), request.start(),
                                         request.end(), field)
                      .status());
  if (request.role() != v1::ROSTER_ROLE_DUTY &&
      request.role() != v1::ROSTER_ROLE_BACKUP) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, "role: required, DUTY or BACKUP"));
  }
  RETURN_IF_ERROR(
      CheckParty(request.covered_by(), absl::StrCat(field, "covered_by")));
  if (!v1::RosterOverrideReason_IsValid(request.reason())) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, "reason: not a known reason"));
  }
  if (request.note().size() > kMaxOverrideNoteBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, "note: at most ", kMaxOverrideNoteBytes, " bytes"));
  }
  v1::EventPayload payload;
  v1::RosterOverrideAdded& e = *payload.mutable_roster_override_added();
  e.set_line_id(request.line_id());
  e.set_override_id(override_id);
  e.set_time_zone(request.time_zone());
  *e.mutable_start() = request.start();
  *e.mutable_end() = request.end();
  e.set_role(request.role());
  *e.mutable_covered_by() = request.covered_by();
  e.set_reason(request.reason() == v1::ROSTER_OVERRIDE_REASON_UNSPECIFIED
                   ? v1::ROSTER_OVERRIDE_REASON_OTHER
                   : request.reason());
  e.set_note(request.note());
  return payload;
}

Decision DecideAddOverride(const RosterState& roster,
                           const v1::AddOverrideRequest& request,
                           const std::string& override_id) {
  if (roster.KnowsOverride(override_id)) {
    return absl::AlreadyExistsError(
        "request_id: already used for a different command; use a new one");
  }
  ASSIGN_OR_RETURN(v1::EventPayload payload,
                   OverrideAdded(request, override_id, ""));
  return One(std::move(payload));
}

Decision DecideRemoveOverride(const RosterState& roster,
                              const v1::RemoveOverrideRequest& request) {
  if (request.override_id().empty()) {
    return absl::InvalidArgumentError("override_id: required");
  }
  if (!roster.KnowsOverride(request.override_id())) {
    return absl::NotFoundError(
        absl::StrCat("override_id: line ", request.line_id(),
                     " has no override ", request.override_id()));
  }
  if (!roster.HasOverride(request.override_id())) {
    return absl::FailedPreconditionError(absl::StrCat("override_id: override ",
                                                      request.override_id(),
                                                      " was already removed"));
  }
  v1::EventPayload payload;
  v1::RosterOverrideRemoved& e = *payload.mutable_roster_override_removed();
  e.set_line_id(request.line_id());
  e.set_override_id(request.override_id());
  return One(std::move(payload));
}

Decision DecideImportOverrides(
    const RosterState& roster,
    const std::vector<v1::AddOverrideRequest>& requests,
    const std::vector<std::string>& override_ids) {
  std::vector<v1::EventPayload> out;
  for (size_t i = 0; i < requests.size(); ++i) {
    if (roster.KnowsOverride(override_ids[i])) {
      // Ids derive from request ids, so this is a request id reused.
      return absl::AlreadyExistsError(
          "request_id: already used for a different command; use a new one");
    }
    ASSIGN_OR_RETURN(v1::EventPayload payload,
                     OverrideAdded(requests[i], override_ids[i],
                                   absl::StrCat("ics: VEVENT ", i + 1, ": ")));
    out.push_back(std::move(payload));
  }
  return out;
}

}  // namespace vagt::services
