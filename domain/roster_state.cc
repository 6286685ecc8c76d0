#include "domain/roster_state.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "domain/local_time.h"
#include "eventstore/timestamps.h"

namespace vagt {
namespace {

bool SameParty(const v1::Party& a, const v1::Party& b) {
  return a.kind() == b.kind() && a.id() == b.id() &&
         a.display_name() == b.display_name();
}

absl::CivilSecond At(absl::CivilDay day, const v1::LocalTime& t) {
  return absl::CivilSecond(day.year(), day.month(), day.day(), t.hour(),
                           t.minute(), 0);
}

// The week of the cycle (1..cycle_weeks) that `day` falls in, counting
// week 1 from `effective_from` and repeating both ways.
int CycleWeek(absl::CivilDay day, absl::CivilDay effective_from,
              int cycle_weeks) {
  const int64_t days = day - effective_from;
  const int64_t week = days >= 0 ? days / 7 : -((-days + 6) / 7);
  const int64_t index = ((week % cycle_weeks) + cycle_weeks) % cycle_weeks;
  return static_cast<int>(index) + 1;
}

bool SlotOn(const v1::RosterSlot& slot, absl::CivilDay day, int cycle_week) {
  if (slot.cycle_week() != 0 &&
      slot.cycle_week() != static_cast<uint32_t>(cycle_week)) {
    return false;
  }
  if (!IsValidLocalTime(slot.start()) || !IsValidLocalTime(slot.end()))
    return false;
  const v1::Weekday weekday = WeekdayOf(day);
  for (int d : slot.weekdays()) {
    if (d == weekday) return true;
  }
  return false;
}

// The instants of the occurrence of `slot` that starts on `day`.
std::pair<absl::Time, absl::Time> Occurrence(const v1::RosterSlot& slot,
                                             absl::CivilDay day,
                                             const absl::TimeZone& zone) {
  const int start = slot.start().hour() * 60 + slot.start().minute();
  const int end = slot.end().hour() * 60 + slot.end().minute();
  const absl::CivilDay end_day = end > start ? day : day + 1;
  return {ResolveLocal(At(day, slot.start()), zone),
          ResolveLocal(At(end_day, slot.end()), zone)};
}

}  // namespace

std::optional<absl::CivilDay> ParseLocalDate(const std::string& text) {
  absl::CivilDay day;
  if (text.size() != 10 || !absl::ParseCivilTime(text, &day) ||
      absl::FormatCivilTime(day) != text) {
    return std::nullopt;
  }
  return day;
}

RosterState::Rotation RosterState::MakeRotation(
    const v1::RosterRotationSet& set) {
  Rotation r;
  r.set = set;
  std::optional<absl::TimeZone> zone = NamedTimeZone(set.time_zone());
  std::optional<absl::CivilDay> from = ParseLocalDate(set.effective_from());
  if (!zone.has_value() || !from.has_value()) return r;
  r.zone = *zone;
  r.effective_from = *from;
  r.starts_at = ResolveLocal(absl::CivilSecond(*from), *zone);
  r.cycle_weeks = std::clamp<int>(
      static_cast<int>(std::min<uint32_t>(set.cycle_weeks(), 1000)), 1, 1000);
  r.readable = true;
  return r;
}

RosterState::Override RosterState::MakeOverride(
    const v1::RosterOverrideAdded& added) {
  Override o;
  o.added = added;
  std::optional<absl::TimeZone> zone = NamedTimeZone(added.time_zone());
  std::optional<absl::CivilDay> start =
      ParseLocalDate(added.start().local_date());
  std::optional<absl::CivilDay> end = ParseLocalDate(added.end().local_date());
  if (!zone.has_value() || !start.has_value() || !end.has_value() ||
      !IsValidLocalTime(added.start().time()) ||
      !IsValidLocalTime(added.end().time())) {
    return o;
  }
  o.start = ResolveLocal(At(*start, added.start().time()), *zone);
  o.end = ResolveLocal(At(*end, added.end().time()), *zone);
  o.readable = o.start < o.end;
  return o;
}

void RosterState::Apply(const v1::EventEnvelope& event) {
  const v1::EventPayload& p = event.payload();
  switch (p.event_case()) {
    case v1::EventPayload::kRosterRotationSet:
      rotations_.push_back(MakeRotation(p.roster_rotation_set()));
      break;
    case v1::EventPayload::kRosterOverrideAdded:
      if (override_ids_.insert(p.roster_override_added().override_id())
              .second) {
        overrides_.push_back(MakeOverride(p.roster_override_added()));
      }
      break;
    case v1::EventPayload::kRosterOverrideRemoved: {
      const std::string& id = p.roster_override_removed().override_id();
      overrides_.erase(std::remove_if(overrides_.begin(), overrides_.end(),
                                      [&](const Override& o) {
                                        return o.added.override_id() == id;
                                      }),
                       overrides_.end());
      break;
    }
    default:
      break;
  }
}

RosterState RosterState::FromParts(
    const std::vector<v1::RosterRotationSet>& rotations,
    const std::vector<v1::RosterOverrideAdded>& overrides) {
  RosterState state;
  for (const v1::RosterRotationSet& r : rotations) {
    state.rotations_.push_back(MakeRotation(r));
  }
  for (const v1::RosterOverrideAdded& o : overrides) {
    if (state.override_ids_.insert(o.override_id()).second) {
      state.overrides_.push_back(MakeOverride(o));
    }
  }
  return state;
}

std::vector<v1::RosterRotationSet> RosterState::rotations() const {
  std::vector<v1::RosterRotationSet> out;
  for (const Rotation& r : rotations_) out.push_back(r.set);
  return out;
}

std::vector<v1::RosterOverrideAdded> RosterState::overrides() const {
  std::vector<v1::RosterOverrideAdded> out;
  for (const Override& o : overrides_) out.push_back(o.added);
  return out;
}

bool RosterState::HasOverride(const std::string& id) const {
  return std::any_of(
      overrides_.begin(), overrides_.end(),
      [&](const Override& o) { return o.added.override_id() == id; });
}

std::optional<absl::Time> RosterState::PlanStart() const {
  std::optional<absl::Time> start;
  for (const Rotation& r : rotations_) {
    if (r.readable && (!start.has_value() || r.starts_at < *start)) {
      start = r.starts_at;
    }
  }
  return start;
}

const RosterState::Rotation* RosterState::RotationAt(absl::Time t) const {
  for (auto it = rotations_.rbegin(); it != rotations_.rend(); ++it) {
    if (it->readable && it->starts_at <= t) return &*it;
  }
  return nullptr;
}

std::optional<v1::Party> RosterState::FromRotation(const Rotation& rotation,
                                                   v1::RosterRole role,
                                                   absl::Time t) const {
  const absl::CivilDay today = absl::ToCivilDay(t, rotation.zone);
  // A slot lasts at most a day, so only those starting yesterday or today
  // can hold `t`.
  for (absl::CivilDay day : {today - 1, today}) {
    const int week =
        CycleWeek(day, rotation.effective_from, rotation.cycle_weeks);
    for (const v1::RosterSlot& slot : rotation.set.slots()) {
      if (slot.role() != role || !SlotOn(slot, day, week)) continue;
      const auto [start, end] = Occurrence(slot, day, rotation.zone);
      if (start <= t && t < end) return slot.assignee();
    }
  }
  return std::nullopt;
}

std::optional<RosterAssignment> RosterState::Planned(v1::RosterRole role,
                                                     absl::Time t) const {
  for (auto it = overrides_.rbegin(); it != overrides_.rend(); ++it) {
    if (it->readable && it->added.role() == role && it->start <= t &&
        t < it->end) {
      return RosterAssignment{.party = it->added.covered_by(),
                              .override_id = it->added.override_id()};
    }
  }
  const Rotation* rotation = RotationAt(t);
  if (rotation == nullptr) return std::nullopt;
  std::optional<v1::Party> party = FromRotation(*rotation, role, t);
  if (!party.has_value()) return std::nullopt;
  return RosterAssignment{.party = *std::move(party), .override_id = ""};
}

PlannedCoverage RosterState::WhoShouldCover(absl::Time t) const {
  return {.duty = Planned(v1::ROSTER_ROLE_DUTY, t),
          .backup = Planned(v1::ROSTER_ROLE_BACKUP, t)};
}

std::vector<absl::Time> RosterState::Boundaries(absl::Time from,
                                                absl::Time to) const {
  std::vector<absl::Time> out;
  auto add = [&](absl::Time t) {
    if (from < t && t < to) out.push_back(t);
  };
  for (const Rotation& r : rotations_) {
    if (!r.readable) continue;
    add(r.starts_at);
    const absl::CivilDay last = absl::ToCivilDay(to, r.zone);
    for (absl::CivilDay day = absl::ToCivilDay(from, r.zone) - 1; day <= last;
         ++day) {
      const int week = CycleWeek(day, r.effective_from, r.cycle_weeks);
      for (const v1::RosterSlot& slot : r.set.slots()) {
        if (!SlotOn(slot, day, week)) continue;
        const auto [start, end] = Occurrence(slot, day, r.zone);
        add(start);
        add(end);
      }
    }
  }
  for (const Override& o : overrides_) {
    if (!o.readable) continue;
    add(o.start);
    add(o.end);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

namespace {

// Appends [start, end) of `assignment` to `shifts`, extending the last
// shift when it ends at `start` with the same party (and, with
// `by_source`, the same override or none).
void Extend(std::vector<PlannedShift>& shifts, v1::RosterRole role,
            const RosterAssignment& assignment, absl::Time start,
            absl::Time end, bool by_source) {
  if (!shifts.empty()) {
    PlannedShift& last = shifts.back();
    if (last.end == start && SameParty(last.party, assignment.party) &&
        (!by_source || last.override_id == assignment.override_id)) {
      last.end = end;
      if (!by_source) last.override_id.clear();
      return;
    }
  }
  shifts.push_back({.role = role,
                    .party = assignment.party,
                    .override_id = by_source ? assignment.override_id : "",
                    .start = start,
                    .end = end});
}

}  // namespace

std::vector<PlannedShift> RosterState::Shifts(v1::RosterRole role,
                                              absl::Time from,
                                              absl::Time to) const {
  std::vector<PlannedShift> shifts;
  if (!(from < to)) return shifts;
  std::vector<absl::Time> points = Boundaries(from, to);
  points.insert(points.begin(), from);
  points.push_back(to);
  for (size_t i = 0; i + 1 < points.size(); ++i) {
    std::optional<RosterAssignment> a = Planned(role, points[i]);
    if (a.has_value()) {
      Extend(shifts, role, *a, points[i], points[i + 1], /*by_source=*/true);
    }
  }
  return shifts;
}

std::vector<PlannedShift> RosterState::Shifts(absl::Time from,
                                              absl::Time to) const {
  std::vector<PlannedShift> all = Shifts(v1::ROSTER_ROLE_DUTY, from, to);
  std::vector<PlannedShift> backup = Shifts(v1::ROSTER_ROLE_BACKUP, from, to);
  all.insert(all.end(), backup.begin(), backup.end());
  std::stable_sort(all.begin(), all.end(),
                   [](const PlannedShift& a, const PlannedShift& b) {
                     return a.start < b.start;
                   });
  return all;
}

void RosterState::ForgetBefore(absl::Time t) {
  overrides_.erase(std::remove_if(overrides_.begin(), overrides_.end(),
                                  [&](const Override& o) {
                                    return !o.readable || o.end <= t;
                                  }),
                   overrides_.end());
  std::vector<Rotation> kept;
  for (size_t i = 0; i < rotations_.size(); ++i) {
    const Rotation& r = rotations_[i];
    if (!r.readable) continue;
    const absl::Time needed_from = std::max(r.starts_at, t);
    bool replaced = false;
    for (size_t j = i + 1; j < rotations_.size() && !replaced; ++j) {
      replaced =
          rotations_[j].readable && rotations_[j].starts_at <= needed_from;
    }
    if (!replaced) kept.push_back(r);
  }
  rotations_ = std::move(kept);
}

std::optional<ShiftContext> RosterState::ShiftAt(v1::RosterRole role,
                                                 absl::Time t) const {
  if (!Planned(role, t).has_value()) return std::nullopt;
  // Nothing is planned before the first rotation or override begins.
  std::optional<absl::Time> earliest = PlanStart();
  for (const Override& o : overrides_) {
    if (o.readable && (!earliest.has_value() || o.start < *earliest)) {
      earliest = o.start;
    }
  }
  absl::Duration back = absl::Hours(24 * 7);
  absl::Duration ahead = absl::Hours(24 * 7);
  while (true) {
    const absl::Time from = t - back;
    const absl::Time to = t + ahead;
    // Merged by party alone: a shift is who is planned, whatever planned it.
    std::vector<PlannedShift> merged;
    for (const PlannedShift& s : Shifts(role, from, to)) {
      Extend(merged, role, {.party = s.party, .override_id = ""}, s.start,
             s.end, /*by_source=*/false);
    }
    size_t i = 0;
    while (i < merged.size() && !(merged[i].start <= t && t < merged[i].end)) {
      ++i;
    }
    if (i == merged.size()) return std::nullopt;  // unreachable: planned at t
    const bool clipped_back =
        merged[i].start == from && earliest.has_value() && from > *earliest;
    const bool clipped_ahead = merged[i].end == to;
    const bool grow_back = clipped_back && back < kShiftReach;
    const bool grow_ahead = clipped_ahead && ahead < kShiftReach;
    if (!grow_back && !grow_ahead) {
      ShiftContext context{.shift = merged[i], .previous = std::nullopt};
      if (!clipped_back && i > 0 && merged[i - 1].end == merged[i].start) {
        context.previous = merged[i - 1].party;
      }
      return context;
    }
    if (grow_back) back = std::min(back * 2, kShiftReach);
    if (grow_ahead) ahead = std::min(ahead * 2, kShiftReach);
  }
}

}  // namespace vagt
