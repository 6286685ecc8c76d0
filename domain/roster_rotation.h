// The rules a rotation and an override must follow before they are
// recorded, and the typical rotation of a team (StandardRotation). Pure
// functions; every failure is INVALID_ARGUMENT naming the field and the rule.
//
//   v1::RosterRotationSet rotation = StandardRotation(standard);
//   rotation.set_line_id("ishoj-bos");
//   rotation.set_effective_from("2026-03-02");
//   RETURN_IF_ERROR(ValidateRotation(rotation));
#ifndef VAGT_DOMAIN_ROSTER_ROTATION_H_
#define VAGT_DOMAIN_ROSTER_ROTATION_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "vagt/v1/events.pb.h"
#include "vagt/v1/roster.pb.h"

namespace vagt {

inline constexpr uint32_t kMaxCycleWeeks = 52;
inline constexpr int kMaxRotationSlots = 200;
// The longest override.
inline constexpr absl::Duration kMaxOverride = absl::Hours(24 * 366);
// The longest override note.
inline constexpr size_t kMaxOverrideNoteBytes = 1024;

// A rotation to record: a known time zone, `effective_from` a Monday
// ("YYYY-MM-DD"), 1..kMaxCycleWeeks weeks, 1..kMaxRotationSlots slots each
// with a role, weekdays (no repeats), a cycle week within the cycle, valid
// local times and a valid party; DUTY slots covering every minute of the
// cycle in local time exactly once ("DUTY slots leave a gap in week 2 from
// Sat 22:00 to Sun 07:00"), BACKUP slots never overlapping. `line_id` is the
// caller's to check.
absl::Status ValidateRotation(const v1::RosterRotationSet& rotation);

// The slots and cycle of the typical rotation (see roster.proto); the
// caller sets line_id, time_zone and effective_from. INVALID_ARGUMENT
// naming e.g. "standard.weekends[2].backup" when a party is missing or of
// the wrong kind, or the cycle has no or too many weeks.
absl::StatusOr<v1::RosterRotationSet> StandardRotation(
    const v1::StandardRotation& standard);

// The local start and end of an override, resolved in `zone_name`: valid
// dates and times, end after start, at most kMaxOverride apart. `field`
// prefixes the names in errors ("" for the request's own fields).
struct OverridePeriod {
  absl::Time start;
  absl::Time end;
};
absl::StatusOr<OverridePeriod> ValidateOverridePeriod(
    const std::string& zone_name, const v1::LocalDateTime& start,
    const v1::LocalDateTime& end, absl::string_view field);

}  // namespace vagt

#endif  // VAGT_DOMAIN_ROSTER_ROTATION_H_
