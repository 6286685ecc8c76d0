// RosterState: the planned coverage of one line, folded from its stream
// "roster-<line id>" (RosterRotationSet, RosterOverrideAdded,
// RosterOverrideRemoved; proto/vagt/v1/events.proto is the contract), and
// the plan it gives at any instant.
//
//   RosterState roster;
//   for (const v1::EventEnvelope& e : events) roster.Apply(e);
//   PlannedCoverage now = roster.WhoShouldCover(absl::Now());
//   if (now.duty) Show(now.duty->party);
//
// Local time. A rotation is planned in local civil time of its zone (empty:
// Europe/Copenhagen) and turned into instants only here, day by day, with
// the zone's rules for that day (ResolveLocal): a 22:00-07:00 night is 22:00
// to 07:00 local also when the clocks change (8 hours in March, 10 in
// October), and consecutive slots meet at the same instant, because both
// resolve the same civil time. A local time the spring change skips means
// the instant of the change (TimeInfo::trans); one the autumn change repeats
// means the earlier instant (TimeInfo::pre).
//
// The rules:
// - Rotations: at instant t the rotation that applies is the latest one set
//   whose `effective_from` (00:00 local) is at or before t; its cycle of
//   `cycle_weeks` weeks counts from `effective_from` (week 1) and repeats
//   both ways, so the night that began on the Sunday before
//   `effective_from` is planned by the new rotation after midnight.
// - Overrides win over the rotation for their period and role; of two
//   overrides covering t for one role, the later added wins. A removed
//   override no longer counts.
// - The fold accepts whatever the stream holds (commands validate; see
//   roster_rotation.h): a rotation or override it cannot read (unknown zone,
//   bad date) plans nothing, and slots that overlap resolve to the first.
//
// Threading: a value type; const methods may be called from any thread.
#ifndef VAGT_DOMAIN_ROSTER_STATE_H_
#define VAGT_DOMAIN_ROSTER_STATE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/local_time.h"
#include "domain/streams.h"
#include "eventstore/timestamps.h"
#include "vagt/v1/events.pb.h"

namespace vagt {

// "YYYY-MM-DD" as a civil day; nullopt otherwise.
std::optional<absl::CivilDay> ParseLocalDate(const std::string& text);

// Who the roster plans for a role at an instant.
struct RosterAssignment {
  v1::Party party;
  // The override that planned it; empty: the rotation.
  std::string override_id;
};

struct PlannedCoverage {
  std::optional<RosterAssignment> duty;
  std::optional<RosterAssignment> backup;
};

// A stretch of time one party is planned for one role: consecutive slots of
// the same party (and the same override, or none) are one shift.
struct PlannedShift {
  v1::RosterRole role = v1::ROSTER_ROLE_UNSPECIFIED;
  v1::Party party;
  std::string override_id;
  absl::Time start;  // inclusive
  absl::Time end;    // exclusive
};

// The shift that holds an instant, with what came before it.
struct ShiftContext {
  PlannedShift shift;
  // Who was planned for the role right before `shift.start`; nullopt when
  // nobody was (the roster began there) or when the shift reaches further
  // back than kShiftReach (its start is then that bound, not a change).
  std::optional<v1::Party> previous;
};

// How far ShiftAt looks for the ends of a shift.
inline constexpr absl::Duration kShiftReach = absl::Hours(24 * 400);

class RosterState {
 public:
  void Apply(const v1::EventEnvelope& event);

  // The state whose rotations and active overrides are these, in the order
  // they were set or added (what the board keeps of a roster).
  static RosterState FromParts(
      const std::vector<v1::RosterRotationSet>& rotations,
      const std::vector<v1::RosterOverrideAdded>& overrides);

  // Every rotation set, oldest first; and the overrides not removed, in the
  // order added.
  std::vector<v1::RosterRotationSet> rotations() const;
  std::vector<v1::RosterOverrideAdded> overrides() const;
  bool has_rotation() const { return !rotations_.empty(); }
  // Whether an override with this id was ever added (removed or not), and
  // whether it is still in force.
  bool KnowsOverride(const std::string& id) const {
    return override_ids_.contains(id);
  }
  bool HasOverride(const std::string& id) const;

  // When the first rotation begins (the earliest effective_from, 00:00
  // local); nullopt without a rotation.
  std::optional<absl::Time> PlanStart() const;

  // Who is planned at `t`: DUTY and BACKUP, each from an override if one
  // covers `t`, else from the rotation in force.
  PlannedCoverage WhoShouldCover(absl::Time t) const;
  std::optional<RosterAssignment> Planned(v1::RosterRole role,
                                          absl::Time t) const;

  // The shifts of `role` overlapping [from, to), clipped to it, in order.
  // The shifts of both roles, ordered by start, DUTY before BACKUP.
  std::vector<PlannedShift> Shifts(v1::RosterRole role, absl::Time from,
                                   absl::Time to) const;
  std::vector<PlannedShift> Shifts(absl::Time from, absl::Time to) const;

  // The shift of `role` that holds `t`, its ends looked for up to
  // kShiftReach away; nullopt when nobody is planned at `t`.
  std::optional<ShiftContext> ShiftAt(v1::RosterRole role, absl::Time t) const;

  // Drops what can plan nothing at or after `t`: overrides that ended by
  // then, rotations a later one replaces for every instant from `t` on, and
  // what cannot be read. The plan at instants >= `t` does not change.
  void ForgetBefore(absl::Time t);

 private:
  struct Rotation {
    v1::RosterRotationSet set;
    absl::TimeZone zone;
    absl::CivilDay effective_from;
    absl::Time starts_at;
    int cycle_weeks = 1;
    bool readable = false;
  };
  struct Override {
    v1::RosterOverrideAdded added;
    absl::Time start;
    absl::Time end;
    bool readable = false;
  };

  static Rotation MakeRotation(const v1::RosterRotationSet& set);
  static Override MakeOverride(const v1::RosterOverrideAdded& added);
  const Rotation* RotationAt(absl::Time t) const;
  std::optional<v1::Party> FromRotation(const Rotation& rotation,
                                        v1::RosterRole role,
                                        absl::Time t) const;
  // Every instant in (from, to) at which a plan may change.
  std::vector<absl::Time> Boundaries(absl::Time from, absl::Time to) const;

  std::vector<Rotation> rotations_;
  std::vector<Override> overrides_;  // active, in the order added
  absl::flat_hash_set<std::string> override_ids_;
};

}  // namespace vagt

#endif  // VAGT_DOMAIN_ROSTER_STATE_H_
