#include "domain/local_time.h"

#include "absl/strings/str_cat.h"

namespace vagt {

v1::Weekday WeekdayOf(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return v1::WEEKDAY_MONDAY;
    case absl::Weekday::tuesday:
      return v1::WEEKDAY_TUESDAY;
    case absl::Weekday::wednesday:
      return v1::WEEKDAY_WEDNESDAY;
    case absl::Weekday::thursday:
      return v1::WEEKDAY_THURSDAY;
    case absl::Weekday::friday:
      return v1::WEEKDAY_FRIDAY;
    case absl::Weekday::saturday:
      return v1::WEEKDAY_SATURDAY;
    case absl::Weekday::sunday:
      return v1::WEEKDAY_SUNDAY;
  }
  return v1::WEEKDAY_UNSPECIFIED;
}

bool IsValidLocalTime(const v1::LocalTime& t) {
  return t.hour() >= 0 && t.hour() <= 23 && t.minute() >= 0 && t.minute() <= 59;
}

absl::Status CheckLocalTime(const v1::LocalTime& t, absl::string_view field) {
  if (t.hour() < 0 || t.hour() > 23) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".hour: must be 0..23"));
  }
  if (t.minute() < 0 || t.minute() > 59) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".minute: must be 0..59"));
  }
  return absl::OkStatus();
}

}  // namespace vagt
