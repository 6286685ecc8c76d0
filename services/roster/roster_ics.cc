#include "services/roster/roster_ics.h"

#include <libical/ical.h>

#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "domain/local_time.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"

namespace vagt::services {
namespace {

struct ComponentFree {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using Component = std::unique_ptr<icalcomponent, ComponentFree>;

// libical reports malformed input as X-LIC-ERROR properties; it must never
// abort the process for it.
void InitLibical() {
  static std::once_flag once;
  std::call_once(once, [] { icalerror_set_errors_are_fatal(0); });
}

std::string RoleWord(v1::RosterRole role) {
  return role == v1::ROSTER_ROLE_BACKUP ? "Backup" : "Duty";
}

std::string KindWord(v1::PartyKind kind) {
  const std::string& name = v1::PartyKind_Name(kind);
  absl::string_view word = name;
  absl::ConsumePrefix(&word, "PARTY_KIND_");
  return std::string(word);
}

void AddX(icalcomponent* component, const char* name, const std::string& v) {
  icalproperty* p = icalproperty_new_x(v.c_str());
  icalproperty_set_x_name(p, name);
  icalcomponent_add_property(component, p);
}

icaltimetype Utc(absl::Time t) {
  return icaltime_from_timet_with_zone(absl::ToTimeT(t), 0,
                                       icaltimezone_get_utc_timezone());
}

absl::Status Bad(int event, absl::string_view what) {
  return absl::InvalidArgumentError(
      event == 0 ? absl::StrCat("ics: ", what)
                 : absl::StrCat("ics: VEVENT ", event, ": ", what));
}

// The value of the first X- property named `name`; empty when absent.
std::string XValue(icalcomponent* event, absl::string_view name) {
  for (icalproperty* p =
           icalcomponent_get_first_property(event, ICAL_X_PROPERTY);
       p != nullptr;
       p = icalcomponent_get_next_property(event, ICAL_X_PROPERTY)) {
    const char* x_name = icalproperty_get_x_name(p);
    if (x_name != nullptr && absl::EqualsIgnoreCase(x_name, name)) {
      const char* value = icalproperty_get_x(p);
      return value == nullptr ? "" : std::string(value);
    }
  }
  return "";
}

std::optional<v1::RosterRole> RoleOf(absl::string_view word) {
  word = absl::StripAsciiWhitespace(word);
  if (absl::EqualsIgnoreCase(word, "duty") ||
      absl::EqualsIgnoreCase(word, "vagt")) {
    return v1::ROSTER_ROLE_DUTY;
  }
  if (absl::EqualsIgnoreCase(word, "backup") ||
      absl::EqualsIgnoreCase(word, "bagvagt")) {
    return v1::ROSTER_ROLE_BACKUP;
  }
  return std::nullopt;
}

// Role and party from the X-VAGT- properties, else from the SUMMARY.
absl::Status ReadRoleAndParty(icalcomponent* event, int n, IcsShift& out) {
  std::string role = XValue(event, "X-VAGT-ROLE");
  std::string party = XValue(event, "X-VAGT-PARTY");
  std::string kind = XValue(event, "X-VAGT-PARTY-KIND");
  std::string name = XValue(event, "X-VAGT-PARTY-NAME");
  if (role.empty() || party.empty()) {
    // "Duty: worker:anna (Anna Jensen)".
    const char* summary = icalcomponent_get_summary(event);
    absl::string_view text = summary == nullptr ? "" : summary;
    const size_t colon = text.find(':');
    if (colon == absl::string_view::npos) {
      return Bad(n,
                 "X-VAGT-ROLE and X-VAGT-PARTY, or a SUMMARY such as \"Duty: "
                 "worker:anna\", required");
    }
    if (role.empty()) role = std::string(text.substr(0, colon));
    absl::string_view rest = absl::StripAsciiWhitespace(text.substr(colon + 1));
    const size_t space = rest.find(' ');
    if (party.empty()) party = std::string(rest.substr(0, space));
    if (name.empty() && space != absl::string_view::npos) {
      absl::string_view shown = absl::StripAsciiWhitespace(rest.substr(space));
      if (absl::ConsumePrefix(&shown, "(") &&
          absl::ConsumeSuffix(&shown, ")")) {
        name = std::string(shown);
      }
    }
  }
  std::optional<v1::RosterRole> parsed = RoleOf(role);
  if (!parsed.has_value()) {
    return Bad(n, "role: must be Duty or Backup");
  }
  out.role = *parsed;
  out.party.set_id(party);
  out.party.set_display_name(name);
  if (!kind.empty()) {
    v1::PartyKind k = v1::PARTY_KIND_UNSPECIFIED;
    if (!v1::PartyKind_Parse(absl::StrCat("PARTY_KIND_", kind), &k) &&
        !v1::PartyKind_Parse(kind, &k)) {
      return Bad(n, "X-VAGT-PARTY-KIND: not a known party kind");
    }
    out.party.set_kind(k);
  } else if (absl::StartsWith(party, "worker:")) {
    out.party.set_kind(v1::PARTY_KIND_TEAM_WORKER);
  } else if (absl::StartsWith(party, "partner:")) {
    out.party.set_kind(v1::PARTY_KIND_NIGHT_PARTNER);
  } else {
    return Bad(n, "party: must be \"worker:<id>\" or \"partner:<id>\"");
  }
  return absl::OkStatus();
}

// One end of a VEVENT: a local time in an IANA zone, or an instant.
struct Point {
  std::optional<std::string> zone;  // set: `civil` in this zone
  absl::CivilMinute civil;
  absl::Time instant;  // when `zone` is not set
};

absl::StatusOr<Point> ReadPoint(icaltimetype t, const char* tzid, int n,
                                absl::string_view field) {
  if (icaltime_is_null_time(t) || !icaltime_is_valid_time(t)) {
    return Bad(n, absl::StrCat(field, ": not a valid date or time"));
  }
  if (!t.is_date && t.second != 0) {
    return Bad(n, absl::StrCat(field, ": must fall on a whole minute"));
  }
  const absl::CivilMinute civil(t.year, t.month, t.day, t.is_date ? 0 : t.hour,
                                t.is_date ? 0 : t.minute);
  if (icaltime_is_utc(t)) {
    return Point{.zone = std::nullopt,
                 .civil = civil,
                 .instant = absl::FromCivil(civil, absl::UTCTimeZone())};
  }
  if (tzid == nullptr) {
    return Point{.zone = std::string(""), .civil = civil, .instant = {}};
  }
  if (std::optional<absl::TimeZone> zone = NamedTimeZone(tzid)) {
    return Point{
        .zone = std::string(tzid) == kDutyTimeZone ? "" : std::string(tzid),
        .civil = civil,
        .instant = {}};
  }
  if (t.zone != nullptr) {  // a zone the calendar's VTIMEZONE defines
    return Point{.zone = std::nullopt,
                 .civil = civil,
                 .instant = absl::FromTimeT(icaltime_as_timet_with_zone(
                     t, const_cast<icaltimezone*>(t.zone)))};
  }
  return Bad(n, absl::StrCat(field,
                             ": unknown TZID (use an IANA zone, UTC, "
                             "or include its VTIMEZONE)"));
}

const char* TzidOf(icalproperty* p) {
  if (p == nullptr) return nullptr;
  icalparameter* tzid =
      icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
  return tzid == nullptr ? nullptr : icalparameter_get_tzid(tzid);
}

// `p` as a local date and time in Europe/Copenhagen; INVALID_ARGUMENT when
// that does not name the instant again (the second pass of a repeated
// autumn hour).
absl::StatusOr<v1::LocalDateTime> InDutyZone(absl::Time instant, int n,
                                             absl::string_view field) {
  const absl::TimeZone& zone = DutyTimeZone();
  const absl::CivilMinute civil = absl::ToCivilMinute(instant, zone);
  if (ResolveLocal(absl::CivilSecond(civil), zone) != instant) {
    return Bad(n, absl::StrCat(field,
                               ": falls in the repeated hour of the autumn "
                               "change; give it with TZID and local time"));
  }
  v1::LocalDateTime out;
  out.set_local_date(absl::FormatCivilTime(absl::CivilDay(civil)));
  out.mutable_time()->set_hour(civil.hour());
  out.mutable_time()->set_minute(civil.minute());
  return out;
}

v1::LocalDateTime Local(absl::CivilMinute civil) {
  v1::LocalDateTime out;
  out.set_local_date(absl::FormatCivilTime(absl::CivilDay(civil)));
  out.mutable_time()->set_hour(civil.hour());
  out.mutable_time()->set_minute(civil.minute());
  return out;
}

absl::Status ReadPeriod(icalcomponent* event, int n, IcsShift& out) {
  icalproperty* dtstart =
      icalcomponent_get_first_property(event, ICAL_DTSTART_PROPERTY);
  if (dtstart == nullptr) return Bad(n, "DTSTART: required");
  icalproperty* dtend =
      icalcomponent_get_first_property(event, ICAL_DTEND_PROPERTY);
  if (dtend == nullptr && icalcomponent_get_first_property(
                              event, ICAL_DURATION_PROPERTY) == nullptr) {
    return Bad(n, "DTEND (or DURATION): required");
  }
  if (icalcomponent_get_first_property(event, ICAL_RRULE_PROPERTY) != nullptr) {
    return Bad(n,
               "RRULE: recurring events are not imported (one VEVENT per "
               "override)");
  }
  ASSIGN_OR_RETURN(Point start, ReadPoint(icalcomponent_get_dtstart(event),
                                          TzidOf(dtstart), n, "DTSTART"));
  // Without DTEND, libical adds DURATION to DTSTART, in DTSTART's zone.
  ASSIGN_OR_RETURN(Point end,
                   ReadPoint(icalcomponent_get_dtend(event),
                             TzidOf(dtend != nullptr ? dtend : dtstart), n,
                             dtend != nullptr ? "DTEND" : "DURATION"));
  if (start.zone.has_value() && end.zone.has_value() &&
      *start.zone == *end.zone) {
    out.time_zone = *start.zone;
    out.start = Local(start.civil);
    out.end = Local(end.civil);
    return absl::OkStatus();
  }
  // Mixed or absolute: both as Europe/Copenhagen local time.
  for (Point* p : {&start, &end}) {
    if (p->zone.has_value()) {
      p->instant =
          ResolveLocal(absl::CivilSecond(p->civil), *NamedTimeZone(*p->zone));
    }
  }
  out.time_zone = "";
  ASSIGN_OR_RETURN(out.start, InDutyZone(start.instant, n, "DTSTART"));
  ASSIGN_OR_RETURN(out.end, InDutyZone(end.instant, n, "DTEND"));
  return absl::OkStatus();
}

}  // namespace

std::string ShiftsToIcs(const std::string& line_id,
                        const std::vector<PlannedShift>& shifts,
                        absl::Time now) {
  InitLibical();
  Component calendar(icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
  icalcomponent* cal = calendar.get();
  icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
  icalcomponent_add_property(cal,
                             icalproperty_new_prodid("-//vagt//roster//EN"));
  icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
  icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
  AddX(cal, "X-WR-CALNAME", absl::StrCat("vagt ", line_id));
  AddX(cal, "X-WR-TIMEZONE", kDutyTimeZone);
  const icaltimetype stamp = Utc(now);
  for (const PlannedShift& s : shifts) {
    icalcomponent* event = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    const std::string role = RoleWord(s.role);
    icalcomponent_add_property(
        event,
        icalproperty_new_uid(absl::StrCat(absl::AsciiStrToLower(role), "-",
                                          absl::ToUnixSeconds(s.start), "-",
                                          line_id, "@vagt")
                                 .c_str()));
    icalcomponent_add_property(event, icalproperty_new_dtstamp(stamp));
    icalcomponent_add_property(event, icalproperty_new_dtstart(Utc(s.start)));
    icalcomponent_add_property(event, icalproperty_new_dtend(Utc(s.end)));
    std::string summary = absl::StrCat(role, ": ", s.party.id());
    if (!s.party.display_name().empty()) {
      absl::StrAppend(&summary, " (", s.party.display_name(), ")");
    }
    icalcomponent_add_property(event,
                               icalproperty_new_summary(summary.c_str()));
    const std::string description =
        s.role == v1::ROSTER_ROLE_BACKUP
            ? absl::StrCat("Backup (bagvagt) of line ", line_id)
            : absl::StrCat("Holds the on-call phone of line ", line_id);
    icalcomponent_add_property(
        event,
        icalproperty_new_description(
            (s.override_id.empty()
                 ? description
                 : absl::StrCat(description, " (override ", s.override_id, ")"))
                .c_str()));
    AddX(event, "X-VAGT-ROLE", absl::AsciiStrToUpper(role));
    AddX(event, "X-VAGT-PARTY", s.party.id());
    AddX(event, "X-VAGT-PARTY-KIND", KindWord(s.party.kind()));
    if (!s.party.display_name().empty()) {
      AddX(event, "X-VAGT-PARTY-NAME", s.party.display_name());
    }
    icalcomponent_add_component(cal, event);
  }
  char* text = icalcomponent_as_ical_string_r(cal);
  std::string out = text == nullptr ? "" : text;
  icalmemory_free_buffer(text);
  return out;
}

absl::StatusOr<std::vector<IcsShift>> ShiftsFromIcs(const std::string& ics) {
  InitLibical();
  if (ics.empty()) return Bad(0, "required");
  if (ics.size() > kMaxIcsBytes) {
    return Bad(0, absl::StrCat("at most ", kMaxIcsBytes, " bytes"));
  }
  if (ics.find('\0') != std::string::npos) {
    return Bad(0, "not an iCalendar text (a NUL byte)");
  }
  Component root(icalparser_parse_string(ics.c_str()));
  if (root == nullptr) {
    return Bad(0,
               "not an iCalendar text (no complete BEGIN:VCALENDAR ... "
               "END:VCALENDAR)");
  }
  if (icalcomponent_isa(root.get()) != ICAL_VCALENDAR_COMPONENT) {
    return Bad(0, "exactly one VCALENDAR expected");
  }
  std::vector<IcsShift> out;
  int n = 0;
  for (icalcomponent* event =
           icalcomponent_get_first_component(root.get(), ICAL_VEVENT_COMPONENT);
       event != nullptr; event = icalcomponent_get_next_component(
                             root.get(), ICAL_VEVENT_COMPONENT)) {
    if (++n > kMaxIcsEvents) {
      return Bad(0, absl::StrCat("at most ", kMaxIcsEvents, " VEVENTs"));
    }
    if (const int errors = icalcomponent_count_errors(event); errors > 0) {
      return Bad(
          n, absl::StrCat("not valid iCalendar (", errors, " parse errors)"));
    }
    IcsShift shift;
    RETURN_IF_ERROR(ReadPeriod(event, n, shift));
    RETURN_IF_ERROR(ReadRoleAndParty(event, n, shift));
    out.push_back(std::move(shift));
  }
  if (const int errors = icalcomponent_count_errors(root.get()); errors > 0) {
    return Bad(0,
               absl::StrCat("not valid iCalendar (", errors, " parse errors)"));
  }
  if (out.empty()) return Bad(0, "no VEVENT");
  return out;
}

}  // namespace vagt::services
