// Local time: vagt stores instants in UTC and people plan and read them in
// Europe/Copenhagen (DOMAIN.md). The zone, how a local time a person gives
// becomes an instant, and the checks on local times in records, each once.
//
//   std::optional<absl::TimeZone> zone = NamedTimeZone(rotation.time_zone());
//   absl::Time start = ResolveLocal(absl::CivilSecond(2026, 3, 29, 2, 30, 0),
//                                   *zone);  // 03:00 CEST, the change
#ifndef VAGT_DOMAIN_LOCAL_TIME_H_
#define VAGT_DOMAIN_LOCAL_TIME_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "vagt/v1/events.pb.h"

namespace vagt {

// Times are stored in UTC and shown in this zone (DOMAIN.md).
inline constexpr char kDutyTimeZone[] = "Europe/Copenhagen";

// kDutyTimeZone, loaded once; UTC if the zone data is missing (tzdata is a
// dependency, so only a broken install shows UTC).
inline const absl::TimeZone& DutyTimeZone() {
  static const absl::TimeZone* zone = [] {
    auto* z = new absl::TimeZone(absl::UTCTimeZone());
    absl::LoadTimeZone(kDutyTimeZone, z);
    return z;
  }();
  return *zone;
}

// The zone a record names in its `time_zone` field: "" (or kDutyTimeZone)
// is DutyTimeZone(); nullopt when the name is not a known IANA zone.
inline std::optional<absl::TimeZone> NamedTimeZone(const std::string& name) {
  if (name.empty() || name == kDutyTimeZone) return DutyTimeZone();
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(name, &zone)) return std::nullopt;
  return zone;
}

// The instant of local civil time `civil` in `zone`, as vagt reads a local
// time a person gives: one the spring change skips means the instant of the
// change, one the autumn change repeats means the earlier instant.
inline absl::Time ResolveLocal(absl::CivilSecond civil,
                               const absl::TimeZone& zone) {
  const absl::TimeZone::TimeInfo info = zone.At(civil);
  return info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans : info.pre;
}

// The day of the week of `day`, as records name it (WEEKDAY_MONDAY = 1 ..
// WEEKDAY_SUNDAY = 7).
v1::Weekday WeekdayOf(absl::CivilDay day);

// Whether `t` is a time of day: hour 0..23, minute 0..59.
bool IsValidLocalTime(const v1::LocalTime& t);

// OK when IsValidLocalTime(t); else INVALID_ARGUMENT naming the part
// ("<field>.hour: must be 0..23", "<field>.minute: must be 0..59").
absl::Status CheckLocalTime(const v1::LocalTime& t, absl::string_view field);

}  // namespace vagt

#endif  // VAGT_DOMAIN_LOCAL_TIME_H_
