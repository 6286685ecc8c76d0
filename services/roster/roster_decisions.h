// The decisions of RosterService's commands: pure functions of the folded
// roster and the request, returning the events to append (or why not).
// Every failure is INVALID_ARGUMENT naming the field, NOT_FOUND or
// FAILED_PRECONDITION, as roster.proto documents; no message carries more
// than ids, field names and local times.
#ifndef VAGT_SERVICES_ROSTER_ROSTER_DECISIONS_H_
#define VAGT_SERVICES_ROSTER_ROSTER_DECISIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/decision.h"
#include "domain/roster_state.h"
#include "vagt/v1/events.pb.h"
#include "vagt/v1/roster.pb.h"

namespace vagt::services {

// RosterRotationSet from `request.rotation` (its line_id must be `line_id`
// or empty) or from `request.standard`, validated (roster_rotation.h).
Decision DecideSetRotation(const RosterState& roster,
                           const v1::SetRotationRequest& request);

// RosterOverrideAdded with `override_id` (derived from the request id).
// `field` prefixes the names in errors ("" for AddOverride itself,
// "ics: VEVENT 3: " for an import).
absl::StatusOr<v1::EventPayload> OverrideAdded(
    const v1::AddOverrideRequest& request, const std::string& override_id,
    absl::string_view field);
Decision DecideAddOverride(const RosterState& roster,
                           const v1::AddOverrideRequest& request,
                           const std::string& override_id);

// NOT_FOUND for an override the line never had, FAILED_PRECONDITION for
// one already removed.
Decision DecideRemoveOverride(const RosterState& roster,
                              const v1::RemoveOverrideRequest& request);

// One RosterOverrideAdded per request, all or nothing; `override_ids` pair
// with `requests`.
Decision DecideImportOverrides(
    const RosterState& roster,
    const std::vector<v1::AddOverrideRequest>& requests,
    const std::vector<std::string>& override_ids);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_ROSTER_ROSTER_DECISIONS_H_
