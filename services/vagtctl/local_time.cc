#include "services/vagtctl/local_time.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "domain/local_time.h"
#include "eventstore/timestamps.h"

namespace vagt::vagtctl {

const absl::TimeZone& LocalZone() { return DutyTimeZone(); }

absl::StatusOr<absl::Time> ParseLocalTime(const std::string& text,
                                          absl::Time now,
                                          const std::string& field) {
  const absl::TimeZone& zone = LocalZone();
  std::string civil = text;
  if (civil.size() == 16 && civil[10] == ' ') civil[10] = 'T';
  absl::CivilMinute minute;
  if (civil.size() == 16 && absl::ParseCivilTime(civil, &minute)) {
    return ResolveLocal(minute, zone);
  }
  // "10:00" today, "tomorrow 10:00" the next local day.
  absl::string_view clock = text;
  absl::CivilDay day = absl::ToCivilDay(now, zone);
  if (absl::ConsumePrefix(&clock, "tomorrow ")) day += 1;
  int hour = 0;
  int min = 0;
  if (clock.size() == 5 && clock[2] == ':' &&
      absl::SimpleAtoi(clock.substr(0, 2), &hour) &&
      absl::SimpleAtoi(clock.substr(3, 2), &min) && hour >= 0 && hour < 24 &&
      min >= 0 && min < 60) {
    return ResolveLocal(
        absl::CivilMinute(day.year(), day.month(), day.day(), hour, min), zone);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": '", text,
      "' is not a local time (use 2026-11-25T10:00, 10:00 for today or "
      "\"tomorrow 10:00\")"));
}

absl::StatusOr<absl::Time> ParseRecentLocalTime(const std::string& text,
                                                absl::Time now,
                                                const std::string& field) {
  absl::StatusOr<absl::Time> today = ParseLocalTime(text, now, field);
  if (!today.ok() || *today <= now + absl::Minutes(5)) return today;
  // Noon of the previous local day: a day back in civil terms, right also
  // next to a 23- or 25-hour daylight-saving day.
  const absl::CivilDay yesterday = absl::ToCivilDay(now, LocalZone()) - 1;
  return ParseLocalTime(
      text, absl::FromCivil(absl::CivilHour(yesterday) + 12, LocalZone()),
      field);
}

absl::StatusOr<absl::Time> ParseInstant(const std::string& text, absl::Time now,
                                        const std::string& field) {
  absl::Time t;
  std::string ignored;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &ignored)) return t;
  absl::StatusOr<absl::Time> local = ParseRecentLocalTime(text, now, field);
  if (local.ok()) return local;
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": '", text,
      "' is not a time (use local time \"2026-11-24 22:30\", 22:30 for the "
      "latest 22:30, or RFC 3339 such as 2026-11-24T21:30:00Z)"));
}

absl::StatusOr<absl::Duration> ParsePositiveDuration(const std::string& text,
                                                     const std::string& field) {
  absl::Duration d;
  if (!absl::ParseDuration(text, &d) || d <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": '", text, "' is not a positive duration (e.g. 10m, 1h30m)"));
  }
  return d;
}

std::string FormatLocalTime(absl::Time t, absl::Time now) {
  const absl::TimeZone& zone = LocalZone();
  const std::string suffix = zone.name() == "UTC" ? " UTC" : "";
  const absl::CivilDay day = absl::ToCivilDay(t, zone);
  if (day == absl::ToCivilDay(now, zone)) {
    return absl::FormatTime("%H:%M", t, zone) + suffix;
  }
  const char* format = day.year() == absl::ToCivilDay(now, zone).year()
                           ? "%a %d %b %H:%M"
                           : "%a %d %b %Y %H:%M";
  return absl::FormatTime(format, t, zone) + suffix;
}

std::string FormatLocalSeconds(absl::Time t) {
  const absl::TimeZone& zone = LocalZone();
  const std::string suffix = zone.name() == "UTC" ? " UTC" : "";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", t, zone) + suffix;
}

}  // namespace vagt::vagtctl
