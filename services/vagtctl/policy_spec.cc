#include "services/vagtctl/policy_spec.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "services/vagtctl/local_time.h"
#include "services/vagtctl/vocabulary.h"

namespace vagt::vagtctl {
namespace {

constexpr const char* kDays[] = {"mon", "tue", "wed", "thu",
                                 "fri", "sat", "sun"};

absl::Status Bad(const std::string& field, const std::string& text,
                 absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": '", text, "': ", why));
}

// "mon" -> WEEKDAY_MONDAY (1); 0 when not a day.
int DayOf(absl::string_view word) {
  const std::string lower = absl::AsciiStrToLower(word);
  for (int i = 0; i < 7; ++i) {
    if (lower == kDays[i]) return i + 1;
  }
  return 0;
}

bool ParseClock(absl::string_view text, v1::LocalTime* out) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, ':');
  int hour = 0;
  int minute = 0;
  if (parts.size() != 2 || parts[0].empty() || parts[1].size() != 2 ||
      !absl::SimpleAtoi(parts[0], &hour) ||
      !absl::SimpleAtoi(parts[1], &minute) || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59) {
    return false;
  }
  out->set_hour(hour);
  out->set_minute(minute);
  return true;
}

absl::StatusOr<v1::PolicyWindow> ParseWindow(absl::string_view text,
                                             const std::string& field,
                                             const std::string& whole) {
  v1::PolicyWindow window;
  absl::string_view times = text;
  if (const size_t slash = text.find('/'); slash != absl::string_view::npos) {
    times = text.substr(slash + 1);
    for (absl::string_view item : absl::StrSplit(text.substr(0, slash), ',')) {
      std::vector<absl::string_view> range = absl::StrSplit(item, '-');
      const int first = DayOf(range[0]);
      const int last = range.size() == 2 ? DayOf(range[1]) : first;
      if (range.size() > 2 || first == 0 || last == 0 || last < first) {
        return Bad(field, whole,
                   absl::StrCat("'", item,
                                "' is not a day or range of days (mon..sun, "
                                "e.g. mon-fri or sat,sun)"));
      }
      for (int d = first; d <= last; ++d) {
        window.add_weekdays(static_cast<v1::Weekday>(d));
      }
    }
  }
  std::vector<absl::string_view> ends = absl::StrSplit(times, '-');
  if (ends.size() != 2 || !ParseClock(ends[0], window.mutable_start()) ||
      !ParseClock(ends[1], window.mutable_end())) {
    return Bad(field, whole,
               absl::StrCat("'", text,
                            "' is not a window ([DAYS/]HH:MM-HH:MM, e.g. "
                            "22:00-07:00 or sat,sun/07:00-22:00)"));
  }
  return window;
}

std::string Clock(const v1::LocalTime& t) {
  return absl::StrCat(t.hour() < 10 ? "0" : "", t.hour(), ":",
                      t.minute() < 10 ? "0" : "", t.minute());
}

}  // namespace

absl::StatusOr<v1::PolicyLevel> ParsePolicyLevel(const std::string& text,
                                                 const std::string& field) {
  std::vector<std::string> parts = absl::StrSplit(text, '@');
  const std::string& head = parts[0];
  const size_t colon = head.rfind(':');
  if (colon == std::string::npos) {
    return Bad(field, text,
               "give LEVEL[=TARGET]:TIMEOUT[@WINDOW], e.g. backup:15m or "
               "social-emergency=partner:akut:10m");
  }
  const std::string rung = head.substr(0, colon);
  const size_t equals = rung.find('=');
  const std::string level_word = rung.substr(0, equals);
  const std::string target =
      equals == std::string::npos ? "" : rung.substr(equals + 1);

  v1::PolicyLevel level;
  absl::StatusOr<int> word = ParseWord(kEscalationLevels, level_word, field);
  if (!word.ok()) return word.status();
  level.set_level(static_cast<v1::EscalationLevel>(*word));
  if (target == "backup" ||
      (target.empty() && level.level() == v1::ESCALATION_LEVEL_BACKUP)) {
    level.set_target(v1::POLICY_TARGET_BACKUP);
  } else if (target == "duty" ||
             (target.empty() &&
              level.level() == v1::ESCALATION_LEVEL_NIGHT_PARTNER)) {
    level.set_target(v1::POLICY_TARGET_DUTY);
  } else if (absl::StartsWith(target, "partner:") ||
             absl::StartsWith(target, "worker:")) {
    level.set_target(v1::POLICY_TARGET_PARTY);
    level.mutable_party()->set_id(target);
  } else if (target.empty()) {
    return Bad(field, text,
               absl::StrCat("name who is called at ", level_word, ", e.g. ",
                            level_word, "=partner:<id>:10m"));
  } else {
    return Bad(field, text,
               absl::StrCat("'", target,
                            "' is not a target (backup, duty, partner:<id> "
                            "or worker:<id>)"));
  }

  absl::StatusOr<absl::Duration> timeout =
      ParsePositiveDuration(head.substr(colon + 1), field);
  if (!timeout.ok()) return timeout.status();
  if (*timeout < absl::Seconds(1) || *timeout > absl::Hours(24) ||
      *timeout != absl::Seconds(absl::ToInt64Seconds(*timeout))) {
    return Bad(field, text,
               "the timeout must be whole seconds, from 1s to 24h");
  }
  level.set_ack_timeout_seconds(
      static_cast<uint32_t>(absl::ToInt64Seconds(*timeout)));

  for (size_t i = 1; i < parts.size(); ++i) {
    absl::StatusOr<v1::PolicyWindow> window =
        ParseWindow(parts[i], field, text);
    if (!window.ok()) return window.status();
    *level.add_windows() = *std::move(window);
  }
  return level;
}

std::string FormatPolicyWindow(const v1::PolicyWindow& window) {
  std::vector<std::string> days;
  for (int d : window.weekdays()) {
    days.push_back(d >= 1 && d <= 7 ? kDays[d - 1] : absl::StrCat(d));
  }
  return absl::StrCat(days.empty() ? "" : absl::StrJoin(days, ","),
                      days.empty() ? "" : "/", Clock(window.start()), "-",
                      Clock(window.end()));
}

std::string FormatPolicyLevel(const v1::PolicyLevel& level) {
  std::string out = WordFor(kEscalationLevels, level.level());
  const bool default_target =
      (level.target() == v1::POLICY_TARGET_BACKUP &&
       level.level() == v1::ESCALATION_LEVEL_BACKUP) ||
      (level.target() == v1::POLICY_TARGET_DUTY &&
       level.level() == v1::ESCALATION_LEVEL_NIGHT_PARTNER);
  if (!default_target) {
    switch (level.target()) {
      case v1::POLICY_TARGET_BACKUP:
        absl::StrAppend(&out, "=backup");
        break;
      case v1::POLICY_TARGET_DUTY:
        absl::StrAppend(&out, "=duty");
        break;
      default:
        absl::StrAppend(&out, "=", level.party().id());
        break;
    }
  }
  absl::StrAppend(
      &out, ":",
      absl::FormatDuration(absl::Seconds(level.ack_timeout_seconds())));
  for (const v1::PolicyWindow& window : level.windows()) {
    absl::StrAppend(&out, "@", FormatPolicyWindow(window));
  }
  return out;
}

absl::StatusOr<v1::EscalationPolicySet> ParsePolicyJson(
    const std::string& json, const std::string& field) {
  v1::EscalationPolicySet policy;
  const google::protobuf::util::Status status =
      google::protobuf::util::JsonStringToMessage(json, &policy);
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": not an escalation policy in JSON (",
        std::string(status.message()),
        "); e.g. {\"levels\": [{\"level\": \"ESCALATION_LEVEL_BACKUP\", "
        "\"target\": \"POLICY_TARGET_BACKUP\", \"ackTimeoutSeconds\": 900}]}"));
  }
  return policy;
}

}  // namespace vagt::vagtctl
