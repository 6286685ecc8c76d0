#include "domain/roster_rotation.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/field_checks.h"
#include "domain/local_time.h"
#include "domain/roster_state.h"
#include "eventstore/status_macros.h"

namespace vagt {
namespace {

constexpr int kMinutesPerDay = 24 * 60;
constexpr int kMinutesPerWeek = 7 * kMinutesPerDay;
constexpr const char* kDayNames[] = {"Mon", "Tue", "Wed", "Thu",
                                     "Fri", "Sat", "Sun"};

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

// A minute of the cycle, as a person reads it: "week 2 Sat 07:00" ("Sat
// 07:00" in a one-week cycle).
std::string CycleMinute(int minute, int cycle_weeks) {
  const int week = minute / kMinutesPerWeek;
  const int day = (minute % kMinutesPerWeek) / kMinutesPerDay;
  const int of_day = minute % kMinutesPerDay;
  const std::string clock =
      absl::StrFormat("%s %02d:%02d", kDayNames[day], of_day / 60, of_day % 60);
  return cycle_weeks == 1 ? clock : absl::StrCat("week ", week + 1, " ", clock);
}

struct Span {
  int start;  // minute of the cycle, inclusive
  int end;    // exclusive
  int slot;   // index in `slots`
};

// The minutes of the cycle that the slots of `role` cover, split where they
// wrap around the cycle's end, sorted by start.
std::vector<Span> SpansOf(const v1::RosterRotationSet& rotation,
                          v1::RosterRole role, int cycle_weeks) {
  const int cycle = cycle_weeks * kMinutesPerWeek;
  std::vector<Span> spans;
  for (int i = 0; i < rotation.slots_size(); ++i) {
    const v1::RosterSlot& slot = rotation.slots(i);
    if (slot.role() != role) continue;
    const int start = slot.start().hour() * 60 + slot.start().minute();
    const int end = slot.end().hour() * 60 + slot.end().minute();
    const int length = end > start ? end - start : end + kMinutesPerDay - start;
    for (int week = 1; week <= cycle_weeks; ++week) {
      if (slot.cycle_week() != 0 &&
          slot.cycle_week() != static_cast<uint32_t>(week)) {
        continue;
      }
      for (int day : slot.weekdays()) {
        const int from =
            (week - 1) * kMinutesPerWeek + (day - 1) * kMinutesPerDay + start;
        if (from + length <= cycle) {
          spans.push_back({from, from + length, i});
        } else {
          spans.push_back({from, cycle, i});
          spans.push_back({0, from + length - cycle, i});
        }
      }
    }
  }
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return a.start != b.start ? a.start < b.start : a.slot < b.slot;
  });
  return spans;
}

// No two spans share a minute; with `complete`, every minute of the cycle
// is in one.
absl::Status CheckCover(const v1::RosterRotationSet& rotation,
                        v1::RosterRole role, int cycle_weeks, bool complete) {
  const int cycle = cycle_weeks * kMinutesPerWeek;
  const std::string role_name =
      role == v1::ROSTER_ROLE_DUTY ? "DUTY" : "BACKUP";
  int covered_to = 0;  // every minute before it is covered (when complete)
  int last_slot = -1;  // the slot whose span reaches furthest so far
  for (const Span& s : SpansOf(rotation, role, cycle_weeks)) {
    if (complete && s.start > covered_to) {
      return Invalid("rotation.slots",
                     absl::StrCat(role_name, " slots leave a gap from ",
                                  CycleMinute(covered_to, cycle_weeks), " to ",
                                  CycleMinute(s.start, cycle_weeks),
                                  " (nobody would hold the line)"));
    }
    if (s.start < covered_to) {
      return Invalid(
          "rotation.slots",
          absl::StrCat(
              role_name, " slots overlap from ",
              CycleMinute(s.start, cycle_weeks), " to ",
              CycleMinute(std::min(covered_to, s.end) % cycle, cycle_weeks),
              " (slots[", last_slot, "] and slots[", s.slot, "])"));
    }
    covered_to = s.end;
    last_slot = s.slot;
  }
  if (complete && covered_to < cycle) {
    return Invalid("rotation.slots",
                   absl::StrCat(role_name, " slots leave a gap from ",
                                CycleMinute(covered_to, cycle_weeks),
                                " to the end of the cycle (nobody would hold "
                                "the line)"));
  }
  return absl::OkStatus();
}

absl::Status CheckSlot(const v1::RosterSlot& slot, int index,
                       uint32_t cycle_weeks) {
  const std::string field = absl::StrCat("rotation.slots[", index, "]");
  if (slot.role() != v1::ROSTER_ROLE_DUTY &&
      slot.role() != v1::ROSTER_ROLE_BACKUP) {
    return Invalid(absl::StrCat(field, ".role"), "required, DUTY or BACKUP");
  }
  if (slot.weekdays().empty()) {
    return Invalid(absl::StrCat(field, ".weekdays"), "required");
  }
  bool seen[8] = {};
  for (int day : slot.weekdays()) {
    if (day < 1 || day > 7) {
      return Invalid(absl::StrCat(field, ".weekdays"),
                     "each must be a weekday (MONDAY..SUNDAY)");
    }
    if (seen[day]) {
      return Invalid(absl::StrCat(field, ".weekdays"), "a day is repeated");
    }
    seen[day] = true;
  }
  if (slot.cycle_week() > cycle_weeks) {
    return Invalid(absl::StrCat(field, ".cycle_week"),
                   absl::StrCat("must be 0 (every week) or 1..cycle_weeks (",
                                cycle_weeks, ")"));
  }
  RETURN_IF_ERROR(CheckLocalTime(slot.start(), absl::StrCat(field, ".start")));
  RETURN_IF_ERROR(CheckLocalTime(slot.end(), absl::StrCat(field, ".end")));
  return CheckParty(slot.assignee(), absl::StrCat(field, ".assignee"));
}

absl::Status CheckPartyKind(const v1::Party& party, v1::PartyKind kind,
                            const std::string& field) {
  if (party.kind() != kind) {
    return Invalid(absl::StrCat(field, ".kind"),
                   absl::StrCat("must be ", v1::PartyKind_Name(kind)));
  }
  return CheckParty(party, field);
}

v1::RosterSlot Slot(uint32_t cycle_week, std::vector<v1::Weekday> days,
                    int start_hour, int end_hour, v1::RosterRole role,
                    const v1::Party& assignee) {
  v1::RosterSlot slot;
  slot.set_cycle_week(cycle_week);
  for (v1::Weekday d : days) slot.add_weekdays(d);
  slot.mutable_start()->set_hour(start_hour);
  slot.mutable_end()->set_hour(end_hour);
  slot.set_role(role);
  *slot.mutable_assignee() = assignee;
  return slot;
}

}  // namespace

absl::Status ValidateRotation(const v1::RosterRotationSet& rotation) {
  if (!NamedTimeZone(rotation.time_zone()).has_value()) {
    return Invalid("rotation.time_zone",
                   "unknown time zone (use an IANA name such as "
                   "Europe/Copenhagen, or leave it empty)");
  }
  std::optional<absl::CivilDay> from =
      ParseLocalDate(rotation.effective_from());
  if (!from.has_value()) {
    return Invalid("rotation.effective_from", "required, \"YYYY-MM-DD\"");
  }
  if (absl::GetWeekday(*from) != absl::Weekday::monday) {
    return Invalid("rotation.effective_from",
                   "must be a Monday (the first day of week 1 of the cycle)");
  }
  if (rotation.cycle_weeks() < 1 || rotation.cycle_weeks() > kMaxCycleWeeks) {
    return Invalid("rotation.cycle_weeks",
                   absl::StrCat("must be 1..", kMaxCycleWeeks));
  }
  if (rotation.slots().empty() || rotation.slots_size() > kMaxRotationSlots) {
    return Invalid("rotation.slots",
                   absl::StrCat("1..", kMaxRotationSlots, " slots"));
  }
  for (int i = 0; i < rotation.slots_size(); ++i) {
    RETURN_IF_ERROR(CheckSlot(rotation.slots(i), i, rotation.cycle_weeks()));
  }
  const int weeks = static_cast<int>(rotation.cycle_weeks());
  RETURN_IF_ERROR(CheckCover(rotation, v1::ROSTER_ROLE_DUTY, weeks,
                             /*complete=*/true));
  return CheckCover(rotation, v1::ROSTER_ROLE_BACKUP, weeks,
                    /*complete=*/false);
}

absl::StatusOr<v1::RosterRotationSet> StandardRotation(
    const v1::StandardRotation& standard) {
  RETURN_IF_ERROR(CheckPartyKind(standard.weekday_worker(),
                                 v1::PARTY_KIND_TEAM_WORKER,
                                 "standard.weekday_worker"));
  RETURN_IF_ERROR(CheckPartyKind(standard.night_partner(),
                                 v1::PARTY_KIND_NIGHT_PARTNER,
                                 "standard.night_partner"));
  if (standard.weekends().empty() ||
      standard.weekends_size() > static_cast<int>(kMaxCycleWeeks)) {
    return Invalid("standard.weekends",
                   absl::StrCat("1..", kMaxCycleWeeks,
                                " weekends (one per week of the cycle)"));
  }
  for (int i = 0; i < standard.weekends_size(); ++i) {
    const std::string field = absl::StrCat("standard.weekends[", i, "]");
    RETURN_IF_ERROR(CheckPartyKind(standard.weekends(i).duty(),
                                   v1::PARTY_KIND_TEAM_WORKER,
                                   absl::StrCat(field, ".duty")));
    RETURN_IF_ERROR(CheckPartyKind(standard.weekends(i).backup(),
                                   v1::PARTY_KIND_TEAM_WORKER,
                                   absl::StrCat(field, ".backup")));
  }
  using v1::ROSTER_ROLE_BACKUP;
  using v1::ROSTER_ROLE_DUTY;
  const std::vector<v1::Weekday> weekdays = {
      v1::WEEKDAY_MONDAY, v1::WEEKDAY_TUESDAY, v1::WEEKDAY_WEDNESDAY,
      v1::WEEKDAY_THURSDAY, v1::WEEKDAY_FRIDAY};
  const std::vector<v1::Weekday> weekend = {v1::WEEKDAY_SATURDAY,
                                            v1::WEEKDAY_SUNDAY};
  std::vector<v1::Weekday> every_day = weekdays;
  every_day.insert(every_day.end(), weekend.begin(), weekend.end());

  v1::RosterRotationSet rotation;
  rotation.set_cycle_weeks(static_cast<uint32_t>(standard.weekends_size()));
  *rotation.add_slots() =
      Slot(0, weekdays, 7, 22, ROSTER_ROLE_DUTY, standard.weekday_worker());
  *rotation.add_slots() =
      Slot(0, every_day, 22, 7, ROSTER_ROLE_DUTY, standard.night_partner());
  for (int i = 0; i < standard.weekends_size(); ++i) {
    const uint32_t week = static_cast<uint32_t>(i + 1);
    *rotation.add_slots() = Slot(week, weekend, 7, 22, ROSTER_ROLE_DUTY,
                                 standard.weekends(i).duty());
    *rotation.add_slots() = Slot(week, weekend, 7, 22, ROSTER_ROLE_BACKUP,
                                 standard.weekends(i).backup());
  }
  return rotation;
}

absl::StatusOr<OverridePeriod> ValidateOverridePeriod(
    const std::string& zone_name, const v1::LocalDateTime& start,
    const v1::LocalDateTime& end, absl::string_view field) {
  std::optional<absl::TimeZone> zone = NamedTimeZone(zone_name);
  if (!zone.has_value()) {
    return Invalid(absl::StrCat(field, "time_zone"), "unknown time zone");
  }
  OverridePeriod period;
  for (const auto& [local, name, out] :
       {std::tuple(&start, "start", &period.start),
        std::tuple(&end, "end", &period.end)}) {
    std::optional<absl::CivilDay> day = ParseLocalDate(local->local_date());
    if (!day.has_value()) {
      return Invalid(absl::StrCat(field, name, ".local_date"),
                     "required, \"YYYY-MM-DD\"");
    }
    RETURN_IF_ERROR(
        CheckLocalTime(local->time(), absl::StrCat(field, name, ".time")));
    *out = ResolveLocal(
        absl::CivilSecond(day->year(), day->month(), day->day(),
                          local->time().hour(), local->time().minute(), 0),
        *zone);
  }
  if (!(period.start < period.end)) {
    return Invalid(absl::StrCat(field, "end"), "must be after start");
  }
  if (period.end - period.start > kMaxOverride) {
    return Invalid(absl::StrCat(field, "end"),
                   "an override lasts at most 366 days");
  }
  return period;
}

}  // namespace vagt
