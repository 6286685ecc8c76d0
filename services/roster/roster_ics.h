// The roster as iCalendar (RFC 5545), through Debian's libical: planned
// shifts out as a calendar a phone can subscribe to, and overrides in from
// an .ics file. No iCalendar text is built or parsed by hand.
//
//   std::string ics = ShiftsToIcs("ishoj-bos", roster.Shifts(from, to), now);
//   ASSIGN_OR_RETURN(std::vector<IcsShift> back, ShiftsFromIcs(ics));
//
// Each shift is one VEVENT: UID "<role>-<start, unix seconds>-<line>@vagt"
// (the same shift keeps its UID from one export to the next, so a
// subscribed calendar updates it), DTSTAMP (the export's time), DTSTART and
// DTEND in UTC (a phone shows them in its own local time), SUMMARY "Duty:
// worker:anna (Anna Jensen)", and X-VAGT-ROLE, X-VAGT-PARTY,
// X-VAGT-PARTY-KIND, X-VAGT-PARTY-NAME for a machine reading it back.
//
// Threading: the functions may be called from any thread.
#ifndef VAGT_SERVICES_ROSTER_ROSTER_ICS_H_
#define VAGT_SERVICES_ROSTER_ROSTER_ICS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/roster_state.h"
#include "vagt/v1/events.pb.h"

namespace vagt::services {

// Limits of an imported calendar.
inline constexpr size_t kMaxIcsBytes = 1 << 20;
inline constexpr int kMaxIcsEvents = 500;

// The VCALENDAR of `shifts` of line `line_id` (CRLF line endings).
std::string ShiftsToIcs(const std::string& line_id,
                        const std::vector<PlannedShift>& shifts,
                        absl::Time now);

// One VEVENT read back: a role, a party, and its period as local date and
// time in `time_zone` ("" is Europe/Copenhagen), as an override records it.
struct IcsShift {
  v1::RosterRole role = v1::ROSTER_ROLE_UNSPECIFIED;
  v1::Party party;
  std::string time_zone;
  v1::LocalDateTime start;
  v1::LocalDateTime end;
};

// Every VEVENT of one VCALENDAR, in order. DTSTART and DTEND may be UTC
// (converted to Europe/Copenhagen local time), carry a TZID (an IANA zone
// is kept as the local time it names; another zone needs its VTIMEZONE in
// the calendar) or be floating (Europe/Copenhagen local time); a DATE is
// that day's 00:00. Times must fall on whole minutes. DURATION may stand
// in for DTEND. Role and party come from X-VAGT-ROLE / X-VAGT-PARTY
// (X-VAGT-PARTY-KIND, X-VAGT-PARTY-NAME optional), else from a SUMMARY
// "Duty: worker:anna" or "Backup: worker:bo (Bo Holm)" ("Vagt", "Bagvagt"
// too). INVALID_ARGUMENT names the VEVENT by number and the property
// ("ics: VEVENT 2: DTEND: required"), never its content; recurring events
// (RRULE) are refused.
absl::StatusOr<std::vector<IcsShift>> ShiftsFromIcs(const std::string& ics);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_ROSTER_ROSTER_ICS_H_
